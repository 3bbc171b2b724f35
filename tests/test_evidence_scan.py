"""Measured evidence through the whole scan: a real cProfile of our workload moves the ranking,
coverage feeds the tests factor and the plan, and a bad file is a listed error, not a failure."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import jsonschema
import pytest

from conftest import SCHEMA, run_cli, scan_json
from evidence_support import FLETCHER, SUMMARIZE, WORKLOAD, cpu_profile


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """The workload copied and profiled there: cProfile records absolute paths of that copy."""
    root = tmp_path_factory.mktemp("scan") / "workload"
    shutil.copytree(WORKLOAD, root, ignore=shutil.ignore_patterns("__pycache__"))
    for command in (cpu_profile("run.py", "run.prof"),
                    [sys.executable, "-m", "coverage", "run", "--branch", "run.py"],
                    [sys.executable, "-m", "coverage", "xml", "-o", "coverage.xml"]):
        done = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
    return root


def by_id(report):
    return {c["id"]: c for c in report["candidates"]}


def test_a_profile_lifts_the_statically_cold_kernel_and_drops_the_idle_loops(checkout):
    static = by_id(scan_json(checkout))
    measured_report = scan_json(checkout, "--profile", str(checkout / "run.prof"))
    measured = by_id(measured_report)
    assert measured_report["candidates"][0]["id"] == FLETCHER
    assert measured[FLETCHER]["rank"] < static[FLETCHER]["rank"]
    assert measured[SUMMARIZE]["rank"] > measured[FLETCHER]["rank"]
    summarize = next(f for f in measured[SUMMARIZE]["factors"] if f["name"] == "runtime")
    assert summarize["value"] < 0.01   # three nested loops, run on three rows: the profile barely sees it
    assert measured[SUMMARIZE]["score"] < measured[FLETCHER]["score"] / 10
    runtime = next(f for f in measured[FLETCHER]["factors"] if f["name"] == "runtime")
    assert runtime["estimate"] is False and runtime["summary"].startswith("measured: ")
    assert "samples (cProfile" in runtime["summary"] or "seconds (cProfile" in runtime["summary"]
    assert measured[FLETCHER]["evidence"]["measured"] is True
    assert "runtime" not in [f["name"] for f in static[FLETCHER]["factors"]]
    assert "evidence" not in static[FLETCHER]   # old documents keep their bytes
    jsonschema.validate(measured_report, json.loads(SCHEMA.read_text()))


def test_coverage_feeds_the_tests_factor(checkout):
    report = by_id(scan_json(checkout, "--coverage", str(checkout / "coverage.xml")))
    legacy = report["py:parcel/checksum.py::legacy_sum"]
    tests = next(f for f in legacy["factors"] if f["name"] == "tests")
    assert tests["unit"] == "share" and tests["value"] == 0.2   # only its `def` line runs (at import)
    assert tests["summary"].startswith("measured: 20% of its lines run under tests")
    assert legacy["evidence"]["coverage"]["never_run"] == [[28, 31]]


def test_a_bad_profile_is_a_listed_error_and_the_scan_completes(checkout, tmp_path):
    bad = tmp_path / "broken.prof"
    bad.write_bytes(b"\x00\x01 not a profile of anything")
    code, out, err = run_cli("scan", str(checkout), "--json", "-", "--quiet", "--profile", str(bad))
    assert code == 0, err
    report = json.loads(out)
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [(str(bad), "profile")]
    assert "runtime" not in [f["name"] for c in report["candidates"] for f in c["factors"]]


def test_the_demo_workload_shows_the_engine_hot_where_the_estimate_called_it_cold(sample_repo, tmp_path):
    """`make demo`: the tidewater sample profiled under its workload (fixtures/evidence/tidewater)."""
    profile = tmp_path / "tidewater.prof"
    done = subprocess.run(cpu_profile(WORKLOAD.parent / "tidewater" / "workload.py", profile), capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(sample_repo), "PATH": ""})
    assert done.returncode == 0, done.stderr[-2000:]
    engine = "py:tidewater/rules/engine.py"
    static = by_id(scan_json(sample_repo))[engine]
    measured = by_id(scan_json(sample_repo, "--profile", str(profile)))[engine]
    assert static["verdict"] == "insufficient-evidence" and "cold on static evidence" in static["reason"]
    assert measured["verdict"] == "needs-boundary-work" and measured["rank"] < static["rank"]
    assert "calls back into the host language (.predicate, ?listener" in measured["reason"]
    assert measured["reason"].startswith("hot (measured: ")
