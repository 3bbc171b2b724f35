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


def test_byte_scanning_code_ranks_first(java_report):
    """The reader's boundary scan and the FIX parser both loop over raw bytes; nothing from the
    web module, the cache or the validator comes close."""
    top = java_report["candidates"][:4]
    assert [c["rank"] for c in top] == [1, 2, 3, 4] and all(c["language"] == "java" for c in top)
    assert {c["path"].split("/feed/")[1].split("/")[0] for c in top} == {"io", "codec"}
    fifth = java_report["candidates"][4]   # the pipeline's component: it holds the reader and the parser
    assert fifth["kind"] == "component" and {"io", "codec"} <= {m.split("/feed/")[1].split("/")[0]
                                                                for m in fifth["members"] if "/feed/" in m}
    assert not any(w in c["path"] for c in java_report["candidates"][:6] for w in ("/web/", "/cache/", "Validator"))
    first_class = next(c for c in java_report["candidates"] if c["kind"] == "class")
    assert first_class["id"] == CORE + "codec/FixParser.java::FixParser"
    assert "and ≈1.6x at best" in first_class["reason"]   # busy, and honest that a port gains little


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
    assert "≈1.6x at best (mostly compute work): no case for a port on static evidence" in parser["reason"]
    gain = next(f for f in parser["factors"] if f["name"] == "native_gain")
    assert "Java model: the JIT leaves plain arithmetic at about 1.5x" in gain["summary"]


def test_cache_is_a_memory_candidate(java_report):
    cache = by_id(java_report)[CLASSES["cache"]]
    assert "mutates collections held in fields" in cache["reason"] and "boxes primitive values" in cache["reason"]
    rules = {f["rule"] for f in cache["findings"]}
    assert {"HP001", "AL003", "SY001"} <= rules


def test_no_java_candidate_claims_an_order_of_magnitude(java_report):
    """The JIT already compiles this code: on static evidence nothing here clears the 10x bar, so
    there is no port and no boundary work to plan, only evidence to measure."""
    verdicts = {c["verdict"] for c in java_report["candidates"]}
    assert verdicts == {"insufficient-evidence", "fix-in-place-first", "not-a-rust-problem"}
    assert all(c["plan"] is None for c in java_report["candidates"])


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
