"""What a Python walk reads off signatures and call arguments."""

from __future__ import annotations

import ast

from analyzer.model import Param


def literals(args: list[ast.expr]) -> tuple[str | int | float | None, int]:
    bits = 0
    for i, arg in enumerate(args[:3]):
        if type(arg) is ast.Constant:
            bits |= 1 << i
    first = args[0].value if args and type(args[0]) is ast.Constant else None
    if isinstance(first, (bytes, complex)) or first is Ellipsis:
        first = None
    return first, bits


def params_of(args: ast.arguments) -> tuple[Param, ...]:
    positional = [*args.posonlyargs, *args.args]
    first_default = len(positional) - len(args.defaults)
    params = [Param(a.arg, unparse(a.annotation), "positional", i >= first_default)
              for i, a in enumerate(positional)]
    if args.vararg:
        params.append(Param(args.vararg.arg, unparse(args.vararg.annotation), "var_positional"))
    params.extend(Param(a.arg, unparse(a.annotation), "keyword", d is not None)
                  for a, d in zip(args.kwonlyargs, args.kw_defaults))
    if args.kwarg:
        params.append(Param(args.kwarg.arg, unparse(args.kwarg.annotation), "var_keyword"))
    return tuple(params)


def unparse(node: ast.AST | None) -> str | None:
    if node is None:
        return None
    try:
        return ast.unparse(node)
    except (RecursionError, ValueError):
        return "..."
