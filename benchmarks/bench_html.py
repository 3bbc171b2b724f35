"""Render the HTML report of a JSON report and measure its size and time to interactive in
headless Chromium.

    python benchmarks/bench_html.py REPORT.json [--rounds 5] [--keep FILE.html] [--screenshot PNG]
    python benchmarks/bench_html.py --synthetic 5000

REPORT.json is read as `rustscout report` reads it (checked against the schema; that time is
reported apart from the rendering).

Each round opens the page in a fresh Chromium (no warm code cache), as someone opening a CI
artifact would. Interactive means: the table is filled, the chart answers clicks, and the
graph is laid out (the page sets window.rustscout.readyAt, in ms since navigation start).
The cases are unpacked after that, off the critical path; their time is reported too, and so
is the main thread's CPU time until interactive (Chromium's TaskDuration in thread ticks),
which a busy machine does not inflate as it does the wall time.
Target (issue 13): sympy (1,603 files) under 5 MB and interactive in under 2 s. Medians of
--rounds. --screenshot chooses the top candidate and saves the case and graph (docs/report.png).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from analyzer.report.html import render  # noqa: E402  (the benchmark runs from a checkout)
from analyzer.report.html.load import load  # noqa: E402
from html_browser import chromium, console, open_report  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

MARKS = "return Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))"
PARSED = "return performance.getEntriesByType('navigation')[0].domInteractive"


def main() -> int:
    args = _arguments()
    started = time.perf_counter()
    doc = _document(args)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    page = render(doc)
    rendered = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bench-html-") as folder:
        target = Path(args.keep) if args.keep else Path(folder) / "report.html"
        target.write_text(page, encoding="utf-8")
        rounds = [_round(target) for _ in range(args.rounds)]
        if args.screenshot:
            _screenshot(target, Path(args.screenshot))
    _print(doc, len(page.encode("utf-8")), (loaded, rendered), rounds)
    return 0


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", nargs="?", help="a JSON report (rustscout scan --json)")
    parser.add_argument("--synthetic", type=int, metavar="FILES", help="a generated report with this many files")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", metavar="FILE", help="keep the rendered page here")
    parser.add_argument("--screenshot", metavar="PNG", help="save the top candidate's case and graph here")
    args = parser.parse_args()
    if bool(args.report) == bool(args.synthetic):
        parser.error("give a JSON report or --synthetic FILES")
    return args


def _document(args: argparse.Namespace) -> dict:
    if args.synthetic:
        from html_docs import synthetic
        return synthetic(args.synthetic)
    return load(Path(args.report))


def _round(page: Path) -> dict:
    with chromium() as driver:
        driver.execute_cdp_cmd("Performance.enable", {"timeDomain": "threadTicks"})
        open_report(driver, page, timeout=60)
        marks, parsed = driver.execute_script(MARKS), driver.execute_script(PARSED)
        metrics = driver.execute_cdp_cmd("Performance.getMetrics", {})["metrics"]
        cpu = 1000 * next(m["value"] for m in metrics if m["name"] == "TaskDuration")
        WebDriverWait(driver, 60).until(lambda d: d.execute_script(MARKS).get("rustscout:rustscout-cases"))
        cases = driver.execute_script(MARKS)["rustscout:rustscout-cases"]
        errors = [e for e in console(driver) if e["level"] in ("SEVERE", "WARNING")]
    if errors:
        raise SystemExit(f"{page}: the page logged {errors[:3]}")
    return {"parsed": parsed, "index": marks["rustscout:rustscout-index"], "ready": marks["rustscout:ready"],
            "cases": cases, "cpu": cpu}


def _screenshot(page: Path, out: Path) -> None:
    with chromium() as driver:
        open_report(driver, page, timeout=60)
        driver.execute_script("rustscout.choose(1)")
        time.sleep(1.0)          # the case is unpacked and drawn after the click
        out.parent.mkdir(parents=True, exist_ok=True)
        driver.find_element("id", "workbench").screenshot(str(out))


def _print(doc: dict, size: int, seconds: tuple[float, float], rounds: list[dict]) -> None:
    graph = doc.get("graph") or {}
    median = lambda key: statistics.median(r[key] for r in rounds)
    print(f"report: {doc['summary']['files']} files, {len(doc['candidates'])} candidates, "
          f"{len(graph.get('nodes', []))} graph nodes, {len(graph.get('edges', []))} edges"
          + ("" if graph else " (no graph section: partial graph)"))
    print(f"page: {size / 1e6:.2f} MB; Python: report read and checked in {seconds[0]:.2f} s, page rendered in "
          f"{seconds[1]:.2f} s")
    print(f"Chromium, median of {len(rounds)} fresh browsers (ms after navigation start):")
    print(f"  markup parsed {median('parsed'):.0f} · data unpacked {median('index'):.0f} · "
          f"interactive {median('ready'):.0f} (min {min(r['ready'] for r in rounds):.0f}, "
          f"max {max(r['ready'] for r in rounds):.0f}) · cases unpacked {median('cases'):.0f}")
    print(f"  main-thread CPU until interactive {median('cpu'):.0f} ms (the part of the wall time that is ours; "
          f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    sys.exit(main())
