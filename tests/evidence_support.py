"""Helpers for the evidence tests: the fixture trees and the scan's units of them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from analyzer.model import CodeUnit, SourceFile

ROOT = Path(__file__).resolve().parent.parent
EVIDENCE = ROOT / "fixtures" / "evidence"
WORKLOAD = EVIDENCE / "workload"
JAVA = EVIDENCE / "java"
PROFILES = EVIDENCE / "profiles"
COVERAGE = EVIDENCE / "coverage"
WORKLOAD_FILES = ("run.py", "parcel/__init__.py", "parcel/checksum.py", "parcel/packing.py")
JAVA_FILES = ("src/main/java/com/parcel/App.java", "src/main/java/com/parcel/Codec.java",
              "src/test/java/com/parcel/CodecTest.java")


def cpu_profile(script: str | Path, out: str | Path) -> list[str]:
    """The command that records a cProfile of `script` as `python -m cProfile -o OUT` does, in the
    same format, but timed in CPU seconds: on a busy machine a preemption is then not charged to
    the function it interrupts (one 10 ms slice inside a microsecond function once lifted its
    score eightfold)."""
    code = ("import cProfile, runpy, sys, time; profile = cProfile.Profile(time.process_time); "
            "profile.runcall(runpy.run_path, sys.argv[1], run_name='__main__'); profile.dump_stats(sys.argv[2])")
    return [sys.executable, "-c", code, str(script), str(out)]


def scan_units(root: Path, paths: tuple[str, ...]) -> list[CodeUnit]:
    """The units a scan finds, from the scan's own parsers: the one call into the parse stage."""
    from analyzer.parse import java, python
    units: list[CodeUnit] = []
    for path in paths:
        language = "java" if path.endswith(".java") else "python"
        parser = java if language == "java" else python
        parsed = parser.parse_file(SourceFile(path, language, 0, ""), (root / path).read_bytes())
        units.extend(parsed.units)
    return units


def workload_units() -> list[CodeUnit]:
    return scan_units(WORKLOAD, WORKLOAD_FILES)


def java_units() -> list[CodeUnit]:
    return scan_units(JAVA, JAVA_FILES)


def tool(name: str) -> str:
    """A profiler installed beside the interpreter running the tests (the `test` extra); a
    missing one fails the test with the reason rather than skipping it."""
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if not found:
        raise AssertionError(f"{name} is not installed: `pip install -e '.[test]'` installs it (see "
                             "analyzer/evidence/INTEGRATION.md)")
    return found


PY = "py:"
FLETCHER = "py:parcel/checksum.py::fletcher"
ADLER = "py:parcel/checksum.py::adler"
VERIFY = "py:parcel/checksum.py::verify"
LEGACY = "py:parcel/checksum.py::legacy_sum"
MAIN = "py:run.py::main"
PACK = "py:parcel/packing.py::Packer.pack"
RECORDS = "py:parcel/packing.py::Packer.records"
SUMMARIZE = "py:parcel/packing.py::summarize"
CHECKSUM_MODULE = "py:parcel/checksum.py"

CODEC = "java:src/main/java/com/parcel/Codec.java::Codec"
CHECKSUM_BYTES = f"{CODEC}.checksum(byte[])"
CHECKSUM_LIMIT = f"{CODEC}.checksum(byte[],int)"
ENCODE = f"{CODEC}.encode(String)"
FILL = f"{CODEC}.Buffer.fill(int)"
BUFFER = f"{CODEC}.Buffer"
APP_MAIN = "java:src/main/java/com/parcel/App.java::App.main(String[])"
