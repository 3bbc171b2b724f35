"""Remedies stage: fixes for candidates whose verdict is fix-in-place-first.

Input: ranked Candidates, rules, the units, and a way to read a file's bytes by path (files
are read again only for candidates that have a mechanical fix; without a reader, fixes are
listed without patches). Output: the same candidates with `fixes` filled, each a rule, a
line, what to do, and for mechanical fixes a unified diff against the file as it is, which
`git apply` accepts.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Sequence

from analyzer.model import Candidate, CodeUnit, Fix, ParsedFile, Rule, Verdict
from analyzer.parse import codemods
from analyzer.parse.edits import Text, unified_diff


Source = Callable[[str], bytes]


def propose(candidates: Sequence[Candidate], rules: Sequence[Rule], parsed: Sequence[ParsedFile],
            source: Source | None) -> tuple[Candidate, ...]:
    by_id = {r.id: r for r in rules}
    files = {pf.file.path: pf for pf in parsed}
    units = {u.id: u for pf in parsed for u in pf.units}
    sources: dict[str, Text | None] = {}
    wanted = {(by_id[f.rule_id].fix, f.unit_id) for c in candidates if c.verdict == Verdict.FIX_IN_PLACE_FIRST
              for f in c.findings if f.effect == "fix-in-place" and by_id[f.rule_id].fix and f.unit_id in units
              and source is not None}
    # file by file, so each file is read and parsed once however many of its units get a fix
    patches = {(fix, uid): _patch(fix, units[uid], files[units[uid].path], source, sources)
               for fix, uid in sorted(wanted, key=lambda k: (units[k[1]].path, k))}
    out = []
    for candidate in candidates:
        if candidate.verdict != Verdict.FIX_IN_PLACE_FIRST:
            out.append(candidate)
            continue
        fixes = tuple(Fix(f.rule_id, f.line, by_id[f.rule_id].summary, patches.get((by_id[f.rule_id].fix, f.unit_id)))
                      for f in candidate.findings if f.effect == "fix-in-place")
        out.append(replace(candidate, fixes=fixes))
    return tuple(out)


def _patch(fix: str, unit: CodeUnit, parsed: ParsedFile, source: Source, sources: dict) -> str | None:
    if unit.path not in sources:
        try:
            sources[unit.path] = Text.of(source(unit.path).decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            sources[unit.path] = None
    text = sources[unit.path]
    found = codemods.apply(fix, text, unit, parsed) if text is not None else None
    return unified_diff(unit.path, text, found) if found else None
