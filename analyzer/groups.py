"""Groups stage: the extent of every candidate, as a set of units.

Input: ParsedFiles and the DependencyGraph. Output: Groups sorted by id:
- one per ranked unit: a function with its nested functions, a class with its methods,
  a module with everything in it;
- components, sets of modules that could be replaced together behind one interface:
  a package (a folder of modules), a group of modules that import each other (a cycle),
  and an entry module with the modules only it reaches (its dominator subtree).

A component is kept only when it spans at least two modules with code, is not the whole
repository, and has not already been found under another origin.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Sequence

from analyzer.graph import DependencyGraph
from analyzer.model import LANG_PREFIX, CodeUnit, Group, ParsedFile

MAX_COMPONENT_SHARE = 0.6     # a "component" with most of the code is the program, not a part


def collect(parsed: Sequence[ParsedFile], graph: DependencyGraph) -> tuple[Group, ...]:
    ranked = [pf for pf in parsed if pf.file.ranked and not pf.generated and not pf.error]
    children = _children(ranked)
    groups = [_unit_group(u, children) for pf in ranked for u in pf.units]
    modules = {pf.units[0].id: pf for pf in ranked if pf.units}
    groups += _components(modules, graph, children)
    return tuple(sorted(groups, key=lambda g: g.id))


def _children(parsed: Sequence[ParsedFile]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for pf in parsed:
        for unit in pf.units:
            if unit.parent:
                children[unit.parent].append(unit.id)
    return children


def descendants(unit_id: str, children: dict[str, list[str]]) -> list[str]:
    out, pending = [unit_id], list(children.get(unit_id, ()))
    while pending:
        node = pending.pop()
        out.append(node)
        pending.extend(children.get(node, ()))
    return out


def _unit_group(unit: CodeUnit, children: dict[str, list[str]]) -> Group:
    return Group(unit.id, unit.kind, unit.language, unit.path, unit.name, unit.qualname,
                 (unit.start, unit.end), tuple(sorted(descendants(unit.id, children))), (unit.path,))


def _components(modules: dict[str, ParsedFile], graph: DependencyGraph,
                children: dict[str, list[str]]) -> list[Group]:
    with_code = {m for m, pf in modules.items() if len(pf.units) > 1 or pf.units[0].sloc > 3}
    limit = max(2, int(MAX_COMPONENT_SHARE * len(with_code)))
    found: dict[frozenset[str], Group] = {}

    def keep(members: set[str], origin: str, key: str, name: str) -> None:
        members = {m for m in members if m in modules}
        coded = members & with_code
        if len(coded) < 2 or len(coded) > limit or frozenset(coded) in found:
            return
        found[frozenset(coded)] = _component(sorted(members), modules, children, origin, key, name)

    for folder, members in sorted(_packages(modules).items()):
        keep(members, "package", folder + "/", folder.rpartition("/")[2] or folder)
    for cycle in graph.import_cycles():
        keep(set(cycle), "cycle", modules[cycle[0]].file.path, f"cycle of {len(cycle)} modules")
    for entry, dominated in sorted(graph.dominated_modules().items()):
        if entry in modules:
            keep({entry, *dominated}, "dominator", modules[entry].file.path,
                 f"{modules[entry].units[0].name} and what only it reaches")
    return list(found.values())


def _packages(modules: dict[str, ParsedFile]) -> dict[str, set[str]]:
    """Every folder, with all modules below it."""
    folders: dict[str, set[str]] = defaultdict(set)
    for unit_id, pf in modules.items():
        for parent in PurePosixPath(pf.file.path).parents:
            if str(parent) != ".":
                folders[str(parent)].add(unit_id)
    return folders


def _component(members: list[str], modules: dict[str, ParsedFile], children: dict[str, list[str]],
               origin: str, key: str, name: str) -> Group:
    first = modules[members[0]]
    prefix = LANG_PREFIX[first.file.language]
    units = sorted(u for m in members for u in descendants(m, children))
    files = tuple(sorted(modules[m].file.path for m in members))
    path = key if origin == "package" else first.file.path
    return Group(f"{prefix}:component:{origin}:{key}", "component", first.file.language, path, name,
                 name, (1, 1), tuple(units), files, origin)
