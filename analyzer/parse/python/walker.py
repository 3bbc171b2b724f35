"""One iterative pass over a Python AST that yields units and their raw facts.

Input: a parsed module, its FileScope and the file's repo path.
Output: CodeUnit records (module, classes, functions) with observations by loop depth,
call sites, state accesses, cyclomatic complexity and statement lines, plus Import records.

Invariants:
- every node is visited once, with an explicit stack: real code nests deeper than
  Python's recursion limit (sympy does), and one walk is what keeps the scan near the
  cost of `ast.parse` itself;
- cyclomatic complexity follows radon's ComplexityVisitor exactly (tests compare the two);
- nothing is classified here: a call to "re.compile" is recorded; catalogs say what it means.
"""

from __future__ import annotations

import ast
from sys import intern

from analyzer.model import MAX_DEPTH, CallSite, CodeUnit, Import, StateAccess, UnitKind, unit_id
from analyzer.parse.builder import COLD, UnitBuilder, fresh_id
from analyzer.parse.python.loops import MUTATORS, LoopHandlers
from analyzer.parse.python.operations import OperationHandlers
from analyzer.parse.python.scope import FileScope, dotted, is_looked_up
from analyzer.parse.python.signatures import (capped_length, data_params, default_origins, literals, params_of,
                                               tiny_display, unparse)

STMT = frozenset(c for c in vars(ast).values() if isinstance(c, type) and issubclass(c, ast.stmt))
_SKIP_FIELDS = frozenset({"ctx", "op", "ops", "type_comment", "annotation", "returns"})
# Nodes with nothing below them and nothing to count: never pushed, so never popped.
_LEAVES = frozenset({ast.Constant, ast.Pass, ast.Break, ast.Continue, ast.alias, ast.arg})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _fields(kind: type) -> tuple[str, ...]:
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(f for f in reversed(kind._fields) if f not in _SKIP_FIELDS)
    return fields


def _raises(body: list) -> bool:
    return bool(body) and type(body[-1]) is ast.Raise


def _never(test: ast.expr) -> bool:
    """`if 0:`, `if False:`: a block kept for debugging, which never runs."""
    return type(test) is ast.Constant and not test.value


class Walker(LoopHandlers, OperationHandlers):
    def __init__(self, scope: FileScope, path: str):
        self.scope, self.path = scope, path
        self.units: list[UnitBuilder] = []
        self.imports: list[Import] = []
        self.ids: set[str] = set()
        self.returns: list[tuple[str, str]] = []   # (function's unit id, the class it returns)
        self.stack: list[tuple[ast.AST, UnitBuilder, int]] = []
        self.handlers = {
            ast.FunctionDef: self._function, ast.AsyncFunctionDef: self._function,
            ast.ClassDef: self._class, ast.For: self._for, ast.AsyncFor: self._for,
            ast.While: self._while, ast.ListComp: self._comprehension,
            ast.SetComp: self._comprehension, ast.DictComp: self._comprehension,
            ast.GeneratorExp: self._comprehension, ast.If: self._branch, ast.IfExp: self._branch,
            ast.BoolOp: self._boolop, ast.Try: self._try, ast.Match: self._match,
            ast.Assert: self._assert, ast.BinOp: self._binop, ast.AugAssign: self._augassign,
            ast.UnaryOp: self._unaryop, ast.Compare: self._compare, ast.Subscript: self._subscript,
            ast.Call: self._call, ast.Assign: self._assign, ast.AnnAssign: self._assign,
            ast.Global: self._global, ast.Await: self._await, ast.Yield: self._yield,
            ast.YieldFrom: self._yield, ast.Lambda: self._lambda, ast.Import: self._import,
            ast.ImportFrom: self._import, ast.With: self._with, ast.AsyncWith: self._with,
            ast.List: self._display, ast.Dict: self._display, ast.Set: self._display,
            ast.JoinedStr: self._fstring, ast.Raise: self._raise,
        }
        if scope.mutable_globals:
            self.handlers[ast.Name] = self._name
            self.leaves = _LEAVES
        else:
            self.leaves = _LEAVES | {ast.Name}

    # --- driver -----------------------------------------------------------------------

    def run(self, tree: ast.Module, module_name: str) -> tuple[list[CodeUnit], list[Import]]:
        module = self._new_unit(unit_id("python", self.path), UnitKind.MODULE, module_name, "", tree, None)
        module.start, module.end = 1, max(1, getattr(tree.body[-1], "end_lineno", 1) if tree.body else 1)
        self._push(tree.body, module, 0)
        stack, handlers, push_generic = self.stack, self.handlers, self._push_generic
        while stack:
            node, unit, depth = stack.pop()
            kind = type(node)
            if kind in STMT:
                unit.stmt_lines.add(node.lineno)
            (handlers.get(kind) or push_generic)(node, unit, depth)
        return [u.freeze() for u in self.units], self.imports

    def _push_generic(self, node: ast.AST, unit: UnitBuilder, depth: int) -> None:
        push, leaves = self.stack.append, self.leaves
        for name in _fields(type(node)):
            value = getattr(node, name, None)
            if type(value) is list:
                for item in reversed(value):
                    if type(item) not in leaves and isinstance(item, ast.AST):
                        push((item, unit, depth))
            elif type(value) not in leaves and isinstance(value, ast.AST):
                push((value, unit, depth))

    def _push(self, nodes, unit: UnitBuilder, depth: int) -> None:
        """Push in reverse so the stack pops in source order (origins flow top to bottom)."""
        for node in reversed(nodes):
            if node is not None:
                self.stack.append((node, unit, depth))

    def _new_unit(self, uid, kind, name, qualname, node, parent) -> UnitBuilder:
        uid = fresh_id(uid, self.ids)
        span = (getattr(node, "lineno", 1), getattr(node, "end_lineno", 1) or 1)
        unit = UnitBuilder(uid, kind, name, qualname, span, parent, "python", self.path)
        self.units.append(unit)
        return unit

    def _resolve(self, node: ast.AST, unit: UnitBuilder) -> str | None:
        return self.scope.resolve(node, unit.local, unit.param_names, unit.self_name, unit.cls)

    # --- definitions ------------------------------------------------------------------

    def _child_qualname(self, unit: UnitBuilder, name: str) -> str:
        return f"{unit.qualname}.{name}" if unit.qualname else name

    def _function(self, node, unit: UnitBuilder, depth: int) -> None:
        qualname = self._child_qualname(unit, node.name)
        fn = self._new_unit(unit_id("python", self.path, qualname), UnitKind.FUNCTION, node.name, qualname, node, unit.id)
        fn.decorators = tuple(d for d in (self._decorator(x, unit) for x in node.decorator_list) if d)
        fn.params = params_of(node.args)
        fn.param_names = frozenset(p.name for p in fn.params)
        fn.returns = unparse(node.returns)
        returned = self.scope.returned_class(node.returns, self.scope.qualify(unit.qualname)
                                             if unit.kind == UnitKind.CLASS else None)
        if returned:
            self.returns.append((fn.id, returned))
        if isinstance(node, ast.AsyncFunctionDef):
            fn.modifiers.add("async")
        self._bind_self(fn, unit)
        fn.data_params = data_params(fn.params, fn.self_name)
        self._annotated_origins(fn, node.args)
        for name, origin in default_origins(node, lambda value: self._resolve_value(value, unit)).items():
            fn.local.setdefault(name, origin)   # an annotation says more than a default
        if unit.kind == UnitKind.FUNCTION:
            unit.see("nested_def", depth, node.lineno)
            unit.local[node.name] = self.scope.qualify(qualname)   # calls through its name run it
        defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
        self._push([*node.decorator_list, *defaults], unit, depth)
        self._push(node.body, fn, 0)

    def _bind_self(self, fn: UnitBuilder, owner: UnitBuilder) -> None:
        if owner.kind == UnitKind.CLASS and fn.params and "staticmethod" not in fn.decorators:
            fn.self_name, fn.cls = fn.params[0].name, self.scope.qualify(owner.qualname)
            fn.param_names = fn.param_names - {fn.self_name}
        elif owner.kind == UnitKind.FUNCTION:
            fn.self_name, fn.cls = owner.self_name, owner.cls

    def _annotated_origins(self, fn: UnitBuilder, args: ast.arguments) -> None:
        """`def f(c: HttpClient)` makes `c.get()` resolvable, as `c = HttpClient()` would."""
        for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]:
            if arg.annotation is None or arg.arg == fn.self_name:
                continue
            resolved = self.scope.resolve(arg.annotation, {}, frozenset(), None, None)
            if resolved and not resolved.startswith(("typing.", "collections.abc.")):
                fn.local[arg.arg] = f"builtins.{resolved}()" if "." not in resolved else f"{resolved}()"

    def _decorator(self, node: ast.AST, unit: UnitBuilder) -> str | None:
        target = node.func if type(node) is ast.Call else node
        return self._resolve(target, unit) or dotted(target)

    def _class(self, node: ast.ClassDef, unit: UnitBuilder, depth: int) -> None:
        qualname = self._child_qualname(unit, node.name)
        cls = self._new_unit(unit_id("python", self.path, qualname), UnitKind.CLASS, node.name, qualname, node, unit.id)
        cls.decorators = tuple(d for d in (self._decorator(x, unit) for x in node.decorator_list) if d)
        cls.bases = tuple(b for b in (self._resolve(x, unit) or dotted(x) for x in node.bases) if b)
        meta = next((k.value for k in node.keywords if k.arg == "metaclass"), None)
        cls.metaclass = None if meta is None else self._resolve(meta, unit) or dotted(meta) or "?"
        self.scope.scan_class(node, self.scope.qualify(qualname))
        self._push([*node.decorator_list, *node.bases, *(k.value for k in node.keywords)], unit, depth)
        self._push(node.body, cls, 0)

    def _import(self, node, unit: UnitBuilder, depth: int) -> None:
        for module, member, alias in self.scope.bind_import(node):
            self.imports.append(Import(module, member, alias, node.lineno, unit.id))

    # --- control flow (cyclomatic complexity as radon counts it) ------------------------

    def _branch(self, node, unit: UnitBuilder, depth: int) -> None:
        """A branch that ends by raising is an exception path, run rarely and at most once per
        call: its calls carry no loop weight (they are marked cold)."""
        unit.cc += 1
        capped = capped_length(node)
        if capped in unit.data_params:
            unit.data_params = unit.data_params - {capped}
        if type(node) is ast.If and _never(node.test):
            return self._push(node.orelse, unit, depth)   # the body never runs: nothing in it counts
        if type(node) is not ast.If or not (_raises(node.body) or _raises(node.orelse)):
            return self._push_generic(node, unit, depth)
        self._push(node.orelse, unit, COLD if _raises(node.orelse) else depth)
        self._push(node.body, unit, COLD if _raises(node.body) else depth)
        self.stack.append((node.test, unit, depth))

    def _boolop(self, node: ast.BoolOp, unit: UnitBuilder, depth: int) -> None:
        unit.cc += len(node.values) - 1
        self._push(node.values, unit, depth)

    def _try(self, node: ast.Try, unit: UnitBuilder, depth: int) -> None:
        unit.cc += len(node.handlers) + bool(node.orelse)
        self._push(node.finalbody, unit, depth)
        self._push(node.orelse, unit, depth)
        self._push(node.handlers, unit, COLD)   # error handling: cold, as a raise is
        self._push(node.body, unit, depth)

    def _match(self, node: ast.Match, unit: UnitBuilder, depth: int) -> None:
        wildcard = any(getattr(c.pattern, "pattern", False) is None for c in node.cases)
        unit.cc += max(0, len(node.cases) - wildcard)
        self._push_generic(node, unit, depth)

    def _assert(self, node: ast.Assert, unit: UnitBuilder, depth: int) -> None:
        unit.cc += 1   # radon counts the assert and does not look inside it; neither do we
        unit.data_params = unit.data_params - {capped_length(node)}

    def _raise(self, node: ast.Raise, unit: UnitBuilder, depth: int) -> None:
        """A raise runs at most once per call, and rarely: its message and exception are built
        on an exit path, not per iteration (calls from here are marked cold)."""
        self._push_generic(node, unit, COLD)

    def _await(self, node, unit: UnitBuilder, depth: int) -> None:
        unit.see("await", depth, node.lineno)
        self._push_generic(node, unit, depth)

    def _yield(self, node, unit: UnitBuilder, depth: int) -> None:
        unit.modifiers.add("generator")
        self._push_generic(node, unit, depth)

    def _lambda(self, node: ast.Lambda, unit: UnitBuilder, depth: int) -> None:
        unit.see("lambda", depth, node.lineno)
        self.stack.append((node.body, unit, depth))

    def _with(self, node, unit: UnitBuilder, depth: int) -> None:
        for item in node.items:
            if type(item.optional_vars) is ast.Name:
                origin = self._resolve_value(item.context_expr, unit)
                self._bind(unit, item.optional_vars.id, origin)
        self._push_generic(node, unit, depth)

    # --- calls, assignment and state -----------------------------------------------------

    def _call(self, node: ast.Call, unit: UnitBuilder, depth: int) -> None:
        func = node.func
        via_self = type(func) is ast.Attribute and type(func.value) is ast.Name \
            and func.value.id == unit.self_name and unit.cls is not None
        unit.calls.append(CallSite(intern(self._call_target(func, unit)), node.lineno, min(max(depth, 0), MAX_DEPTH),
                                   *literals(node.args), via_self, -1, depth < 0))
        unit.see("call", depth, node.lineno)
        if type(func) is ast.Attribute and func.attr in MUTATORS:
            self._touch_global(func.value, unit, write=True)
            if type(func.value) is ast.Name and func.value.id in unit.tiny:   # it grows: no longer a tiny literal
                unit.tiny = unit.tiny - {func.value.id}
        self._push([*node.args, *(k.value for k in node.keywords)], unit, depth)
        if type(func) is not ast.Name:
            self.stack.append((func.value if type(func) is ast.Attribute else func, unit, depth))

    def _call_target(self, func: ast.AST, unit: UnitBuilder) -> str:
        table = self.scope.table_of(func, unit.local, unit.param_names, unit.self_name, unit.cls)
        if table:
            return table
        if type(func) is ast.Name:
            return self._resolve(func, unit) or f"?{func.id}"
        if type(func) is ast.Attribute:
            base = self._resolve(func.value, unit)
            return f"{base}.{func.attr}" if base and not is_looked_up(base) else f".{func.attr}"
        return "?"

    def _assign(self, node, unit: UnitBuilder, depth: int) -> None:
        targets = node.targets if type(node) is ast.Assign else [node.target]
        value = node.value
        sized = value is not None and self._levels(value, unit) > 1   # `n = len(data)`: sized too
        for target in targets:
            kind = type(target)
            if kind is ast.Name and value is not None:
                self._bind(unit, target.id, self._resolve_value(value, unit))
                if sized:
                    unit.data_params = unit.data_params | {target.id}
                if tiny_display(value):
                    unit.tiny = unit.tiny | {target.id}
                elif target.id in unit.tiny:   # bound again to something else
                    unit.tiny = unit.tiny - {target.id}
            elif kind is ast.Attribute and self._is_foreign(target.value, unit):
                unit.see("monkeypatch", depth, node.lineno)
        if value is not None:
            self.stack.append((value, unit, depth))
        self._push(targets, unit, depth)

    def _is_foreign(self, base: ast.AST, unit: UnitBuilder) -> bool:
        """Assigning an attribute of an imported module or class patches it for everyone."""
        name = dotted(base)
        if name is None:
            return False
        root = name.partition(".")[0]
        return root in self.scope.aliases and root not in unit.local and root != unit.self_name

    def _bind(self, unit: UnitBuilder, name: str, origin: str | None) -> None:
        if unit.kind == UnitKind.MODULE:
            return  # module-level origins were bound once, before the walk
        if origin:
            unit.local[name] = origin
        else:
            unit.local.pop(name, None)

    def _resolve_value(self, node: ast.AST, unit: UnitBuilder) -> str | None:
        return self.scope.origin_of(node, unit.local, unit.param_names, unit.self_name, unit.cls)

    def _global(self, node: ast.Global, unit: UnitBuilder, depth: int) -> None:
        for name in node.names:
            self._state(unit, self.scope.qualify(name), node.lineno, write=True)

    def _name(self, node: ast.Name, unit: UnitBuilder, depth: int) -> None:
        if unit.kind != UnitKind.MODULE and type(node.ctx) is ast.Load:
            self._touch_global(node, unit, write=False)

    def _touch_global(self, node: ast.AST, unit: UnitBuilder, write: bool) -> None:
        if type(node) is ast.Name and node.id in self.scope.mutable_globals \
                and unit.kind != UnitKind.MODULE and node.id not in unit.local:
            self._state(unit, self.scope.qualify(node.id), node.lineno, write)

    def _state(self, unit: UnitBuilder, name: str, line: int, write: bool) -> None:
        unit.state.setdefault((name, write), StateAccess(name, line, write))
