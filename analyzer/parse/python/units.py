"""The unit under construction during one walk (Python or Java), and what a Python walk reads
off signatures and call arguments. Frozen into CodeUnit records when the walk ends."""

from __future__ import annotations

import ast
from sys import intern

from analyzer.model import CallSite, CodeUnit, MAX_DEPTH, Observation, Param, StateAccess

LINE_CAP = 12
COLD = -1   # the walk depth of code on an exception path: it runs at most once per call, rarely


class UnitBuilder:
    """Mutable while one walk is under way; frozen into a CodeUnit at the end."""

    __slots__ = ("id", "kind", "name", "qualname", "start", "end", "parent", "params", "param_names",
                 "returns", "decorators", "bases", "obs", "calls", "state", "stmt_lines", "cc",
                 "modifiers", "local", "self_name", "cls", "language", "path")

    def __init__(self, uid, kind, name, qualname, span: tuple[int, int], parent, language="python", path=""):
        self.id, self.kind, self.name, self.qualname = uid, kind, name, qualname
        self.start, self.end = span
        self.parent, self.language, self.path = parent, language, path
        self.params, self.param_names, self.returns = (), frozenset(), None
        self.decorators, self.bases, self.modifiers = (), (), set()
        self.obs: dict[str, list] = {}
        self.calls: list[CallSite] = []
        self.state: dict[tuple[str, bool], StateAccess] = {}
        self.stmt_lines: set[int] = set()
        self.cc = 1
        self.local: dict[str, str] = {}
        self.self_name = self.cls = None

    def see(self, name: str, depth: int, line: int) -> None:
        """depth < 0 marks an exception path (COLD): counted once, outside any loop."""
        rec = self.obs.get(name)
        if rec is None:
            rec = self.obs[name] = [0, 0, 0, 0, [], []]
        rec[0 if depth < 0 else depth if depth < MAX_DEPTH else MAX_DEPTH] += 1
        if len(rec[4]) < LINE_CAP and line not in rec[4]:
            rec[4].append(line)
        if depth > 0 and len(rec[5]) < LINE_CAP and line not in rec[5]:
            rec[5].append(line)

    def freeze(self) -> CodeUnit:
        observations = tuple(
            Observation(intern(name), (r[0], r[1], r[2], r[3]), tuple(sorted(r[4])), tuple(sorted(r[5])))
            for name, r in sorted(self.obs.items()))
        return CodeUnit(
            id=self.id, kind=self.kind, language=self.language, path=self.path,
            name=self.name, qualname=self.qualname, start=self.start, end=self.end,
            parent=self.parent, params=self.params, returns=self.returns,
            decorators=self.decorators, bases=self.bases, observations=observations,
            calls=tuple(self.calls), state=tuple(sorted(self.state.values(), key=_state_key)),
            sloc=len(self.stmt_lines), cyclomatic=self.cc, modifiers=tuple(sorted(self.modifiers)))


def _state_key(s: StateAccess):
    return (s.name, s.write, s.line)


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
