"""The factors of one candidate, each with a value, a one-line summary and its evidence.

Order is fixed: intensity, reach, runtime (only when a profile measured it), native_gain,
benefit, boundary, feasibility, stability, tests, dependencies, cost. Figures derived from the
static cost model are marked as estimates; measured ones say what measured them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, partial
from typing import Mapping, Sequence

from analyzer.infra.dates import iso_day
from analyzer.model import (EXCEPTION_PATHS, Boundary, Evidence, Factor, Finding, Group, GroupKind, HistoryFacts,
                            Intensity, Measures, Rule, UnitId, Work)
from analyzer.model.runtime import UnitCoverage
from analyzer.ruleset.catalog import Catalog
from analyzer.score.measured import Measured
from analyzer.score.wording import operations, percent, times

EVIDENCE_CAP = 8
LANGUAGE_MODELS = {
    "java": ". Java model: the JIT leaves plain arithmetic at about 1.5x; native code gains on bit-level "
            "kernels (checksums, hashes, ciphers), element access, boxing and heap-resident state",
}


@dataclass(frozen=True, slots=True)
class Inputs:
    group: Group
    work: Work
    intensity: Intensity
    measures: Measures
    boundary: Boundary
    feasibility: float
    blockers: Sequence[Finding]
    effort: float
    measured: Measured | None = None
    coverage: UnitCoverage | None = None


class CatalogWords:
    """What the factors read and say of the catalog, worked out once per language and name
    rather than again for each of thousands of candidates."""

    def __init__(self, catalog: Catalog):
        self.priced = cache(partial(_priced, catalog))
        self.trip = catalog.costs.trip
        self.gain = cache(partial(_gain_words, catalog))
        self.library = cache(partial(_library_words, catalog))


def _priced(catalog: Catalog, language: str) -> list[tuple[str, float, str]]:
    """Each observation the cost model prices: its name, its cost, its metric inside loops."""
    return [(name, spec.cost, f"{name}_in_loops") for name, spec in catalog.costs.costs.get(language, {}).items()]


def _gain_words(catalog: Catalog, language: str, kind: str) -> str:
    return f"{kind} work gains {catalog.costs.gain(language, kind):g}x{_kernel_note(catalog, language, kind)}"


def _library_words(catalog: Catalog, language: str, library: str) -> str:
    crate = catalog.crate_for(language, library)
    return f"{library} -> {crate}" if crate else f"{library}: no crate in the catalog"


def effort_days(measures: Measures, boundary: Boundary) -> float:
    """Rough porting effort: writing Rust plus tests at ~30 lines a day, more for branchy
    code, plus binding work per entry point and per callback to cut."""
    m = measures.metrics
    days = 1 + m.get("sloc", 0) / 30 + m.get("cyclomatic_total", 0) / 15 \
        + boundary.width * 0.5 + boundary.calls_out_total * 0.25
    return round(days, 1)


def factors(x: Inputs, history: HistoryFacts, words: CatalogWords, rules: Mapping[str, Rule]) -> tuple[Factor, ...]:
    runtime = (_runtime(x.measured),) if x.measured else ()
    return (_intensity(x, words), _reach(x), *runtime, _gain(x, words), _benefit(x), _boundary(x),
            _feasibility(x, rules), _stability(x, history), _tests(x), _dependencies(x, words), _cost(x))


def _runtime(seen: Measured) -> Factor:
    """What the profile measured: the share of its samples with the candidate on the stack."""
    alloc = f"; {percent(seen.alloc)} of the sampled allocations" if seen.alloc is not None else ""
    evidence = [Evidence("inclusive share of the samples", round(seen.share, 4)),
                Evidence("self share (its own code innermost)", round(seen.self_share, 4)),
                Evidence("of its samples, already native or in libraries", round(seen.kept, 4))]
    if seen.alloc is not None:
        evidence.append(Evidence("share of the sampled allocations", round(seen.alloc, 4)))
    return Factor("runtime", round(seen.share, 4), "share", False,
                  f"measured: {percent(seen.share)} of {seen.source} ({percent(seen.self_share)} in its own code, "
                  f"{percent(seen.kept)} of it already native or in libraries){alloc}", tuple(evidence))


def _span(lines: Sequence[int]) -> tuple[int, int] | None:
    return (lines[0], lines[-1]) if lines else None


def _intensity(x: Inputs, words: CatalogWords) -> Factor:
    """Work per call into the candidate's entry, its call tree included."""
    metrics = x.measures.metrics
    weighed = sorted(((n * cost, name, n) for name, cost, in_loops in words.priced(x.group.language)
                      for n in [metrics.get(in_loops, 0.0)] if n), key=lambda w: (-w[0], w[1]))
    evidence = [Evidence(f"{name} inside loops", count, x.group.path, _span(x.measures.lines.get(f"{name}_in_loops", ())))
                for _, name, count in weighed[:EVIDENCE_CAP]]
    entry = x.intensity.entry
    if entry:
        evidence.insert(0, Evidence(f"operations per call into {UnitId.parse(entry).short}, its callees in the "
                                    "repository included", round(x.intensity.work, 1)))
    if metrics.get(EXCEPTION_PATHS):
        evidence.append(Evidence(f"on exception paths, one chance in {words.trip:g} per call", metrics[EXCEPTION_PATHS],
                                 x.group.path, _span(x.measures.lines.get(EXCEPTION_PATHS, ()))))
    depth = int(x.measures.metrics.get("loop_depth", 0))
    return Factor("intensity", round(x.intensity.work, 1), "operations", True,
                  f"≈{operations(x.intensity.work)} interpreter operations per call (loops nested {depth} deep; a loop "
                  "over a data-sized input counts per element)", tuple(evidence))


def _reach(x: Inputs) -> Factor:
    """How much traffic reaches the entry: its call sites from outside, loops around them."""
    i = x.intensity
    if not i.call_sites:
        summary = "nothing in the repository calls it: a public entry, counted once per use by its callers"
    else:
        into = f" into {UnitId.parse(i.entry).short}" if i.entry else ""
        summary = (f"≈{i.reach:g} calls{into} per use of its callers; {i.call_sites} use(s) of the candidate from "
                   f"{i.modules} file(s) (calls and imports, tests left out), {i.sites_in_loops} inside loops")
    evidence = tuple(Evidence(f"called from {c.source}", None, c.path, (c.line, c.line))
                     for c in x.boundary.calls_in[:EVIDENCE_CAP])
    return Factor("reach", round(i.reach, 2), "calls", True, summary, evidence)


def _gain(x: Inputs, words: CatalogWords) -> Factor:
    i, work = x.intensity, x.intensity.work or 1.0
    parts = sorted(((v / work, k) for k, v in i.by_kind.items() if v / work >= 0.01), reverse=True)
    evidence = [Evidence(words.gain(x.group.language, kind), round(share, 4)) for share, kind in parts]
    if i.core_speedup > i.speedup * 1.2:
        evidence.append(Evidence("speedup if the calls leaving it moved inside the port", round(i.core_speedup, 1)))
    mix = ", ".join(f"{kind} {percent(share)}" for share, kind in parts[:3]) or "no measurable work"
    model = LANGUAGE_MODELS.get(x.group.language, "")
    slower = ": slower than now, its crossings cost more than a port saves" if i.speedup < 0.95 else ""
    speedup, seen = (min(i.speedup, x.measured.core), x.measured) if x.measured else (i.speedup, None)
    native = (f"; measured: {percent(seen.kept)} of its samples already native or in libraries, so ≈"
              f"{times(seen.core)} at best") if seen and seen.kept >= 0.01 else ""
    return Factor("native_gain", round(speedup, 2 if speedup < 1 else 1), "x", True,
                  f"≈{times(speedup)} per call as drawn ({mix}){slower}{native}{model}", tuple(evidence))


def _kernel_note(catalog: Catalog, language: str, kind: str) -> str:
    kernel = catalog.costs.kernel(language, kind)
    return f" ({kernel.wording()})" if kernel else ""


def _benefit(x: Inputs) -> Factor:
    i, seen = x.intensity, x.measured
    if seen:
        return Factor("benefit", round(seen.saved, 4), "share", True,
                      f"a port could take out ≈{percent(seen.saved)} of the measured workload (measured "
                      f"{percent(seen.share)} x (1 - 1/≈{times(seen.core)}))",
                      (Evidence("measured inclusive share", round(seen.share, 4)),
                       Evidence("core speedup, measured native time kept", round(seen.core, 1))))
    return Factor("benefit", round(i.reached_saved, 1), "operations", True,
                  f"a port saves ≈{operations(i.reached_saved)} interpreter operations per use of its callers "
                  f"(≈{operations(i.saved)} per call, ≈{i.reach:g} calls per use)",
                  (Evidence("operations saved per call", round(i.saved, 1)), Evidence("calls per use", round(i.reach, 2)),
                   Evidence("core speedup (calls leaving it moved inside)", round(i.core_speedup, 1))))


def _boundary(x: Inputs) -> Factor:
    b = x.boundary
    evidence = [Evidence(f"entry point {e.signature}", e.callers) for e in b.entry_points[:EVIDENCE_CAP]]
    evidence += [Evidence(f"{'writes' if s.write else 'reads'} shared state {s.name}", None, None,
                          (s.line, s.line)) for s in b.shared_state[:EVIDENCE_CAP]]
    callbacks = sum(1 for c in b.calls_out if c.callback)
    return Factor("boundary", float(b.width), "count", False,
                  f"{b.width} entry point(s), {b.calls_in_total} call site(s) in, {b.calls_out_total} "
                  f"out (callbacks once ported), {len(b.shared_state)} shared state access(es)",
                  tuple(evidence) or (Evidence("no calls cross into it from ranked code", callbacks),))


def _feasibility(x: Inputs, rules: Mapping[str, Rule]) -> Factor:
    evidence = tuple(Evidence(f"{f.rule_id} {rules[f.rule_id].name}: {f.message}", -rules[f.rule_id].weight,
                              f.path, (f.line, f.line)) for f in x.blockers)
    why = ", ".join(f"{rules[f.rule_id].name} -{rules[f.rule_id].weight * 100:.0f}%" for f in x.blockers)
    return Factor("feasibility", round(x.feasibility, 3), "ratio", False,
                  f"{x.feasibility:.2f}: {why}" if why else "1.00: nothing in the way", evidence)


def _stability(x: Inputs, history: HistoryFacts) -> Factor:
    if not history.available:
        return Factor("stability", 0.0, "count", False, history.notice or "history not read", ())
    files = [history.files[f] for f in x.group.files if f in history.files]
    m = x.measures.metrics
    evidence = [Evidence(c.subject[:80], iso_day(c.timestamp), f.path, None, c.sha)
                for f in files[:3] for c in f.recent[:3]]
    mine = set(x.group.files)
    evidence += [Evidence(f"usually changes with {p} ({n} commits together)", degree)
                 for f in files for p, n, degree in f.partners if p not in mine][:EVIDENCE_CAP]
    unit = f"; its own lines changed in {m.get('unit_revisions_window', 0):.0f} of them" \
        if x.group.kind == GroupKind.FUNCTION else ""
    return Factor("stability", m.get("revisions_365d", 0.0), "count", False,
                  f"{m.get('revisions', 0):.0f} commits ({m.get('revisions_365d', 0):.0f} in the last year"
                  f"{unit}) by {m.get('authors', 0):.0f} author(s), {m.get('fix_commits', 0):.0f} fix(es), "
                  f"{m.get('age_days', 0):.0f} days old, {m.get('co_change_outside', 0):.0f} co-change "
                  "partner(s) outside", tuple(evidence))


def _tests(x: Inputs) -> Factor:
    n = x.boundary.test_references
    summary = f"{n} test unit(s) import or call it" if n else "no test imports or calls it directly"
    c = x.coverage
    if c is None:
        return Factor("tests", float(n), "count", False, summary, ())
    evidence = tuple(Evidence("never run under tests", None, x.group.path, span) for span in c.never_run[:EVIDENCE_CAP])
    return Factor("tests", round(c.line_share, 4), "share", False,
                  f"measured: {c.summary()} ({c.source}); {summary}", evidence)


def _dependencies(x: Inputs, words: CatalogWords) -> Factor:
    evidence = [Evidence(words.library(x.group.language, library)) for library in x.measures.libraries]
    unmapped = int(x.measures.metrics.get("libraries_unmapped", 0))
    return Factor("dependencies", float(len(x.measures.libraries)), "count", False,
                  f"{len(x.measures.libraries)} librar(ies) called, {unmapped} third-party without a Rust crate",
                  tuple(evidence))


def _cost(x: Inputs) -> Factor:
    m = x.measures.metrics
    return Factor("cost", x.effort, "days", True,
                  f"≈{x.effort:.1f} days: {m.get('sloc', 0):.0f} lines, complexity "
                  f"{m.get('cyclomatic_total', 0):.0f}, {x.boundary.width} entry point(s), "
                  f"{x.boundary.calls_out_total} call(s) out to cut",
                  (Evidence("sloc", m.get("sloc", 0.0)), Evidence("cyclomatic_total", m.get("cyclomatic_total", 0.0))))
