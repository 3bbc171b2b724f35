"""What every judgement reads besides its own group."""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.code.graph import DependencyGraph
from analyzer.model import HistoryFacts
from analyzer.ruleset.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Context:
    catalog: Catalog
    history: HistoryFacts
    graph: DependencyGraph
