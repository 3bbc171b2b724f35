"""The Java walker's handlers for calls, object creation and state.

Mixed into JavaWalker, whose scope, declared types and work stack they use: a call's target
is resolved through the receiver's declared type where the file says it, a mutation of a
collection field is heap residency, and a static mutable field read or written is shared
state.
"""

from __future__ import annotations

from sys import intern

from analyzer.model import MAX_DEPTH, CallSite, StateAccess, UnitKind
from analyzer.parse.java.nodes import LITERALS, METHODS, Field, JavaUnit, boxes_stay, field_name, is_dotted, line
from analyzer.parse.java.scope import MUTATORS, JType


class CallHandlers:
    def _invocation(self, node, unit: JavaUnit, depth: int) -> None:
        receiver = node.child_by_field_id(Field.object)
        name = self.text(node.child_by_field_id(Field.name))
        values = _arguments(node)
        target, via_self, jt = self._call_target(receiver, name, unit)
        self._record_call(unit, target, node, values, depth, via_self)
        if jt is not None and name in MUTATORS:
            self._mutation(receiver, jt, unit, depth, line(node))
        else:
            self._touch_static(receiver, unit, write=False)
        self._push([receiver, *values], unit, depth)

    def _call_target(self, receiver, name: str, unit: JavaUnit) -> tuple[str, bool, JType | None]:
        if receiver is None:
            if name not in unit.methods and name in self.scope.static_members:
                return self.scope.static_members[name], False, None
            return f"{unit.cls}.{name}", True, None
        kind = receiver.type
        if kind == "identifier":   # read once: most receivers are one
            written = self.text(receiver)
            jt = _declared(written, unit)
            if jt is not None:
                return f"{jt.name}.{name}", False, jt
            return f"{self.scope.qualify_type(written)}.{name}", False, None   # no variable of that name: a type
        if kind == "this":
            return f"{unit.cls}.{name}", True, None
        if kind == "super":
            return f"{unit.superclass or unit.cls}.{name}", True, None
        jt = self._receiver_type(receiver, unit)
        if jt is not None:
            return f"{jt.name}.{name}", False, jt
        if kind == "scoped_identifier" or kind == "field_access" and is_dotted(receiver):
            return f"{self.scope.qualify_type(self.text(receiver))}.{name}", False, None
        return f".{name}", False, None

    def _receiver_type(self, node, unit: JavaUnit) -> JType | None:
        if node is None:
            return None
        kind = node.type
        if kind == "identifier":
            return _declared(self.text(node), unit)
        if kind == "field_access" and node.child_by_field_id(Field.object).type == "this":
            return unit.fields.get(self.text(node.child_by_field_id(Field.field)))
        if kind == "object_creation_expression":
            return self.jtype(node.child_by_field_id(Field.type))
        if kind == "string_literal":
            return JType("java.lang.String")
        if kind == "parenthesized_expression" and node.named_children:
            return self._receiver_type(node.named_children[0], unit)
        return None

    def _record_call(self, unit: JavaUnit, target: str, node, values: list, depth: int, via_self: bool) -> None:
        literal, bits = None, 0
        kinds = [arg.type for arg in values[:3]]
        for i, kind in enumerate(kinds):
            if kind in LITERALS:
                bits |= 1 << i
        if kinds and kinds[0] == "string_literal":
            literal = self.text(values[0])[1:-1]
        elif kinds and kinds[0] == "decimal_integer_literal":
            literal = int(self.text(values[0]).rstrip("lL").replace("_", "") or 0)
        at = node.start_point[0] + 1
        unit.calls.append(CallSite(intern(target), at, min(max(depth, 0), MAX_DEPTH), literal, bits,
                                   via_self, len(values), depth < 0))
        unit.see("call", depth, at)

    def _mutation(self, receiver, jt: JType, unit: JavaUnit, depth: int, at: int) -> None:
        if jt.boxed_elements and depth:
            unit.see("boxing" if boxes_stay(receiver, unit) else "boundary_boxing", depth, at)
        field = field_name(receiver)
        if field is not None and field in unit.fields and field not in unit.types and jt.is_collection:
            unit.see("heap_field", depth, at)
        self._touch_static(receiver, unit, write=True)

    def _creation(self, node, unit: JavaUnit, depth: int) -> None:
        jt = self.jtype(node.child_by_field_id(Field.type))
        values = _arguments(node)
        self._record_call(unit, f"new:{jt.name}", node, values, depth, False)
        body = next((c for c in node.named_children if c.type == "class_body"), None)
        if body is not None:   # an anonymous class: behaviour allocated here; its code counts here
            unit.see("nested_def", depth, line(node))
            for member in body.named_children:
                inner = member.child_by_field_id(Field.body) if member.type in METHODS else member
                self._push(inner.named_children if member.type in METHODS and inner else [inner], unit, depth)
        self._push(values, unit, depth)

    def _explicit_constructor(self, node, unit: JavaUnit, depth: int) -> None:
        first = node.named_children[0] if node.named_children else None
        owner = unit.superclass if first is not None and first.type == "super" else unit.cls
        values = _arguments(node)
        self._record_call(unit, f"new:{owner}", node, values, depth, True)
        self._push(values, unit, depth)

    def _touch_static(self, node, unit: JavaUnit, write: bool) -> None:
        if not unit.statics:   # most classes hold no static mutable state
            return
        name = field_name(node)
        if name is not None and name in unit.statics and name not in unit.types and unit.kind == UnitKind.FUNCTION:
            key = (unit.statics[name], write)
            unit.state.setdefault(key, StateAccess(unit.statics[name], line(node), write))


def _arguments(node) -> list:
    """A call's arguments (comments among them, as tree-sitter lists them). The walk pushes
    them itself: the argument list holds nothing else the walk looks at."""
    args = node.child_by_field_id(Field.arguments)
    return args.named_children if args is not None else []


def _declared(name: str, unit: JavaUnit) -> JType | None:
    """The declared type of a variable the unit can see: a local or parameter, else a field."""
    return unit.types.get(name) or unit.fields.get(name)
