"""Applying the scan's mechanical fixes to the files (`rustscout fix`), safely.

- A file is patched only while it holds the bytes the scan made its fixes from (git's blob
  id, `Fix.base`): a file changed since is left alone, and so are a symbolic link and a path
  outside the root.
- One file's fixes are applied together, in line order. Equal edits (two fixes adding the
  same import) are made once; insertions before the same line follow each other in that
  order; a fix whose edits overlap an earlier fix's is skipped: scanning again makes it anew
  against the patched file.
- A Python file is parsed (never run) once patched; one that would not parse is left alone.
- Each file is replaced atomically, and only if it still holds the scan's bytes right then.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Sequence

from analyzer.fixes.propose import blob_id
from analyzer.infra.files import replace_bytes
from analyzer.model import Fix, LineEdit
from analyzer.parse.edits import Edit, Text, apply, split_lines, unified_diff

CHANGED = "the file changed since the scan read it; scan again"


@dataclass(frozen=True, slots=True)
class Outcome:
    fix: Fix
    reason: str = ""            # why it was skipped; empty when it applies

    @property
    def applied(self) -> bool:
        return not self.reason


@dataclass(frozen=True, slots=True)
class FilePatch:
    """One file: its text as the scan read it, the edits of the fixes that apply, and what
    became of each fix."""
    path: str
    before: str
    edits: tuple[Edit, ...]
    outcomes: tuple[Outcome, ...]

    def after(self) -> str:
        return apply(self.before, self.edits)

    def diff(self) -> str:
        return unified_diff(self.path, Text.of(self.before), self.edits) if self.edits else ""


def unique(fixes: Sequence[Fix]) -> list[Fix]:
    """The mechanical fixes, each once (a function's fix is also its module's and component's),
    by file and line."""
    seen = {(f.path, f.rule_id, f.line, f.edits): f for f in fixes if f.edits and f.path}
    return sorted(seen.values(), key=lambda f: (f.path, f.line, f.rule_id, f.edits))


def plan(root: Path, fixes: Sequence[Fix]) -> list[FilePatch]:
    """What applying `fixes` to the files under `root` would do; nothing is written."""
    return [_file(root, path, list(group)) for path, group in groupby(unique(fixes), key=lambda f: f.path)]


def write(root: Path, patches: Sequence[FilePatch]) -> list[FilePatch]:
    """Replace each patched file; a file that changed meanwhile keeps its bytes, and its
    fixes come back skipped."""
    done = []
    for patch in patches:
        if patch.edits and not replace_bytes(root / patch.path, patch.after().encode("utf-8"),
                                             still=lambda old, p=patch: old == p.before.encode("utf-8")):
            patch = _skipped(patch, CHANGED)
        done.append(patch)
    return done


def _file(root: Path, path: str, fixes: list[Fix]) -> FilePatch:
    target = root / path
    problem = _unsafe(root, target)
    if problem:
        return FilePatch(path, "", (), tuple(Outcome(f, problem) for f in fixes))
    data = target.read_bytes()
    if any(blob_id(data) != f.base for f in fixes):
        return FilePatch(path, "", (), tuple(Outcome(f, CHANGED) for f in fixes))
    before = data.decode("utf-8")
    edits, outcomes = compose(fixes)
    patch = FilePatch(path, before, tuple(edits), tuple(outcomes))
    if path.endswith(".py") and edits and not _parses(patch.after()):
        return _skipped(patch, "the patched file would not parse; left as it is")
    return patch


def _unsafe(root: Path, target: Path) -> str:
    if target.is_symlink():
        return "a symbolic link; not rewritten"
    if not target.is_file():
        return "no longer exists"
    if not target.resolve().is_relative_to(root.resolve()):
        return "outside the repository; not rewritten"
    return ""


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _skipped(patch: FilePatch, reason: str) -> FilePatch:
    return FilePatch(patch.path, patch.before, (), tuple(Outcome(o.fix, o.reason or reason) for o in patch.outcomes))


def compose(fixes: Sequence[Fix]) -> tuple[list[Edit], list[Outcome]]:
    """The edits of one file's fixes, made against the same text, as one set of edits."""
    accepted: list[LineEdit] = []
    outcomes = []
    for fix in fixes:
        clash = next((a for e in fix.edits for a in accepted if a != e and _overlap(a, e)), None)
        if clash is not None:
            owner = next(f for f in fixes if clash in f.edits)
            outcomes.append(Outcome(fix, f"overlaps the {owner.rule_id} fix at line {owner.line}; "
                                         "run `rustscout fix` again for it"))
            continue
        accepted += [e for e in fix.edits if e not in accepted]
        outcomes.append(Outcome(fix))
    return _merged(accepted), outcomes


def _overlap(a: LineEdit, b: LineEdit) -> bool:
    """Two replacements sharing a line, or an insertion inside a replacement (not at its
    edges); insertions never overlap each other."""
    if a.last < a.first and b.last < b.first:
        return False
    if a.last < a.first or b.last < b.first:
        point, span = (a.first, b) if a.last < a.first else (b.first, a)
        return span.first < point <= span.last
    return a.first <= b.last and b.first <= a.last


def _merged(edits: list[LineEdit]) -> list[Edit]:
    """Insertions before the same line become one, in the order they were accepted; a blank
    line that sets off the first (before hoisted constants) does not repeat between them."""
    out: dict[tuple[int, int], list[str]] = {}
    for e in edits:
        lines, new = out.setdefault((e.first, e.last), []), split_lines(e.text)
        if lines and new and not lines[0].strip() and not new[0].strip():
            new = new[1:]
        lines.extend(new)
    return [Edit(first, last, tuple(lines)) for (first, last), lines in sorted(out.items())]
