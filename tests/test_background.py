"""background: a function run beside the caller, in a child process or a thread."""

from __future__ import annotations

import os

import pytest

from analyzer.infra import background
from analyzer.errors import ScanError


def _pid_and_sum(a, b):
    return os.getpid(), a + b


def _fails():
    raise ScanError("git log failed")


def _dies():
    os._exit(3)


@pytest.mark.parametrize("fork", [True, False])
def test_the_result_comes_back_with_its_time(fork):
    (pid, total), seconds = background.start(_pid_and_sum, 2, 3, fork=fork).result()
    assert total == 5 and seconds >= 0
    assert (pid != os.getpid()) is fork


@pytest.mark.parametrize("fork", [True, False])
def test_an_error_is_raised_in_the_caller(fork):
    with pytest.raises(ScanError, match="git log failed"):
        background.start(_fails, fork=fork).result()


def test_a_child_that_dies_is_a_scan_error_not_a_hang():
    with pytest.raises(ScanError, match="stopped unexpectedly"):
        background.start(_dies, fork=True).result()


def _priority():
    return os.getpriority(os.PRIO_PROCESS, 0)


def test_an_idle_child_runs_at_the_lowest_priority_and_the_caller_keeps_its_own():
    mine = _priority()
    assert background.start(_priority, fork=True, idle=True).result()[0] == 19
    assert background.start(_priority, fork=True).result()[0] == mine
    assert background.start(_priority, fork=False, idle=True).result()[0] == mine   # a thread shares the caller's
    assert _priority() == mine
