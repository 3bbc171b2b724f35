"""The terminal report: the ranked table, the run summary, one candidate's whole case, and
the rule catalogue. rich is used here and in the CLI only; everything is built from the
finished Report (or the rules), never from analysis internals."""

from __future__ import annotations

import shlex
from collections import Counter
from typing import Iterable, Mapping, Sequence

from rich.console import Console
from rich.console import Group as Stack
from rich.markup import escape
from rich.panel import Panel
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from analyzer.model import Candidate, Condition, GroupKind, NativeTwin, Report, Rule, RuntimeEvidence, Verdict
from analyzer.model.runtime import POORLY_COVERED
from analyzer.report.families import RELATIVES, Family, fold
from analyzer.ruleset.metrics import Metric

VERDICT_STYLE = {Verdict.PORT: "bold green", Verdict.FIX_IN_PLACE_FIRST: "yellow", Verdict.NOT_A_RUST_PROBLEM: "dim",
                 Verdict.NEEDS_BOUNDARY_WORK: "magenta", Verdict.INSUFFICIENT_EVIDENCE: "cyan"}
VERDICT_ORDER = (Verdict.PORT, Verdict.NEEDS_BOUNDARY_WORK, Verdict.FIX_IN_PLACE_FIRST, Verdict.INSUFFICIENT_EVIDENCE,
                 Verdict.NOT_A_RUST_PROBLEM)


def _verdict(text: str) -> Text:
    return Text(text, style=VERDICT_STYLE.get(text, ""))


def location(c: Candidate) -> str:
    return c.path if GroupKind(c.kind).spans_files else f"{c.path}:{c.lines[0]}"


def table(report: Report, top: int, width: int = 80) -> Table:
    """One row per family (a unit with what holds it and what it holds), its relatives named
    under it. Rank, score and verdict never shrink; below 120 columns (CI logs are 80) the
    reason wraps under the candidate instead of taking a column of its own."""
    families = fold(report.candidates, top)
    folded = sum(len(f.relatives) for f in families)
    where = f"{report.scope_shown} of {report.root}" if report.scope else report.root
    title = f"Top {len(families)} of {len(report.candidates)} Rust candidates in {where}" + \
        (f"\n({folded} related row(s) folded under them; the JSON lists every one)" if folded else "")
    wide = width >= WIDE
    grid = Table(title=title, title_justify="left", show_lines=True)
    verdict_width = max((len(f.head.verdict.value) for f in families), default=7)
    for name, style, least in (("#", "dim", len(str(top))), ("score", "bold", 5), ("verdict", "", verdict_width)):
        grid.add_column(name, style=style, justify="left" if name == "verdict" else "right", no_wrap=True,
                        min_width=least)
    grid.add_column("candidate" if wide else "candidate and why", overflow="fold", ratio=2 if wide else None)
    if wide:
        grid.add_column("reason", overflow="fold", ratio=3, min_width=24)
    for f in families:
        c, cell = f.head, _candidate_cell(f)
        reason = [c.reason] if wide else []
        cell = cell if wide else Text.assemble(cell, "\n", c.reason)
        grid.add_row(str(c.rank), f"{c.score:.1f}", _verdict(c.verdict.value), cell, *reason)
    return grid


WIDE = 120


def _candidate_cell(f: Family) -> Text:
    c = f.head
    cell = Text.assemble((c.qualname or c.name, "bold"), (f"\n{c.kind} · {location(c)}", "dim"))
    if f.relatives:
        named = ", ".join(f"#{r.rank} {r.kind} {r.name}" for r in f.relatives[:RELATIVES])
        more = f" (+{len(f.relatives) - RELATIVES} more)" if len(f.relatives) > RELATIVES else ""
        cell.append(f"\nrelated: {named}{more}", style="dim italic")
    return cell


def summary(report: Report) -> Stack:
    s = report.summary
    tags = ", ".join(f"{n} {t}" for t, n in sorted(s.files_by_tag.items())) or "none"
    failed = f"{len(report.errors)} not read; " if report.errors else ""
    lines = [Text.assemble(("Scanned ", "dim"), f"{s.files} files ", ("(", "dim"), f"{s.files_ranked} ranked; ",
                           failed, f"left out: {tags}", (") · ", "dim"), f"{s.units} units · {s.candidates} candidates · ",
                           f"{s.commits} commits", (f" · head {report.head[:10]}" if report.head else "", "dim"))]
    verdicts = [Text.assemble((f"{s.verdicts[v]} ", "bold"), _verdict(v)) for v in VERDICT_ORDER if s.verdicts.get(v)]
    if verdicts:
        lines.append(Text("Verdicts: ").append(Text(" · ").join(verdicts)))
    if s.suppressed:
        lines.append(_suppressed(s.suppressed))
    if report.timings:
        lines.append(Text("Time: " + " · ".join(f"{n} {t:.2f}s" for n, t in report.timings), style="dim"))
    lines += [Text(note, style="dim") for note in report.run_notes]
    lines += _measured(report.evidence) if report.evidence else []
    lines += _twins(s.native_twins)
    for notice in s.notices:
        lines.append(Text(f"Note: {notice}", style="yellow"))
    if report.errors:
        lines.append(Text(f"Errors ({len(report.errors)}), each file skipped, the scan completed:", style="red"))
        lines += [Text(f"  {e.path}: {e.message}") for e in report.errors[:20]]
        if len(report.errors) > 20:
            lines.append(Text(f"  ... {len(report.errors) - 20} more in the JSON report", style="dim"))
    return Stack(*lines)


def _suppressed(by_rule) -> Text:
    rules = ", ".join(f"{rule} {n}" for rule, n in sorted(by_rule.items()))
    return Text(f"Suppressed: {sum(by_rule.values())} finding(s) ({rules}) by `rustscout: ignore` comments "
                "or per_path_ignores; they do not count toward verdicts", style="dim")


def _measured(found: RuntimeEvidence) -> list[Text]:
    """What the profiles and coverage reports measured, and how much of each mapped."""
    lines = []
    for m in found.measurements:
        lines.append(Text(f"Measured ({m.language}, {m.metric}): {m.description}; {m.mapped_share:.0%} of it "
                          "mapped to this scan", style="green"))
        if m.unmapped:
            frames = ", ".join(f"{u.frame} {u.share:.0%}" for u in m.unmapped[:3])
            lines.append(Text(f"  largest unmapped: {frames}", style="dim"))
    c = found.coverage_summary
    if c:
        sources = ", ".join(path for path, _ in c.sources)
        lines.append(Text(f"Coverage: {c.files_mapped} of {c.files_total} files of {sources} mapped to this scan",
                          style="green"))
    return lines


def _twins(found: Sequence[NativeTwin]) -> list[Text]:
    """Native code the repository already has, and what it stands in for."""
    if not found:
        return []
    shown = [f"{', '.join(t.sources)} ({t.language}, {t.module}) backs {len(t.backs)} unit(s)" for t in found[:4]]
    more = f"; {len(found) - 4} more in the JSON report" if len(found) > 4 else ""
    return [Text(f"Native twins: {'; '.join(shown)}{more}", style="cyan")]


# --- explain -------------------------------------------------------------------------------

def explain(c: Candidate) -> Stack:
    head = Text.assemble((f"#{c.rank} ", "dim"), (c.qualname or c.name, "bold"), "  ", (c.kind, "dim"), "  ",
                         (location(c), "dim"), "\n", (f"score {c.score:.1f}  ", "bold"), _verdict(c.verdict.value),
                         "\n", c.reason)
    parts = [Panel(head, title=escape(c.id), title_align="left"), *_poorly_covered(c), *_twin(c), _factors(c),
             _boundary(c)]
    if c.findings:
        parts.append(_findings(c))
    if c.plan:
        parts.append(_plan(c))
    parts += _fixes(c)
    if c.members:
        parts.append(Text("Members: " + ", ".join(c.members), style="dim"))
    if c.verdict in (Verdict.PORT, Verdict.NEEDS_BOUNDARY_WORK):
        parts.append(_next(c))
    return Stack(*parts)


def _twin(c: Candidate) -> list[Text]:
    """A native version already exists: a port may be done. The score stays the pure code's."""
    if not c.native_twins:
        return []
    return [Text(f"Has a native twin: {', '.join(c.native_twins)}. A port may exist already: compare with it "
                 "before writing one (the score rates the code here, as if the twin were not there).", style="cyan")]


def _poorly_covered(c: Candidate) -> list[Text]:
    """A port without tests that pin its behaviour is a rewrite nobody can check."""
    tests = next((f for f in c.factors if f.name == "tests" and f.unit == "share"), None)
    if c.verdict != Verdict.PORT or tests is None or tests.value >= POORLY_COVERED:
        return []
    return [Text(f"Poorly covered: {tests.summary.removeprefix('measured: ')}. Write characterization tests "
                 "before porting.", style="bold yellow")]


def _next(c: Candidate) -> Text:
    """The step after reading the case: the scaffold, with the plan's binding (PATH as given to explain)."""
    binding = " --binding jni  (or ffm: Java 22's FFM API)" if c.language == "java" else ""
    return Text.assemble(("Next: ", "bold"), f"rustscout scaffold {shlex.quote(c.id)} PATH -o DIR{binding}\n",
                         ("the extension project behind this boundary, a shim that keeps the pure code as the "
                          "fallback, a differential test and a benchmark", "dim"))


def _factors(c: Candidate) -> Table:
    grid = Table(title="Factors (≈ marks a static estimate)", title_justify="left", show_lines=True)
    grid.add_column("factor", style="bold", no_wrap=True)
    grid.add_column("value", justify="right", no_wrap=True)
    grid.add_column("evidence")
    for f in c.factors:
        evidence = "\n".join(_counted(_evidence_line(e) for e in f.evidence)[:8])
        body = f.summary + (f"\n[dim]{escape(evidence)}[/dim]" if evidence else "")
        grid.add_row(f.name, f"{'≈' if f.estimate else ''}{_value(f.value, f.unit)}", body)
    return grid


def _value(value: float, unit: str) -> str:
    if unit == "share":
        return f"{value * 100:.1f}%"
    if unit == "x":
        return f"{value:.1f}x"
    if unit == "days":
        return f"{value:.1f} d"
    if unit == "operations":
        return f"{value:,.0f}"
    return f"{value:g}"


def _counted(lines: Iterable[str]) -> list[str]:
    """Each line once, in first-seen order, with how many times it came: two call sites on one
    source line are two pieces of evidence that read the same."""
    return [line if n == 1 else f"{line} ×{n}" for line, n in Counter(lines).items()]


def _evidence_line(e) -> str:
    where = ""
    if e.path and e.lines:
        where = f" ({e.path}:{e.lines[0]}" + (f"-{e.lines[1]}" if e.lines[1] != e.lines[0] else "") + ")"
    elif e.lines:
        where = f" (line {e.lines[0]})"
    value = "" if e.value is None else f": {e.value:g}" if isinstance(e.value, float) else f": {e.value}"
    commit = f" [{e.commit[:10]}]" if e.commit else ""
    return f"· {e.what}{value}{where}{commit}"


def _boundary(c: Candidate) -> Table:
    b = c.boundary
    grid = Table(title=f"Boundary: {b.width} entry point(s), {b.calls_in_total} call(s) in, "
                       f"{b.calls_out_total} out, {len(b.shared_state)} shared state",
                 title_justify="left", show_header=False, box=None, padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    for e in b.entry_points:
        grid.add_row("entry", f"{escape(e.signature)}  [dim]({e.callers} caller(s))[/dim]")
    for x in b.calls_in[:8]:
        grid.add_row("call in", f"{escape(x.source)} -> {escape(x.target)}  [dim]{x.path}:{x.line}[/dim]")
    for x in b.calls_out[:8]:
        label = "callback" if x.callback else "call out"
        grid.add_row(label, f"{escape(x.source)} -> {escape(x.target)}  [dim]{x.path}:{x.line}[/dim]")
    for s in b.shared_state:
        grid.add_row("state", f"{'writes' if s.write else 'reads'} {escape(s.name)}  [dim]line {s.line}[/dim]")
    if not grid.rows:
        grid.add_row("", "[dim]nothing crosses it from ranked code[/dim]")
    return grid


def _findings(c: Candidate) -> Table:
    grid = Table(title="Findings", title_justify="left")
    for name in ("rule", "where", "effect", "message"):
        grid.add_column(name, no_wrap=name in ("rule", "where"))
    for f in c.findings:
        grid.add_row(f.rule_id, f"{f.path}:{f.line}", f.effect, escape(f.message))
    return grid


def _plan(c: Candidate) -> Panel:
    p = c.plan
    lines = [Text.assemble(("Binding: ", "bold"), p.binding)]
    if p.crates:
        lines.append(Text.assemble(("Crates: ", "bold"), ", ".join(f"{lib} -> {crate}" for lib, crate in p.crates)))
    lines += [Text(f"{i}. {step}") for i, step in enumerate(p.steps, 1)]
    lines += [Text.assemble((f"Rust ({s.binding}): ", "bold"), s.rust) for s in p.signatures]
    title = "Plan, leaves first" if not p.cut else "Smallest cut"
    return Panel(Stack(*lines), title=title, title_align="left")


def _fixes(c: Candidate) -> list:
    out = []
    for fix in c.fixes:
        title = f"Fix {fix.rule_id} (line {fix.line}): {fix.summary}"
        if fix.patch:
            out += [Text(f"{title}; apply with `git apply` or `rustscout fix`", style="bold"), Patch(fix.patch)]
        else:
            out.append(Text(f"{title} (no mechanical patch; see `rustscout rules show {fix.rule_id}`)"))
    shared = sorted({f.path for f in c.fixes if f.patch and sum(g.path == f.path for g in c.fixes if g.patch) > 1})
    if shared:   # each patch is made against the file as it is: git apply takes one of them at a time
        out.append(Text(f"Several patches change {', '.join(shared)}: `rustscout fix {c.id}` applies them "
                        "together (`git apply` takes one at a time)", style="yellow"))
    return out


class Patch:
    """A unified diff printed as it is, to paste into `git apply`: no box around it, no line
    wrapped or cut at the console's width, colour only where the console shows colour. Print
    it with `crop=False` (rich crops lines at the width otherwise)."""

    STYLES = (("+++ ", "bold"), ("--- ", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))

    def __init__(self, text: str):
        self.text = text

    def __rich_console__(self, console: Console, options):
        for line in self.text.splitlines(keepends=True):
            body = line.removesuffix("\n")
            style = next((s for prefix, s in self.STYLES if body.startswith(prefix)), "")
            yield Segment(body, Style.parse(style) if style else None)
            yield Segment.line()


# --- rules ---------------------------------------------------------------------------------

def rules_table(rules: Sequence[Rule]) -> Table:
    """Fits 80 columns: the summary goes under the rule's name."""
    grid = Table(title=f"{len(rules)} rules (`rustscout rules show ID` for one)", title_justify="left")
    grid.add_column("id", no_wrap=True, style="bold")
    grid.add_column("rule", overflow="fold")
    grid.add_column("effect", no_wrap=True)
    grid.add_column("weight", justify="right", no_wrap=True)
    for r in rules:
        grid.add_row(r.id, Text.assemble((r.name, "bold"), "\n", (r.summary, "dim")), r.effect, f"{r.weight:g}")
    return grid


def rule_detail(rule: Rule, metrics: Mapping[str, Metric]) -> Stack:
    head = Text.assemble((f"{rule.id} {rule.name}", "bold"), f"  ({rule.status})\n", rule.summary, "\n",
                         ("languages: ", "dim"), ", ".join(rule.languages), ("  applies to: ", "dim"),
                         ", ".join(rule.units), ("  severity: ", "dim"), rule.severity, ("  effect: ", "dim"),
                         rule.effect, ("  weight: ", "dim"), f"{rule.weight:g}")
    grid = Table(title="Fires when", title_justify="left", show_header=False, box=None)
    grid.add_column(no_wrap=True)
    grid.add_column(style="dim")
    for line, metric in _condition_lines(rule.when, 0):
        grid.add_row(line, metrics[metric].description if metric in metrics else "")
    parts = [Panel(head, title_align="left"), grid, Text(f"message: {rule.message}", style="italic"),
             Panel(rule.rationale, title="Rationale", title_align="left")]
    if rule.fix:
        parts.append(Text(f"mechanical fix: {rule.fix} (shown by `rustscout explain`, applied by `rustscout fix`)",
                          style="green"))
    parts += [Text(f"see: {ref}", style="dim") for ref in rule.references]
    return Stack(*parts)


def _condition_lines(c: Condition, depth: int) -> list[tuple[str, str | None]]:
    pad = "  " * depth
    if c.op == "cmp":
        return [(f"{pad}{c.metric} {c.cmp} {c.value:g}", c.metric)]
    lines = [(f"{pad}{c.op}:", None)]
    for child in c.children:
        lines += _condition_lines(child, depth + 1)
    return lines


def console(stderr: bool = False, quiet: bool = False) -> Console:
    """stderr carries one-line messages: in a log (not a terminal) a line is never broken at 80
    columns, so a URL or a path in it stays whole for whoever copies it."""
    out = Console(stderr=stderr, quiet=quiet, highlight=False, soft_wrap=False)
    out.soft_wrap = stderr and not out.is_terminal
    return out


def print_lines(out: Console, lines) -> None:
    """Lines of text (the summary) unbroken in a log, wrapped to the terminal on one."""
    out.print(lines, soft_wrap=not out.is_terminal)
