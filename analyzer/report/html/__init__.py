"""The HTML report: one self-contained file rendered from the scan's JSON document.

`render(doc) -> str` is the one path: `rustscout scan --html FILE` renders the document the
scan just built, `rustscout report REPORT.json --html FILE` renders one read from disk (see
cli.py). The page has the overview, the ranking, each candidate's case, the dependency graph
with the chosen candidate's seam, and a benefit-against-effort chart; page.py assembles it.
"""

from __future__ import annotations

from analyzer.report.html.page import render

__all__ = ["render"]
