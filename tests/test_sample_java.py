"""The quarry sample (Java) end to end: order, verdicts, the Java benefit model, notices."""

from __future__ import annotations

import json

import jsonschema

from conftest import SCHEMA, run_cli

WEB = "java:web/src/main/java/com/quarry/feed/web/"
CORE = "java:core/src/main/java/com/quarry/feed/"
CLASSES = {
    "parser": CORE + "codec/FixParser.java::FixParser",
    "cache": CORE + "cache/PriceCache.java::PriceCache",
    "validator": CORE + "util/SymbolValidator.java::SymbolValidator",
    "controller": WEB + "QuoteController.java::QuoteController",
    "repository": WEB + "QuoteRepository.java::QuoteRepository",
}


def by_id(report):
    return {c["id"]: c for c in report["candidates"]}


def test_the_codec_ranks_first(java_report):
    top = java_report["candidates"][0]
    codec = "core/src/main/java/com/quarry/feed/codec/"
    assert top["rank"] == 1 and top["language"] == "java"
    assert top["path"] == codec or codec in top["members"][0]      # the codec package, or a component of it
    first_class = next(c for c in java_report["candidates"] if c["kind"] == "class")
    assert first_class["id"] == CLASSES["parser"]


def test_order_and_verdicts(java_report):
    found = by_id(java_report)
    ranks = {name: found[uid]["rank"] for name, uid in CLASSES.items()}
    assert ranks["parser"] < ranks["cache"] < min(ranks["validator"], ranks["controller"], ranks["repository"])
    verdicts = {name: found[uid]["verdict"] for name, uid in CLASSES.items()}
    assert verdicts == {"parser": "insufficient-evidence", "cache": "insufficient-evidence",
                        "validator": "fix-in-place-first", "controller": "not-a-rust-problem",
                        "repository": "not-a-rust-problem"}
    assert found["java:package:web/src/main/java/com/quarry/feed/web/"]["verdict"] == "not-a-rust-problem"


def test_java_model_explains_itself(java_report):
    parser = by_id(java_report)[CLASSES["parser"]]
    assert "(≈10x)" in parser["reason"] and "compute" in parser["reason"]   # allocation gains, CPU does not
    gain = next(f for f in parser["factors"] if f["name"] == "native_gain")
    assert "Java model: the JIT leaves plain CPU work at about 1.5x" in gain["summary"]


def test_cache_is_a_memory_candidate(java_report):
    cache = by_id(java_report)[CLASSES["cache"]]
    assert "mutates collections held in fields" in cache["reason"] and "boxes primitive values" in cache["reason"]
    rules = {f["rule"] for f in cache["findings"]}
    assert {"HP001", "AL003", "SY001"} <= rules


def test_entangled_method_gets_a_jni_plan(java_report):
    entangled = [c for c in java_report["candidates"] if c["verdict"] == "needs-boundary-work"]
    assert entangled and all(c["language"] == "java" for c in entangled)
    plan = entangled[0]["plan"]
    assert plan["binding"].startswith("JNI through jni-rs, or the Java 22+ FFM API")
    assert plan["cut"] and "move the boundary up" in plan["cut"][0]


def test_regex_per_call_findings(java_report):
    validator = by_id(java_report)[CLASSES["validator"]]
    lines = sorted(f["line"] for f in validator["findings"] if f["rule"] == "FX001")
    assert lines and validator["fixes"][0]["rule"] == "FX001"
    assert validator["fixes"][0]["patch"] is None   # the mechanical fix is for Python only


def test_summary_notes_lombok_and_modules(java_report):
    assert any("use lombok" in n and "cannot be seen" in n for n in java_report["summary"]["notices"])
    ids = set(by_id(java_report))
    assert {"java:component:build-module:core/", "java:component:build-module:web/"} <= ids
    assert java_report["summary"]["files_by_tag"]["test"] == 6
    jsonschema.validate(java_report, json.loads(SCHEMA.read_text()))


def test_explain_java_candidate(java_repo):
    code, out, err = run_cli("explain", "PriceCache.java::PriceCache", str(java_repo), "--quiet")
    assert code == 0, err
    for expected in ("PriceCache", "heap", "Boundary", "put(long", "Java model"):
        assert expected in out, expected


def test_the_sample_reads_without_errors(java_report):
    assert java_report["errors"] == []   # a parser crash would become an error entry, not a failure
