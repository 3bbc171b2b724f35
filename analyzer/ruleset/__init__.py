"""Everything read from rules/, validated once: the catalogs (what calls mean), the cost
model, the metric registry, the rules themselves, and how a rule is evaluated.

`load_rules` is the one way in: the bundled folder plus extra folders, less disabled ids and
the rules `select` and `ignore` leave out (select.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Sequence

from analyzer.infra.resources import rules_dir
from analyzer.model import Rule
from analyzer.ruleset import catalog as catalogs
from analyzer.ruleset import select as selection
from analyzer.ruleset.catalog import Catalog, CatalogError
from analyzer.ruleset.evaluate import applies, evaluate, find_all, format_metric, holds, render_message, triggers
from analyzer.ruleset.load import RuleError, load
from analyzer.ruleset.metrics import Metric, observation_names, registry

__all__ = ["Catalog", "CatalogError", "Metric", "RuleError", "applies", "evaluate", "find_all", "format_metric",
           "holds", "load", "load_rules", "observation_names", "registry", "render_message", "triggers"]


def load_rules(extra: Sequence[Path], disabled: Collection[str], fixes: Collection[str],
               select: Sequence[str] = (), ignore: Sequence[str] = (),
               named: Sequence[tuple[str, Sequence[str]]] = ()) -> tuple[Catalog, tuple[Rule, ...]]:
    """The catalog, and the rules of the bundled folder and `extra` ones, without `disabled`
    and as `select` and `ignore` choose. Every selector, and those `named` elsewhere (a
    setting's name and its selectors), must name a rule: a typo is an error, not a no-op."""
    folder = rules_dir()
    catalog = catalogs.load(folder / "catalogs")
    rules = load([folder, *extra], registry(catalog), catalog, fixes)
    known = [r.id for r in rules]
    for setting, selectors in (("select (--select or the configuration)", select),
                               ("ignore (--ignore or the configuration)", ignore), *named):
        selection.check(selectors, known, setting)
    return catalog, selection.chosen([r for r in rules if r.id not in disabled], select, ignore)
