"""Recognising a profile or coverage format from the first 64 KB of a file, never its name.

Rules, in order:
  marshal dict of tuples (0x7b or 0xfb, then a tuple code)   cProfile statistics
  JSON with "recording" then "events"                        JFR printed with jfr print --json
  JSON naming speedscope's schema, or "profiles" + "shared"  speedscope
  JSON with Scalene's top-level keys                         Scalene
  JSON with "meta" + "files" + coverage.py's meta keys       coverage.py JSON
  XML whose root is <coverage>                               Cobertura (coverage.py XML)
  XML whose root is <report>                                 JaCoCo XML
  text: "header with a timestamp:" then indented frames      perf script
  text: "frame;frame;frame COUNT" lines                      collapsed stacks; the frames say
        whose (py-spy, async-profiler CPU or allocation, or any other)
"""

from __future__ import annotations

import re
from pathlib import Path

from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.frames import JAVA, PYTHON, TYPE, collapsed_frame, pyspy_frame
from analyzer.evidence.readers.perf import FRAME_LINE as PERF_FRAME, HEADER as PERF_HEADER

HEAD = 1 << 16

PROFILE_TOOLS = {
    "pyspy-raw": "py-spy raw", "async-collapsed": "async-profiler collapsed",
    "async-collapsed-alloc": "async-profiler collapsed (alloc)", "collapsed": "collapsed stacks",
    "perf-script": "perf script", "speedscope": "speedscope", "pstats": "cProfile",
    "scalene": "Scalene", "jfr-json": "JFR (jfr print --json)",
}
COVERAGE_TOOLS = {"cobertura": "coverage.py XML", "coverage-json": "coverage.py JSON", "jacoco": "JaCoCo XML"}

PROFILE_FORMATS = ("py-spy raw or speedscope, cProfile statistics, Scalene JSON, perf script, "
                   "async-profiler collapsed, or JFR printed by jfr print --json")
COVERAGE_FORMATS = "coverage.py XML or JSON, or JaCoCo XML"

_BINARY = {b"FLR\x00": "a binary JFR recording: print it first with `jfr print --json FILE.jfr > FILE.json`",
           b"PERFILE2": "a binary perf.data file: convert it first with `perf script -i perf.data > perf.txt`"}
_COLLAPSED = re.compile(r"^(?:.*\S)? \d+$")
_SCALENE_KEYS = ('"elapsed_time_sec"', '"max_footprint_mb"', '"alloc_samples"', '"n_cpu_percent_python"')
_COVERAGE_META = re.compile(r'"meta"\s*:\s*\{[^{}]*"(?:branch_coverage|show_contexts|timestamp)"')
_XML_ROOT = re.compile(r"<([A-Za-z_][\w.-]*)")
_XML_PROLOGUE = re.compile(r"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>)*", re.S)


def identify(path: Path) -> str:
    """The format id of a profile or coverage file; EvidenceError when it is none we read."""
    head = _head(path)
    if _is_pstats(head):
        return "pstats"
    for magic, message in _BINARY.items():
        if head.startswith(magic):
            raise EvidenceError(message)
    if b"\x00" in head:
        raise EvidenceError(f"a binary file, not a profile or coverage report we read ({PROFILE_FORMATS})")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    start = text.lstrip(" \t\r\n")   # collapsed stacks keep their first line whole: " 4" is an empty stack
    if start.startswith("{"):
        return _json_format(start)
    if start.startswith("<") and not _COLLAPSED.match(start.partition("\n")[0].rstrip("\r")):
        return _xml_format(start)       # py-spy's stacks start with "<module> (...)" too
    return _text_format(text)


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as stream:
            head = stream.read(HEAD)
    except IsADirectoryError:
        raise EvidenceError("is a folder, not a file") from None
    except OSError as exc:
        raise EvidenceError(f"cannot read: {exc.strerror or exc}") from None
    if not head.strip():
        raise EvidenceError("empty file")
    return head


def _is_pstats(head: bytes) -> bool:
    """A marshal dict (0x7b, 0xfb with the reference flag) whose first key is a tuple, or empty."""
    return len(head) >= 2 and head[0] in (0x7B, 0xFB) and head[1] in (0x28, 0x29, 0xA8, 0xA9, 0x30)


def _json_format(text: str) -> str:
    if re.match(r'\{\s*"recording"\s*:\s*\{\s*"events"', text):
        return "jfr-json"
    if "speedscope.app/file-format-schema" in text or ('"profiles"' in text and '"shared"' in text):
        return "speedscope"
    if any(key in text for key in _SCALENE_KEYS):
        return "scalene"
    if _COVERAGE_META.search(text):
        return "coverage-json"
    raise EvidenceError(f"a JSON file in no format we read ({PROFILE_FORMATS}; {COVERAGE_FORMATS})")


def _xml_format(text: str) -> str:
    root = _XML_ROOT.match(text, _XML_PROLOGUE.match(text).end())
    tag = root.group(1) if root else ""
    if tag == "coverage":
        return "cobertura"
    if tag == "report":
        return "jacoco"
    raise EvidenceError(f"an XML file whose root <{tag}> is no format we read ({COVERAGE_FORMATS})")


def _text_format(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not text.endswith("\n") and len(lines) > 1:
        lines = lines[:-1]          # the last line of a cut head (or a truncated file) is cut
    lines = lines[:200]
    if lines and PERF_HEADER.match(lines[0]) and (len(lines) == 1 or PERF_FRAME.match(lines[1])):
        return "perf-script"
    if lines and _COLLAPSED.match(lines[0]) and sum(bool(_COLLAPSED.match(line)) for line in lines) * 2 > len(lines):
        return _collapsed_flavour(lines)   # the reader names the first bad line, if any
    raise EvidenceError(f"unknown profile format (expected {PROFILE_FORMATS})")


def _collapsed_flavour(lines: list[str]) -> str:
    stacks = [line.rpartition(" ")[0].split(";") for line in lines if _COLLAPSED.match(line) and line.rpartition(" ")[0]]
    frames = [frame for stack in stacks for frame in stack]
    if frames and sum(pyspy_frame(frame).kind == PYTHON for frame in frames) * 4 >= len(frames):
        return "pyspy-raw"
    if stacks and all(collapsed_frame(stack[-1], alloc=True).kind == TYPE for stack in stacks):
        return "async-collapsed-alloc"
    if frames and any(collapsed_frame(frame).kind == JAVA for frame in frames):
        return "async-collapsed"
    return "collapsed"
