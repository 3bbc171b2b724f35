"""The whole-graph questions asked of adjacency dicts: components, their order, dominators."""

from __future__ import annotations

import random

from analyzer.code.graph import algorithms

# a -> b -> c -> b (a cycle), c -> d; e alone; f -> f (a self-loop)
CALLS = {"a": ["b"], "b": ["c"], "c": ["b", "d"], "f": ["f"]}
NODES = ["a", "b", "c", "d", "e", "f"]


def test_components_come_after_every_component_they_reach():
    found = algorithms.strongly_connected(NODES, CALLS)
    assert sorted(sorted(c) for c in found) == [["a"], ["b", "c"], ["d"], ["e"], ["f"]]
    position = {n: i for i, c in enumerate(found) for n in c}
    assert position["d"] < position["b"] == position["c"] < position["a"]


def test_a_chain_thousands_deep_needs_no_recursion():
    chain = {str(i): [str(i + 1)] for i in range(20000)}
    found = algorithms.strongly_connected(["0"], chain)
    assert len(found) == 20001 and found[0] == ["20000"] and found[-1] == ["0"]


def test_members_are_sorted_whatever_order_they_were_linked_in():
    found = algorithms.strongly_connected(["c", "a", "b"], {"c": ["a"], "a": ["b"], "b": ["c"]})
    assert found == [["a", "b", "c"]]


def test_leaves_first_takes_the_smallest_free_component_first():
    calls = {"z": ["y"], "y": ["x"], "x": ["y"], "b": [], "a": ["z"]}
    components = algorithms.strongly_connected(sorted(calls), calls)
    order = [sorted(components[i]) for i in algorithms.leaves_first(components, calls)]
    assert order == [["b"], ["x", "y"], ["z"], ["a"]]


def test_immediate_dominators():
    imports = {"root": ["main", "other"], "main": ["core", "util"], "core": ["helper", "util"],
               "helper": ["core"], "other": ["util"]}
    assert algorithms.immediate_dominators(imports, "root") == {
        "main": "root", "other": "root", "core": "main", "helper": "core", "util": "root"}


def test_every_edge_points_to_a_component_found_no_later_on_a_larger_graph():
    # networkx's depth-first order is what strongly_connected relies on: hold it to it
    rng = random.Random(7)
    calls = {f"u{i}": [f"u{rng.randrange(300)}" for _ in range(rng.randrange(4))] for i in range(300)}
    found = algorithms.strongly_connected(sorted(calls), calls)
    position = {n: i for i, c in enumerate(found) for n in c}
    assert len(position) == 300 and any(len(c) > 1 for c in found)
    assert all(position[t] <= position[s] for s, targets in calls.items() for t in targets)
