"""Which rules run, and which findings a selector names: rule ids or prefixes (`FX`, `FX001`),
as ruff selects its rules.

A rule runs when the most specific selector that matches it (the longest) comes from
`select`, or when nothing is selected and no `ignore` matches it; on a tie `ignore` wins. So
`select = ["FX"]` with `ignore = ["FX003"]` runs FX001, FX002 and FX004, and `ignore = ["FX"]`
with `select = ["FX001"]` runs FX001 alone of them. A selector that names no rule is the
user's typo, never an empty selection.
"""

from __future__ import annotations

import difflib
from typing import Sequence

from analyzer.errors import ScanError
from analyzer.model import Rule


def matches(rule_id: str, selectors: Sequence[str]) -> bool:
    return any(rule_id.startswith(s) for s in selectors)


def check(selectors: Sequence[str], rule_ids: Sequence[str], setting: str) -> None:
    """Every selector names at least one rule; the first that does not is a one-line error."""
    for selector in selectors:
        if not any(r.startswith(selector) for r in rule_ids):
            close = difflib.get_close_matches(selector, rule_ids, n=3, cutoff=0.6)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise ScanError(f"{setting}: no rule is '{selector}' or starts with it{hint}; "
                            "`rustscout rules list` shows them")


def chosen(rules: Sequence[Rule], select: Sequence[str], ignore: Sequence[str]) -> tuple[Rule, ...]:
    return tuple(r for r in rules if _runs(r.id, select, ignore))


def _runs(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    selected = max((len(s) for s in select if rule_id.startswith(s)), default=-1 if select else 0)
    ignored = max((len(s) for s in ignore if rule_id.startswith(s)), default=-1)
    return selected >= 0 and selected > ignored
