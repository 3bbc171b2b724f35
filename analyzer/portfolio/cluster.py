"""Dask distributed: the only module of rustscout that imports it.

- `connect`: a LocalCluster sized to the machine (one single-threaded worker process per
  core: a scan is CPU-bound Python, and each task runs its scan in a process of its own),
  or a client of an existing scheduler (`--scheduler tcp://host:8786`). Workers must run
  the same rustscout as the client: their identity is checked before anything is sent.
- `run`: each repository is one task. Answers are handed over as they arrive. A worker that
  dies mid-task is Dask's to handle: the scheduler gives the task to another worker (up to
  `distributed.scheduler.allowed-failures` times, then it is reported as worker-lost).
  Ctrl-C cancels what has not finished and keeps what has.
"""

from __future__ import annotations

import logging
import re
import signal
import uuid
from contextlib import contextmanager
from dataclasses import replace
from typing import Callable, Iterator, Sequence

from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.scheduler import KilledWorker

from analyzer.errors import ScanError
from analyzer.infra import cpus
from analyzer.portfolio.memory import own_peak_kb
from analyzer.portfolio.model import Failure, Job, JobResult, Usage
from analyzer.portfolio.runner import run_job

CONNECT_TIMEOUT = "20s"     # Dask retries a refused connection until then


@contextmanager
def connect(scheduler: str | None, workers: int | None, identity: Callable[[], str]) -> Iterator[Client]:
    cluster = None
    if scheduler:
        client = _remote(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or cpus.usable(), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address=None, silence_logs=logging.CRITICAL,
                               preload=[__name__])
        client = Client(cluster)
    try:
        _check_workers(client, identity(), scheduler)
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def dask_setup(worker) -> None:
    """Preloaded into each local worker process. Ctrl-C in a terminal reaches the whole
    process group: the client alone answers it (cancels, then closes the cluster), so a
    worker must not die of it first, with a traceback, beside a task."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _remote(address: str) -> Client:
    try:
        return Client(address, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError, ValueError) as exc:   # ValueError: an address Dask cannot parse
        raise ScanError(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def _check_workers(client: Client, expected: str, scheduler: str | None) -> None:
    """A worker with another rustscout would mix two tools' results under one key."""
    try:
        found = client.run(_worker_identity)
    except Exception as exc:   # rustscout missing on a worker, most often
        raise ScanError(f"the workers of {scheduler or 'the local cluster'} cannot run rustscout "
                        f"({type(exc).__name__}: {exc}); install the same version on them") from None
    strangers = sorted(address for address, identity in found.items() if identity != expected)
    if strangers:
        raise ScanError(f"{len(strangers)} worker(s) of {scheduler} run another rustscout than this one "
                        f"({expected}); the first: {strangers[0]} has {found[strangers[0]]}; install the same "
                        "version on the workers")


def _worker_identity() -> str:
    from analyzer.portfolio.store import tool_identity
    return tool_identity()


def run(client: Client, jobs: Sequence[Job], on_answer: Callable[[JobResult], None]) -> bool:
    """Every job, on the cluster; `on_answer` gets each answer as it arrives. Returns False
    when Ctrl-C stopped the run (unfinished jobs are cancelled)."""
    tag = uuid.uuid4().hex[:8]   # keys of two runs sharing a scheduler must not meet
    futures = {client.submit(_task, job, key=f"rustscout-scan-{_key(job)}-{tag}", pure=False,
                             priority=job.priority): job for job in jobs}
    pending = set(futures)
    try:
        for future in as_completed(futures):
            pending.discard(future)
            on_answer(_answer(future, futures[future]))
    except KeyboardInterrupt:
        client.cancel(list(pending))
        return False
    return True


def _key(job: Job) -> str:
    return re.sub(r"[^A-Za-z0-9_.]+", "_", job.source.name)[:60]


def _task(job: Job) -> JobResult:
    result = run_job(job)
    return replace(result, usage=replace(result.usage, worker=get_worker().address))


def _answer(future, job: Job) -> JobResult:
    try:
        return future.result()
    except KilledWorker:
        message = "the workers running it died repeatedly (out of memory?); it was given up"
        return JobResult(job.source.name, None, None, {}, Failure("worker-lost", message), Usage())
    except Exception as exc:   # the task itself never raises: this is the cluster failing it
        message = f"the cluster failed the task: {type(exc).__name__}: {exc}"
        return JobResult(job.source.name, None, None, {}, Failure("scan", " ".join(message.split())), Usage())


def worker_peaks(client: Client) -> dict[str, int]:
    """Each worker process's own peak resident memory, in KiB (its scans are counted apart;
    the client's size when it started the worker is not counted: see memory.py)."""
    return client.run(own_peak_kb)
