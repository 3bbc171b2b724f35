"""Name resolution within one Python file: imports, module definitions and local origins.

A name resolves to a dotted, absolute string when one file is enough to know it:
"np.zeros" -> "numpy.zeros", "helper" -> "pkg.mod.helper", "resp.json" after
`resp = requests.get(u)` -> "requests.get().json". The trailing "()" marks "a value
returned by calling", which is how catalogs and the call graph see through local variables.
Unknown receivers stay unknown (None); nothing here guesses from names.
"""

from __future__ import annotations

import ast
import builtins

from analyzer.parse.python.signatures import data_params, loop_levels, params_of

BUILTINS = frozenset(dir(builtins))

# Values whose type one line of code makes certain; enough to see string building,
# list scans and container allocation without a type checker.
LITERAL_ORIGINS = {
    ast.List: "builtins.list()", ast.ListComp: "builtins.list()",
    ast.Dict: "builtins.dict()", ast.DictComp: "builtins.dict()",
    ast.Set: "builtins.set()", ast.SetComp: "builtins.set()",
    ast.JoinedStr: "builtins.str()",
}
STR_ORIGIN = "builtins.str()"
SELF_TYPES = frozenset({"typing.Self", "typing_extensions.Self"})
LIST_ORIGIN = "builtins.list()"


def package_of(module: str, is_init: bool) -> str:
    """The package a relative import is resolved against."""
    return module if is_init else module.rpartition(".")[0]


def absolute_module(package: str, level: int, module: str | None) -> str:
    if level == 0:
        return module or ""
    parts = package.split(".") if package else []
    base = parts[: len(parts) - (level - 1)] if level > 1 else parts
    return ".".join([*base, module] if module else base)


class FileScope:
    """What the names of one file refer to; built once per file, read by the walker."""

    def __init__(self, module: str, is_init: bool):
        self.module = module
        self.package = package_of(module, is_init)
        self.aliases: dict[str, str] = {}
        self.defs: dict[str, str] = {}
        self.class_attrs: dict[str, dict[str, str]] = {}
        self.data_attrs: dict[str, frozenset[str]] = {}   # class -> attributes holding an input's data
        self.mutable_globals: dict[str, int] = {}
        self.tables: set[str] = set()     # dicts of functions, by qualified name + "[]": `decoders[k](...)`
        self.defs_also_imported: frozenset[str] = frozenset()   # a def's name also imported in a block (prescan)

    def qualify(self, name: str) -> str:
        return f"{self.module}.{name}" if self.module else name

    def bind_import(self, node: ast.Import | ast.ImportFrom) -> list[tuple[str, str | None, str]]:
        """Record the aliases an import binds; returns (module, member, alias) triples."""
        bound = []
        if isinstance(node, ast.Import):
            for a in node.names:
                alias = a.asname or a.name.partition(".")[0]
                self.aliases[alias] = a.name if a.asname else alias
                bound.append((a.name, None, alias))
            return bound
        source = absolute_module(self.package, node.level, node.module)
        for a in node.names:
            alias = a.asname or a.name
            if a.name != "*":
                self.aliases[alias] = f"{source}.{a.name}" if source else a.name
            bound.append((source, a.name, alias))
        return bound

    def resolve_name(self, name: str, local: dict[str, str], params: frozenset[str]) -> str | None:
        if name in local:
            return local[name]
        if name in params:
            return f"param:{name}"
        if name in self.aliases and name not in self.defs_also_imported:
            return self.aliases[name]
        if name in self.defs:
            return self.defs[name]
        if name in BUILTINS:
            return name
        return None

    def resolve(self, node: ast.AST, local: dict[str, str], params: frozenset[str],
                self_name: str | None, cls: str | None) -> str | None:
        """Dotted absolute name of an expression, or None when one file cannot tell."""
        kind = type(node)
        if kind is ast.Name:
            if node.id == self_name and cls:
                return cls
            return self.resolve_name(node.id, local, params)
        if kind is ast.Attribute:
            if type(node.value) is ast.Name and node.value.id == self_name and cls:
                attr = self.class_attrs.get(cls, {}).get(node.attr)
                return attr or f"{cls}.{node.attr}"
            base = self.resolve(node.value, local, params, self_name, cls)
            return f"{base}.{node.attr}" if base and not is_looked_up(base) else None
        if kind is ast.Call:
            base = self.resolve(node.func, local, params, self_name, cls)
            return f"{base}()" if base and not base.startswith("param:") else None
        return None

    def table_of(self, node: ast.AST, local: dict[str, str], params: frozenset[str],
                 self_name: str | None, cls: str | None) -> str | None:
        """The dispatch table an expression looks a function up in (`TABLE[k]`, `TABLE.get(k)`,
        `self.TABLE[k]`): its name + "[]", which the table's bindings link to each function."""
        if not self.tables:   # most files have none: nothing to look up
            return None
        if type(node) is ast.Subscript:
            table = node.value
        elif type(node) is ast.Call and type(node.func) is ast.Attribute and node.func.attr == "get":
            table = node.func.value
        else:
            return None
        if type(table) is ast.Name:
            name = None if table.id in local or table.id in params else self.qualify(table.id)
        else:
            name = self.resolve(table, local, params, self_name, cls) if type(table) is ast.Attribute else None
        return f"{name}[]" if name and f"{name}[]" in self.tables else None

    def returned_class(self, annotation: ast.expr | None, cls: str | None) -> str | None:
        """The class a function's return annotation names (`-> Parser`, `-> "Parser"`,
        `-> Parser | None`, `-> Optional[Parser]`, `-> Self` in a class), as one file resolves
        it; None for containers, built-ins and anything else."""
        node = _optional_of(_unquoted(annotation))
        if type(node) not in (ast.Name, ast.Attribute):
            return None
        named = self.resolve(node, {}, frozenset(), None, None)
        if named in SELF_TYPES:
            return cls
        return named if named and "." in named and not named.startswith(("typing.", "builtins.")) else None

    def scan_class(self, node: ast.ClassDef, cls_name: str) -> None:
        """Origins of `self.x = Something()` and `self.x: Type = ...` anywhere in a method (in
        its branches too), so `self.x.get()` resolves; the first assignment seen wins. And the
        attributes that hold an input's data (`self.buf = data`, `self.size = len(text)` for a
        parameter declared as data): a loop bounded by one runs per element of that input."""
        attrs = self.class_attrs.setdefault(cls_name, {})
        data: set[str] = set()
        for method in node.body:
            if type(method) in (ast.FunctionDef, ast.AsyncFunctionDef) and method.args.args:
                me = method.args.args[0].arg
                inputs = data_params(params_of(method.args), me)
                for attr, value, annotation in _self_assignments(method, me):
                    self._bind_attr(attrs, attr, value, annotation)
                    if value is not None and loop_levels(value, inputs) > 1:
                        data.add(attr)
        self.data_attrs[cls_name] = frozenset(data)

    def _bind_attr(self, attrs: dict[str, str], attr: str, value: ast.expr | None, annotation: ast.expr | None) -> None:
        origin = self.origin_of(value, {}, frozenset(), None, None) if value is not None else None
        if origin is None and annotation is not None:
            typed = self.resolve(annotation, {}, frozenset(), None, None)
            origin = _builtin_instance(f"{typed}()") if typed and "[" not in typed else None
        if origin:
            attrs.setdefault(attr, origin)

    def origin_of(self, value: ast.AST, local: dict[str, str], params: frozenset[str],
                  self_name: str | None, cls: str | None) -> str | None:
        """What a variable holds after `name = value`, when one line makes it certain."""
        literal = LITERAL_ORIGINS.get(type(value))
        if literal:
            return literal
        if type(value) is ast.Constant:
            return STR_ORIGIN if isinstance(value.value, str) else None
        if type(value) is ast.BinOp and type(value.op) is ast.Mod and _is_str(value.left):
            return STR_ORIGIN
        table = self.table_of(value, local, params, self_name, cls)
        if table:
            return table
        if type(value) in (ast.Call, ast.Name, ast.Attribute):
            resolved = self.resolve(value, local, params, self_name, cls)
            if resolved and not resolved.startswith("param:"):
                return _builtin_instance(resolved)
        return None


def _unquoted(annotation: ast.expr | None) -> ast.expr | None:
    """A forward reference written as a string, read as the expression it holds."""
    if type(annotation) is not ast.Constant or not isinstance(annotation.value, str):
        return annotation
    try:
        return ast.parse(annotation.value.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None


def _optional_of(node: ast.expr | None) -> ast.expr | None:
    """`X | None` and `Optional[X]` name X."""
    if type(node) is ast.BinOp and type(node.op) is ast.BitOr:
        sides = [s for s in (node.left, node.right) if not (type(s) is ast.Constant and s.value is None)]
        return sides[0] if len(sides) == 1 else None
    if type(node) is ast.Subscript and dotted(node.value) in ("Optional", "typing.Optional"):
        return node.slice
    return node


def is_looked_up(resolved: str) -> bool:
    """A value taken from a table (`TABLE[k]`), or what calling it returned: calls through it
    link to the table's functions, but its attributes are those of a value of unknown type."""
    return "[]" in resolved


def _builtin_instance(resolved: str) -> str:
    """`list()` and `str(x)` give the same origins as their literals."""
    if resolved.endswith("()") and resolved[:-2] in ("list", "dict", "set", "str"):
        return f"builtins.{resolved}"
    return resolved


def _is_str(node: ast.AST) -> bool:
    return type(node) is ast.JoinedStr or (type(node) is ast.Constant and isinstance(node.value, str))


def is_str_expr(node: ast.AST, local: dict[str, str]) -> bool:
    """True when the value is certainly a str. Looks a few steps down the left spine only:
    every `+` of a long chain asks this, and a full descent would make the walk quadratic."""
    for _ in range(4):
        if _is_str(node):
            return True
        if type(node) is ast.Name:
            return local.get(node.id) == STR_ORIGIN
        if type(node) is not ast.BinOp or type(node.op) is not ast.Add:
            return False
        if _is_str(node.right):
            return True
        node = node.left
    return False


def dotted(node: ast.AST) -> str | None:
    """a.b.c for Name/Attribute chains, used where no resolution is wanted."""
    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _self_assignments(method: ast.FunctionDef, me: str) -> list[tuple[str, ast.expr | None, ast.expr | None]]:
    """(attribute, value, annotation) of every `me.attr = ...` and `me.attr: T = ...` in the
    method's own statements, branches included, nested definitions left out."""
    found, pending = [], list(method.body)
    while pending:
        stmt = pending.pop(0)
        kind = type(stmt)
        if kind is ast.Assign and len(stmt.targets) == 1 and _is_self_attr(stmt.targets[0], me):
            found.append((stmt.targets[0].attr, stmt.value, None))
        elif kind is ast.AnnAssign and _is_self_attr(stmt.target, me):
            found.append((stmt.target.attr, stmt.value, stmt.annotation))
        elif kind not in (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef):
            pending.extend(c for f in ("body", "orelse", "finalbody") for c in getattr(stmt, f, ()) or ())
            pending.extend(c for h in getattr(stmt, "handlers", ()) for c in h.body)
    return found


def _is_self_attr(target: ast.AST, me: str) -> bool:
    return type(target) is ast.Attribute and type(target.value) is ast.Name and target.value.id == me
