"""Putting the portfolio's outputs where they were asked for: checked before the run (a
wrong path must not cost an hour of scanning), written atomically after it by the
reporters' own writer (analyzer.report.write: a temporary file then a rename; a FIFO or
a device is written into)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from analyzer.errors import ScanError
from analyzer.report import write

STDOUT = Path("-")


def check(target: Path | None, flag: str) -> None:
    if target is None or target == STDOUT or _special(target):
        return
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ScanError(f"{flag} {target}: is a folder; give a file name")
    if not folder.is_dir():
        raise ScanError(f"{flag} {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ScanError(f"{flag} {target}: cannot write in {folder}")


def emit(text: str, target: Path, flag: str) -> None:
    """'-' is stdout; anything else goes through analyzer.report.write."""
    try:
        if target == STDOUT:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            write(target, text)
    except OSError as exc:
        raise ScanError(f"{flag} {target}: {exc.strerror or exc}") from None


def _special(target: Path) -> bool:
    try:
        mode = os.stat(target).st_mode    # follows a symlink to what it points at
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)
