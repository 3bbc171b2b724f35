"""Rules: loading, validation and evaluation. Rules are data (rules/<ID>.yaml).

Input: the bundled rules folder plus any folders from configuration, and the catalog.
Output: Rule records; `evaluate` turns a rule and a Profile into a Finding or nothing.

Loading checks every file against rules/schema.json and then what a schema cannot see:
the id is the file's name and unique, every metric is registered (metrics.py), a mechanical
fix exists, the cost model only prices known observations. All problems are reported
together, each naming its file and field.
"""

from __future__ import annotations

import json
import operator
import string
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import jsonschema
import yaml

from analyzer.catalog import Catalog
from analyzer.metrics import Metric, observation_names
from analyzer.errors import ScanError, read_text
from analyzer.model import Condition, Evidence, Finding, Profile, Rule
from analyzer.parse.codemods import FIXES

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
       "==": operator.eq, "!=": operator.ne}
KINDS = ("function", "class", "module", "package", "component")


class RuleError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in rules: " + "; ".join(problems))
        self.problems = problems


def load(folders: Sequence[Path], metrics: Mapping[str, Metric], catalog: Catalog) -> tuple[Rule, ...]:
    schema = json.loads((folders[0] / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = _cost_problems(catalog)
    rules: dict[str, Rule] = {}
    for folder in folders:
        if not folder.is_dir():
            problems.append(f"{folder}: rules folder does not exist")
            continue
        for path in sorted(folder.glob("*.yaml")):
            rule = _load_one(path, validator, metrics, problems)
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


def _load_one(path: Path, validator, metrics: Mapping[str, Metric], problems: list[str]) -> Rule | None:
    try:
        data = yaml.safe_load(read_text(path))
    except ScanError as exc:
        problems.append(str(exc))
        return None
    except (yaml.YAMLError, RecursionError) as exc:
        problems.append(f"{path}: cannot read: {str(exc).splitlines()[0] if str(exc) else 'nested too deeply'}")
        return None
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    for error in errors:
        where = ".".join(str(p) for p in error.absolute_path) or "(top level)"
        problems.append(f"{path}: {where}: {error.message}")
    if errors:
        return None
    before = len(problems)
    if data["id"] != path.stem:
        problems.append(f"{path}: id {data['id']} must match the file name ({path.stem})")
    for name in sorted(_metric_names(data["when"])):
        if name not in metrics:
            problems.append(f"{path}: when: unknown metric '{name}'")
        elif data["effect"] == "fix-in-place" and not metrics[name].code:
            # fix-in-place rules run on every unit before the expensive context exists
            problems.append(f"{path}: when: '{name}' is not a metric of the code itself; fix-in-place "
                            "rules may use only observations, their _in_loops forms, size and complexity")
    if data.get("fix") and data["fix"] not in FIXES:
        problems.append(f"{path}: fix: unknown mechanical fix '{data['fix']}' (known: {', '.join(sorted(FIXES))})")
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
        languages=tuple(data["languages"]), units=_kinds(data["unit"]), severity=data["severity"],
        effect=data["effect"], weight=float(data["weight"]), when=_condition(data["when"]),
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


# --- evaluation --------------------------------------------------------------------------------

def applies(rule: Rule, profile: Profile) -> bool:
    return profile.language in rule.languages and profile.kind in rule.units


def triggers(rules: Sequence[Rule], observations: frozenset[str]) -> frozenset[str] | None:
    """Observations a group must have for any of `rules` to hold on it, or None when some rule
    can hold without them. A rule that reads only observation counts and does not hold when
    they are all zero cannot hold on a group that has none of them: such groups need no
    profile, which is most of them."""
    needed: set[str] = set()
    for rule in rules:
        bases = {name.removesuffix("_in_loops") for name in _leaf_metrics(rule.when)}
        if holds(rule.when, {}) or not bases <= observations:
            return None
        needed |= bases
    return frozenset(needed)


def _leaf_metrics(condition: Condition) -> set[str]:
    if condition.op == "cmp":
        return {condition.metric}
    return set().union(*(_leaf_metrics(c) for c in condition.children))


def holds(condition: Condition, metrics: Mapping[str, float]) -> bool:
    if condition.op == "cmp":
        return OPS[condition.cmp](metrics.get(condition.metric, 0.0), condition.value)
    if condition.op == "not":
        return not holds(condition.children[0], metrics)
    results = (holds(c, metrics) for c in condition.children)
    return all(results) if condition.op == "all" else any(results)


def evaluate(rule: Rule, profile: Profile, name: str, line: int) -> Finding | None:
    if not applies(rule, profile) or not holds(rule.when, profile.metrics):
        return None
    evidence = tuple(_evidence(leaf, profile) for leaf in _true_leaves(rule.when, profile.metrics))
    return Finding(rule.id, profile.unit_id, profile.path, line, rule.severity, rule.effect,
                   render_message(rule.message, profile.metrics, name), evidence)


def _true_leaves(condition: Condition, metrics: Mapping[str, float]) -> Iterable[Condition]:
    """The comparisons that made the rule fire: the evidence a reader needs."""
    if condition.op == "cmp":
        if holds(condition, metrics):
            yield condition
    elif condition.op != "not":
        for child in condition.children:
            yield from _true_leaves(child, metrics)


def _evidence(leaf: Condition, profile: Profile) -> Evidence:
    lines = profile.lines.get(leaf.metric, ())   # NAME_in_loops has its own, in-loop lines
    span = (lines[0], lines[-1]) if lines else None
    return Evidence(f"{leaf.metric} {leaf.cmp} {format_number(leaf.value)}",
                    round(profile.metrics.get(leaf.metric, 0.0), 4), profile.path, span)


def render_message(template: str, metrics: Mapping[str, float], name: str) -> str:
    """Fill $metric and $name; shares read as percentages."""
    compiled = _template(template)
    values = {k: format_metric(k, metrics.get(k, 0.0)) for k in compiled.get_identifiers() if k != "name"}
    return compiled.safe_substitute(values, name=name)


@lru_cache(maxsize=256)
def _template(text: str) -> string.Template:
    return string.Template(text)


def format_metric(name: str, value: float) -> str:
    return f"{value * 100:.0f}%" if name.endswith("_share") else format_number(value)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def find_all(rules: Sequence[Rule], profiles: Sequence[Profile], groups: Sequence) -> tuple[Finding, ...]:
    """Every finding of every rule on every candidate, sorted by place then rule."""
    by_id = {g.id: g for g in groups}
    found = []
    for profile in profiles:
        group = by_id[profile.unit_id]
        for rule in rules:
            finding = evaluate(rule, profile, group.qualname or group.name, group.lines[0])
            if finding is not None:
                found.append(finding)
    return tuple(sorted(found, key=lambda f: (f.path, f.line, f.rule_id, f.unit_id)))
