"""`rustscout portfolio` without a cluster: sources and list files, git safety, content
hashes, the merge's order, the store, outputs, the job's time limit and the --html hook.
The runs on real Dask clusters are in test_portfolio_cluster.py."""

from __future__ import annotations

import base64
import gzip
import io
import json
import os
import re
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import jsonschema
import pytest

from analyzer.errors import ScanError
from analyzer import report as outputs
from analyzer.portfolio import cli, document, html, merge, runner
from analyzer.portfolio.fingerprints import MIN_LINES, fingerprint, normalized
from analyzer.portfolio.model import Failed, Failure, Found, Job, Scanned, Settings
from analyzer.portfolio.scan import scan_document
from analyzer.portfolio.sources import SourceError, collect
from analyzer.portfolio.store import ResultStore
from analyzer.vcs import clone
from conftest import FIXTURES, SCHEMA, build, make_repo, run_cli
from portfolio_support import MARK, jobs_left, wait_for_jobs


# --- sources and list files ----------------------------------------------------------------

def test_list_file_reads_sources_settings_and_comments(tmp_path, monkeypatch):
    (tmp_path / "lists").mkdir()
    listing = tmp_path / "lists" / "repos.txt"
    listing.write_text("# the payments team\n\n"
                       "https://user:s3cret@git.example.com/pay/ledger.git  branch=release/2.x  language=java\n"
                       "  ../checkouts/tools  subfolder=src/tools/   # only this folder\n"
                       "git@git.example.com:ops/tools.git\n"
                       "https://git.example.com/pay/ledger.git branch=release/2.x language=java\n")
    monkeypatch.chdir(tmp_path)
    found = collect(["checkouts/tools"], listing)
    assert [(s.name, s.shown, s.branch, s.subfolder, s.language, s.origin) for s in found] == [
        ("checkouts/tools", "checkouts/tools", None, None, None, "argument 1"),
        ("ledger@release/2.x[java]", "https://git.example.com/pay/ledger.git", "release/2.x", None, "java",
         f"{listing}:3"),
        ("checkouts/tools/src/tools", "../checkouts/tools", None, "src/tools", None, f"{listing}:4"),
        ("ops/tools", "git@git.example.com:ops/tools.git", None, None, None, f"{listing}:5")]
    assert found[0].location == found[2].location == str(tmp_path / "checkouts" / "tools")
    assert found[1].location == "https://user:s3cret@git.example.com/pay/ledger.git"
    assert not found[0].remote and found[1].remote and found[3].remote
    assert collect(["ssh://git:pw@h.example/a/b.git"], None)[0].shown == "ssh://git@h.example/a/b.git"


def test_every_bad_list_line_is_reported_with_its_number(tmp_path):
    listing = tmp_path / "repos.txt"
    listing.write_text("ok/repo\nother/repo brnch=main\nthird language=go\n-x\next::sh -c evil\n"
                       "fine subfolder=../up\nsvn://host/repo\nlast branch\n")
    with pytest.raises(SourceError) as caught:
        collect([], listing)
    assert str(caught.value).splitlines() == [
        f"{listing}:2: unknown setting 'brnch' (known: branch, language, subfolder)",
        f"{listing}:3: language must be java or python, got 'go'",
        f"{listing}:4: a source cannot start with '-'",
        f"{listing}:5: git remote helpers (transport::address) are not allowed; give a URL or a path",
        f"{listing}:6: subfolder must be a folder inside the repository, got '../up'",
        f"{listing}:7: unsupported URL scheme 'svn' (use file, git, http, https, ssh)",
        f"{listing}:8: 'branch' is not a setting (write key=value; keys: branch, language, subfolder)"]


def test_missing_list_and_no_sources_are_one_line_errors(tmp_path):
    with pytest.raises(SourceError, match=r"repos.txt: cannot read the list: No such file"):
        collect([], tmp_path / "repos.txt")
    (tmp_path / "empty.txt").write_text("# nothing yet\n\n")
    with pytest.raises(SourceError, match="no repositories given"):
        collect([], tmp_path / "empty.txt")


def test_names_are_unique_and_the_same_repository_is_scanned_once(tmp_path):
    for owner in ("alpha", "beta"):
        (tmp_path / owner / "repo").mkdir(parents=True)
    found = collect([str(tmp_path / "alpha" / "repo"), str(tmp_path / "beta" / "repo"),
                     str(tmp_path / "alpha" / "repo" / "."), "https://h.example/x/repo.git",
                     "https://H.example/x/repo"], None)
    assert [s.name for s in found] == ["alpha/repo", "beta/repo", "x/repo"]


# --- git: nothing of the repository runs -----------------------------------------------------

def test_remote_helpers_are_refused_even_where_git_config_allows_them(tmp_path, monkeypatch):
    for key, value in {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "protocol.ext.allow",
                       "GIT_CONFIG_VALUE_0": "always"}.items():
        monkeypatch.setenv(key, value)    # as a permissive user configuration would
    marker = tmp_path / "ran"
    with pytest.raises(clone.CloneError) as caught:
        clone.remote_head(f"ext::sh -c touch% {marker}", None, 30)
    assert "not allowed" in str(caught.value) and not marker.exists()


def test_checkout_runs_no_hook_and_follows_the_branch(tmp_path, monkeypatch):
    source = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}, {"files": {"a.py": "x = 2\n"}}])
    subprocess.run(["git", "-C", str(source), "branch", "old", "HEAD~1"], check=True)
    marker = tmp_path / "hook-ran"
    templates = tmp_path / "templates" / "hooks"
    templates.mkdir(parents=True)
    hook = templates / "post-checkout"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n")
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(templates.parent))   # a hook every new clone would get
    head = clone.checkout(str(source), None, tmp_path / "work" / "repo")
    assert head == clone.remote_head(str(source), None, 30) and not marker.exists()
    (tmp_path / "work" / "repo" / "stray.py").write_text("left behind\n")
    old = clone.checkout(str(source), "old", tmp_path / "work" / "repo")
    assert old == clone.remote_head(str(source), "old", 30) != head
    assert (tmp_path / "work" / "repo" / "a.py").read_text() == "x = 1\n"
    assert not (tmp_path / "work" / "repo" / "stray.py").exists() and not marker.exists()


def test_unknown_branch_and_missing_repository_are_access_errors(tmp_path):
    source = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}])
    for location, branch, message in ((str(source), "nope", "no branch 'nope'"),
                                      (str(tmp_path / "gone"), None, "does not appear to be a git repository")):
        with pytest.raises(clone.CloneError, match=message) as caught:
            clone.remote_head(location, branch, 30)
        assert caught.value.kind == "access"


# --- content hashes ------------------------------------------------------------------------------

def _reader(files: dict[str, str]):
    return lambda path: files[path].splitlines() if path in files else None


def _unit(path, lines, kind="function", language="python", members=()):
    return {"id": f"py:{path}", "path": path, "lines": list(lines), "kind": kind, "language": language,
            "members": list(members)}


def test_copies_hash_alike_whatever_their_indentation_spacing_and_line_endings():
    body = "def total(xs):\n    s = 0\n    for x in xs:\n        s += x\n    return s\n"
    method = "class Acc:\n" + "".join(f"    {line}\n" for line in body.splitlines())
    spaced = body.replace("s = 0\n", "s = 0   \n\n").replace("\n", "\r\n")
    read = _reader({"a.py": body, "b.py": method, "c.py": spaced})
    first = fingerprint(_unit("a.py", (1, 5)), read)
    assert first is not None and len(first) == 16
    assert fingerprint(_unit("b.py", (2, 6)), read) == first == fingerprint(_unit("c.py", (1, 6)), read)
    assert fingerprint(_unit("a.py", (1, 5), kind="module"), read) != first
    renamed = _reader({"a.py": body.replace("total", "summed")})
    assert fingerprint(_unit("a.py", (1, 5)), renamed) != first


def test_small_units_and_unreadable_files_get_no_hash():
    read = _reader({"a.py": "def f():\n    return 1\n", "b.py": "x = 1\ny = 2\nz = 3\n"})
    assert normalized(["def f():", "", "    return 1  "]) == "def f():\n    return 1"
    assert fingerprint(_unit("a.py", (1, 2)), read) is None and MIN_LINES == 3
    assert fingerprint(_unit("missing.py", (1, 9)), read) is None
    assert fingerprint(_unit("b.py", (1, 3), kind="module"), read) is not None


def test_components_hash_their_member_files_as_a_set():
    files = {"p/a.py": "a = 1\nb = 2\n", "p/b.py": "c = 3\nd = 4\n", "q/x.py": "c = 3\nd = 4\n",
             "q/y.py": "a = 1\nb = 2\n"}
    read = _reader(files)
    one = fingerprint(_unit("p/", (0, 0), "component", members=["p/a.py", "p/b.py"]), read)
    other = fingerprint(_unit("q/", (0, 0), "component", members=["q/x.py", "q/y.py"]), read)
    assert one is not None and one == other
    assert fingerprint(_unit("q/", (0, 0), "component", members=["q/x.py", "q/gone.py"]), read) is None


# --- the merge -----------------------------------------------------------------------------------------

def _found(repo, ident, score, digest=None, verdict="insufficient-evidence", cost=1.0, benefit=500.0):
    return Found(repo, ident, "function", "python", ident + ".py", ident, ident, (1, 5), score, 1, verdict, "why",
                 12.5, benefit, cost, digest)


def _scanned(name, *found):
    from analyzer.portfolio.sources import Source
    source = Source(name, f"/r/{name}", f"/r/{name}", f"/r/{name}", False, None, None, None, "argument 1")
    summary = {"files": 3, "files_ranked": 2, "units": 5, "commits": 7, "candidates": len(found),
               "languages": ["python"], "verdicts": {}}
    return Scanned(source, "a" * 40, "2025-01-01", "0.1.0", summary, 0, tuple(found))


def test_ranking_is_by_score_then_repository_then_id_whatever_the_arrival_order():
    a = _scanned("a", _found("a", "py:z", 5.0), _found("a", "py:y", 9.0, "h1", "port", 4.0))
    b = _scanned("b", _found("b", "py:x", 5.0), _found("b", "py:w", 2.0, "h1", "port", 4.0, benefit=50.0),
                 _found("b", "py:v", 9.0, "h2", "port", 2.5))
    for order in ([a, b], [b, a]):
        ranked = merge.ranking(order)
        assert [[(p["repository"], p["id"]) for p in e["places"]] for e in ranked] == [
            [("a", "py:y"), ("b", "py:w")], [("b", "py:v")], [("a", "py:z")], [("b", "py:x")]]
    assert [p["benefit"] for p in ranked[0]["places"]] == [500.0, 50.0] and ranked[0]["benefit"] == 500.0
    totals = merge.totals([a, b], [], ranked)
    assert (totals["port_candidates"], totals["effort_days_estimate"], totals["duplicated"]) == (2, 6.5, 1)
    assert (totals["candidates"], totals["places"]) == (4, 5)


def test_document_follows_its_schema_and_names_failures():
    from analyzer.portfolio.sources import Source
    gone = Source("gone", "/r/gone", "/r/gone", "/r/gone", False, None, None, None, "argument 2")
    doc = document.build([_scanned("a", _found("a", "py:z", 5.0, "0123456789abcdef"))],
                         [Failed(gone, Failure("access", "not there"))], True)
    assert document.problems(doc) == []
    assert doc["errors"] == [{"repository": "gone", "source": "/r/gone", "kind": "access", "message": "not there"}]
    text = document.render(doc)
    assert json.loads(text) == doc and text.count("\n") == len(doc) + 2 + sum(len(doc[k]) + 1 for k in
                                                                            ("repositories", "ranking", "errors"))
    broken = {**doc, "ranking": [{**doc["ranking"][0], "verdict": "maybe"}]}
    assert document.problems(broken) == ["ranking/0/verdict: 'maybe' is not one of ['port', 'fix-in-place-first', "
                                         "'not-a-rust-problem', 'needs-boundary-work', 'insufficient-evidence']"]


# --- the store ------------------------------------------------------------------------------------------

def test_store_finds_a_result_by_repository_head_and_tool(tmp_path):
    source = collect([str(tmp_path)], None)[0]
    store = ResultStore(tmp_path / "store.sqlite3")
    assert store.get(source, "a" * 40) is None and store.size_hint(source) == 0
    store.put(source, "a" * 40, '{"doc": 1}', {"py:x": "h"}, 12)
    assert store.get(source, "a" * 40) == ('{"doc": 1}', {"py:x": "h"})
    assert store.get(source, "b" * 40) is None and store.size_hint(source) == 12
    branch = collect([], _listing(tmp_path, f"{tmp_path} branch=dev"))[0]
    assert store.get(branch, "a" * 40) is None
    store.put(source, "b" * 40, '{"doc": 2}', {}, 13)
    assert store.get(source, "a" * 40) is None and store.get(source, "b" * 40) == ('{"doc": 2}', {})


def _listing(folder: Path, line: str) -> Path:
    path = folder / "list.txt"
    path.write_text(line + "\n")
    return path


def test_a_damaged_store_is_rebuilt_and_a_tampered_row_is_dropped(tmp_path):
    import sqlite3
    source = collect([str(tmp_path)], None)[0]
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    store = ResultStore(path)
    assert store.get(source, "a" * 40) is None
    store.put(source, "a" * 40, "{}", {}, 1)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE results SET value = ?", (b"tampered",))
    assert store.get(source, "a" * 40) is None and store.size_hint(source) == 0


# --- the job and its time limit -------------------------------------------------------------------------------

def test_a_job_past_its_time_limit_is_stopped_with_everything_it_started(tmp_path, monkeypatch):
    monkeypatch.setenv(MARK, str(tmp_path))   # inherited by the scan process: it is ours to look for
    source = collect([str(make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}]))], None)[0]
    seen: list = []
    watcher = threading.Thread(target=lambda: seen.extend(wait_for_jobs(str(tmp_path), 5)))
    watcher.start()
    started = time.monotonic()
    result = runner.run_job(Job(source, Settings(timeout=0.5, work_dir=str(tmp_path / "work"), scan_cache=False)))
    watcher.join()
    assert result.failure.kind == "timeout" and "0.5 s" in result.failure.message
    assert result.document is None and time.monotonic() - started < 5
    assert seen, "the scan process was never seen with the test's mark"
    time.sleep(0.2)
    assert not jobs_left(str(tmp_path))


BIG_PARENT = """
import subprocess, sys
ballast = bytearray(200 << 20)
ballast[::4096] = bytes(len(ballast[::4096]))   # touched: resident
probe = ("import resource; from analyzer.portfolio.memory import own_peak_kb; "
         "print(own_peak_kb(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
print(subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="VmHWM is Linux's; elsewhere ru_maxrss is used")
def test_a_process_started_by_a_big_one_reports_its_own_peak_memory():
    """A scan process started by a worker (or a worker by the client) would otherwise report
    its parent's size: Linux keeps ru_maxrss across exec."""
    done = subprocess.run([sys.executable, "-c", BIG_PARENT], capture_output=True, text=True, check=True)
    own, inherited = map(int, done.stdout.split())
    assert inherited >= 200 * 1024 > 100 * 1024 > own > 1024


def test_a_job_answers_the_scan_document_and_hashes(tmp_path):
    repo = build(FIXTURES / "git" / "portfolio-ledger.yaml", tmp_path / "ledger")
    source = collect([str(repo)], _listing(tmp_path, f"{repo} language=python subfolder=ledger"))
    result = runner.run_job(Job(source[1], Settings(work_dir=str(tmp_path / "work"), scan_cache=False)))
    doc = json.loads(result.document)
    jsonschema.validate(doc, json.loads(SCHEMA.read_text()))
    assert result.failure is None and result.head == doc["repo"]["head"]
    assert {c["path"] for c in doc["candidates"]} == {"ledger/__init__.py", "ledger/entries.py", "ledger/storage.py",
                                                       "ledger/varint.py"}
    assert set(result.hashes) < {c["id"] for c in doc["candidates"]} and "py:ledger/varint.py::decode_varints" in \
        result.hashes
    assert result.usage.peak_rss_kb > 10_000


# --- outputs, the command's checks, the --html hook -----------------------------------------------------------

def test_outputs_replace_files_atomically_and_write_into_fifos(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    (tmp_path / "link.json").symlink_to(target)
    outputs.emit("new", tmp_path / "link.json", "--json")
    assert target.read_text() == "new" and (tmp_path / "link.json").is_symlink()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    outputs.emit("through the pipe", fifo, "--json")
    assert reader.communicate(timeout=10)[0] == b"through the pipe" and stat.S_ISFIFO(fifo.stat().st_mode)
    with pytest.raises(ScanError, match="--json .*: folder .* does not exist"):
        outputs.check(tmp_path / "no" / "out.json", "--json")


@pytest.mark.parametrize("arguments, message", [
    ({"scheduler": "tcp://127.0.0.1:8786", "workers": 2}, "--workers sizes the local cluster"),
    ({"scheduler": "dask-scheduler"}, "--scheduler 'dask-scheduler' is not a scheduler address; give one such as "
                                      "tcp://dask-scheduler:8786"),
    ({"scheduler": "tcp://10.0.0.1"}, "--scheduler 'tcp://10.0.0.1' is not a scheduler address"),
    ({"scheduler": "tcp://10.0.0.1:8786/x"}, "is not a scheduler address"),
    ({"workers": 0}, "--workers must be positive, got 0"),
    ({"json_out": Path("-"), "html_out": Path("-")}, "only one output can go to stdout"),
    ({"json_out": Path("no/such/folder/out.json")}, "--json no/such/folder/out.json: folder no/such/folder does not"),
])
def test_bad_arguments_stop_before_anything_runs(arguments, message, tmp_path):
    given = {"scheduler": None, "workers": None, "json_out": None, "html_out": None, "top": None, **arguments}
    with pytest.raises(ScanError, match=message):
        cli.command([str(tmp_path / "never-read")], None, **given)


def test_bad_input_through_the_command_line_is_one_line_and_exit_1(tmp_path):
    listing = _listing(tmp_path, "ok/repo branch=-evil")
    code, out, err = run_cli("portfolio", "--list", str(listing), "--quiet")
    assert (code, out) == (1, "") and "Traceback" not in err
    assert " ".join(err.split()) == f"rustscout: error: {listing}:1: '-evil' is not a branch name"
    code, _, err = run_cli("portfolio", "--quiet")
    assert code == 1 and "no repositories given" in err


def test_scheduler_addresses_in_dask_forms_are_accepted():
    for address in ("tcp://127.0.0.1:8786", "tls://dask.example.org:8786", "10.1.2.3:43127", "tcp://[::1]:8786"):
        assert cli.ADDRESS.fullmatch(address), address


def test_quiet_prints_nothing_and_a_plain_run_its_table_and_summary(tmp_path):
    gone = str(tmp_path / "gone")   # nothing to scan: no cluster is started
    assert run_cli("portfolio", gone, "--no-cache", "-q") == (0, "", "")
    code, out, err = run_cli("portfolio", gone, "--no-cache")
    assert code == 0 and out.split() == ["#", "score", "verdict", "gain", "days", "candidate", "where"]
    assert err.splitlines()[0] == "[1/1] gone: failed"
    assert err.splitlines()[1:3] == ["1 repositories: 0 scanned, 0 unchanged (kept results), 1 failed",
                                     "0 port candidate(s), about 0 days of work (an estimate); 0 candidate(s) live "
                                     "in more than one place"]
    assert err.splitlines()[3].startswith(f"failed: gone: access: '{gone}'")


def test_unreachable_scheduler_is_one_line(tmp_path, monkeypatch):
    from analyzer.portfolio import cluster
    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    repo = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}])
    with pytest.raises(ScanError, match=r"cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        cli.command([str(repo)], None, "tcp://127.0.0.1:9", None, None, None, None, no_cache=True, quiet=True,
                    work_dir=tmp_path / "work")


@pytest.fixture(scope="module")
def ledger_portfolio(tmp_path_factory):
    """The ledger fixture scanned for real, and its portfolio document: (scan, document, details)."""
    from analyzer.portfolio.fingerprints import fingerprints
    ledger = build(FIXTURES / "git" / "portfolio-ledger.yaml", tmp_path_factory.mktemp("ledger") / "ledger")
    scan = json.loads(scan_document(ledger, {"cache": False, "jobs": 1}))
    kept = merge.scanned(collect([str(ledger)], None)[0], scan, fingerprints(scan["candidates"], ledger))
    return scan, document.build([kept], [], True), {("ledger", c["id"]): c for c in scan["candidates"]}


def test_entries_carry_the_factors_of_their_scan(ledger_portfolio):
    scan, doc, _ = ledger_portfolio
    factors = {c["id"]: {f["name"]: f["value"] for f in c["factors"]} for c in scan["candidates"]}
    assert len(doc["ranking"]) == len(scan["candidates"]) and document.problems(doc) == []
    for entry in doc["ranking"]:
        found = factors[entry["places"][0]["id"]]
        assert (entry["native_gain"], entry["benefit"], entry["cost_days"]) == (
            found["native_gain"], found["benefit"], found["cost"])
    top = doc["ranking"][0]
    assert (top["places"][0]["id"], top["verdict"]) == ("py:ledger/varint.py::decode_varints", "port")
    assert top["native_gain"] >= 10 and top["benefit"] >= 1e5   # what `port` means: hot, and clears the 10x bar


def test_each_repository_is_summed_up_from_its_scan(ledger_portfolio, tmp_path):
    scan, doc, _ = ledger_portfolio
    [row] = doc["repositories"]
    assert (row["name"], row["status"], row["head"], row["as_of"]) == ("ledger", "scanned", scan["repo"]["head"],
                                                                      "2025-01-14")
    assert row["top"] == {"id": "py:ledger/varint.py::decode_varints", "score": scan["candidates"][0]["score"],
                          "verdict": "port"}
    assert row["verdicts"] == {"insufficient-evidence": 3, "needs-boundary-work": 2, "not-a-rust-problem": 3,
                               "port": 2}
    assert sum(row["verdicts"].values()) == len(scan["candidates"]) == row["size"]["candidates"]
    assert row["size"] == {"files": 4, "files_ranked": 4, "units": 10, "commits": 5, "candidates": 10}
    assert (row["languages"], row["file_errors"], row["error"]) == (["python"], 0, None)
    # a file that does not parse is counted in its repository's row, and the run goes on
    broken = make_repo(tmp_path, [{"files": {"ok.py": "def f(x):\n    y = x + 1\n    return y\n",
                                             "bad.py": "def g(:\n"}}])
    result = json.loads(scan_document(broken, {"cache": False, "jobs": 1}))
    kept = merge.scanned(collect([str(broken)], None)[0], result, {})
    [row] = document.build([kept], [], True)["repositories"]
    assert row["file_errors"] == 1 and row["status"] == "scanned" and row["size"]["files"] == 2


def test_progress_table_and_summary_are_plain_lines_of_the_document(ledger_portfolio):
    from analyzer.portfolio import flow
    _, doc, _ = ledger_portfolio
    out = io.StringIO()
    lines = cli.Lines(out)
    lines.start(2)
    lines.advance("ledger", "scanned")
    lines.advance("gone", "failed")
    assert out.getvalue() == "[1/2] ledger: scanned\n[2/2] gone: failed\n"
    rows = [row.split() for row in cli.table(doc, 2).splitlines()]
    first, second = (f"{e['score']:g}" for e in doc["ranking"][:2])   # the document's own figures
    assert rows == [["#", "score", "verdict", "gain", "days", "candidate", "where"],
                    ["1", first, "port", "≈17.7x", "≈2.1", "decode_varints", "ledger:ledger/varint.py"],
                    ["2", second, "port", "≈17.7x", "≈2.6", "varint", "ledger:ledger/varint.py"]]
    interrupted = {**doc, "errors": [{"repository": "meter", "source": "/r/meter", "kind": "interrupted",
                                      "message": "stopped"}]}
    told = cli.summary(flow.Outcome(interrupted, False, {"ledger": "reused", "meter": "interrupted"}, {}, {}))
    assert told.splitlines() == [
        "1 repositories: 0 scanned, 1 unchanged (kept results), 0 failed, 1 interrupted",
        "2 port candidate(s), about 4.7 days of work (an estimate); 0 candidate(s) live in more than one place",
        "interrupted: what finished is written and kept; run again to finish the rest"]


def test_html_is_the_report_of_the_merged_top(ledger_portfolio):
    """The HTML report's own page, drawn from the portfolio's view: its candidates are the
    merged ranking's first entries, with their repository in front."""
    _, doc, details = ledger_portfolio
    page = html.render_html(doc, details, 3)
    packed = re.search(r'id="rustscout-index">([^<]*)<', page).group(1)
    shown = json.loads(gzip.decompress(base64.b64decode(packed)))
    expected = [e["places"][0]["id"].replace(":", ":ledger/", 1) for e in doc["ranking"][:3]]
    assert page.startswith("<!DOCTYPE html>") and expected[0] in json.dumps(shown)
    assert "portfolio of 1 repositories" in page


def test_html_view_is_a_scan_document_of_the_merged_top(ledger_portfolio):
    _, doc, details = ledger_portfolio
    shown = html.view(doc, details, 5)
    jsonschema.validate(shown, json.loads(SCHEMA.read_text()))
    assert [c["id"] for c in shown["candidates"]] == [
        e["places"][0]["id"].replace(":", ":ledger/", 1) for e in doc["ranking"][:5]]
    assert all(c["path"].startswith("ledger/") for c in shown["candidates"])
    assert [c["rank"] for c in shown["candidates"]] == [1, 2, 3, 4, 5]


def test_only_the_cluster_module_imports_dask():
    """Dask sits behind analyzer/portfolio/cluster.py: the rest of rustscout runs without it."""
    import ast
    from conftest import ROOT
    found = set()
    for path in (ROOT / "analyzer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name.split(".")[0] in ("dask", "distributed") for name in names):
                found.add(path.relative_to(ROOT).as_posix())
    assert found == {"analyzer/portfolio/cluster.py"}


def test_dask_is_imported_only_when_there_is_work_for_it():
    """Importing Dask takes a second or more: `rustscout scan` must not pay it, nor a
    portfolio run where no head changed."""
    probe = ("import sys, analyzer.cli.app, analyzer.portfolio.flow; "
             "print(sorted(m for m in ('dask', 'distributed') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_cache_dir_reaches_local_workers_only(tmp_path):
    local = cli._settings(None, None, None, tmp_path / "cache", False)
    assert (local.scan_cache_dir, local.work_dir) == (str(tmp_path / "cache"),
                                                      str(tmp_path / "cache" / "portfolio-checkouts"))
    remote = cli._settings("tcp://10.0.0.1:8786", 60, None, tmp_path / "cache", False)
    assert (remote.scan_cache_dir, remote.work_dir, remote.timeout) == (None, None, 60)   # the workers' own folders
    chosen = cli._settings("tcp://10.0.0.1:8786", None, tmp_path / "work", None, True)
    assert (chosen.work_dir, chosen.scan_cache, chosen.timeout) == (str(tmp_path / "work"), False, 1800)
