"""Build code a project declares in its pyproject.toml: read from the declaration, never
from a file's or a folder's name.

- An in-tree build backend (PEP 517): `[build-system]` names the backend module
  (`build-backend`) and the folders it ships on (`backend-path`); the backend's package (or
  module) is build code. Other files on that path are not.
- A build tool's own hook script: hatchling's custom hooks (`path`, by default
  hatch_build.py), pdm-backend's (`custom-hook`, by default pdm_build.py), Poetry's build
  script (`[tool.poetry.build] script`).

The packaging front end runs such code to build the project; its users never do. Declared
code that no test imports is tagged "build" after parsing: read for what it references, never
ranked (an in-tree backend's option parsing once held the first five rows of a data-structure
library). Declared code that tests import is what the project ships: setuptools, flit_core
and hatchling name themselves as their own backend, and stay ranked.
"""

from __future__ import annotations

import posixpath
from typing import Callable, Iterable, Sequence

from analyzer.inventory.scripts import imported_modules, tagged
from analyzer.model import ParsedFile

MANIFEST = "pyproject.toml"


def build_code(listed: Iterable[str], read: Callable[[str], dict]) -> tuple[str, ...]:
    """The build code the listed pyproject.toml files declare: package folders (ending in "/")
    and module files, repository-relative. `read` gives a manifest's tables (empty when it
    cannot be read)."""
    found: set[str] = set()
    for path in listed:
        folder, _, name = path.rpartition("/")
        if name == MANIFEST:
            document = read(path)
            found.update(_within(folder, [*_backend(_table(document, "build-system")), *_hooks(document)]))
    return tuple(sorted(found))


def tag_build_code(parsed: Sequence[ParsedFile], declared: tuple[str, ...]) -> tuple[ParsedFile, ...]:
    """The parsed files, each declared piece of build code that no test imports tagged "build"."""
    if not declared:
        return tuple(parsed)
    tested = {name for pf in parsed if "test" in pf.file.tags for name in imported_modules(pf.imports)}
    build: set[str] = set()
    for piece in declared:
        files = [pf for pf in parsed if _in(pf.file.path, piece) and pf.file.ranked]
        if not any(pf.file.module and pf.file.module in tested for pf in files):
            build.update(pf.file.path for pf in files)
    return tuple(tagged(pf, "build") if pf.file.path in build else pf for pf in parsed)


def _in(path: str, piece: str) -> bool:
    return path.startswith(piece) if piece.endswith("/") else path == piece


def _table(document: dict, key: str) -> dict:
    found = document.get(key)
    return found if isinstance(found, dict) else {}


def _backend(system: dict) -> list[str]:
    """The in-tree backend's package and module, relative to the project."""
    backend, folders = system.get("build-backend"), system.get("backend-path")
    if not isinstance(backend, str) or not isinstance(folders, list):
        return []   # a backend installed from an index, not shipped here
    top = backend.partition(":")[0].partition(".")[0].strip()
    shipped = [posixpath.join(folder, top) for folder in folders if top and isinstance(folder, str)]
    return [found for base in shipped for found in (f"{base}/", f"{base}.py")]


def _hooks(document: dict) -> list[str]:
    """The build tools' hook scripts, relative to the project (each tool's documented default
    when its hook table names no file)."""
    tool, backend = _table(document, "tool"), _table(document, "build-system").get("build-backend")
    hatch = _table(tool, "hatch")
    build = _table(hatch, "build")
    tables = [_table(build, "hooks"), _table(_table(hatch, "metadata"), "hooks"),
              *(_table(target, "hooks") for target in _table(build, "targets").values() if isinstance(target, dict))]
    found = [_table(t, "custom").get("path", "hatch_build.py") for t in tables if "custom" in t]
    if backend == "pdm.backend":
        found.append(_table(_table(tool, "pdm"), "build").get("custom-hook", "pdm_build.py"))
    poetry = _table(tool, "poetry").get("build")
    found.append(poetry.get("script") if isinstance(poetry, dict) else poetry)
    return [path for path in found if isinstance(path, str)]


def _within(project: str, relative: list[str]) -> list[str]:
    """Repository paths of the project's build code; none outside the source tree (PEP 517)."""
    found = []
    for path in relative:
        joined = posixpath.normpath(posixpath.join(project, path)) + ("/" if path.endswith("/") else "")
        if joined not in (".", "..", "./", "../") and not joined.startswith(("../", "/")):
            found.append(joined)
    return found
