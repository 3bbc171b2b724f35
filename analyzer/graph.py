"""Graph stage: the module import graph and an approximate call graph, behind one facade.

Input: ParsedFiles. Output: a DependencyGraph answering fan-in/fan-out, cycles, dominators,
the edges that cross a set of units, and static call frequencies. networkx is imported
here and nowhere else.

Calls are resolved through what one file already knew (imports, `self`, variables holding
instances of known classes) and the repository's symbol table (including base classes).
A method called on a receiver of unknown type is linked only when exactly one unit of the
repository has that name, and such edges are marked approximate. Everything unresolved is
counted, never guessed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

import networkx as nx

from analyzer.model import CodeUnit, Import, ParsedFile
from analyzer.symbols import Symbols

RECURSION_FACTOR = 4.0      # a recursive group runs its body a few times per entry
FREQUENCY_CAP = 1e6


@dataclass(frozen=True, slots=True)
class Site:
    source: str
    target: str
    line: int
    depth: int
    kind: str                   # call | instantiate | import
    approx: bool = False
    call: str = ""              # the call's target as written (CallSite.target), for calls
    cold: bool = False          # made on an exception path


class DependencyGraph:
    def __init__(self, units: dict[str, CodeUnit], sites: list[Site], modules: dict[str, str],
                 unresolved: int, tests: frozenset[str]):
        self.units, self.sites, self.modules = units, sites, modules
        # call sites the graph owns, so the facts stage does not also count them as callbacks
        self.resolved = frozenset((s.source, s.line, s.call) for s in sites if s.kind in ("call", "instantiate"))
        self.unresolved, self.tests = unresolved, tests
        self._calls = nx.DiGraph()
        self._imports = nx.DiGraph()
        self._calls.add_nodes_from(u for u in units if units[u].kind != "module" and u not in tests)
        self._imports.add_nodes_from(u for u in units if units[u].kind == "module" and u not in tests)
        self._in: dict[str, list[Site]] = defaultdict(list)
        self._out: dict[str, list[Site]] = defaultdict(list)
        for site in sites:
            self._in[site.target].append(site)
            self._out[site.source].append(site)
        in_code = [s for s in sites if s.source not in tests and s.target not in tests]
        self._imports.add_edges_from({(s.source, s.target) for s in in_code if s.kind == "import"})
        self._calls.add_edges_from({(s.source, s.target) for s in in_code if s.kind in ("call", "instantiate")})
        self._cycles: list[tuple[str, ...]] | None = None

    # --- queries ----------------------------------------------------------------------

    def sites_into(self, unit_id: str) -> list[Site]:
        return self._in.get(unit_id, [])

    def sites_from(self, unit_id: str) -> list[Site]:
        return self._out.get(unit_id, [])

    def fan_in(self, unit_id: str) -> int:
        return len({s.source for s in self.sites_into(unit_id) if s.source not in self.tests})

    def fan_out(self, unit_id: str) -> int:
        return len({s.target for s in self.sites_from(unit_id)})

    def import_cycles(self) -> list[tuple[str, ...]]:
        """Groups of modules that import each other, each sorted, largest first."""
        if self._cycles is None:
            groups = [tuple(sorted(c)) for c in nx.strongly_connected_components(self._imports) if len(c) > 1]
            self._cycles = sorted(groups, key=lambda g: (-len(g), g))
        return self._cycles

    def dominated_modules(self) -> dict[str, tuple[str, ...]]:
        """For modules that dominate others, the modules reachable only through them (their
        dominator subtree). In a chain of imports every module dominates the rest: a subtree
        is reported only when it is at most NESTED_SHARE of the nearest one reported above it,
        so the reported sizes add up to O(n log n) modules, not O(n^2)."""
        graph = self._imports.copy()
        roots = [n for n in graph if graph.in_degree(n) == 0]
        roots += [min(c) for c in nx.strongly_connected_components(graph)
                  if len(c) > 1 and not any(graph.has_edge(p, n) for n in c for p in graph.predecessors(n)
                                            if p not in c)]
        graph.add_node("<root>")   # a repository where nothing parsed has no module at all
        graph.add_edges_from(("<root>", r) for r in roots)
        children: dict[str, list[str]] = defaultdict(list)
        for node, parent in nx.immediate_dominators(graph, "<root>").items():
            if node != parent:
                children[parent].append(node)
        return {m: tuple(sorted(_preorder(m, children)[1:])) for m in _distinct_subtrees(children)}

    def leaves_first(self, unit_ids: Iterable[str]) -> list[str]:
        """Units ordered so each comes after the units it calls (a port's natural order);
        units that call each other come together, by id."""
        members = {u for u in unit_ids if u in self._calls}
        sub = nx.DiGraph()   # a graph of its own: a subgraph view filters every adjacency it reads
        sub.add_nodes_from(members)
        sub.add_edges_from((u, v) for u in members for v in self._calls.successors(u) if v in members)
        condensed = nx.condensation(sub)
        groups: dict[int, list[str]] = defaultdict(list)
        for unit, group in condensed.graph["mapping"].items():
            groups[group].append(unit)
        order = nx.lexicographical_topological_sort(condensed.reverse(copy=False), key=lambda g: min(groups[g]))
        return [u for g in order for u in sorted(groups[g])]

    def frequencies(self, trip: float) -> dict[str, float]:
        """Static estimate of calls per program run: entry units run once, each call site adds
        its caller's frequency times `trip` per enclosing loop (Wu-Larus style), recursion
        multiplies, and the total is capped so deep call chains cannot explode."""
        condensed = nx.condensation(self._calls)
        members = condensed.graph["mapping"]
        groups: dict[int, list[str]] = defaultdict(list)
        for unit, group in members.items():
            groups[group].append(unit)
        calls_into: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for site in self.sites:
            if site.kind in ("call", "instantiate") and site.source in members:
                calls_into[site.target].append((site.source, site_weight(site, trip)))
        freq: dict[str, float] = {}
        for group in nx.topological_sort(condensed):
            nodes = groups[group]
            total = sum(freq[source] * w for n in nodes for source, w in calls_into.get(n, ())
                        if members[source] != group)
            value = total or 1.0
            if len(nodes) > 1 or self._calls.has_edge(nodes[0], nodes[0]):
                value *= RECURSION_FACTOR
            for n in nodes:
                freq[n] = min(value, FREQUENCY_CAP)
        return freq


def site_weight(site: Site, trip: float) -> float:
    """How often a call site runs per run of its caller: `trip` per enclosing loop, and one
    chance in `trip` on an exception path (a static branch-probability rule)."""
    weight = trip ** min(site.depth, 7)
    return weight / trip if site.cold else weight


NESTED_SHARE = 0.9


def _distinct_subtrees(children: dict[str, list[str]]) -> list[str]:
    """The dominators whose subtrees are reported (see `dominated_modules`), top down."""
    sizes: dict[str, int] = {}
    for node in reversed(_preorder("<root>", children)):   # children before their parent
        sizes[node] = 1 + sum(sizes[c] for c in children.get(node, ()))
    chosen, pending = [], [(c, float("inf")) for c in children.get("<root>", ())]
    while pending:
        node, above = pending.pop()
        reported = node in children and sizes[node] <= NESTED_SHARE * above
        if reported:
            chosen.append(node)
        pending.extend((c, sizes[node] if reported else above) for c in children.get(node, ()))
    return chosen


def _preorder(node: str, children: dict[str, list[str]]) -> list[str]:
    out, pending = [], [node]
    while pending:
        n = pending.pop()
        out.append(n)
        pending.extend(children.get(n, ()))
    return out


# --- building ----------------------------------------------------------------------------

def build(parsed: Sequence[ParsedFile]) -> DependencyGraph:
    symbols = Symbols(parsed)
    units = {u.id: u for pf in parsed for u in pf.units}
    tests = frozenset(u.id for pf in parsed if not pf.ranked for u in pf.units)
    sites: list[Site] = []
    unresolved = 0
    for pf in parsed:
        sites.extend(_import_sites(pf, symbols))
        for unit in pf.units:
            owner = _owner_class(unit, units, pf.module)
            for call in unit.calls:
                found = _call_sites(unit, call, owner, symbols)
                unresolved += not found and _looks_internal(call.target, symbols)
                sites.extend(found)
    sites.extend(_usage_sites(parsed, units, sites))
    return DependencyGraph(units, sites, symbols.modules, unresolved, tests)


def _call_sites(unit: CodeUnit, call, owner: str | None, symbols: Symbols) -> list[Site]:
    target, kind, approx = symbols.resolve(call.target, call.via_self, owner, call.arity)
    if target is None:
        return []
    found = [Site(unit.id, target, call.line, call.loop_depth, kind, approx, call.target, call.cold)]
    if kind == "instantiate":
        cls = call.target[4:] if call.target.startswith("new:") else call.target
        init = symbols.constructor(symbols._class(cls)[0] or cls, call.arity)
        if init:
            found.append(Site(unit.id, init, call.line, call.loop_depth, "call", approx, call.target, call.cold))
    return found


def _usage_sites(parsed: Sequence[ParsedFile], units: dict[str, CodeUnit], sites: list[Site]) -> list[Site]:
    """Java needs no import for a class of the same package: a file that calls into another
    file depends on it, so calls between Java files also count as module edges."""
    files = {u.id: pf.units[0].id for pf in parsed if pf.file.language == "java" and pf.units for u in pf.units}
    edges = {(files[s.source], files[s.target]) for s in sites
             if s.kind in ("call", "instantiate") and s.source in files and s.target in files}
    return [Site(a, b, units[a].start, 0, "import") for a, b in sorted(edges) if a != b]


def _owner_class(unit: CodeUnit, units: dict[str, CodeUnit], module: str) -> str | None:
    parent = units.get(unit.parent or "")
    if parent is not None and parent.kind == "class":
        return f"{module}.{parent.qualname}" if module else parent.qualname
    return None


def _looks_internal(target: str, symbols: Symbols) -> int:
    return int(target.partition(".")[0] in symbols.modules or target.startswith("super()"))


def _import_sites(pf: ParsedFile, symbols: Symbols) -> Iterable[Site]:
    source = pf.units[0].id if pf.units else None
    for imp in pf.imports:
        for target, kind in _import_targets(imp, symbols):
            yield Site(source or imp.unit, target, imp.line, 0, kind)


def _import_targets(imp: Import, symbols: Symbols) -> list[tuple[str, str]]:
    """The module imported, and the unit imported by name when it is one (a test that
    imports `decode` exercises `decode`)."""
    targets = []
    member = f"{imp.module}.{imp.name}" if imp.name and imp.name != "*" else None
    if member and member in symbols.modules:
        targets.append((symbols.modules[member], "import"))
    elif imp.module in symbols.modules:
        targets.append((symbols.modules[imp.module], "import"))
    named = member or imp.module
    if named in symbols.by_name:
        targets.append((symbols.by_name[named], "reference"))
    return targets
