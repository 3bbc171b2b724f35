"""`rustscout scaffold` as a user meets it: the command (checks before the scan, any candidate
whatever its verdict, never over the user's code), `explain`'s last line, and the mapped
signatures in the JSON's plan."""

from __future__ import annotations

import dataclasses
import io
import json

import jsonschema
import pytest
from rich.console import Console

from analyzer import pipeline
from analyzer.cli import scaffold as scaffold_cli
from analyzer.config import Config
from analyzer.model import Verdict
from analyzer.report import console as show
from analyzer.scaffold import Options, generate
from conftest import SCHEMA, run_cli
from scaffold_helpers import bytekit, candidate

MASK = "py:bytekit/mask.py"
FLETCHER = "java:java/src/main/java/org/bytekit/Checksums.java::Checksums.fletcher16(byte[],int)"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return bytekit(tmp_path_factory.mktemp("scaffold-cli"))


def test_the_command_scans_finds_and_writes(scanned, tmp_path):
    repo, doc = scanned
    assert candidate(doc, MASK)["verdict"] == "port", "the fixture's mask module is meant to be a port candidate"
    code, out, err = run_cli("scaffold", "bytekit/mask.py", str(repo), "-o", str(tmp_path / "mask"), "--pyo3", "0.17",
                             "--quiet")
    assert (code, err) == (0, "")
    assert out.splitlines() == [f"Wrote 9 files to {tmp_path / 'mask'} (pyo3-0.17) for {MASK}",
                                f"Next: read {tmp_path / 'mask' / 'README.md'}, build it, then write one entry "
                                "point's body"]
    assert 'pyo3 = { version = "0.17"' in (tmp_path / "mask" / "Cargo.toml").read_text()
    assert oct((tmp_path / "mask" / "src" / "lib.rs").stat().st_mode & 0o777) == "0o644"   # not mkstemp's 0600


def test_a_java_method_by_its_name_whatever_its_verdict(scanned, tmp_path):
    """Java rarely earns `port` on static evidence (the JIT compiles plain arithmetic): the
    scaffold still builds the boundary, and says what the verdict is."""
    repo, doc = scanned
    verdict = candidate(doc, FLETCHER)["verdict"]
    code, out, err = run_cli("scaffold", "Checksums.fletcher16", str(repo), "-o", str(tmp_path / "f"), "--quiet")
    assert code == 0, err
    said = out.splitlines()
    assert said[0] == f"Wrote {len(list((tmp_path / 'f').rglob('*.*')))} files to {tmp_path / 'f'} (jni) for {FLETCHER}"
    noted = [line for line in said if line.startswith("Note: ")]
    assert noted == ([] if verdict in ("port", "needs-boundary-work") else
                     [f"Note: rustscout's verdict is {verdict}, not port: this scaffold is a way to measure before "
                      "deciding, not a case for porting"])
    assert (tmp_path / "f" / "java/src/main/java/org/bytekit/ChecksumsNative.java").is_file()
    assert f"rustscout's verdict: **{verdict}**" in (tmp_path / "f" / "README.md").read_text()


@pytest.mark.parametrize("args, message", [
    (["--binding", "cffi"], "--binding cffi: use jni or ffm for a Java candidate"),
    (["--pyo3", "0.20"], "--pyo3 0.20: supported are 0.17"),
    ([], "not empty; pass --force to write into it"),
])
def test_bad_requests_are_refused_before_the_scan(scanned, tmp_path, monkeypatch, args, message):
    repo, _ = scanned
    monkeypatch.setattr(scaffold_cli, "run_scan", lambda *a, **k: pytest.fail("scanned before refusing"))
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    code, stdout, err = run_cli("scaffold", "mask.py", str(repo), "-o", str(out), *args)
    assert code == 1 and stdout == "" and message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and (out / "notes.txt").read_text() == "mine"


def test_pyo3_for_a_java_candidate_is_a_clear_error(scanned, tmp_path):
    repo, _ = scanned
    code, _, err = run_cli("scaffold", "Checksums.fletcher16", str(repo), "-o", str(tmp_path / "x"), "--pyo3", "0.17",
                           "-q")
    assert code == 1 and f"--pyo3 0.17: {FLETCHER} is Java; choose its binding with --binding jni|ffm" in err
    assert not (tmp_path / "x").exists()


def test_force_never_writes_over_the_repositorys_own_files(scanned):
    repo, doc = scanned
    before = (repo / "bytekit" / "mask.py").read_bytes()
    with pytest.raises(scaffold_cli.ScaffoldError, match="holds no scaffold; even with --force"):
        scaffold_cli.command(candidate(doc, MASK), repo, repo / "bytekit", force=True)
    assert (repo / "bytekit" / "mask.py").read_bytes() == before and not (repo / "bytekit" / "src").exists()
    native = repo / "native"   # a new folder inside the repository is the user's choice; so is replacing it
    for force in (False, True):
        assert scaffold_cli.command(candidate(doc, MASK), repo, native, force=force) == 0
    assert (native / "rustscout-scaffold.json").is_file()


def test_the_json_plan_carries_the_mapped_signatures(scanned):
    repo, doc = scanned
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    plan = candidate(doc, MASK)["plan"]
    assert [s["entry"] for s in plan["signatures"]] == [f"{MASK}::fletcher16", f"{MASK}::window_sums",
                                                        f"{MASK}::xor_mask"]
    assert {s["binding"] for s in plan["signatures"]} == {"pyo3-0.23+"}
    # the scan knows only that `seed` has a default; the scaffold reads the source and mirrors it
    fletcher = plan["signatures"][0]
    assert fletcher["source"] == "fletcher16(data: bytes, seed: int = ...) -> int"
    assert fletcher["params"][1]["rust"] == "Option<i64>"
    made = {s.entry: s.to_json() for s in generate(candidate(doc, MASK), repo, Options()).signatures}
    assert plan["signatures"][2] == made[f"{MASK}::xor_mask"]
    assert made[f"{MASK}::fletcher16"]["params"][1]["rust"] == "i64"
    assert all(c["plan"] is None or "signatures" in c["plan"] for c in doc["candidates"])


def _explained(candidate_) -> str:
    console = Console(width=200, record=True, force_terminal=False, file=io.StringIO())
    console.print(show.explain(candidate_))
    return console.export_text()


def test_explain_ends_with_the_scaffold_command_when_worth_a_port(scanned):
    repo, _ = scanned
    report = pipeline.run(Config(repo, cache=False))
    by_id = {c.id: c for c in report.candidates}
    mask = _explained(by_id[MASK]).rstrip().splitlines()
    assert mask[-2] == f"Next: rustscout scaffold {MASK} PATH -o DIR"
    assert any(line.strip("│ ").startswith("Rust (pyo3-0.23+): fn xor_mask<'py>(py: Python<'py>, data: &[u8], key: &[u8])")
               for line in mask)
    cold = by_id["py:bytekit/hooks.py::run_hooks"]
    assert cold.verdict == Verdict.INSUFFICIENT_EVIDENCE and "Next: rustscout scaffold" not in _explained(cold)
    java = dataclasses.replace(by_id[FLETCHER], verdict=Verdict.NEEDS_BOUNDARY_WORK)
    assert (f"Next: rustscout scaffold '{FLETCHER}' PATH -o DIR --binding jni  (or ffm: Java 22's FFM API)"
            in _explained(java))
