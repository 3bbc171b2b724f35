"""Coverage reports onto units: which of a unit's lines and branches the tests run.

Files of the reports are matched to scanned files by path suffix (paths.py); a report path that
matches several scanned files equally is left out. Several reports merge by union: a line runs
if any report ran it, and a line's branches are those of the report with the most.

Per unit: the measurable lines inside its line range (nested units included), how many ran,
branches taken of branches, and the ranges of lines never run. A range spans the measurable
lines between two run lines: lines 40, 41 and 43 missed with 42 blank read "40-43".
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.evidence.paths import PathMatcher
from analyzer.evidence.coverage.lines import LineSet
from analyzer.model import CodeUnit, FileError
from analyzer.model.runtime import CoverageReport, CoverageSummary, FileCoverage, UnitCoverage

MAX_UNMAPPED_LISTED = 10


@dataclass(frozen=True, slots=True)
class _Merged:
    coverage: FileCoverage
    measurable: tuple[int, ...]
    run: frozenset[int]
    branch_lines: tuple[int, ...]
    source: str


@dataclass(frozen=True, slots=True)
class Covered:
    units: dict[str, UnitCoverage]
    summary: CoverageSummary
    errors: tuple[FileError, ...]


def cover(reports: Sequence[CoverageReport], units: Sequence[CodeUnit], root: str | None = None) -> Covered:
    matcher = PathMatcher(sorted({unit.path for unit in units}), root)
    merged, unmapped, total, errors = _merge(reports, matcher)
    result = {}
    for unit in sorted(units, key=lambda u: u.id):
        if unit.path in merged:
            result[unit.id] = _unit(unit, merged[unit.path])
    summary = CoverageSummary(tuple((report.path, report.tool) for report in reports), total,
                              total - len(unmapped), tuple(sorted(unmapped))[:MAX_UNMAPPED_LISTED])
    return Covered(result, summary, errors)


def _merge(reports: Sequence[CoverageReport], matcher: PathMatcher):
    lines: dict[str, LineSet] = defaultdict(LineSet)
    sources: dict[str, list[str]] = defaultdict(list)
    unmapped: set[str] = set()
    errors = []
    for report in reports:
        if not _add_report(report, matcher, lines, sources, unmapped) and report.files:
            errors.append(FileError(report.path, f"no file of the report matches a file of this scan "
                                    f"(first: {report.files[0].path}); is it a report of this repository?", "coverage"))
    merged = {path: _built(path, line_set, "; ".join(sources[path])) for path, line_set in lines.items()}
    total = len({file.path for report in reports for file in report.files})
    return merged, unmapped, total, tuple(errors)


def _add_report(report: CoverageReport, matcher: PathMatcher, lines: dict[str, LineSet],
                sources: dict[str, list[str]], unmapped: set[str]) -> int:
    """Adds the report's files that match one scanned file each; returns how many did."""
    matched, name = 0, f"{report.tool}, {report.path}"
    for file in report.files:
        found = matcher.match(file.path)
        if len(found) != 1:
            unmapped.add(file.path)
            continue
        matched += 1
        _add(lines[found[0]], file)
        if name not in sources[found[0]]:
            sources[found[0]].append(name)
    return matched


def _add(lines: LineSet, file: FileCoverage) -> None:
    for number in file.executed:
        lines.line(number, True)
    for number in file.missed:
        lines.line(number, False)
    for number, taken, total in file.branches:
        lines.branch(number, taken, total)


def _built(path: str, lines: LineSet, source: str) -> _Merged:
    coverage = lines.build(path)
    return _Merged(coverage, tuple(sorted(coverage.executed + coverage.missed)), frozenset(coverage.executed),
                   tuple(line for line, _, _ in coverage.branches), source)


def _unit(unit: CodeUnit, merged: _Merged) -> UnitCoverage:
    coverage = merged.coverage
    run = bisect_right(coverage.executed, unit.end) - bisect_left(coverage.executed, unit.start)
    lo, hi = bisect_left(merged.measurable, unit.start), bisect_right(merged.measurable, unit.end)
    first, last = bisect_left(merged.branch_lines, unit.start), bisect_right(merged.branch_lines, unit.end)
    branches = [(taken, total) for _, taken, total in coverage.branches[first:last]]
    return UnitCoverage(
        unit_id=unit.id, lines_run=run, lines_total=hi - lo,
        branches_run=sum(taken for taken, _ in branches) if branches else None,
        branches_total=sum(total for _, total in branches) if branches else None,
        never_run=_never_run(merged.measurable[lo:hi], merged.run),
        source=merged.source)


def _never_run(measurable: Sequence[int], executed: frozenset[int]) -> tuple[tuple[int, int], ...]:
    ranges: list[tuple[int, int]] = []
    start = previous = None
    for line in measurable:
        if line in executed:
            if start is not None:
                ranges.append((start, previous))
            start = None
            continue
        start = line if start is None else start
        previous = line
    if start is not None:
        ranges.append((start, previous))
    return tuple(ranges)


def of_groups(coverage: Mapping[str, UnitCoverage], groups: Mapping[str, Sequence[str]]) -> dict[str, UnitCoverage]:
    """Each group's coverage: its own unit's when the group is one unit; else the sum over its
    member modules (one per file, so no line counts twice). Ranges never run are per file, so a
    group spanning files lists none."""
    found = {}
    for group_id, members in groups.items():
        if group_id in coverage:
            found[group_id] = coverage[group_id]
            continue
        parts = [coverage[m] for m in members if "::" not in m and m in coverage]
        if parts:
            found[group_id] = _summed(group_id, parts)
    return found


def _summed(group_id: str, parts: Sequence[UnitCoverage]) -> UnitCoverage:
    with_branches = [p for p in parts if p.branches_total is not None]
    return UnitCoverage(
        unit_id=group_id, lines_run=sum(p.lines_run for p in parts), lines_total=sum(p.lines_total for p in parts),
        branches_run=sum(p.branches_run or 0 for p in with_branches) if with_branches else None,
        branches_total=sum(p.branches_total or 0 for p in with_branches) if with_branches else None,
        never_run=(), source=", ".join(sorted({p.source for p in parts})))
