"""Nouns of the graph stage: one dependency between two units, and the calls it resolved."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model._pickle import compact
from analyzer.model.kinds import EdgeKind


@compact   # 210k of them on kafka: the faster constructor
@dataclass(frozen=True, slots=True)
class Edge:
    """One unit depending on another: a call, an instantiation, an import of its module, or
    an import of the unit by name."""
    source: str
    target: str
    line: int
    depth: int                  # loop depth of a call site; 0 for imports
    kind: EdgeKind
    approx: bool = False        # resolved through a type guessed by simple name
    call: str = ""              # the call's target as written (CallSite.target), for calls
    cold: bool = False          # made on an exception path


# The call sites the graph linked into the repository, as (unit id, line, target as written):
# the facts stage leaves them out, so a call is never also a call into a library or a callback.
ResolvedCalls = frozenset[tuple[str, int, str]]
