"""The history: one streamed pass of `git log --raw` over the whole (or --since) history,
which costs about as much as git itself; line counts and hunks come from a second
`git log -p -U0` limited to a recent window, because diffing every commit of a large
history takes minutes. Both are limited to source files. Renames are followed: every
Change carries the file's path at the head commit.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Iterable

import git
from git.exc import GitCommandError

from analyzer.infra.dates import git_date
from analyzer.model import Change, Commit, History
from analyzer.vcs.repo import SOURCE_PATHSPECS, SOURCE_SUFFIXES, RepoInfo, first_line, hunk, stream, unquote

_HEADER = "\x1e"
_FORMAT = "--format=%x1e%H%x00%at%x00%aN%x00%s"


def read_history(info: RepoInfo, since: int | None, until: int | None, window_start: int,
                 window_skips: tuple[str, ...] = ()) -> History:
    """Commits and per-file changes, newest first; see the module docstring for the cost model.
    Times are seconds since the epoch; `window_start` bounds the line-count window, which
    leaves out the folders in `window_skips` (code that is never ranked)."""
    if info.shallow:
        return _unavailable(info, "this is a shallow clone, so history factors (churn, age, authors, "
                            "change coupling) are missing; fetch full history (actions/checkout: fetch-depth: 0)")
    if info.head is None:
        return _unavailable(info, "the repository has no commits yet, so history factors are missing")
    repo = git.Repo(info.root)
    limits = [f"--since={git_date(since)}"] if since else []
    limits += [f"--until={git_date(until)}"] if until is not None else []
    window_start = max(window_start, since or 0)
    window = [*limits, f"--since={git_date(window_start)}"]
    excludes = [f":(exclude,literal){folder}" for folder in window_skips]
    try:
        commits, changes, notice = _read_logs(repo, info.head, limits, window, excludes)
    except GitCommandError as exc:
        return _unavailable(info, f"git log failed ({first_line(exc.stderr)}); history factors are missing")
    return History(True, notice, info.head, info.head_timestamp, tuple(commits), tuple(changes), window_start)


def _read_logs(repo: git.Repo, rev: str, limits: list[str], window: list[str], excludes: list[str]):
    """Commits, changes and a notice. Following renames and counting lines read the files'
    contents; a clone that lacks some of them (partial, or a snapshot without its largest
    files) is read again without renames, and without line counts if those fail too; the
    notice says so."""
    try:
        return (*_read_both(repo, rev, limits, window, excludes, "-M")[:2], None)
    except GitCommandError as exc:
        missing = f"git could not read some file contents ({first_line(exc.stderr)})"
    commits, changes, counted = _read_both(repo, rev, limits, window, excludes, "--no-renames", lenient=True)
    lost = "" if counted else ", and changed lines are not counted"
    return commits, changes, f"{missing}: renamed files' history is not followed{lost}"


def _read_both(repo: git.Repo, rev: str, limits: list[str], window: list[str], excludes: list[str],
               renames: str, lenient: bool = False) -> tuple[list[Commit], list[Change], bool]:
    """Both logs at once (each pipe is drained); with `lenient`, a failed line-count window
    leaves the changes without counts. The last item: whether they have them."""
    with ThreadPoolExecutor(1) as side:
        counts = side.submit(_read_window, repo, rev, window, excludes, renames)
        commits, changes = _read_raw(repo, rev, limits, renames)
        try:
            return commits, _with_line_counts(changes, counts.result()), True
        except GitCommandError:
            if not lenient:
                raise
            return commits, [change for change, _ in changes], False


def _unavailable(info: RepoInfo, notice: str) -> History:
    return History(False, notice, info.head, info.head_timestamp)


# --- the full history: git log --raw ------------------------------------------------------

def _read_raw(repo: git.Repo, rev: str, limits: list[str], renames: str = "-M"):
    """Commits and changes newest first, with each path mapped to its name at `rev`.
    No pathspec here: path limiting makes git slower than reading every line (measured on
    sympy: 2.7 s with it, 1.8 s without), so other files are dropped while reading."""
    args = ["--raw", renames, "--no-color", "--no-show-signature", _FORMAT, *limits, "--end-of-options", rev]
    commits: list[Commit] = []
    changes: list[Change] = []
    at_head: dict[str, str] = {}   # historical path -> path at HEAD
    commit = None
    for line in stream(repo, "log", args):
        if line.startswith(_HEADER):
            commit = _commit(line)
            commits.append(commit)
        elif line.startswith(":") and commit is not None and line.endswith(SOURCE_SUFFIXES + ('"',)):
            change = _raw_change(line, commit, at_head)
            if change is not None:
                changes.append(change)
    return commits, changes


def _commit(line: str) -> Commit:
    sha, stamp, author, subject = (line[1:].split("\0") + ["", "", ""])[:4]
    return Commit(sha, int(stamp or 0), author, subject)


def _raw_change(line: str, commit: Commit, at_head: dict[str, str]) -> tuple[Change, str] | None:
    """The change at its HEAD path, and the path the file had in that commit."""
    meta, *paths = line.split("\t")
    if not paths or not paths[-1].rstrip('"').endswith(SOURCE_SUFFIXES):
        return None
    paths = [unquote(p) for p in paths]
    current = paths[-1]
    head_path = at_head.get(current, current)
    if meta.split()[-1][:1] in "RC" and len(paths) == 2:
        at_head[paths[0]] = head_path   # older commits name this file by its old path
    return Change(commit.sha, commit.timestamp, commit.author, head_path), current


# --- the recent window: git log -p -U0 ------------------------------------------------------

def _with_line_counts(changes: list[tuple[Change, str]], window: dict) -> list[Change]:
    """Attach the window's counts, keyed by commit and the path the file had in that commit."""
    out = []
    for change, path_then in changes:
        found = window.get((change.commit, path_then))
        out.append(replace(change, added=found[0], deleted=found[1], hunks=found[2]) if found else change)
    return out


def _read_window(repo: git.Repo, rev: str, limits: list[str], excludes: list[str],
                 renames: str = "-M") -> dict[tuple[str, str], tuple]:
    """(commit, path at that commit) -> (added, deleted, hunks as (old, old_len, new, new_len))."""
    args = ["-p", "-U0", renames, "--no-color", "--no-ext-diff", "--no-textconv", "--no-show-signature",
            "--format=%x1e%H", *limits, "--end-of-options", rev, "--", *SOURCE_PATHSPECS, *excludes]
    return dict(_window_entries(stream(repo, "log", args)))


def _window_entries(lines: Iterable[str]):
    sha = path = None
    hunks: list[tuple[int, int, int, int]] = []
    skip = 0
    for line in lines:
        if skip:           # hunk bodies are skipped by count: a body line may look like a header
            skip -= 1
            continue
        if line.startswith(_HEADER) or line.startswith("diff --git "):
            if path is not None:
                yield (sha, path), _totals(hunks)
            path, hunks = None, []
            if line.startswith(_HEADER):
                sha = line[1:]
        elif line.startswith("+++ "):
            path = None if line == "+++ /dev/null" else unquote(line[4:]).removeprefix("b/")
        elif line.startswith("rename to "):   # a pure rename has no +++ line
            path = unquote(line[10:])
        elif line.startswith("@@ ") and path is not None:
            found = hunk(line)
            hunks.append(found)
            skip = found[1] + found[3]
    if path is not None:
        yield (sha, path), _totals(hunks)


def _totals(hunks: list[tuple[int, int, int, int]]) -> tuple[int, int, tuple]:
    return sum(h[3] for h in hunks), sum(h[1] for h in hunks), tuple(hunks)
