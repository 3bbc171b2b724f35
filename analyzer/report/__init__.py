"""Reporters turn a finished Report into text; `write` puts text on disk atomically."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from analyzer.model import Report
from analyzer.report import codequality, html, sarif
from analyzer.report import json as json_report


def _html(report: Report) -> str:
    """The page `rustscout report --html` renders from this run's JSON, with the run's timings."""
    return html.render(json_report.document(report), [(name, round(seconds, 2)) for name, seconds in report.timings])


REPORTERS = {"json": json_report.render, "sarif": sarif.render, "gitlab-codequality": codequality.render, "html": _html}


def write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename: a reader never sees
    half a report, and an interrupted run leaves the previous file in place. A FIFO, a
    terminal or /dev/stdout (or a symlink to one) is written into: renaming over it would
    put a regular file where the reader waits. A symlink to a file keeps its link: the file
    it points to is replaced."""
    target = Path(os.path.realpath(path))
    if target.exists() and not stat.S_ISREG(target.stat().st_mode):
        with open(target, "w", encoding="utf-8") as out:
            out.write(text)
        return
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temp, _mode(target))
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _mode(target: Path) -> int:
    """The replaced file's permissions, or a new file's (mkstemp's are private: 0600)."""
    if target.exists():
        return stat.S_IMODE(target.stat().st_mode)
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask
