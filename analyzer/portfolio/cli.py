"""`rustscout portfolio SOURCE... [--list FILE] [--scheduler ADDRESS] [--workers N]
[--json FILE] [--html FILE] [--top N]`: the command as a plain function of parsed arguments.
The typer declaration is analyzer/cli/portfolio.py; analyzer.cli.main turns a ScanError
raised here into one line on stderr and exit code 1.

Exit codes: 0 when every repository was tried (failed ones are in the document's `errors`),
1 for bad input, 130 for an interrupted run (what finished is written and kept for the next
run).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Sequence, TextIO

from analyzer.errors import ExitCode, ScanError
from analyzer import report as outputs   # check, emit, STDOUT: the same as every command
from analyzer.portfolio import document, flow, html
from analyzer.portfolio.model import DEFAULT_TIMEOUT, Settings
from analyzer.portfolio.sources import collect
from analyzer.portfolio.store import CHECKOUTS, FILE_NAME, ResultStore, default_folder

DEFAULT_TOP = 15
HTML_DETAILS = 100          # candidates per repository kept whole for --html
# Dask's own form: [protocol://]host:port, host a name, an IPv4 or a bracketed IPv6 address
ADDRESS = re.compile(r"(?:[a-z][a-z0-9+.-]*://)?(?:\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]@]+):\d{1,5}")


def command(sources: Sequence[str], list_file: Path | None, scheduler: str | None, workers: int | None,
            json_out: Path | None, html_out: Path | None, top: int | None, timeout: float | None = None,
            work_dir: Path | None = None, cache_dir: Path | None = None, no_cache: bool = False,
            rescan: bool = False, quiet: bool = False, progress: flow.Progress | None = None) -> int:
    _check_arguments(scheduler, workers, json_out, html_out, top, timeout)
    chosen = collect(sources, list_file)
    store = ResultStore(None if no_cache else (cache_dir or default_folder()) / FILE_NAME)
    settings = _settings(scheduler, timeout, work_dir, cache_dir, no_cache)
    shown = top or DEFAULT_TOP
    outcome = flow.run(chosen, settings, flow.Cluster(scheduler, workers), store,
                       progress or (flow.Silent() if quiet else Lines(sys.stderr)), rescan,
                       details=max(shown, HTML_DETAILS) if html_out else 0)
    if json_out is not None:
        outputs.emit(document.render(outcome.document), json_out, "--json")
    if html_out is not None:
        outputs.emit(html.render_html(outcome.document, outcome.details, shown), html_out, "--html")
    if quiet:   # as for scan: what was asked for (the files) and what went wrong (raised) only
        return ExitCode.OK if outcome.complete else ExitCode.INTERRUPTED
    if json_out != outputs.STDOUT and html_out != outputs.STDOUT:
        sys.stdout.write(table(outcome.document, shown))
    sys.stderr.write(summary(outcome))
    return ExitCode.OK if outcome.complete else ExitCode.INTERRUPTED


def _check_arguments(scheduler, workers, json_out, html_out, top, timeout) -> None:
    if scheduler is not None and not ADDRESS.fullmatch(scheduler):
        raise ScanError(f"--scheduler {scheduler!r} is not a scheduler address; give one such as "
                        "tcp://dask-scheduler:8786")
    if scheduler and workers:
        raise ScanError("--workers sizes the local cluster; with --scheduler the cluster's own workers are used")
    for value, flag in ((workers, "--workers"), (top, "--top"), (timeout, "--timeout")):
        if value is not None and value <= 0:
            raise ScanError(f"{flag} must be positive, got {value:g}")
    if json_out == outputs.STDOUT and html_out == outputs.STDOUT:
        raise ScanError("only one output can go to stdout ('-')")
    outputs.check(json_out, "--json")
    outputs.check(html_out, "--html")


def _settings(scheduler: str | None, timeout: float | None, work_dir: Path | None, cache_dir: Path | None,
              no_cache: bool) -> Settings:
    """--cache-dir is this machine's folder: the store's, and on a local cluster (workers on
    this machine) the scans' cache and the checkouts' too. Remote workers keep theirs in
    their own cache folder: a path of the client's means nothing there."""
    local = cache_dir.resolve() if cache_dir and not scheduler else None
    checkouts = work_dir.resolve() if work_dir else (local / CHECKOUTS if local else None)
    return Settings(timeout=timeout or DEFAULT_TIMEOUT, scan_cache=not no_cache,
                    scan_cache_dir=str(local) if local else None, work_dir=str(checkouts) if checkouts else None)


class Lines:
    """Progress as one line per repository (the CLI may show a rich bar instead)."""

    def __init__(self, out: TextIO):
        self.out, self.total, self.done = out, 0, 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, repository: str, status: str) -> None:
        self.done += 1
        self.out.write(f"[{self.done}/{self.total}] {repository}: {status}\n")
        self.out.flush()


def table(doc: dict, top: int) -> str:
    """The first `top` entries of the merged ranking; gain (the speedup per call as drawn)
    and days (the cost factor) are the scan's estimates of the best place."""
    rows = [("#", "score", "verdict", "gain", "days", "candidate", "where")]
    for entry in doc["ranking"][:top]:
        place = entry["places"][0]
        where = f"{place['repository']}:{place['path']}"
        if len(entry["places"]) > 1:
            where += f" (+{len(entry['places']) - 1} more place(s))"
        rows.append((str(entry["rank"]), f"{entry['score']:g}", entry["verdict"], _figure(entry["native_gain"], "x"),
                     _figure(entry["cost_days"], ""), entry["qualname"] or entry["name"], where))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] + "\n" for row in rows)


def _figure(value: float | None, unit: str) -> str:
    return "" if value is None else f"≈{value:g}{unit}"


def summary(outcome: flow.Outcome) -> str:
    totals = outcome.document["totals"]
    counts = {status: sum(1 for s in outcome.statuses.values() if s == status)
              for status in ("scanned", "reused", "failed", "interrupted")}
    lines = [f"{totals['repositories']} repositories: {counts['scanned']} scanned, {counts['reused']} unchanged "
             f"(kept results), {counts['failed']} failed" + (f", {counts['interrupted']} interrupted"
                                                              if counts["interrupted"] else ""),
             f"{totals['port_candidates']} port candidate(s), about {totals['effort_days_estimate']:g} days of work "
             f"(an estimate); {totals['duplicated']} candidate(s) live in more than one place"]
    lines += [f"failed: {e['repository']}: {e['kind']}: {e['message']}" for e in outcome.document["errors"]
              if e["kind"] != "interrupted"]
    if not outcome.complete:
        lines.append("interrupted: what finished is written and kept; run again to finish the rest")
    return "".join(f"{line}\n" for line in (*lines, *outcome.notices))
