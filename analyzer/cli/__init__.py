"""The command line (typer): `app` and its commands, and `main`, the entry point."""

from analyzer.cli.app import app, main
from analyzer.cli.common import ExitCode

__all__ = ["ExitCode", "app", "main"]
