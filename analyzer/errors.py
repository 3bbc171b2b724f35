"""The one exception the user sees as a one-line error: the scan could not start or finish,
and the one way a user's text file is read."""

from __future__ import annotations

from pathlib import Path


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
