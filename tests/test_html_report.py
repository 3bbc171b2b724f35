"""The HTML report without a browser: the markup, the data the page reads, the graph and the
seam, the chart, and `rustscout report` and `scan --html` (what they read, what they refuse,
how they write). tests/test_html_browser.py opens the same pages in Chromium."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from analyzer.report.html import render
from analyzer.report.html.chart import render as chart
from analyzer.report.html.data import EVIDENCE, page_data
from analyzer.report.html.graph import page_graph, seam
from conftest import SCHEMA, run_cli
from evidence_support import WORKLOAD, cpu_profile
from html_docs import HOSTILE_NAME, HOSTILE_PATH, STEP, factors, measured, orchard

VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()), format_checker=jsonschema.FormatChecker())


class Tags(HTMLParser):
    """Every start tag with its attributes, and each <script>'s text."""

    def __init__(self):
        super().__init__()
        self.tags, self.scripts, self._in_script = [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False if tag == "script" else self._in_script

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parsed(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def unpacked(page: str, name: str):
    match = re.search(rf'<script type="application/gzip\+base64" id="rustscout-{name}">([^<]*)</script>', page)
    return json.loads(gzip.decompress(base64.b64decode(match.group(1))))


def test_the_test_document_follows_the_schema_with_its_graph():
    VALIDATOR.validate(orchard())


def test_same_document_same_bytes():
    assert render(orchard()) == render(orchard())


def test_page_is_self_contained_and_its_policy_allows_only_its_scripts():
    page = render(orchard())
    tags = parsed(page)
    links = [a.get("src") or a.get("href") for _, a in tags.tags if a.get("src") or a.get("href")]
    assert links and all(link.startswith("#") for link in links)
    policy = next(a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy")
    code = [s for (t, a), s in zip([x for x in tags.tags if x[0] == "script"], tags.scripts) if "type" not in a]
    assert len(code) == 2      # cytoscape, then ours
    for text in code:
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "connect-src 'none'" in policy and "default-src 'none'" in policy and "unsafe-inline' " not in \
        policy.split("style-src")[0]


def test_names_from_scanned_code_never_become_markup():
    page = render(orchard())
    tags = parsed(page).tags
    assert HOSTILE_NAME not in page and "<img" not in page
    assert [t for t, _ in tags].count("script") == 4 and "img" not in {t for t, _ in tags}
    assert not [k for _, attrs in tags for k in attrs if k.startswith("on")]
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page       # the chart's tooltip and the notice
    assert "&lt;/script&gt;&lt;img src=x onerror=&quot;window.pwned=2&quot;&gt; &amp; &lt;b&gt;" in page  # the error


def overview_text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page.split('<section id="ranking"')[0]).split())


def test_overview_says_what_was_scanned():
    text = overview_text(render(orchard(), [("parse", 1.25), ("graph", 0.5)]))
    for expected in ("/work/orchard", "0123456789ab", "42 commit(s) read, from the first commit to 2025-06-30",
                     "estimated", "12 files (9 ranked, 1 not read; left out: 3 test)", "1 port",
                     "2 fix-in-place-first", "time parse 1.25 s · graph 0.50 s"):
        assert expected in text, expected
    assert "time not recorded (rendered from a JSON report" in overview_text(render(orchard()))


def test_the_window_start_is_shown_when_the_report_has_it():
    doc = orchard()
    doc["repo"]["since"] = "2024-12-31"
    assert "42 commit(s) read, from 2024-12-31 to 2025-06-30" in overview_text(render(doc))


def test_measured_figures_are_named_so_with_what_measured_them():
    VALIDATOR.validate(measured())
    text = overview_text(render(measured()))
    assert ("figures measured : time for 1 of 7 candidate(s); tests for 1; the rest is estimated: ≈ marks estimates "
            "python cpu: 1,200 samples (py-spy raw, &lt;script&gt;window.pwned=1&lt;/script&gt;); 90% of it mapped "
            "to this scan coverage: 9 of 10 files of coverage.xml mapped to this scan scanned") in text
    assert "figures estimated from the code alone (no profile given)" in overview_text(render(orchard()))


def test_a_profile_that_maps_to_nothing_is_not_called_an_estimate_from_the_code_alone():
    doc = measured()
    doc["candidates"][0]["factors"] = factors(4e5, 1.2e6, 4.0)
    assert "figures measured : no candidate (nothing given mapped to this scan); the rest" in overview_text(render(doc))


def test_the_case_keeps_explains_warning_signatures_and_next_step():
    _, cases = page_data(measured())
    top, java = cases[0], page_data(measured())[1][2]
    assert top["warning"] == ("Poorly covered: 30% of its lines run under tests (coverage.xml). Write "
                              "characterization tests before porting.")
    assert top["next"] == "rustscout scaffold py:orchard/core/engine.py::Engine.step PATH -o DIR"
    assert top["plan"]["signatures"][0]["rust"] == "fn step(&mut self, x: f64) -> f64"
    assert java["warning"] is None and java["next"] is None                      # fix-in-place-first
    kernel = page_data(measured())[1][1]                                       # needs-boundary-work, tests counted
    assert kernel["warning"] is None and kernel["next"].startswith("rustscout scaffold py:orchard/core/kernel.py ")
    assert page_data(orchard())[1][0]["warning"] is None                       # tests as a count: no coverage given


def test_rows_carry_their_seam_and_cases_keep_what_explain_shows():
    index, cases = page_data(orchard())
    top, case = index["candidates"][0], cases[0]
    assert top["id"] == STEP and "factors" not in top
    intensity = case["factors"][0]
    assert len(intensity["evidence"]) == EVIDENCE and intensity["evidence_more"] == 12 - EVIDENCE
    assert "evidence" not in case["findings"][0] and case["plan"]["binding"] == "PyO3 + maturin"
    assert top["seam"] == {
        "members": ["py:orchard/core/engine.py"], "entries": ["py:orchard/core/engine.py"],
        "callers": ["py:orchard/cli.py", "py:orchard/web/views.py"], "callbacks": ["py:orchard/plugins/hooks.py"],
        "callees": ["py:orchard/io/reader.py"],
        "crossings": [["py:orchard/cli.py", "py:orchard/core/engine.py", "in", 2],
                      ["py:orchard/web/views.py", "py:orchard/core/engine.py", "in", 1],
                      ["py:orchard/core/engine.py", "py:orchard/plugins/hooks.py", "callback", 1],
                      ["py:orchard/core/engine.py", "py:orchard/io/reader.py", "out", 1]]}


def test_component_members_are_its_files():
    index, _ = page_data(orchard())
    component = next(c for c in index["candidates"] if c["kind"] == "component")
    assert component["seam"]["members"] == ["py:orchard/core/engine.py", "py:orchard/core/kernel.py"]


def test_graph_section_is_used_as_given_with_edges_by_index():
    graph = page_graph(orchard())
    ids = [n["id"] for n in graph["nodes"]]
    assert graph["partial"] is False and ids == sorted(ids) and len(ids) == 9
    edges = {(ids[s], ids[t], kind, w) for s, t, kind, w in graph["edges"]}
    assert ("py:orchard/cli.py", "py:orchard/core/engine.py", "call", 2) in edges and len(edges) == 7


def test_older_report_gets_a_partial_graph_from_candidates_and_crossings():
    doc = orchard(graph=False)
    graph = page_graph(doc)
    nodes = {n["id"]: n for n in graph["nodes"]}
    assert graph["partial"] is True
    assert set(nodes) == {"py:orchard/core/engine.py", "py:orchard/core/kernel.py", "py:orchard/io/reader.py",
                          "py:orchard/io/writer.py", "py:orchard/cli.py", "py:orchard/web/views.py",
                          "py:orchard/plugins/hooks.py", f"py:{HOSTILE_PATH}",
                          "java:src/main/java/org/orchard/Sieve.java"}
    engine = nodes["py:orchard/core/engine.py"]
    assert (engine["verdict"], engine["candidate"], engine["folder"]) == ("port", STEP, "orchard/core")
    assert engine["work_share"] == 0.0     # a report without the section has no work share: same sizes
    assert nodes["py:orchard/cli.py"]["verdict"] is None
    ids = [n["id"] for n in graph["nodes"]]
    edges = {(ids[s], ids[t], kind, w) for s, t, kind, w in graph["edges"]}
    assert edges == {("py:orchard/cli.py", "py:orchard/core/engine.py", "call", 2),
                     ("py:orchard/web/views.py", "py:orchard/core/engine.py", "call", 1),
                     ("py:orchard/core/engine.py", "py:orchard/plugins/hooks.py", "call", 1),
                     ("py:orchard/core/engine.py", "py:orchard/io/reader.py", "call", 1)}
    assert 'id="g-partial"' in render(doc) and 'id="g-partial"' not in render(orchard())


def test_seam_leaves_out_nodes_the_graph_does_not_have():
    top = orchard()["candidates"][0]
    assert seam(top, {"py:orchard/core/engine.py"})["callers"] == []
    assert seam(top, {"py:orchard/core/engine.py"})["crossings"] == []


def test_chart_has_one_dot_per_candidate_placed_by_benefit_and_effort():
    doc = orchard()
    svg = chart(doc["candidates"])
    dots = {int(rank): (float(x), float(y)) for rank, x, y in
            re.findall(r'data-rank="(\d+)" cx="([\d.]+)" cy="([\d.]+)"', svg)}
    assert sorted(dots) == list(range(1, 8))
    assert dots[1][1] < dots[2][1] < dots[5][1]            # more benefit: higher up
    assert dots[4][0] > dots[2][0] > dots[1][0]           # more days: further right
    assert HOSTILE_NAME not in svg and "#6 &lt;script&gt;" in svg



def test_chart_axis_reads_operations_saved():
    svg = chart(orchard()["candidates"])
    ticks = re.findall(r'text-anchor="end">([^<]+)</text>', svg)
    assert ticks[:4] == ["1", "10", "100", "1k"] and "1M" in ticks
    assert "saves ≈1.2M operations per use of its callers, ≈4 days" in svg


# --- rustscout report REPORT.json --html FILE ------------------------------------------------

def write_json(folder: Path, doc, name: str = "report.json") -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


def test_report_writes_the_page_and_leaves_no_temporary_file(tmp_path):
    report = write_json(tmp_path, orchard())
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    out.write_text("old")
    code, stdout, stderr = run_cli("report", str(report), "--html", str(out))
    assert (code, stdout) == (0, "") and f"Wrote {out} (7 candidates)" in stderr
    assert out.read_text() == render(orchard())
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]


def test_report_to_stdout(tmp_path):
    code, stdout, _ = run_cli("report", str(write_json(tmp_path, orchard())), "--html", "-")
    assert code == 0 and stdout == render(orchard())


def test_report_writes_into_a_fifo_directly(tmp_path):
    report, fifo = write_json(tmp_path, orchard()), tmp_path / "pipe"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert run_cli("report", str(report), "--html", str(fifo), "-q")[0] == 0
    reader.join(10)
    assert received == [render(orchard())] and fifo.is_fifo()


def test_report_writes_into_a_character_device_without_replacing_it(tmp_path):
    assert run_cli("report", str(write_json(tmp_path, orchard())), "--html", "/dev/null", "-q")[0] == 0
    assert Path("/dev/null").is_char_device()


def test_report_writes_through_a_symlink_to_a_fifo(tmp_path):
    report, fifo, link = write_json(tmp_path, orchard()), tmp_path / "pipe", tmp_path / "report.html"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(len(fifo.read_bytes())))
    reader.start()
    assert run_cli("report", str(report), "--html", str(link), "-q")[0] == 0
    reader.join(10)
    assert received == [len(render(orchard()).encode())] and link.is_symlink() and fifo.is_fifo()


def _with(change) -> dict:
    doc = orchard()
    change(doc)
    return doc


@pytest.mark.parametrize("content, message", [
    (None, "report {}: cannot read: No such file or directory"),
    ("{not json", "report {}: not JSON (Expecting property name enclosed in double quotes at line 1, column 2)"),
    ('{"candidates": []}', "report {}: not a rustscout JSON report (`rustscout scan --json FILE` writes one)"),
    ("[1, 2]", "report {}: not a rustscout JSON report"),
    (_with(lambda d: d.update(schema_version="1.1")),
     "report {}: schema 1.1 is not supported: this rustscout renders 1.2 and later 1.x; scan again"),
    (_with(lambda d: d.update(schema_version="2.0")), "report {}: schema 2.0 is not supported"),
    (_with(lambda d: d.update(schema_version="one")), "report {}: schema_version 'one' is not a version"),
    (_with(lambda d: d["candidates"][3].update(score="high")),
     'report {}: not a valid rustscout report: at candidates/3/score: "high" is not of type number'),
    (_with(lambda d: d["candidates"][1]["factors"][2].pop("unit")),
     "report {}: not a valid rustscout report: at candidates/1/factors/2: 'unit' is missing"),
    (_with(lambda d: d["graph"]["edges"][0].update(kind="inherit")),
     'report {}: not a valid rustscout report: at graph/edges/0/kind: "inherit" is not one of "import", "call"'),
    (_with(lambda d: d["candidates"][0].update(verdict="maybe")),
     'report {}: not a valid rustscout report: at candidates/0/verdict: "maybe" is not one of'),
    (_with(lambda d: d.update(extra=1)), "report {}: not a valid rustscout report: at extra: is not a key"),
    (re.sub(r'"score": [\d.]+', '"score": NaN', json.dumps(orchard()), count=1),
     "report {}: not JSON (NaN is not a JSON number)"),
    ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", "report {}: not JSON (nested too deeply)"),
])
def test_bad_input_is_one_line_naming_the_file(tmp_path, content, message):
    report = tmp_path / "report.json"
    if content is not None:
        write_json(tmp_path, content)
    code, stdout, stderr = run_cli("report", str(report), "--html", str(tmp_path / "out.html"))
    assert code == 1 and stdout == ""
    assert stderr.startswith("rustscout: error: " + message.format(report)), stderr
    assert stderr.count("\n") == 1 and "Traceback" not in stderr
    assert not (tmp_path / "out.html").exists()


def _nested_report(tmp_path: Path, depth: int) -> tuple[int, str, bool]:
    doc = _with(lambda d: d.update(schema_version="1.7"))
    doc["candidates"][0]["factors"][0]["nested"] = None
    text = json.dumps(doc).replace('"nested": null', '"nested": ' + "[" * depth + "]" * depth, 1)
    out = tmp_path / f"{depth}.html"
    code, _, stderr = run_cli("report", str(write_json(tmp_path, text)), "--html", str(out), "-q")
    return code, stderr, out.exists()


def test_a_newer_key_nested_near_pythons_limit_is_rendered_or_one_line(tmp_path):
    """A newer 1.x key is carried to the page unchecked. Reading stops near Python's recursion
    limit, and writing the page nests a little deeper than reading: just below where reading
    stops, the page cannot be written. Either way one line, never a traceback."""
    step = 16
    first = next(d for d in range(step, 4 * sys.getrecursionlimit(), step) if _nested_report(tmp_path, d)[0])
    seen = []
    for depth in range(first - 2 * step, first + 1):
        code, stderr, written = _nested_report(tmp_path, depth)
        assert (code, stderr, written) == (0, "", True) or (code == 1 and stderr.count("\n") == 1 and not written), \
            (depth, stderr[-300:])
        seen.append(stderr.split(": ", 3)[-1].strip())
    assert seen[0] == "" and seen[-1] == "not JSON (nested too deeply)" and "nested too deeply to render" in seen


def test_a_newer_minor_version_with_keys_it_does_not_know_is_rendered(tmp_path):
    doc = _with(lambda d: d.update(schema_version="1.7", evidence_from_the_future={"x": 1}))
    doc["candidates"][0]["also_new"] = True
    code, _, stderr = run_cli("report", str(write_json(tmp_path, doc)), "--html", str(tmp_path / "out.html"))
    assert code == 0, stderr
    assert 'id="ranking-table"' in (tmp_path / "out.html").read_text()


def test_an_unwritable_target_is_one_line_before_reading(tmp_path):
    code, _, stderr = run_cli("report", str(tmp_path / "absent.json"), "--html", str(tmp_path / "missing" / "out.html"))
    assert code == 1 and f"--html {tmp_path}/missing/out.html: folder {tmp_path}/missing does not exist" in stderr


# --- the page of a real scan -------------------------------------------------------------------

def test_a_real_scan_renders_with_its_graph_and_seam(sample_report):
    """The tidewater sample as `rustscout scan --json` writes it: the graph section is used."""
    VALIDATOR.validate(sample_report)
    index, cases = page_data(sample_report)
    top, ids = index["candidates"][0], [n["id"] for n in index["graph"]["nodes"]]
    assert top["id"] == "py:tidewater/wire/codec.py" and index["graph"]["partial"] is False
    assert len(ids) == sample_report["summary"]["files_ranked"]
    assert top["seam"]["members"] == top["seam"]["entries"] == ["py:tidewater/wire/codec.py"]
    assert top["seam"]["callers"] == ["py:tidewater/pipeline.py", "py:tidewater/web/views.py"]
    edges = {(ids[s], ids[t], kind) for s, t, kind, _ in index["graph"]["edges"]}
    assert ("py:tidewater/pipeline.py", "py:tidewater/wire/codec.py", "call") in edges
    assert len(cases) == len(sample_report["candidates"]) and cases[0]["plan"]["binding"].startswith("PyO3")
    assert 'id="g-partial"' not in render(sample_report)


def test_scan_html_is_the_report_commands_page_with_the_runs_timings(sample_repo, tmp_path):
    page, saved = tmp_path / "scan.html", tmp_path / "scan.json"
    code, _, stderr = run_cli("scan", str(sample_repo), "--quiet", "--json", str(saved), "--html", str(page))
    assert code == 0, stderr
    assert run_cli("report", str(saved), "--html", str(tmp_path / "again.html"), "-q")[0] == 0
    scanned, again = page.read_text(), (tmp_path / "again.html").read_text()
    assert unpacked(scanned, "index") == unpacked(again, "index") == page_data(json.loads(saved.read_text()))[0]
    assert unpacked(scanned, "cases") == unpacked(again, "cases")
    assert re.search(r"time inventory \d+\.\d\d s · .*parse \d+\.\d\d s", overview_text(scanned))
    assert "time not recorded" in overview_text(again)


def test_scan_refuses_an_html_target_it_cannot_write_before_scanning(sample_repo, tmp_path):
    code, _, stderr = run_cli("scan", str(sample_repo), "--quiet", "--html", str(tmp_path))
    assert code == 1 and f"--html {tmp_path}: is a folder; give a file name" in stderr


REFERENCES = ("src", "href", "action", "data", "poster", "srcset", "xlink:href", "formaction")


def test_scan_html_replaces_the_page_with_one_self_contained_file(sample_repo, tmp_path):
    out = tmp_path / "site" / "report.html"
    out.parent.mkdir()
    out.write_text("the previous page")
    out.chmod(0o640)
    code, stdout, stderr = run_cli("scan", str(sample_repo), "--quiet", "--html", str(out))
    assert code == 0 and "Traceback" not in stderr
    assert [p.name for p in out.parent.iterdir()] == ["report.html"] and out.stat().st_mode & 0o777 == 0o640
    page = out.read_text(encoding="utf-8")
    tags = parsed(page)
    references = [v for _, attrs in tags.tags for k, v in attrs.items() if k in REFERENCES and v]
    assert references and all(v.startswith("#") for v in references)          # in-page anchors only
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "link" not in {t for t, _ in tags.tags} and "@import" not in page
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", page, re.I)     # no remote image or font in the CSS
    policy = next(a["content"] for t, a in tags.tags if a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "connect-src 'none'" in policy
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=sample_repo, capture_output=True, text=True).stdout
    assert head[:12] in overview_text(page)
    assert unpacked(page, "index")["candidates"][0]["id"] == "py:tidewater/wire/codec.py"


def test_scan_html_interrupted_keeps_the_previous_page_and_says_so(sample_repo, tmp_path, monkeypatch):
    out = tmp_path / "report.html"
    out.write_text("the previous page")
    replace = os.replace

    def full_disk(source, target):
        if str(target).endswith(".html"):
            raise OSError(28, "No space left on device")
        return replace(source, target)
    monkeypatch.setattr(os, "replace", full_disk)
    code, _, stderr = run_cli("scan", str(sample_repo), "--quiet", "--no-cache", "--html", str(out))
    assert code == 1 and stderr == f"rustscout: error: --html {out}: No space left on device\n"
    assert out.read_text() == "the previous page" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_a_scan_with_a_profile_and_coverage_renders_what_measured_it(tmp_path):
    """Schema 1.2's evidence as `scan --profile --coverage` writes it, read back by `rustscout report`."""
    root = tmp_path / "workload"
    shutil.copytree(WORKLOAD, root, ignore=shutil.ignore_patterns("__pycache__"))
    for command in (cpu_profile("run.py", "run.prof"),
                    [sys.executable, "-m", "coverage", "run", "run.py"],
                    [sys.executable, "-m", "coverage", "xml", "-o", "coverage.xml"]):
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    saved, page = tmp_path / "measured.json", tmp_path / "measured.html"
    code, _, stderr = run_cli("scan", str(root), "--quiet", "--no-cache", "--profile", str(root / "run.prof"),
                              "--coverage", str(root / "coverage.xml"), "--json", str(saved))
    assert code == 0, stderr
    assert run_cli("report", str(saved), "--html", str(page), "-q")[:2] == (0, "")
    text, doc = overview_text(page.read_text()), json.loads(saved.read_text())
    ranked = len(doc["candidates"])
    assert f"figures measured : time for {ranked} of {ranked} candidate(s); tests for {ranked};" in text
    assert re.search(rf"python cpu: [\d.]+ seconds \(cProfile, {re.escape(str(root))}/run\.prof\); 9\d% of it "
                     "mapped to this scan", text)
    assert f"coverage: 4 of 4 files of {root}/coverage.xml mapped to this scan" in text
    top = unpacked(page.read_text(), "cases")[0]
    assert top["next"] == "rustscout scaffold py:parcel/checksum.py::fletcher PATH -o DIR"
    assert top["plan"]["signatures"][0]["rust"].startswith("fn fletcher")
