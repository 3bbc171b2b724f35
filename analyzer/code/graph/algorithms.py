"""Graph algorithms on plain adjacency dicts (node -> successors, in insertion order).

The call graph of a large repository has ~40k nodes and ~100k edges and is condensed on
every scan: walking dicts of strings directly is several times faster than building and
condensing a networkx graph, and the order of every answer follows the insertion order of
the adjacency (not a set's hash order), so it is the same on every run.
"""

from __future__ import annotations

import heapq
from typing import Iterable, Mapping

Adjacency = Mapping[str, Iterable[str]]


def strongly_connected(nodes: Iterable[str], successors: Adjacency) -> list[list[str]]:
    """The strongly connected components (Tarjan, without recursion: call chains run
    thousands deep), each after every component it reaches."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in nodes:
        if root not in index:
            _visit(root, successors, index, low, stack, on_stack, found)
    return found


def _visit(root: str, successors: Adjacency, index: dict[str, int], low: dict[str, int],
           stack: list[str], on_stack: set[str], found: list[list[str]]) -> None:
    index[root] = low[root] = len(index)
    stack.append(root)
    on_stack.add(root)
    work = [(root, iter(successors.get(root, ())))]
    while work:
        node, pending = work[-1]
        for child in pending:
            if child not in index:   # descend; this node's iterator resumes after it
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(successors.get(child, ()))))
                break
            if child in on_stack and index[child] < low[node]:
                low[node] = index[child]
        else:
            work.pop()
            if work and low[node] < low[work[-1][0]]:
                low[work[-1][0]] = low[node]
            if low[node] == index[node]:
                found.append(_pop_component(node, stack, on_stack))


def _pop_component(node: str, stack: list[str], on_stack: set[str]) -> list[str]:
    component = []
    while True:
        member = stack.pop()
        on_stack.discard(member)
        component.append(member)
        if member == node:
            return component


def leaves_first(components: list[list[str]], successors: Adjacency) -> list[int]:
    """Indexes of `components` ordered so each comes after the components it reaches; among
    the components free to come next, the one with the smallest member first (a unique,
    lexicographic topological order)."""
    group = {n: i for i, members in enumerate(components) for n in members}
    waiting = [0] * len(components)            # components it reaches, not yet placed
    reached_from: list[list[int]] = [[] for _ in components]
    for i, members in enumerate(components):
        reached = {group[s] for n in members for s in successors.get(n, ()) if s in group} - {i}
        waiting[i] = len(reached)
        for j in reached:
            reached_from[j].append(i)
    ready = [(min(members), i) for i, members in enumerate(components) if not waiting[i]]
    heapq.heapify(ready)
    order = []
    while ready:
        _, i = heapq.heappop(ready)
        order.append(i)
        for j in reached_from[i]:
            waiting[j] -= 1
            if not waiting[j]:
                heapq.heappush(ready, (min(components[j]), j))
    return order


def immediate_dominators(successors: Adjacency, start: str) -> dict[str, str]:
    """Every node reachable from `start` -> its immediate dominator, `start` -> itself
    (Cooper, Harvey and Kennedy's iteration over the reverse postorder)."""
    order = _postorder(successors, start)
    rank = {n: i for i, n in enumerate(order)}
    preds: dict[str, list[str]] = {n: [] for n in order}
    for node in order:
        for child in successors.get(node, ()):
            preds[child].append(node)
    idom = {start: start}
    changed = True
    while changed:
        changed = False
        for node in reversed(order[:-1]):   # `start` comes last in postorder
            found = None
            for pred in preds[node]:
                if pred in idom:
                    found = pred if found is None else _common_dominator(pred, found, idom, rank)
            if idom.get(node) != found:
                idom[node] = found
                changed = True
    return idom


def _common_dominator(a: str, b: str, idom: dict[str, str], rank: dict[str, int]) -> str:
    while a != b:
        while rank[a] < rank[b]:
            a = idom[a]
        while rank[a] > rank[b]:
            b = idom[b]
    return a


def _postorder(successors: Adjacency, start: str) -> list[str]:
    seen, order = {start}, []
    work = [(start, iter(successors.get(start, ())))]
    while work:
        node, pending = work[-1]
        for child in pending:
            if child not in seen:
                seen.add(child)
                work.append((child, iter(successors.get(child, ()))))
                break
        else:
            work.pop()
            order.append(node)
    return order
