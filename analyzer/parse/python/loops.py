"""The Python walker's handlers of loops: `for`, `while` and comprehensions, each with the
loop levels it adds (trip ** levels runs of its body per run of the unit) and its own step.

A mixin of the Walker (walker.py), which owns the stack, the scope and the units; it reads
`self.stack`, `self.scope`, `_push`, `_resolve` and `_resolve_value` from there. Cyclomatic
complexity is counted as radon counts it.
"""

from __future__ import annotations

import ast

from analyzer.parse.builder import UnitBuilder
from analyzer.parse.python.scope import STR_ORIGIN
from analyzer.parse.python.signatures import loop_levels, numbers

# list methods that change the list they are called on
MUTATORS = frozenset({"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update",
                      "setdefault", "add", "discard", "appendleft", "popleft", "sort", "reverse"})
CHAR_ORIGINS = frozenset({STR_ORIGIN, "builtins.bytes()", "builtins.bytearray()"})
_WRAPPERS = frozenset({"enumerate", "reversed", "builtins.enumerate", "builtins.reversed"})


class LoopHandlers:
    def _for(self, node, unit: UnitBuilder, depth: int) -> None:
        unit.cc += 1 + bool(node.orelse)
        unit.see("loop", depth, node.lineno)
        inner = depth + self._levels(node.iter, unit, node.body)
        chars = self._walks_chars(node.iter, unit)
        if chars:
            unit.see("char_iter", inner, node.lineno)
        unit.see(self._step(node.iter, unit, chars), depth, node.lineno)
        self._push(node.orelse, unit, depth)
        self._push([node.target, *node.body], unit, inner)
        self.stack.append((node.iter, unit, depth))   # the iterable is evaluated once

    def _walks_chars(self, iterable: ast.AST, unit: UnitBuilder) -> bool:
        """A loop over the characters or bytes of a string."""
        return self._resolve_value(iterable, unit) in CHAR_ORIGINS

    def _step(self, iterable: ast.AST, unit: UnitBuilder, chars: bool) -> str:
        """A loop's own step: over a counter (range, or enumerate or reversed of one) or the
        characters of a string (`chars`) a port keeps it in a register; over objects it
        fetches each one."""
        if chars:
            return "count_iter"
        while type(iterable) is ast.Call and iterable.args and self._resolve(iterable.func, unit) in _WRAPPERS:
            iterable = iterable.args[0]
        counter = type(iterable) is ast.Call and self._resolve(iterable.func, unit) in ("range", "builtins.range")
        typed = type(iterable) is ast.Name and any(p.name == iterable.id and numbers(p) for p in unit.params)
        return "count_iter" if counter or typed else "object_iter"

    def _levels(self, bound: ast.AST, unit: UnitBuilder, body: list | tuple | None = None) -> int:
        """A local bound to a literal of one or two items bounds a loop over it when the loop's
        `body` does not grow it; a `while` test never (`queue = [root]; while queue:` is a
        worklist), nor a loop that appends to what it walks."""
        tiny = unit.tiny if body is not None and type(bound) is ast.Name and bound.id in unit.tiny \
            and not _grows(body, bound.id) else frozenset()
        return loop_levels(bound, unit.data_params, unit.self_name, self.scope.data_attrs.get(unit.cls, frozenset()),
                           tiny)

    def _while(self, node: ast.While, unit: UnitBuilder, depth: int) -> None:
        unit.cc += 1 + bool(node.orelse)
        unit.see("loop", depth, node.lineno)
        unit.see("count_iter", depth, node.lineno)
        self._push(node.orelse, unit, depth)
        self._push([node.test, *node.body], unit, depth + self._levels(node.test, unit))

    def _comprehension(self, node, unit: UnitBuilder, depth: int) -> None:
        if type(node) is not ast.GeneratorExp:
            unit.see("alloc", depth, node.lineno)
        inner = depth
        items = []
        for i, gen in enumerate(node.generators):
            unit.cc += 1 + len(gen.ifs)
            unit.see("loop", inner, node.lineno)
            unit.see(self._step(gen.iter, unit, self._walks_chars(gen.iter, unit)), inner, node.lineno)
            items.append((gen.iter, depth if i == 0 else inner))
            inner += self._levels(gen.iter, unit, ())
            items.extend((x, inner) for x in [gen.target, *gen.ifs])
        elts = [node.key, node.value] if type(node) is ast.DictComp else [node.elt]
        items.extend((x, inner) for x in elts)
        for item, d in reversed(items):
            self.stack.append((item, unit, d))


def _grows(body, name: str) -> bool:
    """Whether statements mutate the list `name` (`name.append(x)`, `name += more`)."""
    for node in (n for stmt in body for n in ast.walk(stmt)):
        kind = type(node)
        if kind is ast.Call and type(node.func) is ast.Attribute and node.func.attr in MUTATORS \
                and type(node.func.value) is ast.Name and node.func.value.id == name:
            return True
        if kind is ast.AugAssign and type(node.target) is ast.Name and node.target.id == name:
            return True
    return False
