"""Nouns of the scaffold: what the source declares for an entry point, and how its signature
maps across a binding.

`Declaration` is read from the scanned repository's source (Python's ast, Java's text) or,
later, built by the scan from its `CodeUnit`s. `MappedSignature` is the record the JSON's plan
can carry, so other tools can generate their own bindings:

    {"entry": "py:pkg/codec.py::decode", "binding": "pyo3-0.23+",
     "source": "decode(data: bytes) -> list[int]",
     "rust": "fn decode<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Vec<i64>>",
     "params": [{"name": "data", "source": "bytes", "rust": "&[u8]", "note": ""}],
     "returns": {"name": "return", "source": "list[int]", "rust": "Vec<i64>", "note": ""},
     "opaque": []}

"source" is the entry point's language (Python or Java) as written in the scanned code.
"""

from __future__ import annotations

from dataclasses import dataclass

PARAM_KINDS = ("positional_only", "positional", "var_positional", "keyword_only", "var_keyword")


@dataclass(frozen=True, slots=True)
class DeclaredParam:
    name: str
    annotation: str | None      # as written ("bytes", "Optional[int]", "byte[]"); None when absent
    kind: str = "positional"    # one of PARAM_KINDS (Java: always positional)
    default: str | None = None  # source text of the default ("0", "None"); "..." when unknown


@dataclass(frozen=True, slots=True)
class Declaration:
    """One entry point as its source declares it."""
    unit_id: str                # "py:pkg/mod.py::Class.method", "java:...::Class.m(int)"
    language: str               # python | java
    name: str                   # "method"; "__init__" for a Python constructor
    qualname: str               # "Class.method"
    role: str                   # function | method | constructor | staticmethod | classmethod | class
    params: tuple[DeclaredParam, ...]   # without self / cls
    returns: str | None         # return annotation or Java return type; None when absent
    docstring: str              # Python docstring or Javadoc text, "" when none
    path: str                   # repo-relative posix path of the source file
    lines: tuple[int, int]      # first and last line of the definition
    owner: str = ""             # owning class ("Outer.Inner"), "" for a module-level function
    modifiers: tuple[str, ...] = ()   # java: public static ...; python: async, mutates_self
    reads: tuple[str, ...] = ()       # attributes of self it reads (python methods), sorted
    module: str = ""            # dotted Python module or Java package of the source file

    @property
    def signature(self) -> str:
        """The declaration in its own language's words: "decode(data: bytes) -> list[int]",
        "int Codec.checksum(byte[] data, int seed)"."""
        if self.language == "java":
            params = ", ".join(f"{p.annotation} {p.name}" for p in self.params)
            return f"{self.returns + ' ' if self.returns else ''}{self.qualname}({params})"
        params = ", ".join(_with_markers(self.params))
        returns = f" -> {self.returns}" if self.returns else ""
        return f"{self.qualname}({params}){returns}"


def _with_markers(params: tuple[DeclaredParam, ...]) -> list[str]:
    """Parameter texts with Python's "/" and "*" markers where the kinds change."""
    out: list[str] = []
    for before, p in zip((None, *params), params):
        if before is not None and before.kind == "positional_only" and p.kind != "positional_only":
            out.append("/")
        if p.kind == "keyword_only" and (before is None or before.kind not in ("keyword_only", "var_positional")):
            out.append("*")
        out.append(_param_text(p))
    if params and params[-1].kind == "positional_only":
        out.append("/")
    return out


def _param_text(p: DeclaredParam) -> str:
    star = {"var_positional": "*", "var_keyword": "**"}.get(p.kind, "")
    text = star + p.name + (f": {p.annotation}" if p.annotation else "")
    return text + (f" = {p.default}" if p.default is not None else "")


@dataclass(frozen=True, slots=True)
class MappedParam:
    name: str                   # parameter name; "return" for the result
    source: str                 # the type as the source writes it ("" when unannotated)
    rust: str                   # the Rust type on the binding's side
    note: str = ""              # why it crosses as an object, or what to watch (overflow, copies)


@dataclass(frozen=True, slots=True)
class MappedSignature:
    entry: str                  # unit id of the entry point
    binding: str                # "pyo3-0.17", "pyo3-0.23+", "jni", "ffm"
    source: str                 # the declaration as the source language writes it
    rust: str                   # the Rust function header
    params: tuple[MappedParam, ...]
    returns: MappedParam
    opaque: tuple[str, ...] = ()   # names (or "return") that cross as arbitrary objects

    def to_json(self) -> dict:
        """The record the JSON's plan carries (keys sorted when dumped)."""
        return {"entry": self.entry, "binding": self.binding, "source": self.source, "rust": self.rust,
                "params": [_param_json(p) for p in self.params], "returns": _param_json(self.returns),
                "opaque": list(self.opaque)}


def _param_json(p: MappedParam) -> dict:
    return {"name": p.name, "source": p.source, "rust": p.rust, "note": p.note}
