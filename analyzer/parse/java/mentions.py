"""What a Java test file calls, read without the full walk.

Tests are never ranked, so the walker (a Python visit of every node, about seven times the
cost) is not spent on them. But a Java test in the package of the code it tests imports
nothing of it, so its imports alone do not say what it exercises: `StringUtilsTest` calls
`StringUtils.repeat` twenty times without an import. One tree-sitter query, run in C, lists
the calls and constructions; their targets are qualified as the walker qualifies them
(declared types of variables, explicit and static imports, java.lang, the same package),
and the graph resolves them like any other call, overloads by their number of arguments.
"""

from __future__ import annotations

from sys import intern

from analyzer.model import CallSite
from analyzer.parse.java.nodes import is_dotted, text
from analyzer.parse.java.scope import PRIMITIVES, JavaScope

_PATTERNS = """
(method_invocation object: (_)? @recv name: (identifier) @name arguments: (argument_list) @args)
(object_creation_expression type: (_) @type arguments: (argument_list) @args)
(local_variable_declaration type: (_) @vtype declarator: (variable_declarator name: (identifier) @var))
(field_declaration type: (_) @vtype declarator: (variable_declarator name: (identifier) @var))
(formal_parameter type: (_) @vtype name: (identifier) @var)
"""
_CALL, _NEW = 0, 1
_QUERY = None


def calls(root, scope: JavaScope) -> tuple[CallSite, ...]:
    """Each distinct (target, number of arguments) the file calls or constructs, at its first
    line. Loop depth is left at 0: test code is never timed, only its references count."""
    sites, declarations = [], []
    for pattern, caps in _matches(root):
        (sites if pattern in (_CALL, _NEW) else declarations).append((pattern, caps))
    types = _variable_types(declarations, scope)
    found: dict[tuple[str, int], int] = {}
    for pattern, caps in sites:
        args = _one(caps, "args")
        arity = args.named_child_count
        for target in _targets(pattern, caps, scope, types):
            found.setdefault((target, arity), args.start_point[0] + 1)
    return tuple(CallSite(intern(t), at, 0, arity=n) for (t, n), at in sorted(found.items(), key=lambda i: i[1]))


def _one(caps: dict, name: str):
    """A capture's node: tree-sitter 0.25 gives a list per name, older versions the node."""
    node = caps.get(name)
    return node[0] if type(node) is list else node


def _targets(pattern: int, caps: dict, scope: JavaScope, types: dict[str, str | None]) -> list[str]:
    if pattern == _NEW:
        named = _type_name(_one(caps, "type"), scope)
        return [f"new:{named}"] if named else []
    name, receiver = text(_one(caps, "name")), _one(caps, "recv")
    if receiver is None:
        return _unqualified(name, scope)
    owner = _receiver(receiver, scope, types)
    return [f"{owner}.{name}"] if owner else []


def _unqualified(name: str, scope: JavaScope) -> list[str]:
    """A call without a receiver reaches code under test only through a static import; the
    test class's own helpers are not code under test. Each class imported with
    `import static C.*` may hold it: the graph links the one that does."""
    if name in scope.static_members:
        return [scope.static_members[name]]
    return [f"{owner}.{name}" for owner in scope.on_demand]


def _receiver(node, scope: JavaScope, types: dict[str, str | None]) -> str | None:
    """The qualified type a call's receiver has: a variable's declared type, else a type
    named directly (`StringUtils.repeat`, `java.util.Arrays.fill`); None when unknown."""
    kind = node.type
    if kind == "identifier":
        name = text(node)
        return types[name] if name in types else scope.qualify_type(name)
    if kind == "field_access" and node.child_by_field_name("object").type == "this":
        return types.get(text(node.child_by_field_name("field")))
    if kind in ("scoped_identifier", "field_access") and is_dotted(node):
        return scope.qualify_type(text(node))
    if kind == "object_creation_expression":
        return _type_name(node.child_by_field_name("type"), scope)
    if kind == "parenthesized_expression" and node.named_children:
        return _receiver(node.named_children[0], scope, types)
    return None


def _variable_types(matches: list, scope: JavaScope) -> dict[str, str | None]:
    """Variable name -> declared type, over the whole file (fields, locals, parameters). A
    name declared with two different types is ambiguous here: None, so no call is linked."""
    types: dict[str, str | None] = {}
    for _, caps in matches:
        name, declared = text(_one(caps, "var")), _type_name(_one(caps, "vtype"), scope)
        types[name] = declared if types.get(name, declared) == declared else None
    return types


def _type_name(node, scope: JavaScope) -> str | None:
    kind = node.type
    if kind == "generic_type":
        node, kind = node.named_children[0], node.named_children[0].type
    if kind not in ("type_identifier", "scoped_type_identifier"):
        return None   # primitives and arrays hold no methods of the repository
    written = text(node)
    return None if written == "var" or written in PRIMITIVES else scope.qualify_type(written)


def _matches(root) -> list:
    """The query's matches, across tree-sitter versions: 0.25 moved `matches` to QueryCursor."""
    global _QUERY
    import tree_sitter
    import tree_sitter_java
    if _QUERY is None:
        _QUERY = tree_sitter.Query(tree_sitter.Language(tree_sitter_java.language()), _PATTERNS)
    cursor = getattr(tree_sitter, "QueryCursor", None)
    return cursor(_QUERY).matches(root) if cursor else _QUERY.matches(root)
