"""What a Python scaffold mirrors: module functions, classes (as #[pyclass]) and methods whose
class stays in Python, each with its mapped signature, plus the hazards found on the way.

Input: a `Case`, the repository root and the PyO3 generation. Output: a `PyPort`, complete;
the renderers only format it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from analyzer.model.scaffold import Declaration, DeclaredParam, MappedSignature
from analyzer.scaffold import pysource
from analyzer.scaffold.case import Case, EntryRef, Hazard
from analyzer.scaffold.errors import ScaffoldError
from analyzer.scaffold.names import snake
from analyzer.scaffold.pysignature import RustParam, map_entry
from analyzer.scaffold.pysource import ClassShape, PythonFile
from analyzer.scaffold.pytypes import PyType

RECEIVER = "instance"           # the first parameter of a method exposed as a function


@dataclass(frozen=True, slots=True)
class PyEntry:
    decl: Declaration
    signature: MappedSignature
    params: tuple[RustParam, ...]
    returns: PyType
    export: str                 # name in IMPLEMENTED and in the shim's tables: "f", "C", "C.m"
    attr: str                   # attribute of the extension module (and of the shim): "f", "C", "c_m"
    rust_name: str              # the Rust function or method name
    module: str                 # dotted module holding the pure code
    receiver: bool = False      # a method whose class stays in Python: its instance is the first argument


@dataclass(frozen=True, slots=True)
class PyClass:
    shape: ClassShape
    constructor: PyEntry
    methods: tuple[PyEntry, ...]


@dataclass(frozen=True, slots=True)
class PyPort:
    functions: tuple[PyEntry, ...]      # module functions and methods whose class stays in Python
    classes: tuple[PyClass, ...]
    hazards: tuple[Hazard, ...]
    import_roots: tuple[str, ...]       # folders to put on sys.path for the pure code ("" = repo root)
    mirrored_public_api: bool           # no entry point seen: the module's public functions stand in

    @property
    def entries(self) -> tuple[PyEntry, ...]:
        return (*self.functions, *(e for c in self.classes for e in (c.constructor, *c.methods)))


def plan(case: Case, root: Path, gen: str) -> PyPort:
    refs, public = _refs(case, root)
    files = {p: pysource.load(root, p) for p in sorted({r.path for r in refs})}
    decls = [pysource.declare(files[r.path], r.unit_id, r.qualname) for r in refs]
    whole = _whole_classes(case, decls)
    functions, classes = [], []
    for d in decls:
        if d.role not in ("class", "constructor") and d.owner not in whole:
            functions.append(_entry(d, gen, lone=bool(d.owner)))
    for qualname in sorted(whole):
        classes.append(_class(files.get(whole[qualname]) or pysource.load(root, whole[qualname]), qualname, gen))
    port_entries = [*functions, *(e for c in classes for e in (c.constructor, *c.methods))]
    if not port_entries:
        raise ScaffoldError(f"{case.id}: no entry point to mirror (it has no functions or methods called from outside)")
    _check_unique(case, port_entries)
    hazards = (*_verdict(case), *case.callbacks, *case.shared_state, *_entry_hazards(port_entries),
               *_dunder_hazards(classes))
    return PyPort(tuple(functions), tuple(classes), hazards, tuple(sorted({f.import_root for f in files.values()})),
                  public)


def _refs(case: Case, root: Path) -> tuple[tuple[EntryRef, ...], bool]:
    """The boundary's entry points; without any, the candidate itself or a module's public API."""
    if case.entries:
        return tuple(sorted(case.entries, key=lambda r: r.unit_id)), False
    if case.kind in ("function", "class"):
        return (EntryRef(case.id, case.path, case.qualname, 0),), False
    if case.kind == "module":
        file = pysource.load(root, case.path)
        names = [n.name for n in file.tree.body if _public_def(n)]
        return tuple(EntryRef(f"py:{case.path}::{n}", case.path, n, 0) for n in sorted(names)), True
    raise ScaffoldError(f"{case.id}: no entry point: nothing outside calls into it, so there is no boundary to "
                        "mirror; scaffold one of its modules or functions instead")


def _public_def(node) -> bool:
    kinds = (*pysource.FunctionNode.__args__, pysource.ast.ClassDef)
    return isinstance(node, kinds) and not node.name.startswith("_")


def _whole_classes(case: Case, decls: list[Declaration]) -> dict[str, str]:
    """Classes the port owns whole (qualname -> path): the candidate class, or a class whose
    construction crosses the boundary. Their state moves into a #[pyclass]."""
    found = {d.qualname: d.path for d in decls if d.role == "class"}
    found.update({d.owner: d.path for d in decls if d.role == "constructor"})
    if case.kind == "class":
        found[case.qualname] = case.path
    return found


def _class(file: PythonFile, qualname: str, gen: str) -> PyClass:
    """Every public method, not only those called across the boundary: once the native class
    replaces the pure one, it must answer every call the pure one did."""
    shape = pysource.class_shape(file, qualname)
    ctor = pysource.declare(file, f"py:{file.path}::{qualname}", qualname)
    methods = [pysource.declare(file, f"py:{file.path}::{qualname}.{m}", f"{qualname}.{m}") for m in shape.methods]
    return PyClass(shape, _entry(ctor, gen, lone=False), tuple(_entry(m, gen, lone=False) for m in methods))


def _entry(d: Declaration, gen: str, lone: bool) -> PyEntry:
    """lone: a method of a class that stays in Python, exposed as a function of its instance."""
    attr = snake(d.qualname.replace(".", "_")) if lone else d.qualname.rpartition(".")[2]
    rust_name = "new" if d.role in ("class", "constructor") else (attr if lone else d.name)
    receiver = lone and d.role != "staticmethod"
    as_function = replace(d, role="function", params=((DeclaredParam(RECEIVER, None),) if receiver else ()) + d.params)
    signature, params, returns = map_entry(as_function if lone else d, gen, rust_name)
    return PyEntry(d, signature, params, returns, d.qualname, attr, rust_name, d.module, receiver)


def _check_unique(case: Case, entries: list[PyEntry]) -> None:
    seen: dict[str, str] = {}
    for e in entries:
        key = e.attr if "." not in e.export else e.export
        if key in seen:
            raise ScaffoldError(f"{case.id}: two entry points are both called {key} ({seen[key]}, {e.decl.unit_id}); "
                                "scaffold them one at a time")
        seen[key] = e.decl.unit_id


def _verdict(case: Case) -> tuple[Hazard, ...]:
    if case.verdict in ("port", "needs-boundary-work"):
        return ()
    return (Hazard("verdict", f"rustscout's verdict is {case.verdict}: {case.reason}",
                   "measure before porting: a profile may show the time is elsewhere"),)


def _entry_hazards(entries: list[PyEntry]) -> tuple[Hazard, ...]:
    found = []
    for e in entries:
        where = f"{e.decl.qualname} ({e.decl.path}:{e.decl.lines[0]})"
        if e.receiver:
            reads = ", ".join(f"self.{r}" for r in e.decl.reads) or "nothing of self"
            found.append(Hazard("receiver", f"{where} is a method whose class stays in Python: `self` crosses "
                                "as an arbitrary object", f"pass what it reads ({reads}) in as arguments"))
        for name in (n for n in e.signature.opaque if not (e.receiver and n == RECEIVER)):
            p = next((p for p in e.signature.params if p.name == name), e.signature.returns)
            found.append(Hazard("object", f"`{name}` of {where} crosses as an arbitrary object "
                                f"({p.note.removeprefix('TODO: ').split(': it crosses')[0]})",
                                f"give `{name}` of {e.decl.name} a concrete type (annotate it, or pass the data it holds)"))
        for mod in ("async", "generator"):
            if mod in e.decl.modifiers:
                found.append(Hazard("generator", f"{where} is {'a coroutine' if mod == 'async' else 'a generator'}",
                                    "return a complete result (a list) from a plain function first"))
    return tuple(found)


def _dunder_hazards(classes: list[PyClass]) -> tuple[Hazard, ...]:
    return tuple(Hazard("dunder", f"{c.shape.qualname} defines {', '.join(c.shape.dunders)}: the native class "
                        "does not have them yet", "write them by hand in #[pymethods] (PyO3 names some differently)")
                 for c in classes if c.shape.dunders)
