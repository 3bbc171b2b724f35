"""One ranking for many repositories, from their scan documents.

Input: each repository's scan document (as `rustscout scan --json` writes it) with the
content hashes of its candidates, or its failure. Output: the portfolio document's parts,
as plain dicts in a fixed order (document.py writes them):
- `ranking`: every candidate of every repository, with the score the scan gave it (the same
  score model: nothing is re-scored). Candidates with the same content hash are one entry
  that lists every place the code lives (one port serves them all); the entry takes its
  score, verdict, reason and factors from its best place. Its figures are those factors, as
  the scan gave them: native_gain (the speedup per call as drawn, x), benefit (interpreter
  operations a port saves per use of its callers, in that repository: each place has its
  own, as its callers differ) and cost (days); all three are estimates. Ordered by score, then repository name,
  then candidate id, so ties never depend on which task finished first.
- `repositories`: one summary per source: head, top candidate, verdict counts, languages,
  size, file errors; or its failure.
- `totals`: for the organisation: repositories, candidates, port candidates and the
  estimated effort (the sum of their cost factor, in days; an estimate, as the factor is).
  Benefits are not summed: each counts operations per use of the callers in one repository,
  and uses in different programs have no common clock.
- `errors`: one entry per repository that could not be scanned.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Iterable, Mapping, Sequence

from analyzer.portfolio.model import Failed, Found, Scanned
from analyzer.portfolio.sources import Source

EFFORT_NOTE = ("an estimate: the sum of the cost factor (days) of the port candidates, each copy of duplicated "
               "code counted once; a unit inside a larger port candidate is counted in both")


def scanned(source: Source, document: Mapping, hashes: Mapping[str, str]) -> Scanned:
    """What the merge keeps of one scan document."""
    repo = document["repo"]
    candidates = tuple(_found(source.name, c, hashes.get(c["id"])) for c in document["candidates"])
    return Scanned(source, repo["head"], repo["as_of"], document["tool"]["version"], document["summary"],
                   len(document["errors"]), candidates)


def _found(repository: str, c: Mapping, digest: str | None) -> Found:
    return Found(repository, c["id"], c["kind"], c["language"], c["path"], c["name"], c["qualname"],
                 (c["lines"][0], c["lines"][1]), c["score"], c["rank"], c["verdict"], c["reason"],
                 _factor(c, "native_gain", "x"), _factor(c, "benefit", "operations"), _factor(c, "cost", "days"),
                 digest)


def _factor(candidate: Mapping, name: str, unit: str) -> float | None:
    """A factor's value as the scan gave it; None when a scan of another version has no
    such factor in that unit (a figure of another model is not shown as this one's)."""
    return next((f["value"] for f in candidate["factors"] if f["name"] == name and f["unit"] == unit), None)


def ranking(results: Iterable[Scanned]) -> list[dict]:
    groups: dict[object, list[Found]] = defaultdict(list)
    for result in results:
        for found in result.candidates:
            groups[found.hash or (found.repository, found.id)].append(found)
    entries = [sorted(places, key=_place_order) for places in groups.values()]
    entries.sort(key=lambda places: _place_order(places[0]))
    return [_entry(rank, places) for rank, places in enumerate(entries, 1)]


def _place_order(found: Found) -> tuple:
    return (-found.score, found.repository, found.id)


def _entry(rank: int, places: Sequence[Found]) -> dict:
    best = places[0]
    return {
        "rank": rank, "score": best.score, "verdict": best.verdict, "kind": best.kind, "language": best.language,
        "name": best.name, "qualname": best.qualname, "native_gain": best.native_gain, "benefit": best.benefit,
        "cost_days": best.cost_days, "reason": best.reason, "hash": best.hash,
        "places": [{"repository": p.repository, "id": p.id, "path": p.path, "lines": list(p.lines),
                    "score": p.score, "rank": p.rank, "verdict": p.verdict, "benefit": p.benefit} for p in places],
    }


def repositories(results: Iterable[Scanned], failures: Iterable[Failed]) -> list[dict]:
    rows = [_scanned_row(r) for r in results] + [_failed_row(f) for f in failures]
    return sorted(rows, key=lambda row: row["name"])


def _source_fields(source: Source) -> dict:
    return {"name": source.name, "source": source.shown, "branch": source.branch, "subfolder": source.subfolder,
            "language": source.language}


def _scanned_row(result: Scanned) -> dict:
    summary = result.summary
    top = result.candidates[0] if result.candidates else None
    return {
        **_source_fields(result.source), "status": "scanned", "head": result.head, "as_of": result.as_of,
        "top": {"id": top.id, "score": top.score, "verdict": top.verdict} if top else None,
        "verdicts": dict(sorted(summary["verdicts"].items())), "languages": list(summary["languages"]),
        "size": {"files": summary["files"], "files_ranked": summary["files_ranked"], "units": summary["units"],
                 "commits": summary["commits"], "candidates": summary["candidates"]},
        "file_errors": result.file_errors, "error": None,
    }


def _failed_row(failed: Failed) -> dict:
    return {**_source_fields(failed.source), "status": "failed", "head": None, "as_of": None, "top": None,
            "verdicts": {}, "languages": [], "size": None, "file_errors": 0,
            "error": {"kind": failed.failure.kind, "message": failed.failure.message}}


def totals(results: Sequence[Scanned], failures: Sequence[Failed], ranked: Sequence[dict]) -> dict:
    ports = [entry for entry in ranked if entry["verdict"] == "port"]
    return {
        "repositories": len(results) + len(failures), "scanned": len(results), "failed": len(failures),
        "files": sum(r.summary["files"] for r in results), "units": sum(r.summary["units"] for r in results),
        "languages": sorted({lang for r in results for lang in r.summary["languages"]}),
        "candidates": len(ranked), "places": sum(len(e["places"]) for e in ranked),
        "duplicated": sum(1 for e in ranked if len(e["places"]) > 1),
        "verdicts": dict(sorted(Counter(e["verdict"] for e in ranked).items())),
        "port_candidates": len(ports),
        "effort_days_estimate": round(sum(e["cost_days"] or 0 for e in ports), 1),
        "effort_note": EFFORT_NOTE,
    }


def errors(failures: Iterable[Failed]) -> list[dict]:
    rows = [{"repository": f.source.name, "source": f.source.shown, "kind": f.failure.kind,
             "message": f.failure.message} for f in failures]
    return sorted(rows, key=lambda row: row["repository"])
