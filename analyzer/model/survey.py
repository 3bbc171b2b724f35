"""The noun between the two halves of the analysis: what the code alone says, before history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from analyzer.model.analysis import CodeMeasures, Finding, Group, Work
from analyzer.model.code import CodeUnit, ParsedFile, UnitFacts
from analyzer.model.report import Boundary

if TYPE_CHECKING:   # the graph's facade lives in its stage; the model only names it
    from analyzer.code.graph import DependencyGraph


@dataclass(frozen=True, slots=True)
class Survey:
    """The graph, every unit's facts, the groups, the fix-in-place findings, and the shortlist
    with its boundaries and work estimates."""
    parsed: tuple[ParsedFile, ...]
    units: Mapping[str, CodeUnit]
    graph: "DependencyGraph"
    unit_facts: Mapping[str, UnitFacts]
    groups: tuple[Group, ...]
    code: CodeMeasures
    fixes: tuple[Finding, ...]
    shortlist: tuple[Group, ...]
    boundaries: Mapping[str, Boundary]
    works: Mapping[str, Work]
