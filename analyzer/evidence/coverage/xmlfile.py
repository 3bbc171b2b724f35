"""Streaming an XML report with ElementTree.iterparse, failures as one-line EvidenceErrors.

Reports come from other machines: a document type that declares entities is refused before
parsing (coverage tools never declare any; JaCoCo only names an external DTD, which expat does
not fetch), so entity expansion cannot blow up memory."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from analyzer.evidence.errors import EvidenceError


def events(path: Path) -> Iterator[tuple[str, ET.Element]]:
    _refuse_entities(path)
    try:
        yield from ET.iterparse(path, events=("start", "end"))
    except ET.ParseError as exc:
        line, column = exc.position
        reason = "the XML ends early (truncated?)" if _ends_early(path, exc) else str(exc).split(":")[0]
        raise EvidenceError(f"malformed XML at line {line}, column {column}: {reason}") from None
    except OSError as exc:
        raise EvidenceError(f"cannot read: {exc.strerror or exc}") from None


def _ends_early(path: Path, exc: ET.ParseError) -> bool:
    """A complete report ends with its root's closing tag; a cut one in the middle of anything."""
    if "no element found" in str(exc):
        return True
    with open(path, "rb") as stream:
        stream.seek(max(0, path.stat().st_size - 256))
        return not stream.read().rstrip().endswith(b">")


def _refuse_entities(path: Path) -> None:
    try:
        with open(path, "rb") as stream:
            head = stream.read(1 << 16)
    except OSError as exc:
        raise EvidenceError(f"cannot read: {exc.strerror or exc}") from None
    if b"<!ENTITY" in head:
        raise EvidenceError("the XML declares entities; coverage reports never do, so it is refused")


def number(element: ET.Element, name: str, default: int | None = None) -> int:
    value = element.get(name)
    if value is None and default is not None:
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise EvidenceError(f"<{element.tag}> has no integer {name} (got {value!r})") from None
