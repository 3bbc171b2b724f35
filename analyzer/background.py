"""Run one function beside the caller and collect its result later.

Used for reading git history while the code is parsed and surveyed. Where the platform can
fork, the function runs in a child process: its Python work (decoding git's output) then
does not take the interpreter lock from the analysis, which on kafka costs the analysis
about half a second. Elsewhere it runs in a thread. Start it before any other thread or
worker pool exists: a fork copies only the calling thread.
"""

from __future__ import annotations

import multiprocessing
import sys
import threading
import time
from typing import Any, Callable

from analyzer.errors import ScanError

FORK = sys.platform.startswith("linux")   # fork is the default and safe there; not on macOS or Windows


class Pending:
    """A result under way; `result()` waits for it and returns (value, seconds it took)."""

    def __init__(self, function: Callable[..., Any], args: tuple, fork: bool):
        self._outcome: tuple | None = None
        if fork:
            receive, send = multiprocessing.Pipe(duplex=False)
            self._receive = receive
            self._child = multiprocessing.get_context("fork").Process(
                target=_child, args=(send, function, args), daemon=True)
            self._child.start()
            send.close()
        else:
            self._receive, self._child = None, threading.Thread(
                target=self._in_thread, args=(function, args), daemon=True)
            self._child.start()

    def _in_thread(self, function: Callable[..., Any], args: tuple) -> None:
        self._outcome = _call(function, args)

    def result(self) -> tuple[Any, float]:
        if self._receive is not None and self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:
                self._outcome = ("error", ScanError("the background history reader stopped unexpectedly"), 0.0)
            self._child.join()
        elif self._receive is None:
            self._child.join()
        status, value, seconds = self._outcome
        if status == "error":
            raise value
        return value, seconds


def start(function: Callable[..., Any], *args, fork: bool = FORK) -> Pending:
    return Pending(function, args, fork)


def _call(function: Callable[..., Any], args: tuple) -> tuple[str, Any, float]:
    started = time.perf_counter()
    try:
        return "ok", function(*args), time.perf_counter() - started
    except Exception as exc:   # re-raised in the caller, where it is reported
        return "error", exc, time.perf_counter() - started


def _child(send, function: Callable[..., Any], args: tuple) -> None:
    outcome = _call(function, args)
    try:
        send.send(outcome)
    except Exception:   # an exception that does not pickle still gets its message across
        send.send(("error", ScanError(f"{type(outcome[1]).__name__}: {outcome[1]}"), outcome[2]))
    finally:
        send.close()
