"""list-to-deque: a list used as a queue (`q.pop(0)`, `q.insert(0, x)`) becomes a
`collections.deque` (`q.popleft()`, `q.appendleft(x)`), whose ends cost O(1), not O(n).

Only where the change is provably invisible outside the function: the list is a local,
bound once, to a list display (`q = []`, `q = [start]`), and every other use of it is one a
deque answers the same way: append, appendleft, extend, clear, count, remove, pop() without
an index, len(q), a truth test (`while q:`, `if not q`), `x in q`, and q[i] for a constant i.
A list that is returned, passed, iterated (a deque refuses to change while iterated),
compared, sliced, stored, used in a nested function or declared global keeps its type: no
patch. Nothing is run; ast reads the function alone.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from analyzer.model import CodeUnit, ParsedFile, UnitKind
from analyzer.parse.edits import Edit, Text
from analyzer.parse.python import placement
from analyzer.parse.python.rewrite import Span, function_tree, source_of, span, splice

KEPT = frozenset({"append", "appendleft", "extend", "clear", "count", "remove"})
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp,
           ast.DictComp, ast.GeneratorExp)
_TESTS = (ast.If, ast.While, ast.IfExp, ast.Assert)
Replacement = tuple[Span, str]


@dataclass
class _Function:
    """One function's own scope: its nodes (not those of nested functions, classes,
    lambdas and comprehensions), the names those nested scopes use, and each node's parent."""
    tree: ast.FunctionDef
    lines: tuple[str, ...]
    own: list[ast.AST] = field(default_factory=list)
    nested: set[str] = field(default_factory=set)
    parents: dict = field(default_factory=dict)

    def __post_init__(self):
        todo = list(ast.iter_child_nodes(self.tree))
        while todo:
            node = todo.pop()
            if isinstance(node, _SCOPES):
                self.nested |= {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
                self.nested |= {a.arg for n in ast.walk(node) if isinstance(n, ast.arguments) for a in _args(n)}
                continue
            self.own.append(node)
            todo.extend(ast.iter_child_nodes(node))
        self.parents = {child: node for node in self.own for child in ast.iter_child_nodes(node)}

    def names(self) -> set[str]:
        return {n.id for n in self.own if isinstance(n, ast.Name)} | self.nested | {a.arg for a in _args(self.tree.args)}

    def text(self, node: ast.AST) -> str:
        return source_of(self.lines, span(node))


def list_to_deque(text: Text, unit: CodeUnit, parsed: ParsedFile, taken: set[str] | None = None) -> list[Edit] | None:
    """The edits that turn the function's queue-like local lists into deques, with the import."""
    if unit.kind != UnitKind.FUNCTION or unit.language != "python":
        return None
    function = _Function(function_tree(text.lines, unit), text.lines)
    queues = {n.func.value.id for n in function.own if _front_call(n) is not None}
    found = [r for name in sorted(queues) for r in [_rewrites(name, function)] if r]
    replacements = [item for group in found for item in group]
    spelling, imported = _deque_name(text, parsed, unit, function.names())
    if not replacements or _overlapping(replacements) or spelling is None:
        return None
    if taken is not None:
        taken.add("deque")
    named = [(where, new.replace("deque(", f"{spelling}(", 1) if new.startswith("deque(") else new)
             for where, new in replacements]
    return [*imported, *splice(text.lines, named)]


def _args(arguments: ast.arguments) -> list[ast.arg]:
    return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs,
            *(a for a in (arguments.vararg, arguments.kwarg) if a is not None)]


def _front_call(node: ast.AST) -> str | None:
    """`q.pop(0)` -> "pop", `q.insert(0, x)` -> "insert", else None."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name) and not node.keywords):
        return None
    zero = bool(node.args) and isinstance(node.args[0], ast.Constant) and type(node.args[0].value) is int \
        and node.args[0].value == 0
    if node.func.attr == "pop" and len(node.args) == 1 and zero:
        return "pop"
    if node.func.attr == "insert" and len(node.args) == 2 and zero and not isinstance(node.args[1], ast.Starred):
        return "insert"
    return None


def _rewrites(name: str, function: _Function) -> list[Replacement] | None:
    """The replacements for one list, or None when any use of it could tell a deque apart."""
    if name in function.nested or name in {a.arg for a in _args(function.tree.args)} or _declared(name, function):
        return None
    uses = [n for n in function.own if isinstance(n, ast.Name) and n.id == name]
    stores = [n for n in uses if not isinstance(n.ctx, ast.Load)]
    if len(stores) != 1 or not _bound_to_list(stores[0], function.parents):
        return None
    value = function.parents[stores[0]].value
    out = [(span(value), f"deque({function.text(value)})" if value.elts else "deque()")]
    for use in (n for n in uses if isinstance(n.ctx, ast.Load)):
        rewrite = _use(use, function)
        if rewrite is False:
            return None
        if rewrite is not True:
            out.append(rewrite)
    return out


def _declared(name: str, function: _Function) -> bool:
    return any(isinstance(n, (ast.Global, ast.Nonlocal)) and name in n.names for n in function.own)


def _bound_to_list(store: ast.Name, parents) -> bool:
    assign = parents.get(store)
    return isinstance(assign, ast.Assign) and assign.targets == [store] and isinstance(assign.value, ast.List) \
        and not any(isinstance(e, ast.Starred) for e in assign.value.elts)


def _use(node: ast.Name, function: _Function) -> Replacement | bool:
    """A replacement for this use, True when it stays as it is, False when it is not safe."""
    parents = function.parents
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute) and isinstance(parents.get(parent), ast.Call) \
            and parents[parent].func is parent:
        return _method(parents[parent], function)
    if isinstance(parent, ast.Call) and isinstance(parent.func, ast.Name) and parent.func.id == "len" \
            and parent.args == [node] and not parent.keywords:
        return True
    if isinstance(parent, ast.Compare) and parent.comparators == [node] \
            and isinstance(parent.ops[0], (ast.In, ast.NotIn)):
        return True
    if isinstance(parent, ast.Subscript) and isinstance(parent.ctx, ast.Load) and _constant_index(parent.slice):
        return True
    return _truth_tested(node, parents)


def _method(call: ast.Call, function: _Function) -> Replacement | bool:
    kind, name = _front_call(call), call.func.value.id
    if kind == "pop":
        return span(call), f"{name}.popleft()"
    if kind == "insert":
        return span(call), f"{name}.appendleft({function.text(call.args[1])})"
    return call.func.attr in KEPT or (call.func.attr == "pop" and not call.args and not call.keywords)


def _constant_index(index: ast.AST) -> bool:
    if isinstance(index, ast.UnaryOp) and isinstance(index.op, ast.USub):
        index = index.operand
    return isinstance(index, ast.Constant) and type(index.value) is int


def _truth_tested(node: ast.AST, parents) -> bool:
    """`if q`, `while q and x`, `not q`: only its truth is read, which a deque gives alike."""
    parent = parents.get(node)
    if isinstance(parent, _TESTS):
        return parent.test is node
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    return isinstance(parent, ast.BoolOp) and _truth_tested(parent, parents)


def _overlapping(replacements: list[Replacement]) -> bool:
    """One rewrite inside another (`q.insert(0, q.pop(0))`): left to a person."""
    spans = sorted(where for where, _ in replacements)
    return any((b[0], b[1]) < (a[2], a[3]) for a, b in zip(spans, spans[1:]))


def _deque_name(text: Text, parsed: ParsedFile, unit: CodeUnit, local: set[str]) -> tuple[str | None, list[Edit]]:
    """How the function names deque: through an import the module has above it, or a new
    one; None when a name it would use is taken."""
    module_id = parsed.units[0].id if parsed.units else None
    for imp in parsed.imports:
        if imp.unit == module_id and imp.module == "collections" and imp.name in ("deque", None) \
                and imp.alias not in local and placement.bound_above(parsed, text, [imp.line], unit):
            return (imp.alias if imp.name else f"{imp.alias}.deque"), []
    if "deque" in placement.module_names(text) or "deque" in local:
        return None, []
    return "deque", [placement.add_import(text, placement.after_imports(parsed, unit), "from collections import deque")]
