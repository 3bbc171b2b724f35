"""Facts stage: what each unit's calls, decorators and bases mean, according to the catalogs.

Input: ParsedFiles, the Catalog, and the dotted names of the repository's own modules.
Output: for each unit, extra Observations (io_network, native, dynamic, callback, ...) keyed
by the same loop-depth buckets as the parser's, so a rule can ask "I/O inside a loop".

Calls into the repository itself are not classified here: the graph stage resolves them.
A call that matches nothing is `external_call` (a resolved library), `callback` (a
parameter called, or a method of one) or `opaque_call` (a method of a receiver whose type
one file cannot tell).
"""

from __future__ import annotations

import builtins
import sys
from collections import defaultdict
from typing import Iterable, Mapping, Sequence

from analyzer.model import CallSite, CodeUnit, Import, ParsedFile, UnitFacts, UnitKind
from analyzer.parse.builder import COLD, ObservationTally
from analyzer.ruleset.catalog import Catalog

IO_CATEGORIES = ("io_file", "io_network", "io_stream", "io_database", "io_subprocess", "io_sleep")
CALLBACK_CATEGORIES = frozenset({"callback", "opaque_call"})
BUILTINS = frozenset(dir(builtins))
STDLIB = frozenset(sys.stdlib_module_names) | {"builtins"}
# A metaclass whose only hooks run when a class statement executes makes a plain class: the
# tables it computes are constants by the time any instance works, and a port reads them as
# such. One that hooks calls, attribute access or comparisons changes behaviour at run time.
CREATION_HOOKS = frozenset({"__new__", "__init__", "__prepare__", "__init_subclass__", "__set_name__"})
PLAIN_METACLASSES = frozenset({"type", "builtins.type", "abc.ABCMeta"})


def standard_library(language: str, library: str) -> bool:
    return library.startswith(("java.", "javax.")) if language == "java" else library in STDLIB


class Classifier:
    def __init__(self, catalog: Catalog, python_roots: Iterable[str], java_packages: Iterable[str],
                 resolved: frozenset = frozenset(), metaclasses: Metaclasses | None = None):
        self.catalog = catalog
        self.metaclasses = metaclasses or Metaclasses(())
        self.python_roots = frozenset(python_roots)
        self.java_packages = frozenset(java_packages)
        self.resolved = resolved
        self._java_internal: dict[str, bool] = {}
        self._cache: dict[tuple, tuple[str, ...]] = {}
        self._frameworks: dict[tuple[str, str], bool] = {}
        self._libraries: dict[str, dict[str, str | None]] = {}   # language -> target -> library

    def is_internal(self, language: str, target: str) -> bool:
        """Python: the target's root package is the repository's. Java: its package is one of
        the repository's (`com` alone would claim com.google.* too)."""
        if target.startswith("super()"):
            return True
        name = target.removeprefix("new:")
        if language != "java":
            return name.split(".", 1)[0].split("(", 1)[0] in self.python_roots
        owner = name.rpartition(".")[0]
        found = self._java_internal.get(owner)
        if found is None:
            parts = owner.split(".")
            found = self._java_internal[owner] = any(
                ".".join(parts[:i]) in self.java_packages for i in range(len(parts), 0, -1))
        return found

    def call_categories(self, language: str, call: CallSite) -> tuple[str, ...]:
        """Categories of a call; () for calls into the repository (the graph's business).
        Cached: most targets (len, .append, re.compile) repeat thousands of times."""
        key = (language, call.target, call.literal, call.literal_args, call.via_self)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._categories(language, call)
        return found

    def _categories(self, language: str, call: CallSite) -> tuple[str, ...]:
        if call.via_self or self.is_internal(language, call.target):
            return ()
        found = self.catalog.classify(language, call)
        if any(c in IO_CATEGORIES for c in found):
            found = (*found, "io")
        if found:
            return found
        return (_fallback(call.target),)

    def unit_facts(self, unit: CodeUnit, imports: Sequence[Import]) -> UnitFacts:
        tally, callbacks = ObservationTally(), []
        for imp in imports:
            if self.is_framework(unit.language, imp.module):
                tally.see("framework", 0, imp.line)
        for call in unit.calls:
            if (unit.id, call.line, call.target) in self.resolved:
                continue
            depth = COLD if call.cold else call.loop_depth
            for category in self.call_categories(unit.language, call):
                tally.see(category, depth, call.line)
                if category in CALLBACK_CATEGORIES:
                    callbacks.append(call)
            if call.literal_args & 1 and isinstance(call.literal, str) and unit.kind == UnitKind.FUNCTION \
                    and "regex_api" in self.call_categories(unit.language, call):
                tally.see("regex_literal", depth, call.line)
        for marker in (*unit.decorators, *unit.bases):
            if self.is_framework(unit.language, marker):
                tally.see("framework", 0, unit.start)
        if unit.metaclass and not self.metaclasses.plain(unit.metaclass):
            tally.see("metaclass", 0, unit.start)
        return UnitFacts(tally.observations(), tuple(callbacks), self.libraries(unit))

    def is_framework(self, language: str, name: str) -> bool:
        """An import, decorator or base class that ties code to a framework."""
        key = (language, name)
        found = self._frameworks.get(key)
        if found is None:
            found = self._frameworks[key] = (not self.is_internal(language, name) and "framework" in
                                        self.catalog.classify(language, CallSite(name, 0, 0)))
        return found

    def libraries(self, unit: CodeUnit) -> tuple[str, ...]:
        """Libraries a unit calls: the root module (Python) or the package prefix (Java, three
        names at most: org.apache.commons) of every resolved call leaving the repository."""
        known = self._libraries.setdefault(unit.language, {})   # target -> library: targets repeat across units
        found = set()
        for call in unit.calls:
            if not call.via_self:
                target = call.target
                if target not in known:
                    known[target] = self._library_of(unit.language, target)
                found.add(known[target])
        found.discard(None)
        return tuple(sorted(found))

    def _library_of(self, language: str, target: str) -> str | None:
        target = target.removeprefix("new:")
        if target.startswith(("param:", ".", "?", "super()")) or "." not in target \
                or self.is_internal(language, target):
            return None
        parts = target.split("(", 1)[0].split(".")
        root = ".".join(parts[:2] if parts[0] in ("java", "javax") else parts[:3]) if language == "java" else parts[0]
        return root if root and root != "builtins" and root not in BUILTINS else None


class Metaclasses:
    """The repository's classes as metaclasses: which make plain classes (CREATION_HOOKS)."""

    def __init__(self, parsed: Sequence[ParsedFile]):
        self.classes: dict[str, tuple[tuple[str, ...], frozenset[str]]] = {}   # name -> bases, dunders
        self.simple: dict[str, list[str]] = defaultdict(list)
        for pf in parsed:
            if pf.file.language == "python":
                self._add(pf)
        self._plain: dict[str, bool] = {}

    def _add(self, pf: ParsedFile) -> None:
        dunders: dict[str, set[str]] = defaultdict(set)
        for unit in pf.units:
            if unit.kind == UnitKind.FUNCTION and unit.name.startswith("__") and unit.name.endswith("__"):
                dunders[unit.parent].add(unit.name)
        for unit in pf.units:
            if unit.kind == UnitKind.CLASS:
                name = f"{pf.module}.{unit.qualname}"
                self.classes[name] = (unit.bases, frozenset(dunders[unit.id]))
                self.simple[unit.name].append(name)

    def plain(self, name: str, depth: int = 0) -> bool:
        """False for a metaclass that is unknown (a library's, an expression) or hooks run time."""
        if name in PLAIN_METACLASSES:
            return True
        if name not in self._plain:
            options = self.simple.get(name.rpartition(".")[2], ())
            known = name if name in self.classes else options[0] if len(options) == 1 else None
            self._plain[name] = False   # a cycle of metaclasses is not plain
            if known and depth < 16:
                bases, hooks = self.classes[known]
                self._plain[name] = hooks <= CREATION_HOOKS and all(self.plain(b, depth + 1) for b in bases)
        return self._plain[name]


def _fallback(target: str) -> str:
    if target.startswith("new:"):       # any object created, from a library with no entry
        return "alloc_call"
    if target.startswith("param:"):
        return "callback"
    if target.startswith((".", "?")):
        return "opaque_call"
    if target.split(".", 1)[0].split("(", 1)[0] in BUILTINS:
        return "builtin_call"
    return "external_call"


def classify(parsed: Sequence[ParsedFile], catalog: Catalog, resolved: frozenset = frozenset()) -> Mapping[str, UnitFacts]:
    """unit id -> what its calls, decorators, bases and imports mean (ranked files only).
    `resolved` holds the (unit id, line, target) call sites the graph linked into the repository."""
    python = {p.module for p in parsed if p.module and p.file.language == "python"}
    java = {p.module for p in parsed if p.module and p.file.language == "java"}
    classifier = Classifier(catalog, python | {m.split(".")[0] for m in python}, java, resolved, Metaclasses(parsed))
    result = {}
    for pf in parsed:
        if not pf.ranked:
            continue
        imports: dict[str, list[Import]] = defaultdict(list)
        for imp in pf.imports:
            imports[imp.unit].append(imp)
        for unit in pf.units:
            facts = classifier.unit_facts(unit, imports.get(unit.id, ()))
            if facts.observations or facts.libraries:
                result[unit.id] = facts
    return result
