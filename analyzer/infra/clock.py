"""The clock and progress of a run: stage laps, progress reporting, and the collector switch."""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from typing import Iterator, Protocol


class Progress(Protocol):
    """Stages overlap (history runs beside parse and survey): each is started and finished by name."""
    def stage(self, name: str, total: int | None) -> None: ...
    def advance(self, name: str, n: int) -> None: ...
    def done(self, name: str) -> None: ...


class Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str, n: int) -> None:
        pass

    def done(self, name: str) -> None:
        pass


class Clock:
    """Wall seconds per stage, in the order the stages finish (or as `record` places them)."""

    def __init__(self):
        self._laps: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self._laps.append((name, time.perf_counter() - start))

    def record(self, name: str, seconds: float, at: int | None = None) -> None:
        """A lap measured elsewhere (a background process, a pool); `at` places it in the list."""
        self._laps.insert(len(self._laps) if at is None else at, (name, seconds))

    @property
    def laps(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._laps)


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """A scan builds millions of long-lived, acyclic objects: the cyclic collector would
    rescan them again and again (a third of the analysis time on kafka) and find almost
    nothing. Reference counting frees the rest; the few cycles (networkx's views of its
    graphs) wait for the collector's next pass. Its state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
