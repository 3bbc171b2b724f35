"""The command line: thin typer commands that build a Config, call the library and pick a
reporter. Core code never exits; this package maps outcomes to exit codes.

Exit codes (ExitCode):
  0  ok
  1  error: bad input, bad rules or settings, a failed scan
  2  the gate failed (--fail-on)
  3  the comment was not posted: the token may not write (401, 403; a fork's read-only token)
  4  the comment was not posted: the pull request or project was not found (404, 422)
  5  the comment was not posted: the provider stayed unavailable (429, 5xx, network)
  130  interrupted (Ctrl-C)
When the gate fails and posting fails too, the posting code wins: the gate's result is in
the output either way, and a broken CI set-up must not look like a finding.
"""

from __future__ import annotations

from enum import IntEnum

import typer
from rich.markup import escape

from analyzer import __version__
from analyzer.catalog import CatalogError
from analyzer.errors import ScanError
from analyzer.post import PostError
from analyzer.report import console as show
from analyzer.ruleset import RuleError


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    GATE_FAILED = 2
    POST_DENIED = 3
    POST_NOT_FOUND = 4
    POST_UNAVAILABLE = 5
    INTERRUPTED = 130


app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode="rich",
                  help="Find the pieces of a Python or Java codebase worth porting to Rust, one piece "
                       "at a time, and say honestly which are not.")


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


def fail(message: str) -> None:
    show.console(stderr=True).print(f"[bold red]rustscout: error:[/bold red] {escape(message)}", markup=True,
                                    highlight=False, soft_wrap=True)


from analyzer.cli import pr, rules, scan  # noqa: E402  (the commands register themselves on `app`)

__all__ = ["ExitCode", "app", "fail", "main", "pr", "rules", "scan"]
