"""Opening a work tree, listing its files, and what every git call shares."""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import git
from git.exc import GitCommandError, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError

SOURCE_PATHSPECS = ("*.py", "*.java")
SOURCE_SUFFIXES = (".py", ".java")
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_QUOTED = re.compile(r'\\([\\"abfnrtv]|[0-7]{3})')
# The scanned repository's own configuration must not run anything: fsmonitor hooks run on
# index reads, textconv and external diff drivers on log -p. Passed on every git command.
# The function names after hunk headers are never read: a repository's `diff=java` or
# `diff=python` attribute makes git search back with a regex for each hunk (commons-lang's
# one-year window: 1.0 s of git time of which 0.55 s is that search). `^` stops at once.
SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "diff.external=",
        "-c", "core.quotePath=false", "-c", "diff.java.xfuncname=^", "-c", "diff.python.xfuncname=^")


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



def stream(repo: git.Repo, command: str, args: list[str]) -> Iterator[str]:
    """Lines of a git command's output as it runs; a failure raises GitCommandError."""
    proc = repo.git.execute(["git", *SAFE, command, *args], as_process=True)
    _yield_cpu(proc.proc.pid)
    try:   # decoding in the io layer (C) rather than line by line in Python
        for line in io.TextIOWrapper(proc.proc.stdout, encoding="utf-8", errors="replace", newline="\n"):
            yield line[:-1] if line.endswith("\n") else line
    finally:
        stderr = proc.proc.stderr.read() if proc.proc.stderr else b""
        if proc.proc.wait() != 0:
            raise GitCommandError(["git", command], proc.proc.returncode, stderr)


def _yield_cpu(pid: int) -> None:
    """git runs beside the parse workers and the analysis: at a lower priority it takes the
    cores they leave idle instead of slowing them down (it still finishes: nothing starves
    on an idle core). Best effort; not every platform has priorities."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, min(os.getpriority(os.PRIO_PROCESS, pid) + 10, 19))
    except (AttributeError, OSError):
        pass


def first_line(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    lines = [ln.strip() for ln in (text or "").splitlines() if ln.strip()]
    return lines[0].removeprefix("stderr: ").strip("'") if lines else "unknown error"


def unquote(path: str) -> str:
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


def hunk(line: str) -> tuple[int, int, int, int]:
    m = HUNK.match(line)
    if not m:
        return (0, 0, 0, 0)
    old, old_len, new, new_len = m.groups()
    return (int(old), 1 if old_len is None else int(old_len), int(new), 1 if new_len is None else int(new_len))


