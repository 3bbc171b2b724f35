"""The pull-request comment: one Markdown document, short when nothing relevant changed.

It starts with a hidden marker, by which the poster finds its own comment to update. File
links point at the head commit (`link(path, first, last)`, from the provider; plain
`path:line` without one). The whole comment stays under MAX_CHARS (GitHub takes 65,536):
lists are shortened first, each saying how many entries it left out.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

from analyzer.model import Crossing, Finding
from analyzer.model.delta import MARKER, MAX_CHARS, Delta, Erosion, OfferedFix, Shift
from analyzer.report.families import RELATIVES, Family, fold

Link = Callable[[str, int, int], str] | None


def render_pr(delta: Delta, gate: Sequence[str] = (), link: Link = None, report_url: str | None = None) -> str:
    """The comment, with lists of at most `cap` entries, lowered until the comment fits; with
    `report_url`, a link to the HTML report published there (a CI artifact)."""
    cap, touched = 25, _families(delta.touched)   # folded once, shown at every cap
    while True:
        text = "\n".join(_document(delta, touched, gate, link, cap, report_url)) + "\n"
        if len(text) <= MAX_CHARS or cap == 1:
            return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 80] + "\n\n… (cut to fit a comment)\n"
        cap = max(1, cap // 2)


def _document(delta: Delta, touched: tuple[Family, ...], gate: Sequence[str], link: Link, cap: int,
              report_url: str | None = None) -> list[str]:
    lines = [MARKER, _title(delta, touched), "", _context(delta), ""]
    if gate:
        lines += [f"**Gate failed:** {'; '.join(gate)}", ""]
    if not delta.relevant:
        lines += ["No relevant changes: this pull request moves no candidate, adds no fix-in-place "
                  "finding and erodes no boundary.", ""]
    lines += _touched(delta, touched, link, cap)
    lines += _section("New fix-in-place findings on changed lines", [_finding(f, link) for f in delta.new_findings], cap)
    lines += _offered(delta, link, cap)
    lines += _section("Boundary erosion", [*(_erosion(e, link) for e in delta.erosion),
                                           *(_cycle(c) for c in delta.new_cycles)], cap)
    lines += _section("New candidates that matter", [_shift_line(s, link) for s in delta.appeared], cap)
    lines += _section("Gone", [_shift_line(s, link) for s in delta.gone], cap)
    lines += _top(delta, link, cap)
    if report_url:
        lines += [f"📊 [The full report]({report_url}): the ranking, each candidate's case and the dependency "
                  "graph with its boundary.", ""]
    lines.append(f"<sub>rustscout {delta.tool_version} · {_basis(delta)}</sub>")
    return lines


def _title(delta: Delta, touched: tuple[Family, ...]) -> str:
    count = len(touched) + len(delta.new_findings) + len(delta.erosion) + len(delta.new_cycles) \
        + len(delta.appeared) + len(delta.gone)
    return "### 🦀 rustscout: " + (f"{count} thing(s) to look at" if delta.relevant else "no relevant changes")


def _context(delta: Delta) -> str:
    return (f"Head `{delta.head[:10]}` compared with `{delta.base[:10]}`, its merge base with `{_code(delta.base_ref)}`"
            f" · {delta.commits} commit(s) · {delta.files_changed} source file(s) changed")


def _touched(delta: Delta, families: tuple[Family, ...], link: Link, cap: int) -> list[str]:
    if not families and not delta.quiet:
        return []
    lines = ["#### Candidates this change touches", ""]
    if families:
        lines += ["| candidate | score | verdict |", "|---|---|---|"]
        lines += [f"| {_name(f.head.name, f.head.kind, f.head.path, f.head.lines, link)}"
                  f"{_relatives(f, lambda r: f'`{_code(r.name)}` {r.kind}: {_score(r)}')} | "
                  f"{_score(f.head)} | {_verdict(f.head)} |" for f in families[:cap]]
        if len(families) > cap:
            lines.append(f"| … {len(families) - cap} more | | |")
    if delta.quiet:   # a blank line parts it from the table above; under the heading alone, none
        lines += [""] * bool(families) + [f"{delta.quiet} other touched candidate(s) did not move enough to list: "
                                          "the same verdict and nearly the same score, or new with no case to act on."]
    return lines + [""]


def _families(shifts: Sequence[Shift]) -> tuple[Family, ...]:
    """Best first: the higher score at the head (or at the base, when gone)."""
    return fold(sorted(shifts, key=lambda s: (-(s.after or s.before)[0], s.id)), len(shifts))


def _relatives(f: Family, named: Callable[[object], str]) -> str:
    """A function and the module that holds it moved for one reason: one row, both named."""
    rest = len(f.relatives) - RELATIVES
    return "".join(f"<br>and {named(r)}" for r in f.relatives[:RELATIVES]) + (f"<br>and {rest} more" if rest > 0 else "")


def _section(title: str, entries: list[str], cap: int) -> list[str]:
    if not entries:
        return []
    more = [f"- … {len(entries) - cap} more"] if len(entries) > cap else []
    return [f"#### {title}", "", *entries[:cap], *more, ""]


def _top(delta: Delta, link: Link, cap: int) -> list[str]:
    if not delta.top:
        return []
    families = fold(delta.top, cap)
    rows = [f"| {f.head.rank} | {f.head.score:.1f} | {f.head.verdict.value} | "
            f"{_name(f.head.qualname or f.head.name, f.head.kind, f.head.path, f.head.lines, link)}"
            + _relatives(f, lambda r: f"#{r.rank} `{_code(r.name)}` {r.kind}") + " |" for f in families]
    shown = sum(1 + len(f.relatives) for f in families)
    related = " (related ones share a row)" if shown > len(families) else ""
    return [f"<details><summary>Top {shown} of {delta.candidates} candidates at the head{related}</summary>",
            "", "| # | score | verdict | candidate |", "|---|---|---|---|", *rows, "", "</details>", ""]


def _finding(f: Finding, link: Link) -> str:
    line = min((e.lines[0] for e in f.evidence if e.lines), default=f.line)
    return f"- **{f.rule_id}** {_where(f.path, line, line, link)}: {_cell(f.message)}"


def _offered(delta: Delta, link: Link, cap: int) -> list[str]:
    """The new findings' mechanical fixes: a suggestion block per edit where each replaces
    lines the pull request changed, else the patch (for `git apply` or `rustscout fix`)."""
    if not delta.fixes:
        return []
    lines = ["#### Fixes you can apply", "", "`rustscout fix` applies them on a checkout of the branch; a suggestion "
             "block pastes into a review comment on its lines.", ""]
    for offered in delta.fixes[:cap]:
        lines += _suggested(offered, link) if offered.suggestion else _patch(offered, link)
    if len(delta.fixes) > cap:
        lines += [f"… {len(delta.fixes) - cap} more: `rustscout fix --diff` shows them all", ""]
    return lines


def _suggested(offered: OfferedFix, link: Link) -> list[str]:
    f = offered.fix
    out = [f"**{f.rule_id}** {_where(f.path, f.line, f.line, link)}: {_cell(f.summary)}; suggested change:", ""]
    for e in f.edits:
        fence = _fence(e.text)
        out += [f"Lines {e.first}–{e.last}:" if e.last > e.first else f"Line {e.first}:", "",
                f"{fence}suggestion", *e.text.splitlines(), fence, ""]
    return out


def _patch(offered: OfferedFix, link: Link) -> list[str]:
    f, fence = offered.fix, _fence(offered.fix.patch or "")
    return [f"<details><summary><b>{f.rule_id}</b> {_code(f.path)}:{f.line}: {_cell(f.summary)}; the patch</summary>",
            "", f"{fence}diff", *(f.patch or "").splitlines(), fence, "", "</details>", ""]


def _fence(text: str) -> str:
    """Longer than any run of backticks in the text, so the block cannot end early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _erosion(e: Erosion, link: Link) -> str:
    s = e.candidate
    verdict = f" ({s.after[1]}, #{s.rank})" if s.after else ""
    examples = "; ".join(_crossing(c, link) for c in e.examples)
    return (f"- {_name(s.name, s.kind, s.path, s.lines, link)}{verdict}: {e.measure} {e.before} → {e.after}"
            + (f" — new: {examples}" if examples else ""))


def _crossing(c: Crossing, link: Link) -> str:
    return f"`{_short(c.source)}` → `{_short(c.target)}` at {_where(c.path, c.line, c.line, link)}"


def _cycle(cycle: Sequence[str]) -> str:
    return "- New import cycle: " + " ↔ ".join(f"`{_short(m)}`" for m in cycle[:6]) + (" …" if len(cycle) > 6 else "")


def _shift_line(s: Shift, link: Link) -> str:
    return f"- {_name(s.name, s.kind, s.path, s.lines, link)}: {_score(s)}, {_verdict(s)}"


def _score(s: Shift) -> str:
    if s.before is None:
        return f"new → {s.after[0]:.1f}"
    if s.after is None:
        return f"{s.before[0]:.1f} → gone"
    delta = s.after[0] - s.before[0]
    return f"{s.before[0]:.1f} → {s.after[0]:.1f}" + (f" ({delta:+.1f})" if abs(delta) >= 0.05 else "")


def _verdict(s: Shift) -> str:
    if s.before and s.after and s.before[1] != s.after[1]:
        return f"{s.before[1]} → **{s.after[1]}**"
    return (s.after or s.before)[1]


def _name(name: str, kind: str, path: str, lines: tuple[int, int], link: Link) -> str:
    return f"{_where(path, lines[0], lines[1], link, label=f'`{_code(name)}`')} {kind}"


def _where(path: str, first: int, last: int, link: Link, label: str | None = None) -> str:
    text = label or f"`{_code(path)}:{first}`"
    return f"[{text}]({link(path, first, last)})" if link else text


def _short(uid: str) -> str:
    return _code(uid.partition(":")[2])


def _code(text: str) -> str:
    return text.replace("`", "'").replace("|", "\\|")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _basis(delta: Delta) -> str:
    """What the figures rest on: measured shares where a profile was given, else estimates."""
    if delta.measured:
        return (f"scores use shares measured by {'; '.join(delta.measured)} (the head's profile, for both commits); "
                "speedups are static estimates: measure before you port.")
    return "scores and speedups are static estimates: measure before you port."
