"""A module's top-level names, read before its units are walked: imports, definitions,
globals (and which of them hold mutable state), and names bound to a function or a callable
object, so a call through the name reaches the code it runs."""

from __future__ import annotations

import ast

from analyzer.parse.python.scope import FileScope

_MUTABLE_CALLS = frozenset({
    "list", "dict", "set", "bytearray", "collections.defaultdict", "collections.OrderedDict",
    "collections.Counter", "collections.deque", "weakref.WeakValueDictionary",
    "weakref.WeakKeyDictionary"})
_MUTABLE_LITERALS = (ast.List, ast.Dict, ast.Set, ast.ListComp, ast.DictComp, ast.SetComp)
_BLOCKS = (ast.If, ast.Try, ast.With)   # `try: import x`, `if TYPE_CHECKING:`, a binding per branch


def prescan(body: list[ast.stmt], scope: FileScope) -> tuple[tuple[str, str], ...]:
    """Module-level names first, so functions see imports and globals defined below them.
    Returns the bindings: (qualified name, what a call through it runs), every branch kept."""
    pending, classes, bindings = [(stmt, False) for stmt in body], [], set()
    defined, imported_in_blocks = set(), set()
    while pending:
        stmt, in_block = pending.pop(0)
        kind = type(stmt)
        if kind in (ast.Import, ast.ImportFrom):
            bound = scope.bind_import(stmt)
            if in_block:
                imported_in_blocks.update(alias for _, _, alias in bound)
        elif kind in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            scope.defs[stmt.name] = scope.qualify(stmt.name)
            defined.add(stmt.name)
            if kind is ast.ClassDef:
                classes.append(stmt)
        elif kind in (ast.Assign, ast.AnnAssign) and stmt.value is not None:
            _assign(stmt, scope)
            bindings.update(_bindings(stmt, scope, ""))
        elif kind in _BLOCKS:
            pending.extend((s, True) for s in [*stmt.body, *getattr(stmt, "orelse", ()),
                                                *(s for h in getattr(stmt, "handlers", ()) for s in h.body)])
    # `def f` and `try: from elsewhere import f`: f may run either, and only the def is code
    # this file shows, so calls through f reach it
    scope.defs_also_imported = frozenset(defined & imported_in_blocks)
    for cls in classes:
        bindings.update(_class_bindings(cls, scope))
    return tuple(sorted(bindings))


def _class_bindings(cls: ast.ClassDef, scope: FileScope) -> list[tuple[str, str]]:
    """A class body's bindings. A bare name there is the class's own when the body defined or
    assigned it above (a method, an alias of one), else the module's. Nested classes are not read."""
    members: dict[str, str] = {}
    found = []
    for stmt in cls.body:
        if type(stmt) in (ast.FunctionDef, ast.AsyncFunctionDef):
            members[stmt.name] = scope.qualify(f"{cls.name}.{stmt.name}")
        elif type(stmt) in (ast.Assign, ast.AnnAssign) and stmt.value is not None:
            found += _bindings(stmt, scope, cls.name, members)
            members.update((t.id, scope.qualify(f"{cls.name}.{t.id}")) for t in _names(stmt))
    return found


def _assign(stmt: ast.Assign | ast.AnnAssign, scope: FileScope) -> None:
    origin = scope.origin_of(stmt.value, {}, frozenset(), None, None)
    mutable = isinstance(stmt.value, _MUTABLE_LITERALS) or (
        type(stmt.value) is ast.Call and (origin or "").removeprefix("builtins.")[:-2] in _MUTABLE_CALLS)
    for target in _names(stmt):
        bound = origin or scope.qualify(target.id)
        # bound again to another function (`enc = _enc_py`, then `enc = _native.enc` in a
        # `try`): a call through it names the global, whose bindings keep every branch. An
        # instance keeps its last class, so that its methods still resolve.
        earlier = scope.defs.get(target.id, bound)
        instance = bound.endswith("()") or earlier.endswith("()")
        scope.defs[target.id] = bound if earlier == bound or instance else scope.qualify(target.id)
        if mutable:   # shared *mutable* state only once some unit writes to it (see boundary)
            scope.mutable_globals.setdefault(target.id, stmt.lineno)


def _bindings(stmt: ast.Assign | ast.AnnAssign, scope: FileScope, owner: str,
              members: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """`name = func` and `name = functools.partial(func, ...)` (in a class body:
    `Class.name`): a call through the name runs `func`; `name = Class(...)`: a call through
    the name runs `Class.__call__`; `name = {key: func, ...}`: a call through `name[key]`
    runs one of the functions (`name[]` is bound to each; `**spread` entries are not read)."""
    table = type(stmt.value) is ast.Dict
    values = [v for k, v in zip(stmt.value.keys, stmt.value.values) if k is not None] if table else [stmt.value]
    found = set()
    for value in values:
        found.add(_bound_to(value, scope, members or {}))
    found.discard(None)
    prefix, suffix = f"{owner}." if owner else "", "[]" if table else ""
    bound = [scope.qualify(prefix + t.id + suffix) for t in _names(stmt)] if found else []
    if table:
        scope.tables.update(bound)
    return [(name, target) for name in bound for target in sorted(found)]


def _names(stmt: ast.Assign | ast.AnnAssign) -> list[ast.Name]:
    return [t for t in (stmt.targets if type(stmt) is ast.Assign else [stmt.target]) if type(t) is ast.Name]


def _bound_to(value: ast.expr, scope: FileScope, members: dict[str, str]) -> str | None:
    suffix = ""
    if type(value) is ast.Call:
        called = scope.resolve(value.func, members, frozenset(), None, None)
        if called == "functools.partial" and value.args:
            value = value.args[0]
        elif called and not called.endswith("()") and not called.startswith("param:"):
            value, suffix = value.func, ".__call__"
    if type(value) not in (ast.Name, ast.Attribute):
        return None
    name = scope.resolve(value, members, frozenset(), None, None)
    if not name or name.endswith("()") or name.startswith("param:"):
        return None
    return name + suffix
