"""Measures: every metric of every group, joined in one place.

Two steps, because most groups are never ranked:
- `code_measures`, for every group: what the code itself says (observation counts, loop
  depth, size, complexity, libraries) and its share of the estimated time. Enough for the
  fix-in-place rules and for the shortlist.
- `build`, for the shortlist: the same plus boundary, work estimate and history.

Output metric names are all registered in metrics.py, so rules can be checked against them.
This is the one place where file-level history is attributed to units and where unit
figures are summed up into classes, modules and components. Each unit's own figures are
computed once; a group of one unit (most groups) uses them as they are.
"""

from __future__ import annotations

from collections import defaultdict

from dataclasses import replace
from itertools import zip_longest
from typing import Iterable, Mapping, NamedTuple, Sequence

from analyzer.code.classify import standard_library
from analyzer.code.graph import DependencyGraph
from analyzer.code.heat import observations_of
from analyzer.model import (EXCEPTION_PATHS, MAX_DEPTH, Boundary, CodeMeasures, CodeUnit, Group, Heat, HistoryFacts,
                            Intensity, Measures, UnitCounts, UnitFacts, UnitKind, Work)
from analyzer.ruleset.catalog import Catalog


def unit_counts(unit: CodeUnit, facts: Mapping[str, UnitFacts], graph: DependencyGraph) -> UnitCounts:
    """One unit's observation counts by loop depth, their lines, and the libraries it calls."""
    counts: dict[str, list[int]] = {}
    lines: dict[str, tuple[int, ...]] = {}
    cold = 0
    for obs in observations_of(unit, facts):
        _add(counts, lines, obs.name, obs.per_call, obs.lines)
        if obs.loop_lines:
            _add_lines(lines, f"{obs.name}_in_loops", obs.loop_lines)
        if obs.cold:
            cold += obs.cold
            _add_lines(lines, EXCEPTION_PATHS, obs.cold_lines)
    if cold:   # once per call, outside any loop, as rules count them
        counts[EXCEPTION_PATHS] = [cold] + [0] * MAX_DEPTH
    calls = graph.calls_from(unit.id)
    if calls:   # half the units call nothing in the repository
        _add_calls(counts, lines, calls, graph)
    extra = facts.get(unit.id)
    return UnitCounts({n: tuple(row) for n, row in counts.items()}, lines, extra.libraries if extra else ())


def _add_calls(counts: dict[str, list[int]], lines: dict[str, tuple[int, ...]], calls, graph: DependencyGraph) -> None:
    called: dict[str, set[int]] = defaultdict(set)   # each call's line, sorted in once at the end
    for edge in calls:
        name = graph.cost_name(edge)
        row = counts.get(name)
        if row is None:
            row = counts[name] = [0] * (MAX_DEPTH + 1)
        row[min(edge.depth, MAX_DEPTH)] += 1
        called[name].add(edge.line)
        if edge.depth:
            called[f"{name}_in_loops"].add(edge.line)
    for name, found in called.items():
        _add_lines(lines, name, found)


def _add_lines(lines: dict[str, tuple[int, ...]], name: str, found) -> None:
    """Lines of a metric that has no counts of its own (NAME_in_loops)."""
    lines[name] = tuple(sorted({*lines.get(name, ()), *found}))


def _add(counts: dict[str, list[int]], lines: dict[str, tuple[int, ...]], name: str, by_depth, found) -> None:
    row = counts.get(name)
    if row is None:   # the usual case: one observation per name, its lines sorted and distinct
        counts[name] = list(by_depth)
        lines[name] = tuple(found)
        return
    for d, n in enumerate(by_depth):
        row[d] += n
    lines[name] = tuple(sorted({*lines[name], *found}))


class OwnCounts(Mapping[str, UnitCounts]):
    """Every unit's own counts (`unit_counts`), each worked out when first asked: the
    fix-in-place rules and the shortlist read a tenth of them (kafka: 40k units, 1 s for all).
    Which names a unit counts is known without them (`counts_any`)."""

    def __init__(self, units: Mapping[str, CodeUnit], facts: Mapping[str, UnitFacts], graph: DependencyGraph,
                 ids: Iterable[str]):
        self._units, self._facts, self._graph = units, facts, graph
        self._ids = sorted(ids)
        self._known = frozenset(self._ids)
        self._done: dict[str, UnitCounts] = {}

    def __getitem__(self, uid: str) -> UnitCounts:
        found = self._done.get(uid)
        if found is None:
            if uid not in self._known:
                raise KeyError(uid)
            found = self._done[uid] = unit_counts(self._units[uid], self._facts, self._graph)
        return found

    def __iter__(self):
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def counts_any(self, uid: str, names: frozenset[str]) -> bool:
        """Whether a unit's counts hold one of `names`: its observations' names and the cost
        names of its calls are what `unit_counts` counts."""
        if uid in self._done:
            return not names.isdisjoint(self._done[uid].counts)
        graph = self._graph
        return (any(obs.name in names for obs in observations_of(self._units[uid], self._facts))
                or any(graph.cost_name(e) in names for e in graph.calls_from(uid)))


def code_measures(groups: Sequence[Group], units: Mapping[str, CodeUnit], graph: DependencyGraph,
                  facts: Mapping[str, UnitFacts], heat: Heat, catalog: Catalog, kinds: Iterable[str],
                  triggers: frozenset[str] | None = None) -> CodeMeasures:
    """Measures of the groups of `kinds` that have one of the `triggers` observations (all
    of them when None): the groups the fix-in-place rules could fire on."""
    own = OwnCounts(units, facts, graph, {m for g in groups for m in g.members})
    wanted = set(kinds)
    measures = {g.id: _code_measures(g, units, own, heat, catalog) for g in groups
                if g.kind in wanted and (triggers is None or any(own.counts_any(m, triggers) for m in g.members))}
    return CodeMeasures(own, measures, heat)


def _code_measures(group: Group, units: Mapping[str, CodeUnit], own: Mapping[str, UnitCounts], heat: Heat,
                  catalog: Catalog, files: FileParts | None = None) -> Measures:
    """Lines are kept for single-unit groups only: merging them for classes and modules is
    left to `build`, for the groups that are shortlisted. A group of several files is summed
    from its files' sums (`files`), where `build` keeps them."""
    if files is not None and len(group.files) > 1:
        parts, sizes = files.of(group.members)
    else:
        parts, sizes = [own[m] for m in group.members], Sizes.of([units[m] for m in group.members])
    counts, lines, libraries = _merged(parts)
    metrics: dict[str, float] = {}
    for name, row in counts.items():
        total = sum(row)
        metrics[name] = float(total)
        metrics[f"{name}_in_loops"] = float(total - row[0])
    head = units[group.members[0]] if group.members and group.members[0] == group.id else None
    metrics.update(_structure(head, sizes, counts.get("loop")))
    metrics["heat_share"] = heat.share(group.members)
    metrics["libraries"] = float(len(libraries))
    metrics["libraries_unmapped"] = float(sum(
        1 for lib in libraries if not standard_library(group.language, lib) and not catalog.crate_for(group.language, lib)))
    return Measures(group.id, group.kind, group.language, group.path, metrics, lines, libraries)


def build(groups: Sequence[Group], code: CodeMeasures, units: Mapping[str, CodeUnit], graph: DependencyGraph,
          boundaries: Mapping[str, Boundary], works: Mapping[str, Work], history: HistoryFacts,
          catalog: Catalog, intensity: Mapping[str, Intensity] | None = None) -> dict[str, Measures]:
    """Full measures of the shortlisted groups: their code measures plus the context."""
    in_cycle = {u for c in graph.import_cycles() for u in c}
    files, kinds = FileParts(units, code.own), catalog.costs.kinds()
    out = {}
    for group in groups:
        base = code.measures.get(group.id) or _code_measures(group, units, code.own, code.heat, catalog, files)
        lines = _merged_lines(code.own, group.members) if len(group.files) == 1 and len(group.members) > 1 else base.lines
        metrics = dict(base.metrics)
        metrics.update(_boundary_metrics(boundaries[group.id], not in_cycle.isdisjoint(group.members)))
        metrics.update(_work_metrics(works[group.id], kinds))
        if intensity is not None and group.id in intensity:
            metrics.update(_tree_metrics(intensity[group.id], kinds))
        metrics.update(_history_metrics(group, history))
        out[group.id] = replace(base, metrics=metrics, lines=lines)
    return out


def _merged(parts: list[UnitCounts]):
    """Counts and libraries of several units; lines only for a single unit (see build)."""
    if len(parts) == 1:
        return parts[0].counts, parts[0].lines, parts[0].libraries
    rows: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    libraries: set[str] = set()
    for part in parts:
        for name, row in part.counts.items():
            rows[name].append(row)
        libraries.update(part.libraries)
    zero = (0,) * (MAX_DEPTH + 1)
    counts = {name: list(map(sum, zip_longest(zero, *found, fillvalue=0))) for name, found in rows.items()}
    return counts, {}, tuple(sorted(libraries))


def _merged_lines(own: Mapping[str, UnitCounts], members) -> dict[str, tuple[int, ...]]:
    lines: dict[str, set[int]] = {}
    for member in members:
        for name, found in own[member].lines.items():   # NAME and NAME_in_loops alike
            lines.setdefault(name, set()).update(found)
    return {n: tuple(sorted(v)) for n, v in lines.items()}


class Sizes(NamedTuple):
    """What `_structure` sums over a group's units: integers, so sums of sums are the same."""
    sloc: int
    cyclomatic: int          # the largest of its functions'
    cyclomatic_total: int
    units: int
    asyncs: int
    generators: int

    @classmethod
    def of(cls, members: Sequence[CodeUnit]) -> Sizes:
        functions = [u.cyclomatic for u in members if u.kind == UnitKind.FUNCTION]
        return cls(sum(u.sloc for u in members), max(functions, default=0), sum(functions), len(members),
                   sum("async" in u.modifiers for u in members), sum("generator" in u.modifiers for u in members))

    @classmethod
    def combined(cls, parts: Sequence[Sizes]) -> Sizes:
        return cls(sum(p.sloc for p in parts), max((p.cyclomatic for p in parts), default=0),
                   sum(p.cyclomatic_total for p in parts), sum(p.units for p in parts),
                   sum(p.asyncs for p in parts), sum(p.generators for p in parts))


class FileParts:
    """The counts and sizes of a package's or component's units, summed file by file, each
    file once: on kafka the ranked packages and components hold 7,800 files, 3,000 distinct,
    and their 112k units were summed again for every group that holds them."""

    def __init__(self, units: Mapping[str, CodeUnit], own: Mapping[str, UnitCounts]):
        self._units, self._own = units, own
        self._done: dict[tuple[str, ...], tuple[UnitCounts, Sizes]] = {}

    def of(self, members: Sequence[str]) -> tuple[list[UnitCounts], Sizes]:
        """Each file's sums, in the order of `members`, and their sizes together."""
        by_file: dict[str, list[str]] = defaultdict(list)
        for m in members:
            by_file[self._units[m].path].append(m)
        parts = [self._file(tuple(found)) for found in by_file.values()]
        return [counts for counts, _ in parts], Sizes.combined([sizes for _, sizes in parts])

    def _file(self, members: tuple[str, ...]) -> tuple[UnitCounts, Sizes]:
        found = self._done.get(members)
        if found is None:
            counts, _, libraries = _merged([self._own[m] for m in members])
            found = self._done[members] = (UnitCounts(counts, {}, libraries),
                                           Sizes.of([self._units[m] for m in members]))
        return found


def _structure(head: CodeUnit | None, sizes: Sizes, loops: list[int] | None) -> dict[str, float]:
    """`head`: the group's own unit, where the group is one (its parameters are the group's)."""
    params = [p for p in head.params if p.name not in ("self", "cls")] if head and head.kind == UnitKind.FUNCTION else []
    return {
        "sloc": float(sizes.sloc),
        "cyclomatic": float(sizes.cyclomatic),
        "cyclomatic_total": float(sizes.cyclomatic_total),
        "loop_depth": float(max((d + 1 for d, n in enumerate(loops or ()) if n), default=0)),
        "params": float(len(params)),
        "units": float(sizes.units),
        "async": float(sizes.asyncs),
        "generator": float(sizes.generators),
    }


def _boundary_metrics(boundary: Boundary, in_cycle: bool) -> dict[str, float]:
    return {
        "fan_in": float(boundary.fan_in), "fan_out": float(boundary.fan_out),
        "entry_points": float(boundary.width), "calls_in": float(boundary.calls_in_total),
        "calls_out": float(boundary.calls_out_total),
        "shared_state": float(len(boundary.shared_state)),
        "shared_state_writes": float(sum(1 for s in boundary.shared_state if s.write)),
        "test_references": float(boundary.test_references),
        "import_cycle": float(in_cycle),
    }


def _work_metrics(work: Work, kinds: Sequence[str]) -> dict[str, float]:
    metrics = {"heat_share": work.share, "speedup": work.speedup, "core_speedup": work.core_speedup,
               "saved_share": work.saved_share}
    for kind in kinds:
        metrics[f"{kind}_share"] = work.by_kind.get(kind, 0.0) / work.heat if work.heat else 0.0
    return metrics


def _tree_metrics(x: Intensity, kinds: Sequence[str]) -> dict[str, float]:
    """Shares of one call's work with its callees in the repository: where its time goes. A
    stream that compresses through a helper and writes the result spends its time compressing,
    though its own lines only write (KIND_share counts its own lines, for the boundary)."""
    return {f"{kind}_tree_share": x.by_kind.get(kind, 0.0) / x.work if x.work else 0.0
            for kind in kinds}


def _history_metrics(group: Group, history: HistoryFacts) -> dict[str, float]:
    files = [history.files[f] for f in group.files if f in history.files]
    unit = [history.units[m] for m in group.members if m in history.units]
    revisions = max((f.revisions for f in files), default=0)
    fixes = max((f.fix_commits for f in files), default=0)
    mine = set(group.files)
    return {
        "history_available": float(history.available),
        "revisions": float(revisions),
        "revisions_90d": float(max((f.revisions_90d for f in files), default=0)),
        "revisions_365d": float(max((f.revisions_365d for f in files), default=0)),
        "churn_window": float(sum(max(f.churn_window, 0) for f in files)),
        "authors": float(max((f.authors for f in files), default=0)),
        "authors_365d": float(max((f.authors_365d for f in files), default=0)),
        "age_days": float(max((f.age_days for f in files), default=0)),
        "last_change_days": float(min((f.last_change_days for f in files), default=0)),
        "fix_commits": float(fixes),
        "fix_ratio": fixes / revisions if revisions else 0.0,
        "co_change_outside": float(len({p for f in files for p, _, _ in f.partners if p not in mine})),
        "unit_revisions_window": float(max((u.revisions_window for u in unit), default=0)),
        "unit_churn_window": float(sum(u.churn_window for u in unit)),
    }
