"""The JSON document: the versioned contract other tools rely on.

Its schema ships in analyzer/schema/report.schema.json (schema_version below). Keys keep a
fixed order, numbers are rounded, and nothing depends on the clock or on timing, so the same
commit and flags give the same bytes. Optional evidence fields are left out when empty.

Layout: one top-level key per line and one candidate per line. Diffs and grep stay useful,
and the encoder runs in C (an indented document goes through the pure-Python encoder: on
kafka, 33 MB in 1.0 s instead of 0.2 s).
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

from analyzer.model import (Boundary, Candidate, Evidence, Factor, FileError, Finding, Fix, ModuleGraph, NativeTwin,
                            Plan, Report, RuntimeEvidence, Summary)
from analyzer.report import evidence as measured_evidence

SCHEMA_VERSION = "1.2"


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The document in pieces, a candidate at a time: a large repository's is written without
    ever being held whole (bc-java's is 130 MB of text, kafka's 88 MB)."""
    for i, (key, value) in enumerate(_sections(report)):
        yield ("{\n" if i == 0 else ",\n") + f"  {_compact(key)}: "
        yield from _value(key, value)
    yield "\n}\n"


def _value(key: str, value) -> Iterator[str]:
    """One candidate per line, and one node or edge of the graph per line; the rest compact."""
    if key == "candidates":
        yield from _rows(value)
    elif key == "graph":
        yield from _graph_rows(value)
    else:
        yield _compact(value)


def _rows(items: Iterable[dict]) -> Iterator[str]:
    """A list with one item per line; an empty one as `[]`."""
    opened = False
    for item in items:
        yield ("[\n    " if not opened else ",\n    ") + _compact(item)
        opened = True
    yield "\n  ]" if opened else "[]"


def _graph_rows(graph: dict) -> Iterator[str]:
    yield "{"
    for i, (key, items) in enumerate(graph.items()):
        yield ("" if i == 0 else ", ") + f"{_compact(key)}: "
        yield from _rows(items)
    yield "}"


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def document(report: Report) -> dict:
    return {key: list(value) if key == "candidates" else value for key, value in _sections(report)}


def _sections(report: Report) -> Iterator[tuple[str, object]]:
    """The document's keys in order, its candidates made one at a time as they are read."""
    yield "schema_version", SCHEMA_VERSION
    yield "tool", {"name": "rustscout", "version": report.tool_version}
    yield "repo", {"root": report.root, "head": report.head, "as_of": report.as_of,
                   **({"scope": report.scope} if report.scope else {}),
                   **({"since": report.since} if report.since else {})}
    yield "summary", _summary(report.summary, report.evidence)
    yield "candidates", (candidate(c, report.evidence) for c in report.candidates)
    yield "errors", [_error(e) for e in report.errors]
    if report.graph is not None:
        yield "graph", _graph(report.graph)


def _num(value: float | int) -> float | int:
    if isinstance(value, float):
        value = round(value, 4)
        return int(value) if value.is_integer() else value
    return value


def _summary(s: Summary, measured: RuntimeEvidence | None) -> dict:
    found = {
        "files": s.files, "files_ranked": s.files_ranked, "files_by_tag": dict(sorted(s.files_by_tag.items())),
        "units": s.units, "candidates": s.candidates, "commits": s.commits, "languages": list(s.languages),
        "verdicts": dict(sorted(s.verdicts.items())), "notices": list(s.notices),
        "import_cycles": [list(cycle) for cycle in s.import_cycles],
    }
    if measured is not None:   # only when the user gave profiles or coverage: old documents keep their bytes
        found["evidence"] = measured_evidence.summary(measured)
    if s.suppressed:   # only when something was suppressed, for the same reason
        found["suppressed"] = {"total": sum(s.suppressed.values()), "by_rule": dict(sorted(s.suppressed.items()))}
    if s.native_twins:         # only when the repository has native code (since 1.2)
        found["native_twins"] = [_twin(t) for t in s.native_twins]
    return found


def _twin(t: NativeTwin) -> dict:
    return {"module": t.module, "language": t.language, "sources": list(t.sources), "declared_in": t.declared_in,
            "backs": list(t.backs)}


def candidate(c: Candidate, measured: RuntimeEvidence | None = None) -> dict:
    found = _candidate(c)
    if measured is not None:
        found["evidence"] = measured_evidence.candidate(measured.runtime.get(c.id), measured.coverage.get(c.id))
    return found


def _candidate(c: Candidate) -> dict:
    found = {
        "id": c.id, "kind": c.kind, "language": c.language, "path": c.path, "name": c.name,
        "qualname": c.qualname, "lines": list(c.lines), "score": _num(c.score), "rank": c.rank,
        "verdict": c.verdict.value, "reason": c.reason,
        "factors": [_factor(f) for f in c.factors],
        "boundary": _boundary(c.boundary),
        "members": list(c.members),
        "findings": [finding(f) for f in c.findings],
        "fixes": [_fix(f) for f in c.fixes],
        "plan": _plan(c.plan),
    }
    if c.native_twins:   # since 1.2, only when native code stands in for it
        found["native_twins"] = list(c.native_twins)
    return found


def _factor(f: Factor) -> dict:
    return {"name": f.name, "value": _num(f.value), "unit": f.unit, "estimate": f.estimate,
            "summary": f.summary, "evidence": [evidence(e) for e in f.evidence]}


def evidence(e: Evidence) -> dict:
    out: dict = {"what": e.what}
    if e.value is not None:
        out["value"] = _num(e.value) if not isinstance(e.value, str) else e.value
    if e.path is not None:
        out["path"] = e.path
    if e.lines is not None:
        out["lines"] = list(e.lines)
    if e.commit is not None:
        out["commit"] = e.commit
    return out


def _boundary(b: Boundary) -> dict:
    return {
        "width": b.width,
        "entry_points": [{"id": e.unit_id, "signature": e.signature, "callers": e.callers} for e in b.entry_points],
        "calls_in": [_crossing(c) for c in b.calls_in], "calls_in_total": b.calls_in_total,
        "calls_out": [_crossing(c) for c in b.calls_out], "calls_out_total": b.calls_out_total,
        "shared_state": [{"name": s.name, "line": s.line, "write": s.write} for s in b.shared_state],
        "test_references": b.test_references,
    }


def _crossing(c) -> dict:
    return {"source": c.source, "target": c.target, "path": c.path, "line": c.line, "callback": c.callback}


def finding(f: Finding) -> dict:
    return {"rule": f.rule_id, "unit": f.unit_id, "path": f.path, "line": f.line, "severity": f.severity,
            "effect": f.effect, "message": f.message, "evidence": [evidence(e) for e in f.evidence]}


def _fix(f: Fix) -> dict:
    return {"rule": f.rule_id, "line": f.line, "summary": f.summary, "patch": f.patch}


def _plan(p: Plan | None) -> dict | None:
    if p is None:
        return None
    return {"binding": p.binding, "crates": [{"library": lib, "crate": crate} for lib, crate in p.crates],
            "steps": list(p.steps), "cut": list(p.cut), "signatures": [s.to_json() for s in p.signatures]}


def _graph(g: ModuleGraph) -> dict:
    return {"nodes": [{"id": n.id, "path": n.path, "language": n.language, "folder": n.folder, "sloc": n.sloc,
                       "work_share": _num(n.work_share), "verdict": n.verdict, "candidate": n.candidate,
                       "score": _num(n.score)} for n in g.nodes],
            "edges": [{"source": e.source, "target": e.target, "kind": e.kind, "weight": e.weight} for e in g.edges]}


def _error(e: FileError) -> dict:
    return {"path": e.path, "kind": e.kind, "message": e.message}
