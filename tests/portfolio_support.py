"""Helpers for the portfolio tests: finding the scan processes (`python -m
analyzer.portfolio.job`) a test started, and only those.

A test sets MARK in its environment (monkeypatch.setenv(MARK, str(tmp_path))); the runner's
scan processes inherit it, and so do the workers of a LocalCluster started afterwards. Other
portfolio runs on the machine (a benchmark, another session's tests) carry another mark or
none, so a test never counts their processes as its own leftovers.
"""

from __future__ import annotations

import time

import psutil

MARK = "RUSTSCOUT_TEST_MARK"
JOB = "analyzer.portfolio.job"


def jobs_left(mark: str) -> list[psutil.Process]:
    """Scan processes still running that carry this mark."""
    found = []
    for process in psutil.process_iter(["cmdline"]):
        try:
            if JOB in (process.info["cmdline"] or []) and process.environ().get(MARK) == mark:
                found.append(process)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            pass
    return found


def wait_for_jobs(mark: str, seconds: float) -> list[int]:
    """The pids of the marked scan processes, as soon as there is one (empty after `seconds`):
    proof that the mark reaches them, so that `not jobs_left(mark)` means something."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = jobs_left(mark)
        if found:
            return [process.pid for process in found]
        time.sleep(0.02)
    return []
