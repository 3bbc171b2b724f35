"""Score stage: candidates ranked, each with factors, verdict, boundary and plan.

Input: Groups with their Intensity (code/intensity.py), Work, Measures, Boundary and
findings; the rules, catalog, history and graph. Output: Judgements, best first; then, with
the fixes proposed for them, the Candidates in that order.

    score = 100 x benefit x gain x boundary x feasibility x cost

A library has no single program, so the score does not rest on a share of one: it rates the
work one call into the candidate does, what a port saves of it, and how much traffic reaches
it. The score is strictly increasing in the operations saved, so there are few ties.

| term        | value                                             | meaning                                  |
|-------------|---------------------------------------------------|------------------------------------------|
| benefit     | m / (m + 8), m = log10(1 + saved x reach)         | operations a port saves per use of its   |
|             |                                                   | callers; one half at 10^8, never flat    |
| gain        | clamp(log(core speedup) / log(100), 0, 1)         | 0.5 at the 10x bar, 1 at 100x: a 3x port |
|             |                                                   | earns a quarter, not two thirds          |
| boundary    | clamp(log(speedup) / log(core speedup), 0.2, 1)   | 1 when crossings and calls leaving it    |
|             |                                                   | cost nothing; a wrapper keeps a fifth    |
| feasibility | product of (1 - weight) of feasibility rules      | blockers found by rules (rules/*.yaml)   |
| cost        | 1 / (1 + effort_days / 120)                       | a mild penalty for big ports             |

Which groups are judged at all is the shortlist's choice (shortlist.py).
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

from analyzer.code.intensity import boundary_kept, magnitude
from analyzer.model import (Boundary, Candidate, CodeUnit, Effect, Finding, Fix, Group, GroupKind, Intensity, Judgement,
                            Measures, Rule, Work)
from analyzer.score.context import Context
from analyzer.score.factors import CatalogWords, Inputs, effort_days, factors
from analyzer.score.measured import Measured, measured
from analyzer.score.plan import plan
from analyzer.score.verdict import Case, decide

BENEFIT_HALF = 8.0        # log10 of the operations saved per use that earns half the benefit
GAIN_REF = 100.0
EFFORT_REF = 120


def judge(groups: Sequence[Group], works: Mapping[str, Work], measures: Mapping[str, Measures],
          boundaries: Mapping[str, Boundary], findings: Sequence[Finding], rules: Sequence[Rule],
          units: Mapping[str, CodeUnit], context: Context) -> tuple[Judgement, ...]:
    """Every group scored and judged, best first."""
    by_unit: dict[str, list[Finding]] = {}
    for f in findings:
        by_unit.setdefault(f.unit_id, []).append(f)
    rule_map, words = {r.id: r for r in rules}, CatalogWords(context.catalog)
    judged = [_judgement(g, works, measures[g.id], boundaries[g.id], by_unit, rule_map, units, context, words)
              for g in groups]
    judged.sort(key=lambda j: (-j.score, -magnitude(context.intensity[j.group.id]), j.group.id))
    return tuple(judged)


def candidates(judged: Sequence[Judgement], fixes: Mapping[str, tuple[Fix, ...]]) -> tuple[Candidate, ...]:
    """The ranking: each judgement in its place, with the fixes proposed for it."""
    return tuple(_candidate(j, rank, fixes.get(j.group.id, ())) for rank, j in enumerate(judged, 1))


def _judgement(group: Group, works: Mapping[str, Work], measures: Measures, boundary: Boundary,
               by_unit: Mapping[str, list[Finding]], rules: Mapping[str, Rule], units: Mapping[str, CodeUnit],
               context: Context, words: CatalogWords) -> Judgement:
    work, x = works[group.id], context.intensity[group.id]
    own = by_unit.get(group.id, [])
    blockers = [f for f in own if f.effect == Effect.FEASIBILITY]
    feasibility = math.prod(1 - rules[f.rule_id].weight for f in blockers)
    member_findings = [f for m in group.members for f in by_unit.get(m, ()) if m != group.id]
    fixes = sorted((f for f in [*own, *member_findings] if f.effect == Effect.FIX_IN_PLACE),
                   key=lambda f: (f.path, f.line, f.rule_id))
    fix_share = sum(works[u].heat for u in {f.unit_id for f in fixes} if u in works) / work.heat if work.heat else 0.0
    costs = context.catalog.costs
    gains = costs.gains.get(group.language, {})
    seen = measured(context.runtime.get(group.id), x, gains)
    case = Case(x, feasibility, own, fixes, min(fix_share, 1.0), blockers, boundary, gains,
                costs.crossing(group.language)[0], seen)
    verdict, reason = decide(case, costs.thresholds)
    effort = effort_days(measures, boundary)
    inputs = Inputs(group, work, x, measures, boundary, feasibility, blockers, effort, seen,
                    context.coverage.get(group.id))
    shown = sorted({*own, *(f for f in member_findings if f.effect != Effect.FEASIBILITY)},
                   key=lambda f: (f.path, f.line, f.rule_id, f.unit_id))
    return Judgement(group, _score(x, feasibility, effort, seen), verdict, reason,
                     factors(inputs, context.history, words, rules), boundary, tuple(shown),
                     plan(group, verdict, measures, boundary, work, units, context))


def _candidate(j: Judgement, rank: int, fixes: tuple[Fix, ...]) -> Candidate:
    group = j.group
    spans = GroupKind(group.kind).spans_files
    return Candidate(
        id=group.id, kind=group.kind, language=group.language, path=group.path, name=group.name,
        qualname=group.qualname, lines=(0, 0) if spans else group.lines, score=j.score, rank=rank,
        verdict=j.verdict, reason=j.reason, factors=j.factors, boundary=j.boundary,
        members=group.files if spans else (), findings=j.findings, fixes=fixes, plan=j.plan)


def _score(x: Intensity, feasibility: float, effort: float, seen: Measured | None = None) -> float:
    """With a profile, the measured share and native time stand in for the static traffic and
    core speedup (measured.py); the boundary, feasibility and cost stay as the code shows them."""
    core = seen.core if seen else x.core_speedup
    if core <= 1:
        return 0.0
    m = magnitude(x)
    benefit = seen.benefit if seen else m / (m + BENEFIT_HALF)
    gain = min(1.0, math.log(core) / math.log(GAIN_REF))
    cost = 1 / (1 + effort / EFFORT_REF)
    return round(100 * benefit * gain * boundary_kept(x) * feasibility * cost, 2)
