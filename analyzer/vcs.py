"""The only module that talks to git (through gitpython).

Input: a directory. Output: plain records: RepoInfo, tracked paths, and History
(Commit and Change rows, code-maat style).

History is read in one streamed pass of `git log --raw` over the whole (or --since)
history, which costs about as much as git itself; line counts and hunks come from a second
`git log -p -U0` limited to a recent window, because diffing every commit of a large
history takes minutes. Both are limited to source files by pathspec. Renames are followed:
every Change carries the file's path at HEAD.
"""

from __future__ import annotations

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

import git
from git.exc import GitCommandError, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError

from analyzer.model import Change, Commit, History

SOURCE_PATHSPECS = ("*.py", "*.java")
SOURCE_SUFFIXES = (".py", ".java")
_HEADER = "\x1e"
_FORMAT = "--format=%x1e%H%x00%at%x00%aN%x00%s"
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_QUOTED = re.compile(r'\\([\\"abfnrtv]|[0-7]{3})')
# The scanned repository's own configuration must not run anything: fsmonitor hooks run on
# index reads, textconv and external diff drivers on log -p. Passed on every git command.
SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "diff.external=",
        "-c", "core.quotePath=false")

@dataclass(frozen=True, slots=True)
class RepoInfo:
    root: Path                  # the work tree's top level
    head: str | None            # None in a repository without commits
    head_timestamp: int | None  # committer time of HEAD
    shallow: bool


def open_repo(path: Path) -> RepoInfo | None:
    """The git work tree containing `path`, or None when it is not in one (or git is absent)."""
    try:
        repo = git.Repo(path, search_parent_directories=True)
        if repo.bare:
            return None
        root = Path(repo.working_tree_dir)
        head, stamp = _head(repo)
        shallow = repo.git.execute(["git", *SAFE, "rev-parse", "--is-shallow-repository"]).strip() == "true"
    except (InvalidGitRepositoryError, NoSuchPathError, GitCommandNotFound):
        return None
    except GitCommandError:
        return None
    return RepoInfo(root, head, stamp, shallow)


def _head(repo: git.Repo) -> tuple[str | None, int | None]:
    try:
        commit = repo.head.commit
    except ValueError:  # a repository with no commits yet
        return None, None
    return commit.hexsha, int(commit.committed_date)


def tracked_files(root: Path) -> list[str]:
    """Tracked files plus untracked ones git does not ignore: what the developer sees."""
    out = git.Repo(root).git.execute(["git", *SAFE, "ls-files", "-z", "--cached", "--others",
                                      "--exclude-standard"])
    return sorted({p for p in out.split("\0") if p})


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
    limits = [f"--since={_git_date(since)}"] if since else []
    limits += [f"--until={_git_date(until)}"] if until is not None else []
    window_start = max(window_start, since or 0)
    excludes = [f":(exclude,literal){folder}" for folder in window_skips]
    try:
        with ThreadPoolExecutor(1) as side:   # both git processes run at once; each pipe is drained
            window = side.submit(_read_window, repo, [*limits, f"--since={_git_date(window_start)}"], excludes)
            commits, changes = _read_raw(repo, limits)
            changes = _with_line_counts(changes, window.result())
    except GitCommandError as exc:
        return _unavailable(info, f"git log failed ({_first_line(exc.stderr)}); history factors are missing")
    return History(True, None, info.head, info.head_timestamp, tuple(commits), tuple(changes),
                   window_start)


def _git_date(timestamp: int) -> str:
    """An unambiguous date for git: `@N` with a small N is read as a day of this month."""
    return datetime.fromtimestamp(max(timestamp, 0), timezone.utc).strftime("%Y-%m-%d %H:%M:%S +0000")


def _unavailable(info: RepoInfo, notice: str) -> History:
    return History(False, notice, info.head, info.head_timestamp)


def _first_line(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[0].removeprefix("stderr: ").strip("'") if lines else "unknown error"


def _stream(repo: git.Repo, args: list[str]) -> Iterator[str]:
    proc = repo.git.execute(["git", *SAFE, "log", *args], as_process=True)
    _yield_cpu(proc.proc.pid)
    try:   # decoding in the io layer (C) rather than line by line in Python
        for line in io.TextIOWrapper(proc.proc.stdout, encoding="utf-8", errors="replace", newline="\n"):
            yield line[:-1] if line.endswith("\n") else line
    finally:
        stderr = proc.proc.stderr.read() if proc.proc.stderr else b""
        if proc.proc.wait() != 0:
            raise GitCommandError(["git", "log"], proc.proc.returncode, stderr)


def _yield_cpu(pid: int) -> None:
    """git runs beside the parse workers and the analysis: at a lower priority it takes the
    cores they leave idle instead of slowing them down (it still finishes: nothing starves
    on an idle core). Best effort; not every platform has priorities."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(os.getpriority(os.PRIO_PROCESS, pid) + 10, 19))
    except (AttributeError, OSError):
        pass


# --- the full history: git log --raw ------------------------------------------------------

def _read_raw(repo: git.Repo, limits: list[str]):
    """Commits and changes newest first, with each path mapped to its name at HEAD.
    No pathspec here: path limiting makes git slower than reading every line (measured on
    sympy: 2.7 s with it, 1.8 s without), so other files are dropped while reading."""
    args = ["--raw", "-M", "--no-color", _FORMAT, *limits, "HEAD"]
    commits: list[Commit] = []
    changes: list[Change] = []
    at_head: dict[str, str] = {}   # historical path -> path at HEAD
    commit = None
    for line in _stream(repo, args):
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
    paths = [_unquote(p) for p in paths]
    current = paths[-1]
    head_path = at_head.get(current, current)
    if meta.split()[-1][:1] in "RC" and len(paths) == 2:
        at_head[paths[0]] = head_path   # older commits name this file by its old path
    return Change(commit.sha, commit.timestamp, commit.author, head_path), current


def _unquote(path: str) -> str:
    """git C-quotes paths with tabs, newlines, quotes or backslashes."""
    if len(path) < 2 or not (path[0] == '"' and path[-1] == '"'):
        return path
    escapes = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
               "\\": "\\", '"': '"'}

    def one(m: re.Match) -> str:
        code = m.group(1)
        return escapes[code] if code in escapes else chr(int(code, 8))
    text = _QUOTED.sub(one, path[1:-1])
    return text.encode("latin-1", "replace").decode("utf-8", "replace") if re.search(r"[\x80-\xff]", text) else text


# --- the recent window: git log -p -U0 ------------------------------------------------------

def _with_line_counts(changes: list[tuple[Change, str]], window: dict) -> list[Change]:
    """Attach the window's counts, keyed by commit and the path the file had in that commit."""
    out = []
    for change, path_then in changes:
        found = window.get((change.commit, path_then))
        out.append(replace(change, added=found[0], deleted=found[1], hunks=found[2]) if found else change)
    return out


def _read_window(repo: git.Repo, limits: list[str], excludes: list[str]) -> dict[tuple[str, str], tuple]:
    """(commit, path at that commit) -> (added, deleted, hunks as (old, old_len, new, new_len))."""
    args = ["-p", "-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--format=%x1e%H", *limits,
            "HEAD", "--", *SOURCE_PATHSPECS, *excludes]
    return dict(_window_entries(_stream(repo, args)))


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
            path = None if line == "+++ /dev/null" else _unquote(line[4:]).removeprefix("b/")
        elif line.startswith("rename to "):   # a pure rename has no +++ line
            path = _unquote(line[10:])
        elif line.startswith("@@ ") and path is not None:
            hunk = _hunk(line)
            hunks.append(hunk)
            skip = hunk[1] + hunk[3]
    if path is not None:
        yield (sha, path), _totals(hunks)


def _hunk(line: str) -> tuple[int, int, int, int]:
    m = _HUNK.match(line)
    if not m:
        return (0, 0, 0, 0)
    old, old_len, new, new_len = m.groups()
    return (int(old), 1 if old_len is None else int(old_len), int(new), 1 if new_len is None else int(new_len))


def _totals(hunks: list[tuple[int, int, int, int]]) -> tuple[int, int, tuple]:
    return sum(h[3] for h in hunks), sum(h[1] for h in hunks), tuple(hunks)
