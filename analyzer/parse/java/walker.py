"""One iterative pass over a tree-sitter Java tree that yields units and their raw facts.

Input: the tree's root node, a JavaScope (package and imports), the file's repo path and its
bytes (the tree's source).
Output: CodeUnit records (the file, classes at any nesting, methods and constructors) with
observations by loop depth, call sites whose receivers are resolved through declared types,
state accesses to static fields, and cyclomatic complexity.

Mapping to the Python definitions: a method's complexity is 1 + if + ?: + each loop + each
catch + each non-default case label + each && and || + assert (radon's rules, in Java
terms). Lambdas and anonymous classes count toward the method that creates them; lambda
bodies sit one loop level deeper, because streams and callbacks run them per element.
"""

from __future__ import annotations

from analyzer.model import CodeUnit, Param, UnitKind, unit_id
from analyzer.parse.builder import COLD, fresh_id
from analyzer.parse.java.calls import CallHandlers
from analyzer.parse.java.nodes import (METHODS, Field, JavaUnit, boxes_stay, id_type, line, logs_below_info,
                                       loop_levels, never_runs, throws, type_nodes)
from analyzer.parse.java.scope import JavaScope, JType

TYPE_DECLS = frozenset({"class_declaration", "interface_declaration", "enum_declaration",
                        "record_declaration", "annotation_type_declaration"})
LOOPS = frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"})
BRANCHES = frozenset({"ternary_expression"})
ARITH = frozenset({"+", "-", "*", "/", "%", "+=", "-=", "*=", "/=", "%="})
BITWISE = frozenset({"&", "|", "^", "<<", ">>", ">>>", "&=", "|=", "^=", "<<=", ">>=", ">>>=", "~"})
STATEMENTS = frozenset({"local_variable_declaration", "expression_statement", "return_statement",
                        "if_statement", "for_statement", "enhanced_for_statement", "while_statement",
                        "do_statement", "throw_statement", "try_statement", "try_with_resources_statement",
                        "switch_expression", "synchronized_statement", "break_statement", "continue_statement",
                        "yield_statement", "assert_statement", "explicit_constructor_invocation"})
LEAVES = frozenset({"string_literal", "character_literal", "decimal_integer_literal", "hex_integer_literal",
                    "octal_integer_literal", "binary_integer_literal", "decimal_floating_point_literal",
                    "true", "false", "null_literal", "line_comment", "block_comment", "modifiers",
                    "type_identifier", "integral_type", "floating_point_type", "boolean_type", "void_type",
                    "generic_type", "array_type", "scoped_type_identifier", "type_arguments", "dimensions",
                    "marker_annotation", "annotation", "type_parameters", "this", "super",
                    "identifier", "import_declaration", "package_declaration"})   # imports: read by the scope
PROCESSORS = ("lombok", "org.immutables", "com.google.auto.value", "org.mapstruct", "io.soabase.recordbuilder")


class JavaWalker(CallHandlers):
    def __init__(self, scope: JavaScope, path: str, source: bytes):
        self.scope, self.path, self.source = scope, path, source
        self.units: list[JavaUnit] = []
        self.ids: set[str] = set()
        self.stack: list = []
        self.mutable_globals: list[tuple[str, int]] = []
        self.markers: set[str] = set()
        self.handlers = {
            "method_invocation": self._invocation, "object_creation_expression": self._creation,
            "array_creation_expression": self._array_creation, "binary_expression": self._binary,
            "unary_expression": self._unary, "update_expression": self._update,
            "assignment_expression": self._assignment, "array_access": self._array_access,
            "local_variable_declaration": self._local, "lambda_expression": self._lambda,
            "method_reference": self._method_reference, "synchronized_statement": self._synchronized,
            "switch_label": self._switch_label, "explicit_constructor_invocation": self._explicit_constructor,
            "field_declaration": self._field, "enhanced_for_statement": self._enhanced_for,
            "throw_statement": self._throw, "if_statement": self._if, "catch_clause": self._catch,
            "assert_statement": self._assert,
        }
        self.handlers.update({t: self._type_decl for t in TYPE_DECLS})
        self.handlers.update({t: self._method for t in METHODS})
        self.handlers.update({t: self._loop for t in LOOPS if t != "enhanced_for_statement"})
        self.handlers.update({t: self._branch for t in BRANCHES})

    # --- driver -----------------------------------------------------------------------

    def run(self, root, module_name: str) -> list[CodeUnit]:
        module = self._new_unit(unit_id("java", self.path), UnitKind.MODULE, module_name, "", root, None)
        self._push(root.named_children, module, 0)
        stack, handlers = self.stack, self.handlers
        while stack:
            node, kind, unit, depth = stack.pop()
            if kind in STATEMENTS:
                unit.stmt_lines.add(node.start_point[0] + 1)
            handler = handlers.get(kind)
            if handler is not None:
                handler(node, unit, depth)
            else:
                self._push(node.named_children, unit, depth)
        return [u.freeze() for u in self.units]

    def _push(self, nodes, unit: JavaUnit, depth: int) -> None:
        """Every node the walk visits comes through here, with its type read once."""
        push = self.stack.append
        for node in reversed(nodes):
            if node is not None:
                kind = node.type
                if kind not in LEAVES:
                    push((node, kind, unit, depth))

    def _new_unit(self, uid, kind, name, qualname, node, parent) -> JavaUnit:
        uid = fresh_id(uid, self.ids)
        named = node.child_by_field_id(Field.name)   # the declaration's line, not its annotations'
        start = line(named) if named is not None and node.type != "program" else line(node)
        unit = JavaUnit(uid, kind, name, qualname, (start, node.end_point[0] + 1), parent, "java", self.path)
        self.units.append(unit)
        return unit

    def text(self, node) -> str:
        """A node's text, sliced from the source: node.text makes a memoryview and a slice per call
        (twice the cost)."""
        return self.source[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def type_text(self, node) -> str:
        return self.text(node) if node is not None else "?"

    # --- declarations -----------------------------------------------------------------

    def _type_decl(self, node, owner: JavaUnit, depth: int) -> None:
        name = self.text(node.child_by_field_id(Field.name))
        qualname = f"{owner.qualname}.{name}" if owner.qualname else name
        cls = self._new_unit(unit_id("java", self.path, qualname), UnitKind.CLASS, name, qualname, node, owner.id)
        cls.cls = self.scope.declared.get(name) or self._qualified(qualname)
        mods = _modifiers(node)
        cls.decorators = self._annotations(mods)
        cls.bases = self._bases(node)
        cls.superclass = cls.bases[0] if node.child_by_field_id(Field.superclass) is not None else None
        cls.modifiers.update(_modifier_words(mods))
        body = node.child_by_field_id(Field.body)
        if body is None:
            return
        members = [c for c in body.named_children]
        if body.type == "enum_body":
            members = [m for c in members for m in (c.named_children if c.type == "enum_body_declarations" else [c])]
        cls.methods = {self.text(m.child_by_field_id(Field.name)) for m in members if m.type == "method_declaration"}
        self._push(members, cls, 0)

    def _qualified(self, qualname: str) -> str:
        return f"{self.scope.package}.{qualname}" if self.scope.package else qualname

    def _annotations(self, mods) -> tuple[str, ...]:
        found = []
        for child in mods.named_children if mods is not None else ():
            if child.type in ("marker_annotation", "annotation"):
                name = self.scope.qualify_type(self.text(child.child_by_field_id(Field.name)))
                found.append(name)
                if name.startswith(PROCESSORS):
                    self.markers.add(name.split(".")[0] if name.startswith("lombok") else name.rsplit(".", 1)[0])
        return tuple(found)

    def _bases(self, node) -> tuple[str, ...]:
        found = []
        for field in (Field.superclass, Field.interfaces):
            part = node.child_by_field_id(field)
            if part is not None:
                for t in type_nodes(part):
                    found.append(self.jtype(t).name)
        extends = next((c for c in node.named_children if c.type == "extends_interfaces"), None)
        if extends is not None:
            found += [self.jtype(t).name for t in type_nodes(extends)]
        return tuple(found)

    def _method(self, node, owner: JavaUnit, depth: int) -> None:
        ctor = node.type != "method_declaration"
        name = "<init>" if ctor else self.text(node.child_by_field_id(Field.name))
        params = self._params(node.child_by_field_id(Field.parameters))
        signature = ",".join(id_type(p.annotation) for p in params)
        qualname = f"{owner.qualname}.{name}({signature})"
        fn = self._new_unit(unit_id("java", self.path, qualname), UnitKind.FUNCTION, name, qualname, node, owner.id)
        mods = _modifiers(node)
        fn.params, fn.decorators = params, self._annotations(mods)
        fn.modifiers.update(_modifier_words(mods))
        result = node.child_by_field_id(Field.type)
        fn.returns = self.text(result) if result is not None else None
        fn.boxes_out = result is not None and self.jtype(result).boxed_elements
        fn.cls = owner.cls
        fn.fields, fn.methods, fn.superclass, fn.statics = owner.fields, owner.methods, owner.superclass, owner.statics
        fn.types = {p.name: self.jtype_text(p.annotation) for p in params}
        if "synchronized" in fn.modifiers:
            fn.see("synchronized", 0, fn.start)
        if "native" in fn.modifiers:
            fn.see("native_method", 0, fn.start)
        body = node.child_by_field_id(Field.body)
        if body is not None:
            self._push(body.named_children, fn, 0)

    def _params(self, node) -> tuple[Param, ...]:
        params = []
        for p in node.named_children if node is not None else ():
            if p.type == "formal_parameter":
                name, declared = p.child_by_field_id(Field.name), p.child_by_field_id(Field.type)
                params.append(Param(self.text(name), self.type_text(declared)))
            elif p.type == "spread_parameter":
                kind = next((c for c in p.named_children if c.type not in ("modifiers", "variable_declarator")), None)
                decl = next((c for c in p.named_children if c.type == "variable_declarator"), None)
                name = self.text(decl.child_by_field_id(Field.name)) if decl is not None else "args"
                params.append(Param(name, f"{self.type_text(kind)}[]", "var_positional"))
        return tuple(params)

    def _field(self, node, cls: JavaUnit, depth: int) -> None:
        jt = self.jtype(node.child_by_field_id(Field.type))
        words = _modifier_words(_modifiers(node))
        for decl in node.named_children:
            if decl.type != "variable_declarator":
                continue
            name = self.text(decl.child_by_field_id(Field.name))
            cls.fields[name] = jt
            if jt.boxed_elements:
                cls.see("boxing", 0, line(decl))
            if jt.is_collection:
                cls.see("collection_field", 0, line(decl))
            if "static" in words and (jt.is_collection or "final" not in words):
                qualified = f"{cls.cls}.{name}"
                cls.statics[name] = qualified
                self.mutable_globals.append((qualified, line(decl)))
            value = decl.child_by_field_id(Field.value)
            if value is not None:
                self._push([value], cls, depth)

    # --- types --------------------------------------------------------------------------

    def jtype(self, node) -> JType:
        if node is None:
            return JType("?")
        kind = node.type
        if kind == "generic_type":
            base = node.named_children[0]
            args = next((c for c in node.named_children if c.type == "type_arguments"), None)
            names = tuple(self.text(a).rpartition(".")[2].split("<")[0] for a in args.named_children) if args else ()
            return JType(self.scope.qualify_type(self.text(base)), names)
        if kind == "array_type":
            return JType(self.jtype(node.child_by_field_id(Field.element)).name + "[]")
        if kind in ("integral_type", "floating_point_type", "boolean_type", "void_type"):
            return JType(self.text(node))
        return JType(self.scope.qualify_type(self.text(node)))

    def jtype_text(self, annotation: str | None) -> JType:
        """The declared type of a parameter, from its written form."""
        if not annotation:
            return JType("?")
        base, _, rest = annotation.partition("<")
        args = tuple(a.strip().rpartition(".")[2] for a in rest.rstrip(">").split(",")) if rest else ()
        base = base.strip()
        if base.endswith("[]"):
            return JType(self.scope.qualify_type(base[:-2]) + "[]")
        return JType(self.scope.qualify_type(base), args)

    # --- control flow ---------------------------------------------------------------------

    def _loop(self, node, unit: JavaUnit, depth: int) -> None:
        unit.cc += 1
        unit.see("loop", depth, line(node))
        init = [node.child_by_field_id(Field.init)] if node.type == "for_statement" else []
        inner = [c for c in node.named_children if c not in init]
        self._push(inner, unit, depth + loop_levels(node.child_by_field_id(Field.condition), unit))
        self._push(init, unit, depth)

    def _enhanced_for(self, node, unit: JavaUnit, depth: int) -> None:
        unit.cc += 1
        unit.see("loop", depth, line(node))
        name = node.child_by_field_id(Field.name)
        declared = node.child_by_field_id(Field.type)
        if name is not None and declared is not None:
            unit.types[self.text(name)] = self.jtype(declared)
        iterable = node.child_by_field_id(Field.value)
        inner = depth + loop_levels(iterable, unit)
        source = self._receiver_type(iterable, unit) if iterable is not None else None
        if source is not None and source.is_collection:
            unit.see("alloc", depth, line(node))          # an Iterator per loop over a collection
            if source.boxed_elements:   # each element unboxed
                unit.see("boxing" if boxes_stay(iterable, unit) else "boundary_boxing", inner, line(node))
        elif source is not None and source.name in ("char[]", "byte[]"):
            unit.see("char_iter", inner, line(node))
        body = node.child_by_field_id(Field.body)
        self._push([body], unit, inner)
        if iterable is not None:
            self._push([iterable], unit, depth)

    def _branch(self, node, unit: JavaUnit, depth: int) -> None:
        unit.cc += 1
        self._push(node.named_children, unit, depth)

    def _assert(self, node, unit: JavaUnit, depth: int) -> None:
        """Counted as a branch, not walked: the JVM runs assertions only with -ea, never by default."""
        unit.cc += 1

    def _if(self, node, unit: JavaUnit, depth: int) -> None:
        """A branch that ends by throwing is an exception path: it runs rarely, at most once per
        call, so its calls carry no loop weight (they are marked cold). So is what a debug-level
        guard holds (`if (LOG.isDebugEnabled())`): it runs only when that level is logged."""
        unit.cc += 1
        condition = node.child_by_field_id(Field.condition)
        diagnostic = logs_below_info(condition)
        for field in (Field.alternative, Field.consequence) if not never_runs(condition) else (Field.alternative,):
            branch = node.child_by_field_id(field)
            cold = branch is not None and (throws(branch) or (diagnostic and field == Field.consequence))
            self._push([branch], unit, COLD if cold else depth)
        self._push([condition], unit, depth)

    def _catch(self, node, unit: JavaUnit, depth: int) -> None:
        """Error handling runs when something failed: cold, as a throw is."""
        unit.cc += 1
        self._push(node.named_children, unit, COLD)

    def _switch_label(self, node, unit: JavaUnit, depth: int) -> None:
        if not self.text(node).startswith("default"):
            unit.cc += max(1, len(node.named_children))

    def _throw(self, node, unit: JavaUnit, depth: int) -> None:
        """A throw runs at most once per call, and rarely (calls from here are marked cold)."""
        self._push(node.named_children, unit, COLD)

    def _synchronized(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("synchronized", depth, line(node))
        self._push(node.named_children, unit, depth)

    # --- operations ------------------------------------------------------------------------

    def _binary(self, node, unit: JavaUnit, depth: int) -> None:
        op = node.child_by_field_id(Field.operator).type
        if op in ("&&", "||"):
            unit.cc += 1
            unit.see("compare", depth, line(node))
        elif op == "+" and (self._is_string(node.child_by_field_id(Field.left), unit)
                            or self._is_string(node.child_by_field_id(Field.right), unit)):
            unit.see("str_concat", depth, line(node))
        else:
            unit.see("bitwise" if op in BITWISE else "arith" if op in ARITH else "compare", depth, line(node))
        self._push(node.named_children, unit, depth)

    def _is_string(self, node, unit: JavaUnit) -> bool:
        kind = node.type if node is not None else None
        if kind == "string_literal":
            return True
        if kind == "binary_expression":
            return self._is_string(node.child_by_field_id(Field.left), unit)
        jt = self._receiver_type(node, unit) if kind in ("identifier", "field_access") else None
        return jt is not None and jt.name == "java.lang.String"

    def _unary(self, node, unit: JavaUnit, depth: int) -> None:
        op = node.child_by_field_id(Field.operator).type
        unit.see("bitwise" if op == "~" else "compare" if op == "!" else "arith", depth, line(node))
        self._push(node.named_children, unit, depth)

    def _update(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("arith", depth, line(node))
        self._push(node.named_children, unit, depth)

    def _assignment(self, node, unit: JavaUnit, depth: int) -> None:
        op = node.child_by_field_id(Field.operator).type
        left = node.child_by_field_id(Field.left)
        if op == "+=" and self._is_string(left, unit):
            unit.see("str_concat", depth, line(node))
        elif op != "=":
            unit.see("bitwise" if op in BITWISE else "arith", depth, line(node))
        self._touch_static(left, unit, write=True)
        self._push(node.named_children, unit, depth)

    def _array_access(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("index", depth, line(node))
        self._push(node.named_children, unit, depth)

    def _array_creation(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("alloc", depth, line(node))
        self._push(node.named_children, unit, depth)

    def _lambda(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("lambda", depth, line(node))
        self._push(node.named_children, unit, depth + 1)

    def _method_reference(self, node, unit: JavaUnit, depth: int) -> None:
        unit.see("lambda", depth, line(node))

    def _local(self, node, unit: JavaUnit, depth: int) -> None:
        jt = self.jtype(node.child_by_field_id(Field.type))
        if jt.boxed_elements:
            unit.see("boxing" if boxes_stay(None, unit) else "boundary_boxing", depth, line(node))
        for decl in node.named_children:
            if decl.type == "variable_declarator":
                name = decl.child_by_field_id(Field.name)
                if name is not None:
                    unit.types[self.text(name)] = jt if jt.name != "var" else self._receiver_type(
                        decl.child_by_field_id(Field.value), unit) or jt
                value = decl.child_by_field_id(Field.value)
                if value is not None:
                    self._push([value], unit, depth)


def _modifiers(node):
    """A declaration's modifiers node (its annotations and modifier words), or None."""
    first = node.child(0) if node.child_count else None   # where they stand: one child made, not all
    if first is not None and first.type == "modifiers":
        return first
    return next((c for c in node.children if c.type == "modifiers"), None)


def _modifier_words(mods) -> set[str]:
    return {c.type for c in mods.children if not c.is_named} if mods is not None else set()
