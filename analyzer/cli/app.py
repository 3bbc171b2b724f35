"""The command line: thin typer commands that build a Config, call the library and pick a
reporter. Core code never exits; `main` maps outcomes to exit codes (see common.ExitCode).
Commands are registered here, explicitly: the command modules do not know the app."""

from __future__ import annotations

import inspect

import typer

from analyzer import __version__
from analyzer.cli import fix, portfolio, pr, render, rules, scaffold, scan
from analyzer.cli.common import ExitCode, fail
from analyzer.errors import ScanError
from analyzer.post import PostError
from analyzer.report import console as show
from analyzer.ruleset import CatalogError, RuleError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  help="Find the pieces of a Python or Java codebase worth porting to Rust, one piece "
                       "at a time, and say honestly which are not.")


def _command(function, name: str | None = None, **options) -> None:
    """Registered with its docstring's paragraphs each on one line: typer's rich help keeps a
    paragraph's line breaks, so a docstring wrapped for the source would print ragged at
    every terminal width but the source's."""
    app.command(name, help=_flowing(function.__doc__), **options)(function)


def _flowing(text: str | None) -> str | None:
    if text is None:
        return None
    return "\n\n".join(" ".join(paragraph.split()) for paragraph in inspect.cleandoc(text).split("\n\n"))


for _function in (scan.scan, scan.explain, fix.fix, scaffold.scaffold, scan.baseline, pr.pr):
    _command(_function)
_command(pr.post_file, "post")
_command(render.report, "report")
_command(portfolio.portfolio, epilog=portfolio.EPILOG)
app.add_typer(rules.rules_app, name="rules")


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
        code = done.exit_code
    except (typer.Abort, KeyboardInterrupt):
        code = ExitCode.INTERRUPTED
    except PostError as exc:
        fail(str(exc))
        return exc.code
    except (ScanError, RuleError, CatalogError) as exc:
        fail(str(exc) if not isinstance(exc, (RuleError, CatalogError)) else _problems(exc))
        return ExitCode.ERROR
    except Exception as exc:
        if not _is_usage_error(exc):
            raise
        _usage_error(exc)
        return ExitCode.ERROR   # not click's 2: exit code 2 means "gate failed"
    if code == ExitCode.INTERRUPTED:   # typer turns Ctrl-C into this code, silently
        show.console(stderr=True).print("rustscout: interrupted", highlight=False)
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
