"""Suppressed findings, ruff's model: a suppressed finding is gone. It is not listed, it does not
decide a verdict or weigh on feasibility, and it does not put its group on the shortlist; the
summary counts it. What the finding only reports (callbacks cost crossings, time waits on
I/O) is a fact of the code and keeps shaping the score.

A finding is suppressed by
- a directive (parse/directives.py) on its line (the line reports point at: the evidence's
  first line, else its unit's first line);
- a directive on the `def`/`class` line of its unit or of a unit around it (a class's
  directive covers its methods); a module has no such line (its findings without evidence
  lines point at line 1, where a directive can stand alone);
- `per_path_ignores` (configuration): a glob, as `--include` reads it, matching the
  finding's path (a file, or the folder of a package or component).
Each names rule ids or prefixes, or (a bare directive) every rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.inventory import glob_match
from analyzer.model import CodeUnit, Finding, ParsedFile, UnitKind
from analyzer.ruleset.select import matches

_HEADED = (UnitKind.FUNCTION, UnitKind.CLASS)


@dataclass(frozen=True, slots=True)
class Suppressor:
    directives: Mapping[str, Mapping[int, tuple[str, ...]]]   # path -> line -> rule ids or prefixes (() all)
    units: Mapping[str, CodeUnit]
    per_path: tuple[tuple[str, tuple[str, ...]], ...]

    def split(self, findings: Sequence[Finding]) -> tuple[tuple[Finding, ...], tuple[Finding, ...]]:
        """(kept, suppressed), each in the order given."""
        kept, gone = [], []
        for finding in findings:
            (gone if self.suppresses(finding) else kept).append(finding)
        return tuple(kept), tuple(gone)

    def suppresses(self, finding: Finding) -> bool:
        if any(matches(finding.rule_id, rules) and glob_match(glob, finding.path) for glob, rules in self.per_path):
            return True
        marked = self.directives.get(finding.path)
        if not marked:
            return False
        return any(_names(marked.get(line), finding.rule_id) for line in self._lines(finding))

    def _lines(self, finding: Finding) -> list[int]:
        """Its line, and the `def`/`class` lines of its unit and the units around it."""
        lines, unit = [finding.anchor], self.units.get(finding.unit_id)
        while unit is not None and unit.kind in _HEADED:
            lines.append(unit.start)
            unit = self.units.get(unit.parent) if unit.parent else None
        return lines


def _names(rules: tuple[str, ...] | None, rule_id: str) -> bool:
    return rules is not None and (not rules or matches(rule_id, rules))


def build(parsed: Sequence[ParsedFile], units: Mapping[str, CodeUnit],
          per_path: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Suppressor:
    marked = {pf.file.path: dict(pf.directives) for pf in parsed if pf.directives and pf.ranked}
    return Suppressor(marked, units, per_path)


def counted(suppressed: Sequence[Finding]) -> dict[str, int]:
    """Suppressed findings per rule, each finding once, by rule id."""
    by_rule: dict[str, int] = {}
    for key in sorted({(f.rule_id, f.unit_id) for f in suppressed}):
        by_rule[key[0]] = by_rule.get(key[0], 0) + 1
    return by_rule
