"""Opening a work tree, listing its files, and what every git call shares."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import git
from git.exc import GitCommandError, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError

from analyzer.errors import ScanError
from analyzer.infra.background import lower_priority

SOURCE_PATHSPECS = ("*.py", "*.java")
SOURCE_SUFFIXES = (".py", ".java")
HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_QUOTED = re.compile(r'\\([\\"abfnrtv]|[0-7]{3})')
# The scanned repository's own configuration must not run anything, and must not change what
# git prints. Passed on every git command; command-line settings win over every config file.
# - fsmonitor hooks run on index reads; hooks (core.hooksPath) on anything that writes it;
# - external diff drivers and textconv filters on log -p (also refused by flags there);
# - log.showSignature makes every `git log` run gpg.program (or gpg.ssh/x509.program);
# - diff.noprefix, mnemonicPrefix and relative change the diff headers that are parsed.
# The function names after hunk headers are never read: a repository's `diff=java` or
# `diff=python` attribute makes git search back with a regex for each hunk (commons-lang's
# one-year window: 1.0 s of git time of which 0.55 s is that search). `^` stops at once.
SAFE = ("-c", "core.fsmonitor=false", "-c", "core.untrackedCache=false", "-c", "core.hooksPath=/dev/null",
        "-c", "diff.external=", "-c", "log.showSignature=false", "-c", "gpg.program=false",
        "-c", "gpg.ssh.program=false", "-c", "gpg.x509.program=false", "-c", "core.quotePath=false",
        "-c", "diff.noprefix=false", "-c", "diff.mnemonicPrefix=false", "-c", "diff.relative=false",
        "-c", "diff.java.xfuncname=^", "-c", "diff.python.xfuncname=^")


@dataclass(frozen=True, slots=True)
class RepoInfo:
    root: Path                  # the work tree's top level
    head: str | None            # None in a repository without commits
    head_timestamp: int | None  # committer time of HEAD
    shallow: bool


def open_repo(path: Path) -> RepoInfo | None:
    """The git work tree containing `path`, or None when it is not in one (or git is absent).
    A repository git refuses to read (owned by another user, a corrupt head) is a ScanError
    that says what git said: its history would otherwise be lost without a word; so is a bare
    repository, which has no work tree."""
    try:
        repo = git.Repo(path, search_parent_directories=True)
    except (InvalidGitRepositoryError, NoSuchPathError, GitCommandNotFound):
        return None
    if repo.bare:   # its files are objects only: "no source files" would send the user looking for them
        raise ScanError(f"{path}: a bare git repository has no work tree to scan; scan a clone of it "
                        f"(git clone {path} DIR)")
    root = Path(repo.working_tree_dir)
    try:
        shallow = repo.git.execute(["git", *SAFE, "rev-parse", "--is-shallow-repository"]).strip() == "true"
        head, stamp = _head(repo, root)
    except GitCommandError as exc:
        raise ScanError(refusal(root, exc)) from None
    return RepoInfo(root, head, stamp, shallow)


def _head(repo: git.Repo, root: Path) -> tuple[str | None, int | None]:
    """HEAD's commit and committer time; (None, None) before the first commit. A HEAD that
    names a commit git cannot read is a broken repository, not an empty one."""
    try:
        sha = repo.git.execute(["git", *SAFE, "rev-parse", "--verify", "--quiet", "HEAD"]).strip()
    except GitCommandError:
        return None, None
    try:
        stamp = repo.git.execute(["git", *SAFE, "log", "-1", "--no-show-signature", "--format=%ct",
                                  "--end-of-options", sha, "--"]).strip()
    except GitCommandError as exc:
        raise ScanError(f"{root}: the head commit {sha[:12]} cannot be read ({first_line(exc.stderr)}); "
                        "the repository is damaged: `git fsck` says more") from None
    return sha, int(stamp)


def refusal(root: Path, exc: GitCommandError) -> str:
    """One line for a git command that failed on the repository itself, with the way out."""
    said = first_line(exc.stderr)
    if "dubious ownership" in said:
        return (f"{root}: git refuses to read this repository: it belongs to another user (git: 'dubious "
                f"ownership'); if you trust it: git config --global --add safe.directory {root}")
    return f"{root}: git cannot read this repository ({said})"


def tracked_files(root: Path) -> list[str]:
    """Tracked files plus untracked ones git does not ignore: what the developer sees."""
    try:
        out = git.Repo(root).git.execute(["git", *SAFE, "ls-files", "-z", "--cached", "--others",
                                          "--exclude-standard"])
    except GitCommandError as exc:
        raise ScanError(refusal(root, exc)) from None
    return sorted({p for p in out.split("\0") if p})


def stream(repo: git.Repo, command: str, args: list[str]) -> Iterator[str]:
    """Lines of a git command's output as it runs; a failure raises GitCommandError."""
    proc = repo.git.execute(["git", *SAFE, command, *args], as_process=True)
    # beside the parse workers and the analysis, git takes the cores they leave idle instead of
    # slowing them down (it still finishes: nothing starves on an idle core)
    lower_priority(proc.proc.pid, 10)
    try:   # decoding in the io layer (C) rather than line by line in Python
        for line in io.TextIOWrapper(proc.proc.stdout, encoding="utf-8", errors="replace", newline="\n"):
            yield line[:-1] if line.endswith("\n") else line
    finally:
        stderr = proc.proc.stderr.read() if proc.proc.stderr else b""
        if proc.proc.wait() != 0:
            raise GitCommandError(["git", command], proc.proc.returncode, stderr)


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


