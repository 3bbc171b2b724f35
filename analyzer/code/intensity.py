"""Intensity and reach of every group: what one call into it costs, what a port would save
of that, and how much traffic can reach it. A library has no single program, so nothing here
is a share of a whole-program time.

Per call, in interpreter-operation units (figures in rules/catalogs/costs.yaml):
- a unit's inclusive work = its own work (observations weighted by trip ** loop depth; a loop
  over a data-sized input counts two levels) + for each call site into the repository,
  trip ** depth x the callee's inclusive work (recursion: the callee's own work once more);
- an entry of a group is a member called from outside the group, or called by nothing in the
  repository (a library's public entry: its users call it);
- saved = the sum over kinds of work x (1 - 1/gain): what a port of the whole call tree could
  take out (core speedup = work / (work - saved));
- inside = the same with the calls that leave the group kept in the host language (each a
  callback): what a port of the group as drawn takes out, before paying its crossings.

Reach of an entry: its call sites from outside the group, each weighing trip ** (loops around
it) (the exception paths of one caller together one chance in trip), an import of the name
once; one when nothing calls it (one chance in trip for a diagnostic or cleanup hook). A unit
only exception paths, such hooks and process entries reach (graph: rare_only) gets one chance
in trip per caller. The group speaks through the entry with the most saved work x reach x boundary.
"""

from __future__ import annotations

import math
from collections import defaultdict
from operator import attrgetter
from typing import Mapping, Sequence

from analyzer.code.graph import DependencyGraph, call_weight
from analyzer.code.graph.facade import NATIVE_CALL, RECURSION_FACTOR
from analyzer.code.offpath import PROTOCOL
from analyzer.infra import split
from analyzer.model import CALLBACK, CodeUnit, Edge, Group, Heat, Intensity, UnitKind
from analyzer.ruleset.costs import CostModel

WORK_CAP = 1e15           # deep chains of loops cannot make one call cost more than this
FRESH_WALKS = 64          # recursions up to this size are walked from each member (larger: one shared walk)
MIN_BOUNDARY = 0.2        # a wrapper around a kernel keeps a fifth: it leads to the kernel
Kinds = Mapping[str, float]


def boundary_kept(x: Intensity) -> float:
    """How much of the core speedup the boundary as drawn keeps, on a log scale, in
    [MIN_BOUNDARY, 1]: 1 when crossings and calls leaving the group cost nothing."""
    core = x.core_speedup
    if core <= 1:
        return MIN_BOUNDARY
    return min(1.0, max(MIN_BOUNDARY, math.log(max(x.speedup, 1.0)) / math.log(core)))


def magnitude(x: Intensity) -> float:
    """log10 of the operations a port saves per use of the candidate's callers."""
    return saving_magnitude(x.reached_saved)


def saving_magnitude(saved: float) -> float:
    return math.log10(1 + saved)


def traffic(x: Intensity) -> float:
    """log10 of the operations one use of its callers runs in the candidate (ported or not),
    through whichever entry is busiest (not only the one that speaks for it)."""
    return math.log10(1 + max(x.busiest, x.reach * x.work))


class Intensities:
    """Each group's intensity, worked out when first asked (on two cores for many groups), and
    a cheap bound of it: what a port could save at most per use of its callers, the best of its
    entries' whole call trees (an entry's reach times what its call tree saves; the intensity
    takes one entry's, so it never exceeds the bound). The shortlist needs the intensities of
    only the groups it may judge: it walks groups in order of their bounds (score/shortlist.py)."""

    def __init__(self, units: Mapping[str, CodeUnit], heat: Heat, graph: DependencyGraph, model: CostModel):
        self.units, self.heat, self.graph, self.model = units, heat, graph, model
        self.whole = _Totals(inclusive_work(units, heat, graph, model), units, model)
        self.nested = nested_defs(units)
        self.entries = _Entries(units, graph, model)
        self.found: dict[str, Intensity] = {}

    def of(self, groups: Sequence[Group]) -> dict[str, Intensity]:
        missing = [g for g in groups if g.id not in self.found]
        self.found.update(split.keyed(self._intensity, missing, attrgetter("id")))
        return {g.id: self.found[g.id] for g in groups}

    def worked_out(self, groups: Sequence[Group]) -> dict[str, Intensity]:
        """The intensities of those of `groups` asked for so far, in their order."""
        return {g.id: self.found[g.id] for g in groups if g.id in self.found}

    def bounds(self, groups: Sequence[Group]) -> list[float]:
        return split.per_item(self._bound, groups)

    def _bound(self, group: Group) -> float:
        entries = self.entries.of(group)
        return max((reach * self.whole.of(uid)[2] for uid, reach in entries), default=0.0)

    def _intensity(self, group: Group) -> Intensity:
        return _intensity(group, self.units, self.heat, self.graph, self.model, self.whole, self.nested,
                          self.entries.of(group), self.entries.public(group))


def inclusive_work(units: Mapping[str, CodeUnit], heat: Heat, graph: DependencyGraph,
                   model: CostModel) -> dict[str, Kinds]:
    """Work per call of every unit with its whole call tree in the repository, by kind.
    Callees come first; units that call each other (recursion) are walked together."""
    done: dict[str, Kinds] = {}
    nested = nested_defs(units)
    for scc in graph.callees_first():
        if len(scc) == 1:   # most units: no walker needed
            done[scc[0]] = _alone(scc[0], heat, model.costs.get(units[scc[0]].language, {}), done)
            continue
        members, language = frozenset(scc), units[scc[0]].language
        shared = _Walk(members, heat, nested, model, language, outside=done)
        for uid in scc:   # each entry of a recursion walked from itself: the cut falls where it comes back
            walk = shared if len(scc) > FRESH_WALKS else _Walk(members, heat, nested, model, language, outside=done)
            done[uid] = walk.inclusive(uid)
    return done


def _alone(uid: str, heat: Heat, table, done: Mapping[str, Kinds]) -> Kinds:
    """The inclusive work of a unit in no recursion with others: what _Walk would add up."""
    cost = heat.costs.get(uid)
    if cost is None:
        return {}
    kinds: dict[str, float] = defaultdict(float, cost.by_kind)
    for target, weight, name in cost.calls:
        spec = table.get(name)
        kinds[spec.kind if spec else "call"] += weight * (spec.cost if spec else 0.0)
        callee = cost.by_kind if target == uid else done.get(target, {})
        factor = RECURSION_FACTOR if target == uid else weight
        for kind, value in callee.items():
            kinds[kind] += factor * value
    return {k: min(v, WORK_CAP) for k, v in kinds.items()}


def _intensity(group: Group, units: Mapping[str, CodeUnit], heat: Heat, graph: DependencyGraph, model: CostModel,
               whole: "_Totals", nested: Mapping[str, list[str]], entries: list[tuple[str, float]],
               public: bool) -> Intensity:
    members = frozenset(group.members)
    walk = _Walk(members, heat, nested, model, group.language)
    best, best_value, busiest, bounds = None, (-1.0, ""), 0.0, []
    for uid, reach in entries:
        _, work, saved = whole.of(uid)
        busiest = max(busiest, reach * work)
        bounds.append((reach * saved, uid, reach))
    # The boundary keeps at most all of what an entry saves: once that bound falls below the
    # best found, no entry left can speak for the group (a package has hundreds of entries).
    for bound, uid, reach in sorted(bounds, reverse=True):
        if (bound, uid) < best_value:
            break
        found = _entry_intensity(group, uid, reach, walk, whole, model)
        value = (found.reached_saved * boundary_kept(found), uid)
        if value > best_value:
            best, best_value = found, value
    outside = [e for m in group.members for e in graph.callers_of(m) if e.source not in members]
    base = best or Intensity(group.id, None, {}, 0.0, 0.0, 0.0, 0.0, 1.0, 0, 0, 0, False)
    return Intensity(group.id, base.entry, base.by_kind, base.work, base.saved, base.inside_saved, base.crossing,
                     base.reach, len(outside), sum(1 for e in outside if e.depth > 0),
                     len({units[e.source].path for e in outside if e.source in units}), public, busiest)


class _Entries:
    """A group's entries (functions called from outside it, or by nothing; nested functions
    run as part of their parent, never as entries of their own), each with its reach; with
    none, its first function stands for it. Memoised: the bounds and the intensity of a group
    both ask, and a unit is a member of several groups (its class, package, component), where
    its reach is the same whenever all of its callers are outside the group."""

    def __init__(self, units: Mapping[str, CodeUnit], graph: DependencyGraph, model: CostModel):
        self.graph, self.model = graph, model
        self.sources = {u: frozenset(e.source for e in graph.callers_of(u))   # function -> its callers
                        for u, unit in units.items() if unit.kind == UnitKind.FUNCTION}
        self.parent_function = {u: unit.parent for u, unit in units.items() if unit.parent in self.sources}
        self.all_outside: dict[str, float] = {}           # function -> its reach when no caller is a member
        # by members, not id: two Java packages in one folder are two groups with one id
        self.found: dict[tuple[str, ...], list[tuple[str, float]]] = {}

    def of(self, group: Group) -> list[tuple[str, float]]:
        found = self.found.get(group.members)
        if found is None:
            found = self.found[group.members] = self._work_out(group)
        return found

    def public(self, group: Group) -> bool:
        """Whether a function of the group is called by nothing in the repository."""
        return any(not self.sources[u] for u in group.members if u in self.sources)

    def _work_out(self, group: Group) -> list[tuple[str, float]]:
        members, sources, parents = frozenset(group.members), self.sources, self.parent_function
        functions = [u for u in group.members if u in sources]
        entries = [u for u in functions if (not sources[u] or not sources[u] <= members)
                   and parents.get(u) not in members]
        return [(u, self._reach(u, members)) for u in entries or functions[:1]]

    def _reach(self, uid: str, members: frozenset[str]) -> float:
        if members.isdisjoint(self.sources[uid]):
            found = self.all_outside.get(uid)
            if found is None:
                found = self.all_outside[uid] = _entry_reach(uid, self.graph.callers_of(uid), self.graph, self.model)
            return found
        outside = [e for e in self.graph.callers_of(uid) if e.source not in members]
        return _entry_reach(uid, outside, self.graph, self.model)


def _entry_reach(uid: str, outside: Sequence[Edge], graph: DependencyGraph, model: CostModel) -> float:
    """Calls of an entry per use of its callers outside the group."""
    # a diagnostic or cleanup hook nobody here calls runs when something is printed or released;
    # what only such hooks, exception paths and process entries reach is as rare: each
    # caller's calls into it are one chance in trip, as an exception path's
    if not outside and graph.off_path(uid) == PROTOCOL:
        return 1 / model.trip
    return _reach(outside, model, rare=graph.rare_only(uid))


def _entry_intensity(group: Group, uid: str, reach: float, walk: "_Walk", whole: "_Totals",
                     model: CostModel) -> Intensity:
    calls_in, callbacks = model.crossing(group.language)
    total, work, saved = whole.of(uid)
    return Intensity(group.id, uid, total, work, saved, _saved(walk.inclusive(uid), model, group.language),
                     calls_in + callbacks * walk.callbacks_of(uid), reach, 0, 0, 0, False)


class _Totals:
    """A unit's work per call with its whole call tree, the same whichever group asks: by
    kind, in all, and what a port of it all saves (memoised: a unit is an entry of several
    groups)."""

    def __init__(self, inclusive: Mapping[str, Kinds], units: Mapping[str, CodeUnit], model: CostModel):
        self.inclusive, self.units, self.model = inclusive, units, model
        self.memo: dict[str, tuple[dict[str, float], float, float]] = {}

    def of(self, uid: str) -> tuple[dict[str, float], float, float]:
        found = self.memo.get(uid)
        if found is None:
            total = dict(sorted(self.inclusive.get(uid, {}).items()))
            found = self.memo[uid] = (total, sum(total.values()),
                                      _saved(total, self.model, self.units[uid].language))
        return found


def _reach(uses: Sequence[Edge], model: CostModel, rare: bool = False) -> float:
    """Calls per use of the callers. The cold sites of one caller share one chance in trip: a
    function throws or fails once per call, however many `throw error(...)` it holds. For a
    unit only rare paths reach, every call site is cold."""
    if not uses:
        return 1.0
    cold: dict[str, float] = {}
    hot = 0.0
    for e in uses:
        weight = call_weight(e, model.trip) if e.kind.is_call else 1.0
        if rare or e.cold and e.kind.is_call:
            cold[e.source] = min(cold.get(e.source, 0.0) + weight, 1 / model.trip)
        else:
            hot += weight
    return hot + sum(cold.values())


def nested_defs(units: Mapping[str, CodeUnit]) -> dict[str, list[str]]:
    """Units defined inside a function, by that function, in id order: they run as part of it."""
    found: dict[str, list[str]] = defaultdict(list)
    for uid in sorted(units):
        parent = units.get(units[uid].parent or "")
        if parent is not None and parent.kind == UnitKind.FUNCTION:
            found[parent.id].append(uid)
    return found


def _saved(kinds: Kinds, model: CostModel, language: str) -> float:
    gains = model.gains.get(language, {})
    return sum(v * (1 - 1 / gains.get(k, 1.0)) for k, v in kinds.items())


class _Walk:
    """Work per call of the members of one group, memoised. A call that leaves the group costs
    the callee's work from `outside` when given (the whole call tree), else one call's cost as
    a callback (it stays in the host language, and pays a crossing)."""

    def __init__(self, members: frozenset[str], heat: Heat, nested: Mapping[str, list[str]], model: CostModel,
                 language: str, outside: Mapping[str, Kinds] | None = None):
        self.members, self.heat, self.outside, self.nested = members, heat, outside, nested
        self.table = model.costs.get(language, {})
        self.memo: dict[str, dict[str, float]] = {}
        self.leaving: dict[str, float] = {}
        self.active: set[str] = set()

    def inclusive(self, uid: str) -> dict[str, float]:
        found = self.memo.get(uid)
        if found is not None:
            return found
        kinds: dict[str, float] = defaultdict(float)
        leaving = [0.0]
        cost = self.heat.costs.get(uid)
        if cost is not None:
            self.active.add(uid)
            self._add_own(uid, cost, kinds, leaving)
            self.active.discard(uid)
        self.memo[uid] = {k: min(v, WORK_CAP) for k, v in kinds.items()}   # approximate inside a recursion
        self.leaving[uid] = min(leaving[0], WORK_CAP)
        return self.memo[uid]

    def _add_own(self, uid: str, cost, kinds: dict[str, float], leaving: list[float]) -> None:
        for kind, value in cost.by_kind.items():
            kinds[kind] += value
        leaving[0] += cost.callbacks
        for target, weight, name in cost.calls:
            self._add_call(kinds, leaving, target, weight, name)
        nested = self.nested.get(uid, ()) if uid in self.members else ()
        if nested:   # a nested def that nothing calls by name (a callback it hands out) runs once per call
            called = {target for target, _, _ in cost.calls}
            for child in nested:
                if child in self.members and child not in called:
                    self._add_callee(kinds, leaving, child, 1.0)

    def _add_call(self, kinds, leaving, target: str, weight: float, name: str) -> None:
        spec = self.table.get(name)
        call_cost = spec.cost if spec else 0.0
        if target in self.members or name == NATIVE_CALL:   # native code: a port calls it directly
            kinds[spec.kind if spec else "call"] += weight * call_cost
            self._add_callee(kinds, leaving, target, weight)
        elif self.outside is not None:
            kinds[spec.kind if spec else "call"] += weight * call_cost
            for kind, value in self.outside.get(target, {}).items():
                kinds[kind] += weight * value
        else:
            kinds[CALLBACK] += weight * call_cost
            leaving[0] += weight

    def _add_callee(self, kinds, leaving, target: str, weight: float) -> None:
        if target in self.active:   # recursion: its own work a few times more, however deep the call
            own = self.heat.costs.get(target)   # (loops around a recursive call walk the same data once)
            for kind, value in (own.by_kind.items() if own else ()):
                kinds[kind] += RECURSION_FACTOR * value
            return
        for kind, value in self.inclusive(target).items():
            kinds[kind] += weight * value
        leaving[0] += weight * self.leaving.get(target, 0.0)

    def callbacks_of(self, uid: str | None) -> float:
        """Weighted calls leaving the group per call of `uid` (each pays a crossing)."""
        if uid is None:
            return 0.0
        self.inclusive(uid)
        return self.leaving.get(uid, 0.0)
