"""The Python walker's handlers of operations: arithmetic, bitwise work, comparisons, indexing,
slices and the values built by displays and f-strings, each seen at its loop depth.

A mixin of the Walker (walker.py), which owns the stack, the scope and the units; it reads
`self.stack`, `_resolve_value` and `_touch_global` from there.
"""

from __future__ import annotations

import ast

from analyzer.parse.builder import UnitBuilder
from analyzer.parse.python.scope import LIST_ORIGIN, STR_ORIGIN, is_str_expr

BITWISE = frozenset({ast.BitAnd, ast.BitOr, ast.BitXor, ast.LShift, ast.RShift})
# `x in [a, b]` compares item by item, no dearer than a hash: a set would not pay, and one
# built once cannot hold items that change per iteration. A longer display is a search.
SHORT_DISPLAY = 4


class OperationHandlers:
    def _binop(self, node: ast.BinOp, unit: UnitBuilder, depth: int) -> None:
        op = type(node.op)
        if op is ast.Mod and is_str_expr(node.left, unit.local):
            unit.see("alloc", depth, node.lineno)   # `"%s" % x` formats a new string
        else:
            strings = is_str_expr(node.left, unit.local) or is_str_expr(node.right, unit.local)
            _see_operator(op, strings, unit, depth, node.lineno)
        self._push([node.left, node.right], unit, depth)

    def _augassign(self, node: ast.AugAssign, unit: UnitBuilder, depth: int) -> None:
        target_is_str = type(node.target) is ast.Name and unit.local.get(node.target.id) == STR_ORIGIN
        _see_operator(type(node.op), target_is_str or is_str_expr(node.value, unit.local), unit, depth, node.lineno)
        self._push([node.target, node.value], unit, depth)

    def _unaryop(self, node: ast.UnaryOp, unit: UnitBuilder, depth: int) -> None:
        op = type(node.op)
        name = "bitwise" if op is ast.Invert else "compare" if op is ast.Not else "arith"
        unit.see(name, depth, node.lineno)
        self.stack.append((node.operand, unit, depth))

    def _compare(self, node: ast.Compare, unit: UnitBuilder, depth: int) -> None:
        unit.see("compare", depth, node.lineno)
        for op, right in zip(node.ops, node.comparators):
            if type(op) in (ast.In, ast.NotIn):
                self._membership(right, unit, depth, node.lineno)
        self._push([node.left, *node.comparators], unit, depth)

    def _membership(self, container: ast.AST, unit: UnitBuilder, depth: int, line: int) -> None:
        """`x in a_list` scans it; `x in [a, b]` is a comparison per item."""
        if _short_display(container):
            for _ in container.elts[1:]:
                unit.see("compare", depth, line)
        elif self._is_list(container, unit):
            unit.see("list_membership", depth, line)

    def _is_list(self, node: ast.AST, unit: UnitBuilder) -> bool:
        if type(node) in (ast.List, ast.ListComp):
            return True
        return type(node) is ast.Name and self._resolve_value(node, unit) == LIST_ORIGIN

    def _subscript(self, node: ast.Subscript, unit: UnitBuilder, depth: int) -> None:
        unit.see("slice" if type(node.slice) is ast.Slice else "index", depth, node.lineno)
        if type(node.ctx) is not ast.Load:
            self._touch_global(node.value, unit, write=True)
        self.stack.append((node.slice, unit, depth))
        self.stack.append((node.value, unit, depth))

    def _display(self, node, unit: UnitBuilder, depth: int) -> None:
        if type(getattr(node, "ctx", None)) is not ast.Store:
            unit.see("alloc", depth, node.lineno)
        self._push_generic(node, unit, depth)

    def _fstring(self, node: ast.JoinedStr, unit: UnitBuilder, depth: int) -> None:
        unit.see("alloc", depth, node.lineno)
        self._push_generic(node, unit, depth)


def _short_display(node: ast.AST) -> bool:
    return type(node) is ast.List and len(node.elts) <= SHORT_DISPLAY and not any(
        type(e) is ast.Starred for e in node.elts)


def _see_operator(op: type, strings: bool, unit: UnitBuilder, depth: int, line: int) -> None:
    """`+` on strings builds a new one; any other operator is arithmetic or bitwise work."""
    unit.see("str_concat" if op is ast.Add and strings else "bitwise" if op in BITWISE else "arith", depth, line)
