"""The questions about a whole graph, answered by networkx (imported here and nowhere else).

The facade keeps its graphs as plain adjacency dicts (node -> successors, in insertion
order): later stages ask them hundreds of thousands of small questions, which a dict
answers faster than a networkx view. Components, their order and dominators are asked a
few times a scan; networkx builds its graph from the dicts for them, in the dicts' order,
so every answer is the same on every run.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import networkx as nx

Adjacency = Mapping[str, Iterable[str]]


def strongly_connected(nodes: Iterable[str], successors: Adjacency) -> list[list[str]]:
    """The strongly connected components, each sorted and after every component it reaches.
    networkx finds them depth first (Nuutila's algorithm), which closes a component only after
    every component it reaches: that is the order wanted, without condensing the graph into
    another (half the time on kafka's call graph). A test holds networkx to it."""
    return [sorted(c) for c in nx.strongly_connected_components(_digraph(nodes, successors))]


def leaves_first(components: list[list[str]], successors: Adjacency) -> list[int]:
    """Indexes of `components` ordered so each comes after the components it reaches; among
    the components free to come next, the one with the smallest member first (a unique,
    lexicographic topological order)."""
    group = {n: i for i, members in enumerate(components) for n in members}
    reached_first = nx.DiGraph()
    reached_first.add_nodes_from(range(len(components)))
    reached_first.add_edges_from((group[s], i) for i, members in enumerate(components)
                                 for n in members for s in successors.get(n, ()) if group.get(s, i) != i)
    return list(nx.lexicographical_topological_sort(reached_first, key=lambda i: min(components[i])))


def immediate_dominators(successors: Adjacency, start: str) -> dict[str, str]:
    """Every node reachable from `start`, but `start`, -> its immediate dominator."""
    found = nx.immediate_dominators(_digraph(successors, successors), start)
    found.pop(start, None)   # networkx before 3.5 also gave `start` -> itself
    return found


def _digraph(nodes: Iterable[str], successors: Adjacency) -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((source, target) for source, targets in successors.items() for target in targets)
    return graph
