"""Matching a file path recorded on another machine to a file of the scan.

A profile names files as its machine saw them: "/home/ci/build/src/pkg/codec.py",
"/venv/lib/python3.12/site-packages/pkg/codec.py", py-spy's shortened "pkg/codec.py". The scan
names them relative to the repository: "src/pkg/codec.py". The longest common suffix of path
components decides, with a floor so that a bare file name does not match by accident:

  under site-packages, dist-packages or lib/pythonX.Y: everything after that folder must match
      (the installed package's own path), so "requests/models.py" never matches "app/models.py"
  a relative path (py-spy's shortened names, coverage reports): all of it must match
  an absolute path: at least two components (folder and file), or the whole repository path

Several files matching equally well are all returned; the caller decides with names and lines.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Iterable

_INSTALL_DIRS = frozenset({"site-packages", "dist-packages"})
_STDLIB_DIR = re.compile(r"^python\d+(?:\.\d+)?t?$")
_ABSOLUTE = re.compile(r"^(?:/|[A-Za-z]:[\\/]|\\\\)")
_PY_LIBRARY = re.compile(r"^<frozen |^<string>$|^<stdin>$")
_SOURCE_ROOTS = frozenset({"src", "lib", "python"})
_JAVA_LIBRARY = ("java/", "javax/", "jdk/", "sun/", "com/sun/", "kotlin/", "scala/", "org/openjdk/")


def components(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.replace("\\", "/").split("/") if part and part != ".")


class PathMatcher:
    def __init__(self, paths: Iterable[str], root: str | None = None) -> None:
        self.parts = {path: components(path) for path in paths}
        self.by_name: dict[str, list[str]] = defaultdict(list)
        for path, parts in sorted(self.parts.items()):
            if parts:
                self.by_name[parts[-1]].append(path)
        self.root = components(root) if root else None
        self.cache: dict[str, tuple[str, ...]] = {}

    def match(self, recorded: str) -> tuple[str, ...]:
        """The scanned files that `recorded` most plausibly is (several when equally good)."""
        found = self.cache.get(recorded)
        if found is None:
            found = self.cache[recorded] = self._match(recorded)
        return found

    def _match(self, recorded: str) -> tuple[str, ...]:
        parts = components(recorded)
        if not parts:
            return ()
        inside = self._inside_root(recorded, parts)
        if inside is not None:
            return inside
        best, found = 0, []
        for path in self.by_name.get(parts[-1], ()):
            common = _common_suffix(self.parts[path], parts)
            if common > best:
                best, found = common, [path]
            elif common == best:
                found.append(path)
        floor = _floor(recorded, parts)
        return tuple(path for path in found
                     if best >= min(floor, len(self.parts[path])) and _plausible(self.parts[path], parts, best))

    def _inside_root(self, recorded: str, parts: tuple[str, ...]) -> tuple[str, ...] | None:
        """A path under the scanned root (a profile of this very checkout) matches exactly."""
        if not self.root or not _ABSOLUTE.match(recorded) or parts[:len(self.root)] != self.root:
            return None
        relative = "/".join(parts[len(self.root):])
        return (relative,) if relative in self.parts else ()


def _common_suffix(left: tuple[str, ...], right: tuple[str, ...]) -> int:
    count = 0
    for a, b in zip(reversed(left), reversed(right)):
        if a != b:
            break
        count += 1
    return count


def _plausible(mine: tuple[str, ...], recorded: tuple[str, ...], common: int) -> bool:
    """An installed single-file module ("site-packages/six.py", "lib/python3.12/os.py") is the
    repository's only if the repository keeps that file at its top or in a source folder."""
    anchor = install_anchor(recorded)
    if anchor is None or len(recorded) - anchor - 1 > 1:
        return True
    return len(mine) == common or (len(mine) == common + 1 and mine[0] in _SOURCE_ROOTS)


def _floor(recorded: str, parts: tuple[str, ...]) -> int:
    anchor = install_anchor(parts)
    if anchor is not None:
        return len(parts) - anchor - 1
    if not _ABSOLUTE.match(recorded):
        return len(parts)
    return 2


def install_anchor(parts: tuple[str, ...]) -> int | None:
    """Index of the last site-packages, dist-packages or lib/pythonX.Y folder, if any."""
    for index in range(len(parts) - 2, -1, -1):
        if parts[index] in _INSTALL_DIRS:
            return index
        if _STDLIB_DIR.match(parts[index]) and index > 0 and parts[index - 1] in ("lib", "Lib", "lib64"):
            return index
    return None


def is_python_library(recorded: str) -> bool:
    """Installed packages, the standard library and the interpreter's own frozen modules."""
    return bool(_PY_LIBRARY.match(recorded)) or install_anchor(components(recorded)) is not None


def is_java_library(class_path: str) -> bool:
    """The JDK and language runtimes; other unmapped classes may be anyone's ("unknown")."""
    return class_path.startswith(_JAVA_LIBRARY) or "$$" in class_path
