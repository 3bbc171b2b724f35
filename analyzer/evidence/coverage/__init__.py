"""Coverage report readers: each turns one format into a CoverageReport (per file: lines run,
lines never run, branches taken of branches) and raises EvidenceError with one line when the
file cannot be used. Reports are small next to profiles (one entry per line of code), so each
is read whole, XML through iterparse so that no tree of the whole report is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Mapping

from analyzer.model.runtime import CoverageReport


def readers() -> Mapping[str, Callable[[Path], CoverageReport]]:
    from analyzer.evidence.coverage import cobertura, coveragejson, jacoco
    return {"cobertura": cobertura.read, "coverage-json": coveragejson.read, "jacoco": jacoco.read}
