"""speedscope's JSON file format (https://www.speedscope.app/file-format-schema.json), as
py-spy writes it with `--format speedscope`.

    {"shared": {"frames": [{"name": "checksum", "file": "/srv/app/codec.py", "line": 6}, ...]},
     "profiles": [{"type": "sampled", "unit": "seconds", "samples": [[0, 3, 4], ...],
                   "weights": [0.01, ...]}, ...]}

Sampled profiles list stacks root first with one weight each; evented profiles list open and
close events in time order, and a stack weighs the time until the next event. One profile per
thread; all are summed. Time units are converted to seconds; "bytes" makes an allocation
profile; "none" counts samples.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import NATIVE, PYTHON, Frame, collapsed_frame, is_python_file
from analyzer.evidence.readers.records import ALLOC, CPU, FrameTable, Stack, Stream
from analyzer.evidence.readers.textfile import load_json

_TIME = {"seconds": 1.0, "milliseconds": 1e-3, "microseconds": 1e-6, "nanoseconds": 1e-9}


def read(path: Path) -> Stream:
    document = load_json(path)
    frames, profiles = _parts(document)
    unit = _unit(profiles)
    metric = ALLOC if unit == "bytes" else CPU
    scale = _TIME.get(unit, 1.0)
    table = FrameTable(lambda index: _frame(frames, index))
    records = _records(profiles, table, metric, scale, len(frames))
    shown = "seconds" if unit in _TIME else ("bytes" if unit == "bytes" else "samples")
    exporter = str(document.get("exporter") or "")
    tool = f"{exporter.partition('@')[0]} speedscope" if exporter else ""
    return Stream(table.frames, records, {metric: shown}, tool)


def _parts(document: object) -> tuple[list, list]:
    try:
        frames, profiles = document["shared"]["frames"], document["profiles"]
    except (TypeError, KeyError):
        raise EvidenceError("not a speedscope file: no shared.frames or profiles") from None
    if not isinstance(frames, list) or not isinstance(profiles, list) or not profiles:
        raise EvidenceError("not a speedscope file: shared.frames and profiles must be non-empty lists")
    return frames, profiles


def _unit(profiles: list) -> str:
    units = {profile.get("unit", "none") if isinstance(profile, dict) else None for profile in profiles}
    if None in units:
        raise EvidenceError("a speedscope profile is not an object")
    if len(units) > 1:
        raise EvidenceError(f"profiles in different units ({', '.join(sorted(units))}); split the file")
    return units.pop()


def _frame(frames: list, index: int) -> Frame:
    entry = frames[index]
    name = str(entry.get("name", "")) if isinstance(entry, dict) else ""
    file = str(entry.get("file") or "") if isinstance(entry, dict) else ""
    line = entry.get("line") if isinstance(entry, dict) else None
    line = line if isinstance(line, int) else 0
    label = f"{name} ({file}:{line})" if file else name
    if file:
        return Frame(PYTHON if is_python_file(file) else NATIVE, name, file, line, label=label)
    return collapsed_frame(name)


def _records(profiles: list, table: FrameTable, metric: str, scale: float, count: int) -> Iterator[Stack]:
    for number, profile in enumerate(profiles):
        kind = profile.get("type")
        if kind == "sampled":
            yield from _sampled(profile, number, table, metric, scale, count)
        elif kind == "evented":
            yield from _evented(profile, number, table, metric, scale, count)
        else:
            raise EvidenceError(f"profile {number}: unknown type {kind!r} (sampled or evented)")


def _sampled(profile: dict, number: int, table: FrameTable, metric: str, scale: float,
             count: int) -> Iterator[Stack]:
    samples, weights = profile.get("samples"), profile.get("weights")
    if not isinstance(samples, list) or not isinstance(weights, list) or len(samples) != len(weights):
        raise EvidenceError(f"profile {number}: samples and weights must be lists of the same length")
    for stack, weight in zip(samples, weights):
        if not isinstance(stack, list) or not all(isinstance(i, int) and 0 <= i < count for i in stack):
            raise EvidenceError(f"profile {number}: a sample names a frame that does not exist")
        if not isinstance(weight, (int, float)) or weight < 0:
            raise EvidenceError(f"profile {number}: a sample weight is not a non-negative number")
        yield Stack(tuple(map(table.__getitem__, stack)), weight * scale, metric)


def _evented(profile: dict, number: int, table: FrameTable, metric: str, scale: float,
             count: int) -> Iterator[Stack]:
    stack: list[int] = []
    last = profile.get("startValue", 0)
    for event in profile.get("events") or ():
        try:
            kind, frame, at = event["type"], event["frame"], event["at"]
        except (TypeError, KeyError):
            raise EvidenceError(f"profile {number}: an event lacks type, frame or at") from None
        if not isinstance(frame, int) or not 0 <= frame < count:
            raise EvidenceError(f"profile {number}: an event names a frame that does not exist")
        if stack and at > last:
            yield Stack(tuple(stack), (at - last) * scale, metric)
        last = at
        if kind == "O":
            stack.append(table[frame])
        elif kind == "C" and stack:
            stack.pop()

