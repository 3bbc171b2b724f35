"""The task a worker runs for one repository: start job.py in a process of its own, give
it the request, wait at most the time limit, and turn whatever happens into a JobResult.
It never raises: a repository that fails is an answer, not a lost task."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from analyzer.portfolio.model import Failure, Job, JobResult, Usage


def run_job(job: Job) -> JobResult:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "analyzer.portfolio.job"], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = process.communicate(_request(job), timeout=job.settings.timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return _failed(job, "timeout", f"stopped after {job.settings.timeout:g} s (the per-repository time limit)",
                       started)
    return _answer(job, process.returncode, out, err, started)


def _request(job: Job) -> bytes:
    source, settings = job.source, job.settings
    request = {"name": source.name, "location": source.location, "shown": source.shown, "identity": source.identity,
               "branch": source.branch, "subfolder": source.subfolder, "language": source.language,
               "work_dir": settings.work_dir, "jobs": settings.jobs, "scan_cache": settings.scan_cache,
               "scan_cache_dir": settings.scan_cache_dir}
    return json.dumps(request).encode() + b"\n"


def _answer(job: Job, code: int, out: bytes, err: bytes, started: float) -> JobResult:
    header, _, document = out.partition(b"\n")
    try:
        meta = json.loads(header) if code == 0 else None
    except ValueError:
        meta = None
    if meta is None:
        last = next((line for line in reversed(err.decode("utf-8", "replace").splitlines()) if line.strip()), "")
        return _failed(job, "scan", f"the scan process ended with code {code}: {last.strip()[:300]}", started)
    usage = Usage(time.perf_counter() - started, meta["peak_rss_kb"], meta["peak_child_rss_kb"], meta["cpu_seconds"])
    failure = Failure(meta["failure"]["kind"], meta["failure"]["message"]) if meta["failure"] else None
    return JobResult(job.source.name, meta["head"], document.decode("utf-8") if failure is None else None,
                     meta["hashes"], failure, usage)


def _failed(job: Job, kind: str, message: str, started: float) -> JobResult:
    return JobResult(job.source.name, None, None, {}, Failure(kind, message), Usage(time.perf_counter() - started))


def _stop(process: subprocess.Popen) -> None:
    """The job and everything it started (git, parse workers): it leads its own group."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.kill()
    process.communicate()
