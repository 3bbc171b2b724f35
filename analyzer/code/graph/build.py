"""Building the graph: imports and calls resolved against the repository's symbol table.

Calls are resolved through what one file already knew (imports, `self`, variables holding
instances of known classes) and the symbol table (including base classes). A method called
on a receiver of unknown type is not linked; a Java type named by a simple name is, when
one class has it, and such edges are marked approximate. Everything unresolved is counted,
never guessed.
"""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence

from analyzer.code import offpath
from analyzer.code.graph.facade import DependencyGraph
from analyzer.code.graph.symbols import Symbols
from analyzer.model import CallSite, CodeUnit, Edge, EdgeKind, Import, ParsedFile, ResolvedCalls, UnitKind


def build(parsed: Sequence[ParsedFile], units: Mapping[str, CodeUnit],
          off: Mapping[str, str] | None = None) -> tuple[DependencyGraph, ResolvedCalls]:
    """The graph, and the call sites it linked into the repository. `off` names the units off
    the hot path (offpath.py): calls into and from them are weighed as such."""
    symbols = Symbols(parsed)
    tests = frozenset(u.id for pf in parsed if not pf.drives for u in pf.units)
    calls = _Calls(symbols, off or {}, tests)
    edges: list[Edge] = []
    unresolved, imported = 0, {}
    for pf in parsed:
        edges.extend(_import_edges(pf, symbols, imported))
        for unit in pf.units:
            unresolved += calls.edges(unit, _owner_class(unit, units, pf.module), edges)
    edges.extend(_usage_edges(parsed, units, edges))
    resolved = frozenset((e.source, e.line, e.call) for e in edges if e.kind.is_call)
    return DependencyGraph(units, edges, unresolved, tests, off), resolved


# A call's links: the units it runs with each edge's kind, whether they are approximate, and
# (when it runs none) 1 if it looks internal.
_Links = tuple[tuple[tuple[str, EdgeKind], ...], bool, int]


class _Calls:
    """The edges of every call site. What a call links to depends only on its target as
    written, its arity, whether it is made through `self`, and (for `super()`) the caller's
    class: worked out once per such key, however many call sites share it (kafka: 208k call
    sites, 46k keys)."""

    def __init__(self, symbols: Symbols, off: Mapping[str, str], tests: frozenset[str]):
        self.symbols, self.off, self.tests = symbols, off, tests
        self.links: dict[tuple, _Links] = {}

    def edges(self, unit: CodeUnit, owner: str | None, out: list[Edge]) -> int:
        """Appends the unit's call edges to `out`; returns how many of its calls look internal
        but were not linked (a test's are not counted)."""
        unresolved, off, links = 0, self.off, self.links
        source, source_off = unit.id, off.get(unit.id)
        for call in unit.calls:
            written = call.target
            key = (written, call.via_self, call.arity, owner if written.startswith("super().") else None)
            targets, approx, internal = links.get(key) or self._resolve(key, call, owner)
            unresolved += internal
            for target, kind in targets:
                depth, cold = call.loop_depth, call.cold
                if source_off or target in off:
                    depth, cold = offpath.weigh(source_off, off.get(target), depth, cold)
                out.append(Edge(source, target, call.line, depth, kind, approx, written, cold))
        return 0 if source in self.tests else unresolved

    def _resolve(self, key: tuple, call: CallSite, owner: str | None) -> _Links:
        found = self.links[key] = self._links(call, owner)
        return found

    def _links(self, call: CallSite, owner: str | None) -> _Links:
        """The units the call runs with each edge's kind, whether that is approximate, and
        (when it runs none) whether the call looks internal."""
        targets, kind, approx = self.symbols.dispatch(call.target, call.via_self, owner, call.arity)
        if not targets:
            return (), approx, _looks_internal(call.target, self.symbols)
        pairs = [(t, kind) for t in targets]
        if kind == EdgeKind.INSTANTIATE:
            cls = call.target.removeprefix("new:")
            init = self.symbols.constructor(self.symbols.find_class(cls)[0] or cls, call.arity)
            if init:
                pairs.append((init, EdgeKind.CALL))
        return tuple(pairs), approx, 0


def _usage_edges(parsed: Sequence[ParsedFile], units: Mapping[str, CodeUnit], edges: list[Edge]) -> list[Edge]:
    """Java needs no import for a class of the same package: a file that calls into another
    file depends on it, so calls between Java files also count as module edges."""
    files = {u.id: pf.units[0].id for pf in parsed if pf.file.language == "java" and pf.units for u in pf.units}
    pairs = {(files[e.source], files[e.target]) for e in edges
             if e.kind.is_call and e.source in files and e.target in files}
    return [Edge(a, b, units[a].start, 0, EdgeKind.IMPORT) for a, b in sorted(pairs) if a != b]


def _owner_class(unit: CodeUnit, units: Mapping[str, CodeUnit], module: str) -> str | None:
    parent = units.get(unit.parent or "")
    if parent is not None and parent.kind == UnitKind.CLASS:
        return f"{module}.{parent.qualname}" if module else parent.qualname
    return None


def _looks_internal(target: str, symbols: Symbols) -> int:
    return int(target.partition(".")[0] in symbols.modules or target.startswith("super()"))


def _import_edges(pf: ParsedFile, symbols: Symbols, known: dict[tuple[str, str | None], list]) -> Iterable[Edge]:
    """`known`: the targets of each module and name imported so far (kafka: 64k imports of
    5k names)."""
    source = pf.units[0].id if pf.units else None
    for imp in pf.imports:
        targets = known.get((imp.module, imp.name))
        if targets is None:
            targets = known[(imp.module, imp.name)] = _import_targets(imp, symbols)
        for target, kind in targets:
            yield Edge(source or imp.unit, target, imp.line, 0, kind)


def _import_targets(imp: Import, symbols: Symbols) -> list[tuple[str, EdgeKind]]:
    """The module imported, and the unit imported by name when it is one (a test that
    imports `decode` exercises `decode`)."""
    targets = []
    member = f"{imp.module}.{imp.name}" if imp.name and imp.name != "*" else None
    if member and member in symbols.modules:
        targets.append((symbols.modules[member], EdgeKind.IMPORT))
    elif imp.module in symbols.modules:
        targets.append((symbols.modules[imp.module], EdgeKind.IMPORT))
    named = member or imp.module
    if named in symbols.by_name:
        targets.append((symbols.by_name[named], EdgeKind.REFERENCE))
    return targets
