"""Run one function beside the caller and collect its result later.

Used for reading git history while the code is parsed and surveyed, and for analysing a
pull request's base while its head is analysed. Where the platform can fork, the function
runs in a child process: its Python work then does not take the interpreter lock from the
caller's (on kafka the history alone would cost the analysis half a second), and a second
core does real work. Elsewhere it runs in a thread. A fork copies only the calling thread:
start these before any worker pool, and never with an open SQLite connection (the cache
opens one per batch for that reason).

A function started with an inbox gets, as its first argument, a `receive()` that waits for
what the caller later hands over with `Pending.send()`: the base's analysis starts before
the history it needs has been read.

A function started `idle` runs at the lowest CPU priority (nice 19, where the platform has
priorities): it takes only what the caller and its workers leave. git history is needed
after the code's survey, not before: at a normal priority its reader took a third of a core
from the parse workers on kafka (parse 18.4 s -> 16.4 s at nice 19), and it finishes anyway
on the core the single-threaded survey leaves idle. Never starved: a nice process still runs.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
from typing import Any, Callable

from analyzer.errors import ScanError

NICEST = 19   # the lowest CPU priority a process can have
FORK = sys.platform.startswith("linux")   # fork is the default and safe there; not on macOS or Windows


def can_fork() -> bool:
    """Whether a helper process may start here: fork is safe on the platform, and this process
    is not itself a helper (multiprocessing refuses children to one: the merge base's analysis
    runs in one, and its stages split on large repositories)."""
    return FORK and not multiprocessing.current_process().daemon


def process_context():
    """How helper processes start, here and in the parse pool: fork where it is safe (they
    start at once and need no re-import: spawn and forkserver re-run the caller's __main__,
    which breaks library use without a main guard), else spawn."""
    return multiprocessing.get_context("fork" if FORK else "spawn")


class Pending:
    """A result under way; `result()` waits for it and returns (value, seconds it took)."""

    def __init__(self, function: Callable[..., Any], args: tuple, fork: bool, inbox: bool, idle: bool = False):
        self._outcome: tuple | None = None
        self._sender: threading.Thread | None = None
        if fork:
            self._receive, send = multiprocessing.Pipe(duplex=False)
            inbox_end, self._inbox = multiprocessing.Pipe(duplex=False) if inbox else (None, None)
            args = (inbox_end.recv, *args) if inbox else args
            self._child = process_context().Process(
                target=_child, args=(send, function, args, idle), daemon=True)
            self._child.start()
            send.close()
        else:
            self._receive, self._queue = None, queue.Queue()
            args = (self._queue.get, *args) if inbox else args
            self._child = threading.Thread(target=self._in_thread, args=(function, args), daemon=True)
            self._child.start()

    def _in_thread(self, function: Callable[..., Any], args: tuple) -> None:
        self._outcome = _call(function, args)

    def send(self, value: Any) -> None:
        """Hand `value` to the function's `receive()`. Sending to a child happens on a thread
        of its own: a large value fills the pipe until the child reads it, and the caller
        has its own work meanwhile."""
        if self._receive is None:
            self._queue.put(value)
            return
        self._sender = threading.Thread(target=self._inbox.send, args=(value,), daemon=True)
        self._sender.start()

    def result(self) -> tuple[Any, float]:
        if self._receive is not None and self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:
                self._outcome = ("error", ScanError("a background analysis stopped unexpectedly"), 0.0)
            self._child.join()
            if self._sender is not None:
                self._sender.join()
        elif self._receive is None:
            self._child.join()
        status, value, seconds = self._outcome
        if status == "error":
            raise value
        return value, seconds


def start(function: Callable[..., Any], *args, fork: bool = FORK, inbox: bool = False, idle: bool = False) -> Pending:
    """`function(*args)` beside the caller; `idle` lowers its priority (only in a child process:
    a thread shares the caller's). Inside a helper process it runs in a thread."""
    return Pending(function, args, fork and can_fork(), inbox, idle)


def _call(function: Callable[..., Any], args: tuple) -> tuple[str, Any, float]:
    started = time.perf_counter()
    try:
        return "ok", function(*args), time.perf_counter() - started
    except Exception as exc:   # re-raised in the caller, where it is reported
        return "error", exc, time.perf_counter() - started


def quiet_on_interrupt() -> None:
    """In a helper process: Ctrl-C reaches every process of the terminal's group, and the
    parent alone tells the user (one line, exit 130); a helper leaves without a traceback."""
    signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(130))


def _child(send, function: Callable[..., Any], args: tuple, idle: bool = False) -> None:
    quiet_on_interrupt()
    if idle:
        lower_priority(0, NICEST)
    outcome = _call(function, args)
    try:
        send.send(outcome)
    except Exception:   # an exception that does not pickle still gets its message across
        send.send(("error", ScanError(f"{type(outcome[1]).__name__}: {outcome[1]}"), outcome[2]))
    finally:
        send.close()


def lower_priority(pid: int, by: int) -> None:
    """Lower a process's CPU priority (0: this one) by `by` steps of nice, to the lowest at
    most. Best effort: not every platform has priorities."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(os.getpriority(os.PRIO_PROCESS, pid) + by, NICEST))
    except (AttributeError, OSError):
        pass
