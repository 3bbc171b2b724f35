"""What the user sees when something is wrong: the exit codes, the one-line error of a scan
that could not start or finish, and the one way a user's text file is read.

Exit codes (ExitCode):
  0    ok
  1    error: bad input, bad rules or settings, a failed scan
  2    the gate failed (--fail-on)
  3    the comment was not posted: the token may not write (401, 403; a fork's read-only token)
  4    the comment was not posted: the pull request or project was not found (404, 422)
  5    the comment was not posted: the provider stayed unavailable (429, 5xx, network)
  6    `rustscout fix` skipped a fix (its file changed since the scan, or it overlaps another)
  130  interrupted (Ctrl-C)
When the gate fails and posting fails too, the posting code wins: the gate's result is in
the output either way, and a broken CI set-up must not look like a finding.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    GATE_FAILED = 2
    POST_DENIED = 3
    POST_NOT_FOUND = 4
    POST_UNAVAILABLE = 5
    FIX_SKIPPED = 6
    INTERRUPTED = 130


class ScanError(Exception):
    """Raised with a message meant for the user, one line, no traceback."""


def read_text(path: Path, what: str = "") -> str:
    """A user's UTF-8 text file (configuration, rules, a comment, a baseline), or a ScanError
    that names the file and what is wrong with it."""
    where = f"{what} {path}" if what else str(path)
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ScanError(f"{where}: not UTF-8 text (byte {exc.start})") from None
    except OSError as exc:
        raise ScanError(f"{where}: cannot read: {exc.strerror or exc}") from None
