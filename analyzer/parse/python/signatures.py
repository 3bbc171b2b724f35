"""What a Python walk reads off signatures and call arguments (parameters, the callables
their defaults bind), and which loops run once per element of an input."""

from __future__ import annotations

import ast
import re
from typing import Callable

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


def default_origins(function: ast.FunctionDef, resolve: Callable[[ast.AST], str | None]) -> dict[str, str]:
    """`def scan(s, _match=CHUNK.match, _join=''.join)`: a callable bound as a default makes a
    fast local name (no global or attribute lookup per call); callers leave it out, so calls
    through it reach what the default names, as `_match = CHUNK.match` would. Only a parameter
    the body calls: `units=UNITS` is data, and what it holds is not known here."""
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    given = [(arg.arg, default) for arg, default in [*zip(positional[len(positional) - len(args.defaults):],
                                                          args.defaults), *zip(args.kwonlyargs, args.kw_defaults)]
             if type(default) in (ast.Name, ast.Attribute)]
    called = _called_names(function) if given else set()
    found = {}
    for name, default in (g for g in given if g[0] in called):
        origin = resolve(default) or _literal_method(default, resolve)
        if origin:
            found[name] = origin
    return found


def _literal_method(node: ast.AST, resolve: Callable[[ast.AST], str | None]) -> str | None:
    """`''.join`, `b''.join`: a method of a literal, whose type the literal gives."""
    if type(node) is not ast.Attribute or type(node.value) is not ast.Constant:
        return None
    base = resolve(node.value)
    return f"{base}.{node.attr}" if base else None


def _called_names(function: ast.FunctionDef) -> set[str]:
    """The names a function's body calls as functions (`name(...)`)."""
    return {n.func.id for stmt in function.body for n in ast.walk(stmt)
            if type(n) is ast.Call and type(n.func) is ast.Name}


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


# Annotations of a sequence of numbers: a port converts it once and steps through machine
# values, as over a counter (list[int], Sequence[float], an array, a memoryview).
_NUMBERS = re.compile(r"(?:typing\.)?(?:list|List|Sequence|MutableSequence|tuple|Tuple)\[(?:int|float|bool|complex)"
                      r"(?:, \.\.\.)?\]|(?:array\.)?array|(?:numpy\.|np\.)?ndarray(?:\[.*\])?|memoryview|bytearray")


def numbers(param: Param) -> bool:
    """A parameter declared as a sequence of numbers."""
    return bool(param.annotation) and _NUMBERS.fullmatch(param.annotation) is not None


def data_params(params: tuple[Param, ...], skip: str | None) -> frozenset[str]:
    """The parameters declared as data: bytes, str, lists, arrays and the like."""
    return frozenset(p.name for p in params if p.name != skip and p.annotation
                     and any(t in p.annotation for t in DATA_TYPES))


# A length capped at this many or fewer is no input's size (the four parts of an IPv4 address).
SMALL_BOUND = 16
_CAPS_WHEN_FALSE = {ast.NotEq: 0, ast.Gt: 0, ast.GtE: -1}   # `if len(x) > 4: return`: len(x) <= 4 after
_CAPS_WHEN_TRUE = {ast.Eq: 0, ast.LtE: 0, ast.Lt: -1}       # `assert len(x) <= 4`
_MIRRORED = {ast.Gt: ast.Lt, ast.GtE: ast.LtE, ast.Lt: ast.Gt, ast.LtE: ast.GtE, ast.Eq: ast.Eq, ast.NotEq: ast.NotEq}


def capped_length(node: ast.AST) -> str | None:
    """The name whose length an `assert`, or an `if` that leaves the function, caps at a small
    constant from here on: a loop over it has a small, known bound."""
    if type(node) is ast.Assert:
        return _capped(node.test, holds=True)
    if type(node) is ast.If and not node.orelse and node.body and type(node.body[-1]) in (ast.Return, ast.Raise):
        return _capped(node.test, holds=False)   # what follows runs when the test is false
    return None


def _capped(test: ast.AST, holds: bool) -> str | None:
    if type(test) is not ast.Compare or len(test.ops) != 1 or type(test.ops[0]) not in _MIRRORED:
        return None
    left, op, right = test.left, type(test.ops[0]), test.comparators[0]
    if _length_of_name(right):
        left, op, right = right, _MIRRORED[op], left
    if not _length_of_name(left) or type(right) is not ast.Constant or type(right.value) is not int:
        return None
    caps = _CAPS_WHEN_TRUE if holds else _CAPS_WHEN_FALSE
    return left.args[0].id if op in caps and right.value + caps[op] <= SMALL_BOUND else None


def _length_of_name(node: ast.AST) -> bool:
    return (type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "len"
            and len(node.args) == 1 and type(node.args[0]) is ast.Name)


# A loop over a literal of one or two items (`for prefix in ("a.", "b.")`) is nearer to running
# its body once (off by at most 2x) than `trip` times (off by 4x or more): it adds no level.
TINY_DISPLAY = 2
_DISPLAYS = (ast.Tuple, ast.List, ast.Set)


def tiny_display(node: ast.AST) -> bool:
    """A literal tuple, list or set of one or two items, none of them spread."""
    return type(node) in _DISPLAYS and len(node.elts) <= TINY_DISPLAY and not any(type(e) is ast.Starred
                                                                                  for e in node.elts)


def loop_levels(bound: ast.AST, data: frozenset[str], me: str | None = None,
                attrs: frozenset[str] = frozenset(), tiny: frozenset[str] = frozenset()) -> int:
    """Loop levels a loop adds: two (trip ** 2 iterations) when its iterable or condition
    reads a data parameter, a local computed from one (`n = len(data)`), or an attribute of
    `me` that holds an input (`self.size`), so it runs once per element of an input; one for
    any other loop, whose length is unknown (a local collection, a small table, a parameter
    of any type); none over a literal of one or two items, or a local bound to one (`tiny`)."""
    if tiny_display(bound) or type(bound) is ast.Name and bound.id in tiny:
        return 0
    if not data and not attrs:
        return 1
    for n in ast.walk(bound):
        if (type(n) is ast.Name and n.id in data) or (type(n) is ast.Attribute and n.attr in attrs
                                                      and type(n.value) is ast.Name and n.value.id == me):
            return 2
    return 1
