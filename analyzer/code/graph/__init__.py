"""Graph stage: the module import graph and an approximate call graph, behind one facade.

Input: ParsedFiles and the unit index. Output: a DependencyGraph that answers domain
questions (who calls these units, which calls leave them, which tests use them, how often a
unit runs, leaves first, import cycles, dominated modules), and the call sites it resolved.
"""

from analyzer.code.graph.build import build
from analyzer.code.graph.facade import DependencyGraph, call_weight

__all__ = ["DependencyGraph", "build", "call_weight"]
