"""What the Java walker and its call handlers share: the unit under construction and small
readers of tree-sitter nodes."""

from __future__ import annotations

from analyzer.parse.builder import UnitBuilder
from analyzer.parse.java.scope import PRIMITIVES, JType

METHODS = frozenset({"method_declaration", "constructor_declaration", "compact_constructor_declaration"})


class Field:
    """The grammar's ids of the fields the walker reads, for node.child_by_field_id: by name,
    tree-sitter compares the name with each of the grammar's field names on every call (3%
    of the walk). Read from the language when the parser is made (`load`)."""

    alternative: int
    arguments: int
    array: int
    body: int
    condition: int
    consequence: int
    element: int
    field: int
    init: int
    interfaces: int
    left: int
    name: int
    object: int
    operator: int
    parameters: int
    right: int
    superclass: int
    type: int
    value: int

    @classmethod
    def load(cls, language) -> None:
        for name in cls.__annotations__:
            setattr(cls, name, language.field_id_for_name(name))


class JavaUnit(UnitBuilder):
    """A unit plus what Java declares: the types of its variables, and its class's fields."""

    __slots__ = ("types", "fields", "methods", "superclass", "statics", "boxes_out")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.types: dict[str, JType] = {}
        self.fields: dict[str, JType] = {}      # shared with the class's methods
        self.methods: set[str] = set()
        self.superclass: str | None = None
        self.statics: dict[str, str] = {}       # static mutable field -> qualified name
        self.boxes_out = False                  # returns boxed values in a collection (`List<Integer>`)


def boxes_stay(collection, unit: JavaUnit) -> bool:
    """Whether boxing for a collection could be left out by a port: not when the boxes cross
    its boundary, into a collection its caller passed in or out of one it returns (a port
    must make each Integer as Java does, through JNI)."""
    named = collection is not None and collection.type == "identifier"
    return not (named and any(p.name == text(collection) for p in unit.params)) and not unit.boxes_out


def text(node) -> str:
    return node.text.decode("utf-8", "replace")


def loop_levels(bound, unit: UnitBuilder) -> int:
    """Loop levels a loop adds: two (trip ** 2 iterations) when its condition or iterable
    reads a parameter (Java parameters are typed arrays, buffers, lengths and offsets: a loop
    bounded by one runs per element of an input); one for any other loop."""
    if bound is None or not unit.params:
        return 1
    names, pending = {p.name for p in unit.params}, [bound]
    while pending:
        node = pending.pop()
        if node.type == "identifier" and text(node) in names:
            return 2
        pending.extend(node.named_children)
    return 1


def line(node) -> int:
    return node.start_point[0] + 1


LITERALS = frozenset({"string_literal", "character_literal", "decimal_integer_literal", "hex_integer_literal",
                      "decimal_floating_point_literal", "true", "false", "null_literal"})


def field_name(node) -> str | None:
    if node is None:
        return None
    if node.type == "identifier":
        return text(node)
    if node.type == "field_access" and node.child_by_field_id(Field.object).type == "this":
        return text(node.child_by_field_id(Field.field))
    if node.type == "array_access":
        return field_name(node.child_by_field_id(Field.array))
    return None


def is_dotted(node) -> bool:
    """a.b.C written out: a field access made only of identifiers (a qualified type name)."""
    while node.type == "field_access":
        node = node.child_by_field_id(Field.object)
    return node.type == "identifier"


def type_nodes(node):
    for child in node.named_children:
        if child.type == "type_list":
            yield from child.named_children
        elif child.type not in ("type_arguments",):
            yield child


def id_type(annotation: str | None) -> str:
    """Parameter types in unit ids: generic arguments dropped, arrays and varargs kept."""
    if not annotation:
        return "?"
    erased = _without_type_arguments(annotation)   # List<byte[]>[] -> List[]: its own dimensions only
    base = erased.replace("[]", "").strip()
    suffix = "[]" * erased.count("[]")
    return base.rpartition(".")[2] + suffix if base not in PRIMITIVES else base + suffix


def _without_type_arguments(annotation: str) -> str:
    if "<" not in annotation and ">" not in annotation:   # most types: nothing to drop, no loop per character
        return annotation.strip()
    kept, depth = [], 0
    for ch in annotation:
        depth += (ch == "<") - (ch == ">")
        if depth == 0 and ch != ">":
            kept.append(ch)
    return "".join(kept).strip()


# --- branches that run rarely or never (the walker's `if`) ------------------------------

_DEBUG_GUARDS = frozenset({"isDebugEnabled", "isTraceEnabled"})


def never_runs(condition) -> bool:
    """`if (false)`: a block kept for debugging, which never runs (nothing in it counts)."""
    inner = condition.named_children if condition is not None else []
    return len(inner) == 1 and inner[0].type == "false"


def logs_below_info(condition) -> bool:
    """`(log.isDebugEnabled())`, `(log.isTraceEnabled())`, `(logger.isLoggable(Level.FINE))`: the
    guards of SLF4J, Log4j, commons-logging and java.util.logging for levels a production
    process does not log."""
    inner = condition.named_children if condition is not None else []
    if len(inner) != 1 or inner[0].type != "method_invocation":
        return False
    name = inner[0].child_by_field_id(Field.name)
    called = text(name) if name is not None else ""
    return called in _DEBUG_GUARDS or (called == "isLoggable" and "FINE" in text(inner[0]))


def throws(branch) -> bool:
    """A statement that always ends by throwing: a throw, or a block whose last statement is one."""
    kind = branch.type
    if kind == "block":   # its last statement, read from the end: past comments only
        kinds = (c.type for c in reversed(branch.named_children))
        return next((k for k in kinds if k not in ("line_comment", "block_comment")), None) == "throw_statement"
    return kind == "throw_statement"
