"""The shortlist: the groups worth ranking, chosen before the expensive context (boundary,
work estimate, history) is built for them."""

from __future__ import annotations

from typing import Sequence

from analyzer.model import CodeMeasures, Finding, Group, GroupKind

MIN_FUNCTION_SHARE = 0.001
MIN_LOOPING_SHARE = 0.0001
LARGEST_PER_KIND = 100


def shortlist(groups: Sequence[Group], code: CodeMeasures, fix_findings: Sequence[Finding]) -> tuple[Group, ...]:
    """The groups worth ranking: those that hold a noticeable share of the estimated time (less
    is needed when they loop), the largest aggregates of each kind, and those with something
    to fix in place (themselves or a member)."""
    fixable = {f.unit_id for f in fix_findings}

    def worth(group: Group) -> bool:
        share = code.share(group)
        return share >= MIN_FUNCTION_SHARE or (share >= MIN_LOOPING_SHARE and code.loops(group))

    def fixes(group: Group) -> bool:
        return group.id in fixable if group.kind == GroupKind.FUNCTION else any(m in fixable for m in group.members)
    largest = _largest_aggregates(groups, code)
    return tuple(g for g in groups if g.id in largest or worth(g) or fixes(g))


def _largest_aggregates(groups: Sequence[Group], code: CodeMeasures) -> set[str]:
    """The classes, modules, packages and components with the most estimated time, even when
    cold: the places a reader looks for first (a controller, a cache, a build module), in any
    size of repository."""
    chosen: set[str] = set()
    for kind in (GroupKind.CLASS, GroupKind.MODULE, GroupKind.PACKAGE, GroupKind.COMPONENT):
        of_kind = sorted((g for g in groups if g.kind == kind), key=lambda g: (-code.share(g), g.id))
        chosen.update(g.id for g in of_kind[:LARGEST_PER_KIND])
    return chosen
