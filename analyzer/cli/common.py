"""What the commands share: one-line errors, their options, the progress display, running
a scan, and writing outputs. Exit codes are analyzer.errors.ExitCode."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from analyzer import config as cfg
from analyzer.errors import ExitCode, ScanError
from analyzer.infra.clock import Silent
from analyzer.model import Report
from analyzer.report import REPORTERS, emit, sarif
from analyzer.report import check as check_output_file
from analyzer.report import console as show
from analyzer.report.findings import Selection


def fail(message: str) -> None:
    show.console(stderr=True).print(f"[bold red]rustscout: error:[/bold red] {escape(message)}", markup=True,
                                    highlight=False, soft_wrap=True)


def gate_outcome(failed: tuple[str, ...]) -> int:
    """Each failed condition on its own line on stderr; exit 2 when there is one."""
    for line in failed:
        show.console(stderr=True).print(f"[bold red]gate failed:[/bold red] {escape(line)}", highlight=False)
    return ExitCode.GATE_FAILED if failed else ExitCode.OK


def path(text: str | Path) -> Path:   # named so: --help shows a parser's name as the argument's type
    """Path("") is the current folder: an empty argument (an unset variable in a CI script)
    must not scan whatever folder the job happens to run in."""
    if isinstance(text, Path):   # the default
        return text
    if not text.strip():
        raise typer.BadParameter("an empty path; give a folder or file (`.` for this one)")
    return Path(text)


PathArg = typer.Argument(Path("."), help="Repository (or folder, or file) to scan.", show_default=True, parser=path,
                         metavar="PATH")
Include = typer.Option(None, "--include", metavar="GLOB", help="Only files matching this glob (repeatable). `**` crosses folders.")
Exclude = typer.Option(None, "--exclude", metavar="GLOB", help="Skip files matching this glob (repeatable).")
Since = typer.Option(None, metavar="DATE|SPAN", help="History window start: a date (2024-01-31) or a span before --as-of (90d, 18m, 2y).")
AsOf = typer.Option(None, "--as-of", metavar="DATE", help="Date history ends at (YYYY-MM-DD); default: the head commit's date.")
Jobs = typer.Option(None, metavar="N", help="Worker processes for parsing (1 to 64); default: the CPUs this process may use "
                   "(its affinity, within a container's CPU quota), at most 8.")
ConfigFile = typer.Option(None, "--config", metavar="FILE", help="Read settings from this TOML file.")
Rules = typer.Option(None, "--rules", metavar="DIR", help="An extra folder of rule files (repeatable).")
Quiet = typer.Option(False, "--quiet", "-q", help="Print only what was asked for and what went wrong: no progress, "
                     "no table, no summary; errors and gate failures still print, files are still written.")
Profile = typer.Option(None, "--profile", metavar="FILE", help="A profile of the real workload (repeatable): py-spy raw or speedscope, "
                       "cProfile output, Scalene JSON, perf script, async-profiler collapsed (cpu or alloc), or JFR "
                       "printed by `jfr print --json`. The format is read from the content; measured shares replace "
                       "the static estimates where the profile covers a unit.")
Coverage = typer.Option(None, "--coverage", metavar="FILE", help="A coverage report of the test suite (repeatable): coverage.py XML or "
                        "JSON, or JaCoCo XML. Feeds the tests factor and the plan's first step.")
CacheDir = typer.Option(None, "--cache-dir", metavar="DIR", help="Keep reusable results here (default: RUSTSCOUT_CACHE_DIR, "
                        "else the user cache folder, such as ~/.cache/rustscout).")
NoCache = typer.Option(False, "--no-cache", help="Neither read nor write the cache.")
SarifOut = typer.Option(None, "--sarif", metavar="FILE", help="Write the findings as SARIF 2.1.0 (code scanning) to this file.")
CodeQualityOut = typer.Option(None, "--gitlab-codequality", metavar="FILE", help="Write the findings as GitLab Code Quality JSON to this file.")
JsonOut = typer.Option(None, "--json", metavar="FILE", help="Write the full ranking as JSON to this file ('-' for stdout).")
HtmlOut = typer.Option(None, "--html", metavar="FILE",
                       help="Write the HTML report to this file: overview, ranking, each candidate's case, the "
                            "dependency graph with the chosen candidate's boundary, benefit against effort. One "
                            "self-contained page: it opens from disk and makes no request.")
FailOn = typer.Option(None, "--fail-on", metavar="COND", help="Exit 2 when one of these holds (comma-separated or repeated): "
                      "new-fix, erosion, score>=N.")
Select = typer.Option(None, "--select", metavar="IDS", help="Run only these rules: ids or prefixes, comma-separated "
                      "or repeated (`--select FX` runs FX001-FX004). Replaces `select` in the configuration.")
Ignore = typer.Option(None, "--ignore", metavar="IDS", help="Do not run these rules: ids or prefixes (`--ignore BD001,TS`); "
                      "adds to `ignore` in the configuration. The more specific of --select and --ignore wins.")
SarifMinScore = typer.Option(None, "--sarif-min-score", metavar="SCORE", min=0, max=100,
                             help="SARIF lists the findings of candidates at this score or above (default 0), among "
                                  "those whose verdict is in `sarif_verdicts` (default: port, needs-boundary-work, "
                                  "fix-in-place-first).")
BaselineFile = typer.Option(None, "--baseline", metavar="FILE", help="Known findings and candidates (from `rustscout baseline`) "
                            "that never fail the gate.")


def pipeline():
    """The pipeline, imported when a command runs it: it brings every engine (networkx, libcst,
    tree-sitter, gitpython), most of a second of imports that `--help` needs none of."""
    from analyzer import pipeline as found
    return found


class _Progress:
    """pipeline.Progress shown with rich on stderr."""

    def __init__(self, progress: Progress):
        self.bar, self.tasks = progress, {}

    def stage(self, name: str, total: int | None) -> None:
        self.tasks[name] = self.bar.add_task(name, total=total)

    def advance(self, name: str, n: int) -> None:
        self.bar.advance(self.tasks[name], n)

    def done(self, name: str) -> None:
        task = self.bar.tasks[self.tasks[name]]
        total = task.total if task.total is not None else task.completed
        self.bar.update(self.tasks[name], total=total, completed=total)


def settings(path: Path, **overrides) -> cfg.Config:
    """Config for `path`: its configuration file, then the flags given."""
    config_file = overrides.pop("config_file", None)
    if overrides.pop("no_cache", False):
        overrides["cache"] = False
    for key in ("cache_dir", "baseline"):   # relative to where the command runs, as any path argument
        if overrides.get(key) is not None:
            overrides[key] = Path(overrides[key]).resolve()
    if overrides.get("rules"):   # paths given on the command line are relative to where it runs
        overrides["rules"] = [Path(p).resolve() for p in overrides["rules"]]
    return cfg.load(path.resolve() if path.exists() else path, overrides,
                    config_file.resolve() if config_file else None)


def with_progress(quiet: bool, work):
    """Run `work(progress)` with a progress display on a terminal, silently elsewhere."""
    stderr = show.console(stderr=True)
    if quiet or not stderr.is_terminal:   # progress is for people watching, not for logs
        return work(Silent())
    columns = (SpinnerColumn(), TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        return work(_Progress(bar))


def run_scan(path: Path, quiet: bool, **overrides) -> tuple[cfg.Config, Report]:
    config = settings(path, **overrides)
    return config, with_progress(quiet, lambda progress: pipeline().run(config, progress))


FLAGS = {"json": "--json", "sarif": "--sarif", "codequality": "--gitlab-codequality", "html": "--html"}
_FORMATS = {"json": "json", "sarif": "sarif", "codequality": "gitlab-codequality", "html": "html"}


def machine_outputs(**targets: Path | None) -> dict[str, Path]:
    """The machine formats asked for, each target checked before any work is done."""
    chosen = {name: target for name, target in targets.items() if target is not None}
    if sum(1 for t in chosen.values() if t == Path("-")) > 1:
        raise ScanError("only one output can go to stdout ('-')")
    for name, target in chosen.items():
        check_output_file(target, FLAGS[name])
    return chosen


def write_outputs(report: Report, outputs: dict[str, Path], config: cfg.Config | None = None) -> None:
    """Each machine format asked for; SARIF with the configured selection of findings."""
    for name, target in outputs.items():
        if name == "sarif" and config is not None:
            text = sarif.render(report, Selection(config.sarif_verdicts, config.sarif_min_score))
        else:
            text = REPORTERS[_FORMATS[name]](report)
        emit(text, target, FLAGS[name])
