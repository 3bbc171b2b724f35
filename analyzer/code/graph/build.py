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
    off = off or {}
    symbols = Symbols(parsed)
    tests = frozenset(u.id for pf in parsed if not pf.drives for u in pf.units)
    edges: list[Edge] = []
    unresolved = 0
    for pf in parsed:
        edges.extend(_import_edges(pf, symbols))
        for unit in pf.units:
            owner = _owner_class(unit, units, pf.module)
            for call in unit.calls:
                found = _call_edges(unit, call, owner, symbols, off)
                unresolved += not found and unit.id not in tests and _looks_internal(call.target, symbols)
                edges.extend(found)
    edges.extend(_usage_edges(parsed, units, edges))
    resolved = frozenset((e.source, e.line, e.call) for e in edges if e.kind.is_call)
    return DependencyGraph(units, edges, unresolved, tests, off), resolved


def _call_edges(unit: CodeUnit, call: CallSite, owner: str | None, symbols: Symbols,
                off: Mapping[str, str]) -> list[Edge]:
    targets, kind, approx = symbols.dispatch(call.target, call.via_self, owner, call.arity)
    if not targets:
        return []
    pairs = [(t, kind) for t in targets]
    if kind == EdgeKind.INSTANTIATE:
        cls = call.target.removeprefix("new:")
        init = symbols.constructor(symbols.find_class(cls)[0] or cls, call.arity)
        if init:
            pairs.append((init, EdgeKind.CALL))
    found = []
    for target, edge_kind in pairs:
        depth, cold = offpath.weigh(off.get(unit.id), off.get(target), call.loop_depth, call.cold)
        found.append(Edge(unit.id, target, call.line, depth, edge_kind, approx, call.target, cold))
    return found


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


def _import_edges(pf: ParsedFile, symbols: Symbols) -> Iterable[Edge]:
    source = pf.units[0].id if pf.units else None
    for imp in pf.imports:
        for target, kind in _import_targets(imp, symbols):
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
