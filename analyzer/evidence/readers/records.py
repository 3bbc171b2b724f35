"""The neutral records every profile reader yields (see the package's docstring)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from analyzer.evidence.frames import Frame

CPU, ALLOC = "cpu", "alloc"


@dataclass(frozen=True, slots=True)
class Stack:
    frames: tuple[int, ...]
    weight: float
    metric: str = CPU


@dataclass(frozen=True, slots=True)
class Tally:
    frame: int
    own: float
    total: float
    native: float
    metric: str = CPU


Record = Stack | Tally


@dataclass(frozen=True, slots=True)
class Stream:
    frames: Sequence[Frame]             # grows while records are read
    records: Iterator[Record]
    units: Mapping[str, str]            # metric -> unit of its weights
    tool: str = ""                      # a closer name than the format's, when the file tells


class FrameTable(dict):
    """Frame key -> number, parsing a key the first time it is seen.

    A dict subclass so that `tuple(map(table.__getitem__, keys))` runs in C for every frame
    already known; `__missing__` is the slow path."""

    def __init__(self, parse: Callable[[object], Frame]) -> None:
        super().__init__()
        self.parse = parse
        self.frames: list[Frame] = []

    def __missing__(self, key: object) -> int:
        self.frames.append(self.parse(key))
        number = self[key] = len(self.frames) - 1
        return number


Reader = Callable[[Path], Stream]
