"""split.per_item: a stage's work per item on two cores, with the serial result's values and order."""

from __future__ import annotations

import os

from analyzer.infra import background, cpus, split


def _square_and_pid(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def test_items_are_shared_between_two_processes_and_come_back_in_order(monkeypatch):
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    found = split.per_item(_square_and_pid, list(range(9)))
    assert [value for value, _ in found] == [n * n for n in range(9)]
    pids = {pid for _, pid in found}
    if background.FORK and cpus.usable() > 1:
        assert pids == {os.getpid(), next(p for p in pids if p != os.getpid())}
        assert {pid for _, pid in found[1::2]} == pids - {os.getpid()}   # every other item in the child
    else:
        assert pids == {os.getpid()}


def test_a_short_list_is_worked_here(monkeypatch):
    monkeypatch.setattr(split, "MIN_ITEMS", 10)
    assert {pid for _, pid in split.per_item(_square_and_pid, list(range(9)))} == {os.getpid()}
    assert split.per_item(_square_and_pid, []) == []


def test_results_keyed_by_item_keep_the_items_order(monkeypatch):
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    found = split.keyed(lambda n: n * n, [3, 1, 2, 5, 4], str)
    assert list(found.items()) == [("3", 9), ("1", 1), ("2", 4), ("5", 25), ("4", 16)]


def _split_here(items: list[int]) -> list[tuple[int, int]]:
    return split.per_item(_square_and_pid, items)


def test_a_helper_process_works_its_items_itself(monkeypatch):
    """The merge base is analysed in a helper process, whose stages split on a large repository:
    multiprocessing refuses a helper children, so its items are worked where it runs."""
    monkeypatch.setattr(split, "MIN_ITEMS", 4)
    found, _ = background.start(_split_here, list(range(9)), fork=True).result()
    assert [value for value, _ in found] == [n * n for n in range(9)]
    assert len({pid for _, pid in found}) == 1
    if background.FORK:
        assert found[0][1] != os.getpid()   # the helper's own process did all of them
