"""The dependency graph of a repository, behind domain questions.

Its adjacency and its list of edges are its own: later stages ask who calls a set of
units, which calls leave it, which test units use it, how often each unit runs, in which
order a port would take units, which modules import each other and which modules only one
module reaches. The graphs are plain dicts, which answer those questions by the hundred
thousand faster than networkx's views; algorithms.py hands the few whole-graph questions
(components, their order, dominators) to networkx.
"""

from __future__ import annotations

from collections import defaultdict
from operator import attrgetter
from typing import Collection, Iterable, Mapping, Sequence

from analyzer.code.graph import algorithms
from analyzer.code.offpath import ENTRY, PROTOCOL
from analyzer.model import CodeUnit, Edge, EdgeKind, UnitKind

RECURSION_FACTOR = 4.0      # a recursive group runs its body a few times per entry
FREQUENCY_CAP = 1e6
NESTED_SHARE = 0.9          # see dominated_modules
NATIVE_CALL = "native"      # the cost name of a call into a method declared `native`
ROOT = "<root>"             # the dominator tree's root, above every module nothing imports


class DependencyGraph:
    """Built once, never changed: every answer is a function of the edges it was given."""

    def __init__(self, units: Mapping[str, CodeUnit], edges: Sequence[Edge], unresolved: int,
                 tests: frozenset[str], off_path: Mapping[str, str] | None = None):
        self.unresolved = unresolved   # calls that look internal but were not linked
        self._tests = tests
        self._off_path = dict(off_path or {})
        self._native = frozenset(u for u, unit in units.items() if "native" in unit.modifiers)
        self._edges = tuple(edges)
        self._calls = _Adjacency(units, tests, modules=False)
        self._imports = _Adjacency(units, tests, modules=True)
        self._index(tests)
        self._cycles = tuple(sorted((tuple(sorted(c)) for c in self._imports.components() if len(c) > 1),
                                    key=lambda g: (-len(g), g)))
        self._condensed: tuple[dict[str, int], list[list[str]]] | None = None
        self._rare_only: frozenset[str] | None = None

    def _index(self, tests: frozenset[str]) -> None:
        """Each question below is asked per group or per unit, hundreds of thousands of times:
        the edges it reads are sorted out once, here, in the order they were built."""
        links_out: dict[str, list[Edge]] = defaultdict(list)   # calls and imports by name
        calls_out: dict[str, list[Edge]] = defaultdict(list)
        uses_in: dict[str, list[Edge]] = defaultdict(list)     # from code: tests left out
        callers: dict[str, list[Edge]] = defaultdict(list)     # uses but imports of a module
        calls_in: dict[str, list[Edge]] = defaultdict(list)    # calls from code
        tests_in: dict[str, list[str]] = defaultdict(list)     # the test units using a unit
        calls, imports = self._calls.successors, self._imports.successors
        for edge in self._edges:
            source, target, kind = edge.source, edge.target, edge.kind
            if kind != EdgeKind.IMPORT:
                links_out[source].append(edge)
                if kind.is_call:
                    calls_out[source].append(edge)
            if source in tests:
                tests_in[target].append(source)
                continue
            uses_in[target].append(edge)
            if kind == EdgeKind.IMPORT:
                if target not in tests:
                    imports[source][target] = None
                continue
            callers[target].append(edge)
            if kind.is_call:
                calls_in[target].append(edge)
                if target not in tests:
                    calls[source][target] = None
        self._links_out, self._calls_out, self._uses_in, self._calls_in, self._tests_in = \
            links_out, calls_out, uses_in, calls_in, tests_in
        self._callers = {u: tuple(found) for u, found in callers.items()}
        self._calls.add_linked_nodes()
        self._imports.add_linked_nodes()

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
        live = [u for u in (*self._calls.nodes, *self._imports.nodes) if u not in hooks and not self.callers_of(u)]
        seeds = [*hooks, *entries, *(e.target for e in self._edges if e.cold and e.source not in self._tests)]
        hot = self._reached(live, lambda e: not e.cold and e.target not in hooks, stop=entries)
        return frozenset(self._reached(seeds, lambda e: True) - hot)

    def _reached(self, starts: Iterable[str], follow, stop: frozenset[str] = frozenset()) -> set[str]:
        """Units reached from `starts` along the calls `follow` accepts, not going on from `stop`."""
        seen = set(starts)
        pending = [u for u in seen if u not in stop]
        while pending:
            for e in self._links_out.get(pending.pop(), ()):
                if e.target not in seen and follow(e):
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
        return list(self._calls_out.get(unit_id, ()))

    def calls_into(self, members: Collection[str]) -> list[Edge]:
        """Calls from code outside `members` (tests left out) into one of them, in the order
        of `members`."""
        return _crossing(self._calls_in, members, _SOURCE)

    def calls_leaving(self, members: Collection[str]) -> list[Edge]:
        """Calls from one of `members` to a unit outside them."""
        return _crossing(self._calls_out, members, _TARGET)

    def uses_into(self, members: Collection[str]) -> list[Edge]:
        """Every use from code outside `members` (tests left out): calls, and imports by name."""
        return _crossing(self._uses_in, members, _SOURCE)

    def callers_of(self, unit_id: str) -> tuple[Edge, ...]:
        """Calls into a unit and imports of it by name, from code (tests left out)."""
        return self._callers.get(unit_id, ())

    def test_users(self, members: Collection[str]) -> frozenset[str]:
        """The test units that import or call one of `members`."""
        return frozenset(_crossing(self._tests_in, members, _ITSELF))

    # --- the call graph ----------------------------------------------------------------

    def frequencies(self, trip: float) -> dict[str, float]:
        """Static estimate of calls per program run: entry units run once, each call site adds
        its caller's frequency times `trip` per enclosing loop (Wu-Larus style), recursion
        multiplies, and the total is capped so deep call chains cannot explode."""
        member_of, components = self._recursions()
        freq: dict[str, float] = {}
        for group, nodes in enumerate(components):
            total = sum(freq[e.source] * call_weight(e, trip) for n in nodes for e in self._calls_in.get(n, ())
                        if member_of[e.source] != group)
            value = total or 1.0
            if len(nodes) > 1 or self._calls.has_edge(nodes[0], nodes[0]):
                value *= RECURSION_FACTOR
            for n in nodes:
                freq[n] = min(value, FREQUENCY_CAP)
        return freq

    def leaves_first(self, unit_ids: Iterable[str]) -> list[str]:
        """Units ordered so each comes after the units it calls (a port's natural order);
        units that call each other come together, by id."""
        members = {u for u in unit_ids if u in self._calls.nodes}
        calls = {u: [v for v in self._calls.successors.get(u, ()) if v in members] for u in members}
        components = algorithms.strongly_connected(sorted(members), calls)
        return [u for i in algorithms.leaves_first(components, calls) for u in sorted(components[i])]

    def callees_first(self) -> list[tuple[str, ...]]:
        """The call graph's strongly connected groups (recursion), each sorted, every group
        after the groups it calls: the order in which work per call adds up."""
        return [tuple(sorted(nodes)) for nodes in reversed(self._recursions()[1])]

    def _recursions(self) -> tuple[dict[str, int], list[list[str]]]:
        """The call graph condensed to its recursions: unit -> recursion, and the recursions
        (their units) callers first. Asked by the time model and by intensity: built once."""
        if self._condensed is None:
            components = self._calls.components()[::-1]
            self._condensed = {n: i for i, nodes in enumerate(components) for n in nodes}, components
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
        imports, preds = self._imports, self._imports.predecessors()
        roots = [n for n in imports.nodes if not preds.get(n)]
        roots += [min(c) for c in map(set, imports.components())
                  if len(c) > 1 and all(p in c for n in c for p in preds[n])]
        successors = {**imports.successors, ROOT: roots}   # a repository where nothing parsed has no module at all
        children: dict[str, list[str]] = defaultdict(list)
        for node, parent in algorithms.immediate_dominators(successors, ROOT).items():
            children[parent].append(node)
        return {m: tuple(sorted(_preorder(m, children)[1:])) for m in _distinct_subtrees(children)}


def call_weight(edge: Edge, trip: float) -> float:
    """How often a call site runs per run of its caller: `trip` per enclosing loop, and one
    chance in `trip` on an exception path (a static branch-probability rule)."""
    depth = edge.depth   # asked 400k times a scan: a comparison, not a call of min
    weight = trip ** (depth if depth < 7 else 7)
    return weight / trip if edge.cold else weight


class _Adjacency:
    """The import graph of modules, or the call graph of classes and functions, tests left
    out: nodes and successors in the order the units and edges came."""

    def __init__(self, units: Mapping[str, CodeUnit], tests: frozenset[str], modules: bool):
        self.nodes = dict.fromkeys(u for u, unit in units.items()
                                   if (unit.kind == UnitKind.MODULE) == modules and u not in tests)
        self.successors: dict[str, dict[str, None]] = defaultdict(dict)   # filled by DependencyGraph._index
        self._components: list[list[str]] | None = None

    def add_linked_nodes(self) -> None:
        """The ends of its edges that are not units of its kind (a module's own calls)."""
        for source, targets in self.successors.items():
            self.nodes.setdefault(source)
            for target in targets:
                self.nodes.setdefault(target)

    def has_edge(self, source: str, target: str) -> bool:
        return target in self.successors.get(source, ())

    def components(self) -> list[list[str]]:
        """Strongly connected components, each after every component it reaches (the import
        graph's are asked twice: for its cycles and for its dominators)."""
        if self._components is None:
            self._components = algorithms.strongly_connected(self.nodes, self.successors)
        return self._components

    def predecessors(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = defaultdict(set)
        for source, targets in self.successors.items():
            for target in targets:
                found[target].add(source)
        return found


_SOURCE, _TARGET, _ITSELF = attrgetter("source"), attrgetter("target"), lambda unit_id: unit_id


def _crossing(index: Mapping[str, Sequence], members: Collection[str], far_end) -> list:
    """What `index` holds for each of `members`, in their order, whose far end (`far_end` of
    it) is outside them."""
    inside = members if isinstance(members, (set, frozenset)) else frozenset(members)
    return [x for m in members for x in index.get(m, ()) if far_end(x) not in inside]


def _distinct_subtrees(children: dict[str, list[str]]) -> list[str]:
    """The dominators whose subtrees are reported (see `dominated_modules`), top down."""
    sizes: dict[str, int] = {}
    for node in reversed(_preorder(ROOT, children)):   # children before their parent
        sizes[node] = 1 + sum(sizes[c] for c in children.get(node, ()))
    chosen, pending = [], [(c, float("inf")) for c in children.get(ROOT, ())]
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
