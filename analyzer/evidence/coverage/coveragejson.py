"""coverage.py's JSON report (`coverage json`).

    {"meta": {"format": 3, "version": "7.6.1", "branch_coverage": true, ...},
     "files": {"pkg/codec.py": {"executed_lines": [1, 3, 5], "missing_lines": [6],
                                "executed_branches": [[5, 6]], "missing_branches": [[5, 8]], ...}}}

Branches are arcs (from line, to line); a line's branches are the arcs leaving it.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.evidence.coverage.lines import LineSet
from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.readers.textfile import load_json
from analyzer.model.runtime import CoverageReport


def read(path: Path) -> CoverageReport:
    document = load_json(path)
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        raise EvidenceError("not a coverage.py JSON report: no files object")
    built = tuple(_file(name, files[name]).build(name) for name in sorted(files))
    return CoverageReport(str(path), "coverage.py JSON", built)


def _file(name: str, data: object) -> LineSet:
    lines = LineSet()
    executed, missing = _numbers(data, "executed_lines", name), _numbers(data, "missing_lines", name)
    for number in executed:
        lines.line(number, True)
    for number in missing:
        lines.line(number, False)
    taken, possible = _arcs(data, "executed_branches", name), _arcs(data, "missing_branches", name)
    for line in sorted(set(possible) | set(taken)):
        lines.branch(line, taken.get(line, 0), taken.get(line, 0) + possible.get(line, 0))
    return lines


def _numbers(data: object, key: str, name: str) -> list[int]:
    values = data.get(key, []) if isinstance(data, dict) else None
    if not isinstance(values, list) or not all(isinstance(v, int) for v in values):
        raise EvidenceError(f"file {name!r:.80}: {key} is not a list of line numbers")
    return values


def _arcs(data: object, key: str, name: str) -> dict[int, int]:
    counts: dict[int, int] = {}
    for arc in data.get(key, []) if isinstance(data, dict) else ():
        if not (isinstance(arc, list) and len(arc) == 2 and all(isinstance(v, int) for v in arc)):
            raise EvidenceError(f"file {name!r:.80}: {key} holds something that is not a [from, to] pair")
        if arc[0] > 0:
            counts[arc[0]] = counts.get(arc[0], 0) + 1
    return counts
