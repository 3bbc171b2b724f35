"""Python annotations as types a binding can carry: parsed once into `PyType`, then written out
as a Rust type (per PyO3 generation and position), a Hypothesis strategy and a benchmark input.

Input: an annotation as written in the source ("bytes", "Optional[list[int]]", "int | None").
Output: text only; nothing here imports or evaluates the annotated code.

Positions matter: a top-level argument borrows (`&[u8]`, `&str`), an item inside a container
owns (`Vec<u8>`, `String`), and a result must convert back to the same Python type (`bytes`
is returned as `Py<PyBytes>`, never `Vec<u8>`, which would come back as a list of ints).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

GENERATIONS = ("0.17", "bound")   # GIL-ref API (PyO3 0.17, Debian's) and the Bound API (0.23+)
NAMES = {"int": "int", "float": "float", "bool": "bool", "str": "str", "bytes": "bytes",
         "bytearray": "bytearray", "memoryview": "memoryview", "None": "none", "NoneType": "none",
         "list": "list", "List": "list", "Sequence": "list", "MutableSequence": "list",
         "tuple": "tuple", "Tuple": "tuple", "dict": "dict", "Dict": "dict", "Mapping": "dict",
         "set": "set", "Set": "set", "AbstractSet": "set",
         "Optional": "optional", "Union": "union"}
SCALARS = ("int", "float", "bool", "str", "bytes", "bytearray", "memoryview", "none")
HASHABLE = ("int", "bool", "str")


@dataclass(frozen=True, slots=True)
class PyType:
    name: str                   # a value of NAMES, "vartuple" (tuple[T, ...]) or "object"
    args: tuple[PyType, ...] = ()
    why: str = ""               # for "object": why it cannot be given a concrete type

    @property
    def opaque(self) -> bool:
        return self.name == "object" or any(a.opaque for a in self.args)

    def has(self, name: str) -> bool:
        return self.name == name or any(a.has(name) for a in self.args)


def parse(annotation: str | None) -> PyType:
    if not annotation:
        return PyType("object", why="no annotation")
    try:
        node = ast.parse(annotation.strip(), mode="eval").body
    except SyntaxError:
        return PyType("object", why=f"`{annotation}` is not a type expression")
    return _convert(node, annotation)


def _convert(node: ast.expr, text: str) -> PyType:
    if isinstance(node, ast.Constant) and node.value is None:
        return PyType("none")
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return parse(node.value)                    # a forward reference: "list[int]"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _union([_convert(n, text) for n in _alternatives(node)], text)
    if isinstance(node, ast.Subscript):
        items = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return _generic(_name(node.value), items, text)
    name = NAMES.get(_name(node))
    if name in SCALARS:
        return PyType(name)
    return PyType("object", why=f"`{ast.unparse(node)}` has no Rust counterpart the scaffold knows"
                  if name is None else f"`{ast.unparse(node)}` says nothing about its items")


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return node.attr                             # typing.Optional, t.List
    return node.id if isinstance(node, ast.Name) else ast.unparse(node)


def _alternatives(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return _alternatives(node.left) + _alternatives(node.right)
    return [node]


def _generic(base: str, items: list[ast.expr], text: str) -> PyType:
    kind = NAMES.get(base)
    if kind in ("optional", "union"):
        found = [_convert(n, text) for n in items]
        return _union(found + ([PyType("none")] if kind == "optional" else []), text)
    if kind == "tuple" and len(items) == 2 and isinstance(items[1], ast.Constant) and items[1].value is Ellipsis:
        return PyType("vartuple", (_convert(items[0], text),))
    arity = {"list": 1, "set": 1, "dict": 2}.get(kind or "")
    if kind != "tuple" and not (arity and len(items) == arity):
        return PyType("object", why=f"`{text}` has no Rust counterpart the scaffold knows")
    args = tuple(_convert(n, text) for n in items)
    if kind in ("dict", "set") and args[0].name not in HASHABLE:
        return PyType("object", why=f"`{text}`: its keys have no hashable Rust type here")
    return PyType(kind, args)


def _union(found: list[PyType], text: str) -> PyType:
    rest = [t for t in found if t.name != "none"]
    if len(rest) == 1 and len(found) > 1:
        return PyType("optional", (rest[0],))
    if len(rest) == 1:
        return rest[0]
    return PyType("object", why=f"`{text}` is a union of several types")


# --- Rust -----------------------------------------------------------------------------------

def rust(t: PyType, gen: str, position: str = "arg") -> str:
    """The Rust type for `t` as a top-level argument ("arg"), an item inside an argument
    ("item") or a part of the result ("ret")."""
    inner = "item" if position == "arg" else position
    if t.name == "list" or (t.name == "vartuple" and position != "ret"):
        return f"Vec<{rust(t.args[0], gen, inner)}>"
    if t.name == "tuple":
        parts = [rust(a, gen, inner) for a in t.args]
        return f"({parts[0]},)" if len(parts) == 1 else f"({', '.join(parts)})"
    if t.name == "dict":
        return f"HashMap<{rust(t.args[0], gen, 'key')}, {rust(t.args[1], gen, inner)}>"
    if t.name == "set":
        return f"HashSet<{rust(t.args[0], gen, 'key')}>"
    if t.name == "optional":
        return f"Option<{rust(t.args[0], gen, position)}>"
    return _leaf(t, gen, position)


def _leaf(t: PyType, gen: str, position: str) -> str:
    fixed = {"int": "i64", "float": "f64", "bool": "bool"}
    if t.name in fixed:
        return fixed[t.name]
    if t.name == "str":
        return "&str" if position == "arg" else "String"
    if t.name == "bytes" and position != "ret":
        return "&[u8]" if position == "arg" else "Vec<u8>"
    if t.name == "bytes":
        return "Py<PyBytes>"
    if t.name == "bytearray" and position == "arg":
        return "&PyByteArray" if gen == "0.17" else "&Bound<'py, PyByteArray>"
    if t.name == "bytearray":
        return "Py<PyByteArray>" if position == "ret" else "Vec<u8>"
    if t.name == "memoryview" and position != "ret":
        return "PyBuffer<u8>"
    if t.name == "none" and position == "ret":
        return "()"
    if t.name == "vartuple":
        return "Py<PyTuple>"
    if position == "arg":
        return "&PyAny" if gen == "0.17" else "&Bound<'py, PyAny>"
    return "Py<PyAny>"


def note(t: PyType, position: str = "arg") -> str:
    """What to watch when this type crosses: why it stays an object, copies, overflow."""
    if opaque_in_rust(t, position):
        why = _why(t) if t.opaque else ("None as an argument carries no data" if t.name == "none"
                                        else "a memoryview cannot be returned from Rust")
        return f"TODO: {why}: it crosses as a Python object; give it a concrete type or pass the data it holds"
    notes = []
    if t.has("int"):
        notes.append("Python ints are unbounded: outside i64 the call raises OverflowError")
    bare = t.args[0] if t.name == "optional" else t
    if bare.name not in SCALARS and bare.has("bytes") and position == "arg":
        notes.append("each bytes item is copied into a Vec<u8>")
    if t.has("bytearray"):
        notes.append("mutable buffer: read it with .to_vec(); writing in place needs unsafe as_bytes_mut()")
    if t.has("memoryview"):
        notes.append("any buffer (bytes, bytearray, memoryview) is accepted; copy it out with .to_vec(py)")
    if t.name == "vartuple" and position == "ret":
        notes.append("a tuple of any length: build it with PyTuple::new")
    return "; ".join(notes)


def _why(t: PyType) -> str:
    return t.why if t.name == "object" else next(_why(a) for a in t.args if a.opaque)


def opaque_in_rust(t: PyType, position: str) -> bool:
    """True when the Rust side sees an arbitrary object."""
    return t.opaque or (t.name == "none" and position == "arg") or (t.has("memoryview") and position == "ret")
