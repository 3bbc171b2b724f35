"""Rules: evaluation. A rule and a group's Measures make a Finding, or nothing."""

from __future__ import annotations

import operator
import string
from functools import lru_cache
from typing import Callable, Iterable, Mapping, Sequence

from analyzer.model import Condition, Evidence, Finding, Measures, Rule

OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
       "==": operator.eq, "!=": operator.ne}


def applies(rule: Rule, measures: Measures) -> bool:
    return measures.language in rule.languages and measures.kind in rule.units


def triggers(rules: Sequence[Rule], observations: frozenset[str]) -> frozenset[str] | None:
    """Observations a group must have for any of `rules` to hold on it, or None when some rule
    can hold without them. A rule that reads only observation counts and does not hold when
    they are all zero cannot hold on a group that has none of them: such groups need no
    measures, which is most of them."""
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
    return compiled(condition)(metrics)


Test = Callable[[Mapping[str, float]], bool]


@lru_cache(maxsize=None)
def compiled(condition: Condition) -> Test:
    """Whether a condition holds, as one function of the metrics, built once per condition:
    `find_all` asks every rule of every candidate (kafka: 100k times), and walking the
    condition each time was most of that."""
    if condition.op == "cmp":
        compare, metric, value = OPS[condition.cmp], condition.metric, condition.value
        return lambda metrics: compare(metrics.get(metric, 0.0), value)
    children = tuple(compiled(c) for c in condition.children)
    if condition.op == "not":
        return lambda metrics: not children[0](metrics)
    settles = condition.op != "all"   # any: the first true child settles it; all: the first false one

    def test(metrics: Mapping[str, float]) -> bool:
        for child in children:   # a loop, not all() over a generator: a third of the time
            if child(metrics) == settles:
                return settles
        return not settles
    return test


def evaluate(rule: Rule, measures: Measures, name: str, line: int) -> Finding | None:
    if not applies(rule, measures) or not holds(rule.when, measures.metrics):
        return None
    return _finding(rule, measures, name, line)


def _finding(rule: Rule, measures: Measures, name: str, line: int) -> Finding:
    """The finding of a rule that holds."""
    evidence = tuple(_evidence(leaf, measures) for leaf in _true_leaves(rule.when, measures.metrics))
    return Finding(rule.id, measures.unit_id, measures.path, line, rule.severity, rule.effect,
                   render_message(rule.message, measures.metrics, name, measures.language), evidence)


def _true_leaves(condition: Condition, metrics: Mapping[str, float]) -> Iterable[Condition]:
    """The comparisons that made the rule fire: the evidence a reader needs."""
    if condition.op == "cmp":
        if holds(condition, metrics):
            yield condition
    elif condition.op != "not":
        for child in condition.children:
            yield from _true_leaves(child, metrics)


def _evidence(leaf: Condition, measures: Measures) -> Evidence:
    lines = measures.lines.get(leaf.metric, ())   # NAME_in_loops has its own, in-loop lines
    span = (lines[0], lines[-1]) if lines else None
    return Evidence(f"{leaf.metric} {leaf.cmp} {format_number(leaf.value)}",
                    round(measures.metrics.get(leaf.metric, 0.0), 4), measures.path, span)


LANGUAGE_NAMES = {"python": "Python", "java": "Java"}


def render_message(template: str, metrics: Mapping[str, float], name: str, language: str = "") -> str:
    """Fill $metric, $name and $language (the unit's: a Java finding never speaks of Python);
    shares read as percentages."""
    template, identifiers = _template(template)
    values = {k: format_metric(k, metrics.get(k, 0.0)) for k in identifiers if k not in ("name", "language")}
    return template.safe_substitute(values, name=name, language=LANGUAGE_NAMES.get(language, language))


@lru_cache(maxsize=256)
def _template(text: str) -> tuple[string.Template, tuple[str, ...]]:
    """A message template and the names it fills, read once per rule."""
    template = string.Template(text)
    return template, tuple(template.get_identifiers())


def format_metric(name: str, value: float) -> str:
    return f"{value * 100:.0f}%" if name.endswith("_share") else format_number(value)


def format_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def find_all(rules: Sequence[Rule], measures: Sequence[Measures], groups: Sequence) -> tuple[Finding, ...]:
    """Every finding of every rule on every candidate, sorted by place then rule."""
    by_id = {g.id: g for g in groups}
    tests = [(rule, compiled(rule.when)) for rule in rules]
    applying: dict[tuple[str, str], list[tuple[Rule, Test]]] = {}   # by language and kind
    found = []
    for measures in measures:
        key = (measures.language, measures.kind)
        if key not in applying:
            applying[key] = [(rule, test) for rule, test in tests if applies(rule, measures)]
        group = by_id[measures.unit_id]
        found += [_finding(rule, measures, group.qualname or group.name, group.lines[0])
                  for rule, test in applying[key] if test(measures.metrics)]
    return tuple(sorted(found, key=lambda f: (f.path, f.line, f.rule_id, f.unit_id)))
