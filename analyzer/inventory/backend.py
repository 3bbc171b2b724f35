"""In-tree build backends (PEP 517), read from the project's own declaration.

A pyproject.toml whose `[build-system]` names a backend it ships (`backend-path`, with
`build-backend` naming the module) keeps that backend's code in the repository: the packaging
front end runs it to build the project; the project's users never do. Its package (or module)
is tagged "build": read for what it references, never ranked (a backend's option parsing once
held the first five rows of a data-structure library). The declaration decides, never a
folder's name: a backend-path folder can hold other code, and only the backend's own package
is tagged.
"""

from __future__ import annotations

import posixpath
import tomllib
from typing import Callable, Iterable

MANIFEST = "pyproject.toml"


def backend_code(listed: Iterable[str], read: Callable[[str], bytes | None]) -> tuple[str, ...]:
    """The in-tree build backends the listed pyproject.toml files declare: package folders
    (ending in "/") and module files, repository-relative. `read` gives a file's bytes, or
    None when it cannot."""
    found: set[str] = set()
    for path in listed:
        folder, _, name = path.rpartition("/")
        if name == MANIFEST:
            found.update(_declared(folder, _build_system(read(path))))
    return tuple(sorted(found))


def in_backend(path: str, backends: tuple[str, ...]) -> bool:
    return any(path.startswith(b) if b.endswith("/") else path == b for b in backends)


def _build_system(data: bytes | None) -> dict:
    """The [build-system] table; empty when the file is missing or not TOML (packaging tools
    report that; a scan does not judge it)."""
    try:
        system = tomllib.loads(data.decode("utf-8")).get("build-system") if data is not None else None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
    return system if isinstance(system, dict) else {}


def _declared(project: str, system: dict) -> list[str]:
    backend, folders = system.get("build-backend"), system.get("backend-path")
    if not isinstance(backend, str) or not isinstance(folders, list):
        return []   # a backend installed from an index, not shipped here
    top = backend.partition(":")[0].partition(".")[0].strip()
    found = []
    for folder in folders:
        base = posixpath.normpath(posixpath.join(project, folder, top)) if top and isinstance(folder, str) else ""
        if base and base != ".." and not base.startswith(("../", "/")):   # PEP 517: within the source tree only
            found += [f"{base}/", f"{base}.py"]
    return found
