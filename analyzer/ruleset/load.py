"""Rules: loading and validation. Rules are data (rules/<ID>.yaml).

Input: the bundled rules folder plus any folders from configuration, the metric registry,
the catalog and the names of the mechanical fixes there are.
Output: Rule records.

Loading checks every file against rules/schema.json and then what a schema cannot see:
the id is the file's name and unique, every metric is registered (metrics.py), a mechanical
fix exists, the cost model only prices known observations. All problems are reported
together, each naming its file and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Mapping, Sequence

import jsonschema

from analyzer.model import Condition, Effect, GroupKind, Rule, Severity
from analyzer.ruleset.catalog import Catalog, read_yaml
from analyzer.ruleset.metrics import Metric, observation_names

KINDS = tuple(k.value for k in GroupKind)


class RuleError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in rules: " + "; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class _Known:
    """What a rule file is checked against."""
    validator: jsonschema.protocols.Validator
    metrics: Mapping[str, Metric]
    fixes: Collection[str]


def load(folders: Sequence[Path], metrics: Mapping[str, Metric], catalog: Catalog,
         fixes: Collection[str]) -> tuple[Rule, ...]:
    """Every rule of the folders, checked; `fixes` names the mechanical fixes there are."""
    schema = json.loads((folders[0] / "schema.json").read_text(encoding="utf-8"))
    known = _Known(jsonschema.Draft202012Validator(schema), metrics, fixes)
    problems = _cost_problems(catalog)
    rules: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            problems.append(f"{folder}: rules folder does not exist")
            continue
        for path in sorted(folder.glob("*.yaml")):
            rule = _load_one(path, known, problems)
            if rule and rule.id in rules:
                problems.append(f"{path}: id {rule.id} is already defined in {rules[rule.id].source}")
            elif rule:
                rules[rule.id] = rule
    if problems:
        raise RuleError(problems)
    return tuple(sorted((r for r in rules.values() if r.status != "removed"), key=lambda r: r.id))


def _cost_problems(catalog: Catalog) -> list[str]:
    known = observation_names(catalog)
    return [f"catalogs/costs.yaml: {lang}.costs.{name}: not an observation rustscout records"
            for lang, table in catalog.costs.costs.items() for name in table if name not in known]


def _load_one(path: Path, known: _Known, problems: list[str]) -> Rule | None:
    read, data = read_yaml(path, problems)
    if not read:
        return None
    errors = sorted(known.validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{path}: {where}: {error.message}")
    if errors:
        return None
    before = len(problems)
    if data["id"] != path.stem:
        problems.append(f"{path}: id {data['id']} must match the file name ({path.stem})")
    for name in sorted(_metric_names(data["when"])):
        if name not in known.metrics:
            problems.append(f"{path}: when: unknown metric '{name}'")
        elif data["effect"] == Effect.FIX_IN_PLACE and not known.metrics[name].code:
            # fix-in-place rules run on every unit before the expensive context exists
            problems.append(f"{path}: when: '{name}' is not a metric of the code itself; fix-in-place "
                            "rules may use only observations, their _in_loops forms, size and complexity")
    if data.get("fix") and data["fix"] not in known.fixes:
        problems.append(f"{path}: fix: unknown mechanical fix '{data['fix']}' (known: {', '.join(sorted(known.fixes))})")
    if len(problems) > before:
        return None
    return _rule(path, data)


def _metric_names(node: dict) -> set[str]:
    if "metric" in node:
        return {node["metric"]}
    children = node.get("all") or node.get("any") or [node["not"]]
    return set().union(*(_metric_names(c) for c in children))


def _rule(path: Path, data: dict) -> Rule:
    return Rule(
        id=data["id"], name=data["name"], summary=data["summary"].strip(),
        languages=tuple(data["languages"]), units=_kinds(data["unit"]), severity=Severity(data["severity"]),
        effect=Effect(data["effect"]), weight=float(data["weight"]), when=_condition(data["when"]),
        message=data["message"].strip(), rationale=data["rationale"].strip(),
        references=tuple(data.get("references", ())), status=data.get("status", "stable"),
        fix=data.get("fix"), source=str(path))


def _kinds(unit: str | list[str]) -> tuple[str, ...]:
    names = [unit] if isinstance(unit, str) else unit
    return KINDS if "any" in names else tuple(k for k in KINDS if k in names)


def _condition(node: dict) -> Condition:
    if "metric" in node:
        return Condition("cmp", metric=node["metric"], cmp=node["op"], value=float(node["value"]))
    if "not" in node:
        return Condition("not", (_condition(node["not"]),))
    op = "all" if "all" in node else "any"
    return Condition(op, tuple(_condition(c) for c in node[op]))
