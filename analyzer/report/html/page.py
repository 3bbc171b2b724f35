"""One self-contained HTML file: the markup, the stylesheet, the data and the scripts inline.

The Content-Security-Policy allows only the page's own inline scripts (by hash) and inline
styles (the graph library sets style attributes), and no connection, image, font or frame
source: nothing the page does can leave the machine, and a script that found its way into the
markup would not run. Values from the document are
escaped where the markup is written (here, overview.py, chart.py); the script writes text only
through textContent.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape
from importlib import resources

from analyzer.report.html import chart, overview
from analyzer.report.html.data import pack, page_data
from analyzer.report.html.graph import BEST_FIRST

ASSETS = resources.files("analyzer.report.html")
COLUMNS = (("rank", "#"), ("score", "score"), ("verdict", "verdict"), ("kind", "kind"), ("language", "language"),
           ("name", "name"), ("path", "path:line"), ("", "reason"))


def asset(name: str) -> str:
    text = ASSETS.joinpath(name).read_text(encoding="utf-8")
    if "</script" in text.lower():
        raise ValueError(f"{name}: contains '</script', which would end its inline element early")
    return text


def render(doc: dict, timings=None) -> str:
    """The page for a JSON document (as analyzer.report.json.document builds it, or as read
    back); `timings` are the run's stages and seconds, when it has just run."""
    scripts = [asset("vendor/cytoscape.min.js"), asset("assets/report.js")]
    style = asset("assets/report.css")
    name = doc["repo"]["root"].rstrip("/").rsplit("/", 1)[-1] or doc["repo"]["root"]
    return "".join([
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{_policy(scripts)}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>rustscout: {escape(name)}</title>\n<style>{style}</style></head>\n<body>\n",
        _header(name, doc), "<main>\n", _overview(doc, timings), _ranking(doc), _workbench(doc), "</main>\n",
        *_data(*page_data(doc)),
        *(f"<script>{s}</script>\n" for s in scripts), "</body></html>\n"])


def _data(index: dict, cases: list[dict]) -> list[str]:
    return [f'<script type="application/gzip+base64" id="rustscout-{name}">{pack(value)}</script>\n'
            for name, value in (("index", index), ("cases", cases))]


def _policy(scripts: list[str]) -> str:
    hashes = " ".join(f"'sha256-{_digest(text)}'" for text in scripts)
    return (f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; "
            "img-src 'none'; connect-src 'none'; font-src 'none'; frame-src 'none'; form-action 'none'; "
            "base-uri 'none'")


def _digest(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def _header(name: str, doc: dict) -> str:
    version = escape(doc["tool"]["version"])
    return (f'<header><h1>rustscout <span class="repo">{escape(name)}</span></h1>'
            f'<nav><a href="#overview">Overview</a><a href="#ranking">Ranking</a>'
            f'<a href="#workbench">Case and graph</a></nav><span class="tool">rustscout {version}, '
            f'report schema {escape(doc["schema_version"])}</span></header>\n')


def _overview(doc: dict, timings) -> str:
    return (f'<section id="overview"><h2>Overview</h2><div class="split"><div>{overview.render(doc, timings)}</div>'
            f'<figure id="tradeoff"><figcaption>Benefit against effort: one dot per candidate '
            f'(choose one to open its case)</figcaption>{chart.render(doc["candidates"])}{_legend()}</figure>'
            "</div></section>\n")


def _legend() -> str:
    items = "".join(f'<span class="chip v-{v}">{v}</span>' for v in BEST_FIRST)
    return f'<div class="legend">{items}</div>'


def _ranking(doc: dict) -> str:
    candidates = doc["candidates"]
    selects = "".join(_select(key, _values(candidates, key)) for key in ("verdict", "kind", "language"))
    heads = "".join(f'<th data-key="{key}">{label}</th>' if key else f"<th>{label}</th>" for key, label in COLUMNS)
    return (f'<section id="ranking"><h2>Ranking</h2><form id="filters" autocomplete="off">{selects}'
            '<label>path <input id="f-path" type="search" placeholder="part of a path or id"></label>'
            '<label>score ≥ <input id="f-score" type="number" min="0" max="100" step="0.1" value="0"></label>'
            '<button type="reset">Clear</button></form><p id="count"></p>'
            f'<table id="ranking-table"><thead><tr>{heads}</tr></thead><tbody id="ranking-body"></tbody></table>'
            '<button id="more" type="button" hidden>Show every row</button></section>\n')


def _values(candidates: list[dict], key: str) -> list[str]:
    present = {c[key] for c in candidates}
    ordered = [v for v in BEST_FIRST if v in present] if key == "verdict" else []
    return ordered + sorted(present - set(ordered))


def _select(key: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(v)}">{escape(v)}</option>' for v in values)
    return f'<label>{key} <select id="f-{key}"><option value="">any</option>{options}</select></label>'


def _workbench(doc: dict) -> str:
    partial = "" if "graph" in doc else (
        '<p class="partial" id="g-partial">This report has no graph section (it was written by a rustscout '
        "without one): the graph is partial, derived from the candidates' files and the calls that cross "
        "their boundaries. Scan again for imports and every call.</p>")
    return ('<section id="workbench"><div id="case"><h2>Case</h2><div id="case-body"><p class="hint">Choose a '
            "row of the ranking, a dot of the chart or a file of the graph.</p></div></div>"
            '<div id="graph-panel"><h2>Dependency graph</h2><div class="controls">'
            '<input id="g-search" type="search" placeholder="find a file or folder, then Enter">'
            '<button id="g-fit" type="button">Fit</button><button id="g-reset" type="button">Reset</button></div>'
            f'{partial}<p id="g-info"></p><div id="graph"></div>{_graph_legend()}</div></section>\n')


def _graph_legend() -> str:
    roles = "".join(f'<b class="k-{cls}">{text}</b> ' for cls, text in (
        ("member", "members"), ("entry", "entry points"), ("caller", "callers (calls crossing in)"),
        ("callback", "callbacks out"), ("callee", "other calls out")))
    return ('<p class="legend graph-legend">Size: the file\'s share of the estimated work (static, each entry run '
            "once; a folder adds up its files) · colour: best verdict in the file or folder · lines: grey imports, "
            f"light blue calls, blue both · chosen candidate: {roles}· click a folder to open it, right-click to "
            "close its folder, scroll to zoom, drag to pan.</p>")
