"""Inventory stage: which files to read, in which language, and in which role.

Input: the scan root, the file list from git (or None outside git), include/exclude globs,
a size cap. Output: SourceFiles sorted by path, and FileErrors for files that are skipped
for cause (over the size cap, symlinks leaving the repository).

Roles are tags: "test", "vendored", "build" and "docs" (documentation, examples and
benchmarks) files are read for what they reference but never ranked; "script" is known only
after parsing, from what files import (scripts.py). Python module names come
from the package structure (directories with __init__.py), so `src/pkg/mod.py` is `pkg.mod`.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections import Counter
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

from analyzer.inventory.backend import build_code
from analyzer.model import FileError, SourceFile, TreeEntry

LANGUAGES = {".py": "python", ".java": "java"}
SKIP_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", ".mypy_cache", ".pytest_cache",
                       ".ruff_cache", ".idea", ".vscode"})
TEST_DIRS = frozenset({"test", "tests", "testing", "__tests__"})
# "external" is not here: projects use it for their own integration code (sympy/external).
VENDORED_DIRS = frozenset({"vendor", "vendored", "_vendor", "third_party", "thirdparty", "3rdparty",
                           "node_modules", "site-packages", ".venv", "venv", ".tox", ".nox", ".eggs"})
BUILD_DIRS = frozenset({"build", "dist", "target", ".github", "migrations", "out"})
DOCS_DIRS = frozenset({"docs", "doc", "examples", "example", "samples", "benchmarks", "benchmark", "bench", "jmh"})
BUILD_FILES = frozenset({"setup.py", "noxfile.py", "fabfile.py", "conftest.py", "manage.py",
                         "build.gradle", "pom.xml"})
TEST_FILE = re.compile(r"(^test_.*\.py$|.*_test\.py$|.*(Test|Tests|IT|TestCase)\.java$)")
_MANIFEST_BYTES = 1 << 20   # a pyproject.toml or Cargo.toml is a few KB; a larger one is not read
# a benchmark drives the code it times: what it calls counts, its own loops are not the product's
BENCH_FILE = re.compile(r"(^bench(mark)?s?(_.*)?\.py$|.*_bench(mark)?s?\.py$|.*Benchmarks?\.java$)")


def unranked_folders(files: Sequence[SourceFile], limit: int = 100) -> tuple[str, ...]:
    """The topmost folders holding only files that are never ranked (tests, vendored code,
    docs), the `limit` largest: git can skip diffing them where only ranked code matters.
    Folder prefixes, not globs: `**` globs make git's pathspec matching slow (kafka's
    one-year window: 3.3 s with 29 globs, 1.5 s with its 55 test folders)."""
    ranked = {folder for f in files if f.ranked for folder in _folders(f.path)}
    sizes: Counter[str] = Counter()
    for f in files:
        top = None if f.ranked else next((d for d in _folders(f.path) if d not in ranked), None)
        if top is not None:
            sizes[top] += 1
    return tuple(sorted(folder for folder, _ in sizes.most_common(limit)))


def _folders(path: str) -> list[str]:
    """"a/b/c.py" -> ["a", "a/b"], outermost first."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def discover(root: Path, scope: str, tracked: Sequence[str] | None, include: Sequence[str],
             exclude: Sequence[str], max_bytes: int) -> tuple[tuple[SourceFile, ...], tuple[FileError, ...]]:
    """Source files under `scope` (a repo-relative folder, "" for all) of the tree at `root`."""
    errors: list[FileError] = []
    paths = _select(_named(tracked if tracked is not None else _walk(root, errors), errors), scope, include, exclude)
    packages = _packages(paths)
    files = []
    for path in paths:
        problem = _problem(root, path, max_bytes)
        if problem is None:
            files.append(source_file(path, (root / path).stat().st_size, packages))
        elif problem.kind:
            errors.append(problem)
    return tuple(files), tuple(sorted(errors, key=lambda e: e.path))


def discover_tree(entries: Sequence[TreeEntry], scope: str, include: Sequence[str], exclude: Sequence[str],
                  max_bytes: int) -> tuple[tuple[SourceFile, ...], tuple[FileError, ...], dict[str, str]]:
    """The same for a commit's tree, read from git's objects: (files, errors, blob id by path).
    Symlinks and submodules are not files of this repository's code."""
    files, errors = [], []
    by_path = _regular(entries)
    paths = _select(_named(by_path, errors), scope, include, exclude)
    packages = _packages(paths)
    for path in paths:
        size = by_path[path].size
        if size > max_bytes:
            errors.append(_too_big(path, size, max_bytes))
        else:
            files.append(source_file(path, size, packages))
    return tuple(files), tuple(errors), {f.path: by_path[f.path].blob for f in files}


def declared_build(root: Path, listed: Sequence[str]) -> tuple[str, ...]:
    """The build code the work tree's pyproject.toml files declare (backend.py), among
    `listed` (repo-relative, the whole tree)."""
    return build_code(listed, lambda path: manifest(root, path))


def declared_build_tree(entries: Sequence[TreeEntry], read_blob: Callable[[str], bytes | None]) -> tuple[str, ...]:
    """The same for a commit's tree: each manifest read from its blob."""
    by_path = _regular(entries)
    return build_code(by_path, lambda path: toml_document(read_blob(by_path[path].blob))
                      if by_path[path].size <= _MANIFEST_BYTES else {})


def _regular(entries: Sequence[TreeEntry]) -> dict[str, TreeEntry]:
    return {e.path: e for e in entries if e.mode in ("100644", "100755")}


def _named(paths, errors: list[FileError]) -> list[str]:
    """The paths whose names are UTF-8; the others are listed as errors under a readable form
    of their name (every output is UTF-8, and such a name cannot be written in one)."""
    named = []
    for path in paths:
        try:
            path.encode("utf-8")
            named.append(path)
        except UnicodeEncodeError:
            if _language(path):
                shown = path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                errors.append(FileError(shown, "file name is not UTF-8; not read (rename it to scan it)", "encoding"))
    return named


def _select(paths, scope: str, include: Sequence[str], exclude: Sequence[str]) -> list[str]:
    return sorted(p for p in paths if _in_scope(p, scope) and _language(p) and _selected(p, include, exclude))


def _packages(paths: Sequence[str]) -> set[str]:
    return {str(PurePosixPath(p).parent) for p in paths if p.endswith("/__init__.py")}


def listing(root: Path) -> list[str]:
    """Every file below root, outside git (folders that cannot be read are left out)."""
    return _walk(root, [])


def _walk(root: Path, unreadable: list[FileError]) -> list[str]:
    """Every file below root, without following directory symlinks; folders that cannot be
    listed are reported, not skipped in silence. A loop, not recursion (os.walk recurses
    on Python 3.11, and a tree can be deeper than the interpreter's stack)."""
    found, pending = [], [""]
    while pending:
        rel = pending.pop()
        try:
            with os.scandir(root / rel if rel else root) as entries:
                listed = sorted((e.name, e.is_dir(follow_symlinks=False)) for e in entries)
        except OSError as exc:
            unreadable.append(FileError(rel or ".", f"folder not read: {exc.strerror or exc}", "unreadable"))
            continue
        found.extend(f"{rel}/{name}" if rel else name for name, is_dir in listed if not is_dir)
        pending.extend(f"{rel}/{name}" if rel else name for name, is_dir in reversed(listed)
                       if is_dir and name not in SKIP_DIRS)
    return found


def _in_scope(path: str, scope: str) -> bool:
    return not scope or path == scope or path.startswith(scope.rstrip("/") + "/")


def _language(path: str) -> str | None:
    return LANGUAGES.get(suffix(path))


def file_name(path: str) -> str:
    """PurePosixPath(path).name for a repository path, without building a path object (asked
    of every file: kafka has 12k)."""
    return path.rpartition("/")[2]


def suffix(path: str) -> str:
    """PurePosixPath(path).suffix, the same way: `.py`; none for `.bashrc` or `name.`."""
    name = file_name(path)
    dot = name.rfind(".")
    return name[dot:] if 0 < dot < len(name) - 1 else ""


def _selected(path: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    if include and not any(glob_match(g, path) for g in include):
        return False
    return not any(glob_match(g, path) for g in exclude)


def glob_match(pattern: str, path: str) -> bool:
    """gitignore-like: `*` stays within a folder, `**` crosses folders, and a pattern without
    a slash matches a file or folder name at any depth."""
    if "/" not in pattern.rstrip("/"):
        pattern = f"**/{pattern.rstrip('/')}"
    return bool(_glob_regex(pattern.rstrip("/")).match(path))


@lru_cache(maxsize=256)
def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        else:
            ch = pattern[i]
            out.append("[^/]*" if ch == "*" else "[^/]" if ch == "?" else re.escape(ch))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?$")


def _problem(root: Path, path: str, max_bytes: int) -> FileError | None:
    """Why a listed file is not read, if it is not: FileError(kind="") means skip silently."""
    full = root / path
    if full.is_symlink():
        target = Path(os.path.realpath(full))
        if not target.is_relative_to(Path(os.path.realpath(root))):
            return FileError(path, "symlink points outside the repository; not followed", "symlink")
        return FileError(path, "", "")   # the target is scanned under its own name
    try:
        info = full.stat()
    except OSError:
        return FileError(path, "", "")   # listed by git but deleted from the work tree
    if not stat.S_ISREG(info.st_mode):   # a FIFO or device named *.py would block the reader
        return FileError(path, "not a regular file; not read", "special")
    return _too_big(path, info.st_size, max_bytes) if info.st_size > max_bytes else None


def manifest(root: Path, path: str) -> dict:
    """A TOML build file (pyproject.toml, Cargo.toml) under `root`, read only if it is a
    regular file of a sane size: not a FIFO (it would block), nor a symlink (which may leave
    the repository)."""
    full = root / path
    try:
        info = full.lstat()
        data = full.read_bytes() if stat.S_ISREG(info.st_mode) and info.st_size <= _MANIFEST_BYTES else None
    except OSError:
        data = None
    return toml_document(data)


def toml_document(data: bytes | None) -> dict:
    """A TOML file's tables; empty when it is missing or not TOML (packaging tools report
    that; a scan does not judge it)."""
    try:
        return tomllib.loads(data.decode("utf-8")) if data is not None else {}
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _too_big(path: str, size: int, max_bytes: int) -> FileError:
    return FileError(path, f"skipped: {size / 1e6:.1f} MB is over the {max_bytes / 1e6:.1f} MB cap (max_file_kb)",
                     "size")


def source_file(path: str, size: int, packages: set[str]) -> SourceFile:
    language = _language(path) or ""
    module = python_module(path, packages) if language == "python" else ""
    return SourceFile(path, language, size, module, frozenset(tags(path)))


def python_module(path: str, packages: set[str]) -> str:
    pure = PurePosixPath(path)
    parts = [] if pure.name == "__init__.py" else [pure.stem]
    folder = pure.parent
    while str(folder) in packages:
        parts.append(folder.name)
        folder = folder.parent
    return ".".join(reversed(parts))


def tags(path: str) -> set[str]:
    *parts, name = path.split("/")
    folders = set(parts)
    found = set()
    if folders & TEST_DIRS or TEST_FILE.match(name) or "src/test" in path:
        found.add("test")
    if folders & VENDORED_DIRS:
        found.add("vendored")
    if folders & BUILD_DIRS or name in BUILD_FILES:
        found.add("build")
    if folders & DOCS_DIRS or parts[:1] == ["doc"] or BENCH_FILE.match(name):
        found.add("docs")
    return found
