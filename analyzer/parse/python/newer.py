"""Python newer than the interpreter rustscout runs on.

`ast` knows only the running interpreter's grammar: on Python 3.11, PEP 695 generics
(`def f[T]`, `class Box[T]`, `type Alias = ...`) and PEP 701 f-strings (the same quotes
nested, comments and backslashes inside) are syntax errors. libcst's parser knows the newer
grammar: such a file is read with it and lowered to code the interpreter parses, with every
line where it was, so units, facts and line numbers stay those of the file:

- type parameters are dropped, and `type X = v` becomes `X = v`;
- an f-string becomes a list display of its expressions: the same work (an allocation and
  each expression) for the facts, and brackets can hold the lines an f-string spanned.
"""

from __future__ import annotations

import ast

import libcst as cst


class Unlowerable(Exception):
    """Valid Python for a newer interpreter that cannot be lowered line for line."""


def lowered(text: str) -> ast.Module | None:
    """The tree of `text` read with the newer grammar; None when it is not Python at all.
    Raises Unlowerable for newer syntax that cannot keep its lines (type parameters over
    several lines, say)."""
    try:
        module = cst.parse_module(text)
    except (cst.ParserSyntaxError, RecursionError, ValueError):
        return None
    code = module.visit(_Lowering(module)).code
    try:
        if code.count("\n") == text.count("\n"):
            return ast.parse(code)
    except (SyntaxError, RecursionError, ValueError):
        pass
    raise Unlowerable()


class _Lowering(cst.CSTTransformer):
    def __init__(self, module):
        super().__init__()
        self._module = module

    def leave_FunctionDef(self, original, updated):
        return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

    def leave_ClassDef(self, original, updated):
        return updated.with_changes(type_parameters=None) if updated.type_parameters else updated

    def leave_TypeAlias(self, original, updated):
        return cst.Assign(targets=[cst.AssignTarget(updated.name)], value=updated.value)

    def leave_FormattedString(self, original, updated):
        parts = [self._module.code_for_node(p.expression) for p in updated.parts
                 if isinstance(p, cst.FormattedStringExpression)]
        spanned = self._module.code_for_node(original).count("\n")
        display = "[" + ", ".join(f"({p})" for p in parts)
        return cst.parse_expression(display + "\n" * max(spanned - display.count("\n"), 0) + "]")
