"""The pull-request comment: one Markdown document, short when nothing relevant changed.

It starts with a hidden marker, by which the poster finds its own comment to update. File
links point at the head commit (`link(path, first, last)`, from the provider; plain
`path:line` without one). The whole comment stays under MAX_CHARS (GitHub takes 65,536):
lists are shortened first, each saying how many entries it left out.
"""

from __future__ import annotations

from typing import Callable, Sequence

from analyzer.model import Crossing, Finding
from analyzer.model.delta import MARKER, MAX_CHARS, Delta, Erosion, Shift

Link = Callable[[str, int, int], str] | None


def render_pr(delta: Delta, gate: Sequence[str] = (), link: Link = None) -> str:
    """The comment, with lists of at most `cap` entries, lowered until the comment fits."""
    cap = 25
    while True:
        text = "\n".join(_document(delta, gate, link, cap)) + "\n"
        if len(text) <= MAX_CHARS or cap == 1:
            return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - 80] + "\n\n… (cut to fit a comment)\n"
        cap = max(1, cap // 2)


def _document(delta: Delta, gate: Sequence[str], link: Link, cap: int) -> list[str]:
    lines = [MARKER, _title(delta), "", _context(delta), ""]
    if gate:
        lines += [f"**Gate failed:** {'; '.join(gate)}", ""]
    if not delta.relevant:
        lines += ["No relevant changes: this pull request moves no candidate, adds no fix-in-place "
                  "finding and erodes no boundary.", ""]
    lines += _touched(delta, link, cap)
    lines += _section("New fix-in-place findings on changed lines", [_finding(f, link) for f in delta.new_findings], cap)
    lines += _section("Boundary erosion", [*(_erosion(e, link) for e in delta.erosion),
                                           *(_cycle(c) for c in delta.new_cycles)], cap)
    lines += _section("New candidates that matter", [_shift_line(s, link) for s in delta.appeared], cap)
    lines += _section("Gone", [_shift_line(s, link) for s in delta.gone], cap)
    lines += _top(delta, link, cap)
    lines.append(f"<sub>rustscout {delta.tool_version} · {_basis(delta)}</sub>")
    return lines


def _title(delta: Delta) -> str:
    count = len(delta.touched) + len(delta.new_findings) + len(delta.erosion) + len(delta.new_cycles) \
        + len(delta.appeared) + len(delta.gone)
    return "### 🦀 rustscout: " + (f"{count} thing(s) to look at" if delta.relevant else "no relevant changes")


def _context(delta: Delta) -> str:
    return (f"Head `{delta.head[:10]}` compared with `{delta.base[:10]}`, its merge base with `{_code(delta.base_ref)}`"
            f" · {delta.commits} commit(s) · {delta.files_changed} source file(s) changed")


def _touched(delta: Delta, link: Link, cap: int) -> list[str]:
    if not delta.touched and not delta.quiet:
        return []
    lines = ["#### Candidates this change touches", ""]
    if delta.touched:
        lines += ["| candidate | score | verdict |", "|---|---|---|"]
        lines += [f"| {_name(s.name, s.kind, s.path, s.lines, link)} | {_score(s)} | {_verdict(s)} |"
                  for s in delta.touched[:cap]]
        if len(delta.touched) > cap:
            lines.append(f"| … {len(delta.touched) - cap} more | | |")
    if delta.quiet:
        lines += ["", f"{delta.quiet} other touched candidate(s) kept their verdict and score."]
    return lines + [""]


def _section(title: str, entries: list[str], cap: int) -> list[str]:
    if not entries:
        return []
    more = [f"- … {len(entries) - cap} more"] if len(entries) > cap else []
    return [f"#### {title}", "", *entries[:cap], *more, ""]


def _top(delta: Delta, link: Link, cap: int) -> list[str]:
    if not delta.top:
        return []
    rows = [f"| {c.rank} | {c.score:.1f} | {c.verdict.value} | {_name(c.qualname or c.name, c.kind, c.path, c.lines, link)} |"
            for c in delta.top[:cap]]
    return ["<details><summary>Top " f"{min(len(delta.top), cap)} of {delta.candidates} candidates at the head</summary>",
            "", "| # | score | verdict | candidate |", "|---|---|---|---|", *rows, "", "</details>", ""]


def _finding(f: Finding, link: Link) -> str:
    line = min((e.lines[0] for e in f.evidence if e.lines), default=f.line)
    return f"- **{f.rule_id}** {_where(f.path, line, line, link)}: {_cell(f.message)}"


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
