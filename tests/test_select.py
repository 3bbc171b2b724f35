"""Rule selection, as ruff selects rules: `--select`/`--ignore` and `select`/`ignore` in the
configuration, by id or prefix, the more specific selector winning; a typo is one line."""

from __future__ import annotations

import pytest

from analyzer.model import Rule
from analyzer.ruleset import select as selection
from conftest import run_cli, scan_json

PARSE = "import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n" \
        "        pattern = re.compile(r'(\\d+)')\n        out.append(pattern.match(line))\n    return out\n"
CALLBACK = "def run(items, hook):\n    total = 0\n    for item in items:\n        total += item * 3\n" \
           "        hook(total)\n    return total\n"


@pytest.fixture()
def repo(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "m.py").write_text(PARSE)
    (tmp_path / "pkg" / "cb.py").write_text(CALLBACK)
    return tmp_path


def _rules(report: dict) -> set[str]:
    return {f["rule"] for c in report["candidates"] for f in c["findings"]}


def _verdict(report: dict, cid: str) -> str:
    return next(c["verdict"] for c in report["candidates"] if c["id"] == cid)


def test_without_selection_every_rule_runs(repo):
    report = scan_json(repo, "--no-cache")
    assert {"FX001", "NT001", "TS001", "BD001"} <= _rules(report)
    assert _verdict(report, "py:pkg/m.py::parse") == "fix-in-place-first"


def test_select_by_prefix_runs_only_those_rules(repo):
    report = scan_json(repo, "--no-cache", "--select", "FX")
    assert _rules(report) == {"FX001"}
    assert _verdict(report, "py:pkg/m.py::parse") == "fix-in-place-first"


def test_ignored_rule_is_gone_with_its_effect_on_the_verdict(repo):
    report = scan_json(repo, "--no-cache", "--ignore", "fx001,TS")   # case and commas as a user types them
    assert "FX001" not in _rules(report) and "TS001" not in _rules(report) and "BD001" in _rules(report)
    assert _verdict(report, "py:pkg/m.py::parse") != "fix-in-place-first"


def test_ignore_on_the_command_line_adds_to_the_configuration(repo):
    (repo / "rustscout.toml").write_text('ignore = ["TS001"]\n')
    report = scan_json(repo, "--no-cache", "--ignore", "BD001")
    assert not {"TS001", "BD001"} & _rules(report) and "FX001" in _rules(report)


def test_select_on_the_command_line_replaces_the_configuration(repo):
    (repo / "rustscout.toml").write_text('select = ["TS"]\n')
    assert _rules(scan_json(repo, "--no-cache")) == {"TS001"}
    assert _rules(scan_json(repo, "--no-cache", "--select", "BD")) == {"BD001"}


def test_the_more_specific_selector_wins():
    rules = [Rule(i, "", "", ("python",), ("function",), "note", "evidence", 0, None, "", "", ())
             for i in ("FX001", "FX002", "FX003", "BD001")]
    ids = lambda chosen: [r.id for r in chosen]   # noqa: E731
    assert ids(selection.chosen(rules, ("FX",), ("FX003",))) == ["FX001", "FX002"]
    assert ids(selection.chosen(rules, ("FX001",), ("FX",))) == ["FX001"]   # BD001 is not selected
    assert ids(selection.chosen(rules, (), ("FX",))) == ["BD001"]
    assert ids(selection.chosen(rules, ("FX",), ("FX",))) == []   # a tie: ignore wins


@pytest.mark.parametrize("args, message", [
    (["--select", "FX9"], "select (--select or the configuration): no rule is 'FX9' or starts with it"),
    (["--ignore", "ZZ"], "ignore (--ignore or the configuration): no rule is 'ZZ' or starts with it"),
    (["--select", "XL01"], "did you mean XL001"),
    (["--ignore", "FX-1"], "'ignore': 'FX-1' is not a rule id or prefix"),
])
def test_unknown_selector_is_one_line_and_exit_1(repo, args, message):
    code, out, err = run_cli("scan", str(repo), "--no-cache", "--quiet", *args)
    assert code == 1 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("toml, message", [
    ('select = "FX"\n', "'select' must be a list"),
    ('per_path_ignores = ["tests/**"]\n', "'per_path_ignores' must be a dict"),
    ('per_path_ignores = {"tests/**" = "FX"}\n', "'tests/**' must map a non-empty glob to a list"),
    ('per_path_ignores = {"tests/**" = ["QQ"]}\n', "per_path_ignores.tests/**: no rule is 'QQ'"),
])
def test_bad_selection_setting_is_one_line_and_exit_1(repo, toml, message):
    (repo / "rustscout.toml").write_text(toml)
    code, _, err = run_cli("scan", str(repo), "--no-cache", "--quiet")
    assert code == 1 and message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
