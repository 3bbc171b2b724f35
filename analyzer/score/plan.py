"""What to do next for a candidate: the binding, the crates, and the order of the work."""

from __future__ import annotations

from typing import Mapping

from analyzer.code.graph import DependencyGraph
from analyzer.model import Boundary, CodeUnit, Group, Measures, Plan, UnitId, UnitKind, Verdict, Work
from analyzer.model.runtime import POORLY_COVERED, UnitCoverage
from analyzer.model.ids import target_words
from analyzer.ruleset.catalog import Catalog
from analyzer.scaffold.fromscan import mapped_signatures
from analyzer.score.context import Context

BINDINGS = {
    "python": "PyO3 + maturin: a Rust extension module that keeps the Python signature",
    "java": "JNI through jni-rs, or the Java 22+ FFM API (java.lang.foreign) over a C ABI",
}
STEPS_CAP = 8


def plan(group: Group, verdict: Verdict, measures: Measures, boundary: Boundary, work: Work,
         units: Mapping[str, CodeUnit], context: Context) -> Plan | None:
    """The plan for a port or for boundary work; None for other verdicts."""
    if verdict not in (Verdict.PORT, Verdict.NEEDS_BOUNDARY_WORK):
        return None
    signatures = mapped_signatures(tuple(e.unit_id for e in boundary.entry_points), units, group.language)
    if verdict == Verdict.PORT:
        return Plan(BINDINGS[group.language], _crates(measures, context.catalog),
                    (_pin(boundary, context.coverage.get(group.id)), *_port_steps(group, boundary, units, context.graph)),
                    (), signatures)
    cut = _cut(boundary, work)
    steps = (*(f"cut: {c}" for c in cut), "scan again: the verdict follows the boundary")
    return Plan(BINDINGS[group.language], _crates(measures, context.catalog), steps, cut, signatures)


def _crates(measures: Measures, catalog: Catalog) -> tuple[tuple[str, str], ...]:
    found = ((lib, catalog.crate_for(measures.language, lib)) for lib in measures.libraries)
    return tuple((lib, crate) for lib, crate in found if crate)


def _pin(boundary: Boundary, coverage: UnitCoverage | None) -> str:
    """The first step: what already pins its behaviour (measured coverage, else test references)."""
    tests = boundary.test_references
    if coverage is not None and coverage.lines_total:
        advice = "run them against both versions" if coverage.line_share >= POORLY_COVERED else \
            "write characterization tests for the rest first"
        return f"pin behaviour: {coverage.summary()} ({coverage.source}); {advice}"
    if tests:
        return f"pin behaviour: {tests} test unit(s) exercise it; run them against both versions"
    return "pin behaviour first: no test calls it; write characterization tests"


def _port_steps(group: Group, boundary: Boundary, units: Mapping[str, CodeUnit],
                graph: DependencyGraph) -> tuple[str, ...]:
    steps = []
    functions = [units[u] for u in graph.leaves_first(group.members) if units[u].kind == UnitKind.FUNCTION]
    for unit in functions[:STEPS_CAP]:
        steps.append(f"port {unit.qualname} ({unit.path}:{unit.start})")
    if len(functions) > STEPS_CAP:
        steps.append(f"... and {len(functions) - STEPS_CAP} more, callees before callers")
    entries = ", ".join(e.signature for e in boundary.entry_points[:3]) or "its public functions"
    steps.append(f"expose {entries} with the same signature; switch the {boundary.calls_in_total} call site(s)")
    steps.append("measure the real speedup on production-like input before switching for good")
    return tuple(steps)


def _cut(boundary: Boundary, work: Work) -> tuple[str, ...]:
    """The smallest changes that make the boundary clean: its callers when calls in cost
    more than the work they buy, then each callback target once, most frequent first,
    then shared state to hand over."""
    cut = []
    if work.crossing_in > work.crossing_out:
        callers = sorted({c.source for c in boundary.calls_in})[:3]
        cut.append("move the boundary up: port it together with " + ", ".join(f"`{_short(c)}`" for c in callers))
    counts: dict[str, int] = {}
    for c in boundary.calls_out:
        counts[c.target] = counts.get(c.target, 0) + 1
    cut += [f"replace the call back to {target_words(t)} ({n} site(s)) with data passed in, or move it inside"
            for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    names = sorted({s.name for s in boundary.shared_state})
    cut += [f"make {name} owned by the port or passed in explicitly" for name in names[:3]]
    return tuple(cut)


def _short(unit_id: str) -> str:
    return UnitId.parse(unit_id).qualname or unit_id
