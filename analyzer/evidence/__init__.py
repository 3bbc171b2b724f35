"""Measured evidence: profiles and coverage reports of the code under scan, per unit.

Principles
- rustscout reads what the user recorded; it never records, runs or imports the code.
- A format is recognised from the file's content, never its name (sniff.py).
- Profiles stream: a reader yields records and keeps only the distinct frames it has met, so
  a profile of hundreds of megabytes is read in bounded memory (readers/).
- Every profile becomes the same neutral records, mapped to unit ids by path suffix, name and
  line (mapping.py), summed per unit in one pass (aggregate.py) and combined over profiles with
  equal weight per profile (combine.py).
- A file that cannot be used is one FileError (kind "profile" or "coverage") with a one-line
  message; the run goes on without it, and a truncated profile never counts in part.

Flow:  load(profiles, coverage) -> Loaded           recognise formats, read coverage reports
       measure(loaded, units, root) -> RuntimeEvidence   stream each profile once, map, combine
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from analyzer.evidence.aggregate import tally
from analyzer.evidence.combine import SourceResult, combine
from analyzer.evidence.coverage import readers as coverage_readers
from analyzer.evidence.covered import cover, of_groups
from analyzer.evidence.errors import EvidenceError
from analyzer.evidence.mapping import UnitIndex
from analyzer.evidence.readers import Reader, readers as profile_readers
from analyzer.evidence.sniff import COVERAGE_TOOLS, PROFILE_TOOLS, identify
from analyzer.model import CodeUnit, FileError
from analyzer.model.runtime import CoverageReport, Loaded, ProfileSource, RuntimeEvidence

__all__ = ["EvidenceError", "load", "measure"]


def load(profiles: Sequence[Path | str], coverage: Sequence[Path | str] = ()) -> Loaded:
    """Recognise each profile's format and read each coverage report; problems become errors."""
    sources, reports, errors = [], [], []
    for path in _unique(profiles):
        try:
            sources.append(_profile(path))
        except Exception as exc:        # noqa: BLE001 - any failure is this file's one line
            errors.append(_error(path, exc, "profile"))
    for path in _unique(coverage):
        try:
            reports.append(_report(path))
        except Exception as exc:        # noqa: BLE001
            errors.append(_error(path, exc, "coverage"))
    return Loaded(tuple(sources), tuple(reports), tuple(errors))


def measure(loaded: Loaded, units: Sequence[CodeUnit], root: Path | str | None = None,
            groups: Mapping[str, Sequence[str]] | None = None) -> RuntimeEvidence:
    """Stream every profile against the scan's units and combine; map the coverage reports.

    root: the scanned folder, when known; a profile recorded in that very folder then maps
    by exact relative path instead of by suffix.
    groups: candidate id -> member unit ids (nested included), for components: each gets a
    UnitRuntime under its id, its inclusive share counting a stack once however many of its
    members are on it (the sum of the members' shares would count calls between them twice),
    and a UnitCoverage (covered.of_groups)."""
    index = UnitIndex(units, str(root) if root else None, groups)
    results, errors = [], list(loaded.errors)
    readers = profile_readers()
    for source in loaded.profiles:
        try:
            results.append(_tallied(source, readers[source.format], index))
        except Exception as exc:        # noqa: BLE001 - any failure is this file's one line
            errors.append(_error(source.path, exc, "profile"))
    combined = combine(results, units, groups)
    covered = cover(loaded.coverage, units, str(root) if root else None) if loaded.coverage else None
    errors += combined.errors + (covered.errors if covered else ())
    by_unit = covered.units if covered else {}
    return RuntimeEvidence(runtime=combined.runtime, coverage={**by_unit, **of_groups(by_unit, groups or {})},
                           measurements=combined.measurements, sources=combined.sources,
                           coverage_summary=covered.summary if covered else None, errors=tuple(errors))


def _tallied(source: ProfileSource, reader: Reader, index: UnitIndex) -> SourceResult:
    stream = reader(Path(source.path))
    named = replace(source, tool=stream.tool) if stream.tool else source
    return SourceResult(named, tally(stream, index.resolve))


def _profile(path: str) -> ProfileSource:
    found = identify(Path(path))
    if found in COVERAGE_TOOLS:
        raise EvidenceError(f"is a coverage report ({COVERAGE_TOOLS[found]}), not a profile: give it with --coverage")
    return ProfileSource(path, found, PROFILE_TOOLS[found])


def _report(path: str) -> CoverageReport:
    found = identify(Path(path))
    if found not in COVERAGE_TOOLS:
        raise EvidenceError(f"is a profile ({PROFILE_TOOLS[found]}), not a coverage report: give it with --profile")
    return coverage_readers()[found](Path(path))


def _error(path: str, exc: Exception, kind: str) -> FileError:
    """A reader's own message; anything else (a reader's bug, memory) still one line, not a
    traceback, and the run goes on."""
    if isinstance(exc, EvidenceError):
        return FileError(path, str(exc), kind)
    detail = " ".join(str(exc).split())[:200]
    return FileError(path, f"could not be read ({type(exc).__name__}: {detail}); please report this", kind)


def _unique(paths: Iterable[Path | str]) -> list[str]:
    return list(dict.fromkeys(str(path) for path in paths))
