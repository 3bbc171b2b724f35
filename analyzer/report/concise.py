"""Plain lines for editors and CI logs: one finding per line (`--format concise`) and a count per
rule (`--statistics`), as ruff prints them. No colour, no wrapping, sorted: the same commit and
flags give the same bytes."""

from __future__ import annotations

from collections import Counter

from analyzer.model import Finding, Report, UnitId
from analyzer.report.findings import on_folder, unique


def render(report: Report) -> str:
    """`path:line: RULE message`, by path, line and rule. A finding of a package or component
    has no file and line: it is left out here (`left_out` counts it), never put on a folder."""
    found = sorted((f for f in unique(report) if not on_folder(f)),
                   key=lambda f: (f.path, f.anchor, f.rule_id, f.unit_id))
    names = {c.id: c.qualname or c.name for c in report.candidates}
    return "".join(f"{f.path}:{f.anchor}: {f.rule_id} {_said(f, names)}\n" for f in found)


def _said(f: Finding, names: dict[str, str]) -> str:
    """The message, its unit named first where it is not already: a module, a class in it, a
    method and a component can each hold the same rule's finding at one line."""
    name = names.get(f.unit_id) or UnitId.parse(f.unit_id).short
    message = _one_line(f.message)
    return message if message.startswith(name) else f"{name}: {message}"


def left_out(report: Report) -> int:
    return sum(1 for f in unique(report) if on_folder(f))


def statistics(report: Report) -> str:
    """One line per rule that found something or had something suppressed: the count, the id,
    the rule's name, and how many were suppressed; most frequent first."""
    counts = Counter(f.rule_id for f in unique(report))
    suppressed = report.summary.suppressed
    names = {r.id: r.name for r in report.rules}
    rows = sorted(set(counts) | set(suppressed), key=lambda rule: (-counts[rule], rule))
    width = max((len(str(counts[r])) for r in rows), default=1)
    return "".join(f"{counts[r]:>{width}}  {r:<6} {names.get(r, '')}{_suppressed(suppressed.get(r, 0))}\n"
                   for r in rows)


def _suppressed(n: int) -> str:
    return f" ({n} suppressed)" if n else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())
