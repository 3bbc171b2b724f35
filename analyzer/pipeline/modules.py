"""The report's module graph: every ranked file a node, the imports and calls between files its
edges (the HTML report draws it). Built from the survey's frozen values and the ranked
candidates, sorted and rounded, so the same commit gives the same graph.

A node's size is `work_share`: the file's share of the estimated static work, from the time
model the fix-in-place rules read (code.heat: each unit's own operations x how often the call
graph runs it, every entry point once). It is exclusive: a file is large for the loops it
holds, not for what it calls (intensity and reach include the callees, and would draw the
entry files largest). Its colour is the best verdict among the candidates inside the file
(functions, classes, modules); candidates spanning files (packages, components) are drawn as
their members.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from analyzer.model import Candidate, EdgeKind, GroupKind, ModuleEdge, ModuleGraph, ModuleNode, Verdict, unit_id
from analyzer.pipeline.survey import Survey

IN_ONE_FILE = (GroupKind.FUNCTION, GroupKind.CLASS, GroupKind.MODULE)
LINKS = {kind: "call" if kind.is_call else "import" for kind in EdgeKind}   # an edge's kind -> its link's
BEST_FIRST = (Verdict.PORT, Verdict.NEEDS_BOUNDARY_WORK, Verdict.FIX_IN_PLACE_FIRST, Verdict.INSUFFICIENT_EVIDENCE,
              Verdict.NOT_A_RUST_PROBLEM)


def module_graph(code: Survey, candidates: Sequence[Candidate]) -> ModuleGraph:
    files = {unit_id(pf.file.language, pf.file.path): pf for pf in code.parsed if pf.ranked}
    shares, best = _shares(code), _best(candidates)
    nodes = tuple(_node(node, pf, shares.get(pf.file.path, 0.0), best.get(pf.file.path))
                  for node, pf in sorted(files.items()))
    return ModuleGraph(nodes, _edges(code, files))


def _shares(code: Survey) -> dict[str, float]:
    """Per file: the estimated work of its units over the work of every unit (tests left out)."""
    heat, found = code.code.heat, Counter()
    for uid in sorted(heat.of_unit):   # a fixed order: the same sums to the last bit
        found[code.units[uid].path] += heat.of_unit[uid] / heat.program
    return found


def _best(candidates: Sequence[Candidate]) -> dict[str, Candidate]:
    """Per file: its candidate with the best verdict, then the highest score."""
    found: dict[str, Candidate] = {}
    for c in candidates:   # in rank order: the first of equal verdicts has the higher score
        held = found.get(c.path)
        if c.kind in IN_ONE_FILE and (held is None or BEST_FIRST.index(c.verdict) < BEST_FIRST.index(held.verdict)):
            found[c.path] = c
    return found


def _node(node: str, pf, share: float, best: Candidate | None) -> ModuleNode:
    path = pf.file.path
    return ModuleNode(node, path, pf.file.language, path.rsplit("/", 1)[0] if "/" in path else "",
                      sum(u.sloc for u in pf.units), share,
                      best.verdict.value if best else None, best.id if best else None, best.score if best else 0.0)


def _edges(code: Survey, files: dict) -> tuple[ModuleEdge, ...]:
    """Imports (of a module or of a name in it) and call sites between two ranked files."""
    node_of = {unit.id: node for node, pf in files.items() for unit in pf.units}
    counts = Counter((source, target, LINKS[edge.kind]) for edge in code.graph.links()   # counted in C
                     for source, target in [(node_of.get(edge.source), node_of.get(edge.target))]
                     if source is not None and target is not None and source != target)
    return tuple(ModuleEdge(s, t, kind, n) for (s, t, kind), n in sorted(counts.items()))
