"""The JSON's "graph" section (since 1.2): ranked files as nodes with their best candidate and
their share of the estimated work, imports and calls between files as edges."""

from __future__ import annotations

from conftest import scan_json

CODEC, PIPELINE, VIEWS = "py:tidewater/wire/codec.py", "py:tidewater/pipeline.py", "py:tidewater/web/views.py"
ENGINE, CONFIG = "py:tidewater/rules/engine.py", "py:tidewater/config.py"


def nodes_of(report: dict) -> dict[str, dict]:
    return {n["id"]: n for n in report["graph"]["nodes"]}


def edges_of(report: dict) -> dict[tuple[str, str, str], int]:
    return {(e["source"], e["target"], e["kind"]): e["weight"] for e in report["graph"]["edges"]}


def test_every_ranked_file_is_a_node_and_nothing_else(sample_report):
    ids = [n["id"] for n in sample_report["graph"]["nodes"]]
    assert ids == sorted(ids) and len(ids) == sample_report["summary"]["files_ranked"] == 16
    assert not [i for i in ids if "/tests/" in i or i.startswith("py:tests/") or "vendor" in i or "_pb2" in i]
    codec = nodes_of(sample_report)[CODEC]
    assert (codec["path"], codec["language"], codec["folder"]) == ("tidewater/wire/codec.py", "python", "tidewater/wire")


def test_a_node_carries_its_best_candidate(sample_report):
    nodes, by_id = nodes_of(sample_report), {c["id"]: c for c in sample_report["candidates"]}
    assert (nodes[CODEC]["verdict"], nodes[CODEC]["candidate"]) == ("port", CODEC)
    assert nodes[CODEC]["score"] == by_id[CODEC]["score"]
    for node in nodes.values():   # the best verdict in the file, then the highest score
        inside = [c for c in sample_report["candidates"] if c["path"] == node["path"] and c["kind"] != "component"]
        order = ["port", "needs-boundary-work", "fix-in-place-first", "insufficient-evidence", "not-a-rust-problem"]
        best = min(inside, key=lambda c: (order.index(c["verdict"]), -c["score"]))
        assert (node["candidate"], node["verdict"]) == (best["id"], best["verdict"]), node["path"]


def test_work_share_is_exclusive_so_the_loops_are_large_not_their_callers(sample_report):
    nodes = nodes_of(sample_report)
    largest = sorted(nodes.values(), key=lambda n: -n["work_share"])[:2]
    assert {n["id"] for n in largest} == {CODEC, ENGINE}
    assert nodes[PIPELINE]["work_share"] < 0.01 and nodes[CONFIG]["work_share"] == 0
    assert 0.99 <= sum(n["work_share"] for n in nodes.values()) <= 1.0001
    assert nodes[CODEC]["sloc"] == 83


def test_edges_are_imports_and_call_sites_between_two_ranked_files(sample_report):
    edges, nodes = edges_of(sample_report), nodes_of(sample_report)
    assert edges[(PIPELINE, CODEC, "call")] == 1 and edges[(VIEWS, CODEC, "call")] == 1
    assert edges[("py:tidewater/wire/__init__.py", CODEC, "import")] == 4
    assert (CODEC, CODEC, "call") not in edges and all(s != t for s, t, _ in edges)
    assert all(s in nodes and t in nodes for s, t, _ in edges)
    keys = [(e["source"], e["target"], e["kind"]) for e in sample_report["graph"]["edges"]]
    assert keys == sorted(keys)


def test_java_files_are_nodes_with_their_classes_verdicts(java_report):
    nodes = nodes_of(java_report)
    assert nodes and all(i.startswith("java:") and i.endswith(".java") for i in nodes)
    assert len(nodes) == java_report["summary"]["files_ranked"]
    classes = {c["path"] for c in java_report["candidates"] if c["kind"] in ("class", "function")}
    assert {n["path"] for n in nodes.values() if n["candidate"]} == classes
    assert {kind for _, _, kind in edges_of(java_report)} == {"import", "call"}


def test_since_is_in_the_report_when_it_bounded_the_history(sample_repo):
    assert scan_json(sample_repo, "--since", "2024-06-01")["repo"]["since"] == "2024-06-01"
    assert "since" not in scan_json(sample_repo)["repo"]
