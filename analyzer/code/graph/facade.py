"""The dependency graph of a repository, behind domain questions.

Its engine (networkx) and its list of edges are its own: later stages ask who calls a set of
units, which calls leave it, which test units use it, how often each unit runs, in which
order a port would take units, which modules import each other and which modules only one
module reaches. networkx is imported in this package and nowhere else.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Collection, Iterable, Mapping, Sequence

import networkx as nx

from analyzer.code.offpath import ENTRY, PROTOCOL
from analyzer.model import CodeUnit, Edge, EdgeKind, UnitKind

RECURSION_FACTOR = 4.0      # a recursive group runs its body a few times per entry
FREQUENCY_CAP = 1e6
NESTED_SHARE = 0.9          # see dominated_modules
NATIVE_CALL = "native"      # the cost name of a call into a method declared `native`


class DependencyGraph:
    """Built once, never changed: every answer is a function of the edges it was given."""

    def __init__(self, units: Mapping[str, CodeUnit], edges: Sequence[Edge], unresolved: int,
                 tests: frozenset[str], off_path: Mapping[str, str] | None = None):
        self.unresolved = unresolved   # calls that look internal but were not linked
        self._tests = tests
        self._off_path = dict(off_path or {})
        self._native = frozenset(u for u, unit in units.items() if "native" in unit.modifiers)
        self._edges = tuple(edges)
        self._in: dict[str, list[Edge]] = defaultdict(list)
        self._out: dict[str, list[Edge]] = defaultdict(list)
        for edge in self._edges:
            self._in[edge.target].append(edge)
            self._out[edge.source].append(edge)
        self._calls = _engine(units, self._edges, tests, modules=False)
        self._imports = _engine(units, self._edges, tests, modules=True)
        self._cycles = tuple(sorted((tuple(sorted(c)) for c in nx.strongly_connected_components(self._imports)
                                     if len(c) > 1), key=lambda g: (-len(g), g)))
        self._callers: dict[str, tuple[Edge, ...]] = {}   # asked for every member of every group: kept
        self._condensed: tuple[dict[str, int], list[int]] | None = None
        self._rare_only: frozenset[str] | None = None

    # --- who uses whom ---------------------------------------------------------------

    def links(self) -> tuple[Edge, ...]:
        """Every edge, as built: for drawing the files and their links (tests included)."""
        return self._edges

    def is_test(self, unit_id: str) -> bool:
        return unit_id in self._tests

    def off_path(self, unit_id: str) -> str | None:
        """"protocol" or "entry" for a unit off the hot path by what it is (code/offpath.py)."""
        return self._off_path.get(unit_id)

    def rare_only(self, unit_id: str) -> bool:
        """Reached only through rare calls: every path into it from code that runs (a unit
        nothing calls, a hook aside) passes a cold call (an exception path), a diagnostic or
        cleanup hook, or a process entry (offpath: PROTOCOL, ENTRY). A helper of an error
        message is as rare as the message; what only `main` reaches runs once per process,
        where a library's entry runs once per call of its user."""
        if self._rare_only is None:
            self._rare_only = self._rarely_reached()
        return unit_id in self._rare_only

    def _rarely_reached(self) -> frozenset[str]:
        """An entry itself runs as often as its callers call it; only what it reaches is rare."""
        hooks = {u for u, kind in self._off_path.items() if kind == PROTOCOL}
        entries = frozenset(u for u, kind in self._off_path.items() if kind == ENTRY)
        live = [u for u in (*self._calls, *self._imports) if u not in hooks and not self.callers_of(u)]
        seeds = [*hooks, *entries, *(e.target for e in self._edges if e.cold and e.source not in self._tests)]
        hot = self._reached(live, lambda e: not e.cold and e.target not in hooks, stop=entries)
        return frozenset(self._reached(seeds, lambda e: True) - hot)

    def _reached(self, starts: Iterable[str], follow, stop: frozenset[str] = frozenset()) -> set[str]:
        """Units reached from `starts` along the calls `follow` accepts, not going on from `stop`."""
        seen = set(starts)
        pending = [u for u in seen if u not in stop]
        while pending:
            for e in self._out.get(pending.pop(), ()):
                if (e.kind.is_call or e.kind == EdgeKind.REFERENCE) and e.target not in seen and follow(e):
                    seen.add(e.target)
                    if e.target not in stop:
                        pending.append(e.target)
        return seen

    def is_native(self, unit_id: str) -> bool:
        """A method declared `native`: its body runs outside the JVM (JNI)."""
        return unit_id in self._native

    def cost_name(self, edge: Edge) -> str:
        """The cost-model observation a resolved call is priced as: a call into a `native`
        method is native work (a port gains nothing on it), not a call of interpreted code."""
        if edge.kind == EdgeKind.INSTANTIATE:
            return "instantiate"
        return NATIVE_CALL if edge.target in self._native else "internal_call"

    def calls_from(self, unit_id: str) -> list[Edge]:
        """The calls a unit makes into the repository, in source order."""
        return [e for e in self._out.get(unit_id, ()) if e.kind.is_call]

    def calls_into(self, members: Collection[str]) -> list[Edge]:
        """Calls from code outside `members` (tests left out) into one of them, in the order
        of `members`."""
        inside = _set(members)
        return [e for m in members for e in self._in.get(m, ())
                if e.kind.is_call and e.source not in inside and e.source not in self._tests]

    def calls_leaving(self, members: Collection[str]) -> list[Edge]:
        """Calls from one of `members` to a unit outside them."""
        inside = _set(members)
        return [e for m in members for e in self._out.get(m, ()) if e.kind.is_call and e.target not in inside]

    def uses_into(self, members: Collection[str]) -> list[Edge]:
        """Every use from code outside `members` (tests left out): calls, and imports by name."""
        inside = _set(members)
        return [e for m in members for e in self._in.get(m, ())
                if e.source not in inside and e.source not in self._tests]

    def callers_of(self, unit_id: str) -> tuple[Edge, ...]:
        """Calls into a unit and imports of it by name, from code (tests left out)."""
        found = self._callers.get(unit_id)
        if found is None:
            found = self._callers[unit_id] = tuple(
                e for e in self._in.get(unit_id, ())
                if (e.kind.is_call or e.kind == EdgeKind.REFERENCE) and e.source not in self._tests)
        return found

    def test_users(self, members: Collection[str]) -> frozenset[str]:
        """The test units that import or call one of `members`."""
        inside = _set(members)
        return frozenset(e.source for m in members for e in self._in.get(m, ())
                         if e.source not in inside and e.source in self._tests)

    # --- the call graph ----------------------------------------------------------------

    def frequencies(self, trip: float) -> dict[str, float]:
        """Static estimate of calls per program run: entry units run once, each call site adds
        its caller's frequency times `trip` per enclosing loop (Wu-Larus style), recursion
        multiplies, and the total is capped so deep call chains cannot explode."""
        members, order = self._recursions()
        groups = _groups(members)
        calls_into: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for edge in self._edges:
            if edge.kind.is_call and edge.source in members:
                calls_into[edge.target].append((edge.source, call_weight(edge, trip)))
        freq: dict[str, float] = {}
        for group in order:
            nodes = groups[group]
            total = sum(freq[source] * w for n in nodes for source, w in calls_into.get(n, ())
                        if members[source] != group)
            value = total or 1.0
            if len(nodes) > 1 or self._calls.has_edge(nodes[0], nodes[0]):
                value *= RECURSION_FACTOR
            for n in nodes:
                freq[n] = min(value, FREQUENCY_CAP)
        return freq

    def leaves_first(self, unit_ids: Iterable[str]) -> list[str]:
        """Units ordered so each comes after the units it calls (a port's natural order);
        units that call each other come together, by id."""
        members = {u for u in unit_ids if u in self._calls}
        sub = nx.DiGraph()   # a graph of its own: a subgraph view filters every adjacency it reads
        sub.add_nodes_from(members)
        sub.add_edges_from((u, v) for u in members for v in self._calls.successors(u) if v in members)
        condensed = nx.condensation(sub)
        groups = _groups(condensed.graph["mapping"])
        order = nx.lexicographical_topological_sort(condensed.reverse(copy=False), key=lambda g: min(groups[g]))
        return [u for g in order for u in sorted(groups[g])]

    def callees_first(self) -> list[tuple[str, ...]]:
        """The call graph's strongly connected groups (recursion), each sorted, every group
        after the groups it calls: the order in which work per call adds up."""
        members, order = self._recursions()
        groups = _groups(members)
        return [tuple(sorted(groups[g])) for g in reversed(order)]

    def _recursions(self) -> tuple[dict[str, int], list[int]]:
        """The call graph condensed to its recursions: unit -> recursion, and the recursions
        callers first. Asked by the time model and by intensity: built once."""
        if self._condensed is None:
            condensed = nx.condensation(self._calls)   # nodes numbered in the graph's (deterministic) order
            self._condensed = condensed.graph["mapping"], list(nx.topological_sort(condensed))
        return self._condensed

    # --- the module graph --------------------------------------------------------------

    def import_cycles(self) -> tuple[tuple[str, ...], ...]:
        """Groups of modules that import each other, each sorted, largest first."""
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


def call_weight(edge: Edge, trip: float) -> float:
    """How often a call site runs per run of its caller: `trip` per enclosing loop, and one
    chance in `trip` on an exception path (a static branch-probability rule)."""
    weight = trip ** min(edge.depth, 7)
    return weight / trip if edge.cold else weight


def _engine(units: Mapping[str, CodeUnit], edges: Sequence[Edge], tests: frozenset[str], modules: bool) -> nx.DiGraph:
    """The import graph of modules, or the call graph of classes and functions; tests left out."""
    graph = nx.DiGraph()
    graph.add_nodes_from(u for u, unit in units.items() if (unit.kind == UnitKind.MODULE) == modules and u not in tests)
    wanted = (lambda kind: kind == EdgeKind.IMPORT) if modules else (lambda kind: kind.is_call)
    graph.add_edges_from({(e.source, e.target) for e in edges
                          if wanted(e.kind) and e.source not in tests and e.target not in tests})
    return graph


def _set(members: Collection[str]) -> frozenset[str] | set[str]:
    return members if isinstance(members, (set, frozenset)) else frozenset(members)


def _groups(mapping: Mapping[str, int]) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = defaultdict(list)
    for unit, group in mapping.items():
        groups[group].append(unit)
    return groups


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
