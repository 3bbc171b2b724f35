"""Reporters turn a finished Report into text; `write` puts text on disk atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from analyzer.report import codequality, json as json_report, sarif

REPORTERS = {"json": json_report.render, "sarif": sarif.render, "gitlab-codequality": codequality.render}


def write(path: Path, text: str) -> None:
    """Write through a temporary file in the same folder, then rename: a reader never sees
    half a report, and an interrupted run leaves the previous file in place."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
