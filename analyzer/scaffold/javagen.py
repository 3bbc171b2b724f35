"""A Java candidate's scaffold: a Rust cdylib (JNI through the jni crate, or a C ABI for Java
22's FFM API), a Java wrapper per owning class that falls back to the Java code when the
library is missing, a JUnit 5 differential test and the README.

Input: a `Case`, the repository root (Java sources are read as text) and `Options`.
Output: a `Scaffold`. Constructors stay in Java; private methods are mirrored but their
wrapper cannot call the Java code, which is flagged as a hazard.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.model import unit_id
from analyzer.model.scaffold import Declaration, MappedParam, MappedSignature
from analyzer.scaffold import javasource, javatypes, render_java
from analyzer.scaffold.case import Case, EntryRef, Hazard
from analyzer.scaffold.errors import ScaffoldError, read_source
from analyzer.scaffold.names import names_for
from analyzer.scaffold.render_readme import first_cut, public_api_note, readme, warning_lines
from analyzer.scaffold.spec import GeneratedFile, Options, Scaffold

IMPORT = re.compile(r"^\s*import\s+(static\s+)?[\w.*]+\s*;", re.M)


@dataclass(frozen=True, slots=True)
class JavaEntry:
    decl: Declaration
    key: str                    # the wrapper method's name ("checksum", "parse2" for a second overload)
    signature: MappedSignature
    fallback: bool              # the wrapper can call the Java code (the method is not private)
    receiver: bool              # an instance method: the object is the wrapper's first parameter
    carried: bool               # the binding can carry every parameter and the result

    @property
    def implemented_name(self) -> str:
        """Its name in IMPLEMENTED: "Checksums.fletcher16" (owner and wrapper method)."""
        return f"{self.decl.owner}.{self.key}"


@dataclass(frozen=True, slots=True)
class JavaOwner:
    path: str
    package: str
    owner: str                  # "FixParser", "Outer.Inner"
    wrapper: str                # "FixParserNative"
    imports: tuple[str, ...]    # the source file's import lines, for the types in the signatures
    entries: tuple[JavaEntry, ...]


def generate(case: Case, root: Path, options: Options) -> Scaffold:
    names = names_for(case)
    refs, public = _refs(case, root)
    owners = _owners(case, refs, root, options.binding, names.ext)
    entries = [e for o in owners for e in o.entries]
    hazards = (*_verdict(case), *case.callbacks, *case.shared_state, *_hazards(entries, options.binding))
    warning = warning_lines(case, hazards)
    texts = render_java.files(owners, case, names, options, warning)
    signatures = tuple(e.signature for e in entries)
    texts["README.md"] = readme(case, options, hazards, signatures, render_java.readme_files(owners, names, options),
                                render_java.readme_commands(owners, names, options),
                                public_api_note("its public methods") if public else [])
    texts[".gitignore"] = "/target/\n/build/\n"
    return Scaffold(case.id, options.binding, tuple(GeneratedFile(p, t) for p, t in sorted(texts.items())),
                    signatures, hazards, first_cut(case, hazards))


def _owners(case: Case, refs: tuple[EntryRef, ...], root: Path, binding: str, ext: str) -> tuple[JavaOwner, ...]:
    refs = [r for r in refs if "(" in r.qualname and ".<init>" not in r.qualname]
    texts = {p: read_source(root, p) for p in sorted({r.path for r in refs})}
    decls = [javasource.declare(texts[r.path], r.path, r.unit_id, r.qualname) for r in refs]
    decls = [d for d in decls if d.role != "constructor"]
    if not decls:
        raise ScaffoldError(f"{case.id}: no method to mirror (constructors and classes stay in Java); "
                            "scaffold one of its methods instead")
    groups: dict[tuple[str, str], list[Declaration]] = {}
    for d in decls:
        groups.setdefault((d.path, d.owner), []).append(d)
    return tuple(_owner(path, owner, ds, texts[path], binding, ext) for (path, owner), ds in sorted(groups.items()))


def _refs(case: Case, root: Path) -> tuple[tuple[EntryRef, ...], bool]:
    """The boundary's entry points; without any, the candidate itself or, for a class nothing
    in the repository calls (a library's), its public methods (and True)."""
    if case.entries:
        return tuple(sorted(case.entries, key=lambda r: r.unit_id)), False
    if case.kind == "function":
        return (EntryRef(case.id, case.path, case.qualname, 0),), False
    if case.kind == "class":
        public = javasource.public_methods(read_source(root, case.path), case.qualname)
        if public:
            return tuple(EntryRef(unit_id("java", case.path, q), case.path, q, 0) for q in public), True
    raise ScaffoldError(f"{case.id}: no entry point: nothing outside calls into it and it has no public method; "
                        "scaffold one of its methods")


def _owner(path: str, owner: str, decls: list[Declaration], text: str, binding: str, ext: str) -> JavaOwner:
    seen: dict[str, int] = {}
    entries = []
    for d in sorted(decls, key=lambda d: d.unit_id):
        seen[d.name] = seen.get(d.name, 0) + 1
        key = d.name if seen[d.name] == 1 else f"{d.name}{seen[d.name]}"
        entries.append(entry(d, key, binding, ext))
    imports = tuple(m.group().strip() for m in IMPORT.finditer(javasource.masked(text)))
    return JavaOwner(path, decls[0].module, owner, owner.replace(".", "") + "Native", imports, tuple(entries))


def entry(d: Declaration, key: str, binding: str, ext: str) -> JavaEntry:
    receiver = d.role == "method"
    params = [MappedParam(p.name, p.annotation or "", _rust_param(p.annotation or "", binding),
                          _note(p.annotation or "", binding)) for p in d.params]
    ret = MappedParam("return", d.returns or "void", _rust_return(d.returns, binding), _note(d.returns or "void", binding))
    opaque = [p.name for p in params if p.note.startswith("TODO")] + (["return"] if ret.note.startswith("TODO") else [])
    symbol = (render_java.jni_symbol(d.module, d.owner.replace(".", "") + "Native", key + "Native") if binding == "jni"
              else render_java.ffm_symbol(ext, d.owner, key))
    header = render_java.rust_header(d, key, binding, symbol)
    signature = MappedSignature(d.unit_id, binding, d.signature, header, tuple(params), ret, tuple(opaque))
    carried = binding == "jni" or not (opaque or receiver)
    return JavaEntry(d, key, signature, "private" not in d.modifiers, receiver, carried)


def _rust_param(java: str, binding: str) -> str:
    if binding == "jni":
        return javatypes.jni_param(java)
    return ", ".join(t for _, t, _ in javatypes.ffm_params(java, "x"))


def _rust_return(java: str | None, binding: str) -> str:
    return javatypes.jni_return(java) if binding == "jni" else javatypes.ffm_return(java)[0]


def _note(java: str, binding: str) -> str:
    if java == "void" or not javatypes.opaque(java, binding):
        return "copied across the boundary; in-place writes are copied back" if javatypes.element(java) else ""
    if binding == "ffm":
        return f"TODO: {java} is an object: FFM carries only primitives and primitive arrays; pass the data it holds"
    return f"TODO: {java} crosses as an opaque reference: every access is a call back into the JVM; pass the data it holds"


def _verdict(case: Case) -> tuple[Hazard, ...]:
    if case.verdict in ("port", "needs-boundary-work"):
        return ()
    return (Hazard("verdict", f"rustscout's verdict is {case.verdict}: {case.reason}",
                   "measure before porting: a profile may show the time is elsewhere"),)


def _hazards(entries: list[JavaEntry], binding: str) -> tuple[Hazard, ...]:
    found = []
    for e in entries:
        where = f"{e.decl.qualname} ({e.decl.path}:{e.decl.lines[0]})"
        if e.receiver:
            found.append(Hazard("receiver", f"{where} is an instance method: `this` would cross as an object",
                                "make it static over the fields it reads, or port its class's state with it"))
        if not e.fallback:
            found.append(Hazard("private", f"{where} is private: the wrapper cannot fall back to it",
                                f"make {e.decl.name} package-private, or call the wrapper from inside {e.decl.owner}"))
        for name in e.signature.opaque:
            p = next((p for p in e.signature.params if p.name == name), e.signature.returns)
            found.append(Hazard("object", f"`{name}` of {where} is {p.source}: {p.note.removeprefix('TODO: ')}",
                                f"replace `{name}` of {e.decl.name} ({p.source}) with primitives or arrays"))
    return tuple(found)
