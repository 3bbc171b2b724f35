"""Reporters turn a finished Report into text; `write` puts text on disk atomically, `check`
refuses a target that cannot be written before any work is done, `emit` writes to a file or
to stdout ('-')."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Iterable

from analyzer.errors import ScanError
from analyzer.infra.files import replace_bytes

from analyzer.model import Report
from analyzer.report import codequality, html, sarif
from analyzer.report import json as json_report


def _html(report: Report) -> str:
    """The page `rustscout report --html` renders from this run's JSON, with the run's timings."""
    return html.render(json_report.document(report), [(name, round(seconds, 2)) for name, seconds in report.timings])


# each gives its text, or its pieces in order (the JSON: a candidate at a time)
REPORTERS = {"json": json_report.chunks, "sarif": sarif.render, "gitlab-codequality": codequality.render, "html": _html}
Text = str | Iterable[str]


def write(path: Path, text: Text) -> None:
    """Write through a temporary file in the same folder, then rename: a reader never sees
    half a report, and an interrupted run leaves the previous file in place. A FIFO, a
    terminal or /dev/stdout (or a symlink to one) is written into: renaming over it would
    put a regular file where the reader waits. A symlink to a file keeps its link: the file
    it points to is replaced."""
    target = Path(os.path.realpath(path))
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        with open(target, "w", encoding="utf-8") as out:
            out.writelines(_pieces(text))
        return
    replace_bytes(target, (piece.encode("utf-8") for piece in _pieces(text)), mode=_mode(target))


def _pieces(text: Text) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def _mode(target: Path) -> int:
    """The replaced file's permissions, or a new file's (mkstemp's are private: 0600)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


STDOUT = Path("-")


def check(target: Path | None, flag: str) -> None:
    """Refuse an output path that cannot be written before the work, not after it (a wrong
    path must not cost a scan). A FIFO or a device is taken as it is."""
    if target is None or target == STDOUT or _special(target):
        return
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ScanError(f"{flag} {target}: is a folder; give a file name")
    if not folder.is_dir():
        raise ScanError(f"{flag} {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ScanError(f"{flag} {target}: cannot write in {folder}")


def emit(text: Text, target: Path, flag: str) -> None:
    """'-' is stdout; anything else goes through `write`; a failure is one line naming the flag."""
    try:
        if target == STDOUT:
            sys.stdout.writelines(_pieces(text))
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
