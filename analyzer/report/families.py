"""Families of candidates: a function, the class and module that hold it, and the components
and packages whose files hold it are one finding seen at several sizes. A reader wants the
best of each family once, with its relatives named under it; the JSON keeps every row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from analyzer.model import GroupKind

RELATIVES = 3   # relatives named on a family's row; the rest are counted


@dataclass(frozen=True, slots=True)
class Family:
    """A Candidate (or a pull request's Shift: anything with id, kind, path and lines, and
    members when it spans files) with its relatives."""
    head: Any                   # the best-ranked of the family
    relatives: tuple[Any, ...]  # ranked lower, each holding the head or held by it


def fold(candidates: Sequence[Any], top: int) -> tuple[Family, ...]:
    """The first `top` families, in the order given (best first). A candidate joins the first
    shown family whose head holds it or is held by it; siblings (two functions of one module)
    stay apart. Heads are indexed by file, so a candidate meets only heads that share one."""
    heads: list = []
    relatives: dict[str, list] = {}
    by_file: dict[str, list[int]] = {}   # file -> positions in heads of the heads touching it
    for c in candidates:
        near = sorted({i for path in _files(c) for i in by_file.get(path, ())})
        head = next((heads[i] for i in near if _holds(heads[i], c) or _holds(c, heads[i])), None)
        if head is not None:
            relatives[head.id].append(c)
        elif len(heads) < top:
            for path in _files(c):
                by_file.setdefault(path, []).append(len(heads))
            heads.append(c)
            relatives[c.id] = []
    return tuple(Family(h, tuple(relatives[h.id])) for h in heads)


def _files(c) -> tuple[str, ...]:
    return tuple(c.members) if GroupKind(c.kind).spans_files else (c.path,)


def _holds(outer, inner) -> bool:
    """Whether `inner`'s code lies inside `outer`'s: by files for packages and components,
    by lines within one file for modules, classes and functions."""
    if outer.id == inner.id:
        return False
    if GroupKind(outer.kind).spans_files:
        inside = _files(inner)
        return bool(inside) and set(inside) <= set(outer.members)
    if GroupKind(inner.kind).spans_files or inner.path != outer.path:
        return False
    return outer.lines[0] <= inner.lines[0] and inner.lines[1] <= outer.lines[1]

