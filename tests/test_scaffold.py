"""`rustscout scaffold`: what it generates from a scanned candidate, without building it.

The bytekit fixture (fixtures/git/scaffold-bytekit.yaml) is scanned once with the real CLI;
tests/test_scaffold_build.py builds what is generated here.
"""

from __future__ import annotations

import io
import json

import pytest

from analyzer.model.scaffold import DeclaredParam
from analyzer.scaffold import Options, generate, pysource, pytypes
from analyzer.cli.scaffold import command, command_from_document
from analyzer.errors import ScanError
from analyzer.scaffold.errors import ScaffoldError
from analyzer.scaffold.render_java import jni_symbol
from conftest import scan_json, write_files
from scaffold_helpers import bytekit, candidate, files

MASK = "py:bytekit/mask.py"
FLETCHER_JAVA = "java:java/src/main/java/org/bytekit/Checksums.java::Checksums.fletcher16(byte[],int)"


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return bytekit(tmp_path_factory.mktemp("scaffold"))


def made(scanned, unit_id, **options):
    repo, doc = scanned
    return generate(candidate(doc, unit_id), repo, Options(head=doc["repo"]["head"], **options))


@pytest.mark.parametrize("annotation, arg17, arg_bound, ret", [
    ("bytes", "&[u8]", "&[u8]", "Py<PyBytes>"),
    ("int", "i64", "i64", "i64"),
    ("str", "&str", "&str", "String"),
    ("float", "f64", "f64", "f64"),
    ("bool", "bool", "bool", "bool"),
    ("list[int]", "Vec<i64>", "Vec<i64>", "Vec<i64>"),
    ("dict[str, int]", "HashMap<String, i64>", "HashMap<String, i64>", "HashMap<String, i64>"),
    ("Optional[int]", "Option<i64>", "Option<i64>", "Option<i64>"),
    ("int | None", "Option<i64>", "Option<i64>", "Option<i64>"),
    ("typing.List[bytes]", "Vec<Vec<u8>>", "Vec<Vec<u8>>", "Vec<Py<PyBytes>>"),
    ("bytearray", "&PyByteArray", "&Bound<'py, PyByteArray>", "Py<PyByteArray>"),
    ("memoryview", "PyBuffer<u8>", "PyBuffer<u8>", "Py<PyAny>"),
    ("list[tuple[int, int, list[int]]]", "Vec<(i64, i64, Vec<i64>)>", "Vec<(i64, i64, Vec<i64>)>",
     "Vec<(i64, i64, Vec<i64>)>"),
    ("Frame", "&PyAny", "&Bound<'py, PyAny>", "Py<PyAny>"),
    (None, "&PyAny", "&Bound<'py, PyAny>", "Py<PyAny>"),
    ("Union[int, str]", "&PyAny", "&Bound<'py, PyAny>", "Py<PyAny>"),
])
def test_type_mapping(annotation, arg17, arg_bound, ret):
    t = pytypes.parse(annotation)
    assert (pytypes.rust(t, "0.17"), pytypes.rust(t, "bound"), pytypes.rust(t, "0.17", "ret")) == (arg17, arg_bound, ret)
    opaque = annotation in ("Frame", None, "Union[int, str]")
    assert pytypes.note(t).startswith("TODO: ") is opaque


def test_declarations_are_read_exactly_from_the_source(scanned):
    repo, _ = scanned
    file = pysource.load(repo, "bytekit/mask.py")
    sums = pysource.declare(file, f"{MASK}::window_sums", "window_sums")
    assert sums.params == (DeclaredParam("values", "list[int]"), DeclaredParam("width", "int"),
                           DeclaredParam("limit", "Optional[int]", "keyword_only", "None"))
    assert sums.signature == ("window_sums(values: list[int], width: int, *, limit: Optional[int] = None)"
                              " -> dict[str, int]")
    mask = pysource.declare(file, f"{MASK}::xor_mask", "xor_mask")
    source = (repo / "bytekit/mask.py").read_text().splitlines()
    assert source[mask.lines[0] - 1].startswith("def xor_mask(") and source[mask.lines[1] - 1].strip() == "return bytes(out)"
    assert mask.docstring.startswith("Mask data with key, repeating the key") and mask.module == "bytekit.mask"
    feed = pysource.declare(pysource.load(repo, "bytekit/stream.py"), "x", "Unmasker.feed")
    assert (feed.role, feed.owner, feed.modifiers, feed.reads) == ("method", "Unmasker", ("mutates_self",),
                                                                   ("key", "offset"))


def test_the_mapped_signature_is_a_json_record(scanned):
    scaffold = made(scanned, MASK, pyo3="0.17")
    record = next(s for s in scaffold.signatures if s.entry.endswith("::xor_mask")).to_json()
    assert record == {
        "entry": f"{MASK}::xor_mask", "binding": "pyo3-0.17", "source": "xor_mask(data: bytes, key: bytes) -> bytes",
        "rust": "fn xor_mask(py: Python<'_>, data: &[u8], key: &[u8]) -> PyResult<Py<PyBytes>>",
        "params": [{"name": "data", "source": "bytes", "rust": "&[u8]", "note": ""},
                   {"name": "key", "source": "bytes", "rust": "&[u8]", "note": ""}],
        "returns": {"name": "return", "source": "bytes", "rust": "Py<PyBytes>", "note": ""}, "opaque": []}
    meta = json.loads(files(scaffold)["rustscout-scaffold.json"])
    assert [s["entry"] for s in meta["signatures"]] == [f"{MASK}::fletcher16", f"{MASK}::window_sums",
                                                        f"{MASK}::xor_mask"]
    assert meta["first_cut"] is None and meta["hazards"] == []


def test_pyo3_017_project_mirrors_the_boundary_with_links_back(scanned):
    repo, doc = scanned
    out = files(made(scanned, MASK, pyo3="0.17"))
    assert sorted(out) == [".gitignore", "Cargo.toml", "README.md", "bench/bench_native.py", "pyproject.toml",
                           "rustscout-scaffold.json", "shim/mask_shim.py", "src/lib.rs", "tests/test_differential.py"]
    lib = out["src/lib.rs"]
    head = doc["repo"]["head"][:10]
    assert f"// Source: bytekit/mask.py:6-15 (commit {head}) ({MASK}::xor_mask)" in lib
    assert "/// Mask data with key, repeating the key over the whole buffer." in lib
    assert '#[pyfunction(data, seed = "0")]' in lib
    assert '#[pyfunction(values, width, "*", limit = "None")]' in lib
    assert '    Err(not_ported("xor_mask", "bytekit/mask.py:6"))' in lib
    assert '    // "xor_mask",' in lib and "fn mask_rs(_py: Python<'_>, m: &PyModule)" in lib
    assert 'pyo3 = { version = "0.17", features = ["extension-module"] }' in out["Cargo.toml"]
    assert 'module-name = "mask_rs"' in out["pyproject.toml"]
    assert '    "xor_mask": ("bytekit.mask", "xor_mask"),' in out["shim/mask_shim.py"]
    assert 'FORCE_PURE = os.environ.get("MASK_RS_PURE", "") not in ("", "0")' in out["shim/mask_shim.py"]
    gain = next(f["value"] for f in candidate(doc, MASK)["factors"] if f["name"] == "native_gain")
    assert f"ESTIMATE = {gain:g}\n" in out["bench/bench_native.py"]
    assert all(str(repo) not in text for text in out.values()), "an absolute path leaked into the scaffold"


def test_differential_test_strategies_follow_the_signatures(scanned):
    test = files(made(scanned, MASK, pyo3="0.17"))["tests/test_differential.py"]
    assert ('@needs("window_sums")\n@EXAMPLES\n@given(values=st.lists(I64, max_size=32),\n       width=I64,\n'
            '       limit=st.none() | I64)\ndef test_window_sums(values, width, limit):\n'
            '    assert_same(shim.pure("window_sums"), shim.native.window_sums, [values, width], {"limit": limit})'
            ) in test
    assert "@given(data=st.binary(max_size=256),\n       key=st.binary(max_size=256))" in test


def test_current_generation_uses_the_bound_api(scanned):
    lib = files(made(scanned, MASK))["src/lib.rs"]
    assert "#[pyo3(signature = (values, width, *, limit = None))]" in lib
    assert "fn window_sums<'py>(py: Python<'py>, values: Vec<i64>, width: i64, limit: Option<i64>)" in lib
    assert "fn mask_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {" in lib
    assert 'pyo3 = { version = "0.29"' in files(made(scanned, MASK))["Cargo.toml"]


def test_a_class_becomes_a_pyclass_with_every_public_method(scanned):
    lib = files(made(scanned, "py:bytekit/stream.py::Unmasker", pyo3="0.17"))["src/lib.rs"]
    assert "#[pyclass]\nstruct Unmasker {" in lib
    assert "    // key: Vec<u8>,    // bytes\n    // offset: i64,    // int" in lib
    assert '    #[new]\n    #[allow(unused_variables)]\n    #[args(key, offset = "0")]\n' \
           "    fn new(py: Python<'_>, key: &[u8], offset: i64) -> PyResult<Self> {" in lib
    assert "    fn feed(&mut self, py: Python<'_>, chunk: &[u8]) -> PyResult<Py<PyBytes>> {" in lib
    assert "    fn position(&self, py: Python<'_>) -> PyResult<i64> {" in lib   # not an entry point, still needed
    shim = files(made(scanned, "py:bytekit/stream.py::Unmasker"))["shim/unmasker_shim.py"]
    assert "NEEDS = {\n    \"Unmasker\": ('Unmasker.feed', 'Unmasker.position', ),\n}" in shim


def test_an_entangled_boundary_says_so_at_the_top_with_the_first_cut(scanned):
    scaffold = made(scanned, "py:bytekit/hooks.py::run_hooks")
    out = files(scaffold)
    cut = "replace the call back to `accepts` on an object of unknown type with data passed in, or move it inside"
    assert scaffold.first_cut == cut
    assert out["README.md"].splitlines()[4] == ("> **Cut first: this boundary passes callbacks into the host language, "
                                                "shared state and arbitrary objects.** A port behind it as it stands pays a crossing "
                                                "for each of them, or cannot work at all: the stubs mirror the boundary "
                                                "only to show where it is.")
    assert f"> Smallest cut to make first: **{cut}**." in out["README.md"]
    assert out["src/lib.rs"].splitlines()[2] == ("//! WARNING: this boundary passes callbacks into the host language, "
                                                 "shared state and arbitrary objects.")
    assert f"# Smallest cut to make first: {cut}." in out["shim/run_hooks_shim.py"]
    assert "hooks: &Bound<'py, PyAny>, on_done: Option<&Bound<'py, PyAny>>" in out["src/lib.rs"]
    kinds = [h.kind for h in scaffold.hazards]
    # the verdict first (a cold function: measure before porting), then each crossing; _SEEN is
    # bytekit.hooks' own counter, bumped inside the loop: a port of run_hooks alone must reach it
    assert kinds == ["verdict", "callback", "callback", "shared-state", "object", "object"]
    assert scaffold.hazards[3].cut == "make bytekit.hooks._SEEN owned by the port or passed in explicitly"
    assert "todo('run_hooks', 'hooks', 'no annotation')" in out["tests/test_differential.py"]


def test_shared_state_and_callbacks_of_the_sample_engine(sample_repo, sample_report):
    engine = candidate(sample_report, "py:tidewater/rules/engine.py::RuleEngine")
    scaffold = generate(engine, sample_repo, Options(pyo3="0.17"))
    hazards = {(h.kind, h.cut) for h in scaffold.hazards}
    assert ("shared-state", "make tidewater.rules.engine._STATS owned by the port or passed in explicitly") in hazards
    cuts = engine["plan"]["cut"] if engine["plan"] else [h.cut for h in scaffold.hazards if h.kind == "callback"]
    assert scaffold.first_cut == cuts[0]
    assert "shared state" in files(scaffold)["README.md"].splitlines()[4]


def test_a_method_alone_takes_its_instance_as_an_argument(scanned):
    scaffold = made(scanned, "py:bytekit/stream.py::Unmasker.feed", pyo3="0.17")
    lib = files(scaffold)["src/lib.rs"]
    assert "fn unmasker_feed(py: Python<'_>, instance: &PyAny, chunk: &[u8]) -> PyResult<Py<PyBytes>> {" in lib
    assert scaffold.first_cut == "pass what it reads (self.key, self.offset) in as arguments"


def test_refuses_a_non_empty_folder_and_the_repository(scanned, tmp_path):
    repo, doc = scanned
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ScaffoldError, match=r"out: not empty; pass --force to write into it") as caught:
        command(candidate(doc, MASK), repo, out, stream=io.StringIO())
    assert "\n" not in str(caught.value) and sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    assert command(candidate(doc, MASK), repo, out, force=True, stream=io.StringIO()) == 0
    assert (out / "src" / "lib.rs").is_file() and (out / "notes.txt").read_text() == "mine"
    with pytest.raises(ScaffoldError, match="holds the scanned repository"):
        command(candidate(doc, MASK), repo, repo, force=True, stream=io.StringIO())
    assert not (repo / "src").exists()


def test_same_input_same_bytes(scanned, tmp_path):
    repo, doc = scanned
    for name in ("a", "b"):
        command(candidate(doc, MASK), repo, tmp_path / name, pyo3="0.17", stream=io.StringIO())
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second and len(first) == 9


def test_command_from_a_json_document(scanned, tmp_path):
    repo, doc = scanned
    report = tmp_path / "report.json"
    report.write_text(json.dumps(doc))
    stream = io.StringIO()
    assert command_from_document("run_hooks", report, tmp_path / "hooks", stream=stream) == 0
    said = stream.getvalue().splitlines()
    assert said[0] == f"Wrote 9 files to {tmp_path / 'hooks'} (pyo3-0.23+) for py:bytekit/hooks.py::run_hooks"
    assert said[1].startswith("Note: rustscout's verdict is insufficient-evidence, not port: ")
    assert said[2].startswith("Warning: the boundary is not clean; smallest cut first: replace the call back to `accepts`")
    with pytest.raises(ScanError, match="no candidate matches 'nothing_here'"):
        command_from_document("nothing_here", report, tmp_path / "x")
    with pytest.raises(ScaffoldError, match="--binding jni: a python candidate takes pyo3"):
        command_from_document(MASK, report, tmp_path / "y", binding="jni")
    with pytest.raises(ScaffoldError, match="--pyo3 0.20: supported are 0.17"):
        command_from_document(MASK, report, tmp_path / "z", pyo3="0.20")


def test_a_changed_repository_is_one_clear_line(scanned):
    repo, doc = scanned
    stale = json.loads(json.dumps(candidate(doc, MASK)))
    stale["boundary"]["entry_points"][0]["id"] = f"{MASK}::gone"
    with pytest.raises(ScaffoldError, match=r"^bytekit/mask.py: no definition of gone \(the repository changed"):
        generate(stale, repo, Options())


def test_java_jni_scaffold(scanned):
    scaffold = made(scanned, FLETCHER_JAVA, binding="jni")
    out = files(scaffold)
    lib, wrapper = out["src/lib.rs"], out["java/src/main/java/org/bytekit/ChecksumsNative.java"]
    assert ("pub extern \"system\" fn Java_org_bytekit_ChecksumsNative_fletcher16Native<'local>(mut env: "
            "JNIEnv<'local>, _class: JClass<'local>, data: JByteArray<'local>, seed: jint) -> jint {") in lib
    assert 'jni = "0.21"' in out["Cargo.toml"]
    assert ("        if (isNative(\"fletcher16\")) {\n            return fletcher16Native(data, seed);\n        }\n"
            "        return Checksums.fletcher16(data, seed);") in wrapper
    assert 'System.loadLibrary("checksums_fletcher16_rs");' in wrapper
    assert scaffold.signatures[0].source == "int Checksums.fletcher16(byte[] data, int seed)"
    assert jni_symbol("a.b_c", "X_Native", "run") == "Java_a_b_1c_X_1Native_run"


def test_java_ffm_scaffold_keeps_java_22_apart(scanned):
    out = files(made(scanned, FLETCHER_JAVA, binding="ffm"))
    assert "pub unsafe extern \"C\" fn checksums_fletcher16_rs_checksums_fletcher16(data: *mut i8, data_len: usize, " \
           "seed: i32) -> i32 {" in out["src/lib.rs"]
    binding = out["java/src/main/java22/org/bytekit/ChecksumsFfm.java"]
    assert "arena.allocateFrom(ValueLayout.JAVA_BYTE, data)" in binding
    facade = out["java/src/main/java/org/bytekit/ChecksumsNative.java"]
    assert 'Class.forName("org.bytekit.ChecksumsFfm")' in facade and "java.lang.foreign" not in facade


def test_a_private_java_method_cannot_fall_back(java_repo, java_report):
    error = candidate(java_report, "java:core/src/main/java/com/quarry/feed/codec/FixParser.java"
                                   "::FixParser.error(String,int)")
    scaffold = generate(error, java_repo, Options(binding="jni"))
    assert [h.kind for h in scaffold.hazards if h.kind != "verdict"][:1] == ["private"]
    wrapper = files(scaffold)["java/src/main/java/com/quarry/feed/codec/FixParserNative.java"]
    assert 'throw new UnsupportedOperationException("error is private in FixParser");' in wrapper


LIBRARY_CRC = """package org.acme;

public class Crc implements java.util.zip.Checksum {
    private int crc = 0xFFFFFFFF;
    public Crc() { }
    public void update(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) { crc = (crc >>> 8) ^ TABLE[(crc ^ b[i]) & 0xFF]; }
    }
    public void update(int b) { crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF]; }
    public long getValue() { return (~crc) & 0xFFFFFFFFL; }
    public void reset() { crc = 0xFFFFFFFF; }
    private static int mix(int x) { for (int i = 0; i < 8; i++) { x = (x >>> 1) ^ (0x82F63B78 & -(x & 1)); } return x; }
    static class Table { public int at(int i) { return mix(i); } }
    private static final int[] TABLE = new int[256];
    static { for (int i = 0; i < 256; i++) { TABLE[i] = mix(i); } }
}
"""


def test_a_java_class_nothing_calls_mirrors_its_public_methods(tmp_path):
    """A library's class: nothing in the repository calls it, so its users' calls are its
    boundary. Not its constructor, its private helper, nor a nested class's method."""
    repo = write_files(tmp_path / "lib", {"src/main/java/org/acme/Crc.java": LIBRARY_CRC})
    doc = scan_json(repo, "--no-cache")
    crc = candidate(doc, "java:src/main/java/org/acme/Crc.java::Crc")
    assert crc["boundary"]["entry_points"] == []
    scaffold = generate(crc, repo, Options(binding="jni"))
    assert [s.source for s in scaffold.signatures] == [
        "long Crc.getValue()", "void Crc.reset()", "void Crc.update(byte[] b, int off, int len)", "void Crc.update(int b)"]
    assert "No call into it was seen, so its public methods stand in for the boundary." in files(scaffold)["README.md"]
    closed = dict(crc, id="java:src/main/java/org/acme/Crc.java::Crc.Table", qualname="Crc.Table")
    assert generate(closed, repo, Options(binding="jni")).signatures[0].source == "int Crc.Table.at(int i)"


def test_a_java_class_with_no_public_method_is_refused_in_one_line(tmp_path):
    repo = write_files(tmp_path / "lib", {"src/main/java/org/acme/Crc.java": LIBRARY_CRC.replace("public void", "void")
                                          .replace("public long", "long").replace("public int at", "int at")})
    crc = candidate(scan_json(repo, "--no-cache"), "java:src/main/java/org/acme/Crc.java::Crc")
    with pytest.raises(ScaffoldError, match=r"^java:src/main/java/org/acme/Crc.java::Crc: no entry point: nothing "
                                            r"outside calls into it and it has no public method; scaffold one"):
        generate(crc, repo, Options(binding="jni"))


def test_mapped_signatures_from_the_scans_own_units():
    from analyzer.model import CodeUnit, Param
    from analyzer.scaffold.fromscan import mapped_signature
    unit = CodeUnit("py:a.py::decode", "function", "python", "a.py", "decode", "decode", 1, 5, None,
                    params=(Param("data", "bytes"), Param("limit", "int", "keyword", True)), returns="list[int]")
    record = mapped_signature(unit, {unit.id: unit}).to_json()
    assert (record["source"], record["rust"]) == (
        "decode(data: bytes, *, limit: int = ...) -> list[int]",
        "fn decode<'py>(py: Python<'py>, data: &[u8], limit: Option<i64>) -> PyResult<Vec<i64>>")
    assert record["params"][1]["note"].endswith("the scan did not record the default: None stands for it; "
                                                "apply it in the body")
    java = CodeUnit("java:core/src/main/java/a/b/A.java::A.sum(int[])", "function", "java",
                    "core/src/main/java/a/b/A.java", "sum", "A.sum(int[])", 1, 5, None,
                    params=(Param("values", "int[]"),), returns="long", modifiers=("public", "static"))
    assert mapped_signature(java, {}).rust.startswith("pub extern \"system\" fn Java_a_b_ANative_sumNative<'local>(")
    assert mapped_signature(java, {}, "ffm", "a_rs").rust == \
        'pub unsafe extern "C" fn a_rs_a_sum(values: *mut i32, values_len: usize) -> i64'


@pytest.mark.parametrize("sample", ["python", "java"])
def test_every_candidate_of_the_samples_scaffolds_or_is_refused_in_one_line(sample, request):
    repo, doc = ((request.getfixturevalue("sample_repo"), request.getfixturevalue("sample_report")) if sample == "python"
                 else (request.getfixturevalue("java_repo"), request.getfixturevalue("java_report")))
    made, refused = [], []
    for c in doc["candidates"]:
        for binding in ((None,) if sample == "python" else ("jni", "ffm")):
            try:
                made.append(generate(c, repo, Options(binding=binding)))
            except ScaffoldError as exc:   # anything else is a bug, and fails the test with its traceback
                refused.append((c, str(exc)))
    assert all(m.signatures and m.files for m in made)
    assert all(str(e).startswith(c["id"] + ": no ") and "\n" not in e for c, e in refused), refused[:3]
    # only candidates with nothing to mirror: no entry point, or nothing but constructors and classes
    assert all(not c["boundary"]["entry_points"] or sample == "java" for c, _ in refused)
    assert len(made) > 2 * len(refused)
