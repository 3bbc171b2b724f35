"""Score stage: candidates ranked, each with factors, verdict, boundary and plan.

Input: Groups with their Work, Profile, Boundary and findings; the rules, catalog, history
and graph. Output: Candidates sorted by rank.

    score = 100 x benefit x gain x boundary x feasibility x cost

The score rates what the work could become with the boundary drawn well (core speedup),
and the boundary term discounts what the boundary as drawn throws away, so hot but
entangled code ranks above cold code while still below clean candidates.

| term        | value                                           | meaning                                   |
|-------------|-------------------------------------------------|-------------------------------------------|
| benefit     | min(1, share x (1 - 1/core) / 0.5) ** 0.5       | program time the work could save; half or |
|             |                                                 | more earns full marks                     |
| gain        | clamp(log(core speedup) / log(100), 0, 1)       | 0.5 at the 10x bar, 1 at 100x             |
| boundary    | clamp(log(speedup) / log(core speedup), 0.2, 1) | 1 when crossings cost nothing             |
| feasibility | product of (1 - weight) of feasibility rules    | blockers found by rules (rules/*.yaml)    |
| cost        | 1 / (1 + effort_days / 120)                     | a mild penalty for big ports              |

Only units worth a look become candidates: every class, module and component, and the
functions that loop, hold at least 0.1% of estimated time, or have a finding.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Mapping, Sequence

from analyzer.catalog import Catalog
from analyzer.graph import DependencyGraph
from analyzer.model import Boundary, Candidate, Finding, Group, HistoryFacts, Profile, Rule, Work
from analyzer.score.factors import Inputs, effort_days, factors
from analyzer.score.plan import plan
from analyzer.score.verdict import Case, decide

SAVED_REF = 0.5
GAIN_REF = 100.0
MIN_BOUNDARY = 0.2
EFFORT_REF = 120
MIN_FUNCTION_SHARE = 0.001
MIN_LOOPING_SHARE = 0.0001
LARGEST_PER_KIND = 100
AGGREGATES = ("package", "component")   # span several files: no lines, members are files


def rank(groups: Sequence[Group], works: Mapping[str, Work], profiles: Mapping[str, Profile],
         boundaries: Mapping[str, Boundary], findings: Sequence[Finding], rules: Sequence[Rule],
         catalog: Catalog, history: HistoryFacts, graph: DependencyGraph) -> tuple[Candidate, ...]:
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    rule_map = {r.id: r for r in rules}
    scored = [_candidate(g, works, profiles[g.id], boundaries[g.id], by_unit, rule_map, catalog, history, graph)
              for g in groups]
    scored.sort(key=lambda c: (-c.score, -works[c.id].saved_share, -works[c.id].share, c.id))
    return tuple(_with_rank(c, i + 1) for i, c in enumerate(scored))


def shortlist(groups: Sequence[Group], code, fix_findings: Sequence[Finding]) -> tuple[Group, ...]:
    """The groups worth ranking: those that hold a noticeable share of the estimated time (less
    is needed when they loop), the largest aggregates of each kind, and those with something
    to fix in place (themselves or a member)."""
    fixable = {f.unit_id for f in fix_findings}

    def worth(group: Group) -> bool:
        share = code.share(group)
        return share >= MIN_FUNCTION_SHARE or (share >= MIN_LOOPING_SHARE and code.loops(group))

    def fixes(group: Group) -> bool:
        return group.id in fixable if group.kind == "function" else any(m in fixable for m in group.members)
    largest = _largest_aggregates(groups, code)
    return tuple(g for g in groups if g.id in largest or worth(g) or fixes(g))


def _largest_aggregates(groups: Sequence[Group], code) -> set[str]:
    """The classes, modules, packages and components with the most estimated time, even when
    cold: the places a reader looks for first (a controller, a cache, a build module), in any
    size of repository."""
    chosen: set[str] = set()
    for kind in ("class", "module", "package", "component"):
        of_kind = sorted((g for g in groups if g.kind == kind), key=lambda g: (-code.share(g), g.id))
        chosen.update(g.id for g in of_kind[:LARGEST_PER_KIND])
    return chosen


def _candidate(group: Group, works: Mapping[str, Work], profile: Profile, boundary: Boundary,
               by_unit: Mapping[str, list[Finding]], rules: Mapping[str, Rule], catalog: Catalog,
               history: HistoryFacts, graph: DependencyGraph) -> Candidate:
    work = works[group.id]
    own = by_unit.get(group.id, [])
    blockers = [f for f in own if f.effect == "feasibility"]
    feasibility = math.prod(1 - rules[f.rule_id].weight for f in blockers)
    member_findings = [f for m in group.members for f in by_unit.get(m, ()) if m != group.id]
    fixes = sorted((f for f in [*own, *member_findings] if f.effect == "fix-in-place"),
                   key=lambda f: (f.path, f.line, f.rule_id))
    fixed_units = {f.unit_id for f in fixes}
    fix_share = sum(works[u].heat for u in fixed_units if u in works) / work.heat if work.heat else 0.0
    case = Case(work, feasibility, own, fixes, min(fix_share, 1.0), blockers, boundary.calls_out_total,
                catalog.costs.gains.get(group.language, {}))
    verdict, reason = decide(case, catalog.costs.thresholds)
    effort = effort_days(profile, boundary)
    inputs = Inputs(group, work, profile, boundary, feasibility, blockers, effort)
    score = _score(work, feasibility, effort)
    shown = sorted({*own, *(f for f in member_findings if f.effect != "feasibility")},
                   key=lambda f: (f.path, f.line, f.rule_id, f.unit_id))
    lines = group.lines if group.kind not in AGGREGATES else (0, 0)
    return Candidate(
        id=group.id, kind=group.kind, language=group.language, path=group.path, name=group.name,
        qualname=group.qualname, lines=lines, score=score, rank=0, verdict=verdict, reason=reason,
        factors=factors(inputs, history, catalog, rules), boundary=boundary,
        members=group.files if group.kind in AGGREGATES else (), findings=tuple(shown), fixes=(),
        plan=plan(group, verdict, profile, boundary, work, graph, catalog))


def _score(work: Work, feasibility: float, effort: float) -> float:
    core = work.core_speedup
    if core <= 1:
        return 0.0
    benefit = min(1.0, work.share * (1 - 1 / core) / SAVED_REF) ** 0.5
    gain = min(1.0, math.log(core) / math.log(GAIN_REF))
    boundary = min(1.0, max(MIN_BOUNDARY, math.log(max(work.speedup, 1.0)) / math.log(core)))
    cost = 1 / (1 + effort / EFFORT_REF)
    return round(100 * benefit * gain * boundary * feasibility * cost, 1)


def _with_rank(candidate: Candidate, rank: int) -> Candidate:
    return replace(candidate, rank=rank)
