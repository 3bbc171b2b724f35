"""`rustscout portfolio` as it runs: real Dask clusters (a LocalCluster of 2 worker processes,
and a scheduler and worker started with the `dask` CLIs) over repositories built from
fixtures/git/portfolio-*.yaml: two Python services sharing a copied function, a Java
library, a repository without code (its scan fails) and a path that does not exist."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

from analyzer.portfolio import cli, document, flow
from analyzer.portfolio.model import Settings
from analyzer.portfolio.sources import collect
from analyzer.portfolio.store import ResultStore
from conftest import FIXTURES, build
from portfolio_support import MARK, jobs_left, wait_for_jobs

REPOSITORIES = ("ledger", "meter", "signals", "notes")
SCANNED = {"ledger", "meter", "signals"}
# the first places of the merged ranking: score first; ties by repository, then candidate id
TOP = [("ledger", "py:ledger/varint.py::decode_varints"), ("ledger", "py:ledger/varint.py"),
       ("meter", "py:meter/codec/frames.py"), ("meter", "py:meter/smoothing.py::moving_average"),
       ("meter", "py:meter/smoothing.py::peaks"), ("ledger", "py:ledger/varint.py::encode_varint")]


class Recorder:
    """Progress as a list of (repository, status)."""

    def __init__(self):
        self.total, self.events = 0, []

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, repository: str, status: str) -> None:
        self.events.append((repository, status))

    def statuses(self) -> dict[str, str]:
        return dict(self.events)


@pytest.fixture(scope="module")
def place(tmp_path_factory):
    root = tmp_path_factory.mktemp("portfolio")
    for name in REPOSITORIES:
        build(FIXTURES / "git" / f"portfolio-{name}.yaml", root / name)
    return root


def sources(place: Path) -> list[str]:
    return [str(place / name) for name in (*REPOSITORIES, "gone")]


@pytest.fixture(scope="module")
def first_run(place):
    """The portfolio on a LocalCluster of two workers, then the same run again."""
    runs = []
    for n in (1, 2):
        progress = Recorder()
        code = cli.command(sources(place), None, None, 2, place / f"run{n}.json", None, None,
                           work_dir=place / "work", cache_dir=place / "cache", quiet=True, progress=progress)
        runs.append((code, progress, (place / f"run{n}.json").read_bytes()))
    return runs


def test_first_run_ranks_across_repositories(first_run):
    code, progress, raw = first_run[0]
    doc = json.loads(raw)
    assert code == 0 and document.problems(doc) == []
    assert progress.total == 5 and progress.statuses() == {**{n: "scanned" for n in SCANNED},
                                                           "notes": "failed", "gone": "failed"}
    ranking = doc["ranking"]
    assert [(e["places"][0]["repository"], e["places"][0]["id"]) for e in ranking[:len(TOP)]] == TOP
    # the Java CRC ranks among them by the same score: a port of it gains a few times, the Python loops far more
    crc_id = "java:src/main/java/org/signals/Crc.java::Crc.crc32(byte[])"
    crc = next(e for e in ranking if e["places"][0]["id"] == crc_id)
    assert len(TOP) < crc["rank"] <= 15
    orders = [(-e["score"], e["places"][0]["repository"], e["places"][0]["id"]) for e in ranking]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert [e["rank"] for e in ranking] == list(range(1, len(ranking) + 1))
    rows = {r["name"]: r for r in doc["repositories"]}
    assert ranking[0]["score"] == rows["ledger"]["top"]["score"] and ranking[0]["verdict"] == "port"
    # meter's own top is its copy of decode_varints: in the merged ranking, the second place of entry 1
    assert rows["meter"]["top"] == {"id": "py:meter/codec/frames.py::decode_varints",
                                    "score": ranking[0]["places"][1]["score"], "verdict": "insufficient-evidence"}
    assert doc["totals"]["places"] == sum(rows[n]["size"]["candidates"] for n in SCANNED)


def test_copied_function_is_one_candidate_with_both_places(first_run):
    doc = json.loads(first_run[0][2])
    found = [e for e in doc["ranking"] if e["name"] == "decode_varints"]
    assert len(found) == 1
    entry = found[0]
    places = [(p["repository"], p["path"], p["lines"]) for p in entry["places"]]
    assert places == [("ledger", "ledger/varint.py", [1, 13]), ("meter", "meter/codec/frames.py", [1, 14])]
    # hot in ledger (called for every blob of every batch), called once in meter: one port serves both,
    # and the entry speaks for its best place
    ledger, meter = entry["places"]
    assert (ledger["verdict"], meter["verdict"]) == ("port", "insufficient-evidence")
    assert ledger["benefit"] > 100_000 > 1_000 > meter["benefit"] > 0
    assert (entry["score"], entry["verdict"], entry["benefit"]) == (ledger["score"], "port", ledger["benefit"])
    assert entry["score"] > meter["score"] and entry["native_gain"] >= 10 and len(entry["hash"]) == 16
    assert doc["totals"]["duplicated"] == 1
    assert doc["totals"]["candidates"] == doc["totals"]["places"] - 1
    only_ledger = next(e for e in doc["ranking"] if e["name"] == "encode_varint")
    assert [p["repository"] for p in only_ledger["places"]] == ["ledger"]


def test_failures_are_entries_and_the_run_completes(first_run, place):
    doc = json.loads(first_run[0][2])
    assert doc["complete"] is True
    errors = {e["repository"]: e for e in doc["errors"]}
    assert sorted(errors) == ["gone", "notes"]
    assert errors["gone"]["kind"] == "access" and "does not appear to be a git repository" in errors["gone"]["message"]
    assert errors["notes"] == {"repository": "notes", "source": str(place / "notes"), "kind": "scan",
                               "message": "notes: no Python or Java source files to scan"}
    assert str(place / "work") not in first_run[0][2].decode()
    rows = {r["name"]: r for r in doc["repositories"]}
    assert rows["notes"]["status"] == "failed" and rows["notes"]["error"]["kind"] == "scan"
    assert rows["signals"]["languages"] == ["java"] and rows["ledger"]["languages"] == ["python"]
    assert doc["totals"]["repositories"] == 5 and doc["totals"]["failed"] == 2


def test_totals_count_port_candidates_and_their_effort(first_run):
    doc = json.loads(first_run[0][2])
    ports = [e for e in doc["ranking"] if e["verdict"] == "port"]
    assert [e["places"][0]["id"] for e in ports] == ["py:ledger/varint.py::decode_varints", "py:ledger/varint.py"]
    assert doc["totals"]["port_candidates"] == 2 and all(e["native_gain"] >= 10 for e in ports)
    # the copy in meter is not counted again: one port serves both places
    assert doc["totals"]["effort_days_estimate"] == round(ports[0]["cost_days"] + ports[1]["cost_days"], 1)
    assert "estimate" in doc["totals"]["effort_note"]


def test_second_run_reuses_unchanged_repositories_and_writes_the_same_bytes(first_run):
    (_, _, first), (code, progress, second) = first_run
    assert code == 0 and second == first
    assert progress.statuses() == {**{n: "reused" for n in SCANNED}, "notes": "failed", "gone": "failed"}


def test_new_commit_rescans_only_that_repository(first_run, place, tmp_path):
    from conftest import add_commits
    changed = tmp_path / "ledger"
    subprocess.run(["git", "clone", "-q", str(place / "ledger"), str(changed)], check=True)
    add_commits(changed, [{"files": {"ledger/extra.py": "def twice(x):\n    y = x * 2\n    return y\n"},
                           "date": "2025-02-01T10:00:00Z"}])
    store = ResultStore(place / "cache" / "rustscout-portfolio.sqlite3")
    progress = Recorder()
    chosen = collect([str(changed), str(place / "meter")], None)
    settings = Settings(work_dir=str(place / "work"), scan_cache_dir=str(place / "cache"))
    outcome = flow.run(chosen, settings, flow.Cluster(workers=1), store, progress)
    assert progress.statuses() == {"ledger": "scanned", "meter": "reused"}
    assert document.problems(outcome.document) == []
    assert any(p["path"] == "ledger/extra.py" for e in outcome.document["ranking"] for p in e["places"])


def _kill_first_busy_worker(address: str, mark: str, killed: list, seen: list) -> None:
    """Kill (SIGKILL) the first worker seen running a task, once its scan process (with the
    test's mark) runs: the nanny starts a new worker and the scheduler hands the task to a
    live one."""
    with Client(address, timeout="20s") as client:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            busy = [w for w, keys in client.processing().items() if keys]
            if busy:
                seen.extend(wait_for_jobs(mark, 10))   # inside the task: its scan process is running
                pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
                killed.append((busy[0], client.processing()[busy[0]]))
                os.kill(pid, signal.SIGKILL)
                return
            time.sleep(0.05)


def test_killed_worker_task_is_rescheduled_and_the_result_is_complete(first_run, place, monkeypatch, tmp_path):
    monkeypatch.setenv(MARK, str(tmp_path))   # inherited by the workers and their scans
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as local:
        killed: list = []
        seen: list = []
        killer = threading.Thread(target=_kill_first_busy_worker,
                                  args=(local.scheduler_address, str(tmp_path), killed, seen))
        killer.start()
        progress = Recorder()
        outcome = flow.run(collect(sources(place), None), Settings(work_dir=str(place / "work-killed"), scan_cache=False),
                           flow.Cluster(scheduler=local.scheduler_address), ResultStore(None), progress)
        killer.join()
    assert killed, "no worker was seen running a task"
    assert seen, "no scan process was seen with the test's mark"
    worker, keys = killed[0]
    assert outcome.complete and document.render(outcome.document).encode() == first_run[0][2]
    moved = [name for name, usage in outcome.usage.items() if any(name.replace("/", "_") in k for k in keys)]
    assert moved and all(outcome.usage[name].worker != worker for name in moved)
    time.sleep(1.5)   # an orphaned scan process notices its parent is gone within 0.5 s
    assert not jobs_left(str(tmp_path))


def _dask(*args: str, log: Path) -> subprocess.Popen:
    command = Path(sys.executable).parent / "dask"
    if not command.exists():
        pytest.fail(f"{command} is missing: install rustscout with its dependencies (dask[distributed])")
    return subprocess.Popen([str(command), *args], stdout=log.open("w"), stderr=subprocess.STDOUT)


def test_scheduler_started_with_the_dask_cli(first_run, place, tmp_path):
    address_file = tmp_path / "scheduler.json"
    started = [_dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                     "--scheduler-file", str(address_file), log=tmp_path / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        started.append(_dask("worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard",
                             "--local-directory", str(tmp_path / "worker"), log=tmp_path / "worker.log"))
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        code = cli.command(sources(place), None, address, None, tmp_path / "remote.json", None, None,
                           work_dir=tmp_path / "work", no_cache=True, quiet=True)
    finally:
        for process in reversed(started):
            process.terminate()
            process.wait(timeout=30)
    assert code == 0 and (tmp_path / "remote.json").read_bytes() == first_run[0][2]


CTRL_C_RUN = """
import sys
from pathlib import Path
from analyzer.portfolio import cli
folder = Path(sys.argv[1])
sys.exit(cli.command(sys.argv[2:], None, None, 2, folder / "partial.json", None, None,
                     work_dir=folder / "work", cache_dir=folder / "cache"))
"""


def test_ctrl_c_stops_cleanly_and_keeps_what_finished(place, tmp_path):
    """Ctrl-C as a terminal sends it: SIGINT to the whole process group, workers included."""
    chosen = [str(place / name) for name in sorted(SCANNED)]
    process = subprocess.Popen([sys.executable, "-c", CTRL_C_RUN, str(tmp_path), *chosen], stderr=subprocess.PIPE,
                               stdout=subprocess.DEVNULL, text=True, start_new_session=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines = []
    for line in process.stderr:   # wait for the first repository to finish
        lines.append(line)
        if line.rstrip().endswith(": scanned"):
            os.killpg(process.pid, signal.SIGINT)
            break
    lines += process.stderr.readlines()
    assert process.wait(timeout=60) == 130, "".join(lines)
    assert not [line for line in lines if "Traceback" in line or "KeyboardInterrupt" in line], "".join(lines)
    doc = json.loads((tmp_path / "partial.json").read_text())
    finished = [r["name"] for r in doc["repositories"] if r["status"] == "scanned"]
    stopped = sorted(e["repository"] for e in doc["errors"] if e["kind"] == "interrupted")
    assert doc["complete"] is False and document.problems(doc) == []
    assert finished and stopped and sorted(finished + stopped) == sorted(SCANNED)
    assert "interrupted: what finished is written and kept" in "".join(lines)
    again = Recorder()
    code = cli.command(chosen, None, None, 2, tmp_path / "full.json", None, None,
                       work_dir=tmp_path / "work", cache_dir=tmp_path / "cache", quiet=True, progress=again)
    assert code == 0 and again.statuses() == {name: "reused" if name in finished else "scanned" for name in SCANNED}
    assert json.loads((tmp_path / "full.json").read_text())["complete"] is True
