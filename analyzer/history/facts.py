"""History stage: pure maths over Change rows (code-maat style); no git here.

Input: History (commits and changes, newest first, paths at HEAD), the paths and units of
the inventory, and `as_of` (seconds). Output: HistoryFacts with per-file figures (revisions
in windows, churn, authors, age, fix commits, change-coupling partners) and per-unit figures
from hunks mapped onto each unit's HEAD line span.

Invariants: the clock is never read (everything is relative to `as_of`); commits after
`as_of` were already left out by vcs; very large commits (reformatting, vendoring) are left
out of change coupling, as code-maat does, because they couple everything to everything.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import accumulate, combinations
from typing import Iterable, Mapping, Sequence

from analyzer.infra import split
from analyzer.infra.dates import DAY
from analyzer.model import Change, CodeUnit, Commit, FileHistory, History, HistoryFacts, UnitHistory

MAX_CHANGESET = 30          # code-maat's default cap for coupling
MIN_SHARED = 3
MIN_DEGREE = 0.5
RECENT = 5
FIX_SUBJECT = re.compile(r"\b(fix|fixe[sd]|fixing|bug|bugfix|hotfix|regression|crash)\b", re.I)


def before(history: History, added: frozenset[str], commit: str, timestamp: int,
           renamed: Mapping[str, str]) -> History:
    """The history of an earlier commit, from a later one's: without the commits `added`
    since, and with paths as they were then (`renamed`: later path -> earlier path). Hunks
    are carried forward within the history itself, so they land on the earlier lines. The
    line-count window keeps the later history's start."""
    if not history.available:
        return replace(history, head=commit, head_timestamp=timestamp)
    changes = tuple(replace(c, path=renamed.get(c.path, c.path)) if c.path in renamed else c
                    for c in history.changes if c.commit not in added)
    return replace(history, head=commit, head_timestamp=timestamp, changes=changes,
                   commits=tuple(c for c in history.commits if c.sha not in added))


def summarize(history: History, units: Sequence[CodeUnit], paths: Iterable[str], as_of: int,
              window_days: int) -> HistoryFacts:
    if not history.available:
        return HistoryFacts(False, history.notice, 0, {}, {}, window_days)
    wanted = set(paths)
    changes = [c for c in history.changes if c.path in wanted and c.timestamp <= as_of]
    by_path: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        by_path[change.path].append(change)
    commits = {c.sha: c for c in history.commits}
    fixes = {c.sha for c in history.commits if FIX_SUBJECT.search(c.subject)}
    partners = coupling(changes)
    files = {path: _file_history(path, rows, as_of, commits, fixes, partners.get(path, ()))
             for path, rows in sorted(by_path.items())}
    unit_facts = attribute_units(units, by_path)
    return HistoryFacts(True, None, len(history.commits), files, unit_facts, window_days)


def _file_history(path: str, rows: list[Change], as_of: int, commits: dict[str, Commit],
                  fixes: set[str], partners: tuple) -> FileHistory:
    def within(days: int) -> list[Change]:
        return [c for c in rows if as_of - c.timestamp <= days * DAY]
    counted = [c for c in rows if c.added >= 0]
    return FileHistory(
        path=path, revisions=len(rows), revisions_90d=len(within(90)), revisions_365d=len(within(365)),
        churn_window=sum(c.added + c.deleted for c in counted) if counted else -1,
        authors=len({c.author for c in rows}), authors_365d=len({c.author for c in within(365)}),
        age_days=max(0, (as_of - min(c.timestamp for c in rows)) // DAY),
        last_change_days=max(0, (as_of - max(c.timestamp for c in rows)) // DAY),
        fix_commits=sum(1 for c in rows if c.commit in fixes), partners=partners,
        recent=tuple(commits[c.commit] for c in rows[:RECENT] if c.commit in commits))


def coupling(changes: Sequence[Change]) -> dict[str, tuple[tuple[str, int, float], ...]]:
    """Files that change together: degree = shared / mean(revisions), as in code-maat."""
    by_commit: dict[str, set[str]] = defaultdict(set)
    revisions: Counter[str] = Counter()
    for change in changes:
        by_commit[change.commit].add(change.path)
    for paths in by_commit.values():
        revisions.update(paths)
    shared: Counter[tuple[str, str]] = Counter()
    for paths in by_commit.values():
        if 2 <= len(paths) <= MAX_CHANGESET:
            shared.update(combinations(sorted(paths), 2))
    result: dict[str, list[tuple[str, int, float]]] = defaultdict(list)
    for (a, b), n in shared.items():
        degree = n / ((revisions[a] + revisions[b]) / 2)
        if n >= MIN_SHARED and degree >= MIN_DEGREE:
            result[a].append((b, n, round(degree, 3)))
            result[b].append((a, n, round(degree, 3)))
    return {p: tuple(sorted(v, key=lambda x: (-x[2], x[0]))) for p, v in result.items()}


# --- unit attribution ------------------------------------------------------------------------

def attribute_units(units: Sequence[CodeUnit], by_path: dict[str, list[Change]]) -> dict[str, UnitHistory]:
    """Window commits whose hunks, carried forward to HEAD line numbers, touch a unit's span."""
    spans: dict[str, list[CodeUnit]] = defaultdict(list)
    for unit in units:
        if unit.kind != "module" and unit.path in by_path:
            spans[unit.path].append(unit)
    per_file = split.per_item(lambda path: _file_units(spans[path], by_path[path]), list(spans))
    return {history.unit_id: history for found in per_file for history in found}


def _file_units(members: Sequence[CodeUnit], changes: Sequence[Change]) -> list[UnitHistory]:
    touched = [(sha, *_reaches(ranges), lines) for sha, ranges, lines in head_ranges([c for c in changes if c.added >= 0])]
    found = []
    for unit in members:
        hits = [(sha, lines) for sha, starts, reach, lines in touched
                if (before := bisect_right(starts, unit.end)) and reach[before - 1] >= unit.start]
        if hits:
            found.append(UnitHistory(unit.id, len(hits), sum(n for _, n in hits),
                                     tuple(sha for sha, _ in hits[:RECENT])))
    return found


def _reaches(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The ranges' starts in order, and after each the furthest end a range starting there or
    before reaches: a unit is touched where a range starting before its end reaches its start,
    one bisection where every range was tried (a unit against every change of its file)."""
    ordered = sorted(ranges)
    return [start for start, _ in ordered], list(accumulate((end for _, end in ordered), max))


def head_ranges(newest_first: Sequence[Change]) -> list[tuple[str, list[tuple[int, int]], int]]:
    """(commit, changed ranges in HEAD lines, lines changed) for each change of one file."""
    later: list[tuple[tuple[int, int, int, int], ...]] = []
    result = []
    for change in newest_first:
        ranges = []
        for old, old_len, new, new_len in change.hunks:
            start, end = new, new + max(new_len, 1) - 1
            for hunks in reversed(later):      # oldest of the later commits first
                start, end = forward(start, hunks), forward(end, hunks)
            ranges.append((start, max(start, end)))
        result.append((change.commit, ranges, change.added + change.deleted))
        later.append(change.hunks)
    return result


def forward(line: int, hunks: tuple[tuple[int, int, int, int], ...]) -> int:
    """Where a line of the file before a commit sits after it (git -U0 hunk semantics)."""
    shift = 0
    for old, old_len, new, new_len in hunks:
        if old_len == 0:                       # insertion after line `old`
            if line <= old:
                break
            shift += new_len
            continue
        if line < old:
            break
        if line < old + old_len:               # the line itself was rewritten or removed
            return max(new, 1)
        shift += new_len - old_len
    return line + shift
