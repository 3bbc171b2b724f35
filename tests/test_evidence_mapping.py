"""Frames to units, path matching, the sums per stack, and the safe readers' edges."""

from __future__ import annotations

import io
import json
import marshal
import tracemalloc

import pytest

from analyzer import evidence
from analyzer.evidence.frames import Frame, collapsed_frame, descriptor_params, pyspy_frame
from analyzer.evidence.mapping import UnitIndex
from analyzer.evidence.paths import PathMatcher
from analyzer.evidence.readers import jsonstream, safemarshal
from analyzer.model import CodeUnit
from evidence_support import PROFILES


def unit(uid: str, kind: str, start: int, end: int, parent: str | None = None) -> CodeUnit:
    language = "java" if uid.startswith("java:") else "python"
    path, _, qualname = uid.partition(":")[2].partition("::")
    name = qualname.rsplit(".", 1)[-1].split("(")[0] if qualname else path.rsplit("/", 1)[-1].split(".")[0]
    if kind == "function" and language == "java":
        name = qualname.split("(")[0].rsplit(".", 1)[-1]
    return CodeUnit(uid, kind, language, path, name, qualname, start, end, parent)


PY_UNITS = [
    unit("py:src/shop/codec.py", "module", 1, 80),
    unit("py:src/shop/codec.py::Codec", "class", 3, 30, "py:src/shop/codec.py"),
    unit("py:src/shop/codec.py::Codec.feed", "function", 5, 12, "py:src/shop/codec.py::Codec"),
    unit("py:src/shop/codec.py::Codec.size", "function", 15, 16, "py:src/shop/codec.py::Codec"),
    unit("py:src/shop/codec.py::Framer", "class", 32, 50, "py:src/shop/codec.py"),
    unit("py:src/shop/codec.py::Framer.feed", "function", 34, 40, "py:src/shop/codec.py::Framer"),
    unit("py:src/shop/codec.py::outer", "function", 52, 60, "py:src/shop/codec.py"),
    unit("py:src/shop/codec.py::outer.inner", "function", 53, 55, "py:src/shop/codec.py::outer"),
    unit("py:src/shop/a/util.py", "module", 1, 10),
    unit("py:src/shop/a/util.py::helper", "function", 2, 5, "py:src/shop/a/util.py"),
    unit("py:src/shop/b/util.py", "module", 1, 10),
    unit("py:src/shop/b/util.py::other", "function", 2, 5, "py:src/shop/b/util.py"),
    unit("py:prog.py", "module", 1, 10),
    unit("py:prog.py::go", "function", 2, 5, "py:prog.py"),
]
B = "java:core/src/main/java/com/foo/Bar.java"
JAVA_UNITS = [
    unit(B, "module", 1, 60),
    unit(f"{B}::Bar", "class", 3, 58, B),
    unit(f"{B}::Bar.run(int)", "function", 5, 9, f"{B}::Bar"),
    unit(f"{B}::Bar.run(String)", "function", 11, 20, f"{B}::Bar"),
    unit(f"{B}::Bar.put(Map,T[])", "function", 22, 25, f"{B}::Bar"),
    unit(f"{B}::Bar.Inner", "class", 30, 40, f"{B}::Bar"),
    unit(f"{B}::Bar.Inner.go()", "function", 31, 33, f"{B}::Bar.Inner"),
    unit("java:core/src/test/java/com/foo/Bar.java", "module", 1, 10),
    unit("java:core/src/test/java/com/foo/Bar.java::Bar", "class", 1, 10, "java:core/src/test/java/com/foo/Bar.java"),
    unit("java:src/main/java/Tool.java", "module", 1, 9),
    unit("java:src/main/java/Tool.java::Tool", "class", 1, 9, "java:src/main/java/Tool.java"),
]


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(PY_UNITS + JAVA_UNITS)


def own(index: UnitIndex, frame: Frame) -> tuple:
    return index.resolve(frame).own


# --- paths ----------------------------------------------------------------------------------

@pytest.mark.parametrize("recorded, expected", [
    ("/venv/lib/python3.12/site-packages/shop/codec.py", ("src/shop/codec.py",)),      # installed copy
    ("/venv/lib/python3.12/site-packages/requests/codec.py", ()),                        # someone else's
    ("/usr/lib/python3.12/codec.py", ()),                                                # the stdlib's
    ("/home/ci/build/src/shop/codec.py", ("src/shop/codec.py",)),                        # another root
    ("/home/ci/codec.py", ()),                                                           # a bare name
    ("C:\\build\\shop\\codec.py", ("src/shop/codec.py",)),
    ("shop/codec.py", ("src/shop/codec.py",)),                                           # py-spy, shortened
    ("other/codec.py", ()),
    ("util.py", ("src/shop/a/util.py", "src/shop/b/util.py")),                           # equally good
    ("/tmp/x/prog.py", ("prog.py",)),                                                    # top level
])
def test_paths_match_by_the_longest_suffix_with_a_floor(recorded, expected):
    matcher = PathMatcher([u.path for u in PY_UNITS])
    assert matcher.match(recorded) == expected


def test_a_path_under_the_scanned_root_matches_exactly():
    matcher = PathMatcher([u.path for u in PY_UNITS], root="/work/repo")
    assert matcher.match("/work/repo/src/shop/codec.py") == ("src/shop/codec.py",)
    assert matcher.match("/work/repo/shop/codec.py") == ()


# --- Python frames ----------------------------------------------------------------------------

@pytest.mark.parametrize("frame, expected", [
    (Frame("python", "Codec.feed", "shop/codec.py", 7), "py:src/shop/codec.py::Codec.feed"),
    (Frame("python", "feed", "shop/codec.py", 36), "py:src/shop/codec.py::Framer.feed"),      # co_name + line
    (Frame("python", "feed", "shop/codec.py", 4), "py:src/shop/codec.py::Codec.feed"),        # decorator line
    (Frame("python", "size", "shop/codec.py", 14), "py:src/shop/codec.py::Codec.size"),
    (Frame("python", "outer.<locals>.inner", "shop/codec.py", 54), "py:src/shop/codec.py::outer.inner"),
    (Frame("python", "Codec.feed.<locals>.<listcomp>", "shop/codec.py", 8), "py:src/shop/codec.py::Codec.feed"),
    (Frame("python", "<genexpr>", "shop/codec.py", 54), "py:src/shop/codec.py::outer.inner"),
    (Frame("python", "<module>", "shop/codec.py", 70), "py:src/shop/codec.py"),
    (Frame("python", "", "/srv/src/shop/codec.py", 38), "py:src/shop/codec.py::Framer.feed"),  # Scalene: a line
    (Frame("python", "helper", "util.py", 3), "py:src/shop/a/util.py::helper"),                # name decides
])
def test_python_frames_map_by_name_then_line(index, frame, expected):
    assert own(index, frame) == ((expected, 1.0),)


def test_python_frames_that_name_nothing_here_stay_unmapped(index):
    renamed = index.resolve(Frame("python", "decode", "shop/codec.py", 7))
    assert renamed.kind == "unknown" and renamed.own == ()          # the line alone would guess
    installed = index.resolve(Frame("python", "get", "/venv/lib/python3.12/site-packages/requests/api.py", 70))
    assert installed.kind == "library"
    assert index.resolve(Frame("python", "<module>", "<frozen importlib._bootstrap>", 1)).kind == "library"


def test_a_frame_counts_for_its_unit_and_every_unit_holding_it(index):
    resolution = index.resolve(Frame("python", "outer.<locals>.inner", "shop/codec.py", 54))
    assert resolution.held == (("py:src/shop/codec.py", 1.0), ("py:src/shop/codec.py::outer", 1.0),
                               ("py:src/shop/codec.py::outer.inner", 1.0))


# --- Java frames ----------------------------------------------------------------------------

def java(text: str) -> Frame:
    return collapsed_frame(text)


@pytest.mark.parametrize("text, expected", [
    ("com/foo/Bar$Inner.go_[j]", ((f"{B}::Bar.Inner.go()", 1.0),)),
    ("com.foo.Bar.run(I)I", ((f"{B}::Bar.run(int)", 1.0),)),                          # dotted, --sig
    ("com/foo/Bar.run(Ljava/lang/String;)I_[i]", ((f"{B}::Bar.run(String)", 1.0),)),
    ("com/foo/Bar.run:15_[j]", ((f"{B}::Bar.run(String)", 1.0),)),                    # --lines
    ("com/foo/Bar.run_[j]", ((f"{B}::Bar.run(String)", 0.5), (f"{B}::Bar.run(int)", 0.5))),
    ("com/foo/Bar.put(Ljava/util/Map;[Ljava/lang/Object;)V", ((f"{B}::Bar.put(Map,T[])", 1.0),)),
    ("com/foo/Bar.lambda$run$0:7", ((f"{B}::Bar.run(int)", 1.0),)),
    ("com/foo/Bar$1.call:17", ((f"{B}::Bar.run(String)", 1.0),)),                    # anonymous, by line
    ("com/foo/Bar$1.call", ((f"{B}::Bar", 1.0),)),
    ("com/foo/Bar.<clinit>_[0]", ((f"{B}::Bar", 1.0),)),
    ("Tool.main_[j]", (("java:src/main/java/Tool.java::Tool", 1.0),)),              # default package
])
def test_java_frames_map_by_class_then_method(index, text, expected):
    assert tuple(sorted(own(index, java(text)), key=lambda pair: pair[0], reverse=True)) == \
           tuple(sorted(expected, key=lambda pair: pair[0], reverse=True))


def test_java_frames_outside_the_scan(index):
    assert index.resolve(java("com/foo/Bar$$Lambda$14/0x0000000800c0b000.run_[j]")).own == ()
    assert index.resolve(java("java/util/HashMap.get_[j]")).kind == "library"
    assert index.resolve(java("org/acme/Bar.run_[j]")).kind == "unknown"              # no com/foo package
    assert index.resolve(java("__memmove_avx_unaligned_erms")).kind == "native"
    assert index.resolve(java("libjvm.so")).kind == "native"
    assert index.resolve(java("[main tid=7]")).kind == "ignored"


def test_frame_parsers_read_what_profilers_write():
    assert pyspy_frame("main.<locals>.<listcomp> (run.py:17)") == Frame("python", "main.<locals>.<listcomp>",
                                                                          "run.py", 17, label="main.<locals>.<listcomp> (run.py:17)")
    assert pyspy_frame("checksum (pkg/a.py)").line == 0                             # --nolineno
    assert pyspy_frame("0x7ff36924524a (/usr/lib/x86_64-linux-gnu/libc.so.6)").kind == "native"
    assert pyspy_frame("long_add (/b/Python-3.12.1/Objects/longobject.c:3412)").kind == "interpreter"
    assert pyspy_frame("thread (0x7F2A3C1B9740)").kind == "meta"
    assert collapsed_frame("byte[]_[i]", alloc=True).kind == "type"
    assert collapsed_frame("java.lang.String.hashCode_[i]", alloc=True).kind == "java"
    assert descriptor_params("([[ILjava/util/Map$Entry;JZ)V") == ("int[][]", "Entry", "long", "boolean")
    assert descriptor_params("(Ljava/lang/String") is None


# --- sums per stack ---------------------------------------------------------------------------

def measure_text(tmp_path, text: str, units=PY_UNITS):
    path = tmp_path / "stacks.txt"
    path.write_text(text)
    return evidence.measure(evidence.load([path]), units)


def test_recursion_counts_once_per_stack_and_self_is_the_innermost_frame(tmp_path):
    result = measure_text(tmp_path, "<module> (shop/codec.py:70);Codec.feed (shop/codec.py:7);"
                                    "Codec.feed (shop/codec.py:8);Codec.feed (shop/codec.py:9) 3\n"
                                    "<module> (shop/codec.py:70);Codec.size (shop/codec.py:15) 1\n")
    runtime = result.runtime
    assert runtime["py:src/shop/codec.py::Codec.feed"].inclusive_share == pytest.approx(0.75)
    assert runtime["py:src/shop/codec.py::Codec.feed"].self_share == pytest.approx(0.75)
    assert runtime["py:src/shop/codec.py::Codec"].inclusive_share == 1.0
    assert runtime["py:src/shop/codec.py::Codec"].self_share == 0
    assert runtime["py:src/shop/codec.py"].inclusive_share == 1.0
    assert runtime["py:src/shop/a/util.py::helper"].inclusive_share == 0        # measured cold
    assert "java:src/main/java/Tool.java::Tool" not in runtime                  # no Java profile given


def test_cprofile_tallies_bound_inclusive_time_of_holders_from_below(tmp_path):
    stats = {("/x/src/shop/codec.py", 5, "feed"): (2, 2, 1.0, 3.0, {}),
             ("/x/src/shop/codec.py", 15, "size"): (1, 1, 2.0, 2.0, {("/x/src/shop/codec.py", 5, "feed"): (1, 1, 2.0, 2.0)}),
             ("~", 0, "<built-in method zlib.compress>"): (1, 1, 1.0, 1.0, {("/x/src/shop/codec.py", 15, "size"): (1, 1, 1.0, 1.0)})}
    path = tmp_path / "run.prof"
    path.write_bytes(marshal.dumps(stats))
    runtime = evidence.measure(evidence.load([path]), PY_UNITS).runtime
    assert runtime["py:src/shop/codec.py::Codec.feed"].inclusive_share == pytest.approx(0.75)     # 3 s of 4
    assert runtime["py:src/shop/codec.py::Codec.size"].native_share == pytest.approx(0.5)         # zlib: 1 s of 2
    assert runtime["py:src/shop/codec.py::Codec"].inclusive_share == pytest.approx(0.75)          # max(3, 1 + 2)


# --- streaming and the safe decoders -------------------------------------------------------

def test_a_long_profile_streams_in_memory_that_does_not_grow_with_its_length(tmp_path):
    path = tmp_path / "long.txt"
    lines = [f"<module> (shop/codec.py:70);Codec.feed (shop/codec.py:{5 + i % 8});helper (util.py:3) {i % 7 + 1}\n"
             for i in range(64)]
    with open(path, "w") as out:
        for _ in range(3000):
            out.writelines(lines)                # 192,000 stacks, 9 MB, 8 distinct stacks
    assert path.stat().st_size > 8_000_000
    loaded = evidence.load([path])
    tracemalloc.start()
    result = evidence.measure(loaded, PY_UNITS)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 3_000_000, f"{peak:,} bytes traced while streaming"
    assert result.measurements[0].samples == 3000 * sum(i % 7 + 1 for i in range(64))


def test_the_json_stream_decodes_events_across_any_chunk_boundary(monkeypatch):
    text = (PROFILES / "jfr-print.json").read_text()
    expected = json.loads(text)["recording"]["events"]
    for chunk in (1, 7, 4096):
        monkeypatch.setattr(jsonstream, "CHUNK", chunk)
        assert list(jsonstream.iter_array(io.StringIO(text), "events")) == expected


@pytest.mark.parametrize("value", [{("a.py", 1, "f"): (1, 2, 0.5, 1.5, {("b.py", 2, "g"): (1, 1, 0.1, 0.2)})},
                                   -(2 ** 90), 3.25, "é" * 300, ("x",) * 300, {}])
def test_the_safe_marshal_reader_agrees_with_marshal_on_the_allowed_types(value):
    for version in (2, 3, 4):
        assert safemarshal.loads(marshal.dumps(value, version)) == value


@pytest.mark.parametrize("value, message", [
    (b"bytes", "type 's' at offset 0 is not allowed"),
    (None, "type 'N' at offset 0 is not allowed"),
    ([1, 2], "type '[' at offset 0 is not allowed"),
    (frozenset({1}), "type '>' at offset 0 is not allowed"),
    (2 ** 2000, "integer of 134 digits"),
    ((((((((((((1,),),),),),),),),),),), "nested deeper than 8 levels"),
])
def test_the_safe_marshal_reader_refuses_everything_else(value, message):
    with pytest.raises(safemarshal.MarshalError, match=message.replace("(", r"\(").replace("[", r"\[")):
        safemarshal.loads(marshal.dumps(value))


def test_a_component_counts_a_stack_once_however_many_members_are_on_it(tmp_path):
    groups = {"component:shop": [u.id for u in PY_UNITS if u.path.startswith("src/shop/")],
              "component:util-a": ["py:src/shop/a/util.py", "py:src/shop/a/util.py::helper"],
              "py:src/shop/codec.py::Codec": ["py:src/shop/codec.py::Codec", "py:src/shop/codec.py::Codec.feed"]}
    path = tmp_path / "stacks.txt"
    path.write_text("<module> (shop/codec.py:70);Codec.feed (shop/codec.py:7);helper (a/util.py:3) 6\n"
                    "<module> (shop/codec.py:70);Codec.size (shop/codec.py:15) 2\n"
                    "go (/tmp/prog.py:3) 2\n")
    runtime = evidence.measure(evidence.load([path]), PY_UNITS, groups=groups).runtime
    shop = runtime["component:shop"]
    assert shop.inclusive_share == pytest.approx(0.8)                      # not 0.8 + 0.6 + 0.6 + ...
    assert shop.self_share == pytest.approx(0.8)                           # its members' own time
    assert runtime["component:util-a"].inclusive_share == pytest.approx(0.6)
    assert runtime["component:util-a"].self_share == pytest.approx(0.6)
    # a group named like a unit is that unit: nothing is counted twice
    assert runtime["py:src/shop/codec.py::Codec"].inclusive_share == pytest.approx(0.8)
    assert runtime["py:src/shop/codec.py::Codec.feed"].self_share == 0
    assert runtime["py:src/shop/a/util.py::helper"].self_share == pytest.approx(0.6)


def test_flushing_groups_early_changes_no_figure(monkeypatch):
    from analyzer.evidence import aggregate
    from evidence_support import java_units
    profiles = [PROFILES / "async-cpu.collapsed", PROFILES / "async-alloc.collapsed", PROFILES / "jfr-print.json"]
    at_end = evidence.measure(evidence.load(profiles), java_units())
    monkeypatch.setattr(aggregate, "FLUSH_AT", 1)
    every_stack = evidence.measure(evidence.load(profiles), java_units())
    assert every_stack.runtime.keys() == at_end.runtime.keys()
    for unit_id, runtime in at_end.runtime.items():
        for field in ("self_share", "inclusive_share", "native_share", "library_share", "alloc_share"):
            assert getattr(every_stack.runtime[unit_id], field) == pytest.approx(getattr(runtime, field)), (unit_id, field)
    assert every_stack.measurements == at_end.measurements


def test_a_reader_failing_in_an_unforeseen_way_is_still_one_line(tmp_path, monkeypatch):
    from analyzer.evidence.readers import collapsed

    def broken(path):
        raise RecursionError("maximum recursion depth exceeded\nwhile reading")
    monkeypatch.setattr(collapsed, "read_async", broken)
    result = evidence.measure(evidence.load([PROFILES / "async-cpu.collapsed"]), PY_UNITS)
    assert [(e.kind, e.message) for e in result.errors] == [
        ("profile", "could not be read (RecursionError: maximum recursion depth exceeded while reading); please report this")]
