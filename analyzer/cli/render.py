"""`rustscout report REPORT.json --html FILE`: render a report written earlier, without
scanning again (a CI job publishes the page from the JSON it already has)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from analyzer.cli.common import ExitCode, check_output_file, emit
from analyzer.errors import ScanError
from analyzer.report import console as show
from analyzer.report import html
from analyzer.report.html.load import load


def report(report_json: Path = typer.Argument(..., metavar="REPORT.json",
                                              help="A JSON report written by `rustscout scan --json` (schema 1.2 "
                                                   "or a later 1.x)."),
           html_out: Path = typer.Option(..., "--html", metavar="FILE",
                                         help="Write the HTML report here ('-' for stdout): one self-contained "
                                              "page that opens from disk and makes no request."),
           quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not say where the page was written.")) -> int:
    """Render the HTML report of a JSON report written earlier, without scanning again.

    One page: the overview, the ranking, each candidate's case, the dependency graph with the
    chosen candidate's boundary, and benefit against effort. A CI job publishes it from the
    JSON it already keeps."""
    check_output_file(html_out, "--html")
    doc = load(report_json)
    try:
        page = html.render(doc)
    except RecursionError:   # keys a newer 1.x adds are not checked, only carried: one may nest too deeply
        raise ScanError(f"report {report_json}: nested too deeply to render") from None
    emit(page, html_out, "--html")
    if not quiet and html_out != Path("-"):
        show.console(stderr=True).print(f"Wrote {escape(str(html_out))} ({len(doc['candidates'])} candidates)",
                                        highlight=False, soft_wrap=True)
    return ExitCode.OK
