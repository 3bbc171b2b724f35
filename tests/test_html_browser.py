"""The HTML report in headless Chromium: it loads without console errors or requests, the
graph has the expected nodes, the table filters and sorts, choosing a candidate opens its case
and draws its seam on the graph, names from scanned code stay text, and large graphs are
aggregated by folder. Screenshots go to $RUSTSCOUT_HTML_SHOTS (default: the test's tmp folder).

Needs Debian's chromium and chromium-driver and selenium: without them these tests FAIL,
naming what to install."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analyzer.report.html import render
from html_browser import BrowserMissing, chromium, console, open_report, requests
from html_docs import HOSTILE_NAME, HOSTILE_REASON, STEP, measured, orchard, synthetic

ENGINE, CLI, VIEWS = "py:orchard/core/engine.py", "py:orchard/cli.py", "py:orchard/web/views.py"
HOOKS, READER, WRITER = "py:orchard/plugins/hooks.py", "py:orchard/io/reader.py", "py:orchard/io/writer.py"


@pytest.fixture(scope="module")
def browser():
    missing = None
    try:
        with chromium() as driver:
            yield driver
    except BrowserMissing as exc:
        missing = str(exc)
    if missing:
        pytest.fail(missing, pytrace=False)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    for name, doc in (("orchard", orchard()), ("old", orchard(graph=False)), ("large", synthetic(5000)),
                      ("measured", measured())):
        (folder / f"{name}.html").write_text(render(doc), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("RUSTSCOUT_HTML_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def load(browser, page: Path) -> None:
    console(browser), requests(browser)          # forget what came before
    open_report(browser, page)


def open_report_wait(browser) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return !!(window.rustscout && rustscout.ready)"))


def js(browser, script: str, *args):
    return browser.execute_script(script, *args)


def ranks(browser) -> list[int]:
    return js(browser, "return [...document.querySelectorAll('#ranking-body tr')].map(r => Number(r.dataset.rank))")


def set_filter(browser, element_id: str, value: str) -> None:
    js(browser, "const e = document.getElementById(arguments[0]); e.value = arguments[1];"
                "e.dispatchEvent(new Event('input', {bubbles: true}))", element_id, value)


def choose_row(browser, rank: int) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    row = browser.find_element("css selector", f'#ranking-body tr[data-rank="{rank}"]')
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", row)   # clear of the sticky header
    row.click()
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const t = document.querySelector('#case-body .title'); return t && t.textContent.startsWith(arguments[0])",
        f"#{rank} "))


def wait_for_case(browser, title: str) -> None:
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, 10).until(lambda d: d.execute_script(
        "const t = document.querySelector('#case-body .title'); return t && t.textContent === arguments[0]", title))


def classes(browser, element_id: str) -> list[str]:
    return js(browser, "const e = rustscout.cy.getElementById(arguments[0]); return e.length ? e.classes() : null",
              element_id)


def test_page_loads_without_console_errors_or_requests(browser, pages, shots):
    page = pages / "orchard.html"
    load(browser, page)
    assert console(browser) == []
    sent = requests(browser)
    assert [url for doc, url in sent if doc == page.resolve().as_uri()] == [page.resolve().as_uri()]
    assert not [url for _, url in sent if url.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")]
    browser.find_element("id", "overview").screenshot(str(shots / "overview.png"))
    assert (shots / "overview.png").stat().st_size > 10_000


def test_graph_has_a_node_per_file_and_merged_edges(browser, pages):
    load(browser, pages / "orchard.html")
    ids = sorted(js(browser, "return rustscout.cy.nodes().map(n => n.id())"))
    assert ids == sorted([ENGINE, CLI, VIEWS, HOOKS, READER, WRITER, "py:orchard/core/kernel.py",
                          "py:orchard/evil/<img src=x onerror=window.pwned=3>.py",
                          "java:src/main/java/org/orchard/Sieve.java"])
    edge = js(browser, "const e = rustscout.cy.edges().filter(e => e.source().id() === arguments[0] && "
                       "e.target().id() === arguments[1]); return [e.length, e.classes(), e.data('weight')]",
              CLI, ENGINE)
    assert edge == [1, ["call", "import"], 3]
    size = lambda node: js(browser, "return rustscout.cy.getElementById(arguments[0]).data('size')", node)
    assert size(ENGINE) > size(READER) > size(CLI)
    colour = js(browser, "return rustscout.cy.getElementById(arguments[0]).style('background-color')", ENGINE)
    assert colour == "rgb(31,157,85)"                  # --v-port


def test_table_filters_by_verdict_kind_language_path_and_score(browser, pages):
    load(browser, pages / "orchard.html")
    assert ranks(browser) == [1, 2, 3, 4, 5, 6, 7]
    set_filter(browser, "f-verdict", "fix-in-place-first")
    assert ranks(browser) == [3, 7]
    set_filter(browser, "f-language", "java")
    assert ranks(browser) == [3]
    set_filter(browser, "f-verdict", "")
    set_filter(browser, "f-language", "")
    set_filter(browser, "f-kind", "module")
    assert ranks(browser) == [2, 5]
    set_filter(browser, "f-kind", "")
    set_filter(browser, "f-path", "orchard/io/")
    assert ranks(browser) == [5, 7]
    set_filter(browser, "f-path", "")
    set_filter(browser, "f-score", "30")
    assert ranks(browser) == [1, 2, 3]
    assert browser.find_element("id", "count").text == "3 of 7 candidates"
    browser.find_element("css selector", "#filters button[type=reset]").click()
    from selenium.webdriver.support.ui import WebDriverWait      # the form resets, then the table follows
    WebDriverWait(browser, 10).until(lambda d: len(ranks(d)) == 7)
    assert ranks(browser) == [1, 2, 3, 4, 5, 6, 7] and js(browser, "return document.getElementById('f-score').value") == "0"


def test_table_sorts_by_a_column_and_back(browser, pages):
    load(browser, pages / "orchard.html")
    header = lambda key: browser.find_element("css selector", f'#ranking-table th[data-key="{key}"]')
    header("path").click()
    assert ranks(browser) == [4, 1, 2, 6, 5, 7, 3]      # orchard/core < orchard/core/engine.py < ... < src/
    header("score").click()
    assert ranks(browser) == [1, 2, 3, 4, 5, 6, 7]
    header("score").click()
    assert ranks(browser) == [7, 6, 5, 4, 3, 2, 1]
    reasons = js(browser, "return [...document.querySelectorAll('#ranking-body td.reason')].map(t => t.textContent)")
    assert reasons[-1] == "reason of Engine.step"


def test_choosing_the_top_candidate_opens_its_case_and_draws_its_seam(browser, pages, shots):
    load(browser, pages / "orchard.html")
    choose_row(browser, 1)
    case = browser.find_element("id", "case-body")
    assert case.find_element("css selector", ".id").text == STEP
    rows = case.find_elements("css selector", "table.factors tr")
    names = [r.find_element("css selector", "th").text for r in rows]
    assert names == ["intensity", "reach", "native_gain", "benefit", "boundary", "feasibility", "stability", "tests",
                     "dependencies", "cost"]
    values = {name: r.find_elements("css selector", "td")[0].text for name, r in zip(names, rows)}
    assert (values["intensity"], values["benefit"], values["cost"]) == ("≈400k operations", "≈1.2M operations", "≈4.0 d")
    evidence = rows[0].find_elements("css selector", "li")
    assert len(evidence) == 9 and evidence[-1].text == "… 4 more in the JSON report"
    roles = [r.text for r in case.find_elements("css selector", "table.boundary td.role")]
    assert roles == ["entry", "call in", "call in", "call in", "callback", "call out", "callback"]
    assert "HT001" in case.find_element("css selector", "table.findings").text
    assert case.find_element("css selector", ".plan li").text.startswith("port Engine.step")
    assert "member" in classes(browser, ENGINE) and "entry" in classes(browser, ENGINE)
    assert "caller" in classes(browser, CLI) and "caller" in classes(browser, VIEWS)
    assert "callback" in classes(browser, HOOKS) and "callee" in classes(browser, READER)
    assert "faded" in classes(browser, WRITER) and "faded" not in classes(browser, ENGINE)
    crossings = js(browser, "return rustscout.cy.edges('.crossing').map(e => [e.source().id(), e.target().id(), "
                            "e.classes().filter(c => c.startsWith('crossing-'))[0]]).sort()")
    assert crossings == sorted([[CLI, ENGINE, "crossing-in"], [VIEWS, ENGINE, "crossing-in"],
                                [ENGINE, HOOKS, "crossing-callback"], [ENGINE, READER, "crossing-out"]])
    border = js(browser, "return rustscout.cy.getElementById(arguments[0]).style('border-color')", CLI)
    assert border == "rgb(239,108,0)"                  # --k-caller
    assert browser.find_element("css selector", "#ranking-body tr.chosen").get_attribute("data-rank") == "1"
    assert browser.current_url.endswith("#rank-1")
    browser.find_element("id", "workbench").screenshot(str(shots / "graph.png"))
    assert (shots / "graph.png").stat().st_size > 10_000
    assert console(browser) == []


def test_a_measured_case_warns_shows_its_rust_signature_and_the_next_step(browser, pages):
    load(browser, pages / "measured.html")
    sources = [li.text for li in browser.find_elements("css selector", "#overview .sources li")]
    assert sources == [f"python cpu: 1,200 samples (py-spy raw, {HOSTILE_NAME}); 90% of it mapped to this scan",
                       "coverage: 9 of 10 files of coverage.xml mapped to this scan"]
    choose_row(browser, 1)
    case = browser.find_element("id", "case-body")
    names = [r.find_element("css selector", "th").text for r in case.find_elements("css selector", "table.factors tr")]
    assert names[:3] == ["intensity", "reach", "runtime"]
    runtime = case.find_elements("css selector", "table.factors tr")[2].find_elements("css selector", "td")[0].text
    assert runtime == "42.0%"                                               # measured: no ≈
    assert case.find_element("css selector", ".warning").text.startswith("Poorly covered: 30% of its lines run")
    assert case.find_element("css selector", ".plan .signature").text == \
        "Rust (pyo3-0.23+): fn step(&mut self, x: f64) -> f64"
    assert case.find_element("css selector", ".next code").text == \
        "rustscout scaffold py:orchard/core/engine.py::Engine.step PATH -o DIR"
    choose_row(browser, 5)                                                  # not-a-rust-problem: no next step
    assert browser.find_elements("css selector", "#case-body .next, #case-body .warning") == []
    assert console(browser) == []


def test_choosing_another_candidate_moves_the_seam(browser, pages):
    load(browser, pages / "orchard.html")
    choose_row(browser, 1)
    choose_row(browser, 4)                             # the component: engine.py and kernel.py
    assert "member" in classes(browser, "py:orchard/core/kernel.py") and "member" in classes(browser, ENGINE)
    assert "caller" not in classes(browser, CLI)
    assert js(browser, "return rustscout.cy.edges('.crossing').length") == 0


def test_the_patch_is_a_coloured_diff(browser, pages):
    load(browser, pages / "orchard.html")
    choose_row(browser, 7)
    spans = browser.find_elements("css selector", "#case-body pre.diff span")
    kinds = [s.get_attribute("class") for s in spans]
    assert kinds == ["meta", "meta", "hunk", "ctx", "add", "ctx", "del", "add", "ctx"]
    colour = lambda kind: js(browser, "return getComputedStyle(document.querySelector("
                                      "'#case-body pre.diff .' + arguments[0])).backgroundColor", kind)
    assert colour("add") == "rgb(230, 255, 236)" and colour("del") == "rgb(255, 235, 233)"


def test_names_from_scanned_code_stay_text(browser, pages):
    load(browser, pages / "orchard.html")
    row = browser.find_element("css selector", '#ranking-body tr[data-rank="6"]')
    assert js(browser, "return arguments[0].querySelector('td.name').textContent", row) == HOSTILE_NAME
    assert js(browser, "return arguments[0].querySelector('td.reason').textContent", row) == HOSTILE_REASON
    choose_row(browser, 6)
    assert js(browser, "return document.querySelector('#case-body .title').textContent") == f"#6 {HOSTILE_NAME}"
    assert js(browser, "return [window.pwned, document.querySelectorAll('img').length, "
                       "document.querySelectorAll('script').length]") == [None, 0, 4]
    assert console(browser) == []


def test_a_dot_of_the_chart_and_a_link_open_a_case(browser, pages):
    load(browser, pages / "orchard.html")
    dot = browser.find_element("css selector", '#chart .dot[data-rank="2"]')
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", dot)
    dot.click()
    wait_for_case(browser, "#2 kernel")
    js(browser, "location.hash = '#rank-5'")
    wait_for_case(browser, "#5 reader")
    browser.get("about:blank")
    browser.get((pages / "orchard.html").resolve().as_uri() + "#rank-3")
    open_report_wait(browser)
    wait_for_case(browser, "#3 Sieve.run(int)")


def test_an_older_report_says_its_graph_is_partial(browser, pages):
    load(browser, pages / "old.html")
    assert browser.find_element("id", "g-partial").is_displayed()
    ids = set(js(browser, "return rustscout.cy.nodes().map(n => n.id())"))
    assert {ENGINE, CLI, VIEWS, HOOKS, READER} <= ids and not [i for i in ids if i.startswith("param:")]
    choose_row(browser, 1)
    assert "caller" in classes(browser, VIEWS) and "callback" in classes(browser, HOOKS)
    assert console(browser) == []


def test_five_thousand_files_are_shown_as_folders_that_open_on_demand(browser, pages, shots):
    load(browser, pages / "large.html")
    kinds = js(browser, "return rustscout.cy.nodes().map(n => n.data('kind'))")
    assert 20 <= len(kinds) <= 90 and kinds.count("dir") >= 10
    assert js(browser, "return rustscout.cy.edges().length") <= 200
    folder = js(browser, "return rustscout.cy.nodes('.dir').max(n => n.data('count')).ele.id()")
    inside = js(browser, "return rustscout.data.graph.nodes.filter(n => ('dir:' + n.folder + '/').startsWith("
                         "arguments[0] + '/')).length", folder)
    js(browser, "rustscout.cy.getElementById(arguments[0]).emit('tap')", folder)
    after = js(browser, "return rustscout.cy.nodes().map(n => n.id())")
    assert folder not in after
    assert any(i.startswith(folder + "/") or i.startswith("py:" + folder[4:] + "/") for i in after)
    assert inside > 0
    child = next(i for i in after if i.startswith(folder + "/") or i.startswith("py:" + folder[4:] + "/"))
    js(browser, "rustscout.cy.getElementById(arguments[0]).emit('cxttap')", child)     # right-click: close it again
    assert folder in js(browser, "return rustscout.cy.nodes().map(n => n.id())")
    browser.find_element("id", "g-search").send_keys("mod4999.py\n")
    found = js(browser, "return rustscout.cy.nodes('.match').map(n => n.id())")
    assert found == ["py:pkg7/sub2/deep2/mod4999.py"]
    browser.find_element("id", "graph-panel").screenshot(str(shots / "graph-5000-files.png"))
    assert console(browser) == []


def test_a_long_ranking_shows_its_first_rows_until_asked(browser, pages):
    load(browser, pages / "large.html")
    assert browser.find_element("id", "count").text == "1000 of 1000 candidates, the first 200 shown"
    assert len(ranks(browser)) == 200
    more = browser.find_element("id", "more")
    js(browser, "arguments[0].scrollIntoView({block: 'center'})", more)
    more.click()
    assert ranks(browser) == list(range(1, 1001)) and not more.is_displayed()


def test_a_real_scan_opens_and_draws_the_top_candidates_seam(browser, sample_report, tmp_path):
    page = tmp_path / "tidewater.html"
    page.write_text(render(sample_report), encoding="utf-8")
    load(browser, page)
    choose_row(browser, 1)
    assert browser.find_element("css selector", "#case-body .title").text == "#1 codec"
    assert sorted(js(browser, "return rustscout.cy.nodes().map(n => n.id())")) == \
        [n["id"] for n in sample_report["graph"]["nodes"]]
    assert "member" in classes(browser, "py:tidewater/wire/codec.py")
    assert "caller" in classes(browser, "py:tidewater/pipeline.py") and "caller" in classes(browser, "py:tidewater/web/views.py")
    assert "faded" in classes(browser, "py:tidewater/config.py")
    crossings = js(browser, "return rustscout.cy.edges('.crossing').map(e => [e.source().id(), e.target().id()]).sort()")
    assert crossings == [["py:tidewater/pipeline.py", "py:tidewater/wire/codec.py"],
                         ["py:tidewater/web/views.py", "py:tidewater/wire/codec.py"]]
    size = lambda node: js(browser, "return rustscout.cy.getElementById(arguments[0]).data('size')", node)
    assert size("py:tidewater/wire/codec.py") > size("py:tidewater/transform.py") > size("py:tidewater/config.py")
    assert console(browser) == []
