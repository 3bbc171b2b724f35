"""Opening a profile or report for reading, with failures as one-line EvidenceErrors."""

from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

from analyzer.evidence.errors import EvidenceError


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """Text lines, undecodable bytes replaced: a frame name with a stray byte is still a frame."""
    try:
        stream = open(path, encoding="utf-8", errors="replace")
    except OSError as exc:
        raise EvidenceError(f"cannot read: {exc.strerror or exc}") from None
    with stream:
        try:
            yield stream
        except OSError as exc:
            raise EvidenceError(f"read failed: {exc.strerror or exc}") from None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"cannot read: {exc.strerror or exc}") from None


def load_json(path: Path) -> object:
    """The whole document; for the formats whose files stay small (speedscope, Scalene,
    coverage.py). JFR's printed JSON is streamed instead (readers/jsonstream.py)."""
    data = read_bytes(path)
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise EvidenceError("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        end = "the file ends early (truncated?)" if exc.pos >= len(data.rstrip()) else exc.msg
        raise EvidenceError(f"malformed JSON at line {exc.lineno}, column {exc.colno}: {end}") from None
