"""`perf script` output, folded into stacks as Brendan Gregg's stackcollapse-perf.pl does.

    python3 28573 [001] 2527.199428:    1001001 cpu-clock:ppp:
    \t7f3a12 deflate+0x13 (/usr/lib/x86_64-linux-gnu/libz.so.1.2.13)
    \t55d1a0 py::checksum:/srv/app/codec.py+0x4 (/tmp/perf-28573.map)
    \t55d0f0 _PyEval_EvalFrameDefault+0x1c (/usr/bin/python3.12)
    <blank line>

A header line opens a sample; indented lines are its frames, innermost first; a blank line
ends it. Each sample weighs 1. Python functions appear only where the interpreter tells perf
about them (Python 3.12+ run with `-X perf`: "py::NAME:FILE"), Java methods where a perf map
agent names them ("Lcom/foo/Bar;::run"); every other frame is native or kernel code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import perf_frame
from analyzer.evidence.readers.records import CPU, FrameTable, Stack, Stream
from analyzer.evidence.readers.textfile import open_text

HEADER = re.compile(r"^\S.*?\d+\.\d+:")
FRAME_LINE = re.compile(r"^\s+[0-9a-fA-F]+\s+(?P<symbol>.*?)\s+\((?P<dso>[^()]*)\)\s*$")
_INLINE = re.compile(r":\s+[0-9a-fA-F]+\s+(?P<symbol>\S.*?)\s+\((?P<dso>[^()]*)\)\s*$")


def read(path: Path) -> Stream:
    table = FrameTable(lambda key: perf_frame(*key))
    return Stream(table.frames, _records(path, table), {CPU: "samples"})


def _records(path: Path, table: FrameTable) -> Iterator[Stack]:
    current: list[int] | None = None
    with open_text(path) as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip() or line.startswith("#"):
                if current is not None and not line.startswith("#"):
                    yield Stack(tuple(reversed(current)), 1, CPU)
                    current = None
                continue
            if line[0] in " \t":
                current = _frame(line, number, current, table)
                continue
            if current is not None:
                yield Stack(tuple(reversed(current)), 1, CPU)
            current = _header(line, number, table)
    if current is not None:
        yield Stack(tuple(reversed(current)), 1, CPU)


def _frame(line: str, number: int, current: list[int] | None, table: FrameTable) -> list[int]:
    if current is None:
        raise EvidenceError(f"line {number}: a stack frame before any sample header")
    match = FRAME_LINE.match(line)
    if not match:
        raise EvidenceError(f"line {number}: not a perf script frame (ADDRESS SYMBOL (DSO)): {line.strip()[:80]!r}")
    current.append(table[(match["symbol"], match["dso"])])
    return current


def _header(line: str, number: int, table: FrameTable) -> list[int]:
    """A sample header; without -g perf prints the one frame on the header line itself."""
    if not HEADER.match(line):
        raise EvidenceError(f"line {number}: not a perf script sample header: {line.strip()[:80]!r}")
    inline = _INLINE.search(line)
    return [table[(inline["symbol"], inline["dso"])]] if inline else []
