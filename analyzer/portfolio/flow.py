"""`rustscout portfolio`, in order. Read this first.

Principles
- Heads first: each source's head is asked of its remote (`git ls-remote`, a few at a
  time, nothing fetched). A repository whose head, settings and tool are unchanged since a
  kept result is not scanned again; a source that cannot be read is an error entry.
- The rest are tasks on Dask (cluster.py), one per repository; each answers with the scan
  document, as `rustscout scan --json` would write it, and the content hashes of its
  candidates. Answers are kept in the store as they arrive, so an interrupted run loses
  nothing that finished.
- The merge reads only scan documents (kept or new alike), so a reused result and a fresh
  one give the same bytes; the order tasks finish in never shows.
- A failing repository never stops the run; bad input (a list line, an unreachable
  scheduler) stops it before anything is scanned, with one line per problem.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Mapping, Protocol, Sequence

from analyzer.portfolio import document, merge
from analyzer.portfolio.model import Failed, Failure, Job, JobResult, Scanned, Settings, Usage
from analyzer.portfolio.sources import Source
from analyzer.portfolio.store import ResultStore, tool_identity
from analyzer.vcs import clone

HEAD_LOOKUPS = 8            # ls-remote calls at once: network-bound, cheap for the client
HEAD_TIMEOUT = 120.0


class Progress(Protocol):
    """Progress over repositories: `advance` once per repository, with how it ended:
    "reused" (head unchanged), "scanned" or "failed"."""
    def start(self, total: int) -> None: ...
    def advance(self, repository: str, status: str) -> None: ...


class Silent:
    def start(self, total: int) -> None:
        pass

    def advance(self, repository: str, status: str) -> None:
        pass


@dataclass(frozen=True, slots=True)
class Cluster:
    scheduler: str | None = None        # None: a LocalCluster on this machine
    workers: int | None = None          # LocalCluster size; None: one per core


@dataclass(frozen=True, slots=True)
class Outcome:
    """A run, finished or interrupted: the document, and how it went (never in the document)."""
    document: dict
    complete: bool
    statuses: Mapping[str, str]                 # repository -> reused | scanned | failed | interrupted
    usage: Mapping[str, Usage]                  # of each repository scanned in this run
    worker_peaks_kb: Mapping[str, int]          # each worker process's own peak memory
    details: Mapping[tuple[str, str], dict] = field(default_factory=dict)   # (repository, id) -> scan candidate
    notices: tuple[str, ...] = ()


def run(sources: Sequence[Source], settings: Settings, where: Cluster, store: ResultStore,
        progress: Progress | None = None, rescan: bool = False, details: int = 0) -> Outcome:
    """The portfolio of `sources`. `rescan` ignores kept results (and still keeps the new
    ones); `details` keeps each repository's first N candidates whole (for --html)."""
    progress = progress or Silent()
    progress.start(len(sources))
    state = _State(store, progress, details)
    heads = _heads(sources, min(settings.timeout, HEAD_TIMEOUT), state)
    jobs = [job for job in (_reuse_or_job(s, h, settings, state, rescan) for s, h in heads) if job is not None]
    complete, peaks = True, {}
    if jobs:
        complete, peaks = _on_cluster(jobs, where, state)
    for job in jobs:
        if job.source.name not in state.statuses:
            state.fail(job.source, Failure("interrupted", "the run was stopped before this repository finished"),
                       "interrupted")
    doc = document.build(_ordered(state.results), _ordered(state.failures), complete)
    notices = (store.notice,) if store.notice else ()
    return Outcome(doc, complete, state.statuses, state.usage, peaks, state.details, notices)


def _on_cluster(jobs: Sequence[Job], where: Cluster, state: "_State") -> tuple[bool, dict[str, int]]:
    # Dask is imported here, when there is work for it: importing it costs every other
    # command (and a run where no head changed) a second or more
    from analyzer.portfolio import cluster
    with cluster.connect(where.scheduler, where.workers, tool_identity) as client:
        complete = cluster.run(client, jobs, state.answer)
        return complete, cluster.worker_peaks(client)


class _State:
    """What has been learnt so far; answers from the cluster land here as they arrive."""

    def __init__(self, store: ResultStore, progress: Progress, details: int):
        self.store, self.progress, self.keep = store, progress, details
        self.results: dict[str, Scanned] = {}
        self.failures: dict[str, Failed] = {}
        self.statuses: dict[str, str] = {}
        self.usage: dict[str, Usage] = {}
        self.details: dict[tuple[str, str], dict] = {}
        self.sources: dict[str, Source] = {}

    def done(self, source: Source, doc: dict, hashes: Mapping[str, str], status: str) -> None:
        self.results[source.name] = merge.scanned(source, doc, hashes)
        for candidate in doc["candidates"][:self.keep]:
            self.details[(source.name, candidate["id"])] = candidate
        self.statuses[source.name] = status
        self.progress.advance(source.name, status)

    def fail(self, source: Source, failure: Failure, status: str = "failed") -> None:
        self.failures[source.name] = Failed(source, failure)
        self.statuses[source.name] = status
        self.progress.advance(source.name, status)

    def answer(self, result: JobResult) -> None:
        source = self.sources[result.name]
        self.usage[result.name] = result.usage
        if result.failure is not None:
            self.fail(source, result.failure)
            return
        doc = json.loads(result.document)
        self.store.put(source, result.head, result.document, dict(result.hashes), doc["summary"]["files"])
        self.done(source, doc, result.hashes, "scanned")


def _heads(sources: Sequence[Source], timeout: float, state: _State) -> list[tuple[Source, str]]:
    """(source, head) for every source whose head could be read; the others fail here."""
    asked = {(s.location, s.branch) for s in sources}
    with ThreadPoolExecutor(min(HEAD_LOOKUPS, len(asked))) as pool:
        answers = dict(zip(asked, pool.map(lambda key: _head(*key, timeout), asked)))
    found = []
    for source in sources:
        state.sources[source.name] = source
        head = answers[(source.location, source.branch)]
        if isinstance(head, Failure):
            state.fail(source, Failure(head.kind, head.message.replace(source.location, source.shown)))
        else:
            found.append((source, head))
    return found


def _head(location: str, branch: str | None, timeout: float) -> str | Failure:
    try:
        return clone.remote_head(location, branch, timeout)
    except clone.CloneError as exc:
        return Failure(exc.kind, " ".join(str(exc).split()))


def _reuse_or_job(source: Source, head: str, settings: Settings, state: _State, rescan: bool) -> Job | None:
    kept = None if rescan else state.store.get(source, head)
    if kept is not None:
        state.done(source, json.loads(kept[0]), kept[1], "reused")
        return None
    return Job(source, settings, state.store.size_hint(source))


def _ordered(found: Mapping[str, object]) -> list:
    return [found[name] for name in sorted(found)]
