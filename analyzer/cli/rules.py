"""`rustscout rules list` and `rustscout rules show`: the rules behind the findings."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from analyzer import config as cfg, pipeline
from analyzer.cli import ExitCode, app
from analyzer.errors import ScanError
from analyzer.metrics import registry
from analyzer.report import console as show

rules_app = typer.Typer(no_args_is_help=True, help="List and read the rules behind the findings.")
app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def rules_list(json_out: bool = typer.Option(False, "--json", help="Print as JSON.")) -> int:
    """Every rule: id, name, effect on the score, and what it looks for."""
    catalog, rules = pipeline.load_rules(cfg.Config(Path(".")))
    if json_out:
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
