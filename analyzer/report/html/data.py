"""What the page's script reads: the document cut down to what the page shows.

The page shows what `rustscout explain` shows, so it keeps what explain keeps: up to
EVIDENCE items per factor and CROSSINGS calls each way (with the totals), findings without
their evidence. The page carries it gzipped (see `pack`). Each candidate's row gains its seam
on the graph (see graph.seam), and the graph travels beside the rows.
"""

from __future__ import annotations

import base64
import gzip
import json
import shlex

from analyzer.model.runtime import POORLY_COVERED
from analyzer.report.html.graph import page_graph, seam

EVIDENCE = 8
CROSSINGS = 8


ROW = ("id", "kind", "language", "path", "name", "qualname", "lines", "score", "rank", "verdict", "reason")


def page_data(doc: dict) -> tuple[dict, list[dict]]:
    """(what the page needs to draw: rows, seams and the graph; each candidate's case, in
    ranking order). The cases are most of the bytes, so the page unpacks them after it is
    drawn, without holding up the table or the graph."""
    graph = page_graph(doc)
    known = {n["id"] for n in graph["nodes"]}
    rows = [{**{k: c[k] for k in ROW}, "seam": seam(c, known)} for c in doc["candidates"]]
    return {"candidates": rows, "graph": graph}, [_case(c) for c in doc["candidates"]]


def _case(c: dict) -> dict:
    return {"factors": [_factor(f) for f in c["factors"]], "boundary": _boundary(c["boundary"]),
            "findings": [{k: v for k, v in f.items() if k != "evidence"} for f in c["findings"]],
            "fixes": c["fixes"], "plan": c["plan"], "members": c["members"],
            "warning": _poorly_covered(c), "next": _next(c)}


def _poorly_covered(c: dict) -> str | None:
    """As `explain` warns: a port without tests that pin its behaviour is a rewrite nobody can check."""
    tests = next((f for f in c["factors"] if f["name"] == "tests" and f["unit"] == "share"), None)
    if c["verdict"] != "port" or tests is None or tests["value"] >= POORLY_COVERED:
        return None
    return (f"Poorly covered: {tests['summary'].removeprefix('measured: ')}. Write characterization tests "
            "before porting.")


def _next(c: dict) -> str | None:
    """The step after reading the case, as `explain` gives it: the scaffold (PATH: the repository)."""
    if c["verdict"] not in ("port", "needs-boundary-work"):
        return None
    binding = " --binding jni  (or ffm: Java 22's FFM API)" if c["language"] == "java" else ""
    return f"rustscout scaffold {shlex.quote(c['id'])} PATH -o DIR{binding}"


def _factor(f: dict) -> dict:
    return {**f, "evidence": f["evidence"][:EVIDENCE], "evidence_more": max(0, len(f["evidence"]) - EVIDENCE)}


def _boundary(b: dict) -> dict:
    return {**b, "calls_in": b["calls_in"][:CROSSINGS], "calls_out": b["calls_out"][:CROSSINGS]}


def pack(value) -> str:
    """The data as base64 of gzipped JSON: a tenth of the size (ids, paths and commit lists
    repeat across candidates), and text that cannot close the <script> element it sits in.
    Sorted keys and a zero gzip timestamp: same document, same bytes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return base64.b64encode(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)).decode("ascii")
