"""Boundary stage: how each candidate meets the rest of the code.

Input: Groups, the DependencyGraph, ParsedFiles and the callbacks the facts stage found.
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

from analyzer.graph import DependencyGraph, Site
from analyzer.model import (Boundary, CodeUnit, Crossing, EntryPoint, Group, ParsedFile, StateAccess,
                            UnitFacts)

LIST_CAP = 20
CALL_KINDS = ("call", "instantiate")


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


def compute(groups: Sequence[Group], graph: DependencyGraph, parsed: Sequence[ParsedFile],
            facts: Mapping[str, UnitFacts]) -> dict[str, Boundary]:
    units = graph.units
    state = _StateIndex(units)
    return {g.id: _boundary(g, graph, units, state, facts) for g in groups}


def _boundary(group: Group, graph: DependencyGraph, units: Mapping[str, CodeUnit], state: _StateIndex,
              facts: Mapping[str, UnitFacts]) -> Boundary:
    members = frozenset(group.members)
    inbound = [s for m in group.members for s in graph.sites_into(m) if s.source not in members]
    from_code = [s for s in inbound if s.source not in graph.tests]
    calls_in = [s for s in from_code if s.kind in CALL_KINDS]
    leaving = [s for m in group.members for s in graph.sites_from(m)
               if s.target not in members and s.kind in CALL_KINDS]
    callbacks = [Crossing(m, c.target, c.line, units[m].path, True)
                 for m in group.members for c in facts.get(m, UnitFacts()).callbacks]
    first_out = heapq.nsmallest(LIST_CAP, leaving, key=lambda s: _order(s, units))   # before making records
    entries = _entry_points(from_code, units)
    shared = state.shared(members, units)
    tests = {s.source for s in inbound if s.source in graph.tests}
    first_in = heapq.nsmallest(LIST_CAP, calls_in, key=lambda s: _order(s, units))
    calls_out = heapq.nsmallest(LIST_CAP, [*(_crossing(s, units, True) for s in first_out), *callbacks],
                                key=lambda c: (c.path, c.line, c.source, c.target))
    return Boundary(
        entry_points=tuple(entries[:LIST_CAP]),
        calls_in=tuple(_crossing(s, units, False) for s in first_in),
        calls_out=tuple(calls_out),
        shared_state=tuple(shared[:LIST_CAP]), width=len(entries),
        calls_in_total=len(calls_in), calls_out_total=len(leaving) + len(callbacks), test_references=len(tests),
        fan_in=len({s.source for s in calls_in}), fan_out=len({s.target for s in leaving}))


def _crossing(site: Site, units: Mapping[str, CodeUnit], callback: bool) -> Crossing:
    return Crossing(site.source, site.target, site.line, units[site.source].path, callback)


def _order(site: Site, units: Mapping[str, CodeUnit]):
    return (units[site.source].path, site.line, site.source, site.target)


def _entry_points(sites: list[Site], units: Mapping[str, CodeUnit]) -> list[EntryPoint]:
    """Members used from outside, called or imported by name; `callers` counts the units that
    call them (an import alone is a use, not a call)."""
    used: set[str] = set()
    callers: dict[str, set[str]] = defaultdict(set)
    for site in sites:
        if units[site.target].kind != "module":
            used.add(site.target)
            if site.kind in CALL_KINDS:
                callers[site.target].add(site.source)
    return [EntryPoint(uid, signature(units[uid], units), len(callers.get(uid, ()))) for uid in sorted(used)]


def signature(unit: CodeUnit, units: Mapping[str, CodeUnit]) -> str:
    """`decode(data: bytes, strict=...) -> list`, as a reader of the API would write it."""
    if unit.kind == "class":
        init = units.get(f"{unit.id}.__init__")
        params = init.params[1:] if init else ()
        return f"{unit.qualname}({_params(params)})"
    params = unit.params
    if params and unit.parent and units.get(unit.parent) and units[unit.parent].kind == "class" \
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
