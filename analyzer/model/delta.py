"""Nouns of a pull request's effect on the ranking, and of a baseline of known findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from analyzer.model.analysis import Finding
from analyzer.model.report import Candidate, Comparison, Crossing, Fix

# The sticky comment's identity: the hidden line a forge's comment list is searched for.
MARKER = "<!-- rustscout:pr-comment -->"
MAX_CHARS = 60_000          # a comment's length, under GitHub's 65,536


@dataclass(frozen=True, slots=True)
class Shift:
    """A candidate before the pull request (at the merge base) and after it (at the head)."""
    id: str                     # as at the head (as at the base when it is gone)
    kind: str
    name: str
    path: str
    lines: tuple[int, int]
    before: tuple[float, str] | None    # (score, verdict); None when it is new
    after: tuple[float, str] | None     # None when it is gone
    rank: int | None = None             # at the head


@dataclass(frozen=True, slots=True)
class Erosion:
    """A candidate's boundary grew: more ways in or out that a port would have to carry."""
    candidate: Shift
    measure: str                # calls in | calls out | entry points | shared state
    before: int
    after: int
    examples: tuple[Crossing, ...] = ()   # new crossings seen in the head's (capped) lists


@dataclass(frozen=True, slots=True)
class OfferedFix:
    """A new finding's mechanical fix. `suggestion`: each of its edits replaces lines that the
    pull request changed, so it can be offered as a suggested change on them."""
    fix: Fix
    suggestion: bool


@dataclass(frozen=True, slots=True)
class Delta:
    base_ref: str
    base: str                   # merge-base commit
    head: str
    commits: int
    files_changed: int
    touched: tuple[Shift, ...]          # candidates in changed code worth a line
    quiet: int                          # other touched candidates: counted, not listed
    new_findings: tuple[Finding, ...]   # fix-in-place, on changed lines, not in base or baseline
    erosion: tuple[Erosion, ...]
    new_cycles: tuple[tuple[str, ...], ...]
    appeared: tuple[Shift, ...]
    gone: tuple[Shift, ...]
    top: tuple[Candidate, ...]          # the head's ranking, first N
    candidates: int = 0                 # how many the head ranks
    tool_version: str = ""
    measured: tuple[str, ...] = ()      # the profiles behind measured shares ("0.94 seconds (cProfile, run.prof)")
    fixes: tuple[OfferedFix, ...] = ()  # the mechanical fixes of new_findings

    @property
    def relevant(self) -> bool:
        return bool(self.touched or self.new_findings or self.erosion or self.new_cycles or self.appeared or self.gone)


@dataclass(frozen=True, slots=True)
class Known:
    """A candidate as the baseline recorded it."""
    score: float
    verdict: str
    calls_in: int = 0
    calls_out: int = 0
    entry_points: int = 0
    shared_state: int = 0


@dataclass(frozen=True, slots=True)
class Baseline:
    """What a team has accepted: findings by stable key, candidates by id, import cycles."""
    findings: frozenset[str] = frozenset()
    candidates: Mapping[str, Known] = field(default_factory=dict)
    cycles: frozenset[frozenset[str]] = frozenset()


@dataclass(frozen=True, slots=True)
class Review:
    """A pull request reviewed: the two commits analysed, what changed between them, the
    gate's failed conditions (one line each) and the comment that says so."""
    comparison: Comparison
    delta: Delta
    failed: tuple[str, ...]
    comment: str
