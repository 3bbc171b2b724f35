"""What a Python walk reads off signatures and call arguments, and which loops run once
per element of an input."""

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
    params = [Param(a.arg, unparse(a.annotation), "positional_only" if i < len(args.posonlyargs) else "positional",
                    i >= first_default) for i, a in enumerate(positional)]
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


# Annotations that declare a sequence of small values: a loop over one runs per element.
DATA_TYPES = ("bytes", "bytearray", "memoryview", "str", "list", "Sequence", "MutableSequence", "array",
              "Buffer", "ByteString", "AnyStr", "ndarray")


def data_params(params: tuple[Param, ...], skip: str | None) -> frozenset[str]:
    """The parameters declared as data: bytes, str, lists, arrays and the like."""
    return frozenset(p.name for p in params if p.name != skip and p.annotation
                     and any(t in p.annotation for t in DATA_TYPES))


def loop_levels(bound: ast.AST, data: frozenset[str], me: str | None = None,
                attrs: frozenset[str] = frozenset()) -> int:
    """Loop levels a loop adds: two (trip ** 2 iterations) when its iterable or condition
    reads a data parameter, a local computed from one (`n = len(data)`), or an attribute of
    `me` that holds an input (`self.size`), so it runs once per element of an input; one for
    any other loop, whose length is unknown (a local collection, a small table, a parameter
    of any type)."""
    if not data and not attrs:
        return 1
    for n in ast.walk(bound):
        if (type(n) is ast.Name and n.id in data) or (type(n) is ast.Attribute and n.attr in attrs
                                                      and type(n.value) is ast.Name and n.value.id == me):
            return 2
    return 1
