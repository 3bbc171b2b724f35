"""The dependency graph the page draws, and each candidate's seam on it.

Input: the scan's JSON document. Output: plain dicts for the page.
- `page_graph(doc)`: the document's "graph" section when it has one; otherwise (a report
  written before the section existed) a partial graph derived from the candidates: one node
  per file they name, call edges from the boundary crossings they list. `partial` says which.
- `seam(candidate, known)`: the graph nodes a candidate's boundary touches (members, entry
  points, callers, callback targets) and the crossings between them, as node ids.

Node ids are language prefix + ":" + file path; a unit id belongs to the node before "::".
Edges go to the page as [source index, target index, kind, weight] to keep the file small.
"""

from __future__ import annotations

from collections import Counter

PREFIX = {"python": "py", "java": "java"}
BEST_FIRST = ("port", "needs-boundary-work", "fix-in-place-first", "insufficient-evidence", "not-a-rust-problem")
FILE_KINDS = ("function", "class", "module")


def node_of(unit_id: str) -> str:
    return unit_id.split("::", 1)[0]


def is_unit(unit_id: str) -> bool:
    """Crossings also name what is not a unit of the repository: a callback through a
    parameter (`param:f.op`), a method on an unknown receiver (`.expand`, `?handle`)."""
    return unit_id.split(":", 1)[0] in PREFIX.values() and ":" in unit_id


def file_node(language: str, path: str) -> str:
    return f"{PREFIX.get(language, language)}:{path}"


def _folder(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def page_graph(doc: dict) -> dict:
    graph = doc.get("graph")
    if graph is None:
        nodes, edges, partial = _derived_nodes(doc["candidates"]), _derived_edges(doc["candidates"]), True
    else:
        nodes, edges, partial = graph.get("nodes", []), graph.get("edges", []), False
    nodes = sorted((_node(n) for n in nodes), key=lambda n: n["id"])
    index = {n["id"]: i for i, n in enumerate(nodes)}
    packed = sorted([index[e["source"]], index[e["target"]], e["kind"], e.get("weight", 1)] for e in edges
                    if e["source"] in index and e["target"] in index and e["source"] != e["target"])
    return {"nodes": nodes, "edges": packed, "partial": partial}


def _node(n: dict) -> dict:
    keys = ("id", "path", "language", "folder", "work_share", "sloc", "verdict", "candidate", "score")
    return {k: n.get(k) for k in keys}


# --- a partial graph for reports without a "graph" section -----------------------------------

def _derived_nodes(candidates: list[dict]) -> list[dict]:
    files: dict[str, tuple[str, str]] = {}
    for c in candidates:
        for path in _files_of(c):
            files.setdefault(file_node(c["language"], path), (path, c["language"]))
        for crossing in (*c["boundary"]["calls_in"], *c["boundary"]["calls_out"]):
            for unit in filter(is_unit, (crossing["source"], crossing["target"])):
                node = node_of(unit)
                files.setdefault(node, (node.split(":", 1)[1], c["language"]))
    best = _best_by_file(candidates)
    return [_derived_node(node, path, language, best.get(node)) for node, (path, language) in files.items()]


def _files_of(c: dict) -> list[str]:
    return [c["path"]] if c["kind"] in FILE_KINDS else list(c["members"])


def _best_by_file(candidates: list[dict]) -> dict[str, dict]:
    """Per file: its best candidate (verdict order, then score)."""
    best: dict[str, dict] = {}
    for c in candidates:
        node = file_node(c["language"], c["path"])
        if c["kind"] in FILE_KINDS and (node not in best or _rank_key(c) < _rank_key(best[node])):
            best[node] = c
    return best


def _rank_key(c: dict) -> tuple:
    order = BEST_FIRST.index(c["verdict"]) if c["verdict"] in BEST_FIRST else len(BEST_FIRST)
    return order, -c["score"], c["id"]


def _derived_node(node: str, path: str, language: str, c: dict | None) -> dict:
    """Without the graph section there is no work share: every node is drawn the same size."""
    sloc = c["lines"][1] - c["lines"][0] + 1 if c and c["kind"] == "module" else 0
    return {"id": node, "path": path, "language": language, "folder": _folder(path), "work_share": 0.0,
            "sloc": sloc, "verdict": c["verdict"] if c else None, "candidate": c["id"] if c else None,
            "score": c["score"] if c else 0}


def _derived_edges(candidates: list[dict]) -> list[dict]:
    sites = {(x["source"], x["target"], x["path"], x["line"])
             for c in candidates for x in (*c["boundary"]["calls_in"], *c["boundary"]["calls_out"])
             if is_unit(x["source"]) and is_unit(x["target"])}
    weights = Counter((node_of(s), node_of(t)) for s, t, _, _ in sites)
    return [{"source": s, "target": t, "kind": "call", "weight": w} for (s, t), w in sorted(weights.items())]


# --- a candidate's seam ------------------------------------------------------------------------

def seam(c: dict, known: set[str]) -> dict:
    b = c["boundary"]
    members = {file_node(c["language"], p) for p in _files_of(c)}
    callbacks = [x for x in b["calls_out"] if x["callback"]]
    calls_out = [x for x in b["calls_out"] if not x["callback"]]
    roles = {"members": members, "entries": {node_of(e["id"]) for e in b["entry_points"]},
             "callers": {node_of(x["source"]) for x in b["calls_in"]} - members,
             "callbacks": {node_of(x["target"]) for x in callbacks} - members,
             "callees": {node_of(x["target"]) for x in calls_out} - members}
    out = {role: sorted(ids & known) for role, ids in roles.items()}
    out["crossings"] = _crossings(b["calls_in"], "in", known) + _crossings(callbacks, "callback", known) + \
        _crossings(calls_out, "out", known)
    return out


def _crossings(calls: list[dict], kind: str, known: set[str]) -> list[list]:
    pairs = Counter((node_of(x["source"]), node_of(x["target"])) for x in calls)
    return [[s, t, kind, n] for (s, t), n in sorted(pairs.items()) if s != t and s in known and t in known]
