"""What every run needs around the stages: progress reporting, the clock, rules, the
repository and its history, the cache, and the summary. pipeline.py puts them in order."""

from __future__ import annotations

import gc
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from analyzer import cache as caches, catalog as catalogs, config as cfg, graph as graphs, inventory, metrics
from analyzer import ruleset, vcs
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.model import History, ParsedFile, SourceFile, Summary
from analyzer.resources import rules_dir


class Progress(Protocol):
    """Stages overlap (history runs beside parse and survey): each is started and finished by name."""
    def stage(self, name: str, total: int | None) -> None: ...
    def advance(self, name: str, n: int) -> None: ...
    def done(self, name: str) -> None: ...


class Silent:
    def stage(self, name: str, total: int | None) -> None:
        pass

    def advance(self, name: str, n: int) -> None:
        pass

    def done(self, name: str) -> None:
        pass


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """A scan builds millions of long-lived, acyclic objects: the cyclic collector would
    rescan them again and again (a third of the analysis time on kafka) and find almost
    nothing. Reference counting frees the rest; the few cycles (networkx's views of its
    graphs) wait for the collector's next pass. Its state is restored after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Clock:
    def __init__(self):
        self.laps: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.laps.append((name, time.perf_counter() - start))


def load_rules(config: Config):
    folder = rules_dir()
    catalog = catalogs.load(folder / "catalogs")
    rules = ruleset.load([folder, *config.rules], metrics.registry(catalog), catalog)
    return catalog, tuple(r for r in rules if r.id not in config.disable)


def locate(path: Path) -> tuple[vcs.RepoInfo | None, Path, str]:
    """(repository or None, root that paths are relative to, folder or file to scan under it)."""
    if not path.exists():
        raise ScanError(f"{path}: no such file or directory")
    if path.is_dir() and not _readable(path):
        raise ScanError(f"{path}: permission denied")
    repo = vcs.open_repo(path if path.is_dir() else path.parent)
    root = repo.root.resolve() if repo else (path if path.is_dir() else path.parent).resolve()
    scope = path.resolve().relative_to(root).as_posix()
    return repo, root, "" if scope == "." else scope


def _readable(path: Path) -> bool:
    try:
        next(iter(path.iterdir()), None)
        return True
    except PermissionError:
        return False


def read_history(repo: vcs.RepoInfo | None, config: Config, as_of: int | None,
                 files: Sequence[SourceFile], store: caches.Cache | None = None) -> tuple[History, bool]:
    """The history up to `as_of`, and whether it came from the cache."""
    payload, reused = history_payload(repo, config, as_of, files, store)
    return history_from(payload, repo, config, as_of, files, store), reused


def history_from(payload: bytes, repo: vcs.RepoInfo | None, config: Config, as_of: int | None,
                 files: Sequence[SourceFile], store: caches.Cache | None = None) -> History:
    """The History in a payload; one that does not load is forgotten and read again."""
    found = _history_of(payload)
    if found is not None:
        return found
    (store or caches.Cache(None)).drop("history", [_history_key(repo, config, as_of, files)])
    return _read(repo, config, as_of, files)


def history_payload(repo: vcs.RepoInfo | None, config: Config, as_of: int | None,
                    files: Sequence[SourceFile], store: caches.Cache | None = None) -> tuple[bytes, bool]:
    """The history, pickled, and whether it came from the cache. Pickled because it crosses
    processes (read in the background, shared with the base of a pull request): the cache's
    bytes go as they are, and a fresh read is pickled once for the cache and the caller."""
    store = store or caches.Cache(None)
    key = _history_key(repo, config, as_of, files)
    found = store.get("history", [key]).get(key) if repo is not None else None
    if found is not None:
        return found, True
    history = _read(repo, config, as_of, files)
    payload = caches.dumps(history)
    if history.available:
        store.put("history", [(key, payload)])
    return payload, False


def _history_key(repo: vcs.RepoInfo | None, config: Config, as_of: int | None, files: Sequence[SourceFile]) -> str:
    since, until, window = _bounds(repo, config, as_of)
    return caches.history_key(repo.head if repo else None, repo.shallow if repo else None, since, until, window,
                              inventory.unranked_folders(files))


def _bounds(repo: vcs.RepoInfo | None, config: Config, as_of: int | None) -> tuple[int | None, int, int]:
    until = max(as_of if as_of is not None else ((repo.head_timestamp if repo else 0) or 0), 0)
    return cfg.since_timestamp(config.since, until), until, max(until - config.window_days * cfg.DAY, 0)


def _read(repo: vcs.RepoInfo | None, config: Config, as_of: int | None, files: Sequence[SourceFile]) -> History:
    if repo is None:
        return History(False, "not a git repository: history factors (churn, age, authors, change "
                              "coupling) are missing", None, None)
    since, until, window = _bounds(repo, config, as_of)
    history = vcs.read_history(repo, since, until, window, window_skips=inventory.unranked_folders(files))
    if history.available and not history.commits:
        history = replace(history, available=False, notice=(
            f"no commits between {cfg.iso_day(since) or 'the first commit'} and {cfg.iso_day(until)}: "
            "history factors are missing; check --since and --as-of"))
    return history


def _history_of(payload: bytes) -> History | None:
    try:
        found = caches.loads(payload)
    except Exception:   # unsound
        return None
    return found if isinstance(found, History) else None


def summarize(parsed: tuple[ParsedFile, ...], candidates, history: History, graph: graphs.DependencyGraph) -> Summary:
    tags = Counter(tag for pf in parsed for tag in pf.file.tags)
    tags.update("generated" for pf in parsed if pf.generated)
    ranked = [pf for pf in parsed if pf.ranked]
    notices = [history.notice] if history.notice else []
    if graph.unresolved:
        notices.append(f"{graph.unresolved} call(s) into this repository could not be resolved statically; "
                       "the call graph is approximate")
    if tags.get("generated"):
        notices.append(f"{tags['generated']} generated file(s) left out of the ranking")
    processors = Counter(m for pf in parsed for m in pf.markers)
    for name, files in sorted(processors.items()):
        notices.append(f"{files} file(s) use {name}: code generated by annotation processors (accessors, "
                       "builders, equals) cannot be seen, so those classes look smaller than they are")
    return Summary(
        files=len(parsed), files_ranked=len(ranked), files_by_tag=dict(tags),
        units=sum(len(pf.units) for pf in ranked), candidates=len(candidates), commits=len(history.commits),
        languages=tuple(sorted({pf.file.language for pf in parsed})),
        verdicts=dict(Counter(c.verdict.value for c in candidates)), notices=tuple(notices),
        import_cycles=tuple(graph.import_cycles()))


def open_cache(config: Config) -> caches.Cache:
    if not config.cache:
        return caches.Cache(None)
    return caches.Cache(config.cache_dir or caches.default_folder())


def cache_notes(store: caches.Cache, reused: int, files: int, history_reused: bool) -> tuple[str, ...]:
    if not store.enabled:
        return ("Cache: off",)
    notes = [f"Cache: {reused} of {files} files reused, history {'reused' if history_reused else 'read'} "
             f"({store.folder})"]
    return (*notes, store.notice) if store.notice else tuple(notes)
