"""One repository's work, in a process of its own: `python -m analyzer.portfolio.job`.

The task on the cluster (runner.py) starts this process, hands it a request on stdin and
reads the answer on stdout: a first line of JSON (head, hashes, failure, memory), then the
scan document as it is. A process per repository lets the task stop it at its time limit
(a thread cannot be stopped), gives the scan the forks it makes for itself (a Dask worker
may not have children of its own), and measures the scan's peak memory alone.

Steps: lock the repository's checkout folder (two tasks may share it: one repository with
two subfolders), clone or fetch it to the head of its branch, scan it, hash the code of its
candidates. If the task's worker dies, this process notices (its parent changes) and takes
its process group (git, parse workers) down with it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from analyzer.errors import ScanError
from analyzer.portfolio import store
from analyzer.portfolio.fingerprints import fingerprints
from analyzer.portfolio.memory import own_peak_kb
from analyzer.portfolio.scan import scan_document
from analyzer.vcs import clone


def main() -> int:
    _die_with_parent()
    request = json.loads(sys.stdin.readline())
    answer = sys.stdout
    sys.stdout = sys.stderr   # the answer's channel carries the answer only
    meta, document = run(request)
    meta.update(_memory())
    answer.write(json.dumps(meta, sort_keys=True) + "\n")
    answer.write(document or "")
    answer.flush()
    return 0


def run(request: dict) -> tuple[dict, str | None]:
    """(head, hashes and failure; the scan document), never an exception."""
    slot = checkout_folder(request)
    try:
        with _locked(slot):
            head = clone.checkout(request["location"], request["branch"], slot)
            target = slot / request["subfolder"] if request["subfolder"] else slot
            document = scan_document(target, _overrides(request), request["language"])
            hashes = fingerprints(json.loads(document)["candidates"], slot)
    except clone.CloneError as exc:
        return _failed(exc.kind, str(exc), request, slot), None
    except ScanError as exc:
        return _failed("scan", str(exc), request, slot), None
    except Exception as exc:   # a bug in the scan must cost one repository, not the portfolio
        return _failed("scan", f"internal error: {type(exc).__name__}: {exc}", request, slot), None
    return {"head": head, "hashes": hashes, "failure": None}, document


def checkout_folder(request: dict) -> Path:
    """One folder per repository and branch, named for people and made unique by a hash."""
    root = Path(request["work_dir"]) if request["work_dir"] else store.default_folder() / store.CHECKOUTS
    key = hashlib.sha256(f"{request['identity']}\0{request['branch'] or ''}".encode()).hexdigest()[:12]
    tail = "-".join(request["identity"].rstrip("/").replace(":", "/").split("/")[-2:])   # org-repo, not just repo
    slug = re.sub(r"[^A-Za-z0-9._+-]+", "-", tail).strip("-")[:48]
    return root / f"{slug}-{key}"


def _overrides(request: dict) -> dict:
    overrides = {"jobs": request["jobs"], "cache": request["scan_cache"]}
    if request["scan_cache_dir"]:
        overrides["cache_dir"] = request["scan_cache_dir"]
    return overrides


def _failed(kind: str, message: str, request: dict, slot: Path) -> dict:
    """A one-line message that names the repository, not our folders or its credentials."""
    text = " ".join(message.split())
    for secret, shown in ((str(slot), request["name"]), (request["location"], request["shown"])):
        text = text.replace(secret, shown)
    return {"head": None, "hashes": {}, "failure": {"kind": kind, "message": text}}


@contextmanager
def _locked(slot: Path) -> Iterator[None]:
    slot.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:   # no advisory locks (Windows): one task per checkout is then the user's care
        yield
        return
    with open(slot.with_name(slot.name + ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _memory() -> dict:
    """Peak memory of this process (its own, not its worker's: see memory.py) and of its
    largest child as the kernel counts it (from its size when forked: a history reader
    shares the scan's pages), and the CPU time of both."""
    scale = 1 if sys.platform != "darwin" else 1 / 1024   # ru_maxrss is in bytes on macOS
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"peak_rss_kb": own_peak_kb(), "peak_child_rss_kb": int(children.ru_maxrss * scale),
            "cpu_seconds": round(own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime, 3)}


def _die_with_parent() -> None:
    """A worker killed by the cluster (or by a test) leaves no scan running behind it."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        try:
            if os.getpgid(0) == os.getpid():   # our own group (the runner starts a new session)
                os.killpg(os.getpid(), 9)
        finally:
            os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
