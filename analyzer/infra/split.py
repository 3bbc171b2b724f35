"""A stage's work per item, on two cores.

The analysis after the parse is one process, and on kafka it runs for about 18 s while a
second core has nothing to do (the history, read at the lowest priority, is done by then).
Its largest stages are a pure function applied to each group; `per_item` runs every other
item in a forked child, which shares the caller's memory as it was at the fork and sends
back only its results, and interleaves them in order: the same values in the same order as
one process computes, so the output's bytes do not change.

A fork costs the pickling of the child's results: worth it only for work of a second or
more (`MIN_ITEMS`). Where the platform cannot fork safely, one core is all there is, or this
is a helper process already (the merge base's analysis, beside the head's on the other core),
everything runs here.
"""

from __future__ import annotations

from typing import Callable, Sequence, TypeVar

from analyzer.infra import background, cpus

T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS = 1_000


def per_item(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """[function(item) for item in items], the odd ones in a child process when worth it."""
    if len(items) < MIN_ITEMS or not background.can_fork() or cpus.usable() < 2:
        return [function(item) for item in items]
    child = background.start(_each, function, items[1::2], fork=True)
    mine = [function(item) for item in items[0::2]]
    theirs, _ = child.result()
    merged = [None] * len(items)
    merged[0::2], merged[1::2] = mine, theirs
    return merged


def keyed(function: Callable[[T], R], items: Sequence[T], key: Callable[[T], str]) -> dict[str, R]:
    """{key(item): function(item)} in the items' order, worked out as `per_item` does."""
    return dict(zip(map(key, items), per_item(function, items)))


def _each(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    return [function(item) for item in items]

