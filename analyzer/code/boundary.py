"""Boundary stage: how each candidate meets the rest of the code.

Input: Groups, the unit index, the DependencyGraph and the callbacks the facts stage found.
Output: a Boundary per group: its entry points (members used from outside, with their
signatures), calls crossing in, calls crossing out (each one a callback into the host
language once the group is native), shared mutable state, and how many test units
reference it.

Module-level state counts as shared when some unit writes it and the group does not own all
of its users or the module (Java: class) that declares it: a table only the group reads and
writes moves with it when the group holds its module, not when it is one function of it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from functools import cache
from operator import attrgetter
from typing import Mapping, Sequence

from analyzer.code.graph import DependencyGraph, call_weight
from analyzer.infra import split
from analyzer.model import Boundary, CodeUnit, Crossing, Edge, EntryPoint, Group, StateAccess, UnitFacts, UnitKind

LIST_CAP = 20


class _StateIndex:
    """Who touches each module-level global (or Java static field), whether anyone writes it,
    and where it lives: the module (or class) that declares it."""

    def __init__(self, units: Mapping[str, CodeUnit]):
        self.users: dict[str, set[str]] = defaultdict(set)
        self.written: set[str] = set()
        self.home: dict[str, str] = {}
        for unit in units.values():
            for access in unit.state:
                self.users[access.name].add(unit.id)
                if access.write:
                    self.written.add(access.name)
                if access.name not in self.home:
                    self.home[access.name] = _home(access.name, unit, units)

    def shared(self, members: frozenset[str], units: Mapping[str, CodeUnit]) -> list[StateAccess]:
        """Written state that code outside uses, or that lives outside: a function that bumps
        its module's counter must reach back into the module, even when nothing else reads it."""
        found = []
        for unit_id in sorted(members):
            for access in units[unit_id].state:
                name = access.name
                if name in self.written and (not self.users[name] <= members or self.home[name] not in members):
                    found.append(access)
        return found


def _home(name: str, unit: CodeUnit, units: Mapping[str, CodeUnit]) -> str:
    """The unit declaring the state: a Python global lives in the module of its users; a Java
    static field (`pkg.Outer.Inner.FIELD`) in the enclosing class of that name."""
    owner = name.rpartition(".")[0]
    node: CodeUnit | None = unit
    while node is not None:
        if node.language == "python" and node.kind == UnitKind.MODULE:
            return node.id
        if node.language == "java" and node.kind == UnitKind.CLASS and (owner == node.qualname
                                                                         or owner.endswith("." + node.qualname)):
            return node.id
        node = units.get(node.parent) if node.parent else None
    return unit.id   # not found: treat the state as its user's own


def compute(groups: Sequence[Group], units: Mapping[str, CodeUnit], graph: DependencyGraph,
            facts: Mapping[str, UnitFacts], trip: float) -> dict[str, Boundary]:
    return split.keyed(_Boundaries(units, graph, facts, trip).of, groups, attrgetter("id"))


class _Boundaries:
    """Every group's boundary from the same indexes. The lists are capped: a crossing is
    compared as its (path, line, source, target) and made a record only once among the first,
    and an entry's signature is written only when listed (once per unit: a unit is an entry
    of its function, class, package and component alike)."""

    def __init__(self, units: Mapping[str, CodeUnit], graph: DependencyGraph, facts: Mapping[str, UnitFacts],
                 trip: float):
        self.units, self.graph, self.facts, self.trip = units, graph, facts, trip
        self.state = _StateIndex(units)
        self.path = {uid: unit.path for uid, unit in units.items()}
        self.modules = frozenset(uid for uid, unit in units.items() if unit.kind == UnitKind.MODULE)
        self.signature = cache(lambda uid: signature(units[uid], units))

    def of(self, group: Group) -> Boundary:
        uses = self.graph.uses_into(group.members)
        calls_in = [e for e in uses if e.kind.is_call]   # calls_into's edges, in its order
        leaving = self.graph.calls_leaving(group.members)
        callbacks = self._callbacks(group.members)
        used, callers = self._used(uses)
        runs = self._runs(leaving)
        return Boundary(
            entry_points=tuple(EntryPoint(uid, self.signature(uid), len(callers.get(uid, ())))
                               for uid in used[:LIST_CAP]),
            calls_in=self._first(calls_in, (), False),
            calls_out=self._first(leaving, callbacks, True),
            shared_state=tuple(self.state.shared(frozenset(group.members), self.units)[:LIST_CAP]), width=len(used),
            calls_in_total=len(calls_in), calls_out_total=len(leaving) + len(callbacks),
            test_references=len(self.graph.test_users(group.members)),
            fan_in=len({e.source for e in calls_in}), fan_out=len(runs), callbacks_total=len(callbacks),
            most_called=_most_first(runs))

    def _runs(self, leaving: Sequence[Edge]) -> dict[str, float]:
        """Each target outside: how often one run of its callers calls it."""
        runs: dict[str, float] = defaultdict(float)
        trip = self.trip
        for edge in leaving:
            runs[edge.target] += call_weight(edge, trip)
        return runs

    def _callbacks(self, members: Sequence[str]) -> list[tuple[str, int, str, str]]:
        """Calls back into host code, each as (path, line, source, target)."""
        facts, path = self.facts, self.path
        return [(path[m], c.line, m, c.target) for m in members if m in facts for c in facts[m].callbacks]

    def _first(self, edges: Sequence[Edge], more: Sequence[tuple[str, int, str, str]],
               callback: bool) -> tuple[Crossing, ...]:
        """The first LIST_CAP crossings by (path, line, source, target): equal keys are equal records."""
        path = self.path
        keys = [(path[e.source], e.line, e.source, e.target) for e in edges]
        return tuple(Crossing(source, target, line, where, callback)
                     for where, line, source, target in heapq.nsmallest(LIST_CAP, [*keys, *more]))

    def _used(self, uses: list[Edge]) -> tuple[list[str], dict[str, set[str]]]:
        """Members used from outside, called or imported by name, in id order, and the units
        that call each (an import alone is a use, not a call)."""
        used: set[str] = set()
        callers: dict[str, set[str]] = defaultdict(set)
        for edge in uses:
            if edge.target not in self.modules:
                used.add(edge.target)
                if edge.kind.is_call:
                    callers[edge.target].add(edge.source)
        return sorted(used), callers


def _most_first(runs: Mapping[str, float]) -> tuple[str, ...]:
    """The first LIST_CAP targets, the most called first (ties by id)."""
    return tuple(heapq.nsmallest(LIST_CAP, runs, key=lambda target: (-runs[target], target)))


def signature(unit: CodeUnit, units: Mapping[str, CodeUnit]) -> str:
    """`decode(data: bytes, *, strict=...) -> list` or `int Codec.checksum(byte[] data, int seed)`,
    as a reader of the API would write it in the unit's own language."""
    if unit.language == "java":
        return _java_signature(unit)
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
    """Python's parameter list, with the `/` and `*` markers where the kinds change."""
    shown = []
    for i, p in enumerate(params):
        before = params[i - 1].kind if i else None
        if before == "positional_only" and p.kind != "positional_only":
            shown.append("/")
        if p.kind == "keyword" and before not in ("keyword", "var_positional"):
            shown.append("*")
        stars = "*" if p.kind == "var_positional" else "**" if p.kind == "var_keyword" else ""
        text = f"{stars}{p.name}" + (f": {p.annotation}" if p.annotation else "")
        shown.append(text + ("=..." if p.default else ""))
    if params and params[-1].kind == "positional_only":
        shown.append("/")
    return ", ".join(shown)


def _java_signature(unit: CodeUnit) -> str:
    """Java's own order (type, then name), every parameter: the unit id's erased types are no
    signature, and a method has no `self` to drop. Constructors read as `new Owner(...)`."""
    head = unit.qualname.partition("(")[0]
    if unit.kind == UnitKind.CLASS:
        return head
    params = ", ".join(_java_param(p) for p in unit.params)
    owner, _, name = head.rpartition(".")
    if name == "<init>":
        return f"new {owner}({params})"
    return f"{unit.returns + ' ' if unit.returns else ''}{head}({params})"


def _java_param(p) -> str:
    kind = p.annotation or "?"
    return f"{kind.removesuffix('[]')}... {p.name}" if p.kind == "var_positional" else f"{kind} {p.name}"
