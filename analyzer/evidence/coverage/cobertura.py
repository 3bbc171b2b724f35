"""Cobertura XML, as coverage.py writes it (`coverage xml`) and Cobertura-style Java tools do.

    <coverage ...><sources><source>/srv/app</source></sources><packages><package name="pkg">
      <classes><class name="codec.py" filename="pkg/codec.py" ...><methods/>
        <lines><line number="5" hits="1" branch="true" condition-coverage="50% (1/2)"/>
               <line number="6" hits="0"/> ...

Only the <lines> directly under a <class> count; Java producers repeat them under <methods>.
"""

from __future__ import annotations

import re
from pathlib import Path

from analyzer.evidence.coverage.lines import LineSet
from analyzer.evidence.coverage.xmlfile import events, number
from analyzer.evidence.errors import EvidenceError
from analyzer.model.runtime import CoverageReport

_CONDITIONS = re.compile(r"\((\d+)/(\d+)\)")


def read(path: Path) -> CoverageReport:
    files: dict[str, LineSet] = {}
    current: LineSet | None = None
    in_method = False
    for event, element in events(path):
        if event == "start":
            if element.tag == "class":
                current = files.setdefault(_filename(element), LineSet())
            in_method = in_method or element.tag == "method"
            continue
        if element.tag == "line" and current is not None and not in_method:
            _line(current, element)
        elif element.tag == "method":
            in_method = False
        elif element.tag == "class":
            current = None
            element.clear()
    return CoverageReport(str(path), "coverage.py XML", tuple(lines.build(name) for name, lines in sorted(files.items())))


def _filename(element) -> str:
    name = element.get("filename")
    if not name:
        raise EvidenceError(f"a <class name={element.get('name')!r}> has no filename")
    return name


def _line(lines: LineSet, element) -> None:
    line = number(element, "number")
    lines.line(line, number(element, "hits") > 0)
    conditions = _CONDITIONS.search(element.get("condition-coverage") or "")
    if element.get("branch") == "true" and conditions:
        lines.branch(line, int(conditions.group(1)), int(conditions.group(2)))
