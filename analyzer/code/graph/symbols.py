"""The repository's symbol table: what a qualified name or a call target refers to.

Python names resolve exactly (pkg.mod.func, pkg.mod.Class.method), through re-exports
(`from .impl import work` in pkg/__init__.py) and through names bound to a unit
(`encode = _encode_slow`, `functools.partial`, an instance whose `__call__` runs, a class
attribute), and through what a call returns (the class a function's or method's return
annotation names, `make() -> Parser`). A call can run more than one unit: each branch of a
bound name, and what subclasses put behind a method's name (`dispatch`). Java methods are looked up by class and
name, and an overload is chosen by the number of arguments. Base classes are searched in
declaration order. A method of a receiver whose type is unknown is not linked: guessing by
method name would make the ranking depend on what methods are called (`cell.split` is not
`Tokenizer.split`). A Java type named by its simple name (an on-demand import) resolves when
exactly one class of the repository has that name, as the compiler would find it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from analyzer.model import EdgeKind, ParsedFile, UnitKind

MAX_LINEAGE = 256
DISPATCH_CAP = 8     # more implementations behind one name: a framework's hook, not one code path


class Symbols:
    def __init__(self, parsed: Sequence[ParsedFile]):
        self.by_name: dict[str, str] = {}
        self.modules: dict[str, str] = {}
        self.overloads: dict[str, list[tuple[int, bool, str]]] = defaultdict(list)
        self.simple_classes: dict[str, list[str]] = defaultdict(list)
        self.bases: dict[str, tuple[str, ...]] = {}
        self.alternatives: dict[str, list[str]] = {}   # a name bound to several units (one per branch)
        self.class_names: dict[str, str] = {}          # class unit id -> its qualified name
        self.returns: dict[str, str] = {}              # function unit id -> the class its annotation names
        self._lineage: dict[str, tuple[str, ...]] = {}
        self._overriders: dict[tuple[str, str, int], frozenset[str]] = {}
        self._dispatched: dict[tuple, tuple[list[str], EdgeKind, bool]] = {}
        for pf in parsed:
            self._add_file(pf)
        self._add_reexports(parsed)
        for options in self.overloads.values():
            options.sort(key=lambda o: o[2])
        self.subclasses = self._subclasses()

    def _subclasses(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = defaultdict(list)
        for cls, bases in sorted(self.bases.items()):
            for base in bases:
                known = base if base in self.bases else self.find_class(base)[0]
                if known and known != cls:
                    found[known].append(cls)
        return found

    def _add_file(self, pf: ParsedFile) -> None:
        java = pf.file.language == "java"
        self.returns.update(pf.returns)
        module_id = pf.units[0].id if pf.units else None
        for unit in pf.units:
            if unit.kind == UnitKind.MODULE:
                if not java:
                    self.modules.setdefault(pf.module, unit.id)
                continue
            name = f"{pf.module}.{unit.qualname}" if pf.module else unit.qualname
            if unit.kind == UnitKind.CLASS:
                self.by_name.setdefault(name, unit.id)
                self.class_names.setdefault(unit.id, name)
                self.bases[name] = unit.bases
                self.simple_classes[unit.name].append(name)
                if java and unit.parent == module_id:
                    self.modules.setdefault(name, module_id)   # Java imports name classes, not files
            elif java:
                varargs = any(p.kind == "var_positional" for p in unit.params)
                self.overloads[name.split("(")[0]].append((len(unit.params), varargs, unit.id))
            else:   # a later `def` of a name replaces the earlier one (typing.overload stubs come first)
                self.by_name[name] = unit.id

    def _add_reexports(self, parsed: Sequence[ParsedFile]) -> None:
        """`from .codec import decode` in pkg/__init__.py makes pkg.decode name pkg.codec.decode;
        `encode = _encode_slow` (or a partial of it, or an instance whose `__call__` runs) makes
        `encode` name what it is bound to, every branch of an `if` or `try` kept. Chains of
        re-exports and bindings are followed a few levels deep."""
        aliases = {}
        bound: dict[str, list[str]] = defaultdict(list)
        for pf in parsed:
            module_id = pf.units[0].id if pf.units else None
            for imp in pf.imports:
                if imp.unit == module_id and imp.name and imp.name != "*" and pf.module:
                    aliases[f"{pf.module}.{imp.alias}"] = f"{imp.module}.{imp.name}"
            for name, target in pf.bindings:
                bound[name].append(target)
        for _ in range(4):
            added = {name: self.by_name[target] for name, target in aliases.items()
                     if name not in self.by_name and target in self.by_name}
            added.update(self._bound(bound))
            if not added:
                break
            self.by_name.update(added)
        for name, target in aliases.items():
            if target in self.bases and name not in self.bases:
                self.bases[name] = self.bases[target]

    def _bound(self, bound: dict[str, list[str]]) -> dict[str, str]:
        """Names bound to units found so far: the first by id, the others as alternatives. A
        name bound to more than DISPATCH_CAP functions (a table of handlers) links none, however
        many of them are found: a framework's hook."""
        added = {}
        for name, targets in bound.items():
            known = sorted({u for u in (self._lookup(t) for t in targets) if u})
            if known and name not in self.by_name and len(set(targets)) <= DISPATCH_CAP:
                added[name] = known[0]
                self.alternatives[name] = known[1:]
        return added

    def _lookup(self, name: str) -> str | None:
        """A unit by qualified name, also through a re-exported class (`pkg.Cls.m` where
        `pkg.Cls` is an alias of `pkg.impl.Cls`)."""
        found = self.by_name.get(name)
        if found:
            return found
        owner, _, member = name.rpartition(".")
        cls = self.class_names.get(self.by_name.get(owner, ""))
        return self.method(cls, member) if cls else None

    def method(self, cls: str, name: str, arity: int = -1) -> str | None:
        """`cls.name`, looking through in-repo base classes in declaration order."""
        for klass in self.lineage(cls):
            qualified = f"{klass}.{name}"
            found = self.by_name.get(qualified) or _pick(self.overloads.get(qualified), arity)
            if found:
                return found
        return None

    def lineage(self, cls: str) -> tuple[str, ...]:
        """The class and its in-repo bases, depth first in declaration order, each once: a
        diamond hierarchy is walked in linear time, not once per path through it. Real
        hierarchies are a few classes deep; a generated one thousands deep is cut off."""
        cached = self._lineage.get(cls)
        if cached is None:
            order, seen, pending = [], set(), [cls]
            while pending and len(order) < MAX_LINEAGE:
                klass = pending.pop()
                if klass not in seen:
                    seen.add(klass)
                    order.append(klass)
                    pending.extend(reversed(self.bases.get(klass, ())))
            cached = self._lineage[cls] = tuple(order)
        return cached

    def dispatch(self, target: str, via_self: bool, owner_class: str | None,
                 arity: int = -1) -> tuple[list[str], EdgeKind, bool]:
        """Every unit a call can run: `resolve`'s answer, the other branches of a bound name,
        and what subclasses put behind the same method name (overrides, interface
        implementations, a mixin's `self.m()` that only a class composing it defines).
        Beyond DISPATCH_CAP implementations nothing more is linked. Remembered per target:
        a target repeats across thousands of call sites (only `super()` depends on the caller)."""
        key = (target, via_self, arity, owner_class if target.startswith("super().") else None)
        answer = self._dispatched.get(key)
        if answer is None:
            answer = self._dispatched[key] = self._dispatch(target, via_self, owner_class, arity)
        return answer

    def _dispatch(self, target: str, via_self: bool, owner_class: str | None,
                  arity: int) -> tuple[list[str], EdgeKind, bool]:
        found, kind, approx = self.resolve(target, via_self, owner_class, arity)
        first = [found] if found else []
        if found and self.alternatives.get(target):
            return [found, *self.alternatives[target]], kind, True
        cls, name = self._receiver_class(target, via_self)
        if kind != EdgeKind.CALL or cls is None:
            return first, kind, approx
        extra = sorted(self._overriding(cls, name, arity) - {found})
        if not extra or len(extra) > DISPATCH_CAP:
            return first, kind, approx
        return first + extra, kind, True

    def _receiver_class(self, target: str, via_self: bool) -> tuple[str | None, str]:
        if target.startswith(("new:", "super().", "param:", ".", "?")):
            return None, ""
        if "()." in target:
            made, _, name = target.rpartition("().")
            return self.instance_class(made), name
        cls, _, name = target.rpartition(".")
        return (cls if cls in self.bases else None), name

    def _overriding(self, cls: str, name: str, arity: int) -> frozenset[str]:
        """What the subclasses of `cls` run for `name`; asked once per class and name, however
        many call sites (a deep hierarchy's `self.m()` is called from hundreds of places)."""
        key = (cls, name, arity)
        found = self._overriders.get(key)
        if found is None:
            found = self._overriders[key] = frozenset(
                m for sub in self._descendants(cls) for m in [self.method(sub, name, arity)] if m)
        return found

    def _descendants(self, cls: str) -> list[str]:
        found, pending = [], list(self.subclasses.get(cls, ()))
        while pending and len(found) < 4 * DISPATCH_CAP:
            sub = pending.pop(0)
            if sub not in found:
                found.append(sub)
                pending.extend(self.subclasses.get(sub, ()))
        return found

    def resolve(self, target: str, via_self: bool, owner_class: str | None,
                arity: int = -1) -> tuple[str | None, EdgeKind, bool]:
        """(unit id, kind, approximate) for a call target, or (None, ...) when unknown."""
        if target.startswith("new:"):
            cls, approx = self.find_class(target[4:])
            return (self.by_name[cls] if cls else None), EdgeKind.INSTANTIATE, approx
        if target.startswith("super()."):
            base = next((b for b in self.bases.get(owner_class or "", ()) if b in self.bases), None)
            return (self.method(base, target[8:], arity) if base else None), EdgeKind.CALL, False
        if "()." in target:
            made, _, name = target.rpartition("().")
            cls = self.instance_class(made)
            return self.method(cls, name, arity) if cls else None, EdgeKind.CALL, False
        if via_self:
            cls, _, name = target.rpartition(".")
            return self.method(cls, name, arity), EdgeKind.CALL, False
        found = self.by_name.get(target)
        if found:
            return found, (EdgeKind.INSTANTIATE if target in self.bases else EdgeKind.CALL), False
        return self._member(target, arity)

    def instance_class(self, made: str, depth: int = 0) -> str | None:
        """The class of what calling `made` returns: `made` itself when it is a class, else the
        class a function's or method's return annotation names (`make() -> Parser`), followed
        through a chain of calls (`Builder().with_x().build()`). A class re-exported under
        another name is the class where its methods are defined."""
        if made in self.bases:
            return self.class_names.get(self.by_name.get(made, ""), made)
        if depth > 8:
            return None
        if "()." in made:
            owner, _, name = made.rpartition("().")
            cls = self.instance_class(owner, depth + 1)
            function = self.method(cls, name) if cls else None
        else:
            function = self._lookup(made)
        returned = self.returns.get(function or "")
        return self.instance_class(returned, depth + 1) if returned else None

    def _member(self, target: str, arity: int) -> tuple[str | None, EdgeKind, bool]:
        """Java's Type.method, the type found by qualified or unique simple name."""
        cls, _, name = target.rpartition(".")
        if cls and not cls.startswith(("param:", "?")):
            known, approx = self.find_class(cls)
            if known:
                found = self.method(known, name, arity)
                if found:
                    return found, EdgeKind.CALL, approx
        return None, EdgeKind.CALL, False

    def find_class(self, name: str) -> tuple[str | None, bool]:
        """A class by qualified name, or by simple name when exactly one class has it."""
        if name in self.bases:
            return name, False
        options = self.simple_classes.get(name.rpartition(".")[2], ())
        return (options[0], True) if len(options) == 1 and "." in name else (None, False)

    def constructor(self, cls_id_name: str, arity: int) -> str | None:
        return self.method(cls_id_name, "<init>", arity) or self.method(cls_id_name, "__init__", arity)


def _pick(options, arity: int) -> str | None:
    """The overload taking `arity` arguments; else one with varargs; else the first."""
    if not options:
        return None
    for count, varargs, uid in options:
        if count == arity and not varargs:
            return uid
    for count, varargs, uid in options:
        if varargs and arity >= count - 1:
            return uid
    return options[0][2]
