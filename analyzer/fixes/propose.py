"""The fixes of the candidates whose verdict is fix-in-place-first.

Input: the judgements, rules, the parsed files, and a way to read a file's bytes by path
(files are read again only for candidates that have a mechanical fix; without a reader,
fixes are listed without patches). Output: for each such candidate, its fixes: a rule, a
line, what to do, and for mechanical fixes a unified diff against the file as it is, which
`git apply` accepts.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

from analyzer.fixes import codemods
from analyzer.model import CodeUnit, Effect, Finding, Fix, Judgement, ParsedFile, Rule, Verdict
from analyzer.parse.edits import Text, unified_diff

Source = Callable[[str], bytes]


def propose(judged: Sequence[Judgement], rules: Sequence[Rule], parsed: Sequence[ParsedFile],
            source: Source | None) -> dict[str, tuple[Fix, ...]]:
    by_id = {r.id: r for r in rules}
    files = {pf.file.path: pf for pf in parsed}
    units = {u.id: u for pf in parsed for u in pf.units}
    chosen = [j for j in judged if j.verdict == Verdict.FIX_IN_PLACE_FIRST]
    wanted = {(by_id[f.rule_id].fix, f.unit_id) for j in chosen for f in _fixable(j.findings)
              if by_id[f.rule_id].fix and f.unit_id in units and source is not None}
    # file by file, so each file is read and parsed once however many of its units get a fix
    sources: dict[str, Text | None] = {}
    patches = {(fix, uid): _patch(fix, units[uid], files[units[uid].path], source, sources)
               for fix, uid in sorted(wanted, key=lambda k: (units[k[1]].path, k))}
    return {j.group.id: tuple(Fix(f.rule_id, f.line, by_id[f.rule_id].summary,
                                  patches.get((by_id[f.rule_id].fix, f.unit_id)))
                              for f in _fixable(j.findings)) for j in chosen}


def _fixable(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.effect == Effect.FIX_IN_PLACE]


def _patch(fix: str, unit: CodeUnit, parsed: ParsedFile, source: Source, sources: Mapping) -> str | None:
    if unit.path not in sources:
        try:
            sources[unit.path] = Text.of(source(unit.path).decode("utf-8"))
        except (OSError, UnicodeDecodeError):
            sources[unit.path] = None
    text = sources[unit.path]
    found = codemods.apply(fix, text, unit, parsed) if text is not None else None
    return unified_diff(unit.path, text, found) if found else None
