"""`--html`: the portfolio shown by the HTML report (analyzer/report/html, `render(doc)` from
a scan document).

The report draws one repository's scan document, so `view` makes one of the portfolio: the
merged ranking's first entries as scan candidates, whole (factors, boundary, findings, plan,
as their best place's scan gave them), with the repository's name in front of their paths
and ids, and the other places and failures as notices.
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

from analyzer.report import html as html_report
from analyzer.report.json import SCHEMA_VERSION as SCAN_SCHEMA_VERSION   # the scan document this view follows


def render_html(doc: dict, details: Mapping[tuple[str, str], dict], top: int) -> str:
    return html_report.render(view(doc, details, top))


def view(doc: dict, details: Mapping[tuple[str, str], dict], top: int) -> dict:
    """A scan-shaped document (report.schema.json) of the portfolio's first `top` entries
    whose best place's candidate was kept whole."""
    totals = doc["totals"]
    shown = [e for e in doc["ranking"] if (e["places"][0]["repository"], e["places"][0]["id"]) in details][:top]
    candidates = [_candidate(rank, entry, details) for rank, entry in enumerate(shown, 1)]
    notices = [f"{e['repository']}: not scanned ({e['kind']}): {e['message']}" for e in doc["errors"]]
    notices += [_elsewhere(entry) for entry in shown if len(entry["places"]) > 1]
    summary = {"files": totals["files"], "files_ranked": sum(r["size"]["files_ranked"] for r in _scanned(doc)),
               "files_by_tag": {}, "units": totals["units"], "candidates": len(candidates),
               "commits": sum(r["size"]["commits"] for r in _scanned(doc)), "languages": totals["languages"],
               "verdicts": dict(sorted(Counter(c["verdict"] for c in candidates).items())), "notices": notices,
               "import_cycles": []}
    return {"schema_version": SCAN_SCHEMA_VERSION, "tool": doc["tool"],
            "repo": {"root": f"portfolio of {totals['repositories']} repositories", "head": None, "as_of": None},
            "summary": summary, "candidates": candidates,
            "errors": [{"path": e["repository"], "kind": e["kind"], "message": e["message"]} for e in doc["errors"]]}


def _scanned(doc: dict) -> list[dict]:
    return [r for r in doc["repositories"] if r["status"] == "scanned"]


def _candidate(rank: int, entry: dict, details: Mapping[tuple[str, str], dict]) -> dict:
    place = entry["places"][0]
    whole = dict(details[(place["repository"], place["id"])])
    prefix = place["repository"] + "/"
    language, _, rest = whole["id"].partition(":")
    rest = rest.replace(whole["path"], prefix + whole["path"], 1) if whole["path"] in rest else prefix + rest
    whole.update(id=f"{language}:{rest}", path=prefix + whole["path"], rank=rank,
                 members=[prefix + m for m in whole["members"]])
    return whole


def _elsewhere(entry: dict) -> str:
    first, *others = entry["places"]
    where = ", ".join(f"{p['repository']}:{p['path']}" for p in others)
    return f"{first['repository']}:{first['path']} ({entry['name']}) is also in {where}"
