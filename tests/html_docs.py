"""JSON documents for the HTML report's tests and benchmark, written out here (no scan).

`orchard()` is a small report with the graph section the scan will carry: two languages,
every verdict, a candidate whose boundary has callers, a callback and a call out, a patch,
and names from "scanned code" that try to inject markup. `synthetic(files)` is a large one:
FILES files in nested folders with imports and calls, for aggregation and timing.
"""

from __future__ import annotations

import random

HOSTILE_NAME = "<script>window.pwned=1</script>"
HOSTILE_REASON = "</script><img src=x onerror=\"window.pwned=2\"> & <b>bold</b>"
HOSTILE_PATH = "orchard/evil/<img src=x onerror=window.pwned=3>.py"

PATCH = ("--- a/orchard/io/writer.py\n+++ b/orchard/io/writer.py\n@@ -1,4 +1,5 @@\n import re\n"
         "+_SPLIT = re.compile(r\"\\s+\")\n def flush(lines):\n-    pattern = re.compile(r\"\\s+\")\n"
         "+    pattern = _SPLIT\n     return [pattern.split(x) for x in lines]\n")


def factor(name: str, value: float, unit: str, estimate: bool = True, evidence: list | None = None) -> dict:
    return {"name": name, "value": value, "unit": unit, "estimate": estimate, "summary": f"{name} is {value}",
            "evidence": evidence or []}


def factors(work: float, benefit: float, cost: float, evidence: int = 2) -> list[dict]:
    items = [{"what": f"loop inside loops #{i}", "value": i, "path": "orchard/core/engine.py",
              "lines": [10 + i, 20 + i]} for i in range(evidence)]
    return [factor("intensity", work, "operations", evidence=items), factor("reach", 4, "calls"),
            factor("native_gain", 20.0, "x"), factor("benefit", benefit, "operations"), factor("boundary", 1, "count", False),
            factor("feasibility", 1, "ratio", False), factor("stability", 2, "count", False),
            factor("tests", 1, "count", False), factor("dependencies", 0, "count", False),
            factor("cost", cost, "days")]


def crossing(source: str, target: str, path: str, line: int, callback: bool = False) -> dict:
    return {"source": source, "target": target, "path": path, "line": line, "callback": callback}


def boundary(entries=(), calls_in=(), calls_out=()) -> dict:
    return {"width": len(entries), "entry_points": [{"id": e, "signature": e.split("::")[-1] + "(x)", "callers": 1}
                                                    for e in entries],
            "calls_in": list(calls_in), "calls_in_total": len(calls_in), "calls_out": list(calls_out),
            "calls_out_total": len(calls_out), "shared_state": [], "test_references": 0}


def candidate(cid: str, kind: str, path: str, rank: int, score: float, verdict: str, *, name: str = "",
              work: float = 0.0, benefit: float = 0.0, cost: float = 2.0, members=(), bound=None, fixes=(),
              findings=(), plan=None, language: str = "python", evidence: int = 2) -> dict:
    qualname = cid.split("::", 1)[1] if "::" in cid else ""
    return {"id": cid, "kind": kind, "language": language, "path": path, "name": name or qualname or path,
            "qualname": qualname, "lines": [0, 0] if kind in ("package", "component") else [3, 40],
            "score": score, "rank": rank, "verdict": verdict, "reason": f"reason of {name or qualname or path}",
            "factors": factors(work, benefit, cost, evidence), "boundary": bound or boundary(),
            "members": list(members), "findings": list(findings), "fixes": list(fixes), "plan": plan}


ENGINE = "py:orchard/core/engine.py"
STEP = ENGINE + "::Engine.step"


def _orchard_candidates() -> list[dict]:
    step_boundary = boundary(
        entries=[STEP],
        calls_in=[crossing("py:orchard/web/views.py::handle", STEP, "orchard/web/views.py", 12),
                  crossing("py:orchard/cli.py::main", STEP, "orchard/cli.py", 30),
                  crossing("py:orchard/cli.py::main", STEP, "orchard/cli.py", 31)],
        calls_out=[crossing(STEP, "py:orchard/plugins/hooks.py::on_step", "orchard/core/engine.py", 22, True),
                   crossing(STEP, "py:orchard/io/reader.py::read", "orchard/core/engine.py", 25),
                   crossing(STEP, "param:callback", "orchard/core/engine.py", 26, True)])
    finding = {"rule": "HT001", "unit": STEP, "path": "orchard/core/engine.py", "line": 14, "severity": "note",
               "effect": "evidence", "message": "Engine.step spends its time on arithmetic inside loops",
               "evidence": [{"what": "loop >= 1", "value": 2}]}
    plan = {"binding": "PyO3 + maturin", "crates": [{"library": "numpy", "crate": "ndarray"}],
            "steps": ["port Engine.step (orchard/core/engine.py:3)", "switch the 3 call site(s)"], "cut": []}
    return [
        candidate(STEP, "function", "orchard/core/engine.py", 1, 62.5, "port", work=4e5, benefit=1.2e6, cost=4.0,
                  bound=step_boundary, findings=[finding], plan=plan, evidence=12),
        candidate("py:orchard/core/kernel.py", "module", "orchard/core/kernel.py", 2, 40.1, "needs-boundary-work",
                  name="kernel", work=2e5, benefit=3e5, cost=9.0),
        candidate("java:src/main/java/org/orchard/Sieve.java::Sieve.run(int)", "function",
                  "src/main/java/org/orchard/Sieve.java", 3, 30.0, "fix-in-place-first", language="java",
                  work=5e4, benefit=2e4, cost=3.0),
        candidate("py:component:orchard/core", "component", "orchard/core", 4, 20.0, "insufficient-evidence",
                  name="orchard.core", work=6e5, benefit=8e3, cost=20.0,
                  members=["orchard/core/engine.py", "orchard/core/kernel.py"]),
        candidate("py:orchard/io/reader.py", "module", "orchard/io/reader.py", 5, 10.0, "not-a-rust-problem",
                  name="reader", work=3e3, benefit=40, cost=1.5),
        candidate(f"py:{HOSTILE_PATH}::{HOSTILE_NAME}", "function", HOSTILE_PATH, 6, 5.0, "insufficient-evidence",
                  work=100, cost=1.0),
        candidate("py:orchard/io/writer.py::flush", "function", "orchard/io/writer.py", 7, 4.0, "fix-in-place-first",
                  work=200, cost=1.2, fixes=[{"rule": "FX001", "line": 3, "summary": "regex compiled per call",
                                               "patch": PATCH}]),
    ]


def _orchard_graph(candidates: list[dict]) -> dict:
    files = {"orchard/core/engine.py": (0.4, "port", 0), "orchard/core/kernel.py": (0.25, "needs-boundary-work", 1),
             "orchard/io/reader.py": (0.05, "not-a-rust-problem", 4),
             "orchard/io/writer.py": (0.02, "fix-in-place-first", 6),
             "orchard/cli.py": (0.01, None, None), "orchard/web/views.py": (0.03, None, None),
             "orchard/plugins/hooks.py": (0.02, None, None), HOSTILE_PATH: (0.01, "insufficient-evidence", 5)}
    nodes = [{"id": f"py:{path}", "path": path, "language": "python", "folder": path.rsplit("/", 1)[0],
              "work_share": share, "sloc": 50, "verdict": verdict,
              "candidate": candidates[i]["id"] if i is not None else None,
              "score": candidates[i]["score"] if i is not None else 0} for path, (share, verdict, i) in files.items()]
    nodes.append({"id": "java:src/main/java/org/orchard/Sieve.java", "path": "src/main/java/org/orchard/Sieve.java",
                  "language": "java", "folder": "src/main/java/org/orchard", "work_share": 0.1, "sloc": 80,
                  "verdict": "fix-in-place-first", "candidate": candidates[2]["id"], "score": 30.0})
    edges = [("orchard/cli.py", "orchard/core/engine.py", "import", 1),
             ("orchard/cli.py", "orchard/core/engine.py", "call", 2),
             ("orchard/web/views.py", "orchard/core/engine.py", "call", 1),
             ("orchard/core/engine.py", "orchard/core/kernel.py", "import", 1),
             ("orchard/core/engine.py", "orchard/plugins/hooks.py", "call", 1),
             ("orchard/core/engine.py", "orchard/io/reader.py", "call", 1),
             ("orchard/io/writer.py", "orchard/io/reader.py", "import", 1)]
    return {"nodes": nodes, "edges": [{"source": f"py:{s}", "target": f"py:{t}", "kind": k, "weight": w}
                                      for s, t, k, w in edges]}


def orchard(graph: bool = True) -> dict:
    candidates = _orchard_candidates()
    verdicts: dict[str, int] = {}
    for c in candidates:
        verdicts[c["verdict"]] = verdicts.get(c["verdict"], 0) + 1
    doc = {"schema_version": "1.2", "tool": {"name": "rustscout", "version": "0.1.0"},
           "repo": {"root": "/work/orchard", "head": "0123456789abcdef0123456789abcdef01234567", "as_of": "2025-06-30"},
           "summary": {"files": 12, "files_ranked": 9, "files_by_tag": {"test": 3}, "units": 30,
                       "candidates": len(candidates), "commits": 42, "languages": ["java", "python"],
                       "verdicts": verdicts, "notices": [f"a notice naming {HOSTILE_NAME}"], "import_cycles": []},
           "candidates": candidates, "errors": [{"path": HOSTILE_PATH, "kind": "parse", "message": HOSTILE_REASON}]}
    doc["candidates"][5]["reason"] = HOSTILE_REASON
    if graph:
        doc["graph"] = _orchard_graph(candidates)
    return doc


def measured(doc: dict | None = None) -> dict:
    """The orchard as a scan with --profile and --coverage writes it (schema 1.2's optional
    evidence): the top candidate timed by the profile and poorly covered, its plan's Rust
    signature, and what measured them in the summary."""
    doc = doc or orchard()
    top = doc["candidates"][0]
    runtime = factor("runtime", 0.42, "share", False)
    runtime["summary"] = "measured: 42% of 1,200 samples (py-spy raw, prof.txt)"
    top["factors"].insert(2, runtime)
    tests = next(f for f in top["factors"] if f["name"] == "tests")
    tests.update(value=0.3, unit="share", summary="measured: 30% of its lines run under tests (coverage.xml)")
    top["plan"]["signatures"] = [{
        "entry": STEP, "binding": "pyo3-0.23+", "source": "step(self, x)", "rust": "fn step(&mut self, x: f64) -> f64",
        "params": [{"name": "x", "source": "float", "rust": "f64", "note": ""}],
        "returns": {"name": "return", "source": "float", "rust": "f64", "note": ""}, "opaque": []}]
    doc["summary"]["evidence"] = {
        "profiles": [{"path": "prof.txt", "tool": "py-spy raw", "metric": "cpu", "unit": "samples", "total": 1200,
                      "language": "python", "mapped_share": 0.9, "used": True}],
        "measurements": [{"language": "python", "metric": "cpu", "samples": 1200, "mapped_share": 0.9,
                          "combine": "one profile", "sources": ["prof.txt"],
                          "description": f"1,200 samples (py-spy raw, {HOSTILE_NAME})", "unmapped": []}],
        "coverage": {"sources": [{"path": "coverage.xml", "tool": "coverage.py XML"}], "files_total": 10,
                     "files_mapped": 9, "unmapped_files": ["gone.py"]}}
    return doc


# --- a large synthetic report ------------------------------------------------------------------

VERDICTS = ("port", "needs-boundary-work", "fix-in-place-first", "insufficient-evidence", "not-a-rust-problem")


def synthetic(files: int, seed: int = 7) -> dict:
    """FILES files in folders three deep (pkgN/subN/modN.py), one candidate per five files,
    about six imports and four calls per file."""
    rng = random.Random(seed)
    paths = [f"pkg{i % 12}/sub{(i // 12) % 9}/deep{(i // 108) % 4}/mod{i}.py" for i in range(files)]
    shares = [rng.random() ** 8 for _ in paths]
    total = sum(shares)
    candidates = []
    for rank, i in enumerate(sorted(range(0, files, 5), key=lambda i: -shares[i]), 1):
        cid = f"py:{paths[i]}::work{i}"
        callers = [crossing(f"py:{paths[rng.randrange(files)]}::use", cid, paths[i], 3) for _ in range(3)]
        candidates.append(candidate(cid, "function", paths[i], rank, round(100 * shares[i] / total, 4),
                                    VERDICTS[rng.randrange(5)], work=round(1e7 * shares[i] / total),
                                    benefit=round(1e7 * shares[i] / total / 2), cost=round(1 + rng.random() * 30, 1),
                                    bound=boundary([cid], callers)))
    best = {c["path"]: c for c in candidates}
    nodes = [{"id": f"py:{p}", "path": p, "language": "python", "folder": p.rsplit("/", 1)[0],
              "work_share": round(shares[i] / total, 4), "sloc": 40 + i % 300,
              "verdict": best[p]["verdict"] if p in best else None, "candidate": best[p]["id"] if p in best else None,
              "score": best[p]["score"] if p in best else 0} for i, p in enumerate(paths)]
    edges = {(rng.randrange(files), rng.randrange(files), kind)
             for _ in range(files * 5) for kind in ("import", "call")}
    graph = {"nodes": nodes, "edges": [{"source": nodes[s]["id"], "target": nodes[t]["id"], "kind": k,
                                        "weight": 1 + (s * t) % 4} for s, t, k in sorted(edges) if s != t]}
    doc = orchard(graph=False)
    doc["candidates"], doc["graph"] = candidates, graph
    doc["summary"] = {**doc["summary"], "files": files, "files_ranked": files, "candidates": len(candidates),
                      "verdicts": {v: sum(c["verdict"] == v for c in candidates) for v in VERDICTS}, "notices": []}
    doc["errors"] = []
    return doc
