"""Parse stage: every file read once, in worker processes, into ParsedFile records.

Input: a reader (the work tree, or git's objects for a revision), the inventory's
SourceFiles with their blob ids where known, and the cache.
Output: one ParsedFile per file, sorted by path. A file that cannot be read or parsed
yields a ParsedFile with `error` set; it never stops the run.

How much is read depends on the file's role: ranked source gets the full walk, tests
and build scripts only their imports (enough to know what they exercise), vendored code
nothing. A file whose result is in the cache (same content, same role, same parser) is not
parsed again. The pool is started by `start()` and collected by `Parsing.result()`, so
the pipeline can do other work while the workers parse.
"""

from __future__ import annotations

import os
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from typing import Callable, Iterator, Protocol, Sequence

from analyzer.infra.background import process_context, quiet_on_interrupt
from analyzer.infra.cache import Cache, blob_id, dumps, file_key, loads
from analyzer.infra.clock import without_cyclic_gc
from analyzer.model import ParsedFile, SourceFile
from analyzer.parse import java, python

PARSERS: dict[str, Callable[[SourceFile, bytes, bool], ParsedFile]] = {
    "python": python.parse_file,
    "java": java.parse_file,
}
SERIAL_BYTES = 1_500_000     # below this, starting workers costs more than it saves
CHUNK_BYTES = 400_000
CACHE_BATCH_BYTES = 4_000_000   # parse results kept in the cache per write

Progress = Callable[[int], None]
Item = tuple[SourceFile, str | None]                 # a file and its blob id, when known
Outcome = tuple[str | None, bytes, bool]             # (cache key, pickled ParsedFile, parsed just now)


class Reader(Protocol):
    """Where file contents come from: a work tree, or a revision's blobs."""
    def read(self, file: SourceFile, blob: str | None) -> bytes: ...


class WorkTree:
    def __init__(self, root: str):
        self.root = root

    def read(self, file: SourceFile, blob: str | None) -> bytes:
        with open(os.path.join(self.root, file.path), "rb") as handle:
            return handle.read()


def _load(reader: Reader, file: SourceFile, blob: str | None) -> tuple[str | None, bytes | None, ParsedFile | None]:
    """(blob id, contents when they had to be read for it, or the result when they cannot
    be read). A revision's blob ids are known; a work tree's files are read and hashed."""
    if blob is not None:
        return blob, None, None
    try:
        data = reader.read(file, None)
    except OSError as exc:
        return None, None, ParsedFile.failed(file, "unreadable", f"cannot read: {exc.strerror or exc}")
    return blob_id(data), data, None


def _parse(reader: Reader, file: SourceFile, blob: str | None, data: bytes | None) -> tuple[ParsedFile, bool]:
    """The file's ParsedFile, and whether it may be cached (not after transient failures)."""
    try:
        data = data if data is not None else reader.read(file, blob)
    except OSError as exc:
        return ParsedFile.failed(file, "unreadable", f"cannot read: {exc.strerror or exc}"), False
    try:
        return PARSERS[file.language](file, data, not ({"test", "build"} & file.tags)), True
    except Exception as exc:  # a parser bug must cost one file, not the scan
        return ParsedFile.failed(file, "internal", f"internal error while parsing: {type(exc).__name__}: {exc}"), False



def _parse_chunk(reader: Reader, items: list[Item], cache: Cache) -> list[Outcome]:
    """Parse a chunk of files, taking what the cache already holds: one cache read per chunk."""
    with without_cyclic_gc():   # ASTs hold no reference cycles; the collector only costs time here
        loaded = [_identify(reader, file, blob) for file, blob in items]
        hits = cache.get("parsed", [entry[2] for entry in loaded if entry[2]])
        return [_outcome(reader, entry, hits) for entry in loaded]


def _identify(reader: Reader, file: SourceFile, blob: str | None):
    """(file, blob id, cache key, contents if read, result if already decided)."""
    if "vendored" in file.tags:   # never ranked and never read: its imports do not matter
        return file, None, None, None, ParsedFile(file, file.module, (), ())
    blob, data, failed = _load(reader, file, blob)
    return file, blob, (file_key(file, blob) if blob else None), data, failed


def _outcome(reader: Reader, entry, hits: dict[str, bytes]) -> Outcome:
    file, blob, key, data, decided = entry
    if decided is not None:
        return None, dumps(decided), False
    if key in hits:
        return key, hits[key], False
    parsed, cacheable = _parse(reader, file, blob, data)
    return (key if cacheable else None), dumps(parsed), cacheable


class Parsing:
    """Parsing under way; `result()` waits for it, keeps what is new in the cache and
    returns the files sorted by path."""

    def __init__(self, reader: Reader, items: Sequence[Item], jobs: int, progress: Progress | None, cache: Cache):
        self._reader, self._items, self._cache = reader, list(items), cache
        self._chunks = _chunks(self._items)
        self._progress = progress or (lambda n: None)
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        if jobs > 1 and sum(f.size for f, _ in self._items) > SERIAL_BYTES:
            self._start_pool(jobs)

    def _start_pool(self, jobs: int) -> None:
        # The pool starts all workers at the first submit, and the workers only parse.
        self._pool = ProcessPoolExecutor(min(jobs, len(self._chunks)), mp_context=process_context(),
                                         initializer=quiet_on_interrupt)
        for chunk in self._chunks:
            future = self._pool.submit(_parse_chunk, self._reader, chunk, self._cache)
            future.add_done_callback(lambda _f, n=len(chunk): self._progress(n))
            self._futures.append(future)

    def result(self, keep_order: bool = False) -> tuple[tuple[ParsedFile, ...], int]:
        """The files sorted by path (or in the order given, with keep_order), and how many
        came from the cache. Each chunk is loaded as it arrives, and kept in the cache a few
        megabytes at a time, while the workers parse the rest (on kafka that was 1.7 s after
        the last chunk; a write per chunk cost 14 ms in commit and close, 125 times)."""
        parsed, reused, fresh, size = {}, 0, [], 0
        for chunk, outcomes in self._outcomes():
            fresh += [(key, payload) for key, payload, new in outcomes if new]
            size += sum(len(payload) for _, payload, new in outcomes if new)
            if size >= CACHE_BATCH_BYTES:
                self._cache.put("parsed", fresh)
                fresh, size = [], 0
            reused += sum(1 for key, _, new in outcomes if key and not new)
            parsed.update((item, self._materialize(item, outcome)) for item, outcome in zip(chunk, outcomes))
        self._cache.put("parsed", fresh)
        if keep_order:
            return tuple(parsed[item] for item in self._items), reused
        return tuple(sorted(parsed.values(), key=lambda p: p.file.path)), reused

    def _outcomes(self) -> Iterator[tuple[list[Item], list[Outcome]]]:
        """Each chunk with its outcomes, in chunk order; on an interrupt the rest is cancelled."""
        if self._pool is None:
            for chunk in self._chunks:
                yield chunk, _parse_chunk(self._reader, chunk, self._cache)
                self._progress(len(chunk))
            return
        try:
            for chunk, future in zip(self._chunks, self._futures):
                yield chunk, future.result()
        except BaseException:
            self._pool.shutdown(wait=False, cancel_futures=True)
            raise
        self._pool.shutdown()
        self._futures.clear()   # each holds a callback that holds this object: a cycle

    def _materialize(self, item: Item, outcome: Outcome) -> ParsedFile:
        """The record itself. A cached result is described as the file is now; one that does
        not load is parsed again and forgotten."""
        key, payload, fresh = outcome
        try:
            parsed = loads(payload)
        except Exception:
            self._cache.drop("parsed", [key] if key else [])
            parsed, _ = _parse(self._reader, item[0], item[1], None)
        return parsed if parsed.file == item[0] else replace(parsed, file=item[0])


def start(reader: Reader, items: Sequence[Item], jobs: int, progress: Progress | None = None,
          cache: Cache | None = None) -> Parsing:
    return Parsing(reader, items, jobs, progress, cache or Cache(None))


def _chunks(items: list[Item]) -> list[list[Item]]:
    """Largest files first, in chunks of similar size, so no worker is left with the tail."""
    chunks, current, size = [], [], 0
    for item in sorted(items, key=lambda i: (-i[0].size, i[0].path)):
        current.append(item)
        size += item[0].size
        if size >= CHUNK_BYTES:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks
