"""JaCoCo's XML report (`jacoco:report`, Gradle `jacocoTestReport`).

    <report name="app"><package name="com/foo">
      <class name="com/foo/Bar" sourcefilename="Bar.java">...</class>
      <sourcefile name="Bar.java">
        <line nr="9" mi="0" ci="4" mb="1" cb="1"/> ...

Lines come from <sourcefile> (nr, missed and covered instructions, missed and covered
branches); the file is the package folder plus the source file name, "com/foo/Bar.java".
"""

from __future__ import annotations

from pathlib import Path

from analyzer.evidence.coverage.lines import LineSet
from analyzer.evidence.coverage.xmlfile import events, number
from analyzer.evidence.errors import EvidenceError
from analyzer.model.runtime import CoverageReport


def read(path: Path) -> CoverageReport:
    files: dict[str, LineSet] = {}
    package, current = "", None
    for event, element in events(path):
        if event == "start":
            if element.tag == "package":
                package = element.get("name") or ""
            elif element.tag == "sourcefile":
                current = files.setdefault(_path(package, element), LineSet())
            continue
        if element.tag == "line" and current is not None:
            _line(current, element)
        elif element.tag == "sourcefile":
            current = None
            element.clear()
        elif element.tag == "class":
            element.clear()
    return CoverageReport(str(path), "JaCoCo XML", tuple(lines.build(name) for name, lines in sorted(files.items())))


def _path(package: str, element) -> str:
    name = element.get("name")
    if not name:
        raise EvidenceError("a <sourcefile> has no name")
    return f"{package}/{name}" if package else name


def _line(lines: LineSet, element) -> None:
    line = number(element, "nr")
    lines.line(line, number(element, "ci", 0) > 0)
    missed, covered = number(element, "mb", 0), number(element, "cb", 0)
    if missed + covered:
        lines.branch(line, covered, missed + covered)
