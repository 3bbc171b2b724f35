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
    functions = [g for g in groups if g.kind == GroupKind.FUNCTION
                 and (code.loops(g) or intensity[g.id].reach * intensity[g.id].work >= MIN_WORK)]
    functions.sort(key=lambda g: (-magnitude(intensity[g.id]), g.id))
    chosen = {g.id for g in functions[:MAX_FUNCTIONS]} | _largest_aggregates(groups, intensity)
    return tuple(g for g in groups if g.id in chosen or g.kind == GroupKind.MODULE or fixes(g))


def _largest_aggregates(groups: Sequence[Group], intensity: Mapping[str, Intensity]) -> set[str]:
    """The classes, packages and components that save the most work per use, even when cold."""
    chosen: set[str] = set()
    for kind in (GroupKind.CLASS, GroupKind.PACKAGE, GroupKind.COMPONENT):
        of_kind = sorted((g for g in groups if g.kind == kind), key=lambda g: (-magnitude(intensity[g.id]), g.id))
        chosen.update(g.id for g in of_kind[:LARGEST_PER_KIND])
    return chosen
