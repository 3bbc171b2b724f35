"""The fixes of the candidates whose verdict is fix-in-place-first.

Input: the judgements, rules, the parsed files, and a way to read a file's bytes by path
(files are read again only for candidates that have a mechanical fix; without a reader,
fixes are listed without patches). Output: for each such candidate, its fixes: a rule, a
line, what to do, and for mechanical fixes a unified diff against the file as it is, which
`git apply` accepts, the same change as line edits, and the blob id of the bytes it was
made from (`rustscout fix` patches a file only while it still has those bytes).

The fixes of one file are made together, so that the names they introduce differ and any
of them can be applied with the others; each patch still applies on its own.
"""

from __future__ import annotations

import hashlib
from itertools import groupby
from typing import Callable, Sequence

from analyzer.fixes import codemods
from analyzer.model import CodeUnit, Effect, Finding, Fix, Judgement, LineEdit, ParsedFile, Rule, Verdict
from analyzer.parse.edits import Text, unified_diff, with_endings

Source = Callable[[str], bytes]
_Made = tuple[str, tuple[LineEdit, ...], str]    # (unified diff, line edits, blob id)


def propose(judged: Sequence[Judgement], rules: Sequence[Rule], parsed: Sequence[ParsedFile],
            source: Source | None) -> dict[str, tuple[Fix, ...]]:
    by_id = {r.id: r for r in rules}
    files = {pf.file.path: pf for pf in parsed}
    units = {u.id: u for pf in parsed for u in pf.units}
    chosen = [j for j in judged if j.verdict == Verdict.FIX_IN_PLACE_FIRST]
    wanted = {(by_id[f.rule_id].fix, f.unit_id) for j in chosen for f in _fixable(j.findings)
              if by_id[f.rule_id].fix and f.unit_id in units and source is not None}
    made: dict[tuple[str, str], _Made] = {}
    # file by file, so each file is read once however many of its units get a fix
    for path, keys in groupby(sorted(wanted, key=lambda k: (units[k[1]].path, units[k[1]].start, k)),
                              key=lambda k: units[k[1]].path):
        made.update(_file_patches(list(keys), units, files[path], source))
    return {j.group.id: tuple(_fix(f, by_id[f.rule_id], made.get((by_id[f.rule_id].fix, f.unit_id)))
                              for f in _fixable(j.findings)) for j in chosen}


def _fixable(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.effect == Effect.FIX_IN_PLACE]


def _fix(finding: Finding, rule: Rule, made: _Made | None) -> Fix:
    if made is None:
        return Fix(finding.rule_id, finding.line, rule.summary, None)
    patch, edits, base = made
    return Fix(finding.rule_id, finding.line, rule.summary, patch, finding.path, base, edits)


def _file_patches(keys: list[tuple[str, str]], units: dict[str, CodeUnit], parsed: ParsedFile,
                  source: Source) -> dict[tuple[str, str], _Made]:
    """Each (fix, unit) of one file, in line order, sharing the names they introduce."""
    try:
        data = source(parsed.file.path)
        text = Text.of(data.decode("utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}
    base, taken, made = blob_id(data), set(), {}
    for fix, uid in keys:
        found = codemods.apply(fix, text, units[uid], parsed, taken)
        if found:
            ended = with_endings(text, found)
            edits = tuple(LineEdit(e.first, e.last, "".join(e.lines)) for e in sorted(ended, key=lambda e: (e.first, e.last)))
            made[(fix, uid)] = (unified_diff(parsed.file.path, text, found), edits, base)
    return made


def blob_id(data: bytes) -> str:
    """git's id of a file's bytes (`git hash-object FILE`)."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()
