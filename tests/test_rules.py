"""Every rule against its fixtures: metric-level cases, and source files with `# expect: ID`.

Terms as in ast-grep: Validated (expected and found), Missing (expected, not found),
Noisy (found where not expected). A rule without a hit and a near miss fails.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from analyzer.ruleset import catalog as catalogs
from analyzer.ruleset import metrics as metric_registry
from analyzer import ruleset
from analyzer.fixes import FIXES
from analyzer.model import Measures
from analyzer.infra.resources import rules_dir
from conftest import FIXTURES, scan_json

RULES = sorted(p.stem for p in rules_dir().glob("*.yaml"))
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*([A-Z]{2}\d{3}(?:\s*,\s*[A-Z]{2}\d{3})*)")
SOURCES = {"python": ("hit.py", "ok.py"), "java": ("Hit.java", "Ok.java")}


@pytest.fixture(scope="module")
def loaded():
    catalog = catalogs.load(rules_dir() / "catalogs")
    rules = ruleset.load([rules_dir()], metric_registry.registry(catalog), catalog, FIXES)
    return {r.id: r for r in rules}, metric_registry.registry(catalog)


def test_rule_files_are_the_rules(loaded):
    rules, _ = loaded
    assert sorted(rules) == RULES
    assert len(RULES) >= 10


@pytest.mark.parametrize("rule_id", RULES)
def test_every_language_has_a_hit_and_a_near_miss(rule_id, loaded):
    rule = loaded[0][rule_id]
    folder = FIXTURES / "rules" / rule_id
    cases = yaml.safe_load((folder / "cases.yaml").read_text())
    for language in rule.languages:
        by_source = all((folder / name).exists() for name in SOURCES[language])
        by_cases = {c["expect"] for c in cases if c.get("language", "python") == language} == {"hit", "ok"}
        assert by_source or by_cases, f"{rule_id}: no hit and near miss for {language}"


@pytest.mark.parametrize("rule_id", RULES)
def test_cases(rule_id, loaded):
    rules, registry = loaded
    rule = rules[rule_id]
    cases = yaml.safe_load((FIXTURES / "rules" / rule_id / "cases.yaml").read_text())
    assert {c["expect"] for c in cases} == {"hit", "ok"}, f"{rule_id} needs a hit and a near miss"
    wrong = []
    for case in cases:
        assert set(case["metrics"]) <= set(registry), f"{rule_id}/{case['name']}: unknown metric"
        measures = Measures("x:x::f", case["kind"], case.get("language", "python"), "x", case["metrics"])
        fired = ruleset.evaluate(rule, measures, "f", 1) is not None
        if fired != (case["expect"] == "hit"):
            wrong.append(f"{case['name']}: expected {case['expect']}, rule {'fired' if fired else 'stayed quiet'}")
    assert not wrong, f"{rule_id}: " + "; ".join(wrong)


SOURCE_CASES = [(r, lang) for r in RULES for lang, (hit, _) in SOURCES.items()
                if (FIXTURES / "rules" / r / hit).exists()]


@pytest.mark.parametrize("rule_id, language", SOURCE_CASES)
def test_source_fixtures(rule_id, language, tmp_path):
    """Findings located in the fixture files only: packages and components that contain them
    are covered by cases.yaml."""
    folder = FIXTURES / "rules" / rule_id
    names = SOURCES[language]
    expected, found = set(), set()
    for name in names:
        shutil.copy(folder / name, tmp_path / name)
        expected |= {(name, n) for n, line in enumerate((folder / name).read_text().splitlines(), 1)
                     if rule_id in _expected(line)}
    report = scan_json(tmp_path)
    for candidate in report["candidates"]:
        found |= {(f["path"], f["line"]) for f in candidate["findings"] if f["rule"] == rule_id and f["path"] in names}
    assert any(name == names[0] for name, _ in expected), f"{rule_id}: {names[0]} has no `expect: {rule_id}`"
    missing, noisy = expected - found, found - expected
    validated = expected & found
    assert not missing and not noisy, (f"{rule_id}: validated {sorted(validated)}, missing {sorted(missing)}, "
                                       f"noisy {sorted(noisy)}")


def _expected(line: str) -> set[str]:
    match = EXPECT.search(line)
    return {x.strip() for x in match.group(1).split(",")} if match else set()


def test_loading_reports_every_problem_at_once(tmp_path, loaded):
    shutil.copy(rules_dir() / "schema.json", tmp_path / "schema.json")
    (tmp_path / "ZZ001.yaml").write_text((rules_dir() / "FX001.yaml").read_text().replace("FX001", "ZZ002"))
    (tmp_path / "ZZ003.yaml").write_text(yaml.safe_dump({"id": "ZZ003", "name": "Bad Name"}))
    text = (rules_dir() / "ST001.yaml").read_text().replace("ST001", "ZZ004").replace("shared_state_writes", "no_such")
    (tmp_path / "ZZ004.yaml").write_text(text)
    catalog = catalogs.load(rules_dir() / "catalogs")
    with pytest.raises(ruleset.RuleError) as caught:
        ruleset.load([tmp_path], metric_registry.registry(catalog), catalog, FIXES)
    problems = "\n".join(caught.value.problems)
    assert "ZZ001.yaml: id ZZ002 must match the file name" in problems
    assert "ZZ003.yaml: (top level): 'summary' is a required property" in problems
    assert "ZZ003.yaml: name: 'Bad Name' does not match" in problems
    assert "ZZ004.yaml: when: unknown metric 'no_such'" in problems


def test_rules_readme_is_current():
    from analyzer.report.rules_doc import render
    catalog = catalogs.load(rules_dir() / "catalogs")
    rules = ruleset.load([rules_dir()], metric_registry.registry(catalog), catalog, FIXES)
    assert (rules_dir() / "README.md").read_text() == render(rules), \
        "rules/README.md is stale: run `rustscout rules doc > rules/README.md`"
