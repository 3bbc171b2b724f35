"""Boundary stage: how each candidate meets the rest of the code.

Input: Groups, the unit index, the DependencyGraph and the callbacks the facts stage found.
Output: a Boundary per group: its entry points (members used from outside, with their
signatures), calls crossing in, calls crossing out (each one a callback into the host
language once the group is native), shared mutable state, and how many test units
reference it.

Module-level state counts as shared when some unit writes it and the group does not own
all of its users: a table only the group reads and writes moves with it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from typing import Mapping, Sequence

from analyzer.code.graph import DependencyGraph
from analyzer.model import Boundary, CodeUnit, Crossing, Edge, EntryPoint, Group, StateAccess, UnitFacts, UnitKind

LIST_CAP = 20


class _StateIndex:
    """Who touches each module-level global, and whether anyone writes it."""

    def __init__(self, units: Mapping[str, CodeUnit]):
        self.users: dict[str, set[str]] = defaultdict(set)
        self.written: set[str] = set()
        for unit in units.values():
            for access in unit.state:
                self.users[access.name].add(unit.id)
                if access.write:
                    self.written.add(access.name)

    def shared(self, members: frozenset[str], units: Mapping[str, CodeUnit]) -> list[StateAccess]:
        found = []
        for unit_id in sorted(members):
            for access in units[unit_id].state:
                if access.name in self.written and not self.users[access.name] <= members:
                    found.append(access)
        return found


def compute(groups: Sequence[Group], units: Mapping[str, CodeUnit], graph: DependencyGraph,
            facts: Mapping[str, UnitFacts]) -> dict[str, Boundary]:
    state = _StateIndex(units)
    return {g.id: _boundary(g, graph, units, state, facts) for g in groups}


def _boundary(group: Group, graph: DependencyGraph, units: Mapping[str, CodeUnit], state: _StateIndex,
              facts: Mapping[str, UnitFacts]) -> Boundary:
    members = frozenset(group.members)
    calls_in = graph.calls_into(group.members)
    leaving = graph.calls_leaving(group.members)
    callbacks = [Crossing(m, c.target, c.line, units[m].path, True)
                 for m in group.members for c in facts.get(m, UnitFacts()).callbacks]
    first_out = heapq.nsmallest(LIST_CAP, leaving, key=lambda e: _order(e, units))   # before making records
    entries = _entry_points(graph.uses_into(group.members), units)
    shared = state.shared(members, units)
    first_in = heapq.nsmallest(LIST_CAP, calls_in, key=lambda e: _order(e, units))
    calls_out = heapq.nsmallest(LIST_CAP, [*(_crossing(e, units, True) for e in first_out), *callbacks],
                                key=lambda c: (c.path, c.line, c.source, c.target))
    return Boundary(
        entry_points=tuple(entries[:LIST_CAP]),
        calls_in=tuple(_crossing(e, units, False) for e in first_in),
        calls_out=tuple(calls_out),
        shared_state=tuple(shared[:LIST_CAP]), width=len(entries),
        calls_in_total=len(calls_in), calls_out_total=len(leaving) + len(callbacks),
        test_references=len(graph.test_users(group.members)),
        fan_in=len({e.source for e in calls_in}), fan_out=len({e.target for e in leaving}),
        callbacks_total=len(callbacks))


def _crossing(edge: Edge, units: Mapping[str, CodeUnit], callback: bool) -> Crossing:
    return Crossing(edge.source, edge.target, edge.line, units[edge.source].path, callback)


def _order(edge: Edge, units: Mapping[str, CodeUnit]):
    return (units[edge.source].path, edge.line, edge.source, edge.target)


def _entry_points(uses: list[Edge], units: Mapping[str, CodeUnit]) -> list[EntryPoint]:
    """Members used from outside, called or imported by name; `callers` counts the units that
    call them (an import alone is a use, not a call)."""
    used: set[str] = set()
    callers: dict[str, set[str]] = defaultdict(set)
    for edge in uses:
        if units[edge.target].kind != UnitKind.MODULE:
            used.add(edge.target)
            if edge.kind.is_call:
                callers[edge.target].add(edge.source)
    return [EntryPoint(uid, signature(units[uid], units), len(callers.get(uid, ()))) for uid in sorted(used)]


def signature(unit: CodeUnit, units: Mapping[str, CodeUnit]) -> str:
    """`decode(data: bytes, strict=...) -> list`, as a reader of the API would write it."""
    if unit.kind == UnitKind.CLASS:
        init = units.get(f"{unit.id}.__init__")
        params = init.params[1:] if init else ()
        return f"{unit.qualname}({_params(params)})"
    params = unit.params
    if params and unit.parent and units.get(unit.parent) and units[unit.parent].kind == UnitKind.CLASS \
            and "staticmethod" not in unit.decorators:
        params = params[1:]
    returns = f" -> {unit.returns}" if unit.returns else ""
    return f"{unit.qualname}({_params(params)}){returns}"


def _params(params) -> str:
    shown = []
    for p in params:
        stars = "*" if p.kind == "var_positional" else "**" if p.kind == "var_keyword" else ""
        text = f"{stars}{p.name}" + (f": {p.annotation}" if p.annotation else "")
        shown.append(text + ("=..." if p.default else ""))
    return ", ".join(shown)
