"""Catalogs: the qualified names behind the pattern facts, read from rules/catalogs/*.yaml.

A catalog maps categories (io_network, native, dynamic, ...) to names per language. A name
matches itself and anything reached through it, at a "." or "()" boundary: `requests`
matches `requests.get` and `requests.Session().get`; `open` matches `open().read`. A name
that starts with "." is a method of any receiver (`.isdigit`). An entry may be a mapping
that adds a condition on the call: `literal: 0` (first argument is that literal) or
`computed: 1` (positional argument 1 is not a literal, as in getattr(obj, name)). A category
may name others it `overrides`: a call it matches is not also theirs (a regex match's
`.group()` is a small helper, though everything reached through `re` is bulk native work).

Every error in every catalog file is collected and reported together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping

import yaml

from analyzer.errors import ScanError, read_text
from analyzer.model import CallSite
from analyzer.ruleset.costs import LANGUAGES, CostModel, load_costs

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NO_LITERAL = object()


class CatalogError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Pattern:
    category: str
    name: str
    literal: object = _NO_LITERAL
    computed: int | None = None

    def accepts(self, call: CallSite) -> bool:
        if self.literal is not _NO_LITERAL and (call.literal != self.literal or not call.literal_args & 1):
            return False
        if self.computed is not None and call.literal_args >> self.computed & 1:
            return False
        return True


@dataclass(frozen=True)
class Catalog:
    patterns: Mapping[str, Mapping[str, tuple[Pattern, ...]]]   # language -> name -> patterns
    crates: Mapping[str, Mapping[str, str]]                       # language -> library -> crate
    categories: tuple[str, ...]
    descriptions: Mapping[str, str]                               # category -> what it means
    costs: CostModel
    overrides: Mapping[str, frozenset[str]] = field(default_factory=dict)   # category -> categories it replaces

    def classify(self, language: str, call: CallSite) -> tuple[str, ...]:
        """Categories of one call, in catalog order, without duplicates."""
        table = self.patterns.get(language, {})
        found: list[str] = []
        for key in lookup_keys(call.target):
            for pattern in table.get(key, ()):
                if pattern.category not in found and pattern.accepts(call):
                    found.append(pattern.category)
        replaced = set().union(*(self.overrides.get(c, ()) for c in found))
        return tuple(c for c in found if c not in replaced)

    def crate_for(self, language: str, library: str) -> str | None:
        table = self.crates.get(language, {})
        parts = library.split(".")
        for i in range(len(parts), 0, -1):
            crate = table.get(".".join(parts[:i]))
            if crate:
                return crate
        return None


_BOUNDARY = re.compile(r"[.(]")


@lru_cache(maxsize=1 << 16)
def lookup_keys(target: str) -> tuple[str, ...]:
    """Every prefix of a target at a name boundary. Method patterns (".name") apply only where
    the receiver is unknown or a built-in value: `requests.Session().get` is not `dict.get`."""
    if target.startswith("param:"):
        rest = target[6:]
        return (f".{rest.rpartition('.')[2]}",) if "." in rest else ()
    if target.startswith((".", "?")):
        return (target,) if target.startswith(".") else ()
    keys, skip = [], 0
    for boundary in _BOUNDARY.finditer(target):
        j = boundary.start()
        if j < skip:         # the dot after `()`: `Session().get` has the key `Session()`
            continue
        if j > 0 and target[j - 1] != ")":
            keys.append(target[:j])
        if target.startswith("()", j):
            keys.append(target[:j + 2])
            skip = j + 3
    keys.append(target)
    if target.startswith("builtins."):   # a method of a built-in value: list().append
        keys.append(f".{target.rpartition('.')[2]}")
    return tuple(keys)


METHOD_RECEIVERS = ("param:", ".", "builtins.")   # the targets `lookup_keys` gives a method key


def may_have_key(names: Iterable[str]) -> Callable[[str], bool]:
    """A test of a target, false only where none of its `lookup_keys` is one of `names`, that
    works out no key: every key is a prefix of its target, but a method key (".name"), which
    only a target of METHOD_RECEIVERS has. For asking thousands of targets about a few names."""
    names = frozenset(names)
    starts = tuple(sorted(n for n in names if not n.startswith(".")))
    if any(n.startswith(".") for n in names):
        starts += METHOD_RECEIVERS
    return lambda target: target.startswith(starts)


def load(folder: Path) -> Catalog:
    problems: list[str] = []
    patterns: dict[str, dict[str, list[Pattern]]] = {lang: {} for lang in LANGUAGES}
    crates: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    categories: list[str] = []
    descriptions: dict[str, str] = {}
    costs: list[CostModel] = []
    overrides: dict[str, frozenset[str]] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = _read(path, problems)
        if data is None:
            continue
        if data.get("kind") == "crates":
            _load_crates(path, data, crates, problems)
        elif data.get("kind") == "calls":
            before = len(categories)
            _load_calls(path, data, patterns, categories, overrides, problems)
            descriptions.update({c: str(data.get("description", "")) for c in categories[before:]})
        elif data.get("kind") == "costs":
            costs.extend(m for m in [load_costs(path, data, problems)] if m)
        else:
            problems.append(f"{path.name}: 'kind' must be 'calls', 'crates' or 'costs'")
    problems += [f"override of unknown category '{c}'" for c in sorted(set().union(*overrides.values()))
                 if c not in categories]
    if len(costs) != 1 and not problems:
        problems.append(f"{folder}: expected exactly one catalog of kind 'costs', found {len(costs)}")
    if problems:
        raise CatalogError(problems)
    frozen = {lang: {k: tuple(v) for k, v in table.items()} for lang, table in patterns.items()}
    return Catalog(frozen, crates, tuple(categories), descriptions, costs[0], overrides)


def read_yaml(path: Path, problems: list[str], by_name: bool = False) -> tuple[bool, object]:
    """(True, the file's data), or (False, None) with one line in `problems` that names the
    file by its path (by its name alone with `by_name`). libyaml reads when it is there: every
    command reads the rules and the catalogs, 0.28 s in Python's reader and 0.02 s in
    libyaml's, with the same data."""
    named = path.name if by_name else ""
    try:
        return True, yaml.load(read_text(path, named), Loader=_LOADER)   # a safe loader
    except ScanError as exc:
        problems.append(str(exc))
    except (yaml.YAMLError, RecursionError) as exc:
        problems.append(f"{named or path}: cannot read: {str(exc).splitlines()[0] if str(exc) else 'nested too deeply'}")
    return False, None


def _read(path: Path, problems: list[str]) -> dict | None:
    read, data = read_yaml(path, problems, by_name=True)
    if not read:
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name}: must be a mapping")
        return None
    return data


def _load_crates(path: Path, data: dict, crates: dict, problems: list[str]) -> None:
    for lang in LANGUAGES:
        table = data.get(lang) or {}
        if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
            problems.append(f"{path.name}: '{lang}' must map library names to crate names")
            continue
        crates[lang].update({str(k): v for k, v in table.items()})


def _load_calls(path: Path, data: dict, patterns: dict, categories: list[str], overrides: dict,
                problems: list[str]) -> None:
    cats = data.get("categories")
    if not isinstance(cats, dict) or not cats:
        problems.append(f"{path.name}: 'categories' must be a non-empty mapping")
        return
    for category, by_lang in cats.items():
        if category in categories:
            problems.append(f"{path.name}: category '{category}' is defined twice")
        categories.append(category)
        if not isinstance(by_lang, dict | None):
            problems.append(f"{path.name}: {category}: expected a mapping of python and java lists")
            continue
        by_lang = dict(by_lang or {})
        _read_overrides(path, category, by_lang.pop("overrides", []), overrides, problems)
        for lang, entries in by_lang.items():
            if lang not in LANGUAGES or not isinstance(entries, list):
                problems.append(f"{path.name}: {category}.{lang}: expected a list under python or java")
                continue
            for entry in entries:
                pattern = _pattern(category, entry)
                if pattern is None:
                    problems.append(f"{path.name}: {category}.{lang}: bad entry {entry!r}")
                else:
                    patterns[lang].setdefault(pattern.name, []).append(pattern)


def _read_overrides(path: Path, category: str, replaced: object, overrides: dict, problems: list[str]) -> None:
    if not isinstance(replaced, list) or not all(isinstance(c, str) for c in replaced):
        problems.append(f"{path.name}: {category}.overrides: expected a list of category names")
    elif replaced:
        overrides[category] = frozenset(replaced)


def _pattern(category: str, entry: object) -> Pattern | None:
    if isinstance(entry, str) and entry:
        return Pattern(category, entry)
    if isinstance(entry, dict) and isinstance(entry.get("name"), str) and set(entry) <= {"name", "literal", "computed"}:
        computed = entry.get("computed")
        if computed is not None and not isinstance(computed, int):
            return None
        return Pattern(category, entry["name"], entry.get("literal", _NO_LITERAL), computed)
    return None
