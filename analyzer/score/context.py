"""What every judgement reads besides its own group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.code.graph import DependencyGraph
from analyzer.model import HistoryFacts, Intensity
from analyzer.ruleset.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Context:
    catalog: Catalog
    history: HistoryFacts
    graph: DependencyGraph
    intensity: Mapping[str, Intensity]
