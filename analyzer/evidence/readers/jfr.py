"""Java Flight Recorder recordings as the JDK prints them: `jfr print --json FILE.jfr`.

    {"recording": {"events": [
      {"type": "jdk.ExecutionSample",
       "values": {"stackTrace": {"truncated": false, "frames": [
           {"method": {"type": {"name": "com/foo/Codec", ...}, "name": "checksum",
                       "descriptor": "([B)I", ...},
            "lineNumber": 6, "bytecodeIndex": 12, "type": "JIT compiled"}, ...]}, ...}},
      {"type": "jdk.ObjectAllocationSample", "values": {"stackTrace": {...}, "weight": 2096576, ...}}]}}

Frames are listed innermost first. jdk.ExecutionSample events are CPU samples (weight 1);
jdk.ObjectAllocationSample (weight: bytes the sample stands for), jdk.ObjectAllocationInNewTLAB
(tlabSize) and jdk.ObjectAllocationOutsideTLAB (allocationSize) are allocation samples in
bytes. Other events are skipped. Frames of type "Native" are native methods: native code.
The file is streamed event by event (readers/jsonstream.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import JAVA, NATIVE, Frame, descriptor_params
from analyzer.evidence.readers.records import ALLOC, CPU, FrameTable, Stack, Stream
from analyzer.evidence.readers.jsonstream import iter_array
from analyzer.evidence.readers.textfile import open_text

CPU_EVENTS = frozenset({"jdk.ExecutionSample"})
ALLOC_WEIGHTS = {"jdk.ObjectAllocationSample": "weight", "jdk.ObjectAllocationInNewTLAB": "tlabSize",
                 "jdk.ObjectAllocationOutsideTLAB": "allocationSize"}
FrameKey = tuple[str, str, str, int, str]


def read(path: Path) -> Stream:
    table = FrameTable(_frame)
    return Stream(table.frames, _records(path, table), {CPU: "samples", ALLOC: "bytes"})


def _records(path: Path, table: FrameTable) -> Iterator[Stack]:
    found = 0
    with open_text(path) as stream:
        for number, event in enumerate(iter_array(stream, "events"), 1):
            kind = event.get("type")
            if kind not in CPU_EVENTS and kind not in ALLOC_WEIGHTS:
                continue
            found += 1
            values = event.get("values")
            if not isinstance(values, dict):
                raise EvidenceError(f"event {number} ({kind}) has no values object")
            frames = tuple(table[_key(frame, number)] for frame in reversed(_frames(values, number)))
            if kind in CPU_EVENTS:
                yield Stack(frames, 1, CPU)
            else:
                yield Stack(frames, _weight(values, ALLOC_WEIGHTS[kind], number), ALLOC)
    if not found:
        raise EvidenceError("no jdk.ExecutionSample or allocation events (print them with "
                            "jfr print --json --events jdk.ExecutionSample,jdk.ObjectAllocationSample)")


def _frames(values: dict, number: int) -> list:
    trace = values.get("stackTrace")
    if trace is None:
        return []
    frames = trace.get("frames") if isinstance(trace, dict) else None
    if not isinstance(frames, list):
        raise EvidenceError(f"event {number}: stackTrace.frames is not a list")
    return frames


def _key(frame: object, number: int) -> FrameKey:
    try:
        method = frame["method"]
        cls, name = method["type"]["name"], method["name"]
        key = (cls, name, method.get("descriptor") or "", frame.get("lineNumber") or 0, frame.get("type") or "")
    except (TypeError, KeyError, AttributeError):
        raise EvidenceError(f"event {number}: a frame lacks method.type.name or method.name") from None
    if not isinstance(cls, str) or not isinstance(name, str) or not isinstance(key[3], int):
        raise EvidenceError(f"event {number}: a frame's class, method or line has the wrong type")
    return key


def _weight(values: dict, field: str, number: int) -> float:
    weight = values.get(field, 1)
    if not isinstance(weight, (int, float)) or weight < 0:
        raise EvidenceError(f"event {number}: {field} is not a non-negative number")
    return weight


def _frame(key: FrameKey) -> Frame:
    cls, name, descriptor, line, kind = key
    cls = cls.replace(".", "/")
    label = f"{cls.replace('/', '.')}.{name}" + (f":{line}" if line else "")
    if kind == "Native":
        return Frame(NATIVE, f"{cls}.{name}", label=label)
    return Frame(JAVA, name, cls, line, descriptor_params(descriptor) if descriptor else None, label)
