"""Repositories fetched for `rustscout portfolio`: a source's head asked of the remote, and a
clean checkout of it in a work folder with the history a scan reads.

A checkout holds the whole history of one branch (the scan's churn, age and authors need
it; a shallow clone would leave them out), no tags, and a work tree forced to the fetched
head with everything untracked removed, so a scan of it depends only on that commit.

Nothing of the remote repository's runs here:
- every command carries vcs.repo's SAFE configuration: no fsmonitor, no external diff, and
  no hooks (core.hooksPath points at nothing; a checkout would run the template's
  post-checkout hook);
- only the file, git, http(s) and ssh transports are allowed: `ext::` would run a command;
- git never prompts (a missing credential is an error, not a hang) and never fetches Git
  LFS objects on checkout;
- a source is always passed after `--`, so one starting with a dash is not an option.
The remote's own configuration never reaches us: we read its objects, not its config.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import git
from git.exc import GitCommandError, GitCommandNotFound

from analyzer.errors import ScanError
from analyzer.vcs.repo import SAFE, first_line

ENVIRONMENT = {"GIT_ALLOW_PROTOCOL": "file:git:http:https:ssh", "GIT_TERMINAL_PROMPT": "0",
               "GCM_INTERACTIVE": "never", "GIT_LFS_SKIP_SMUDGE": "1"}
_ACCESS = re.compile(r"authentication|permission denied|could not read (username|password)|access denied|"
                     r"repository not found|not found|does not exist|does not appear to be a git repository|"
                     r"returned error: 40[134]|terminal prompts disabled|host key verification", re.IGNORECASE)


class CloneError(ScanError):
    """A source that could not be read; `kind` is "access" (missing, or no right to read
    it), "timeout" or "clone" (anything else git refused)."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def remote_head(source: str, branch: str | None, timeout: float) -> str:
    """The commit the source's branch (or its default branch) points at, asked of the
    remote without fetching anything (`git ls-remote`)."""
    ref = f"refs/heads/{branch}" if branch else "HEAD"
    out = _git(None, ["ls-remote", "--", source, ref], timeout)
    for line in out.splitlines():
        sha, _, name = line.partition("\t")
        if name == ref:
            return sha
    if branch:
        raise CloneError("access", f"no branch '{branch}' in the repository")
    raise CloneError("access", "the repository has no commits")


def checkout(source: str, branch: str | None, dest: Path) -> str:
    """Make `dest` a clean checkout of the source's branch head, cloning it the first time
    and fetching afterwards; returns the commit checked out."""
    if not _sound(dest):
        _clone(source, branch, dest)
    _git(dest, ["fetch", "--no-tags", "--force", "--quiet", "--", source, branch or "HEAD"])
    _git(dest, ["checkout", "--quiet", "--force", "--detach", "FETCH_HEAD"])
    _git(dest, ["clean", "-ffdxq"])
    return _git(dest, ["rev-parse", "HEAD"]).strip()


def _sound(dest: Path) -> bool:
    """A checkout left by an earlier run, not a half-made one (a clone killed mid-way)."""
    if not (dest / ".git").is_dir():
        return False
    try:
        _git(dest, ["rev-parse", "--verify", "--quiet", "HEAD"])
    except CloneError:
        return False
    return True


def _clone(source: str, branch: str | None, dest: Path) -> None:
    """A fresh clone, made beside `dest` and moved into place only when complete."""
    partial = dest.with_name(dest.name + ".partial")
    for stale in (dest, partial):
        shutil.rmtree(stale, ignore_errors=True)
    dest.parent.mkdir(parents=True, exist_ok=True)
    choice = ["--branch", branch] if branch else []
    _git(None, ["clone", "--quiet", "--no-checkout", "--no-tags", "--single-branch", *choice, "--", source,
                str(partial)])
    os.replace(partial, dest)


def _git(cwd: Path | None, args: list[str], timeout: float | None = None) -> str:
    try:
        return git.Git(cwd).execute(["git", *SAFE, *args], env=ENVIRONMENT, kill_after_timeout=timeout)
    except GitCommandNotFound:
        raise CloneError("clone", "git is not installed or not on PATH") from None
    except GitCommandError as exc:
        raise _classified(exc) from None


def _classified(exc: GitCommandError) -> CloneError:
    text = first_line(exc.stderr).removeprefix("fatal: ").removeprefix("error: ")
    if "Timeout:" in str(exc.stderr):
        return CloneError("timeout", "git did not answer in time")
    return CloneError("access" if _ACCESS.search(str(exc.stderr)) else "clone", text)
