"""The shared nouns of rustscout, one frozen type per stage.

Each stage takes complete values and returns complete values; nothing here is filled in
later. Types are slotted and frozen so a stage cannot edit what an earlier stage produced,
and they pickle, so parse results can cross process boundaries and sit in a cache.

Flow of nouns:  SourceFile -> ParsedFile(CodeUnit, Import) -> Commit/Change -> Profile
                -> Finding -> Candidate -> Report
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from operator import attrgetter
from typing import Mapping

LANG_PREFIX = {"python": "py", "java": "java"}


def _compact(cls):
    """Pickle as (class, field values): parse results cross from worker processes and
    unpickle about twice as fast this way as through dataclasses' default state."""
    values = attrgetter(*(f.name for f in fields(cls)))
    cls.__reduce__ = lambda self: (cls, values(self) if len(fields(cls)) > 1 else (values(self),))
    return cls
MAX_DEPTH = 3  # loop depths are recorded as 0, 1, 2 and "3 or deeper"


class Verdict(str, Enum):
    PORT = "port"
    FIX_IN_PLACE_FIRST = "fix-in-place-first"
    NOT_A_RUST_PROBLEM = "not-a-rust-problem"
    NEEDS_BOUNDARY_WORK = "needs-boundary-work"
    INSUFFICIENT_EVIDENCE = "insufficient-evidence"


# --- inventory ---------------------------------------------------------------------------

@_compact
@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str                   # repo-relative, posix
    language: str               # "python" | "java"
    size: int                   # bytes
    module: str                 # dotted module name (python) or "" until the parser reads a package
    tags: frozenset[str] = frozenset()   # subset of {"test", "vendored", "build"}

    @property
    def ranked(self) -> bool:
        """Tests, vendored and build files are read (for test references) but never ranked."""
        return not self.tags


@_compact
@dataclass(frozen=True, slots=True)
class FileError:
    path: str
    message: str                # one line, says what and, where it can, which lines
    kind: str = "parse"         # parse | size | encoding | binary | symlink | internal | partial


# --- parse ---------------------------------------------------------------------------------

@_compact
@dataclass(frozen=True, slots=True)
class Observation:
    """One raw pattern fact of a unit: how often it occurs at each loop depth, and where."""
    name: str
    by_depth: tuple[int, int, int, int]   # occurrences at loop depth 0, 1, 2, >=3
    lines: tuple[int, ...]                 # first lines where it occurs (capped)

    @property
    def count(self) -> int:
        return sum(self.by_depth)

    @property
    def in_loops(self) -> int:
        return self.count - self.by_depth[0]


@_compact
@dataclass(frozen=True, slots=True)
class CallSite:
    """A call as written, with its callee resolved as far as one file allows.

    target forms: "re.compile" (resolved through imports), "pkg.mod.helper" (a name of this
    repo), "pkg.mod.Class.method" with via_self, "pkg.mod.Parser().feed" (method on an
    instance of a known class), "param:handler" (a parameter called as a function),
    ".append" (method of a receiver whose type is unknown).
    """
    target: str
    line: int
    loop_depth: int
    literal: str | int | float | None = None   # first positional argument, when a literal
    literal_args: int = 0                      # bit i set when positional argument i is a literal
    via_self: bool = False


@_compact
@dataclass(frozen=True, slots=True)
class Param:
    name: str
    annotation: str | None
    kind: str = "positional"    # positional | keyword | var_positional | var_keyword
    default: bool = False


@_compact
@dataclass(frozen=True, slots=True)
class StateAccess:
    """A read or write of module-level (or static) mutable state from inside a unit."""
    name: str                   # qualified name of the global, e.g. "pkg.mod._CACHE"
    line: int
    write: bool


@_compact
@dataclass(frozen=True, slots=True)
class CodeUnit:
    id: str                     # "py:pkg/mod.py::Class.method"; never contains line numbers
    kind: str                   # module | class | function
    language: str
    path: str
    name: str
    qualname: str               # "Class.method"; "" for a module
    start: int
    end: int
    parent: str | None
    params: tuple[Param, ...] = ()
    returns: str | None = None
    decorators: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    observations: tuple[Observation, ...] = ()
    calls: tuple[CallSite, ...] = ()
    state: tuple[StateAccess, ...] = ()
    sloc: int = 0               # distinct lines that start a statement
    cyclomatic: int = 1         # radon's definition; its own body only, not nested units
    modifiers: tuple[str, ...] = ()   # java: static, synchronized, native ...; python: async, generator

    def observation(self, name: str) -> Observation | None:
        for obs in self.observations:
            if obs.name == name:
                return obs
        return None


@_compact
@dataclass(frozen=True, slots=True)
class Import:
    module: str                 # absolute dotted name that was imported ("pkg.util")
    name: str | None            # imported member for "from X import name"
    alias: str                  # local name it binds
    line: int
    unit: str                   # id of the unit holding the import statement


@_compact
@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the catalogs make of one unit's calls: extra observations, and the calls that
    would cross back into the host language if the unit were ported."""
    observations: tuple[Observation, ...] = ()
    callbacks: tuple[CallSite, ...] = ()


@_compact
@dataclass(frozen=True, slots=True)
class ParsedFile:
    file: SourceFile
    module: str                 # dotted module (python) or package (java)
    units: tuple[CodeUnit, ...]
    imports: tuple[Import, ...]
    mutable_globals: tuple[tuple[str, int], ...] = ()   # (qualified name, line) of module state
    header_end: int = 0                 # last line of the leading docstring and imports
    generated: bool = False
    markers: tuple[str, ...] = ()       # notes such as "lombok" annotations seen
    error: FileError | None = None      # set when the file could not be read, or only in part


# --- history ---------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Commit:
    sha: str
    timestamp: int              # author time, seconds since the epoch
    author: str
    subject: str


@dataclass(frozen=True, slots=True)
class Change:
    """One file touched by one commit; path is the file's name at HEAD after following renames."""
    commit: str
    timestamp: int
    author: str
    path: str
    added: int = -1             # -1 outside the line-count window
    deleted: int = -1
    hunks: tuple[tuple[int, int, int, int], ...] = ()   # (old, old_len, new, new_len) in this commit


@dataclass(frozen=True, slots=True)
class History:
    available: bool
    notice: str | None          # why history factors are missing or partial
    head: str | None
    head_timestamp: int | None
    commits: tuple[Commit, ...] = ()
    changes: tuple[Change, ...] = ()
    window_start: int | None = None     # timestamp from which line counts are known


@dataclass(frozen=True, slots=True)
class FileHistory:
    path: str
    revisions: int
    revisions_90d: int
    revisions_365d: int
    churn_window: int           # lines added + deleted inside the line-count window; -1 if unknown
    authors: int
    authors_365d: int
    age_days: int
    last_change_days: int
    fix_commits: int
    partners: tuple[tuple[str, int, float], ...] = ()   # (path, shared commits, coupling degree)
    recent: tuple[Commit, ...] = ()                      # newest commits touching the file


@dataclass(frozen=True, slots=True)
class UnitHistory:
    """Changes attributed to one unit through hunks mapped onto its HEAD line span."""
    unit_id: str
    revisions_window: int
    churn_window: int
    commits: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HistoryFacts:
    available: bool
    notice: str | None
    commits: int
    files: Mapping[str, FileHistory]
    units: Mapping[str, UnitHistory]
    window_days: int


# --- groups: the extent of each candidate -------------------------------------------------

@dataclass(frozen=True, slots=True)
class Group:
    """A unit or a component together with every unit inside it: what one candidate covers."""
    id: str
    kind: str                   # function | class | module | component
    language: str
    path: str                   # the unit's file, or the component's folder
    name: str
    qualname: str
    lines: tuple[int, int]
    members: tuple[str, ...]    # unit ids, nested units included, sorted
    files: tuple[str, ...]      # files the members live in, sorted
    origin: str = "unit"        # unit | package | cycle | dominator | build-module


@dataclass(frozen=True, slots=True)
class Work:
    """Estimated time of a group per program run, in interpreter-operation units.

    Static, hence an estimate: each operation costs what the cost model says, weighted by
    the loop depths around it and by how often the call graph says its unit runs."""
    group_id: str
    heat: float                         # time in the group
    share: float                        # heat / time of the whole program
    by_kind: Mapping[str, float]        # heat by kind of work (compute, alloc, io, ...)
    native: float                       # estimated time after a port, crossings included
    core_native: float                  # the same with no crossings: callbacks inside, callers too
    crossing_in: float                  # time spent crossing into the port (in `native`)
    crossing_out: float                 # time spent calling back out of it (in `native`)
    calls_in: float                     # boundary crossings into the group per run
    callbacks: float                    # calls from the group back into host code per run

    @property
    def speedup(self) -> float:
        return self.heat / self.native if self.native > 0 else 1.0

    @property
    def core_speedup(self) -> float:
        return self.heat / self.core_native if self.core_native > 0 else 1.0

    @property
    def saved_share(self) -> float:
        """Share of the whole program's time a port would save (Amdahl's numerator)."""
        return max(0.0, self.share * (1 - 1 / self.speedup)) if self.speedup > 0 else 0.0


# --- profiles, rules, findings -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Evidence:
    what: str
    value: float | str | None = None
    path: str | None = None
    lines: tuple[int, int] | None = None
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class Profile:
    """Every metric of one unit or component, each a registered metric name."""
    unit_id: str
    kind: str
    language: str
    path: str
    metrics: Mapping[str, float]
    lines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)   # single-file groups only
    libraries: tuple[str, ...] = ()     # top-level modules of the libraries it calls


@dataclass(frozen=True, slots=True)
class Condition:
    op: str                     # all | any | not | cmp
    children: tuple[Condition, ...] = ()
    metric: str | None = None
    cmp: str | None = None      # < <= > >= == !=
    value: float | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    summary: str
    languages: tuple[str, ...]
    units: tuple[str, ...]      # kinds of candidate it looks at: function, class, module, component
    severity: str               # error | warning | note
    effect: str                 # evidence | feasibility | fix-in-place | not-a-rust-problem
    weight: float
    when: Condition
    message: str
    rationale: str
    references: tuple[str, ...]
    status: str = "stable"
    fix: str | None = None      # name of a mechanical fix (codemod), if the rule has one
    source: str = ""            # the file the rule came from


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    unit_id: str
    path: str
    line: int
    severity: str
    effect: str
    message: str
    evidence: tuple[Evidence, ...]


# --- candidates and the report -------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Factor:
    name: str
    value: float
    unit: str                   # share | x | ratio | count | days | score
    estimate: bool
    summary: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class EntryPoint:
    unit_id: str
    signature: str
    callers: int


@dataclass(frozen=True, slots=True)
class Crossing:
    source: str
    target: str
    line: int
    path: str
    callback: bool              # a call from inside the candidate back into host-language code


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


@dataclass(frozen=True, slots=True)
class Fix:
    rule_id: str
    line: int
    summary: str
    patch: str | None           # unified diff, when the fix is mechanical


@dataclass(frozen=True, slots=True)
class Plan:
    binding: str                # "PyO3 + maturin", "JNI (jni-rs) or FFM"
    crates: tuple[tuple[str, str], ...]   # (library, crate)
    steps: tuple[str, ...]
    cut: tuple[str, ...] = ()   # for needs-boundary-work: what to move across the boundary


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
    timings: tuple[tuple[str, float], ...] = ()   # wall seconds per stage; never serialized
