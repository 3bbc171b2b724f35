"""Nouns of the history stage: commits and changes as read, and the facts derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.model._pickle import compact


@compact   # by the ten thousand: crosses from the history's process, sits in the cache
@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    timestamp: int              # author time, seconds since the epoch
    author: str
    subject: str


@compact   # by the ten thousand: crosses from the history's process, sits in the cache
@dataclass(frozen=True, slots=True)
class Change:
    """One file touched by one commit; path is the file's name at HEAD after following renames."""
    commit: str
    timestamp: int
    author: str
    path: str
    added: int = -1             # -1 outside the line-count window
    deleted: int = -1
    hunks: tuple[tuple[int, int, int, int], ...] = ()   # (old, old_len, new, new_len) in this commit


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One file changed between two commits. A path is None where the file does not exist
    (added: no old path; deleted: no new path); hunks are (old, old_len, new, new_len)."""
    old_path: str | None
    new_path: str | None
    hunks: tuple[tuple[int, int, int, int], ...] = ()

    def new_lines(self) -> tuple[tuple[int, int], ...]:
        """Spans of the new file that the change wrote or next to which it deleted."""
        return tuple((max(new, 1), max(new, 1) + max(length, 1) - 1) for _, _, new, length in self.hunks)

    def old_lines(self) -> tuple[tuple[int, int], ...]:
        return tuple((max(old, 1), max(old, 1) + max(length, 1) - 1) for old, length, _, _ in self.hunks)


@dataclass(frozen=True, slots=True)
class History:
    available: bool
    notice: str | None          # why history factors are missing or partial
    head: str | None
    head_timestamp: int | None
    commits: tuple[Commit, ...] = ()
    changes: tuple[Change, ...] = ()
    window_start: int | None = None     # timestamp from which line counts are known


@compact   # by the ten thousand: crosses from the history's process, sits in the cache
@dataclass(frozen=True, slots=True)
class FileHistory:
    path: str
    revisions: int
    revisions_90d: int
    revisions_365d: int
    churn_window: int           # lines added + deleted inside the line-count window; -1 if unknown
    authors: int
    authors_365d: int
    age_days: int
    last_change_days: int
    fix_commits: int
    partners: tuple[tuple[str, int, float], ...] = ()   # (path, shared commits, coupling degree)
    recent: tuple[Commit, ...] = ()                      # newest commits touching the file


@compact   # by the ten thousand: crosses from the history's process, sits in the cache
@dataclass(frozen=True, slots=True)
class UnitHistory:
    """Changes attributed to one unit through hunks mapped onto its HEAD line span."""
    unit_id: str
    revisions_window: int
    churn_window: int
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryFacts:
    available: bool
    notice: str | None
    commits: int
    files: Mapping[str, FileHistory]
    units: Mapping[str, UnitHistory]
    window_days: int
