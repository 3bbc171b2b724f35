"""Profile readers: each turns one file format into the same neutral stream of records.

A reader is `read(path) -> Stream`. It may raise EvidenceError at once (a file it cannot
start on) or while its records are consumed (a line it cannot read): the file is then left
out whole, so a truncated profile never counts half.

Records:
  Stack  one stack (root first) and its weight: samples, seconds, bytes or MB
  Tally  one function of a deterministic profiler that keeps no stacks (cProfile): its own
         time, its cumulative time and the time of native functions it called directly
Frames are numbers into Stream.frames, which a reader fills as it meets new frames: a huge
profile repeats a few thousand distinct frames millions of times, and each is parsed (and
later mapped to a unit) once.
"""

from __future__ import annotations

from typing import Mapping

from analyzer.evidence.readers.records import (ALLOC, CPU, FrameTable, Reader, Record, Stack, Stream,  # noqa: F401
                                               Tally)


def readers() -> Mapping[str, Reader]:
    """Format id -> reader. Imported here, not at module level, to keep each reader's imports
    (xml, json) out of the others' way."""
    from analyzer.evidence.readers import collapsed, jfr, perf, pstats, scalene, speedscope
    return {
        "pyspy-raw": collapsed.read_pyspy,
        "async-collapsed": collapsed.read_async,
        "async-collapsed-alloc": collapsed.read_async_alloc,
        "collapsed": collapsed.read_generic,
        "perf-script": perf.read,
        "speedscope": speedscope.read,
        "pstats": pstats.read,
        "scalene": scalene.read,
        "jfr-json": jfr.read,
    }
