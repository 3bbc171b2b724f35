"""cProfile / profile statistics files (`python -m cProfile -o FILE`, pstats.Stats.dump_stats).

The file is a marshal-encoded dict, read by our restricted decoder (safemarshal), never by
marshal or pickle:

    {(file, first_line, function): (primitive_calls, calls, own_time, cumulative_time,
                                     {caller_key: (primitive_calls, calls, own_time, cumulative_time)})}

Built-in functions have file "~" ("<built-in method zlib.compress>"); the pure-Python
`profile` module names them with file "" and line 0, and stores plain call counts for callers.

cProfile keeps no stacks, so each function becomes a Tally: its own time, its cumulative time
(which already handles recursion) and the cumulative time of the native functions it called
directly (from their callers tables), as seconds.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import META, NATIVE, PYTHON, Frame
from analyzer.evidence.readers.records import CPU, FrameTable, Stream, Tally
from analyzer.evidence.readers.safemarshal import loads
from analyzer.evidence.readers.textfile import read_bytes

Key = tuple[str, int, str]


def read(path: Path) -> Stream:
    stats = _validated(loads(read_bytes(path)))
    if not stats:
        raise EvidenceError("the statistics file holds no functions")
    native_below = _native_below(stats)
    table = FrameTable(_frame)
    records = [Tally(table[key], float(value[2]), float(value[3]), min(native_below[key], float(value[3])))
               for key, value in sorted(stats.items())]
    return Stream(table.frames, iter(records), {CPU: "seconds"})


def _validated(stats: object) -> dict[Key, tuple]:
    if not isinstance(stats, dict):
        raise EvidenceError("not profiler statistics: the top level is not a dict")
    for key, value in stats.items():
        if not (isinstance(key, tuple) and len(key) == 3 and isinstance(key[0], str)
                and isinstance(key[1], int) and isinstance(key[2], str)):
            raise EvidenceError(f"not profiler statistics: key {key!r:.80} is not (file, line, function)")
        if not (isinstance(value, tuple) and len(value) == 5 and all(isinstance(v, (int, float)) for v in value[:4])
                and isinstance(value[4], dict)):
            raise EvidenceError(f"not profiler statistics: the entry of {key[2]!r:.60} is not "
                                "(calls, calls, time, cumulative time, callers)")
    return stats


def _native_below(stats: dict[Key, tuple]) -> dict[Key, float]:
    """Cumulative time of native functions, charged to the functions that called them."""
    below: dict[Key, float] = defaultdict(float)
    for key, value in stats.items():
        if not _is_native(key):
            continue
        for caller, timing in value[4].items():
            if isinstance(timing, tuple) and len(timing) == 4 and isinstance(timing[3], (int, float)):
                below[caller] += float(timing[3])
    return below


def _is_native(key: Key) -> bool:
    return key[0] == "~" or (key[0] == "" and key[1] == 0)


def _frame(key: Key) -> Frame:
    file, line, name = key
    if _is_native(key):
        return Frame(NATIVE, name, label=name)
    if file == "profile" and line == 0:
        return Frame(META, name, label=f"{name} (profile)")
    return Frame(PYTHON, name, file, line, label=f"{name} ({file}:{line})")
