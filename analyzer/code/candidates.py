"""Candidates' extents: every group of units a candidate could cover.

Input: ParsedFiles and the DependencyGraph. Output: Groups sorted by id:
- one per ranked unit: a function with its nested functions, a class with its methods,
  a Python module with everything in it (a Java file is not a candidate: its classes are;
  a `native` method is not either: its body is native already; nor is a function that
  the function defining it calls by name: it is part of that function's work);
- Java packages (the files of one folder that declare one package);
- components, sets of modules that could be replaced together behind one interface: a
  Python package (a folder tree), a Java build module (Maven/Gradle `<module>/src/main/java`),
  a group of modules that import each other (a cycle), and an entry module with the modules
  only it reaches (its dominator subtree).

A component is kept only when it spans at least two modules with code, is not the whole
repository, and has not already been found under another origin.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import PurePosixPath
from typing import Sequence

from analyzer.code.graph import DependencyGraph
from analyzer.model import CodeUnit, Group, GroupKind, ParsedFile, UnitKind, group_id

MAX_COMPONENT_SHARE = 0.6     # a "component" with most of the code is the program, not a part


def collect(parsed: Sequence[ParsedFile], graph: DependencyGraph) -> tuple[Group, ...]:
    ranked = [pf for pf in parsed if pf.ranked]
    members = _all_descendants(_children(ranked))
    functions = {u.id for pf in ranked for u in pf.units if u.kind == UnitKind.FUNCTION}
    groups = [_unit_group(u, members) for pf in ranked for u in pf.units
              if not (u.kind == UnitKind.MODULE and u.language == "java") and "native" not in u.modifiers
              and not (u.parent in functions and _called_by(u.parent, u.id, graph))]
    modules = {pf.units[0].id: pf for pf in ranked if pf.units}
    groups += _java_packages(modules, members)
    groups += _components(modules, graph, members)
    return tuple(sorted(groups, key=lambda g: g.id))


def _called_by(parent: str, unit_id: str, graph: DependencyGraph) -> bool:
    """Whether the function that defines a unit calls it: then it is part of that function's
    work (a closure over its locals), ported with it. One it hands out (a closure a factory
    returns, a callback) runs on its own and stays a candidate."""
    return any(e.source == parent for e in graph.callers_of(unit_id))


def _children(parsed: Sequence[ParsedFile]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = defaultdict(list)
    for pf in parsed:
        for unit in pf.units:
            if unit.parent:
                children[unit.parent].append(unit.id)
    return children


def _all_descendants(children: dict[str, list[str]]) -> dict[str, tuple[str, ...]]:
    """Every unit with the units nested in it, computed once from the leaves up."""
    found: dict[str, tuple[str, ...]] = {}
    order: list[str] = []
    seen: set[str] = set()
    for root in list(children):
        stack = [root]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            order.append(node)
            stack.extend(children.get(node, ()))
    for node in reversed(order):
        below = [node]
        for child in children.get(node, ()):
            below += found[child]
        found[node] = tuple(sorted(below)) if len(below) > 1 else (node,)
    return found


def members_of(unit_id: str, members: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return members.get(unit_id, (unit_id,))


def _unit_group(unit: CodeUnit, members: dict[str, tuple[str, ...]]) -> Group:
    return Group(unit.id, unit.kind, unit.language, unit.path, unit.name, unit.qualname,
                 (unit.start, unit.end), members_of(unit.id, members), (unit.path,))


def _java_packages(modules: dict[str, ParsedFile], members: dict[str, tuple[str, ...]]) -> list[Group]:
    folders: dict[tuple[str, str], list[str]] = defaultdict(list)
    for unit_id, pf in modules.items():
        if pf.file.language == "java":
            folders[(str(PurePosixPath(pf.file.path).parent), pf.module)].append(unit_id)
    groups = []
    for (folder, package), files in sorted(folders.items()):
        units = tuple(sorted(u for f in files for u in members_of(f, members)))
        paths = tuple(sorted(modules[f].file.path for f in files))
        groups.append(Group(group_id("java", "package", f"{folder}/"), GroupKind.PACKAGE, "java", f"{folder}/",
                            package or "(default)",
                            package, (0, 0), units, paths, "package"))
    return groups


def _components(modules: dict[str, ParsedFile], graph: DependencyGraph,
                members: dict[str, tuple[str, ...]]) -> list[Group]:
    with_code = {m for m, pf in modules.items() if len(pf.units) > 1 or pf.units[0].sloc > 3}
    limit = int(MAX_COMPONENT_SHARE * len(with_code))   # with few modules, no part is a component
    found: dict[frozenset[str], Group] = {}

    def keep(chosen: set[str], origin: str, key: str, name: str) -> None:
        chosen = {m for m in chosen if m in modules}
        coded = chosen & with_code
        if len(coded) < 2 or len(coded) > limit or frozenset(coded) in found:
            return
        found[frozenset(coded)] = _component(sorted(chosen), modules, members, origin, key, name)

    for folder, chosen in sorted(_folders(modules, "python").items()):
        keep(chosen, "package", folder + "/", folder.rpartition("/")[2] or folder)
    for root, chosen in sorted(_build_modules(modules).items()):
        keep(chosen, "build-module", root + "/", f"build module {root.rpartition('/')[2] or root}")
    for cycle in graph.import_cycles():
        keep(set(cycle), "cycle", modules[cycle[0]].file.path, f"cycle of {len(cycle)} modules")
    for entry, dominated in sorted(graph.dominated_modules().items()):
        if entry in modules:
            keep({entry, *dominated}, "dominator", modules[entry].file.path,
                 f"{modules[entry].units[0].name} and what only it reaches")
    return list(found.values())


def _folders(modules: dict[str, ParsedFile], language: str) -> dict[str, set[str]]:
    """Every folder, with all modules of the language below it."""
    folders: dict[str, set[str]] = defaultdict(set)
    for unit_id, pf in modules.items():
        if pf.file.language == language:
            for parent in PurePosixPath(pf.file.path).parents:
                if str(parent) != ".":
                    folders[str(parent)].add(unit_id)
    return folders


def _build_modules(modules: dict[str, ParsedFile]) -> dict[str, set[str]]:
    """Maven and Gradle build modules by their standard layout: <module>/src/main/java/..."""
    found: dict[str, set[str]] = defaultdict(set)
    for unit_id, pf in modules.items():
        head, marker, _ = pf.file.path.partition("src/main/java/")
        if marker and pf.file.language == "java":
            found[head.rstrip("/") or "."].add(unit_id)
    return found


def _component(chosen: list[str], modules: dict[str, ParsedFile], members: dict[str, tuple[str, ...]],
               origin: str, key: str, name: str) -> Group:
    first = modules[chosen[0]]
    units = sorted(u for m in chosen for u in members_of(m, members))
    files = tuple(sorted(modules[m].file.path for m in chosen))
    path = key   # the folder, or the entry module (dominator) or first member (cycle)
    return Group(group_id(first.file.language, f"component:{origin}", key), GroupKind.COMPONENT, first.file.language,
                 path, name,
                 name, (1, 1), tuple(units), files, origin)
