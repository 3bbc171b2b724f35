"""Reading the history: from the cache when the same head and bounds were read before, else
from git (vcs.read_history), in a form that crosses processes as bytes.

The history is pickled because it crosses processes (read in the background, shared with
the base of a pull request): the cache's bytes go as they are, and a fresh read is pickled
once for the cache and the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Sequence

from analyzer import inventory, vcs
from analyzer.infra import cache as caches
from analyzer.infra.dates import DAY, iso_day, since_timestamp
from analyzer.model import History, SourceFile


@dataclass(frozen=True, slots=True)
class Bounds:
    """What a history read covers: commits since `since` (None: all) up to `until`, with line
    counts from `window` on."""
    since: int | None
    until: int
    window: int


def bounds(repo: vcs.RepoInfo | None, as_of: int | None, window_days: int, since: str | None) -> Bounds:
    """The bounds of a read up to `as_of` (default: the head's time); `since` as --since takes it."""
    until = max(as_of if as_of is not None else ((repo.head_timestamp if repo else 0) or 0), 0)
    return Bounds(since_timestamp(since, until), until, max(until - window_days * DAY, 0))


def payload(repo: vcs.RepoInfo | None, span: Bounds, files: Sequence[SourceFile],
            store: caches.Cache | None = None) -> tuple[bytes, bool]:
    """The history, pickled, and whether it came from the cache."""
    store = store or caches.Cache(None)
    key = _key(repo, span, files)
    found = store.get("history", [key]).get(key) if repo is not None else None
    if found is not None:
        return found, True
    history = _read(repo, span, files)
    data = caches.dumps(history)
    if history.available:
        store.put("history", [(key, data)])
    return data, False


def loaded(data: bytes, repo: vcs.RepoInfo | None, span: Bounds, files: Sequence[SourceFile],
           store: caches.Cache | None = None) -> History:
    """The History in a payload; one that does not load is forgotten and read again."""
    found = _history_of(data)
    if found is not None:
        return found
    (store or caches.Cache(None)).drop("history", [_key(repo, span, files)])
    return _read(repo, span, files)


def _key(repo: vcs.RepoInfo | None, span: Bounds, files: Sequence[SourceFile]) -> str:
    return caches.history_key(repo.head if repo else None, repo.shallow if repo else None, span.since, span.until,
                              span.window, inventory.unranked_folders(files))


def _read(repo: vcs.RepoInfo | None, span: Bounds, files: Sequence[SourceFile]) -> History:
    if repo is None:
        return History(False, "not a git repository: history factors (churn, age, authors, change "
                              "coupling) are missing", None, None)
    history = vcs.read_history(repo, span.since, span.until, span.window,
                               window_skips=inventory.unranked_folders(files))
    if history.available and not history.commits:
        history = replace(history, available=False, notice=(
            f"no commits between {iso_day(span.since) or 'the first commit'} and {iso_day(span.until)}: "
            "history factors are missing; check --since and --as-of"))
    return history


def _history_of(data: bytes) -> History | None:
    try:
        found = caches.loads(data)
    except Exception:   # unsound
        return None
    return found if isinstance(found, History) else None
