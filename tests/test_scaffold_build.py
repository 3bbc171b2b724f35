"""The scaffold builds, for real, offline: Debian's cargo and rustc with its vendored PyO3 0.17
(librust-pyo3-dev) as cargo's registry, javac and JUnit 5 from openjdk-17-jdk-headless and junit5.

A missing tool fails the test with the apt line to run; nothing here is skipped. The cargo
target folder is shared by the session, so PyO3 is compiled once (about 30 s); each crate after
that takes a few seconds.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from analyzer.cli.scaffold import command
from scaffold_helpers import bytekit, candidate

CARGO = Path("/usr/bin/cargo")               # Debian's, matching its vendored crates (not a rustup one)
REGISTRY = Path("/usr/share/cargo/registry")
JUNIT = Path("/usr/share/java/junit-platform-console-standalone.jar")
JUNIT_API = ["junit-jupiter-api.jar", "apiguardian-api.jar", "opentest4j.jar"]
APT = "apt-get install -y cargo rustc librust-pyo3-dev openjdk-17-jdk-headless junit5"
XOR_BODY = """if key.is_empty() && !data.is_empty() {
        return Err(pyo3::exceptions::PyZeroDivisionError::new_err("integer modulo by zero"));
    }
    let out: Vec<u8> = data.iter().zip(key.iter().cycle()).map(|(b, k)| b ^ k).collect();
    Ok(PyBytes::new(py, &out).into())"""
# forgets that an empty key fails in Python: the differential test must catch it
XOR_BODY_WRONG = """let out: Vec<u8> = data.iter().zip(key.iter().cycle()).map(|(b, k)| b ^ k).collect();
    Ok(PyBytes::new(py, &out).into())"""


def need(path: Path, what: str) -> None:
    if not path.exists():
        pytest.fail(f"{what} is missing ({path}): run `{APT}`", pytrace=False)


@pytest.fixture(scope="module")
def scanned(tmp_path_factory):
    return bytekit(tmp_path_factory.mktemp("scaffold-build"))


@pytest.fixture(scope="session")
def hypothesis_installed():
    """The generated differential test uses Hypothesis: it is a test dependency of ours."""
    import importlib.util
    if importlib.util.find_spec("hypothesis") is None:
        pytest.fail("hypothesis is not installed: pip install 'hypothesis>=6.100,<7' (the test extra)", pytrace=False)


@pytest.fixture(scope="session")
def cargo_target(tmp_path_factory):
    need(CARGO, "Debian's cargo")
    need(REGISTRY / "pyo3-0.17.3", "Debian's vendored PyO3 0.17")
    return tmp_path_factory.mktemp("cargo-target")


def offline(crate: Path) -> None:
    """Cargo's crates.io replaced by Debian's vendored registry, as the scaffold's README says."""
    (crate / ".cargo").mkdir(exist_ok=True)
    (crate / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "debian"\n\n[source.debian]\ndirectory = "/usr/share/cargo/registry"\n'
        "\n[net]\noffline = true\n")


def cargo_build(crate: Path, target: Path) -> float:
    started = time.perf_counter()
    env = {**os.environ, "PYO3_PYTHON": sys.executable, "CARGO_TARGET_DIR": str(target)}
    done = subprocess.run([str(CARGO), "build", "--release", "--offline"], cwd=crate, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-4000:]
    assert "warning" not in done.stderr, done.stderr[-4000:]
    return time.perf_counter() - started


def install_extension(target: Path, crate: Path, ext: str) -> None:
    shutil.copyfile(target / "release" / f"lib{ext}.so", crate / "shim" / f"{ext}{sysconfig.get_config_var('EXT_SUFFIX')}")


def run_python(args: list[str], cwd: Path, repo: Path, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=cwd, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(repo), **env})


def inner_pytest(basetemp: Path) -> list[str]:
    """The generated test run by its own pytest: with a basetemp of its own, because a pytest
    session left to number its folders removes older ones, this session's among them."""
    return ["-m", "pytest", "-q", "-rfs", "-p", "no:cacheprovider", f"--basetemp={basetemp}", "tests"]


def write_body(lib: Path, body: str) -> None:
    text = lib.read_text()
    stub = '    Err(not_ported("xor_mask", "bytekit/mask.py:6"))'
    assert stub in text
    lib.write_text(text.replace(stub, "    " + body).replace('    // "xor_mask",', '    "xor_mask",'))


def test_python_scaffold_builds_and_proves_the_port(scanned, cargo_target, hypothesis_installed, tmp_path, capsys):
    repo, doc = scanned
    out = tmp_path / "mask"
    command(candidate(doc, "py:bytekit/mask.py"), repo, out, pyo3="0.17", stream=io.StringIO())
    offline(out)
    lib = (out / "src" / "lib.rs").read_text()
    write_body(out / "src" / "lib.rs", XOR_BODY_WRONG)
    first = cargo_build(out, cargo_target)
    install_extension(cargo_target, out, "mask_rs")
    wrong = run_python(inner_pytest(tmp_path / "wrong"), out, repo)
    assert wrong.returncode == 1 and "FAILED tests/test_differential.py::test_xor_mask" in wrong.stdout, wrong.stdout
    assert "native (('returned', 'bytes', b''), " in wrong.stdout and "('raised', 'ZeroDivisionError')" in wrong.stdout

    (out / "src" / "lib.rs").write_text(lib)
    write_body(out / "src" / "lib.rs", XOR_BODY)
    second = cargo_build(out, cargo_target)
    install_extension(cargo_target, out, "mask_rs")
    tested = run_python(inner_pytest(tmp_path / "right"), out, repo)
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "2 passed, 2 skipped" in tested.stdout
    assert "not native yet: fletcher16 (write the body in src/lib.rs, then list it in IMPLEMENTED)" in tested.stdout

    bench = run_python(["bench/bench_native.py", "--json"], out, repo)
    assert bench.returncode == 0, bench.stdout + bench.stderr
    figures = json.loads(bench.stdout)
    speedup = figures["entries"]["xor_mask"]["speedup"]
    gain = next(f["value"] for f in candidate(doc, "py:bytekit/mask.py")["factors"] if f["name"] == "native_gain")
    assert figures["not_native"] == ["fletcher16", "window_sums"] and figures["estimate"] == gain
    assert speedup > 5, f"native xor_mask only {speedup:.1f}x faster than the pure loop"
    with capsys.disabled():
        print(f"\n[scaffold] cargo build: {first:.1f}s (PyO3 0.17 and the crate), rebuild {second:.1f}s; "
              f"xor_mask native {speedup:.0f}x faster than pure on 64 KiB (rustscout estimated {gain:g}x for the module)")


def test_the_shim_swaps_per_entry_point_and_can_be_forced_pure(scanned, cargo_target, tmp_path):
    repo, doc = scanned
    out = tmp_path / "mask"
    command(candidate(doc, "py:bytekit/mask.py"), repo, out, pyo3="0.17", stream=io.StringIO())
    offline(out)
    write_body(out / "src" / "lib.rs", XOR_BODY)
    cargo_build(out, cargo_target)
    install_extension(cargo_target, out, "mask_rs")
    probe = ("import mask_shim as s, mask_rs, bytekit.mask as m; print(s.xor_mask is mask_rs.xor_mask, "
             "s.fletcher16 is m.fletcher16, sorted(s.IMPLEMENTED))")
    assert run_python(["-c", probe], out / "shim", repo).stdout.split() == ["True", "True", "['xor_mask']"]
    forced = run_python(["-c", probe.replace(", mask_rs", "").replace("mask_rs.xor_mask", "m.xor_mask")],
                        out / "shim", repo, MASK_RS_PURE="1")
    assert forced.stdout.split() == ["True", "True", "[]"], forced.stderr


@pytest.mark.parametrize("unit_id", ["py:bytekit/stream.py::Unmasker", "py:bytekit/hooks.py::run_hooks",
                                     "py:bytekit/stream.py::Unmasker.feed"])
def test_stubs_compile_without_warnings(scanned, cargo_target, tmp_path, unit_id):
    repo, doc = scanned
    out = tmp_path / "crate"
    command(candidate(doc, unit_id), repo, out, pyo3="0.17", stream=io.StringIO())
    offline(out)
    cargo_build(out, cargo_target)


def javac(*args: str) -> None:
    need(Path("/usr/bin/javac"), "javac")
    done = subprocess.run(["javac", "-Xlint:none", *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def junit(classpath: str) -> str:
    need(JUNIT, "JUnit 5's console launcher")
    done = subprocess.run(["java", "-jar", str(JUNIT), "-cp", classpath, "--scan-classpath", "--disable-banner",
                           "--disable-ansi-colors", "--details=tree"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.parametrize("binding", ["jni", "ffm"])
def test_java_wrapper_and_junit_test_compile_and_fall_back(scanned, tmp_path, binding):
    """Java 17 compiles the wrapper and the test (the FFM binding class needs Java 22 and is left
    out); without the library the wrapper runs the Java code, and the native tests are skipped."""
    repo, doc = scanned
    out = tmp_path / binding
    unit = "java:java/src/main/java/org/bytekit/Checksums.java::Checksums.fletcher16(byte[],int)"
    command(candidate(doc, unit), repo, out, binding=binding, stream=io.StringIO())
    main = sorted(str(p) for p in (out / "java" / "src" / "main" / "java").rglob("*.java"))
    javac("-d", str(out / "classes"), "-sourcepath", str(repo / "java" / "src" / "main" / "java"), *main)
    api = ":".join(f"/usr/share/java/{jar}" for jar in JUNIT_API)
    tests = sorted(str(p) for p in (out / "java" / "src" / "test").rglob("*.java"))
    javac("-d", str(out / "test-classes"), "-cp", f"{out / 'classes'}:{api}", *tests)
    report = junit(f"{out / 'classes'}:{out / 'test-classes'}")
    assert "fallsBackToTheJavaCodeWithoutTheLibrary() ✔" in report, report
    assert "fletcher16MatchesJava() ■ Assumption failed: fletcher16 is not native yet" in report, report
    assert "[         1 tests successful      ]" in report and "[         0 tests failed          ]" in report


def test_ffm_library_builds_and_answers_over_the_c_abi(scanned, tmp_path, cargo_target):
    import ctypes
    repo, doc = scanned
    out = tmp_path / "ffm"
    unit = "java:java/src/main/java/org/bytekit/Checksums.java::Checksums.fletcher16(byte[],int)"
    command(candidate(doc, unit), repo, out, binding="ffm", stream=io.StringIO())
    lib = out / "src" / "lib.rs"
    lib.write_text(lib.read_text().replace('b"\\0";', 'b"Checksums.fletcher16\\0";').replace(
        "    0\n}", "    let data = std::slice::from_raw_parts_mut(data as *mut u8, data_len);\n"
                   "    let (mut low, mut high) = (seed & 0xFF, (seed >> 8) & 0xFF);\n"
                   "    for b in data.iter() {\n        low = (low + *b as i32) % 255;\n        high = (high + low) % 255;\n"
                   "    }\n    (high << 8) | low\n}"))
    cargo_build(out, cargo_target)
    native = ctypes.CDLL(str(cargo_target / "release" / "libchecksums_fletcher16_rs.so"))
    native.checksums_fletcher16_rs_implemented.restype = ctypes.c_char_p
    assert native.checksums_fletcher16_rs_implemented() == b"Checksums.fletcher16"
    data = bytes(range(1, 200))
    fletcher = native.checksums_fletcher16_rs_checksums_fletcher16
    fletcher.argtypes, fletcher.restype = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_int32], ctypes.c_int32
    low = high = 0
    for b in data:
        low, high = (low + b) % 255, (high + (low + b) % 255) % 255
    assert fletcher(data, len(data), 0) == (high << 8) | low
