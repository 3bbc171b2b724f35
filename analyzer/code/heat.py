"""The static time model: how much of the program's time each unit and group holds, and
what a port would leave of it. Static, so every figure is an estimate and is reported as one.

Input: units, observations (parser + facts), the DependencyGraph, the CostModel.
Output: the Heat of every unit; a Work record per group.

Model (figures in rules/catalogs/costs.yaml):
- cost of a unit per call = sum over observations of cost x trip^loop-depth (on an exception
  path one chance in trip, as a call there), plus its calls'
  (a call site that can run several units, through an interface or a name bound in branches,
  runs one of them: each weighs 1/k);
- time of a unit = cost per call x static call frequency (graph.frequencies);
- time after a port = each kind's time / that kind's gain; calls that leave the group are
  callbacks (gain 1) and pay a crossing each, as do calls into the group from outside;
- "core" time after a port = the same with no crossings at all (callbacks treated as calls
  inside the port, callers as if they were ported too): what the work itself could gain
  if the boundary were drawn in the right place.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache
from operator import attrgetter
from typing import Mapping, Sequence

from analyzer.code.graph import DependencyGraph, call_weight
from analyzer.code.graph.facade import NATIVE_CALL
from analyzer.infra import split
from analyzer.model import CodeUnit, Group, Heat, Observation, UnitCost, UnitFacts, Work
from analyzer.ruleset.catalog import CostModel


def observations_of(unit: CodeUnit, facts: Mapping[str, UnitFacts]) -> tuple[Observation, ...]:
    extra = facts.get(unit.id)
    return unit.observations + (extra.observations if extra else ())


def unit_costs(units: Mapping[str, CodeUnit], facts: Mapping[str, UnitFacts], graph: DependencyGraph,
               model: CostModel) -> dict[str, UnitCost]:
    return {unit.id: _unit_cost(unit, facts, graph, model) for unit in units.values() if not graph.is_test(unit.id)}


def _unit_cost(unit: CodeUnit, facts: Mapping[str, UnitFacts], graph: DependencyGraph, model: CostModel) -> UnitCost:
    table, by_kind, callbacks = model.costs.get(unit.language, {}), defaultdict(float), 0.0
    for obs in observations_of(unit, facts):
        spec = table.get(obs.name)
        if spec is not None:
            cold = obs.cold / model.trip   # on an exception path: one chance in trip, as a call there
            by_kind[spec.kind] += spec.cost * (weighted(obs.by_depth, model.trip, spec.per_iteration) + cold)
            if spec.kind == "callback":
                callbacks += weighted(obs.by_depth, model.trip) + cold
    for kernel in model.kernels.get(unit.language, ()):
        if by_kind.get(kernel.kind):   # without work of its kind a kernel changes nothing: no copy
            by_kind = kernel.applied(by_kind)
    edges = graph.calls_from(unit.id)   # `Cls(...)` runs the class and its __init__: two kinds, both run
    runs = Counter((e.line, e.call, e.kind) for e in edges) if len(edges) > 1 else {}
    calls = tuple((e.target, call_weight(e, model.trip) / runs.get((e.line, e.call, e.kind), 1), graph.cost_name(e))
                  for e in edges)
    return UnitCost(dict(by_kind), calls, callbacks)


@cache   # a pure function of a few numbers; the same handful of occurrence patterns recur in every unit
def weighted(by_depth: tuple[int, ...], trip: float, per_iteration: bool = False) -> float:
    """Occurrences weighted by trip ** loop depth (one level deeper for per-iteration costs);
    the last bucket holds every deeper level, so it never weighs more than trip ** its own."""
    top, shift = len(by_depth) - 1, 1 if per_iteration else 0
    return sum(n * trip ** min(d + shift, top) for d, n in enumerate(by_depth) if n)


def unit_heat(units: Mapping[str, CodeUnit], facts: Mapping[str, UnitFacts], graph: DependencyGraph,
              model: CostModel) -> Heat:
    costs = unit_costs(units, facts, graph, model)
    freq = graph.frequencies(model.trip)
    of_unit = {uid: _total(uid, c, freq, units, model) for uid, c in costs.items()}
    return Heat(costs, freq, of_unit, sum(of_unit.values()) or 1.0)


def estimate(groups: Sequence[Group], heat: Heat, graph: DependencyGraph, model: CostModel) -> dict[str, Work]:
    return split.keyed(lambda g: _work(g, heat.costs, heat.freq, graph, model, heat.program), groups,
                       attrgetter("id"))


def _total(uid: str, cost: UnitCost, freq: Mapping[str, float], units, model: CostModel) -> float:
    table = model.costs.get(units[uid].language, {})
    calls = sum(w * table[name].cost for _, w, name in cost.calls if name in table)
    return freq.get(uid, 1.0) * (sum(cost.by_kind.values()) + calls)


def _work(group: Group, costs: Mapping[str, UnitCost], freq: Mapping[str, float],
          graph: DependencyGraph, model: CostModel, program: float) -> Work:
    members = frozenset(group.members)
    language = group.language
    table = model.costs.get(language, {})
    by_kind: dict[str, float] = defaultdict(float)
    leaving = 0.0
    for uid in group.members:
        cost = costs.get(uid)
        if cost is None:
            continue
        f = freq.get(uid, 1.0)
        for kind, value in cost.by_kind.items():
            by_kind[kind] += f * value
        leaving += f * cost.callbacks
        for target, w, name in cost.calls:
            spec = table.get(name)
            inside = target in members
            native = not inside and name == NATIVE_CALL   # a port calls native code directly: no callback
            by_kind[spec.kind if (inside or native) and spec else "callback"] += f * w * (spec.cost if spec else 0)
            for kind, value in (costs[target].by_kind.items() if native and target in costs else ()):
                by_kind[kind] += f * w * value
            leaving += 0 if inside or native else f * w
    entering = sum(freq.get(e.source, 1.0) * call_weight(e, model.trip) for e in graph.calls_into(group.members))
    heat = sum(by_kind.values())
    native = _ported(by_kind, language, model, callbacks_inside=False)
    core = _ported(by_kind, language, model, callbacks_inside=True)
    call_in, callback = model.crossing(language)
    crossing_in, crossing_out = call_in * entering, callback * leaving
    return Work(group.id, heat, heat / program, dict(sorted(by_kind.items())),
                native + crossing_in + crossing_out, core, crossing_in, crossing_out, entering, leaving)


def _ported(by_kind: Mapping[str, float], language: str, model: CostModel, callbacks_inside: bool) -> float:
    total = 0.0
    for kind, value in by_kind.items():
        gain = model.gain(language, "call" if callbacks_inside and kind == "callback" else kind)
        total += value / gain
    return total
