"""The shortlist: the groups worth judging, chosen before the expensive context (boundary,
work estimate, history) is built for them.

Every module is on it (a file is where a reader looks first), and every top-level class of a
Java file that loops or does a few operations, its counterpart (with the 100 best classes of
a whole repository, a large one left most of its files without a candidate); so are the most
intense classes, packages and components, the MAX_FUNCTIONS functions that save the most work
per use of their callers among those that loop or do a few operations, and every group with
something to fix in place (itself or a member). Nothing here asks for a share of a program's
time: a library's public function is an entry of its own.
"""

from __future__ import annotations

import heapq
from typing import Mapping, Sequence

from analyzer.code.intensity import Intensities, magnitude, saving_magnitude
from analyzer.model import CodeMeasures, Finding, Group, GroupKind, Intensity

MIN_WORK = 5.0            # operations per use of its callers below which a function is no candidate
MAX_FUNCTIONS = 1500      # functions judged at most: the rest save less than a reader looks at
LARGEST_PER_KIND = 100


def shortlist(groups: Sequence[Group], code: CodeMeasures, fix_findings: Sequence[Finding],
              intensity: Intensities) -> tuple[Group, ...]:
    fixable = {f.unit_id for f in fix_findings}

    def fixes(group: Group) -> bool:
        return group.id in fixable if group.kind == GroupKind.FUNCTION else any(m in fixable for m in group.members)
    by_bound = _by_bound([g for g in groups if g.kind in _LIMITS], intensity)
    intensity.of([g for kind, limit in _LIMITS.items() for g, _ in by_bound[kind][:limit]])   # the likely best, at once
    chosen = {g.id for kind, limit in _LIMITS.items() for g in _best(by_bound[kind], code, intensity, kind, limit)}
    chosen |= _files(groups, code, intensity)
    return tuple(g for g in groups if g.id in chosen or fixes(g))


def _files(groups: Sequence[Group], code: CodeMeasures, intensity: Intensities) -> set[str]:
    """Every module, and a Java file's top-level classes when they are busy as a function must
    be (one that is not holds declarations and glue, and a large repository has thousands)."""
    classes = [g for g in groups if g.java_file_class]
    worked = intensity.of(classes)
    return ({g.id for g in groups if g.kind == GroupKind.MODULE}
            | {g.id for g in classes if _busy(g, code, worked[g.id])})


_LIMITS = {GroupKind.FUNCTION: MAX_FUNCTIONS, GroupKind.CLASS: LARGEST_PER_KIND, GroupKind.PACKAGE: LARGEST_PER_KIND,
           GroupKind.COMPONENT: LARGEST_PER_KIND}


def _by_bound(groups: Sequence[Group], intensity: Intensities) -> dict[str, list[tuple[Group, float]]]:
    """Each kind's groups with their bounds, the largest bound first."""
    found: dict[str, list[tuple[Group, float]]] = {kind: [] for kind in _LIMITS}
    for group, bound in zip(groups, intensity.bounds(groups)):
        found[group.kind].append((group, bound))
    return {kind: sorted(pairs, key=lambda p: (-p[1], p[0].id)) for kind, pairs in found.items()}


def _best(by_bound: list[tuple[Group, float]], code: CodeMeasures, intensity: Intensities, kind: str,
          limit: int) -> list[Group]:
    """The first `limit` groups of `_ranked`, found without working out every group's intensity:
    groups are taken in order of their bounds until a bound falls below the `limit`-th best
    magnitude found (none after it can reach that; on kafka 2,352 of 37k groups are worked out)."""
    floor: list[float] = []                            # the `limit` best magnitudes so far, smallest first
    judged = []
    for group, bound in by_bound:
        if len(floor) == limit and saving_magnitude(bound) < floor[0]:
            break
        x = intensity.of([group])[group.id]
        if kind == GroupKind.FUNCTION and not _busy(group, code, x):
            continue
        judged.append(group)
        (heapq.heappush if len(floor) < limit else heapq.heappushpop)(floor, magnitude(x))
    return _ranked(judged, code, intensity.of(judged), kind)[:limit]


def _ranked(groups: Sequence[Group], code: CodeMeasures, intensity: Mapping[str, Intensity], kind: str) -> list[Group]:
    """The groups of a kind that may be judged, those that save the most work per use first:
    functions that loop or do a few operations; classes, packages and components even when cold."""
    of_kind = [g for g in groups if g.kind == kind and (kind != GroupKind.FUNCTION or _busy(g, code, intensity[g.id]))]
    return sorted(of_kind, key=lambda g: (-magnitude(intensity[g.id]), g.id))


def _busy(group: Group, code: CodeMeasures, x: Intensity) -> bool:
    return code.loops(group) or x.reach * x.work >= MIN_WORK


def passed_over(groups: Sequence[Group], code: CodeMeasures, intensities: Intensities,
                chosen: Sequence[Group]) -> dict[str, str]:
    """Why each group left off the shortlist was left off (for `explain`): cold on static
    evidence, or below the last of its kind that was judged. It works out every group's
    intensity, which the shortlist itself did not need."""
    judged, why, intensity = {g.id for g in chosen}, {}, intensities.of(groups)
    for kind, limit in _LIMITS.items():
        ranked = _ranked(groups, code, intensity, kind)
        last = intensity[ranked[limit - 1].id].reached_saved if len(ranked) >= limit else 0.0
        for group in (g for g in groups if g.kind == kind and g.id not in judged):
            x = intensity[group.id]
            must_be_busy = kind == GroupKind.FUNCTION or group.java_file_class
            why[group.id] = _cold(x) if must_be_busy and not _busy(group, code, x) else _cut(
                kind, limit, x.reached_saved, last)
    return why


def _cold(x: Intensity) -> str:
    return (f"cold on static evidence: ≈{_ops(x.reach * x.work)} operations per use of its callers and no loop "
            f"(a function, or a Java file's class, is judged when it loops or runs at least {MIN_WORK:g})")


def _cut(kind: str, limit: int, saved: float, last: float) -> str:
    plural = "classes" if kind == GroupKind.CLASS else f"{kind}s"
    return (f"cold on static evidence: a port would save ≈{_ops(saved)} operations per use of its callers; "
            f"only the {limit} {plural} that save the most are judged (the last of them: ≈{_ops(last)})")


def _ops(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"
