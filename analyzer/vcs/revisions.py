"""Commits read from git's objects, never from the work tree: what `rustscout pr` compares.

- `resolve` and `merge_base` turn refs into commits, with one clear line when one is
  missing (the usual cause in CI: a shallow checkout);
- `tree` lists a commit's files with their blob ids and sizes (ls-tree -r -l);
- `RevisionReader` reads blobs through one long-lived `git cat-file --batch` per process;
- `diff` lists the source files changed between two commits, with their hunks;
- `commits_between` names the commits a pull request adds.
"""

from __future__ import annotations

import os
from pathlib import Path

import git
from git.exc import GitCommandError

from analyzer.errors import ScanError
from analyzer.model import FileDiff, SourceFile, TreeEntry
from analyzer.vcs.repo import SAFE, SOURCE_PATHSPECS, first_line, hunk, stream, unquote

SHALLOW_HINT = "fetch the full history (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0)"


def resolve(root: Path, ref: str) -> tuple[str, int]:
    """(commit sha, committer time) of a ref, branch, tag or sha. A ref is never read as an
    option (`--base=--output=FILE` would make git write FILE)."""
    if not ref or ref.startswith("-"):
        raise ScanError(f"'{ref}' is not a revision: give a branch, tag or commit (refs never start with '-')")
    repo = git.Repo(root)
    try:
        out = repo.git.execute(["git", *SAFE, "log", "-1", "--format=%H %ct", "--end-of-options",
                                f"{ref}^{{commit}}", "--"])
    except GitCommandError as exc:
        raise ScanError(f"unknown revision '{ref}' ({first_line(exc.stderr)}); {SHALLOW_HINT}, "
                        "and fetch the base branch") from None
    sha, stamp = out.split()
    return sha, int(stamp)


def merge_base(root: Path, base: str, head: str) -> str:
    """Where the head's branch left the base: what a pull request is compared with."""
    try:
        return git.Repo(root).git.execute(["git", *SAFE, "merge-base", "--end-of-options", base, head]).strip()
    except GitCommandError:
        raise ScanError(f"{base[:12]} and {head[:12]} share no history here; {SHALLOW_HINT}") from None


def commits_between(root: Path, base: str, head: str) -> frozenset[str]:
    """The commits reachable from head but not from base."""
    out = git.Repo(root).git.execute(["git", *SAFE, "rev-list", "--end-of-options", f"{base}..{head}"])
    return frozenset(out.split())


def tree(root: Path, commit: str) -> tuple[TreeEntry, ...]:
    out = git.Repo(root).git.execute(["git", *SAFE, "ls-tree", "-r", "-l", "-z", "--full-tree", "--end-of-options", commit])
    entries = []
    for record in out.split("\0"):
        if not record:
            continue
        meta, path = record.split("\t", 1)
        mode, kind, blob, size = meta.split()
        if kind == "blob":
            entries.append(TreeEntry(path, blob, int(size) if size.isdigit() else 0, mode))
    return tuple(entries)


class RevisionReader:
    """File contents by blob id. Each process opens its own `cat-file --batch` on first use:
    parse workers are forked, and a pipe shared across a fork would mix their reads."""

    def __init__(self, root: str):
        self.root = root
        self._repo: git.Repo | None = None
        self._pid = -1

    def __getstate__(self):
        return {"root": self.root}

    def __setstate__(self, state):
        self.__init__(state["root"])

    def read(self, file: SourceFile, blob: str | None) -> bytes:
        if blob is None:
            raise OSError(f"no blob id for {file.path}")
        return self.blob(blob)

    def blob(self, blob: str) -> bytes:
        if self._pid != os.getpid():
            self._repo, self._pid = git.Repo(self.root), os.getpid()
        try:
            return self._repo.git.get_object_data(blob)[3]
        except (GitCommandError, ValueError) as exc:
            raise OSError(f"cannot read blob {blob[:12]}: {exc}") from None


def diff(root: Path, base: str, head: str) -> tuple[FileDiff, ...]:
    """Source files changed from base to head, renames followed, with -U0 hunks."""
    args = ["-U0", "-M", "--no-color", "--no-ext-diff", "--no-textconv", "--end-of-options", base, head, "--", *SOURCE_PATHSPECS]
    return tuple(_file_diffs(stream(git.Repo(root), "diff", args)))


def _file_diffs(lines):
    old = new = None
    hunks: list[tuple[int, int, int, int]] = []
    started, skip = False, 0
    for line in lines:
        if skip:           # hunk bodies are skipped by count: a body line may look like a header
            skip -= 1
        elif line.startswith("diff --git "):
            if started:
                yield FileDiff(old, new, tuple(hunks))
            old, new, hunks, started = _paths(line), _paths(line, new=True), [], True
        elif line.startswith(("--- ", "+++ ", "rename from ", "rename to ", "new file mode", "deleted file mode")):
            old, new = _header(line, old, new)
        elif line.startswith("@@ "):
            found = hunk(line)
            hunks.append(found)
            skip = found[1] + found[3]
    if started:
        yield FileDiff(old, new, tuple(hunks))


def _paths(line: str, new: bool = False) -> str | None:
    """A first guess from the `diff --git a/x b/y` line, corrected by the lines that follow."""
    parts = line[len("diff --git "):].split(" b/", 1)
    return unquote(parts[1]) if new and len(parts) == 2 else unquote(parts[0].removeprefix("a/"))


def _header(line: str, old: str | None, new: str | None) -> tuple[str | None, str | None]:
    if line.startswith("new file mode"):
        return None, new
    if line.startswith("deleted file mode"):
        return old, None
    if line.startswith("--- "):
        return (None if line == "--- /dev/null" else unquote(line[4:]).removeprefix("a/")), new
    if line.startswith("+++ "):
        return old, (None if line == "+++ /dev/null" else unquote(line[4:]).removeprefix("b/"))
    if line.startswith("rename from "):
        return unquote(line[12:]), new
    return old, unquote(line[10:])
