"""Collapsed stacks: one line per distinct stack, frames root first, then a count.

    <module> (app.py:21);main (app.py:15);checksum (pkg/codec.py:6) 112      py-spy --format raw
    java/lang/Thread.run_[j];com/foo/Bar.run_[j];com/foo/Bar.loop_[i] 37       async-profiler -o collapsed
    ...;com/foo/Bar.fill_[j];byte[]_[i] 4096                                 async-profiler -e alloc

Streamed line by line: memory grows with the number of distinct frames, not with the file.
In an allocation profile the top frame names the allocated class; it is dropped, so the
method that allocates is the innermost frame.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Callable, Iterator

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import TYPE, Frame, collapsed_frame, pyspy_frame
from analyzer.evidence.readers.records import ALLOC, CPU, FrameTable, Stack, Stream
from analyzer.evidence.readers.textfile import open_text


def read_pyspy(path: Path) -> Stream:
    return _read(path, pyspy_frame, CPU)


def read_async(path: Path) -> Stream:
    return _read(path, collapsed_frame, CPU)


def read_async_alloc(path: Path) -> Stream:
    return _read(path, partial(collapsed_frame, alloc=True), ALLOC)


def read_generic(path: Path) -> Stream:
    return _read(path, collapsed_frame, CPU)


def _read(path: Path, parse: Callable[[str], Frame], metric: str) -> Stream:
    table = FrameTable(parse)
    return Stream(table.frames, _records(path, table, metric), {metric: "samples"})


def _records(path: Path, table: FrameTable, metric: str) -> Iterator[Stack]:
    lookup, frames = table.__getitem__, table.frames
    with open_text(path) as lines:
        for number, line in enumerate(lines, 1):
            stack, _, count = line.rstrip("\r\n").rpartition(" ")
            if not count and not stack:
                continue
            weight = _count(count, number, line)
            ids = tuple(map(lookup, stack.split(";"))) if stack else ()
            if metric == ALLOC and ids and frames[ids[-1]].kind == TYPE:
                ids = ids[:-1]
            yield Stack(ids, weight, metric)


def _count(text: str, number: int, line: str) -> int:
    if text.isascii() and text.isdigit():
        return int(text)
    if not line.endswith("\n"):
        raise EvidenceError(f"line {number}: the file ends inside a stack line (truncated?)")
    raise EvidenceError(f"line {number}: not a collapsed stack (FRAME;FRAME COUNT); it ends {line.strip()[-50:]!r}")
