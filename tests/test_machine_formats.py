"""SARIF 2.1.0 and GitLab Code Quality: valid, stable, and within code scanning's limits."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from analyzer import config, pipeline
from analyzer.model import Finding, Verdict
from analyzer.report import sarif
from analyzer.report.findings import Selection
from conftest import FIXTURES, make_repo, run_cli

SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-2.1.0.json").read_text())   # vendored: a plain clone tests


def _outputs(repo: Path, tmp_path: Path) -> tuple[str, str]:
    code, _, err = run_cli("scan", str(repo), "--quiet", "--sarif", str(tmp_path / "out.sarif"),
                           "--gitlab-codequality", str(tmp_path / "cq.json"))
    assert code == 0, err
    return (tmp_path / "out.sarif").read_text(), (tmp_path / "cq.json").read_text()


@pytest.mark.parametrize("sample", ["sample_repo", "java_repo"])
def test_sarif_is_valid_and_points_into_the_rule_registry(sample, request, tmp_path):
    text, _ = _outputs(request.getfixturevalue(sample), tmp_path)
    doc = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules) and len(rules) == 24
    assert run["results"], "the samples have findings"
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        unit = result["properties"]["unit"]
        expected = hashlib.sha256(f"{result['ruleId']}:{unit}".encode()).hexdigest()
        assert result["partialFingerprints"] == {"rustscoutUnit/v1": expected}
    prints = [r["partialFingerprints"]["rustscoutUnit/v1"] for r in run["results"]]
    assert len(prints) == len(set(prints))


def test_sarif_points_at_the_regex_compiled_per_call(sample_repo, tmp_path):
    run = json.loads(_outputs(sample_repo, tmp_path)[0])["runs"][0]
    fx = [r for r in run["results"] if r["ruleId"] == "FX001"]
    location = fx[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "tidewater/parsing/loglines.py", "uriBaseId": "%SRCROOT%"}
    source = (sample_repo / "tidewater/parsing/loglines.py").read_text().splitlines()
    assert "re.compile" in source[location["region"]["startLine"] - 1]
    assert fx[0]["level"] == "warning"


def test_outputs_are_byte_stable(sample_repo, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _outputs(sample_repo, tmp_path / "a") == _outputs(sample_repo, tmp_path / "b")


def test_codequality_has_a_unique_fingerprint_per_issue(java_repo, tmp_path):
    issues = json.loads(_outputs(java_repo, tmp_path)[1])
    assert issues and len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in issues} <= {"info", "minor", "major"}
    pattern = [i for i in issues if i["check_name"] == "FX001"]
    assert pattern and pattern[0]["location"]["path"].endswith(".java") and pattern[0]["severity"] == "minor"


def test_fingerprints_survive_lines_moving(tmp_path):
    body = "import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n" \
           "        out.append(re.compile(r'(\\d+)').match(line))\n    return out\n"
    repo = make_repo(tmp_path, [{"files": {"m.py": body}}, {"files": {"m.py": "# a\n# b\n" + body}}])
    before = make_repo(tmp_path, [{"files": {"m.py": body}}], name="before")
    prints = []
    for path in (before, repo):
        results = json.loads(sarif.render(pipeline.run(config.Config(path))))["runs"][0]["results"]
        fx = [r for r in results if r["ruleId"] == "FX001"][0]
        prints.append((fx["partialFingerprints"]["rustscoutUnit/v1"], fx["locations"][0]["physicalLocation"]["region"]["startLine"]))
    assert prints[0][0] == prints[1][0] and prints[1][1] == prints[0][1] + 2


def test_sarif_keeps_the_most_severe_5000_results_and_says_so(sample_repo):
    report = pipeline.run(config.Config(sample_repo))
    many = tuple(Finding("AL001" if i % 2 else "FX001", f"py:x.py::f{i}", "x.py", i + 1,
                         "note" if i % 2 else "warning", "evidence", "m", ()) for i in range(5_010))
    first = replace(report.candidates[0], findings=many)
    every_verdict = Selection(tuple(v.value for v in Verdict))   # the cap, not the selection, is under test
    doc = sarif.document(replace(report, candidates=(first, *report.candidates[1:])), every_verdict)
    run = doc["runs"][0]
    everything = {f.key: f for c in (first, *report.candidates[1:]) for f in c.findings}
    assert len(run["results"]) == 5_000
    warnings = sum(1 for f in everything.values() if f.severity == "warning")
    assert sum(1 for r in run["results"] if r["level"] == "warning") == warnings   # every warning kept
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert f"{len(everything) - 5_000} less severe result(s) left out: code scanning keeps 5000 per run" in notes


def _apply_sarif_fix(text: str, fix: dict) -> str:
    """A SARIF viewer's reading of a fix: whole-line regions of the original text, replaced."""
    lines = text.splitlines(keepends=True)
    [change] = fix["artifactChanges"]
    for r in sorted(change["replacements"], key=lambda r: r["deletedRegion"]["startLine"], reverse=True):
        region = r["deletedRegion"]
        assert region["startColumn"] == region["endColumn"] == 1
        lines[region["startLine"] - 1:region["endLine"] - 1] = [r["insertedContent"]["text"]]
    return "".join(lines)


def test_sarif_results_carry_the_mechanical_fix(sample_repo, tmp_path):
    """The FX001 result's fix, applied as a viewer would, is the patch `rustscout fix` applies."""
    doc = json.loads(_outputs(sample_repo, tmp_path)[0])
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    [fx] = [r for r in doc["runs"][0]["results"] if r["ruleId"] == "FX001" and "fixes" in r]
    [fix] = fx["fixes"]
    assert fix["description"]["text"] == "A regular expression compiled (or looked up) on every call"
    assert fix["artifactChanges"][0]["artifactLocation"] == {"uri": "tidewater/parsing/loglines.py", "uriBaseId": "%SRCROOT%"}
    original = (sample_repo / "tidewater/parsing/loglines.py").read_text()
    fixed = _apply_sarif_fix(original, fix)
    code, diff, _ = run_cli("fix", "--diff", "-q", str(sample_repo))
    assert code == 0 and "_PARSE_LINE_RE = re.compile(" in fixed
    copy = tmp_path / "copy" / "tidewater/parsing/loglines.py"
    copy.parent.mkdir(parents=True)
    copy.write_text(original)
    import subprocess
    subprocess.run(["git", "init", "-q"], cwd=tmp_path / "copy", check=True)
    subprocess.run(["git", "apply", "-"], input=diff.encode(), cwd=tmp_path / "copy", check=True)
    assert copy.read_text() == fixed
    assert [r["ruleId"] for r in doc["runs"][0]["results"] if "fixes" in r] == ["FX001"]
