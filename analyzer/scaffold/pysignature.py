"""A Python entry point's signature mapped to PyO3: the Rust parameter types, the defaults the
binding can carry, and the `MappedSignature` record the JSON's plan can hold.

Input: a `Declaration` and a PyO3 generation ("0.17" or "bound"). Output: `RustParam`s (for the
renderers) and a `MappedSignature` (for the JSON). A default that is not a Rust literal turns
the parameter into `Option<T>` defaulting to None, with a note: the binding cannot evaluate
Python expressions, so the body (or the shim) applies the default.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from analyzer.model.scaffold import Declaration, DeclaredParam, MappedParam, MappedSignature
from analyzer.scaffold import pytypes
from analyzer.scaffold.pytypes import PyType

RUST_KEYWORDS = frozenset("as async await box break const continue crate dyn else enum extern false fn for if impl "
                          "in let loop match mod move mut pub ref return self static struct super trait true type "
                          "unsafe use where while yield".split())
BINDING = {"0.17": "pyo3-0.17", "bound": "pyo3-0.23+"}


@dataclass(frozen=True, slots=True)
class RustParam:
    name: str                   # the Python name (PyO3 keeps it for keyword calls)
    ident: str                  # the Rust identifier (r#type for `type`)
    kind: str                   # DeclaredParam.kind
    type: PyType
    rust: str
    default: str | None         # Rust expression of the default; None when required
    note: str
    opaque: bool


def map_entry(decl: Declaration, gen: str, rust_name: str) -> tuple[MappedSignature, tuple[RustParam, ...], PyType]:
    params = tuple(_param(p, gen) for p in decl.params)
    returns = pytypes.parse(decl.returns) if decl.returns or decl.role != "constructor" else PyType("none")
    ret_rust = "Self" if decl.role in ("constructor", "class") else pytypes.rust(returns, gen, "ret")
    ret_opaque = decl.role not in ("constructor", "class") and pytypes.opaque_in_rust(returns, "ret")
    header = rust_header(rust_name, params, ret_rust, gen, _receiver(decl, gen))
    mapped = MappedSignature(decl.unit_id, BINDING[gen], decl.signature, header,
                             tuple(MappedParam(p.name, _as_written(decl, p.name), p.rust, p.note) for p in params),
                             MappedParam("return", decl.returns or "", ret_rust,
                                         pytypes.note(returns, "ret") if ret_rust != "Self" else ""),
                             tuple([p.name for p in params if p.opaque] + (["return"] if ret_opaque else [])))
    return mapped, params, returns


def _as_written(decl: Declaration, name: str) -> str:
    return next((p.annotation or "" for p in decl.params if p.name == name), "")


def _receiver(decl: Declaration, gen: str) -> str:
    if decl.role in ("method", "property"):
        return "&mut self" if "mutates_self" in decl.modifiers else "&self"
    if decl.role == "classmethod":
        return "cls: &PyType" if gen == "0.17" else "cls: &Bound<'py, PyType>"
    return ""


def rust_header(name: str, params: tuple[RustParam, ...], ret: str, gen: str, receiver: str = "") -> str:
    life = "<'py>" if gen == "bound" else ""
    py = "py: Python<'py>" if gen == "bound" else "py: Python<'_>"
    parts = [p for p in (receiver, py) if p] + [f"{p.ident}: {p.rust}" for p in params]
    return f"fn {name}{life}({', '.join(parts)}) -> PyResult<{ret}>"


def _param(p: DeclaredParam, gen: str) -> RustParam:
    ident = f"r#{p.name}" if p.name in RUST_KEYWORDS else p.name
    if p.kind in ("var_positional", "var_keyword"):
        return _star_param(p, ident, gen)
    t, inferred = _typed(p)
    rust, default, extra = pytypes.rust(t, gen), None, ""
    if p.default is not None:
        rust, default, extra = _default(p.default, t, rust)
    note = "; ".join(n for n in (inferred, pytypes.note(t), extra) if n)
    return RustParam(p.name, ident, p.kind, t, rust, default, note, pytypes.opaque_in_rust(t, "arg"))


def _star_param(p: DeclaredParam, ident: str, gen: str) -> RustParam:
    tuple_, dict_ = ("&PyTuple", "Option<&PyDict>") if gen == "0.17" else \
        ("&Bound<'py, PyTuple>", "Option<&Bound<'py, PyDict>>")
    star = "*" if p.kind == "var_positional" else "**"
    note = f"TODO: {star}{p.name} takes any arguments: they cross as Python objects; name the ones the port needs"
    return RustParam(p.name, ident, p.kind, PyType("object", why=f"{star}{p.name}"),
                     tuple_ if star == "*" else dict_, None, note, True)


def _typed(p: DeclaredParam) -> tuple[PyType, str]:
    """The annotation's type, or for an unannotated parameter the type of its literal default."""
    if p.annotation or p.default is None:
        return pytypes.parse(p.annotation), ""
    value = _literal(p.default)
    guess = {bool: "bool", int: "int", float: "float", str: "str", bytes: "bytes"}.get(type(value))
    if guess is None:
        return pytypes.parse(None), ""
    return PyType(guess), f"no annotation: {guess} is inferred from the default {p.default}"


def _literal(text: str):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return ...


def _default(text: str, t: PyType, rust: str) -> tuple[str, str, str]:
    """(Rust type, Rust default expression, note) for a parameter with a Python default."""
    value = _literal(text)
    base = t.args[0] if t.name == "optional" else t
    if value is None:
        return (rust if t.name == "optional" else f"Option<{rust}>"), "None", \
            "" if t.name == "optional" else f"defaults to None although annotated {base.name}"
    literal = _rust_literal(value, base)
    if literal is None:
        held = rust if t.name == "optional" else f"Option<{rust}>"
        said = "the scan did not record the default" if text == "..." else f"the Python default {text} is not a Rust literal"
        return held, "None", f"{said}: None stands for it; apply it in the body"
    return rust, (f"Some({literal})" if t.name == "optional" else literal), ""


def _rust_literal(value, t: PyType) -> str | None:
    if isinstance(value, bool):
        return ("true" if value else "false") if t.name == "bool" else None
    if isinstance(value, int) and t.name == "int" and -(2**63) <= value < 2**63:
        return str(value)
    if isinstance(value, (int, float)) and t.name == "float" and value == value and abs(value) != float("inf"):
        text = repr(float(value))
        return text if any(c in text for c in ".e") else text + ".0"
    if isinstance(value, str) and t.name == "str" and value.isascii() and value.isprintable():
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return None
