"""Real profiles and coverage of our own workload (fixtures/evidence/workload), recorded here.

The workload checksums a buffer through a table of handlers: statically `fletcher` and `adler`
look cold (one loop each, reached only through a dict), at run time they hold nearly all the
time. `Packer.pack` spends its time in zlib (native), `Packer.records` allocates, `summarize`
looks expensive (three nested loops) and runs on three rows, `legacy_sum` never runs.

Recorded once per module into a temporary copy (so paths differ from the scanned tree):
cProfile (standard library), py-spy raw and speedscope (PyPI: py-spy, needs ptrace; root has
it here), Scalene (PyPI), coverage.py XML and JSON (PyPI). A missing tool fails the test with
the reason. Shares from sampling vary from run to run, so these tests assert places and
orders with margins; the exact arithmetic is asserted on hand-written fixtures.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analyzer import evidence
from evidence_support import (ADLER, FLETCHER, LEGACY, MAIN, PACK, RECORDS, SUMMARIZE, VERIFY, WORKLOAD, tool,
                              workload_units)


@pytest.fixture(scope="module")
def workload(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("recorded") / "checkout"
    shutil.copytree(WORKLOAD, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def run(command: list[str], cwd: Path, env: dict | None = None) -> None:
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})
    assert done.returncode == 0, f"{' '.join(command)} failed:\n{done.stderr[-2000:]}"


@pytest.fixture(scope="module")
def cprofile(workload) -> Path:
    run([sys.executable, "-m", "cProfile", "-o", "run.prof", "run.py"], workload)
    return workload / "run.prof"


@pytest.fixture(scope="module")
def pyspy_raw(workload) -> Path:
    run([tool("py-spy"), "record", "--format", "raw", "--rate", "250", "--output", "raw.txt", "--",
         sys.executable, "run.py"], workload)
    return workload / "raw.txt"


@pytest.fixture(scope="module")
def pyspy_speedscope(workload) -> Path:
    run([tool("py-spy"), "record", "--format", "speedscope", "--full-filenames", "--rate", "250",
         "--output", "speedscope.json", "--", sys.executable, "run.py"], workload)
    return workload / "speedscope.json"


@pytest.fixture(scope="module")
def scalene(workload) -> Path:
    tool("scalene")
    run([sys.executable, "-m", "scalene", "run", "--outfile", "scalene.json", "run.py"], workload)
    return workload / "scalene.json"


@pytest.fixture(scope="module")
def coverage_reports(workload) -> tuple[Path, Path]:
    tool("coverage")
    run([sys.executable, "-m", "coverage", "run", "--branch", "run.py"], workload)
    run([sys.executable, "-m", "coverage", "xml", "-o", "coverage.xml"], workload)
    run([sys.executable, "-m", "coverage", "json", "-o", "coverage.json"], workload)
    return workload / "coverage.xml", workload / "coverage.json"


def measure(*profiles, coverage=()):
    return evidence.measure(evidence.load(list(profiles), list(coverage)), workload_units())


def assert_hot_checksums(result, tool_name: str, floor: float = 0.3) -> None:
    """The statically cold checksums are where the time goes; the static bait is cold. Margins
    are wide: interpreter start-up (site, imports) takes a varying share on a loaded machine."""
    assert result.errors == (), result.errors
    (cpu,) = [m for m in result.measurements if m.metric == "cpu"]
    assert cpu.language == "python" and cpu.sources[0].tool == tool_name
    assert cpu.mapped_share > 0.6
    runtime = result.runtime
    hottest = max(runtime.values(), key=lambda r: (r.self_share, r.unit_id))
    assert hottest.unit_id in (FLETCHER, ADLER)
    assert runtime[FLETCHER].self_share > floor * 0.5 and runtime[ADLER].self_share > 0.1
    assert runtime[FLETCHER].self_share + runtime[ADLER].self_share > floor + 0.2
    assert runtime[SUMMARIZE].inclusive_share < 0.02 and runtime[VERIFY].inclusive_share < 0.02
    assert runtime[LEGACY].inclusive_share == 0 and runtime[LEGACY].source.endswith(f"{cpu.sources[0].path})")


def test_cprofile_statistics_recorded_here(cprofile):
    result = measure(cprofile)
    assert_hot_checksums(result, "cProfile", floor=0.5)
    runtime = result.runtime
    # deterministic profiling, but of wall-clock time: on a busy machine the split between the
    # two varies, their sum does not
    assert runtime[FLETCHER].self_share + runtime[ADLER].self_share > 0.8
    assert runtime[MAIN].inclusive_share > 0.95 and runtime[MAIN].self_share < 0.05
    assert runtime[PACK].native_share > 0.9                  # zlib.compress, a built-in
    assert runtime[FLETCHER].native_share == 0
    (cpu,) = result.measurements
    assert cpu.sources[0].unit == "seconds"
    assert ("<built-in method zlib.compress>", "native") in [(f.frame, f.kind) for f in cpu.unmapped]


def test_cprofile_of_an_installed_copy_maps_through_site_packages(workload, tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    shutil.copytree(workload / "parcel", site / "parcel")
    (tmp_path / "driver").mkdir()
    shutil.copy(workload / "run.py", tmp_path / "driver" / "main.py")
    run([sys.executable, "-m", "cProfile", "-o", "installed.prof", "main.py"], tmp_path / "driver",
        env={"PYTHONPATH": str(site)})
    result = measure(tmp_path / "driver" / "installed.prof")
    runtime = result.runtime
    assert runtime[FLETCHER].self_share > 0.4 and runtime[ADLER].self_share > 0.2
    # the entry script is main.py there, run.py here: its frames stay unmapped
    assert runtime[MAIN].inclusive_share == 0


def test_pyspy_raw_recorded_here(pyspy_raw):
    result = measure(pyspy_raw)
    assert_hot_checksums(result, "py-spy raw")
    (cpu,) = result.measurements
    assert cpu.samples >= 50 and cpu.sources[0].unit == "samples"
    assert result.runtime[MAIN].inclusive_share > 0.6
    assert result.runtime[FLETCHER].source == f"{cpu.samples:,} samples (py-spy raw, {pyspy_raw})"


def test_pyspy_speedscope_with_full_filenames_recorded_here(pyspy_speedscope):
    text = pyspy_speedscope.read_text()
    assert str(pyspy_speedscope.parent / "parcel" / "checksum.py") in text     # another checkout root
    result = measure(pyspy_speedscope)
    assert_hot_checksums(result, "py-spy speedscope")
    assert result.measurements[0].sources[0].unit == "seconds"


def test_scalene_recorded_here_gives_cpu_native_and_memory_per_line(scalene):
    result = measure(scalene)
    assert result.errors == ()
    metrics = {m.metric: m for m in result.measurements}
    assert set(metrics) == {"cpu", "alloc"} and metrics["cpu"].sources[0].tool == "Scalene"
    runtime = result.runtime
    # Scalene splits a line's time into Python and "C" time, and calls a good part of a pure
    # Python loop's time C: the loop's line holds both, so compare whole lines (inclusive)
    functions = (FLETCHER, ADLER, VERIFY, LEGACY, MAIN, PACK, RECORDS, SUMMARIZE)
    assert runtime[FLETCHER].inclusive_share + runtime[ADLER].inclusive_share > 0.6
    assert max(functions, key=lambda uid: (runtime[uid].inclusive_share, uid)) in (FLETCHER, ADLER)
    assert runtime[RECORDS].alloc_share > 0.9                # 4,000 bytearrays per round
    assert runtime[PACK].inclusive_share == 0 or runtime[PACK].native_share > 0.5     # zlib, when sampled
    assert runtime[LEGACY].inclusive_share == 0


def test_coverage_reports_recorded_here_agree_and_name_the_lines_never_run(coverage_reports):
    xml, json_report = coverage_reports
    by_xml, by_json = measure(coverage=[xml]), measure(coverage=[json_report])
    assert by_xml.errors == () and by_json.errors == ()
    key = lambda c: (c.lines_run, c.lines_total, c.branches_run, c.branches_total, c.never_run)  # noqa: E731
    assert {u: key(c) for u, c in by_xml.coverage.items()} == {u: key(c) for u, c in by_json.coverage.items()}
    coverage = by_xml.coverage
    assert coverage[LEGACY].summary() == "20% of its lines run under tests, 0% of its branches; lines 28-31 never"
    assert coverage[VERIFY].never_run == ((23, 23),)
    assert coverage[VERIFY].summary() == "75% of its lines run under tests, 50% of its branches; line 23 never"
    assert coverage[FLETCHER].line_share == 1.0 and coverage[FLETCHER].branch_share == 1.0
    assert coverage[FLETCHER].source == f"coverage.py XML, {xml}"
    assert by_xml.coverage_summary.files_mapped == by_xml.coverage_summary.files_total == 4


def test_recorded_twins_truncated_or_tampered_give_one_line_each(cprofile, pyspy_raw, pyspy_speedscope, scalene,
                                                                 coverage_reports, tmp_path):
    raw = pyspy_raw.read_text()
    cut_at = raw.index(";", len(raw) // 2) + 1
    twins = {"raw.txt": raw[:cut_at], "speedscope.json": pyspy_speedscope.read_text()[:-40],
             "run.prof": cprofile.read_bytes()[:-7], "scalene.json": _negative_cpu(scalene)}
    for name, content in twins.items():
        (tmp_path / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    xml, json_report = coverage_reports
    (tmp_path / "coverage.xml").write_text(xml.read_text()[:-30])
    tampered = json.loads(json_report.read_text())
    tampered["files"]["parcel/checksum.py"]["executed_lines"][0] = "x"
    (tmp_path / "coverage.json").write_text(json.dumps(tampered))
    result = measure(*(tmp_path / name for name in twins), coverage=[tmp_path / "coverage.xml", tmp_path / "coverage.json"])
    messages = {Path(e.path).name: e.message for e in result.errors}
    line = raw[:cut_at].count("\n") + 1
    assert messages["raw.txt"] == f"line {line}: the file ends inside a stack line (truncated?)"
    assert messages["speedscope.json"].startswith("malformed JSON at line 1, column ")
    assert messages["speedscope.json"].endswith("the file ends early (truncated?)")
    assert messages["run.prof"].startswith("truncated: needs ")
    assert messages["scalene.json"].endswith("CPU and memory figures must be non-negative numbers")
    assert messages["coverage.xml"].endswith("the XML ends early (truncated?)")
    assert messages["coverage.json"].endswith("executed_lines is not a list of line numbers")
    assert all("\n" not in message for message in messages.values())
    assert result.runtime == {} and result.coverage == {} and len(messages) == 6


def _negative_cpu(path: Path) -> str:
    document = json.loads(path.read_text())
    first = next(iter(document["files"].values()))
    first["lines"][0]["n_cpu_percent_python"] = -5.0
    return json.dumps(document)
