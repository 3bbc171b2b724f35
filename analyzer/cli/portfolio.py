"""`rustscout portfolio`: many repositories scanned as tasks on Dask, one ranking. The work is
analyzer.portfolio.cli.command; this module declares the options and shows progress."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from analyzer.cli.common import Quiet
from analyzer.portfolio import cli as portfolio_cli
from analyzer.report import console as show

EPILOG = ("Examples:\n\n"
          "rustscout portfolio ~/src/ledger https://git.example.com/pay/gateway.git --json portfolio.json\n\n"
          "rustscout portfolio --list repos.txt --scheduler tcp://dask-scheduler:8786 --json portfolio.json\n\n"
          "The README (\"rustscout portfolio\") sets up a cluster on Kubernetes or with dask-jobqueue.")
StoreDir = typer.Option(None, "--cache-dir", metavar="DIR", help="Keep the portfolio's results here, by repository "
                        "head (rustscout-portfolio.sqlite3); on a local cluster the scans' cache and the checkouts too "
                        "(default: RUSTSCOUT_CACHE_DIR, else the user cache folder, such as ~/.cache/rustscout).")
NoStore = typer.Option(False, "--no-cache", help="Keep and reuse nothing: every repository is scanned.")
Sources = typer.Argument(None, metavar="SOURCE...", show_default=False,
                         help="Repositories: local paths or git URLs (https, ssh, git, file; git@host:org/repo).")
ListFile = typer.Option(None, "--list", metavar="FILE", help="More sources, one per line: SOURCE \\[branch=NAME] "
                        "\\[subfolder=DIR] \\[language=python|java]; # starts a comment. Paths are relative to the file.")
Scheduler = typer.Option(None, "--scheduler", metavar="ADDRESS", help="A running Dask scheduler (tcp://HOST:8786) "
                         "whose workers have the same rustscout; default: a local cluster on this machine.")
Workers = typer.Option(None, "--workers", metavar="N", min=1, help="Worker processes of the local cluster (default: "
                       "one per core).")
JsonFile = typer.Option(None, "--json", metavar="FILE", help="Write the portfolio document "
                        "(analyzer/schema/portfolio.schema.json); '-' for stdout.")
HtmlFile = typer.Option(None, "--html", metavar="FILE", help="Write the merged ranking as the HTML report.")
Top = typer.Option(None, "--top", metavar="N", min=1, help="Rows in the table (default 15).")
Timeout = typer.Option(None, "--timeout", metavar="SECONDS", help="Time limit per repository, clone included "
                       "(default 1800); a repository past it becomes an error entry.")
WorkDir = typer.Option(None, "--work-dir", metavar="DIR", help="Where each worker keeps its checkouts, a path on the "
                       "workers (default: their cache folder); kept, later runs fetch.")
Rescan = typer.Option(False, "--rescan", help="Scan every repository again, even when its head did not change.")


def portfolio(sources: Optional[List[str]] = Sources, list_file: Optional[Path] = ListFile,
              scheduler: Optional[str] = Scheduler, workers: Optional[int] = Workers,
              json_out: Optional[Path] = JsonFile, html_out: Optional[Path] = HtmlFile, top: Optional[int] = Top,
              timeout: Optional[float] = Timeout, work_dir: Optional[Path] = WorkDir, rescan: bool = Rescan,
              cache_dir: Optional[Path] = StoreDir, no_cache: bool = NoStore, quiet: bool = Quiet) -> int:
    """Rank Rust candidates across many repositories: each one is a task on
    Dask, all merged into one ranking with the same score model.

    Code copied into several repositories (same content, whatever its name)
    is one candidate listing every place it lives. A repository that fails
    becomes an entry in `errors` and the run goes on; Ctrl-C keeps what
    finished (exit code 130). Results are kept per repository head: a run
    where nothing changed scans nothing."""
    def run(progress) -> int:
        return portfolio_cli.command(sources or [], list_file, scheduler, workers, json_out, html_out, top,
                                     timeout=timeout, work_dir=work_dir, cache_dir=cache_dir, no_cache=no_cache,
                                     rescan=rescan, quiet=quiet, progress=progress)
    stderr = show.console(stderr=True)
    if quiet or not stderr.is_terminal:   # plain lines (portfolio_cli.Lines) read better in a job's log
        return run(None)
    columns = (TextColumn("repositories"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        return run(_Bar(bar))


class _Bar:
    """analyzer.portfolio.flow.Progress as a rich bar, each repository's end printed above it.
    The bar goes when the last repository is done, before the table is printed: a live bar
    would wrap the table's lines to its own width."""

    def __init__(self, bar: Progress):
        self.bar, self.task, self.left = bar, None, 0

    def start(self, total: int) -> None:
        self.task, self.left = self.bar.add_task("repositories", total=total), total

    def advance(self, repository: str, status: str) -> None:
        self.bar.console.print(f"{escape(repository)}: {status}", highlight=False)
        self.bar.advance(self.task, 1)
        self.left -= 1
        if self.left == 0:
            self.bar.stop()
