"""The JSON shapes of measured evidence: valid against their schema fragment, stable bytes."""

from __future__ import annotations

import json

import jsonschema

from analyzer import evidence
from analyzer.report import evidence as document
from conftest import SCHEMA as SCHEMA_FILE
from evidence_support import APP_MAIN, CHECKSUM_LIMIT, COVERAGE, FILL, PROFILES, java_units

SCHEMA = json.loads(SCHEMA_FILE.read_text())   # the report's schema: its $defs hold the evidence shapes


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$defs": SCHEMA["$defs"], "$ref": f"#/$defs/{name}"})


def result():
    loaded = evidence.load([PROFILES / "jfr-print.json", PROFILES / "async-cpu.collapsed"], [COVERAGE / "jacoco.xml"])
    return evidence.measure(loaded, java_units())


def test_candidate_and_summary_documents_follow_the_schema_and_say_what_was_measured():
    measured = result()
    for unit_id in (CHECKSUM_LIMIT, APP_MAIN, FILL):
        value = document.candidate(measured.runtime.get(unit_id), measured.coverage.get(unit_id))
        validator("measured_evidence").validate(value)
    limit = document.candidate(measured.runtime[CHECKSUM_LIMIT], measured.coverage[CHECKSUM_LIMIT])
    assert limit["measured"] is True
    assert limit["profile"]["inclusive_share"] == round((0.3 + 0.12) / 2, 6)      # JFR and async-profiler, mean
    assert limit["profile"]["samples"] == 1010
    assert limit["coverage"]["never_run"] == [[21, 25]] and limit["coverage"]["line_share"] == 0
    assert document.candidate(None, None) == {"measured": False, "profile": None, "coverage": None}
    summary = document.summary(measured)
    validator("evidence_summary").validate(summary)
    assert [(p["tool"], p["metric"]) for p in summary["profiles"]] == [
        ("JFR (jfr print --json)", "alloc"), ("JFR (jfr print --json)", "cpu"), ("async-profiler collapsed", "cpu")]
    assert summary["coverage"]["unmapped_files"] == ["org/vendor/Pool.java"]


def test_the_same_inputs_give_the_same_bytes():
    first, second = result(), result()
    dump = lambda r: json.dumps({"summary": document.summary(r), "units": {  # noqa: E731
        uid: document.candidate(r.runtime.get(uid), r.coverage.get(uid)) for uid in sorted(r.runtime)}}, sort_keys=True)
    assert dump(first) == dump(second)


def test_coverage_summaries_round_down_and_name_the_ranges():
    from analyzer.model.runtime import UnitCoverage
    nearly = UnitCoverage("u", 249, 250, None, None, ((40, 40),), "s")
    assert nearly.summary() == "99% of its lines run under tests; line 40 never"
    many = UnitCoverage("u", 10, 20, 1, 3, ((1, 2), (4, 4), (6, 9), (11, 11), (13, 14), (16, 16)), "s")
    assert many.summary() == ("50% of its lines run under tests, 33% of its branches; "
                              "lines 1-2, 4, 6-9, 11 and 2 more never")
    assert UnitCoverage("u", 0, 0, None, None, (), "s").summary() == "no measurable lines in the coverage report"
