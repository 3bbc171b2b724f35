"""SARIF reports what a reader should act on: by default the findings of candidates whose verdict
is port, needs-boundary-work or fix-in-place-first, thresholds configurable, and never a folder
as a location."""

from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import FIXTURES, run_cli, scan_json

SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-2.1.0.json").read_text())
JAVA = """package p;

import java.util.regex.Pattern;

public class Hit {
    public boolean valid(String symbol) {
        return Pattern.compile("^[A-Z]{1,6}$").matcher(symbol).matches();
    }
}
"""
EVERY_VERDICT = ('sarif_verdicts = ["port", "needs-boundary-work", "fix-in-place-first", "not-a-rust-problem", '
                 '"insufficient-evidence"]\n')


def _sarif(repo, tmp_path, *args) -> dict:
    out = tmp_path / "out.sarif"
    code, _, err = run_cli("scan", str(repo), "--quiet", "--no-cache", "--sarif", str(out), *args)
    assert code == 0, err
    doc = json.loads(out.read_text())
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(doc)
    return doc["runs"][0]


def _notes(run: dict) -> list[str]:
    return [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]


def test_default_reports_only_findings_of_candidates_to_act_on(sample_repo, sample_report, tmp_path):
    run = _sarif(sample_repo, tmp_path)
    acting = {f["rule"] + ":" + f["unit"] for c in sample_report["candidates"]
              if c["verdict"] in ("port", "needs-boundary-work", "fix-in-place-first") for f in c["findings"]}
    every = {f["rule"] + ":" + f["unit"] for c in sample_report["candidates"] for f in c["findings"]}
    reported = {r["ruleId"] + ":" + r["properties"]["unit"] for r in run["results"]}
    assert reported and reported == acting   # no finding of a folder in the sample
    assert "BD001:py:tidewater/pipeline.py::run" in every - reported   # callbacks in code nobody will port
    assert f"{len(every) - len(acting)} finding(s) left out: no candidate that lists them is port, " \
           "needs-boundary-work or fix-in-place-first (sarif_verdicts) with a score of at least 0" in _notes(run)[0]


def test_min_score_from_the_command_line_and_verdicts_from_the_configuration(sample_repo, sample_report, tmp_path):
    high = _sarif(sample_repo, tmp_path, "--sarif-min-score", "20")
    port = next(c for c in sample_report["candidates"] if c["score"] >= 20)
    assert {r["properties"]["unit"] for r in high["results"]} == {f["unit"] for f in port["findings"]}
    config = tmp_path / "every.toml"
    config.write_text(EVERY_VERDICT)
    everything = _sarif(sample_repo, tmp_path, "--config", str(config))
    assert len(everything["results"]) == len({(f["rule"], f["unit"]) for c in sample_report["candidates"]
                                              for f in c["findings"]})


@pytest.mark.parametrize("settings", ["", EVERY_VERDICT])
def test_a_package_finding_is_never_located_at_a_folder(tmp_path, settings):
    repo = tmp_path / "repo"
    (repo / "src/main/java/p").mkdir(parents=True)
    (repo / "src/main/java/p/Hit.java").write_text(JAVA)
    (repo / "rustscout.toml").write_text(settings)
    report = scan_json(repo, "--no-cache")
    on_package = [f for c in report["candidates"] for f in c["findings"] if f["unit"] == "java:package:src/main/java/p/"]
    assert on_package and all(f["path"] == "src/main/java/p/" for f in on_package)
    run = _sarif(repo, tmp_path)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]]
    assert all((repo / uri).is_file() for uri in uris)
    if settings:   # every verdict asked for: the package's findings are counted, not located
        assert uris and f"{len(on_package)} finding(s) of packages or components left out: they have no file " \
                        "and line to point at; the JSON report lists them" in _notes(run)


@pytest.mark.parametrize("args, toml, message", [
    (["--sarif-min-score", "101"], "", "--sarif-min-score"),
    ([], 'sarif_min_score = "high"\n', "'sarif_min_score' must be a number"),
    ([], 'sarif_verdicts = ["port", "maybe"]\n', "'sarif_verdicts': unknown verdict 'maybe'"),
])
def test_bad_sarif_settings_are_one_line(tmp_path, args, toml, message):
    (tmp_path / "m.py").write_text("def f(x):\n    return x\n")
    (tmp_path / "rustscout.toml").write_text(toml)
    code, _, err = run_cli("scan", str(tmp_path), "--quiet", "--no-cache", *args)
    assert code == 1 and message in err and "Traceback" not in err
