"""Frames to unit ids: which unit of the scan a frame of a profile is.

Python frames: the file by the longest matching path suffix (paths.py), then the unit by name,
with the line to choose among several of that name:
  "<module>"                      the file's module unit
  "Codec.feed", "feed"            the function or class of that qualified name (exact first),
                                  else of that last name; several: the one holding the line,
                                  else the one starting nearest to it (cProfile gives the first
                                  line, which for a decorated function is its decorator)
  "main.<locals>.<listcomp>"      comprehensions and lambdas belong to the unit that holds them
  ""  (Scalene names only lines)  the innermost unit holding the line
A frame whose name no unit of the file has is left unmapped: the profile is of other code, or
of another version of it, and a line number alone would guess.

Java frames: the class by its simple nested name ("Bar$Inner" -> "Bar.Inner") in a folder that
ends with its package ("com/foo" -> ".../src/main/java/com/foo"), preferring main code over
tests; then the method by name. Overloads are told apart by the descriptor's parameter types
where the profile gives one, else by the line, else the frame is spread evenly over them.
Lambdas (lambda$run$0) count for the method that holds them; anonymous classes (Bar$1) and
synthetic accessors for the enclosing class (or its method holding the line).

A mapped frame counts for its unit and for every unit that holds it (method -> class ->
module), each with the frame's fraction; and for every group (a candidate component: a set of
unit ids, nested units included) that holds one of those, so a group's inclusive share is the
share of stacks holding any of its members, counted once. Its own share is its members' own.
A group whose id is a unit id is that unit and adds nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.evidence.frames import INTERPRETER, JAVA, KERNEL, META, NATIVE, PYTHON, TYPE, Frame
from analyzer.evidence.paths import PathMatcher, components, is_java_library, is_python_library
from analyzer.model import CodeUnit

REPO, LIBRARY, UNKNOWN, NATIVE_KIND, IGNORED = "repo", "library", "unknown", "native", "ignored"
INTERPRETER_KIND = INTERPRETER
_ANONYMOUS = re.compile(r"^<(listcomp|dictcomp|setcomp|genexpr|lambda)>$")
_LAMBDA = re.compile(r"^lambda\$(?P<method>.+)\$\d+$")
_TEST_DIR = re.compile(r"(^|/)(src/test|tests?)/")

Fractions = tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True, eq=False)
class Resolution:
    """What one frame is: `own` the unit(s) it is (then the groups holding them), `held` those
    plus every unit holding them.

    Shared: every frame of one unit gets the same object, so it hashes by identity (cheap as a
    grouping key) and `whole` is computed once per unit, not per frame."""
    kind: str                   # repo | native | library | unknown | interpreter | ignored
    own: Fractions = ()
    held: Fractions = ()
    whole: frozenset[str] = frozenset()     # units of `held` with the whole frame
    spread: bool = False                    # some of `held` with a fraction of it


IGNORED_RESOLUTION = Resolution(IGNORED)
NATIVE_RESOLUTION = Resolution(NATIVE_KIND)
LIBRARY_RESOLUTION = Resolution(LIBRARY)
UNKNOWN_RESOLUTION = Resolution(UNKNOWN)
INTERPRETER_RESOLUTION = Resolution(INTERPRETER_KIND)


class UnitIndex:
    def __init__(self, units: Sequence[CodeUnit], root: str | None = None,
                 groups: Mapping[str, Sequence[str]] | None = None) -> None:
        self.units = {unit.id: unit for unit in units}
        self.groups_of: dict[str, list[str]] = defaultdict(list)
        for group_id, members in sorted((groups or {}).items()):
            if group_id not in self.units:
                for member in dict.fromkeys(members):
                    self.groups_of[member].append(group_id)
        self.by_file: dict[str, list[CodeUnit]] = defaultdict(list)
        self.children: dict[str, list[CodeUnit]] = defaultdict(list)
        self.java_classes: dict[str, list[CodeUnit]] = defaultdict(list)
        for unit in sorted(units, key=lambda u: (u.path, u.start, -u.end, u.id)):
            self.by_file[unit.path].append(unit)
            if unit.parent:
                self.children[unit.parent].append(unit)
            if unit.language == "java" and unit.kind == "class":
                self.java_classes[unit.qualname].append(unit)
        self.files = PathMatcher(self.by_file, root)
        self._names: dict[str, _FileNames] = {}
        self._shared: dict[Fractions, Resolution] = {}
        self._library: dict[str, bool] = {}
        self._qualnames: dict[str, str | None] = {}
        self._line_free: dict[tuple[str, str], Fractions] = {}

    def resolve(self, frame: Frame) -> Resolution:
        if frame.kind in (META, TYPE):
            return IGNORED_RESOLUTION
        if frame.kind in (NATIVE, KERNEL):
            return NATIVE_RESOLUTION
        if frame.kind == INTERPRETER:
            return INTERPRETER_RESOLUTION
        own = self._python(frame) if frame.kind == PYTHON else self._java(frame) if frame.kind == JAVA else ()
        if own:
            return self._shared.get(own) or self._shared.setdefault(own, self._repo(own))
        return LIBRARY_RESOLUTION if self._is_library(frame) else UNKNOWN_RESOLUTION

    def _is_library(self, frame: Frame) -> bool:
        known = self._library.get(frame.file)
        if known is None:
            test = is_python_library if frame.kind == PYTHON else is_java_library
            known = self._library[frame.file] = test(frame.file)
        return known

    def _repo(self, own: Fractions) -> Resolution:
        share: dict[str, float] = defaultdict(float)
        grouped: dict[str, float] = defaultdict(float)
        for unit_id, fraction in own:
            chain = self._chain(unit_id)
            for held in chain:
                share[held] += fraction
            for group in dict.fromkeys(group for held in chain for group in self.groups_of.get(held, ())):
                grouped[group] += fraction
        held = tuple(sorted((key, _whole(value)) for key, value in (share | grouped).items()))
        whole = frozenset(key for key, value in held if value == 1.0)
        own_groups = tuple(sorted((group, _whole(value)) for group, value in grouped.items()))
        return Resolution(REPO, own + own_groups, held, whole, len(whole) < len(held))

    def _chain(self, unit_id: str) -> list[str]:
        """The unit and every unit holding it, innermost first."""
        chain = [unit_id]
        while (parent := self.units[chain[-1]].parent) in self.units:
            chain.append(parent)
        return chain

    # --- Python -----------------------------------------------------------------------------

    def _python(self, frame: Frame) -> Fractions:
        """Cached by (file, name) when the answer does not depend on the line, as it rarely does:
        a profile names the same function at many lines."""
        key = (frame.file, frame.name)
        if key in self._line_free:
            return self._line_free[key]
        found = [self._python_in_file(path, frame.name, frame.line) for path in self.files.match(frame.file)]
        hits = {hit for hit, _ in found if hit}
        own = ((hits.pop(), 1.0),) if len(hits) == 1 else ()
        if all(line_free for _, line_free in found):
            self._line_free[key] = own
        return own

    def _file_names(self, path: str) -> _FileNames:
        names = self._names.get(path)
        if names is None:
            names = self._names[path] = _FileNames(self.by_file[path])
        return names

    def _qualname(self, name: str) -> str | None:
        if name not in self._qualnames:
            self._qualnames[name] = _python_qualname(name)
        return self._qualnames[name]

    def _python_in_file(self, path: str, name: str, line: int) -> tuple[str | None, bool]:
        """The unit, and whether the line played no part in finding it."""
        units = self.by_file[path]
        if name == "<module>":
            return next((unit.id for unit in units if unit.kind == "module"), None), True
        qualname = self._qualname(name)
        if qualname is None:                # anonymous: held by the unit named before it
            qualname = self._qualname(name.rpartition(".")[0].removesuffix(".<locals>")) or ""
        if not qualname:
            return (_innermost(units, line) if line else None), False
        return self._file_names(path).find(qualname, line)

    # --- Java -------------------------------------------------------------------------------

    def _java(self, frame: Frame) -> Fractions:
        package, _, simple = frame.file.rpartition("/")
        if "$$" in simple:
            return ()                       # generated: lambda forms, proxies
        named, anonymous = _java_nesting(simple)
        if not named:
            return ()
        cls = self._java_class(".".join(named), package)
        if cls is None:
            return ()
        return self._java_method(cls, frame, anonymous)

    def _java_class(self, qualname: str, package: str) -> CodeUnit | None:
        wanted = components(package)
        found = [unit for unit in self.java_classes.get(qualname, ())
                 if not wanted or components(unit.path)[:-1][-len(wanted):] == wanted]
        if len(found) > 1:
            found = [unit for unit in found if not _TEST_DIR.search(unit.path)] or found
        return found[0] if len(found) == 1 else None

    def _java_method(self, cls: CodeUnit, frame: Frame, anonymous: bool) -> Fractions:
        name = frame.name
        lambda_ = _LAMBDA.match(name)
        if lambda_:
            name = {"static": "<clinit>", "new": "<init>"}.get(lambda_["method"], lambda_["method"])
        methods = [unit for unit in self.children[cls.id] if unit.kind == "function"]
        if anonymous or name.startswith("access$"):
            holder = _innermost(methods, frame.line) if frame.line else None
            return ((holder or cls.id, 1.0),)
        named = [unit for unit in methods if unit.name == name]
        return _pick_overload(named, frame) or ((cls.id, 1.0),)


def _whole(value: float) -> float:
    """A sum of fractions, capped at 1; six overloads' sixths add up to a whole frame."""
    return 1.0 if value >= 1.0 - 1e-9 else value


def _python_qualname(name: str) -> str | None:
    """"outer.<locals>.inner" -> "outer.inner"; None for a comprehension or lambda."""
    parts = [part for part in name.split(".") if part != "<locals>"]
    if parts and _ANONYMOUS.match(parts[-1]):
        return None
    return ".".join(parts)


class _FileNames:
    """A file's functions and classes by qualified name and by name, outer first."""

    def __init__(self, units: list[CodeUnit]) -> None:
        self.qualified: dict[str, list[CodeUnit]] = defaultdict(list)
        self.named: dict[str, list[CodeUnit]] = defaultdict(list)
        for unit in units:
            if unit.kind != "module":
                self.qualified[unit.qualname].append(unit)
                self.named[unit.name].append(unit)

    def find(self, qualname: str, line: int) -> tuple[str | None, bool]:
        """The unit, and whether the line played no part (one unit of that name)."""
        found = self.qualified.get(qualname) or self.named.get(qualname.rpartition(".")[2])
        if not found or len(found) == 1:
            return (found[0].id if found else None), True
        holding = [unit for unit in found if unit.start <= line <= unit.end]
        if holding:
            return holding[-1].id, False    # the innermost: units are sorted outer first
        return min(found, key=lambda unit: (abs(unit.start - line), unit.start)).id, False


def _innermost(units: Sequence[CodeUnit], line: int) -> str | None:
    holding = [unit for unit in units if unit.start <= line <= unit.end]
    return max(holding, key=lambda unit: (unit.start, -unit.end)).id if holding else None


def _java_nesting(simple: str) -> tuple[list[str], bool]:
    """"Bar$Inner$1" -> (["Bar", "Inner"], True): named classes, and whether an anonymous one follows."""
    named = []
    for part in simple.split("$"):
        if not part or part[0].isdigit():
            return named, True
        named.append(part)
    return named, False


def _pick_overload(methods: list[CodeUnit], frame: Frame) -> Fractions:
    if len(methods) <= 1:
        return tuple((unit.id, 1.0) for unit in methods)
    if frame.params is not None:
        typed = [unit for unit in methods if _params_match(unit.qualname, frame.params)]
        if len(typed) == 1:
            return ((typed[0].id, 1.0),)
    holding = [unit for unit in methods if frame.line and unit.start <= frame.line <= unit.end]
    if len(holding) == 1:
        return ((holding[0].id, 1.0),)
    return tuple((unit.id, 1.0 / len(methods)) for unit in methods)


def _params_match(qualname: str, params: tuple[str, ...]) -> bool:
    """"Bar.run(int,String[])" against the descriptor's ("int", "String[]"); a type variable
    ("T", "K") erases to its bound, so it matches anything."""
    inside = qualname[qualname.rfind("(") + 1:qualname.rfind(")")]
    declared = [part.strip() for part in inside.split(",")] if inside.strip() else []
    return len(declared) == len(params) and all(
        mine == theirs or _is_type_variable(mine) for mine, theirs in zip(declared, params))


def _is_type_variable(name: str) -> bool:
    bare = name.rstrip("[]")
    return len(bare) <= 2 and bare.isupper()
