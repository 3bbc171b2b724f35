"""What every judgement reads besides its own group."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from analyzer.code.graph import DependencyGraph
from analyzer.model import HistoryFacts, Intensity
from analyzer.model.runtime import UnitCoverage, UnitRuntime
from analyzer.ruleset.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Context:
    catalog: Catalog
    history: HistoryFacts
    graph: DependencyGraph
    intensity: Mapping[str, Intensity]
    runtime: Mapping[str, UnitRuntime] = field(default_factory=dict)     # measured, by group id (profiles)
    coverage: Mapping[str, UnitCoverage] = field(default_factory=dict)   # measured, by group id (coverage)
