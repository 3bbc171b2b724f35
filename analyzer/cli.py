"""The command line: a thin layer that builds a Config, runs the pipeline and picks a reporter.

Exit codes (ExitCode): 0 ok, 1 error (bad input, bad rules, failed scan), 2 gate failed.
"""

from __future__ import annotations

import os
import sys
from enum import IntEnum
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from analyzer import __version__, config as cfg, pipeline
from analyzer.catalog import CatalogError
from analyzer.errors import ScanError
from analyzer.metrics import registry
from analyzer.model import Candidate, Report
from analyzer.report import console as show, json as json_report, write
from analyzer.ruleset import RuleError


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    GATE_FAILED = 2


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  help="Find the pieces of a Python or Java codebase worth porting to Rust, one piece "
                       "at a time, and say honestly which are not.")
rules_app = typer.Typer(no_args_is_help=True, help="List and read the rules behind the findings.")
app.add_typer(rules_app, name="rules")

PathArg = typer.Argument(Path("."), help="Repository (or folder, or file) to scan.", show_default=True)
Include = typer.Option(None, "--include", help="Only files matching this glob (repeatable). `**` crosses folders.")
Exclude = typer.Option(None, "--exclude", help="Skip files matching this glob (repeatable).")
Since = typer.Option(None, help="History window start: a date (2024-01-31) or a span before --as-of (90d, 18m, 2y).")
AsOf = typer.Option(None, "--as-of", help="Date history ends at (YYYY-MM-DD); default: the head commit's date.")
Jobs = typer.Option(None, help="Worker processes for parsing; default: the number of CPUs.")
ConfigFile = typer.Option(None, "--config", help="Read settings from this TOML file.")
Rules = typer.Option(None, "--rules", help="An extra folder of rule files (repeatable).")
Quiet = typer.Option(False, "--quiet", "-q", help="No progress display and no summary.")


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


def _scan(path: Path, quiet: bool, **overrides) -> tuple[cfg.Config, Report]:
    config_file = overrides.pop("config_file", None)
    if overrides.get("rules"):   # paths given on the command line are relative to where it runs
        overrides["rules"] = [Path(p).resolve() for p in overrides["rules"]]
    settings = cfg.load(path.resolve() if path.exists() else path, overrides,
                        config_file.resolve() if config_file else None)
    stderr = show.console(stderr=True)
    if quiet or not stderr.is_terminal:   # progress is for people watching, not for logs
        return settings, pipeline.run(settings)
    columns = (SpinnerColumn(), TextColumn("{task.description:<16}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=stderr, transient=True) as bar:
        return settings, pipeline.run(settings, _Progress(bar))


@app.command()
def scan(path: Path = PathArg,
         json_out: Optional[Path] = typer.Option(None, "--json", help="Write the full ranking as JSON to this file ('-' for stdout)."),
         top: Optional[int] = typer.Option(None, help="Rows in the table (default 15).", min=1),
         include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
         since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
         config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
         quiet: bool = Quiet) -> int:
    """Rank the Rust candidates of a repository: score, verdict and the reason for each."""
    check_output_file(json_out, "--json")
    settings, report = _scan(path, quiet, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                             top=top, rules=rules, config_file=config_file)
    if json_out is not None:
        _emit_json(report, json_out)
    if json_out != Path("-"):
        out = show.console(quiet=False)
        out.print(show.table(report, settings.top, out.width))
        if not quiet:
            out.print(show.summary(report))
    return ExitCode.OK


def check_output_file(target: Path | None, flag: str) -> None:
    """Refuse an output path that cannot be written before the scan, not after it."""
    if target is None or target == Path("-"):
        return
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise ScanError(f"{flag} {target}: is a folder; give a file name")
    if not folder.is_dir():
        raise ScanError(f"{flag} {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ScanError(f"{flag} {target}: cannot write in {folder}")


def _emit_json(report: Report, target: Path) -> None:
    text = json_report.render(report)
    if target == Path("-"):
        sys.stdout.write(text)
        return
    try:
        write(target, text)
    except OSError as exc:
        raise ScanError(f"--json {target}: {exc.strerror or exc}") from None


@app.command()
def explain(candidate: str = typer.Argument(..., help="Candidate id (as in the table or JSON), or an unambiguous part of one."),
            path: Path = PathArg, include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
            since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
            config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
            json_out: bool = typer.Option(False, "--json", help="Print the candidate as JSON instead."),
            quiet: bool = Quiet) -> int:
    """The whole case for one candidate: factors with evidence, boundary, verdict, plan or patch."""
    _, report = _scan(path, quiet, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                      rules=rules, config_file=config_file)
    found = find_candidate(report.candidates, candidate)
    if json_out:
        import json
        sys.stdout.write(json.dumps(json_report.candidate(found), indent=2, ensure_ascii=False) + "\n")
    else:
        show.console().print(show.explain(found))
    return ExitCode.OK


def find_candidate(candidates, query: str) -> Candidate:
    """Exact id first, then a unique id suffix, qualified name or name."""
    for test in (lambda c: c.id == query, lambda c: c.id.endswith(query),
                 lambda c: c.qualname == query, lambda c: c.name == query):
        found = [c for c in candidates if test(c)]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(c.id for c in found[:5])
            raise ScanError(f"'{query}' matches {len(found)} candidates ({options}{', ...' if len(found) > 5 else ''}); "
                            "give more of the id")
    raise ScanError(f"no candidate matches '{query}'; `rustscout scan` lists them (ids are in the JSON report)")


@rules_app.command("list")
def rules_list(json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> int:
    """Every rule: id, name, effect on the score, and what it looks for."""
    catalog, rules = pipeline.load_rules(cfg.Config(Path(".")))
    if json_out:
        import json
        rows = [{"id": r.id, "name": r.name, "effect": r.effect, "weight": r.weight, "units": list(r.units),
                 "languages": list(r.languages), "summary": r.summary} for r in rules]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        show.console().print(show.rules_table(rules))
    return ExitCode.OK


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., help="Rule id, such as FX001, or its name.")) -> int:
    """One rule: when it fires (with the meaning of each metric), why it matters, what to do."""
    catalog, rules = pipeline.load_rules(cfg.Config(Path(".")))
    found = [r for r in rules if rule_id.upper() == r.id or rule_id == r.name]
    if not found:
        raise ScanError(f"no rule '{rule_id}'; `rustscout rules list` shows them all")
    show.console().print(show.rule_detail(found[0], registry(catalog)))
    return ExitCode.OK


@app.callback(invoke_without_command=True)
def _root(version: bool = typer.Option(False, "--version", help="Print the version and exit.")) -> None:
    if version:
        typer.echo(f"rustscout {__version__}")
        raise typer.Exit(0)


def main(argv: list[str] | None = None) -> int:
    """Entry point: one line on stderr for every known failure, never a traceback."""
    try:
        code = app(args=argv, prog_name="rustscout", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        _fail("interrupted")
        return ExitCode.ERROR
    except (ScanError, RuleError, CatalogError) as exc:
        _fail(str(exc) if not isinstance(exc, (RuleError, CatalogError)) else _problems(exc))
        return ExitCode.ERROR
    except KeyboardInterrupt:
        _fail("interrupted")
        return ExitCode.ERROR
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        _usage_error(exc)
        return ExitCode.ERROR   # not click's 2: exit code 2 means "gate failed"
    return int(code or 0)


def _is_usage_error(exc: Exception) -> bool:
    """typer bundles its own click; its errors are recognised by their interface."""
    return hasattr(exc, "exit_code") and hasattr(exc, "format_message") and hasattr(exc, "show")


def _usage_error(exc: Exception) -> None:
    try:
        from typer import rich_utils
        rich_utils.rich_format_error(exc)
    except Exception:   # a typer without rich formatting: click's own plain form
        exc.show()


def _problems(exc) -> str:
    return f"{len(exc.problems)} problem(s) in the rules:\n  " + "\n  ".join(exc.problems)


def _fail(message: str) -> None:
    show.console(stderr=True).print(f"[bold red]rustscout: error:[/bold red] {escape(message)}", markup=True,
                                    highlight=False, soft_wrap=True)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
