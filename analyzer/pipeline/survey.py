"""The analysis in its two halves: `survey`, what the code alone says (it runs while git is
still being read), and `conclude`, the same joined with the history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer import history as histories
from analyzer import inventory, ruleset, score
from analyzer.code import boundary, candidates, classify, offpath, suppress
from analyzer.code import graph as graphs
from analyzer.code import heat as heats
from analyzer.code.intensity import Intensities
from analyzer.config import Config
from analyzer.infra.clock import Clock
from analyzer.model import (Boundary, CodeMeasures, CodeUnit, Effect, Finding, Group, History, HistoryFacts, Intensity,
                            Judgement, ParsedFile, Rule, UnitFacts, Work)
from analyzer.model.runtime import RuntimeEvidence
from analyzer.ruleset import Catalog
from analyzer.score import measures


@dataclass(frozen=True, slots=True)
class Survey:
    """What the code alone says, between the two halves: the graph, every unit's facts, the
    groups, the fix-in-place findings (and those suppressed), and the shortlist with its
    boundaries and work."""
    parsed: tuple[ParsedFile, ...]
    units: Mapping[str, CodeUnit]
    graph: graphs.DependencyGraph
    unit_facts: Mapping[str, UnitFacts]
    groups: tuple[Group, ...]
    code: CodeMeasures
    fixes: tuple[Finding, ...]
    shortlist: tuple[Group, ...]
    boundaries: Mapping[str, Boundary]
    works: Mapping[str, Work]
    intensity: Mapping[str, Intensity]     # of the groups the shortlist worked out: its own at least
    suppressor: suppress.Suppressor
    suppressed: tuple[Finding, ...]
    intensities: Intensities               # any group's, worked out when asked (explain asks for all)


def survey(parsed: tuple[ParsedFile, ...], catalog: Catalog, rules: Sequence[Rule], clock: Clock,
           per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()) -> Survey:
    """Graph, facts, groups, the static time model, fix-in-place findings, the shortlist, and
    the shortlist's boundaries and work estimates. Suppressed findings are taken out before
    the shortlist sees them (code/suppress.py). Standalone scripts are known first: whether a
    file is one depends on what every file imports (inventory/scripts.py); so are stubs of the
    JDK's own classes, by the package they declare (inventory/stubs.py)."""
    parsed = inventory.tag_scripts(inventory.tag_platform_stubs(parsed))
    units = {u.id: u for pf in parsed for u in pf.units}
    with clock("graph"):
        graph, resolved = graphs.build(parsed, units, offpath.off_path(parsed, catalog))
    with clock("facts"):
        unit_facts = classify.classify(parsed, catalog, resolved)
    with clock("groups"):
        found = candidates.collect(parsed, graph)
    with clock("code measures"):
        heat = heats.unit_heat(units, unit_facts, graph, catalog.costs)
        fixable = [r for r in rules if r.effect == Effect.FIX_IN_PLACE]
        code = measures.code_measures(found, units, graph, unit_facts, heat, catalog, {k for r in fixable for k in r.units},
                                      ruleset.triggers(fixable, ruleset.observation_names(catalog)))
        suppressor = suppress.build(parsed, units, per_path_ignores)
        fixes, suppressed = suppressor.split(ruleset.find_all(fixable, code.measures.values(), found))
    with clock("intensity"):
        intensities = Intensities(units, heat, graph, catalog.costs)
        chosen = score.shortlist(found, code, fixes, intensities)
        intensities.of(chosen)
        intensity = intensities.worked_out(found)
    with clock("boundary + estimate"):
        boundaries = boundary.compute(chosen, units, graph, unit_facts, catalog.costs.trip)
        works = heats.estimate(chosen, heat, graph, catalog.costs)
    return Survey(parsed, units, graph, unit_facts, found, code, fixes, chosen, boundaries, works, intensity, suppressor,
                  suppressed, intensities)


def conclude(code: Survey, history: History, rules: Sequence[Rule], catalog: Catalog, config: Config,
             as_of: int | None, clock: Clock, measured: RuntimeEvidence | None = None
             ) -> tuple[HistoryFacts, tuple[Judgement, ...], tuple[Finding, ...]]:
    """History joins the survey: the shortlist's full measures, the other rules, the judgements
    (with what profiles and coverage measured, where the user gave them), and the findings of
    the other rules that were suppressed."""
    with clock("history maths"):
        units = [u for pf in code.parsed for u in pf.units]
        history_facts = histories.summarize(history, units, (pf.file.path for pf in code.parsed), as_of or 0,
                                            config.window_days)
    with clock("measures + rules + score"):
        full = measures.build(code.shortlist, code.code, code.units, code.graph, code.boundaries, code.works,
                              history_facts, catalog, code.intensity)
        others, suppressed = code.suppressor.split(
            ruleset.find_all([r for r in rules if r.effect != Effect.FIX_IN_PLACE], full.values(), code.shortlist))
        judged = score.judge(code.shortlist, code.works, full, code.boundaries, (*code.fixes, *others), rules,
                             code.units, score.Context(catalog, history_facts, code.graph, code.intensity,
                                                       measured.runtime if measured else {},
                                                       measured.coverage if measured else {}))
    return history_facts, judged, suppressed
