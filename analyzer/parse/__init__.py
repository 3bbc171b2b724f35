"""Parse stage: every file read once, in worker processes, into ParsedFile records.

Input: the repository root and the inventory's SourceFiles.
Output: one ParsedFile per file, sorted by path. A file that cannot be read or parsed
yields a ParsedFile with `error` set; it never stops the run.

How much is read depends on the file's role: ranked source gets the full walk, tests
and build scripts only their imports (enough to know what they exercise), vendored code
nothing. The pool is started by `start()` and collected by `Parsing.result()`, so the
pipeline can read git history while the workers parse.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Callable, Sequence

from analyzer.model import FileError, ParsedFile, SourceFile
from analyzer.parse import java, python

PARSERS: dict[str, Callable[[SourceFile, bytes, bool], ParsedFile]] = {
    "python": python.parse_file,
    "java": java.parse_file,
}
SERIAL_BYTES = 1_500_000     # below this, starting workers costs more than it saves
CHUNK_BYTES = 400_000

Progress = Callable[[int], None]


def parse_one(root: str, file: SourceFile) -> ParsedFile:
    """Read and parse one file; any failure becomes the file's error, never an exception."""
    if "vendored" in file.tags:
        return ParsedFile(file, file.module, (), ())
    try:
        with open(os.path.join(root, file.path), "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return _error(file, "unreadable", f"cannot read: {exc.strerror or exc}")
    try:
        return PARSERS[file.language](file, data, not ({"test", "build"} & file.tags))
    except Exception as exc:  # a parser bug must cost one file, not the scan
        return _error(file, "internal", f"internal error while parsing: {type(exc).__name__}: {exc}")


def _error(file: SourceFile, kind: str, message: str) -> ParsedFile:
    return ParsedFile(file, file.module, (), (), error=FileError(file.path, message, kind))


def _parse_chunk(root: str, files: list[SourceFile]) -> list[ParsedFile]:
    gc.disable()   # ASTs hold no reference cycles; the cyclic collector only costs time here
    try:
        return [parse_one(root, f) for f in files]
    finally:
        gc.enable()


class Parsing:
    """Parsing under way; `result()` waits for it and returns files sorted by path."""

    def __init__(self, root: str, files: Sequence[SourceFile], jobs: int, progress: Progress | None):
        self._root, self._files, self._progress = root, list(files), progress or (lambda n: None)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        total = sum(f.size for f in self._files)
        if jobs > 1 and total > SERIAL_BYTES:
            self._start_pool(jobs)

    def _start_pool(self, jobs: int) -> None:
        # fork on Linux: workers start at once and need no re-import (spawn and forkserver
        # re-run the caller's __main__, which breaks library use without a main guard).
        # The pool forks all workers at the first submit, and the workers only parse.
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        self._pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method))
        for chunk in _chunks(self._files):
            future = self._pool.submit(_parse_chunk, self._root, chunk)
            future.add_done_callback(lambda _f, n=len(chunk): self._progress(n))
            self._futures.append(future)

    def result(self) -> tuple[ParsedFile, ...]:
        if self._pool is None:
            parsed = []
            for chunk in _chunks(self._files):
                parsed.extend(_parse_chunk(self._root, chunk))
                self._progress(len(chunk))
        else:
            with self._pool:
                parsed = [p for future in self._futures for p in future.result()]
            self._futures.clear()   # each holds a callback that holds this object: a cycle
        return tuple(sorted(parsed, key=lambda p: p.file.path))


def start(root: str, files: Sequence[SourceFile], jobs: int, progress: Progress | None = None) -> Parsing:
    return Parsing(root, files, jobs, progress)


def _chunks(files: list[SourceFile]) -> list[list[SourceFile]]:
    """Largest files first, in chunks of similar size, so no worker is left with the tail."""
    chunks, current, size = [], [], 0
    for f in sorted(files, key=lambda f: (-f.size, f.path)):
        current.append(f)
        size += f.size
        if size >= CHUNK_BYTES:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks
