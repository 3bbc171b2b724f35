"""Which units the repository's native code already stands in for (its native twins).

Input: the native sources found by the inventory (inventory/native.py) and the parsed files.
A Python extension module backs:
- the Python module of the same dotted name (a Cython `.pyx` or `.pxd` beside its `.py`);
- each module that imports it (`try: from ._speedups import escape`), and in that module the
  units the imported names stand in for: a unit defined there under the same name, or the
  unit another import of that module binds to the same name (`except ImportError: from
  ._native import escape`).
A JNI implementation backs the Java class whose `native` methods it implements.

Reported only (explain, summary, JSON): a twin never changes a score or a verdict. Names are
matched as the code writes them, never guessed from how they look.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping, Sequence

from analyzer.inventory.native import NativeSource
from analyzer.model import Import, NativeTwin, ParsedFile, UnitKind


def match(sources: Sequence[NativeSource], parsed: Sequence[ParsedFile]) -> tuple[NativeTwin, ...]:
    """The twins that stand in for ranked units (a test importing the extension is no counterpart)."""
    ranked = [pf for pf in parsed if pf.ranked]
    named = _qualified(ranked)
    importers = _importers(ranked)
    twins = []
    for source in sources:
        backs = _java(source, named) if source.target == "java" else _python(source, named, importers)
        if backs:
            twins.append(NativeTwin(source.name, source.language, source.sources, source.declared_in,
                                    tuple(sorted(backs))))
    return tuple(twins)


def _qualified(parsed: Sequence[ParsedFile]) -> dict[tuple[str, str], str]:
    """(language, qualified name) -> unit id: modules by their dotted name, classes and
    functions by module + qualname (Java: package + qualname)."""
    found = {}
    for pf in parsed:
        language = pf.file.language
        for unit in pf.units:
            if unit.kind == UnitKind.MODULE:
                if language == "python" and pf.module:
                    found.setdefault((language, pf.module), unit.id)
                continue
            found.setdefault((language, f"{pf.module}.{unit.qualname}" if pf.module else unit.qualname), unit.id)
    return found


def _importers(parsed: Sequence[ParsedFile]) -> dict[str, list[tuple[ParsedFile, Import]]]:
    """Imported dotted name -> (file, import) for every Python import: `from pkg import mod`
    is filed under pkg.mod as well as under pkg."""
    found: dict[str, list[tuple[ParsedFile, Import]]] = defaultdict(list)
    for pf in parsed:
        if pf.file.language != "python":
            continue
        for imp in pf.imports:
            found[imp.module].append((pf, imp))
            if imp.name and imp.name != "*":
                found[f"{imp.module}.{imp.name}"].append((pf, imp))
    return found


def _python(source: NativeSource, named: Mapping[tuple[str, str], str],
            importers: Mapping[str, list[tuple[ParsedFile, Import]]]) -> set[str]:
    backs = {named[("python", source.name)]} if ("python", source.name) in named else set()
    for pf, imp in importers.get(source.name, ()):
        backs.add(pf.units[0].id)
        if imp.module == source.name and imp.name and imp.name != "*":
            backs.update(_stand_ins(pf, imp, named))
    return backs


def _stand_ins(pf: ParsedFile, native: Import, named: Mapping[tuple[str, str], str]) -> set[str]:
    """The units of the repository that a name imported from native code stands in for."""
    found = set()
    local = named.get(("python", f"{pf.module}.{native.name}"))
    if local:
        found.add(local)
    for other in pf.imports:
        if other is not native and other.alias == native.alias and other.name and other.name != "*":
            unit = named.get(("python", f"{other.module}.{other.name}"))
            if unit:
                found.add(unit)
    return found


def _java(source: NativeSource, named: Mapping[tuple[str, str], str]) -> set[str]:
    unit = named.get(("java", source.name))
    return {unit} if unit else set()
