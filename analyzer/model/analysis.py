"""Nouns of the analysis: groups, the static time model, measures, rules and findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Mapping, Protocol

from analyzer.model._pickle import compact

CALLBACK = "callback"   # the kind of work that calls back into the host language (rules/catalogs/costs.yaml)
EXCEPTION_PATHS = "exception_paths"   # the metric counting every observation on an exception path, together


@dataclass(frozen=True, slots=True)
class Group:
    """A unit or a component together with every unit inside it: what one candidate covers."""
    id: str
    kind: str                   # function | class | module | package | component
    language: str
    path: str                   # the unit's file, or the component's folder
    name: str
    qualname: str
    lines: tuple[int, int]
    members: tuple[str, ...]    # unit ids, nested units included, sorted
    files: tuple[str, ...]      # files the members live in, sorted
    origin: str = "unit"        # unit | package | cycle | dominator | build-module

    @property
    def java_file_class(self) -> bool:
        """A top-level Java class: a Java file is no candidate, its classes stand for it."""
        return self.kind == "class" and self.language == "java" and "." not in self.qualname


@dataclass(frozen=True, slots=True)
class UnitCost:
    """Per-call cost of one unit by kind of work, and its calls into the repository."""
    by_kind: Mapping[str, float]
    calls: tuple[tuple[str, float, str], ...]   # (target, weight per call, cost observation)
    callbacks: float                             # weighted calls back into host code


@dataclass(frozen=True, slots=True)
class Heat:
    """Static time of every unit per program run: cost per call x call frequency."""
    costs: Mapping[str, UnitCost]
    freq: Mapping[str, float]
    of_unit: Mapping[str, float]
    program: float

    def share(self, unit_ids: Iterable[str]) -> float:
        return sum(self.of_unit.get(u, 0.0) for u in unit_ids) / self.program


@compact   # sent back by the thousand from a split helper (infra/split.py)
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


@compact   # sent back by the thousand from a split helper (infra/split.py)
@dataclass(frozen=True, slots=True)
class Intensity:
    """What one call into a group costs, what a port would save of it, and how much traffic
    reaches it (code/intensity.py). Static, so every figure is an estimate."""
    group_id: str
    entry: str | None                  # the member that speaks for the group
    by_kind: Mapping[str, float]       # work per call into `entry`, its call tree included
    work: float                        # per call, in interpreter operations
    saved: float                       # per call: what a port of the whole call tree saves
    inside_saved: float                # per call: what a port of the group as drawn saves
    crossing: float                    # per call: one call in, plus each callback out
    reach: float                       # calls into `entry` per use of its callers
    call_sites: int                    # call sites into the group from outside (tests left out)
    sites_in_loops: int
    modules: int                       # distinct files those call sites sit in
    public: bool                       # a function of the group that nothing in the repository calls
    busiest: float = 0.0               # operations run in the group per use of its callers, busiest entry

    @property
    def core_speedup(self) -> float:
        """The work itself ported: calls back into the host language are the boundary's cost
        (they stay behind whatever is ported), so they are left out here and paid in `speedup`."""
        own = self.work - self.by_kind.get(CALLBACK, 0.0)
        rest = own - self.saved
        return own / rest if rest > 0 else 1.0

    @property
    def speedup(self) -> float:
        """With the boundary as drawn: calls out stay in the host language and every call in
        and out pays a crossing."""
        rest = self.work - self.inside_saved + self.crossing
        return self.work / rest if rest > 0 else 1.0

    @property
    def reached_saved(self) -> float:
        """Operations a port of its call tree saves per use of the callers."""
        return self.reach * self.saved


# --- measures, rules, findings -----------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Evidence:
    what: str
    value: float | str | None = None
    path: str | None = None
    lines: tuple[int, int] | None = None
    commit: str | None = None


@dataclass(frozen=True, slots=True)
class Measures:
    """Every metric of one unit or component, each a registered metric name."""
    unit_id: str
    kind: str
    language: str
    path: str
    metrics: Mapping[str, float]
    lines: Mapping[str, tuple[int, ...]] = field(default_factory=dict)   # single-file groups only
    libraries: tuple[str, ...] = ()     # top-level modules of the libraries it calls


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """One unit's observation counts by loop depth, their lines, and the libraries it calls."""
    counts: Mapping[str, tuple[int, ...]]
    lines: Mapping[str, tuple[int, ...]]
    libraries: tuple[str, ...]


class UnitCountsTable(Protocol):
    """Every unit's UnitCounts by unit id, and which names a unit counts, known without them."""
    def __getitem__(self, unit_id: str) -> UnitCounts: ...
    def counts_any(self, unit_id: str, names: frozenset[str]) -> bool: ...


LOOP = frozenset({"loop"})


@dataclass(frozen=True, slots=True)
class CodeMeasures:
    """What the code says: every unit's own counts, the measures of the groups the
    fix-in-place rules read, and the two figures the shortlist needs of every other group
    (its share of the time, and whether it loops)."""
    own: UnitCountsTable
    measures: Mapping[str, "Measures"]
    heat: Heat

    def share(self, group: Group) -> float:
        return self.heat.share(group.members)

    def loops(self, group: Group) -> bool:
        return any(self.own.counts_any(m, LOOP) for m in group.members)


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

    @property
    def key(self) -> str:
        """Stable across commits (unit ids carry no line numbers): baselines, fingerprints and
        pull-request deltas recognise a finding by it."""
        return f"{self.rule_id}:{self.unit_id}"

    @property
    def anchor(self) -> int:
        """The line to point at: where the evidence starts (the `re.compile` call), else the
        unit's first line. Locations and suppression comments both use it."""
        return min((e.lines[0] for e in self.evidence if e.lines), default=self.line)
