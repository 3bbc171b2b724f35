"""Native code the repository already has: C, C++, Cython and Rust extension sources, JNI
implementations, and the build files that declare them.

Everything is read as text, never run or imported: setup.py is parsed with `ast` (its
`Extension(...)` calls and `cythonize(...)` arguments), pyproject.toml and Cargo.toml with
tomllib; sources are searched for the names a compiler would export (`PyInit_<module>`,
`#[pymodule]`, `Java_<class>_<method>`). A build file that names a source the tree does not
hold declares nothing: only native code that exists is reported.

Output: NativeSource records, one per extension module or JNI class, for the matching with
the Python and Java units they stand in for (code/twins.py).
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from analyzer.inventory.files import file_name, manifest, python_module, suffix

SUFFIXES = {".c": "C", ".h": "C", ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".pyx": "Cython",
            ".pxd": "Cython", ".rs": "Rust"}
# source languages rustscout does not read, so that a scan can say what it left out
UNREAD = {**SUFFIXES, ".hpp": "C++", ".go": "Go", ".kt": "Kotlin", ".scala": "Scala", ".cs": "C#",
          ".js": "JavaScript", ".ts": "TypeScript", ".rb": "Ruby", ".swift": "Swift", ".m": "Objective-C",
          ".groovy": "Groovy", ".clj": "Clojure", ".zig": "Zig"}
BUILD_FILES = ("setup.py", "pyproject.toml", "Cargo.toml")
MAX_READ = 1 << 20           # a generated C file can be megabytes: its exports sit anywhere, but 1 MB is plenty
_PYINIT = re.compile(rb"\bPyInit_(\w+)")
_PYMODULE = re.compile(rb"#\[pymodule(?:\s*\(\s*name\s*=\s*\"(\w+)\"\s*\))?\]\s*(?:#\[[^\]]*\]\s*)*"
                       rb"(?:pub\s+)?fn\s+(\w+)")
_JNI = re.compile(rb"\bJava_((?:[A-Za-z0-9]|_[0-3])+(?:_(?:[A-Za-z0-9]|_[0-3])+)+)")


@dataclass(frozen=True, slots=True)
class NativeSource:
    """An extension module (dotted Python name) or a Java class implemented through JNI."""
    name: str                   # "markupsafe._speedups", or "org.xerial.snappy.SnappyNative"
    target: str                 # "python" (an extension module) | "java" (a JNI class)
    language: str               # C | C++ | Cython | Rust
    sources: tuple[str, ...]    # repo-relative files
    declared_in: str | None     # the build file that declares it, when one does


def native_sources(root: Path, paths: Sequence[str]) -> tuple[NativeSource, ...]:
    """The native code among `paths` (repo-relative, the whole tree), read under `root`."""
    existing = frozenset(paths)
    packages = {str(PurePosixPath(p).parent) for p in paths if p.endswith("/__init__.py")}
    found: dict[tuple[str, str], NativeSource] = {}
    for path in sorted(p for p in paths if file_name(p) in BUILD_FILES):
        for source in _declared(root, path, existing):
            found.setdefault((source.target, source.name), source)
    for path in sorted(p for p in paths if suffix(p) in SUFFIXES):
        for source in _exported(root, path, packages):
            key = (source.target, source.name)
            known = found.get(key)
            if known is None:
                found[key] = source
            elif path not in known.sources:   # a .pxd beside its .pyx, a header beside its .cpp
                found[key] = NativeSource(known.name, known.target, _language((*known.sources, path)),
                                          tuple(sorted({*known.sources, path})), known.declared_in)
    return tuple(found[k] for k in sorted(found))


def unread_languages(paths: Iterable[str], scope: str = "") -> tuple[tuple[str, int], ...]:
    """Source files under `scope` in languages rustscout does not read: (language, files),
    most files first."""
    prefix = f"{scope}/" if scope else ""
    found = Counter(UNREAD[s] for p in paths if p.startswith(prefix) for s in [suffix(p)] if s in UNREAD)
    return tuple(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _read(root: Path, path: str) -> bytes:
    try:
        with open(root / path, "rb") as handle:
            return handle.read(MAX_READ)
    except OSError:
        return b""


# --- sources -------------------------------------------------------------------------------

def _exported(root: Path, path: str, packages: set[str]) -> Iterable[NativeSource]:
    suffix = PurePosixPath(path).suffix
    language = SUFFIXES[suffix]
    if suffix in (".pyx", ".pxd"):   # a Cython module is named by its path, as a .py would be
        yield NativeSource(python_module(path[: -len(suffix)] + ".py", packages), "python", language, (path,), None)
        return
    data = _read(root, path)
    if suffix != ".rs":
        for name in sorted({m.decode() for m in _PYINIT.findall(data)}):
            yield NativeSource(_beside(path, name, packages), "python", language, (path,), None)
    else:
        for renamed, fn in _PYMODULE.findall(data):
            yield NativeSource((renamed or fn).decode(), "python", language, (path,), None)
    for cls in sorted({_jni_class(m.decode()) for m in _JNI.findall(data)} - {""}):
        yield NativeSource(cls, "java", language, (path,), None)


def _beside(path: str, name: str, packages: set[str]) -> str:
    """The dotted name of extension `name` built from a file in `path`'s folder."""
    folder = python_module(str(PurePosixPath(path).parent / "__init__.py"), packages)
    return f"{folder}.{name}" if folder and str(PurePosixPath(path).parent) in packages else name


def _jni_class(symbol: str) -> str:
    """`org_xerial_snappy_SnappyNative_rawCompress` -> `org.xerial.snappy.SnappyNative` (JNI
    mangling: `_` separates names, `_1` is an underscore, `__` starts an overload's signature)."""
    symbol = symbol.split("__", 1)[0]
    parts = re.split(r"_(?![0-3])", symbol)
    if len(parts) < 2:
        return ""
    return ".".join(p.replace("_1", "_") for p in parts[:-1])


# --- build files ---------------------------------------------------------------------------

def _declared(root: Path, path: str, existing: frozenset[str]) -> Iterable[NativeSource]:
    name = PurePosixPath(path).name
    base = str(PurePosixPath(path).parent)
    base = "" if base == "." else base + "/"
    if name == "setup.py":
        pairs = _setup_py(_read(root, path))
    elif name == "pyproject.toml":
        pairs = _pyproject(manifest(root, path))
    else:
        pairs = _cargo(manifest(root, path), [p for p in existing if p.startswith(base + "src/") and p.endswith(".rs")],
                       base)
    for module, sources in pairs:
        present = tuple(sorted({base + s.removeprefix("./") for s in sources} & existing
                               | {s for s in sources if s in existing}))
        if present:
            yield NativeSource(module, "python", _language(present), present, path)


def _language(sources: Sequence[str]) -> str:
    kinds = {{**SUFFIXES, ".toml": "Rust"}.get(PurePosixPath(s).suffix, "C") for s in sources}
    return next(k for k in ("Rust", "Cython", "C++", "C") if k in kinds)


def _setup_py(data: bytes) -> list[tuple[str, list[str]]]:
    """`Extension("pkg._speedups", ["src/pkg/_speedups.c"])` (or sources=[...]), also
    RustExtension and Pybind11Extension, as literal strings; anything computed is skipped."""
    try:
        tree = ast.parse(data)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _callee(node.func).endswith("Extension") and node.args:
            name = _literal(node.args[0])
            listed = node.args[1] if len(node.args) > 1 else next(
                (k.value for k in node.keywords if k.arg in ("sources", "path")), None)
            sources = _strings(listed)
            if isinstance(name, str) and sources:
                found.append((name, sources))
    return found


def _callee(func: ast.AST) -> str:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""


def _literal(node: ast.AST | None):
    return node.value if isinstance(node, ast.Constant) else None


def _strings(node: ast.AST | None) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]   # RustExtension's path="Cargo.toml"
    if isinstance(node, (ast.List, ast.Tuple)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return []


def _pyproject(data: dict) -> list[tuple[str, list[str]]]:
    """setuptools' `ext-modules` table (name and sources)."""
    modules = data.get("tool", {}).get("setuptools", {}).get("ext-modules", [])
    return [(m["name"], [s for s in m.get("sources", []) if isinstance(s, str)]) for m in modules
            if isinstance(m, dict) and isinstance(m.get("name"), str)]


def _cargo(data: dict, rust_files: list[str], base: str) -> list[tuple[str, list[str]]]:
    """A crate that depends on pyo3 builds a Python module named after its library."""
    dependencies = data.get("dependencies", {})
    if not isinstance(dependencies, dict) or "pyo3" not in dependencies:
        return []
    name = data.get("lib", {}).get("name") or data.get("package", {}).get("name")
    return [(str(name).replace("-", "_"), [p.removeprefix(base) for p in sorted(rust_files)])] if name else []
