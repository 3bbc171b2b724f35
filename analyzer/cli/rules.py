"""`rustscout rules list`, `show` and `doc`: the rules behind the findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from analyzer import config as cfg
from analyzer.cli import common
from analyzer.cli.common import ExitCode
from analyzer.errors import ScanError
from analyzer.report import console as show
from analyzer.report import rules_doc
from analyzer.ruleset import registry

rules_app = typer.Typer(no_args_is_help=True, help="List and read the rules behind the findings.")


def _shipped():
    """The catalog and rules as a scan here would load them (the default rules folder)."""
    return common.pipeline().load_rules(cfg.Config(Path(".")))


@rules_app.command("list")
def rules_list(json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> int:
    """Every rule: id, name, effect on the score, and what it looks for."""
    catalog, rules = _shipped()
    if json_out:
        rows = [{"id": r.id, "name": r.name, "effect": r.effect, "weight": r.weight, "units": list(r.units),
                 "languages": list(r.languages), "summary": r.summary} for r in rules]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    else:
        show.console().print(show.rules_table(rules))
    return ExitCode.OK


@rules_app.command("show")
def rules_show(rule_id: str = typer.Argument(..., metavar="ID", help="Rule id, such as FX001, or its name.")) -> int:
    """One rule: when it fires (with the meaning of each metric), why it matters, what to do."""
    catalog, rules = _shipped()
    found = [r for r in rules if rule_id.upper() == r.id or rule_id == r.name]
    if not found:
        raise ScanError(f"no rule '{rule_id}'; `rustscout rules list` shows them all")
    show.console().print(show.rule_detail(found[0], registry(catalog)))
    return ExitCode.OK


@rules_app.command("doc")
def rules_doc_command() -> int:
    """The rules index as Markdown (rules/README.md is this output, checked by a test)."""
    _, rules = _shipped()
    sys.stdout.write(rules_doc.render(rules))
    return ExitCode.OK
