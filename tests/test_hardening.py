"""Hostile and unusual input: no code from the scanned repository ever runs, and nothing
crashes, hangs or gives a wrong result. One test per class of input; each failed before the
hardening it checks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analyzer import config, pipeline
from analyzer.errors import ScanError
from analyzer.report import emit
from analyzer.report import json as json_report
from conftest import ROOT, make_repo, run_cli, scan_json

CODE = "def f(data):\n    t = 0\n    for b in data:\n        t = (t * 31 + b) & 0xFFFF\n    return t\n"
RUSTSCOUT = Path(sys.executable).parent / "rustscout"


def git(repo: Path, *args: str, env: dict | None = None) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}).stdout


def one_line_error(code: int, err: str, *fragments: str) -> None:
    assert code == 1, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err


# --- the scanned repository's code never runs ------------------------------------------

def test_python_m_does_not_import_modules_of_the_folder_it_runs_in(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    marker = tmp_path / "pwned"
    for name in ("yaml", "networkx", "libcst", "tree_sitter", "typer"):
        (tmp_path / f"{name}.py").write_text(f"open({str(marker)!r}, 'w').write('{name}')\n")
    done = subprocess.run([sys.executable, "-m", "analyzer", "scan", ".", "--quiet", "--no-cache", "--json", "-"],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert not marker.exists(), marker.read_text()
    assert done.returncode == 0, done.stderr
    assert "py:m.py::f" in [c["id"] for c in json.loads(done.stdout)["candidates"]]


def test_a_base_ref_is_never_read_as_a_git_option(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    target = tmp_path / "written-by-git"
    code, _, err = run_cli("pr", str(repo), f"--base=--output={target}", "--quiet")
    one_line_error(code, err, "is not a revision")
    assert not list(tmp_path.glob("written-by-git*"))


# --- outputs -----------------------------------------------------------------------------

def test_an_output_into_a_fifo_is_written_into_it(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "stdout-like"
    link.symlink_to(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    code, _, err = run_cli("scan", str(tmp_path), "--json", str(link), "--quiet", "--no-cache")
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()   # neither replaced by a file
    assert json.loads(received[0])["candidates"][0]["path"] == "m.py"


def test_an_output_keeps_its_symlink_and_a_new_file_is_not_private(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    real, link, fresh = tmp_path / "real.json", tmp_path / "link.json", tmp_path / "fresh.json"
    real.write_text("old")
    link.symlink_to(real)
    old_mask = os.umask(0o022)
    try:
        assert run_cli("scan", str(tmp_path), "--json", str(link), "--quiet", "--no-cache")[0] == 0
        assert run_cli("scan", str(tmp_path), "--json", str(fresh), "--quiet", "--no-cache")[0] == 0
    finally:
        os.umask(old_mask)
    assert link.is_symlink() and json.loads(real.read_text())["schema_version"]
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644


def test_a_report_written_in_pieces_is_all_or_nothing(tmp_path):
    """The JSON is written a candidate at a time (kafka's is 88 MB): a write that fails half
    way leaves the previous report whole and no temporary file behind."""
    target = tmp_path / "r.json"
    target.write_text("the previous report")

    def pieces():
        yield '{\n  "candidates": [\n'
        raise OSError(28, "No space left on device")
    with pytest.raises(ScanError, match="^--json .*r.json: No space left on device$"):
        emit(pieces(), target, "--json")
    assert target.read_text() == "the previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_the_json_is_made_a_candidate_at_a_time(sample_repo):
    report = pipeline.run(config.load(sample_repo, {"cache": False}))
    pieces = list(json_report.chunks(report))
    rows = [p for p in pieces if p.lstrip(",\n[ ").startswith('{"id": ') and '"rank": ' in p]   # not graph nodes
    assert len(rows) == len(report.candidates) > 5   # one piece each: no piece holds the whole list
    assert [json.loads(p.lstrip(",\n[ "))["rank"] for p in rows] == list(range(1, len(rows) + 1))
    assert "".join(pieces) == json_report.render(report) and json.loads("".join(pieces))["candidates"]


# --- crashes -----------------------------------------------------------------------------

def test_a_repository_where_nothing_parses_lists_every_file(tmp_path):
    (tmp_path / "old.py").write_text("print 'hello'\nx = (\n")   # neither Python 3 nor Python 2
    (tmp_path / "broken.py").write_text("def f(:\n")
    report = scan_json(tmp_path, "--no-cache")
    assert [(e["path"], e["kind"]) for e in report["errors"]] == [("broken.py", "parse"), ("old.py", "parse")]
    assert report["candidates"] == []


def test_a_file_name_that_is_not_utf8_is_listed_not_fatal(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.py"), "w") as out:
        out.write(CODE)
    (tmp_path / "m.py").write_text(CODE)
    for repo in (False, True):
        if repo:
            git(tmp_path, "init", "-q")
            git(tmp_path, "add", ".")
            git(tmp_path, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "x")
        report = scan_json(tmp_path, "--no-cache")
        assert report["errors"] == [{"path": "caf\\xe9.py", "kind": "encoding",
                                     "message": "file name is not UTF-8; not read (rename it to scan it)"}]
        assert {c["path"] for c in report["candidates"]} == {"m.py"}


def test_diamond_hierarchies_are_walked_once_per_class():
    from analyzer.model import CodeUnit, ParsedFile, SourceFile
    from analyzer.code.graph.symbols import Symbols
    units = [CodeUnit("py:a.py", "module", "python", "a.py", "a", "", 1, 999, None),
             CodeUnit("py:a.py::A0", "class", "python", "a.py", "A0", "A0", 1, 3, "py:a.py"),
             CodeUnit("py:a.py::A0.m", "function", "python", "a.py", "m", "A0.m", 2, 3, "py:a.py::A0")]
    for i in range(1, 41):
        for name, bases in ((f"B{i}", (f"a.A{i - 1}",)), (f"C{i}", (f"a.A{i - 1}",)), (f"A{i}", (f"a.B{i}", f"a.C{i}"))):
            units.append(CodeUnit(f"py:a.py::{name}", "class", "python", "a.py", name, name, 10 * i, 10 * i + 1,
                                  "py:a.py", bases=bases))
    symbols = Symbols([ParsedFile(SourceFile("a.py", "python", 1, "a"), "a", tuple(units), ())])
    assert symbols.method("a.A40", "m") == "py:a.py::A0.m"
    assert len(symbols.lineage("a.A40")) == 3 * 40 + 1
    assert symbols.method("a.A40", "missing") is None


@pytest.mark.parametrize("shape", ["inheritance", "folders", "diamond"])
def test_deep_shapes_scan_to_the_end(tmp_path, shape):
    if shape == "inheritance":
        classes = "".join(f"class K{i}(K{i - 1}):\n    pass\n" for i in range(1, 3001))
        (tmp_path / "a.py").write_text("class K0:\n    def m(self):\n        return 1\n" + classes +
                                       "class Z(K3000):\n    def run(self):\n        return self.m()\n")
    elif shape == "diamond":
        rows = "".join(f"class B{i}(A{i - 1}):\n    pass\nclass C{i}(A{i - 1}):\n    pass\n"
                       f"class A{i}(B{i}, C{i}):\n    def run(self):\n        return self.m() + self.gone()\n"
                       for i in range(1, 41))
        (tmp_path / "a.py").write_text("class A0:\n    def m(self):\n        return 1\n" + rows)
    else:
        deep = Path(os.path.join(tmp_path, *["d"] * 1100))
        subprocess.run(["mkdir", "-p", str(deep)], check=True)   # pathlib and os.makedirs recurse
        (deep / "a.py").write_text(CODE)
        (tmp_path / "b.py").write_text(CODE)
    done = subprocess.run([str(RUSTSCOUT), "scan", str(tmp_path), "--json", "-", "--quiet", "--no-cache"],
                          capture_output=True, text=True, timeout=120)
    subprocess.run(["rm", "-rf", str(tmp_path / "d")], check=True)   # pytest's clean-up recurses too
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["errors"] == []
    units = {"inheritance": 1 + 3001 + 1 + 2, "diamond": 1 + 2 + 40 * 4, "folders": 4}[shape]
    assert report["summary"]["units"] == units   # every unit read


def test_dates_past_year_9999_are_dates(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    (repo / "n.py").write_text(CODE)
    git(repo, "add", ".")
    forged = "@253402300900 +0000"   # year 10000
    git(repo, "-c", "user.name=a", "-c", "user.email=a@b", "commit", "-qm", "from the future",
        env={"GIT_AUTHOR_DATE": forged, "GIT_COMMITTER_DATE": forged})
    assert scan_json(repo, "--no-cache")["repo"]["as_of"] == "9999-12-31"
    for flags in (["--as-of", "9999-12-31"], ["--since", "9999-12-31"]):
        assert scan_json(repo, "--no-cache", *flags)["repo"]["as_of"] == "9999-12-31"
    (repo / "rustscout.toml").write_text('as_of = "9999-12-31"\n')
    assert scan_json(repo, "--no-cache")["repo"]["as_of"] == "9999-12-31"


@pytest.mark.parametrize("name, content, message", [
    ("pyproject.toml", b"[tool.rustscout]\nas_of = \"\xff\"\n", "not UTF-8 text (byte 26)"),
    ("pyproject.toml", b"tool = 5\n", "'tool' must be a table"),
    ("pyproject.toml", b"[tool]\nrustscout = 5\n", "'tool.rustscout' must be a table"),
    ("rustscout.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n", "invalid TOML: nested too deeply"),
    ("rustscout.toml", b"top = 3\xfe\n", "not UTF-8 text"),
])
def test_bad_configuration_is_one_line_naming_the_file(tmp_path, name, content, message):
    (tmp_path / "m.py").write_text(CODE)
    (tmp_path / name).write_bytes(content)
    code, _, err = run_cli("scan", str(tmp_path), "--quiet", "--no-cache")
    one_line_error(code, err, name, message)


@pytest.mark.parametrize("content, message", [
    (b"id: \xff\n", "not UTF-8 text (byte 4)"),
    (b"[" * 20000 + b"]" * 20000, "cannot read"),
])
def test_bad_rule_files_are_reported_with_their_name(tmp_path, content, message):
    (tmp_path / "m.py").write_text(CODE)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "ZZ001.yaml").write_bytes(content)
    code, _, err = run_cli("scan", str(tmp_path), "--rules", str(rules), "--quiet", "--no-cache")
    assert code == 1 and "Traceback" not in err
    assert f"{rules / 'ZZ001.yaml'}: {message}" in err


def test_a_comment_file_that_is_not_utf8_is_one_line(tmp_path):
    comment = tmp_path / "comment.md"
    comment.write_bytes(b"\xff\xfe hello")
    code, _, err = run_cli("post", str(comment), "--provider", "github", "--pr", "1")
    one_line_error(code, err, f"{comment}: not UTF-8 text (byte 0)")


# --- git that cannot be read ---------------------------------------------------------------

def test_a_corrupt_index_is_what_git_says(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    (repo / ".git" / "index").write_bytes(b"garbage")
    code, _, err = run_cli("scan", str(repo), "--quiet", "--no-cache")
    one_line_error(code, err, "git cannot read this repository", "index file smaller than expected")


def test_another_users_repository_says_how_to_allow_it(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    monkeypatch.setenv("GIT_TEST_ASSUME_DIFFERENT_OWNER", "1")   # git's own switch for this check
    code, _, err = run_cli("scan", str(repo), "--quiet", "--no-cache")
    one_line_error(code, err, "belongs to another user", f"git config --global --add safe.directory {repo}")


def test_a_missing_head_commit_is_damage_not_an_empty_repository(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "objects" / head[:2] / head[2:]).unlink()
    code, _, err = run_cli("scan", str(repo), "--quiet", "--no-cache")
    one_line_error(code, err, f"the head commit {head[:12]} cannot be read", "git fsck")


# --- Ctrl-C --------------------------------------------------------------------------------

def test_ctrl_c_while_history_is_read_is_one_line_and_exit_130(tmp_path):
    """A git that stalls on `log` holds the scan in its history process; Ctrl-C then reaches
    every process of the group, as a terminal sends it."""
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}}])
    started = tmp_path / "log-started"
    shim = tmp_path / "bin"
    shim.mkdir()
    real_git = shutil.which("git")
    (shim / "git").write_text(f"#!/bin/sh\ncase \" $* \" in *\" log \"*) touch {started}; sleep 60;; esac\n"
                              f"exec {real_git} \"$@\"\n")
    (shim / "git").chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen([str(RUSTSCOUT), "scan", str(repo), "--no-cache", "--quiet"], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    assert started.exists(), proc.communicate()
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err == "rustscout: interrupted\n"


# --- wrong results -------------------------------------------------------------------------

def test_python_312_syntax_is_analysed_with_its_own_lines(tmp_path):
    (tmp_path / "new.py").write_text(
        "def first[T](xs: list[T]) -> T:\n    return xs[0]\n\n\ntype Pair[K] = tuple[K, K]\n\n\n"
        "class Box[T]:\n    def total(self, data: bytes) -> int:\n        t = 0\n        for b in data:\n"
        "            t = (t * 31 + b) & 0xFFFF\n        return t\n\n\n"
        "def show(d):\n    for k in d:\n        print(f\"{d[\"key\"]} and {'x' + f\"{k}\"}\")\n"
        "    return f'''a{\n        d  # a comment inside\n    }'''\n")
    report = scan_json(tmp_path, "--no-cache")
    assert report["errors"] == []
    lines = {c["id"]: c["lines"] for c in report["candidates"]}
    assert lines["py:new.py::Box.total"] == [9, 13]
    assert lines["py:new.py::show"] == [16, 21]


def test_newer_syntax_that_cannot_keep_its_lines_says_which_python(tmp_path):
    (tmp_path / "m.py").write_text("def spread[\n    T\n](x: T) -> T:\n    return x\n")
    report = scan_json(tmp_path, "--no-cache")
    assert report["errors"][0]["path"] == "m.py"
    assert f"newer than {sys.version_info.major}.{sys.version_info.minor}" in report["errors"][0]["message"]


@pytest.mark.parametrize("ending", ["\r", "\x0c"])
def test_patches_apply_to_files_with_unusual_line_ends(tmp_path, ending):
    """Bare-CR files (old Mac line ends) and form feeds in indentation: valid Python whose
    lines str.splitlines would count differently."""
    if ending == "\r":
        source = ("import re\r\r\rdef parse(lines):\r    out = []\r    for line in lines:\r"
                  "        m = re.match(r'(\\d+)', line)\r        out.append(m)\r    return out\r")
    else:
        source = ("import re\n\ndef parse(lines):\n    out = []\n\x0c    for line in lines:\n"
                  "        m = re.match(r'(\\d+)', line)\n        out.append(m)\n    return out\n")
    repo = make_repo(tmp_path, [{"files": {"a.py": source}}])
    report = scan_json(repo, "--no-cache")
    assert report["errors"] == []
    patch = next(c for c in report["candidates"] if c["id"] == "py:a.py::parse")["fixes"][0]["patch"]
    (tmp_path / "fix.diff").write_bytes(patch.encode())
    git(repo, "apply", str(tmp_path / "fix.diff"))
    fixed = (repo / "a.py").read_bytes().decode()
    assert "_PARSE_RE = re.compile(r'(\\d+)')" + ending.replace("\x0c", "\n") in fixed
    assert "m = _PARSE_RE.match(line)" in fixed
    compile(fixed, "a.py", "exec")


def test_an_empty_path_is_not_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "m.py").write_text(CODE)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("scan", "", "--quiet")
    assert code == 1 and "an empty path" in err


def test_jobs_are_bounded(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    code, _, err = run_cli("scan", str(tmp_path), "--jobs", "100000", "--quiet")
    one_line_error(code, err, "'jobs' must be at most 64")


def test_another_users_cache_is_left_alone(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    cache = tmp_path / "cache"
    cache.mkdir()
    foreign = cache / "rustscout-cache.sqlite3"
    foreign.write_bytes(b"someone else's file, not a database")
    if os.geteuid() == 0:
        os.chown(foreign, 65534, 65534)   # nobody: root could write anything, so ownership decides
    else:
        foreign.chmod(0o444)
    code, out, err = run_cli("scan", str(tmp_path), "--cache-dir", str(cache))
    assert code == 0, err
    assert foreign.read_bytes() == b"someone else's file, not a database"
    assert "could not be used this time" in " ".join((out + err).split())   # wrapped or not


def test_dense_files_are_refused_before_they_fill_memory(tmp_path):
    (tmp_path / "rustscout.toml").write_text("max_file_kb = 100000\n")
    (tmp_path / "big.py").write_text("x = [" + ", ".join("1" for _ in range(500_000)) + "]\n")
    (tmp_path / "Big.java").write_text("class Big { int[] x = {" + ", ".join("1" for _ in range(500_000)) + "}; }\n")
    (tmp_path / "m.py").write_text(CODE)
    report = scan_json(tmp_path, "--no-cache")
    message = "too dense to analyse in memory: {:,} operators, brackets and commas (at most 400,000, about 3 MB " \
              "of ordinary code)"
    assert report["errors"] == [{"path": "Big.java", "kind": "size", "message": message.format(500_007)},
                                {"path": "big.py", "kind": "size", "message": message.format(500_002)}]


def test_unclosed_import_lists_do_not_swallow_the_rest_of_the_file():
    from analyzer.parse.python import _IMPORT
    data = b"from a import(\n" * 2000 + b"from b import (c,\n    d)  # closed\n"
    found = [m.group(0) for m in _IMPORT.finditer(data)]
    assert found[-1] == b"from b import (c,\n    d)"
    assert len(found) == 2001
