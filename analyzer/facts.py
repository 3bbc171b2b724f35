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

from collections import defaultdict
from typing import Iterable, Mapping, Sequence

import builtins

from analyzer.catalog import Catalog
from analyzer.model import MAX_DEPTH, CallSite, CodeUnit, Import, Observation, ParsedFile, UnitFacts

LINE_CAP = 12
IO_CATEGORIES = ("io_file", "io_network", "io_database", "io_subprocess", "io_sleep")
CALLBACK_CATEGORIES = frozenset({"callback", "opaque_call"})
BUILTINS = frozenset(dir(builtins))


class _Tally:
    """Observations under construction for one unit."""

    def __init__(self):
        self.rows: dict[str, list] = {}

    def add(self, name: str, depth: int, line: int) -> None:
        row = self.rows.setdefault(name, [0, 0, 0, 0, []])
        row[min(depth, MAX_DEPTH)] += 1
        if len(row[4]) < LINE_CAP and line not in row[4]:
            row[4].append(line)

    def freeze(self) -> tuple[Observation, ...]:
        return tuple(Observation(n, (r[0], r[1], r[2], r[3]), tuple(sorted(r[4])))
                     for n, r in sorted(self.rows.items()))


class Classifier:
    def __init__(self, catalog: Catalog, repo_modules: Iterable[str], resolved: frozenset = frozenset()):
        self.catalog = catalog
        self.repo_modules = frozenset(repo_modules)
        self.resolved = resolved
        self._cache: dict[tuple, tuple[str, ...]] = {}

    def is_internal(self, target: str) -> bool:
        if target.startswith("super()"):
            return True
        return target.split(".", 1)[0].split("(", 1)[0] in self.repo_modules

    def call_categories(self, language: str, call: CallSite) -> tuple[str, ...]:
        """Categories of a call; () for calls into the repository (the graph's business).
        Cached: most targets (len, .append, re.compile) repeat thousands of times."""
        key = (language, call.target, call.literal, call.literal_args, call.via_self)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._categories(language, call)
        return found

    def _categories(self, language: str, call: CallSite) -> tuple[str, ...]:
        if call.via_self or self.is_internal(call.target):
            return ()
        found = self.catalog.classify(language, call)
        if any(c in IO_CATEGORIES for c in found):
            found = (*found, "io")
        if found:
            return found
        return (_fallback(call.target),)

    def unit_facts(self, unit: CodeUnit, imports: Sequence[Import]) -> UnitFacts:
        tally, callbacks = _Tally(), []
        for imp in imports:
            if not self.is_internal(imp.module) and "framework" in self.catalog.classify(
                    unit.language, CallSite(imp.module, imp.line, 0)):
                tally.add("framework", 0, imp.line)
        for call in unit.calls:
            if (unit.id, call.line, call.target) in self.resolved:
                continue
            for category in self.call_categories(unit.language, call):
                tally.add(category, call.loop_depth, call.line)
                if category in CALLBACK_CATEGORIES:
                    callbacks.append(call)
            if call.literal_args & 1 and isinstance(call.literal, str) and unit.kind == "function" \
                    and "regex_api" in self.call_categories(unit.language, call):
                tally.add("regex_literal", call.loop_depth, call.line)
        for marker in (*unit.decorators, *unit.bases):
            if "framework" in self.catalog.classify(unit.language, CallSite(marker, unit.start, 0)):
                tally.add("framework", 0, unit.start)
        return UnitFacts(tally.freeze(), tuple(callbacks))


def _fallback(target: str) -> str:
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
    modules = {p.module for p in parsed if p.module}
    classifier = Classifier(catalog, modules | {m.split(".")[0] for m in modules}, resolved)
    result = {}
    for pf in parsed:
        if not pf.file.ranked or pf.generated:
            continue
        imports: dict[str, list[Import]] = defaultdict(list)
        for imp in pf.imports:
            imports[imp.unit].append(imp)
        for unit in pf.units:
            facts = classifier.unit_facts(unit, imports.get(unit.id, ()))
            if facts.observations:
                result[unit.id] = facts
    return result
