"""Native twins: native code the repository already has (C, Cython, Rust extensions, JNI) is
found from its sources and build files, read as text, matched to the units it stands in for,
and reported in the summary, the candidates and explain, never in a score."""

from __future__ import annotations

import json

from jsonschema import validate

from analyzer.inventory.native import native_sources
from conftest import SCHEMA, run_cli, scan_json

PURE = ("def _escape(s):\n    out = []\n    for ch in s:\n        out.append('&amp;' if ch == '&' else ch)\n"
        "    return ''.join(out)\n")
INIT = ("try:\n    from ._fast import _escape\nexcept ImportError:\n    from ._pure import _escape\n\n\n"
        "def escape(s):\n    return _escape(s)\n")
FILES = {
    "setup.py": ("from setuptools import Extension, setup\n\n"
                 "setup(ext_modules=[Extension('glyph._fast', sources=['src/glyph/_fast.c']),\n"
                 "                   Extension('glyph._gone', ['src/glyph/_gone.c'])])\n"),
    "src/glyph/__init__.py": INIT,
    "src/glyph/_pure.py": PURE,
    "src/glyph/_fast.c": "#include <Python.h>\nPyMODINIT_FUNC PyInit__fast(void) { return NULL; }\n",
    "src/glyph/wire.py": "def pack(xs):\n    return bytes(x & 255 for x in xs)\n",
    "src/glyph/wire.pyx": "def pack(xs):\n    return bytes(xs)\n",
    "rs/Cargo.toml": "[package]\nname = \"glyph-rs\"\n\n[lib]\nname = \"glyph_rs\"\n\n[dependencies]\npyo3 = \"0.22\"\n",
    "rs/src/lib.rs": "use pyo3::prelude::*;\n\n#[pymodule]\nfn glyph_rs(m: &Bound<'_, PyModule>) -> PyResult<()> { Ok(()) }\n",
    "jni/codec.c": ("#include <jni.h>\nJNIEXPORT jint JNICALL Java_com_acme_zip_Native_1Codec_compress"
                    "(JNIEnv *env, jclass c) { return 0; }\n"),
}


def write(tmp_path, files):
    for path, text in files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def test_native_code_is_found_from_sources_and_build_files(tmp_path):
    root = write(tmp_path, FILES)
    found = {(s.target, s.name): (s.language, s.sources, s.declared_in) for s in native_sources(root, sorted(FILES))}
    assert found == {
        ("python", "glyph._fast"): ("C", ("src/glyph/_fast.c",), "setup.py"),   # _gone.c is not there: nothing
        ("python", "glyph.wire"): ("Cython", ("src/glyph/wire.pyx",), None),
        ("python", "glyph_rs"): ("Rust", ("rs/src/lib.rs",), "rs/Cargo.toml"),
        ("java", "com.acme.zip.Native_Codec"): ("C", ("jni/codec.c",), None),   # `_1` is an underscore
    }


def test_twins_are_reported_and_never_scored(tmp_path):
    with_twins = scan_json(write(tmp_path / "a", FILES))
    without = scan_json(write(tmp_path / "b", {p: t for p, t in FILES.items() if p.endswith(".py")}))
    validate(with_twins, json.loads(SCHEMA.read_text()))
    [fast, wire] = with_twins["summary"]["native_twins"]
    assert (fast["module"], fast["backs"]) == ("glyph._fast", ["py:src/glyph/__init__.py",
                                                               "py:src/glyph/_pure.py::_escape"])
    assert (wire["module"], wire["backs"]) == ("glyph.wire", ["py:src/glyph/wire.py"])
    marked = {c["id"]: c.get("native_twins") for c in with_twins["candidates"] if c.get("native_twins")}
    assert marked["py:src/glyph/_pure.py::_escape"] == ["src/glyph/_fast.c"]
    assert "py:src/glyph/__init__.py::escape" not in marked   # it calls the pure code; nothing stands in for it
    scored = lambda doc: [(c["id"], c["score"], c["verdict"], c["reason"]) for c in doc["candidates"]]
    assert scored(with_twins) == scored(without)
    assert "native_twins" not in without["summary"]


def test_explain_says_a_native_twin_exists(tmp_path):
    root = write(tmp_path, FILES)
    code, out, err = run_cli("explain", "_pure.py::_escape", str(root), "--no-cache")
    assert code == 0, err
    assert "Has a native twin: src/glyph/_fast.c" in " ".join(out.split())
