"""Mapped signatures from the scan's own nouns, for the JSON's plan (no source is re-read).

The scan's `CodeUnit.params` know a parameter's name, annotation and kind, and only whether it
has a default: a default shows as "..." and maps as the scaffold maps any non-literal default
(`Option<T>`, None standing for it). `rustscout scaffold` reads the source instead and is exact.
"""

from __future__ import annotations

from typing import Mapping

from analyzer.model import CodeUnit
from analyzer.model.scaffold import Declaration, DeclaredParam, MappedSignature
from analyzer.scaffold import pysignature
from analyzer.scaffold.javagen import entry as java_entry

KINDS = {"positional_only": "positional_only", "positional": "positional", "keyword": "keyword_only",
         "var_positional": "var_positional", "var_keyword": "var_keyword"}


def mapped_signatures(entries: tuple[str, ...], units: Mapping[str, CodeUnit], language: str
                      ) -> tuple[MappedSignature, ...]:
    """One record per entry point a binding exposes, in the scaffold's default binding (the
    current PyO3 generation; JNI). Java classes and constructors stay in Java: none for them."""
    binding = "jni" if language == "java" else "pyo3"
    found = []
    for uid in entries:
        unit = units.get(uid)
        if unit is None or (unit.language == "java" and (unit.kind != "function" or unit.name == "<init>")):
            continue
        found.append(mapped_signature(unit, units, binding))
    return tuple(found)


def mapped_signature(unit: CodeUnit, units: Mapping[str, CodeUnit], binding: str = "pyo3",
                     ext: str = "port_rs") -> MappedSignature:
    """binding: "pyo3" (the current PyO3 generation), "pyo3-0.17", "jni" or "ffm"; ext names the
    native library in FFM symbols."""
    decl = declaration(unit, units)
    if unit.language == "java":
        return java_entry(decl, decl.name, binding if binding in ("jni", "ffm") else "jni", ext).signature
    gen = "0.17" if binding == "pyo3-0.17" else "bound"
    rust_name = "new" if decl.role in ("class", "constructor") else unit.name
    return pysignature.map_entry(decl, gen, rust_name)[0]


def declaration(unit: CodeUnit, units: Mapping[str, CodeUnit]) -> Declaration:
    owner = unit.qualname.split("(")[0].rpartition(".")[0]
    parent = units.get(unit.parent) if unit.parent else None
    role, params = _role(unit, parent), unit.params
    if role == "class":   # called as a function: its parameters are its constructor's
        init = units.get(f"{unit.id}.__init__")
        params = init.params if init else ()
    if role in ("method", "constructor", "class", "classmethod") and params:
        params = params[1:]   # self / cls
    declared = tuple(DeclaredParam(p.name, p.annotation, KINDS.get(p.kind, "positional"), "..." if p.default else None)
                     for p in params)
    return Declaration(unit.id, unit.language, unit.name, unit.qualname.split("(")[0], role, declared, unit.returns,
                       "", unit.path, (unit.start, unit.end), owner, tuple(unit.modifiers), (), _package(unit))


def _role(unit: CodeUnit, parent: CodeUnit | None) -> str:
    if unit.language == "java":
        return "function" if "static" in unit.modifiers else "method"
    if unit.kind == "class":
        return "class"
    if parent is None or parent.kind != "class":
        return "function"
    for marker in ("staticmethod", "classmethod", "property"):
        if any(d.rpartition(".")[2] == marker for d in unit.decorators):
            return marker
    return "constructor" if unit.name == "__init__" else "method"


def _package(unit: CodeUnit) -> str:
    """A Java file's package from its path (.../java/com/x/A.java -> com.x), for the JNI symbol."""
    folder = unit.path.rpartition("/")[0]
    return folder.rpartition("/java/")[2].replace("/", ".") if unit.language == "java" and "/java/" in f"/{folder}/" else ""
