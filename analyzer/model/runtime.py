"""Nouns of the evidence stage: what profiles and coverage reports measured, per unit.

Flow:  paths -> Loaded(ProfileSource, CoverageReport, FileError)
             -> RuntimeEvidence(UnitRuntime, UnitCoverage, Measurement, CoverageSummary, FileError)

Shares are fractions in [0, 1]. A unit of a language that a usable profile measured has a
UnitRuntime even when no sample landed in it: "measured cold" is evidence too. Units of a
language no profile measured have none, and the score keeps its estimate for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.model.code import FileError

POORLY_COVERED = 0.6   # below this share of its lines run under tests, a port needs tests written first


# --- what was given ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class ProfileSource:
    """A profile file whose format was recognised from its content; it is read when measured."""
    path: str                   # as the user gave it
    format: str                 # pyspy-raw | collapsed | async-collapsed | perf-script | speedscope | pstats | scalene | jfr-json
    tool: str                   # for people: "py-spy raw", "async-profiler collapsed (alloc)"


@dataclass(frozen=True, slots=True)
class FileCoverage:
    """One source file of a coverage report, as the report names it."""
    path: str
    executed: tuple[int, ...]                    # measurable lines run at least once, sorted
    missed: tuple[int, ...]                      # measurable lines never run, sorted
    branches: tuple[tuple[int, int, int], ...] = ()   # (line, branches taken, branches), sorted


@dataclass(frozen=True, slots=True)
class CoverageReport:
    path: str
    tool: str                   # "coverage.py XML", "coverage.py JSON", "JaCoCo XML"
    files: tuple[FileCoverage, ...]


@dataclass(frozen=True, slots=True)
class Loaded:
    profiles: tuple[ProfileSource, ...]
    coverage: tuple[CoverageReport, ...]
    errors: tuple[FileError, ...]


# --- what was measured ----------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class UnitRuntime:
    """Measured runtime of one unit, combined over the profiles of its language.

    self_share: share of samples whose innermost frame is the unit's own code.
    inclusive_share: share of samples with the unit (or a unit nested in it) anywhere on the
        stack, each sample counted once however often the unit recurs in it.
    native_share / library_share: of the unit's inclusive samples, the share whose innermost
        frame is native code (C, C++, kernel, JNI) / third-party or standard-library code:
        time a port of the unit would not take out.
    alloc_share / alloc_self_share: the same two shares over allocation samples (bytes or
        counts, as recorded); None when no allocation profile of the language was given.
    """
    unit_id: str
    self_share: float | None    # None when only allocation profiles of the language were given
    inclusive_share: float | None
    native_share: float | None
    library_share: float | None
    alloc_share: float | None
    alloc_self_share: float | None
    samples: int                # samples behind the CPU shares (profiles that count samples)
    source: str                 # "12,345 samples (py-spy raw, prof.txt)"


@dataclass(frozen=True, slots=True)
class UnitCoverage:
    unit_id: str
    lines_run: int
    lines_total: int            # measurable lines inside the unit's line range
    branches_run: int | None    # None when no report gave branches for these lines
    branches_total: int | None
    never_run: tuple[tuple[int, int], ...]   # maximal ranges of lines with no run line between
    source: str                 # "coverage.py XML, coverage.xml"

    @property
    def line_share(self) -> float:
        return self.lines_run / self.lines_total if self.lines_total else 0.0

    @property
    def branch_share(self) -> float | None:
        if not self.branches_total:
            return None
        return (self.branches_run or 0) / self.branches_total

    def summary(self) -> str:
        """"82% of its lines run under tests; lines 40-52 never"."""
        if not self.lines_total:
            return "no measurable lines in the coverage report"
        text = f"{_percent(self.line_share)} of its lines run under tests"
        if self.branch_share is not None:
            text += f", {_percent(self.branch_share)} of its branches"
        if self.never_run:
            text += f"; {_spans(self.never_run)} never"
        return text


def _percent(share: float) -> str:
    """Rounded down: 99.6% of lines run is not "100%"."""
    return f"{int(share * 100 + 1e-9)}%"


def _spans(ranges: tuple[tuple[int, int], ...]) -> str:
    shown = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in ranges[:4])
    more = f" and {len(ranges) - 4} more" if len(ranges) > 4 else ""
    single = len(ranges) == 1 and ranges[0][0] == ranges[0][1]
    return f"{'line' if single else 'lines'} {shown}{more}"


@dataclass(frozen=True, slots=True)
class SourceSummary:
    """One profile as measured: its total and how much of it landed in units of the scan."""
    path: str
    tool: str
    metric: str                 # cpu | alloc
    unit: str                   # samples | seconds | bytes | MB
    total: float                # in `unit`
    language: str               # python | java | "" when nothing mapped
    mapped_share: float         # share of `total` on stacks with at least one frame in a unit
    used: bool                  # False when it mapped to nothing (left out of the combination)

    @property
    def description(self) -> str:
        amount = f"{self.total:,.0f}" if self.unit in ("samples", "bytes") else f"{self.total:,.3g}"
        return f"{amount} {self.unit} ({self.tool}, {self.path})"


@dataclass(frozen=True, slots=True)
class UnmappedFrame:
    frame: str                  # as the profile names it
    kind: str                   # native | library | unknown | empty
    share: float                # of the combined measurement


@dataclass(frozen=True, slots=True)
class Measurement:
    """One metric of one language, combined over its profiles (see analyzer.evidence.combine)."""
    language: str
    metric: str
    sources: tuple[SourceSummary, ...]      # the profiles combined (used ones)
    samples: int                            # sum of totals of the sources that count samples
    mapped_share: float
    unmapped: tuple[UnmappedFrame, ...]     # largest innermost frames of stacks that mapped nowhere
    combine: str                            # how the sources were combined, one sentence

    @property
    def description(self) -> str:
        return "; ".join(source.description for source in self.sources)


@dataclass(frozen=True, slots=True)
class CoverageSummary:
    sources: tuple[tuple[str, str], ...]    # (path, tool)
    files_total: int
    files_mapped: int
    unmapped_files: tuple[str, ...]         # first few files of the reports that match no scanned file


@dataclass(frozen=True, slots=True)
class RuntimeEvidence:
    runtime: Mapping[str, UnitRuntime]
    coverage: Mapping[str, UnitCoverage]
    measurements: tuple[Measurement, ...]
    sources: tuple[SourceSummary, ...]      # every profile read, used or not
    coverage_summary: CoverageSummary | None
    errors: tuple[FileError, ...]
