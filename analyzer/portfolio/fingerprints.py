"""Content hashes of candidates: the same code in two places has the same hash, whatever
its name, path or repository.

A unit's text is the source of its lines at the head commit, normalised so that copying
does not change it: line endings, trailing spaces, blank lines and a common indentation
(a function copied into a class as a method) do not count. The language and kind are part
of the hash. A package or component (no lines of its own) hashes its member files' texts,
as a set: the same files in another folder are the same component.

Units of fewer than MIN_LINES normalised lines get no hash: every project has an empty
`__init__.py` and a two-line getter, and grouping those says nothing about porting.
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path
from typing import Callable, Iterable, Mapping

MIN_LINES = 3
Reader = Callable[[str], list[str] | None]     # repository path -> its lines, or None when unreadable


def fingerprints(candidates: Iterable[Mapping], root: Path) -> dict[str, str]:
    """Candidate id -> content hash, for the candidates of a scan document whose files are
    read from the checkout at `root` (a clean work tree of the head commit)."""
    read = _reader(root)
    found = {}
    for candidate in candidates:
        digest = fingerprint(candidate, read)
        if digest is not None:
            found[candidate["id"]] = digest
    return found


def fingerprint(candidate: Mapping, read: Reader) -> str | None:
    members = candidate.get("members") or ()
    if members:
        texts = [_file_text(read, path) for path in members]
        if any(t is None for t in texts) or sum(t.count("\n") + 1 for t in texts if t) < MIN_LINES:
            return None
        text = "\n".join(sorted(_digest(t) for t in texts))
    else:
        text = _unit_text(read, candidate["path"], candidate["lines"])
        if text is None or text.count("\n") + 1 < MIN_LINES:
            return None
    return _digest(f"{candidate['language']}\n{candidate['kind']}\n{text}")[:16]


def normalized(lines: Iterable[str]) -> str:
    kept = [line.rstrip() for line in lines if line.strip()]
    return textwrap.dedent("\n".join(kept))


def _unit_text(read: Reader, path: str, lines) -> str | None:
    start, end = lines
    source = read(path)
    if source is None or start < 1 or end < start:
        return None
    return normalized(source[start - 1:end])


def _file_text(read: Reader, path: str) -> str | None:
    source = read(path)
    return None if source is None else normalized(source)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reader(root: Path) -> Reader:
    cache: dict[str, list[str] | None] = {}

    def read(path: str) -> list[str] | None:
        if path not in cache:
            cache[path] = _lines(root, path)
        return cache[path]
    return read


def _lines(root: Path, path: str) -> list[str] | None:
    target = (root / path)
    try:
        if not target.resolve().is_relative_to(root.resolve()):   # a symlink out of the checkout
            return None
        return target.read_bytes().decode("utf-8", "replace").splitlines()
    except OSError:
        return None
