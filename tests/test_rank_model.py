"""The issue-10 ranking model: names never matter, and traffic through bound names counts.
The sources are written here (not under fixtures/) so the renaming below can rewrite them."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from analyzer import pipeline
from analyzer.config import Config
from analyzer.infra.clock import Clock
from analyzer.model import GroupKind, SourceFile
from analyzer.parse.java import parse_file
from analyzer.pipeline.survey import survey
from conftest import write_files

SOURCES = {
    "pkg/__init__.py": "from .wire.codec import checksum, encode\n",
    "pkg/wire/__init__.py": "",
    "pkg/wire/framing.py": '''
from .codec import checksum


class Frame:
    def __init__(self, body):
        self.body = body

    def pack(self):
        return {"body": self.body, "sum": checksum(self.body)}
''',
    "pkg/report.py": '''
def summary(rows):
    return {"rows": len(rows)}
''',
    "pkg/wire/codec.py": '''
def checksum(data: bytes) -> int:
    total = 0
    for byte in data:
        total = (total * 31 + byte) & 0xFFFFFFFF
        total ^= total >> 7
    return total


def _encode_slow(data: bytes) -> bytes:
    out = bytearray()
    for i in range(len(data)):
        value = data[i]
        if value < 0x80:
            out.append(value)
        else:
            out.append(0xC0 | (value >> 6))
            out.append(0x80 | (value & 0x3F))
    return bytes(out)


encode = _encode_slow
''',
    "pkg/service.py": '''
from .wire.codec import checksum, encode
from .wire.framing import Frame


def handle(frames):
    results = []
    for frame in frames:
        results.append((checksum(frame), encode(frame), Frame(frame).pack()))
    return results


def describe(config):
    return "service " + str(config)
''',
    "pkg/settings.py": '''
DEFAULTS = {"level": 3}


def load(path):
    with open(path) as handle:
        return handle.read()
''',
}
NAMES = {"pkg": "zz", "wire": "d1", "framing": "m4", "Frame": "C1", "pack": "f7", "report": "m5",
         "summary": "f8", "codec": "m1", "service": "m2", "settings": "m3", "checksum": "f1",
         "_encode_slow": "f2", "encode": "f3", "handle": "f4", "describe": "f5", "load": "f6"}


def _scan(root: Path, sources: dict[str, str]) -> list[tuple[str, float, str]]:
    report = pipeline.run(Config(path=write_files(root, sources), cache=False, jobs=1))
    return [(c.id, c.score, c.verdict.value) for c in report.candidates]


def _renamed(text: str) -> str:
    return re.sub(r"\b(" + "|".join(map(re.escape, NAMES)) + r")\b", lambda m: NAMES[m.group(1)], text)


def test_neutral_names_give_the_same_order_and_scores(tmp_path):
    before = _scan(tmp_path / "a", SOURCES)
    after = _scan(tmp_path / "b", {_renamed(p): _renamed(t) for p, t in SOURCES.items()})
    assert {_renamed(i): (s, v) for i, s, v in before} == {i: (s, v) for i, s, v in after}
    ranked = [_renamed(i) for i, s, _ in before if s > 0]     # zero scores tie; ids break ties
    assert ranked == [i for i, s, _ in after if s > 0] and len(ranked) >= 8


def test_a_function_reached_only_through_a_bound_name_has_traffic(tmp_path):
    found = {i: s for i, s, _ in _scan(tmp_path, SOURCES)}
    slow, glue = found["py:pkg/wire/codec.py::_encode_slow"], found.get("py:pkg/service.py::describe", 0.0)
    assert slow > glue
    kernels = sorted(found, key=lambda i: -found[i])[:4]
    assert "py:pkg/wire/codec.py::_encode_slow" in kernels and "py:pkg/wire/codec.py::checksum" in kernels


JAVA_FILES = {   # two files that loop, one of declarations (with a nested class)
    f"src/main/java/p/{name}.java": f"package p;\n\npublic class {name} {{\n{body}}}\n"
    for name, body in (
        ("Crc", "    public int update(byte[] b, int n) {\n        int c = 0;\n"
                "        for (int i = 0; i < n; i++) { c = (c >>> 8) ^ b[i]; }\n        return c;\n    }\n"),
        ("Lines", "    public int count(String s) {\n        int n = 0;\n"
                  "        for (char c : s.toCharArray()) { if (c == '\\n') { n++; } }\n        return n;\n    }\n"),
        ("Settings", "    private String name;\n    public String name() { return name; }\n"
                     "    static class Entry { int key; }\n"))}


def test_every_java_file_that_loops_has_a_candidate_however_many_classes_rank_above_it(monkeypatch):
    shortlist = importlib.import_module("analyzer.score.shortlist")   # the module, not the function
    monkeypatch.setitem(shortlist._LIMITS, GroupKind.CLASS, 1)   # as if a thousand classes ranked above them
    catalog, rules = pipeline.load_rules(Config(Path(".")))
    parsed = tuple(parse_file(SourceFile(p, "java", len(t), ""), t.encode()) for p, t in sorted(JAVA_FILES.items()))
    code = survey(parsed, catalog, rules, Clock())
    chosen = {g.id for g in code.shortlist if g.kind == GroupKind.CLASS}
    top = "java:src/main/java/p/{0}.java::{0}"
    assert {top.format("Crc"), top.format("Lines")} <= chosen
    assert not {top.format("Settings"), top.format("Settings") + ".Entry"} & chosen   # a getter: no work
    why = shortlist.passed_over(code.groups, code.code, code.intensities, code.shortlist)
    assert why[top.format("Settings")].startswith("cold on static evidence: ≈")


KERNEL_FILES = {   # a table-driven checksum (a bit-level kernel) and a near miss: a sum with one mask
    f"src/main/java/p/{name}.java": f"package p;\n\npublic class {name} {{\n    static final int[] T = new int[256];\n{body}}}\n"
    for name, body in (
        ("Crc", "    public int update(byte[] b, int n) {\n        int c = ~0;\n"
                "        for (int i = 0; i < n; i++) { c = (c >>> 8) ^ T[(c ^ b[i]) & 0xff]; }\n"
                "        return ~c;\n    }\n"),
        ("Total", "    public long total(int[] v, int n) {\n        long s = 0;\n"
                  "        for (int i = 0; i < n; i++) { s += v[i] * 3 + i - (s > 9 ? 1 : 0); }\n"
                  "        return s & 0xffff;\n    }\n"))}


def test_a_bit_level_kernel_gains_as_one_and_a_sum_with_a_mask_does_not():
    catalog, rules = pipeline.load_rules(Config(Path(".")))
    parsed = tuple(parse_file(SourceFile(p, "java", len(t), ""), t.encode()) for p, t in sorted(KERNEL_FILES.items()))
    code = survey(parsed, catalog, rules, Clock())
    method = "java:src/main/java/p/{0}.java::{0}.{1}"
    crc, total = code.intensity[method.format("Crc", "update(byte[],int)")], code.intensity[method.format("Total", "total(int[],int)")]
    assert set(crc.by_kind) == {"bits"} and crc.core_speedup == pytest.approx(catalog.costs.gain("java", "bits"))
    assert {"compute", "memory"} <= set(total.by_kind) and total.core_speedup < 2


def test_explain_says_why_a_kernel_gains_as_one(tmp_path):
    report = pipeline.run(Config(path=write_files(tmp_path, KERNEL_FILES), cache=False, jobs=1))
    crc = next(c for c in report.candidates if c.id == "java:src/main/java/p/Crc.java::Crc.update(byte[],int)")
    gain = next(f for f in crc.factors if f.name == "native_gain")
    assert gain.evidence[0].what == ("bits work gains 4x (kernels, units whose bits, compute and memory work is at "
                                     "least 33% bits, count their compute and memory work here too)")
    assert gain.evidence[0].value == 1
