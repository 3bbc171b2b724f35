"""The nouns of a portfolio run: what a task is asked, what it answers, and what the merge
reads from each repository's scan document."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.portfolio.sources import Source

FAILURE_KINDS = ("access", "clone", "timeout", "scan", "worker-lost", "interrupted")
DEFAULT_TIMEOUT = 1800.0


@dataclass(frozen=True, slots=True)
class Settings:
    """How every repository is scanned. None of it changes a scan's output (only how it
    runs), so none of it is part of the key a result is kept under."""
    timeout: float = DEFAULT_TIMEOUT    # seconds per repository: clone, fetch, scan and hashing
    jobs: int = 1                       # parse processes per scan: a cluster's parallelism is its workers
    scan_cache: bool = True             # the scan's own per-file cache, on the worker
    scan_cache_dir: str | None = None   # None: the worker's default cache folder
    work_dir: str | None = None         # where checkouts live; None: the worker's cache folder


@dataclass(frozen=True, slots=True)
class Job:
    """One repository, as a task on the cluster."""
    source: Source
    settings: Settings
    priority: int = 0                   # larger first: a repository known to be big starts early


@dataclass(frozen=True, slots=True)
class Failure:
    kind: str                           # one of FAILURE_KINDS
    message: str                        # one line, without local paths or credentials


@dataclass(frozen=True, slots=True)
class Usage:
    """How a task ran; shown in the terminal and benchmarks, never in the document."""
    seconds: float = 0.0
    peak_rss_kb: int = 0                # the scan process
    peak_child_rss_kb: int = 0          # its largest child (parse worker, history reader, git)
    cpu_seconds: float = 0.0            # the scan process and its children
    worker: str = ""                    # the Dask worker it ran on


@dataclass(frozen=True, slots=True)
class JobResult:
    name: str
    head: str | None
    document: str | None                # the scan's JSON document, as `rustscout scan --json` writes it
    hashes: Mapping[str, str]           # candidate id -> content hash of its code
    failure: Failure | None
    usage: Usage


@dataclass(frozen=True, slots=True)
class Found:
    """One candidate of one repository, as the merged ranking needs it."""
    repository: str
    id: str
    kind: str
    language: str
    path: str
    name: str
    qualname: str
    lines: tuple[int, int]
    score: float
    rank: int
    verdict: str
    reason: str
    native_gain: float | None           # the native_gain factor: speedup per call as drawn (x), an estimate
    benefit: float | None               # the benefit factor: operations a port saves per use of its callers
    cost_days: float | None             # the cost factor: days of work, an estimate
    hash: str | None


@dataclass(frozen=True, slots=True)
class Scanned:
    """What the merge keeps of one repository's scan document."""
    source: Source
    head: str | None
    as_of: str | None
    tool_version: str
    summary: Mapping[str, object]       # the scan document's summary, as it is
    file_errors: int
    candidates: tuple[Found, ...]


@dataclass(frozen=True, slots=True)
class Failed:
    source: Source
    failure: Failure
