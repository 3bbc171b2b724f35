"""The shortlist: the groups worth judging, chosen before the expensive context (boundary,
work estimate, history) is built for them.

Every module is on it (a file is where a reader looks first); so are the most intense
classes, packages and components, the MAX_FUNCTIONS functions that save the most work per
use of their callers among those that loop or do a few operations, and every group with
something to fix in place (itself or a member). Nothing here asks for a share of a program's
time: a library's public function is an entry of its own.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from analyzer.code.intensity import magnitude
from analyzer.model import CodeMeasures, Finding, Group, GroupKind, Intensity

MIN_WORK = 5.0            # operations per use of its callers below which a function is no candidate
MAX_FUNCTIONS = 1500      # functions judged at most: the rest save less than a reader looks at
LARGEST_PER_KIND = 100


def shortlist(groups: Sequence[Group], code: CodeMeasures, fix_findings: Sequence[Finding],
              intensity: Mapping[str, Intensity]) -> tuple[Group, ...]:
    fixable = {f.unit_id for f in fix_findings}

    def fixes(group: Group) -> bool:
        return group.id in fixable if group.kind == GroupKind.FUNCTION else any(m in fixable for m in group.members)
    chosen = {g.id for kind in _LIMITS for g in _ranked(groups, code, intensity, kind)[:_LIMITS[kind]]}
    return tuple(g for g in groups if g.id in chosen or g.kind == GroupKind.MODULE or fixes(g))


_LIMITS = {GroupKind.FUNCTION: MAX_FUNCTIONS, GroupKind.CLASS: LARGEST_PER_KIND, GroupKind.PACKAGE: LARGEST_PER_KIND,
           GroupKind.COMPONENT: LARGEST_PER_KIND}


def _ranked(groups: Sequence[Group], code: CodeMeasures, intensity: Mapping[str, Intensity], kind: str) -> list[Group]:
    """The groups of a kind that may be judged, those that save the most work per use first:
    functions that loop or do a few operations; classes, packages and components even when cold."""
    of_kind = [g for g in groups if g.kind == kind and (kind != GroupKind.FUNCTION or _busy(g, code, intensity))]
    return sorted(of_kind, key=lambda g: (-magnitude(intensity[g.id]), g.id))


def _busy(group: Group, code: CodeMeasures, intensity: Mapping[str, Intensity]) -> bool:
    return code.loops(group) or intensity[group.id].reach * intensity[group.id].work >= MIN_WORK


def passed_over(groups: Sequence[Group], code: CodeMeasures, intensity: Mapping[str, Intensity],
                chosen: Sequence[Group]) -> dict[str, str]:
    """Why each group left off the shortlist was left off (for `explain`): cold on static
    evidence, or below the last of its kind that was judged."""
    judged, why = {g.id for g in chosen}, {}
    for kind, limit in _LIMITS.items():
        ranked = _ranked(groups, code, intensity, kind)
        last = intensity[ranked[limit - 1].id].reached_saved if len(ranked) >= limit else 0.0
        for group in (g for g in groups if g.kind == kind and g.id not in judged):
            x = intensity[group.id]
            why[group.id] = (_cut(kind, limit, x.reached_saved, last) if kind != GroupKind.FUNCTION
                             or _busy(group, code, intensity) else _cold(x))
    return why


def _cold(x: Intensity) -> str:
    return (f"cold on static evidence: ≈{_ops(x.reach * x.work)} operations per use of its callers and no loop "
            f"(a function is judged when it loops or runs at least {MIN_WORK:g})")


def _cut(kind: str, limit: int, saved: float, last: float) -> str:
    plural = "classes" if kind == GroupKind.CLASS else f"{kind}s"
    return (f"cold on static evidence: a port would save ≈{_ops(saved)} operations per use of its callers; "
            f"only the {limit} {plural} that save the most are judged (the last of them: ≈{_ops(last)})")


def _ops(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.2g}"
