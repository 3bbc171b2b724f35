"""Hand-written profiles and reports, in each tool's documented format, read and mapped to units.

These formats come from tools PyPI does not ship (async-profiler, the JDK's jfr, perf, JaCoCo),
so their fixtures are written by hand after the tools' documentation and real output; the
Python profilers are recorded for real in test_evidence_recorded.py. Each format has a
malformed twin that must give one line, and leave the run going.
"""

from __future__ import annotations

import marshal

import pytest

from analyzer import evidence
from evidence_support import (APP_MAIN, BUFFER, CHECKSUM_BYTES, CHECKSUM_LIMIT, CODEC, COVERAGE, ENCODE, FILL,
                              FLETCHER, MAIN, PACK, PROFILES, RECORDS, ADLER, java_units, workload_units)


def measured(*profiles, coverage=(), units=None):
    loaded = evidence.load([str(path) for path in profiles], [str(path) for path in coverage])
    return evidence.measure(loaded, units if units is not None else java_units())


def only(result, metric, language="java"):
    found = [m for m in result.measurements if m.metric == metric and m.language == language]
    assert len(found) == 1, result.measurements
    return found[0]


# --- async-profiler ---------------------------------------------------------------------------

def test_async_profiler_cpu_shares_per_method_with_overloads_lambdas_and_native_frames():
    result = measured(PROFILES / "async-cpu.collapsed")
    assert result.errors == ()
    measurement = only(result, "cpu")
    assert measurement.sources[0].tool == "async-profiler collapsed"
    assert measurement.samples == 1000 and measurement.mapped_share == pytest.approx(0.9)
    runtime = result.runtime
    # descriptors pick the overload; an undecorated frame is spread over both (40 -> 20 + 20)
    assert runtime[CHECKSUM_BYTES].self_share == pytest.approx(0.52)
    assert runtime[CHECKSUM_LIMIT].self_share == pytest.approx(0.12)
    # the lambda counts for encode, once per stack; the JDK below it is library time
    assert runtime[ENCODE].self_share == pytest.approx(0.06)
    assert runtime[ENCODE].inclusive_share == pytest.approx(0.11)
    assert runtime[ENCODE].library_share == pytest.approx(50 / 110)
    # a nested class by its binary name; memset and a kernel page fault below it are native
    assert runtime[FILL].inclusive_share == pytest.approx(0.15) and runtime[FILL].self_share == 0
    assert runtime[FILL].native_share == pytest.approx(1.0)
    assert runtime[BUFFER].inclusive_share == pytest.approx(0.15)
    assert runtime[CODEC].inclusive_share == pytest.approx(0.9)
    assert runtime[APP_MAIN].inclusive_share == pytest.approx(0.9)
    assert runtime[APP_MAIN].native_share == pytest.approx(150 / 900)
    assert runtime[CHECKSUM_BYTES].alloc_share is None
    assert runtime[CHECKSUM_BYTES].source == "1,000 samples (async-profiler collapsed, " \
                                             f"{PROFILES / 'async-cpu.collapsed'})"
    assert [(f.frame, f.kind, round(f.share, 3)) for f in measurement.unmapped] == [
        ("org/vendor/Pool.take_[j]", "unknown", 0.06), ("G1ParScanThreadState::trim_queue", "native", 0.04)]


def test_async_profiler_allocation_profile_is_recognised_and_the_allocated_type_dropped():
    result = measured(PROFILES / "async-alloc.collapsed")
    assert result.errors == ()
    measurement = only(result, "alloc")
    assert measurement.sources[0].tool == "async-profiler collapsed (alloc)"
    assert [m.metric for m in result.measurements] == ["alloc"]
    runtime = result.runtime
    assert runtime[FILL].alloc_share == pytest.approx(0.6) and runtime[FILL].alloc_self_share == pytest.approx(0.6)
    # StringBuilder allocated in encode itself (outside a TLAB: _[k]); String inside toString
    assert runtime[ENCODE].alloc_share == pytest.approx(0.2)
    assert runtime[ENCODE].alloc_self_share == pytest.approx(0.05)
    assert runtime[APP_MAIN].alloc_share == pytest.approx(0.8)
    assert runtime[FILL].inclusive_share is None        # no CPU profile was given
    assert measurement.mapped_share == pytest.approx(0.8)
    assert [(f.frame, round(f.share, 2)) for f in measurement.unmapped] == [("org/vendor/Pool.take_[j]", 0.2)]


def test_async_profiler_twins_name_the_bad_line():
    result = measured(PROFILES / "async-cpu-malformed.collapsed", PROFILES / "async-alloc-truncated.collapsed",
                      PROFILES / "async-cpu.collapsed")
    messages = {error.path.rsplit("/", 1)[1]: error.message for error in result.errors}
    assert messages == {
        "async-cpu-malformed.collapsed": "line 2: not a collapsed stack (FRAME;FRAME COUNT); it ends "
                                         "'p.main_[j];com/parcel/Codec.checksum([BI)I_[j] 1OO'",
        "async-alloc-truncated.collapsed": "line 4: the file ends inside a stack line (truncated?)",
    }
    assert all(error.kind == "profile" for error in result.errors)
    # the good profile is still measured, alone: a broken file never counts in part
    assert only(result, "cpu").samples == 1000
    assert [m.metric for m in result.measurements] == ["cpu"]


# --- JFR ----------------------------------------------------------------------------------------

def test_jfr_printed_json_gives_cpu_and_allocation_shares():
    result = measured(PROFILES / "jfr-print.json")
    assert result.errors == ()
    cpu, alloc = only(result, "cpu"), only(result, "alloc")
    assert cpu.samples == 10 and cpu.mapped_share == 1.0
    assert alloc.sources[0].total == 5_000_000 and alloc.sources[0].unit == "bytes"
    runtime = result.runtime
    assert runtime[CHECKSUM_BYTES].self_share == pytest.approx(0.5)      # by descriptor ([B)I
    assert runtime[CHECKSUM_LIMIT].self_share == pytest.approx(0.3)      # 2 by descriptor, 1 by line 22
    assert runtime[ENCODE].self_share == pytest.approx(0.1)              # lambda$encode$0
    assert runtime[APP_MAIN].inclusive_share == 1.0
    assert runtime[APP_MAIN].native_share == pytest.approx(0.1)          # Thread.sleep, a native method
    assert runtime[FILL].alloc_share == pytest.approx(0.6)
    assert runtime[ENCODE].alloc_share == pytest.approx(0.2) and runtime[ENCODE].alloc_self_share == 0
    assert [(f.frame, f.kind) for f in alloc.unmapped] == [
        ("jdk.internal.misc.Unsafe.allocateUninitializedArray:1380", "library")]


def test_jfr_truncated_twin_is_one_line_and_a_binary_recording_says_how_to_print_it(tmp_path):
    binary = tmp_path / "rec.jfr"
    binary.write_bytes(b"FLR\x00\x00\x02\x00\x01" + bytes(64))
    result = measured(PROFILES / "jfr-print-truncated.json", binary)
    messages = sorted(error.message for error in result.errors)
    assert messages[0] == "a binary JFR recording: print it first with `jfr print --json FILE.jfr > FILE.json`"
    assert messages[1].startswith("the JSON ends inside an object at character ") and messages[1].endswith("(truncated?)")
    assert result.measurements == () and result.runtime == {}


# --- perf -----------------------------------------------------------------------------------

def test_perf_script_folds_stacks_and_counts_the_interpreter_as_the_python_frame():
    result = measured(PROFILES / "perf-script.txt", units=workload_units())
    assert result.errors == ()
    cpu = only(result, "cpu", "python")
    assert cpu.samples == 12 and cpu.mapped_share == pytest.approx(10 / 12)
    runtime = result.runtime
    # _PyEval_EvalFrameDefault above py::fletcher is fletcher running: its own time, not native
    assert runtime[FLETCHER].self_share == pytest.approx(0.5) and runtime[FLETCHER].native_share == 0
    assert runtime[ADLER].self_share == pytest.approx(2 / 12)
    assert runtime[PACK].inclusive_share == pytest.approx(1 / 12) and runtime[PACK].native_share == 1.0
    assert runtime[RECORDS].native_share == 1.0                          # a kernel page fault
    assert runtime[MAIN].inclusive_share == pytest.approx(10 / 12)
    assert [(f.frame, f.kind) for f in cpu.unmapped] == [
        ("do_syscall_64 ([kernel.kallsyms])", "native"),
        ("gc_collect_main (/usr/bin/python3.12)", "interpreter")]


def test_perf_twin_names_the_line_without_a_library():
    result = measured(PROFILES / "perf-script-malformed.txt", units=workload_units())
    assert [(e.kind, e.message) for e in result.errors] == [(
        "profile", "line 68: not a perf script frame (ADDRESS SYMBOL (DSO)): "
                   "'7f3a12340040 py::adler:/home/ci/parcel/parcel/checksum.py+0x2c'")]


# --- JaCoCo ---------------------------------------------------------------------------------

def test_jacoco_lines_branches_and_never_run_ranges_per_method():
    result = measured(coverage=[COVERAGE / "jacoco.xml"])
    assert result.errors == ()
    coverage = result.coverage
    limit = coverage[CHECKSUM_LIMIT]
    assert (limit.lines_run, limit.lines_total, limit.branches_run, limit.branches_total) == (0, 4, 0, 2)
    assert limit.never_run == ((21, 25),)
    assert limit.summary() == "0% of its lines run under tests, 0% of its branches; lines 21-25 never"
    assert coverage[CHECKSUM_BYTES].summary() == "100% of its lines run under tests, 100% of its branches"
    assert (coverage[ENCODE].lines_run, coverage[ENCODE].branch_share) == (5, 0.5)
    codec = coverage[CODEC]
    assert (codec.lines_run, codec.lines_total, codec.branches_run, codec.branches_total) == (13, 17, 3, 6)
    assert coverage[APP_MAIN].never_run == ((5, 14),) and coverage[APP_MAIN].line_share == 0
    assert coverage[FILL].source == f"JaCoCo XML, {COVERAGE / 'jacoco.xml'}"
    summary = result.coverage_summary
    assert (summary.files_total, summary.files_mapped, summary.unmapped_files) == (3, 2, ("org/vendor/Pool.java",))
    assert "java:src/test/java/com/parcel/CodecTest.java::CodecTest" not in coverage


def test_jacoco_twin_and_an_xml_bomb_are_refused_in_one_line():
    result = measured(coverage=[COVERAGE / "jacoco-truncated.xml", COVERAGE / "cobertura-entities.xml"])
    messages = [(e.kind, e.message) for e in result.errors]
    assert messages[0][0] == "coverage" and messages[0][1].startswith("malformed XML at line 1, column ")
    assert messages[0][1].endswith("the XML ends early (truncated?)")
    assert messages[1] == ("coverage", "the XML declares entities; coverage reports never do, so it is refused")
    assert result.coverage == {}


# --- recognition and bad input -------------------------------------------------------------

def test_formats_are_recognised_from_content_not_names(tmp_path):
    renamed = {"a.json": PROFILES / "async-cpu.collapsed", "b.txt": PROFILES / "jfr-print.json",
               "c.collapsed": PROFILES / "perf-script.txt", "d.prof": COVERAGE / "jacoco.xml",
               "e.xml": PROFILES / "async-alloc.collapsed"}
    for name, source in renamed.items():
        (tmp_path / name).write_bytes(source.read_bytes())
    loaded = evidence.load([tmp_path / n for n in ("a.json", "b.txt", "c.collapsed", "e.xml")], [tmp_path / "d.prof"])
    assert [s.format for s in loaded.profiles] == ["async-collapsed", "jfr-json", "perf-script", "async-collapsed-alloc"]
    assert [r.tool for r in loaded.coverage] == ["JaCoCo XML"] and loaded.errors == ()


def test_a_pyspy_profile_that_starts_with_an_idle_sample_is_still_pyspy(tmp_path):
    """py-spy writes samples with no Python frame (the process idle) as " N": seen on a loaded machine."""
    profile = tmp_path / "raw.txt"
    profile.write_text(" 4\n<module> (run.py:22);main (run.py:13);adler (parcel/checksum.py:17) 33\n"
                       "<module> (run.py:22);main (run.py:13);fletcher (parcel/checksum.py:7) 7\n")
    loaded = evidence.load([profile])
    assert [s.format for s in loaded.profiles] == ["pyspy-raw"] and loaded.errors == ()


@pytest.mark.parametrize("content, message", [
    (b"", "empty file"),
    (b"  \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a binary file, not a profile or coverage report we read"),
    (b"PERFILE2\x68\x00\x00\x00", "a binary perf.data file: convert it first with `perf script -i perf.data > perf.txt`"),
    (b"hello world\nthis is prose\n", "unknown profile format (expected py-spy raw or speedscope"),
    (b'{"name": "not a profile"}', "a JSON file in no format we read"),
    (b"<html><body>profile</body></html>", "an XML file whose root <html> is no format we read"),
])
def test_bad_profiles_give_one_line_naming_what_is_wrong(tmp_path, content, message):
    path = tmp_path / "given.out"
    path.write_bytes(content)
    loaded = evidence.load([path])
    assert loaded.profiles == () and len(loaded.errors) == 1
    error = loaded.errors[0]
    assert error.path == str(path) and error.kind == "profile" and error.message.startswith(message)
    assert "\n" not in error.message


def test_missing_folders_and_swapped_options_are_one_line_each(tmp_path):
    loaded = evidence.load([tmp_path / "absent.txt", tmp_path, COVERAGE / "jacoco.xml"],
                           [PROFILES / "async-cpu.collapsed"])
    assert [(e.kind, e.message) for e in loaded.errors] == [
        ("profile", "cannot read: No such file or directory"),
        ("profile", "is a folder, not a file"),
        ("profile", "is a coverage report (JaCoCo XML), not a profile: give it with --coverage"),
        ("coverage", "is a profile (async-profiler collapsed), not a coverage report: give it with --profile")]


def test_a_profile_of_other_code_says_it_maps_to_nothing():
    result = measured(PROFILES / "async-cpu.collapsed", units=workload_units())
    assert result.measurements == () and result.runtime == {}
    assert [(e.kind, e.message) for e in result.errors] == [(
        "profile", "no frame of its samples maps to a unit of this scan (largest: com/parcel/Codec.checksum([B)I_[j], "
                   "__memset_avx2_unaligned_erms, com/parcel/Codec.checksum([BI)I_[j]); is it a profile of this repository?")]
    assert result.sources[0].used is False and result.sources[0].mapped_share == 0


def test_statistics_files_with_code_objects_or_bad_shapes_are_refused(tmp_path):
    code = tmp_path / "code.prof"
    code.write_bytes(marshal.dumps({("a.py", 1, "f"): (1, 1, 0.1, 0.1, {}), ("b.py", 2, "g"): compile("1", "x", "eval")}))
    shape = tmp_path / "shape.prof"
    shape.write_bytes(marshal.dumps({("a.py", 1, "f"): (1, 1, 0.1)}))
    cut = tmp_path / "cut.prof"
    cut.write_bytes(marshal.dumps({("a.py", 1, "f"): (1, 1, 0.1, 0.1, {})})[:-9])
    result = measured(code, shape, cut, units=workload_units())
    messages = [e.message for e in result.errors]
    assert messages[0].startswith("type 'c' at offset ") and messages[0].endswith("(code objects are refused)")
    assert messages[1] == "not profiler statistics: the entry of 'f' is not (calls, calls, time, cumulative time, callers)"
    assert messages[2].startswith("truncated: needs ")


def test_several_profiles_of_one_language_weigh_the_same_whatever_their_length(tmp_path):
    long = tmp_path / "long.collapsed"
    long.write_text("com/parcel/App.main;com/parcel/Codec.checksum([B)I 9000\ncom/parcel/App.main;com/parcel/Codec.encode 1000\n")
    short = tmp_path / "short.collapsed"
    short.write_text("com/parcel/App.main;com/parcel/Codec.encode 10\n")
    result = measured(long, short)
    cpu = only(result, "cpu")
    assert cpu.samples == 10010 and [s.path for s in cpu.sources] == [str(long), str(short)]
    assert result.runtime[CHECKSUM_BYTES].inclusive_share == pytest.approx((0.9 + 0) / 2)
    assert result.runtime[ENCODE].inclusive_share == pytest.approx((0.1 + 1.0) / 2)
    assert cpu.combine.startswith("each profile weighs the same")
