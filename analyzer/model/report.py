"""Nouns of the result: candidates with their factors, boundary and plan, and the Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Mapping

from analyzer.model._pickle import compact
from analyzer.model.analysis import Evidence, Finding, Group, Rule
from analyzer.model.code import FileError, StateAccess
from analyzer.model.history import FileDiff
from analyzer.model.modules import ModuleGraph
from analyzer.model.runtime import RuntimeEvidence
from analyzer.model.scaffold import MappedSignature


class Verdict(StrEnum):
    PORT = "port"
    FIX_IN_PLACE_FIRST = "fix-in-place-first"
    NOT_A_RUST_PROBLEM = "not-a-rust-problem"
    NEEDS_BOUNDARY_WORK = "needs-boundary-work"
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"


# What a reader acts on: code scanning shows the findings of candidates with these verdicts by default.
ACTIONABLE = (Verdict.PORT.value, Verdict.NEEDS_BOUNDARY_WORK.value, Verdict.FIX_IN_PLACE_FIRST.value)


@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    value: float
    unit: str                   # share | x | ratio | count | days | score
    estimate: bool
    summary: str
    evidence: tuple[Evidence, ...] = ()


@compact   # sent back by the thousand from a split helper (infra/split.py)
@dataclass(frozen=True, slots=True)
class EntryPoint:
    unit_id: str
    signature: str
    callers: int


@compact   # sent back by the thousand from a split helper (infra/split.py)
@dataclass(frozen=True, slots=True)
class Crossing:
    source: str
    target: str
    line: int
    path: str
    callback: bool              # a call from inside the candidate back into host-language code


@compact   # sent back by the thousand from a split helper (infra/split.py)
@dataclass(frozen=True, slots=True)
class Boundary:
    """How a candidate meets the rest of the code. Lists are capped; totals are not."""
    entry_points: tuple[EntryPoint, ...]
    calls_in: tuple[Crossing, ...]
    calls_out: tuple[Crossing, ...]        # in-repo calls leaving the candidate, and callbacks
    shared_state: tuple[StateAccess, ...]
    width: int                             # number of entry points
    calls_in_total: int = 0
    calls_out_total: int = 0
    test_references: int = 0               # test units that import or call a member
    fan_in: int = 0                        # distinct units outside that call in
    fan_out: int = 0                       # distinct repository units outside it calls
    callbacks_total: int = 0               # calls out to callables not in the repository (parameters, ...)
    # the repository's units outside it that one call into it calls most often (an exception
    # path one chance in trip), the most first, capped: what a verdict names as holding a port
    # back. Not in the JSON: calls_out lists the crossings themselves.
    most_called: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class LineEdit:
    """Lines first..last (1-based, inclusive) of a file replaced by `text`, whole lines with
    their endings; last = first - 1 inserts before line `first`."""
    first: int
    last: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    rule_id: str
    line: int
    summary: str
    patch: str | None           # unified diff, when the fix is mechanical
    path: str = ""              # the file the patch changes (relative to the repository root)
    base: str = ""              # git blob id of the file's bytes the patch was made from
    edits: tuple[LineEdit, ...] = ()   # the patch as line edits: `rustscout fix`, SARIF, suggestions


@dataclass(frozen=True, slots=True)
class Plan:
    binding: str                # "PyO3 + maturin", "JNI (jni-rs) or FFM"
    crates: tuple[tuple[str, str], ...]   # (library, crate)
    steps: tuple[str, ...]
    cut: tuple[str, ...] = ()   # for needs-boundary-work: what to move across the boundary
    signatures: tuple[MappedSignature, ...] = ()   # entry points as the binding would expose them


@dataclass(frozen=True, slots=True)
class Judgement:
    """A group scored and judged: everything a candidate says except its place in the ranking
    and the fixes proposed for it, which are decided from the judgements of all groups."""
    group: Group
    score: float
    verdict: Verdict
    reason: str
    factors: tuple[Factor, ...]
    boundary: Boundary
    findings: tuple[Finding, ...]
    plan: Plan | None


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    kind: str                   # function | class | module | component
    language: str
    path: str
    name: str
    qualname: str
    lines: tuple[int, int]
    score: float
    rank: int
    verdict: Verdict
    reason: str
    factors: tuple[Factor, ...]
    boundary: Boundary
    members: tuple[str, ...]
    findings: tuple[Finding, ...]
    fixes: tuple[Fix, ...]
    plan: Plan | None
    native_twins: tuple[str, ...] = ()   # files of native code already standing in for it (or a member)


@dataclass(frozen=True, slots=True)
class NativeTwin:
    """Native code the repository already has, and the units it stands in for (code/twins.py).
    Reported, never scored: it neither raises nor lowers a candidate."""
    module: str                 # the extension module ("markupsafe._speedups") or the JNI class
    language: str               # C | C++ | Cython | Rust
    sources: tuple[str, ...]    # its files, repo-relative
    declared_in: str | None     # the build file declaring it (setup.py, pyproject.toml, Cargo.toml)
    backs: tuple[str, ...]      # unit ids


@dataclass(frozen=True, slots=True)
class PassedOver:
    """A unit or group the scan knows but did not judge, and why: what `explain` says of an id
    that exists but is not a candidate."""
    id: str
    kind: str
    path: str
    name: str
    qualname: str
    lines: tuple[int, int]
    why: str


@dataclass(frozen=True, slots=True)
class Summary:
    files: int
    files_ranked: int
    files_by_tag: Mapping[str, int]
    units: int
    candidates: int
    commits: int
    languages: tuple[str, ...]
    verdicts: Mapping[str, int]
    notices: tuple[str, ...]
    import_cycles: tuple[tuple[str, ...], ...] = ()   # module ids importing each other, each sorted
    suppressed: Mapping[str, int] = field(default_factory=dict)   # rule id -> findings a comment or
                                                                  # per_path_ignores suppressed
    native_twins: tuple[NativeTwin, ...] = ()           # native code already in the repository


@dataclass(frozen=True, slots=True)
class Report:
    tool_version: str
    root: str
    head: str | None
    as_of: str | None
    summary: Summary
    candidates: tuple[Candidate, ...]
    errors: tuple[FileError, ...]
    rules: tuple[Rule, ...]
    evidence: RuntimeEvidence | None = None        # what profiles and coverage reports measured, if given
    scope: str = ""                                 # the folder (or file) scanned, relative to root; "" for all
    timings: tuple[tuple[str, float], ...] = ()   # wall seconds per stage; never serialized
    run_notes: tuple[str, ...] = ()                 # how this run went (cache use); never serialized
    passed_over: tuple[PassedOver, ...] = ()        # what was not judged, and why (explain only); never serialized
    graph: ModuleGraph | None = None                # the files and their links, for the HTML report
    since: str | None = None                        # the first day of history read (--since), None for all

    @property
    def scope_shown(self) -> str:
        """The scope as titles and notes write it: a folder ends in "/", a scanned source file
        (.py or .java: nothing else is scanned on its own) does not."""
        return self.scope if self.scope.endswith((".py", ".java")) else f"{self.scope}/"


@dataclass(frozen=True, slots=True)
class Comparison:
    """A pull request: its head and the merge base with the base branch, each analysed in
    full, and the diff between them."""
    base_ref: str               # as given (origin/main)
    base: Report                # at the merge base of base_ref and the head
    head: Report
    diff: tuple[FileDiff, ...]
    commits: int                # commits the head adds to the merge base
