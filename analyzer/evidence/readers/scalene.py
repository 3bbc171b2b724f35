"""Scalene's JSON profile (`scalene run -o FILE prog.py`; older releases: `scalene --json
--outfile FILE --cli prog.py`): CPU time and memory allocated, per line of the profiled code.

    {"elapsed_time_sec": 5.4,
     "files": {"/srv/app/codec.py": {"lines": [{"lineno": 6, "n_cpu_percent_python": 17.2,
                                                "n_cpu_percent_c": 6.9, "n_malloc_mb": 0.0,
                                                "cpu_samples_list": [...], ...}, ...]}}}

Scalene charges a line with the time spent in it, split into Python and native ("C") time;
both are shares of the whole run, converted here to seconds with elapsed_time_sec. Each line
becomes a one-frame stack, with its native part one native frame deeper, so native time counts
as native below the unit holding the line. Scalene keeps no reliable call stacks in every
release, so inclusive time of a caller is its lines' time, not its callees'.

Scalene 2.x can report the same samples under two lines of one loop (identical
cpu_samples_list); the later copy is dropped so a loop is not counted twice.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import NATIVE, PYTHON, Frame
from analyzer.evidence.readers.records import ALLOC, CPU, FrameTable, Stack, Stream
from analyzer.evidence.readers.textfile import load_json

NATIVE_KEY = ("", 0, "native")


def read(path: Path) -> Stream:
    document = load_json(path)
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(files, dict):
        raise EvidenceError("not a Scalene profile: no files object")
    elapsed = document.get("elapsed_time_sec")
    if not isinstance(elapsed, (int, float)) or elapsed <= 0:
        raise EvidenceError("not a Scalene profile: elapsed_time_sec is missing or not positive")
    table = FrameTable(_frame)
    records = list(_records(files, table, float(elapsed)))
    return Stream(table.frames, iter(records), {CPU: "seconds", ALLOC: "MB"})


def _frame(key: tuple[str, int, str]) -> Frame:
    file, line, kind = key
    if kind == "native":
        return Frame(NATIVE, "native code (Scalene C time)", label="native code (Scalene C time)")
    return Frame(PYTHON, "", file, line, label=f"{file}:{line}")


def _records(files: dict, table: FrameTable, elapsed: float) -> Iterator[Stack]:
    native = table[NATIVE_KEY]
    for file in sorted(files):
        lines = files[file].get("lines") if isinstance(files[file], dict) else None
        if not isinstance(lines, list):
            raise EvidenceError(f"file {file!r:.80}: lines is not a list")
        for line, python, c_time, malloc in _distinct_lines(lines, file):
            frame = table[(file, line, "python")]
            yield from _line_stacks(frame, native, python * elapsed / 100, c_time * elapsed / 100, malloc)


def _distinct_lines(lines: list, file: str) -> Iterator[tuple[int, float, float, float]]:
    seen: set[tuple] = set()
    for entry in lines:
        figures = _line(entry, file)
        samples = tuple(entry.get("cpu_samples_list") or ())
        if samples in seen:
            continue
        if samples:
            seen.add(samples)
        yield figures


def _line(entry: object, file: str) -> tuple[int, float, float, float]:
    try:
        values = (entry["lineno"], entry.get("n_cpu_percent_python", 0), entry.get("n_cpu_percent_c", 0),
                  entry.get("n_malloc_mb", 0))
    except (TypeError, KeyError, AttributeError):
        raise EvidenceError(f"file {file!r:.80}: a line entry has no lineno") from None
    if not isinstance(values[0], int) or not all(isinstance(v, (int, float)) and v >= 0 for v in values[1:]):
        raise EvidenceError(f"file {file!r:.80}: line {values[0]!r}: CPU and memory figures must be non-negative numbers")
    return values[0], float(values[1]), float(values[2]), float(values[3])


def _line_stacks(frame: int, native: int, python: float, c_time: float, malloc: float) -> Iterator[Stack]:
    if python:
        yield Stack((frame,), python, CPU)
    if c_time:
        yield Stack((frame, native), c_time, CPU)
    if malloc:
        yield Stack((frame,), malloc, ALLOC)
