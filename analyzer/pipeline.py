"""rustscout's data flow, in one place. Read this first.

Principles
- Data flows one way: inventory -> parse -> survey (graph, facts, groups, code profiles,
  fix-in-place rules, shortlist, boundary, estimate) -> conclude (history maths, profiles,
  rules, score, remedies) -> Report. git history is read in the background from the start
  and joins at `conclude`: the survey needs none of it.
- Each stage takes complete, frozen values and returns complete values; only this
  module knows the order. Stages never read configuration: they get arguments.
- Files and git are touched at the edges: inventory, parse, vcs, remedies.
- A bad file is an error entry, never an abort. A bad path, rule or setting is a ScanError
  (or RuleError) with one line for the user.
- The clock is never read: history is relative to `as_of`, so one commit gives one output.
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator, Mapping, Protocol, Sequence

from analyzer import __version__, catalog as catalogs, config as cfg, facts, graph as graphs, groups as grouping
from analyzer import boundary, estimate, history as histories, inventory, metrics, parse, profiles, remedies
from analyzer import background, cache as caches, ruleset, score, vcs
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.model import Boundary, Finding, Group, History, ParsedFile, Report, SourceFile, Summary, UnitFacts, Work
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


def run(config: Config, progress: Progress | None = None) -> Report:
    with _without_cyclic_gc():
        return _run(config, progress or Silent())


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
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


def _run(config: Config, progress: Progress) -> Report:
    clock = _Clock()
    catalog, rules = load_rules(config)
    with clock("inventory"):
        repo, root, scope = locate(config.path)
        tracked = vcs.tracked_files(root) if repo else None
        files, skipped = inventory.discover(root, scope, tracked, config.include, config.exclude,
                                            config.max_file_kb * 1024)
    if not files and skipped:
        raise ScanError(f"{config.path}: every source file was skipped ({len(skipped)}); the first: "
                        f"{skipped[0].path}: {skipped[0].message}")
    if not files:
        raise ScanError(f"{config.path}: no Python or Java source files to scan")
    as_of = cfg.parse_date(config.as_of, "as_of") if config.as_of else (repo.head_timestamp if repo else None)
    store = open_cache(config)
    progress.stage("history", None)   # first: a fork copies only this thread (see background)
    reading = background.start(read_history, repo, config, as_of, files, store)
    progress.stage("parse", len(files))
    parse_started = time.perf_counter()
    parsing = parse.start(parse.WorkTree(str(root)), [(f, None) for f in files], config.jobs,
                          lambda n: progress.advance("parse", n), store)
    parsed = parsing.result()
    clock.laps.append(("parse", time.perf_counter() - parse_started))
    progress.done("parse")
    progress.stage("analyse", None)
    code = survey(parsed, catalog, rules, clock)
    (history, history_reused), seconds = reading.result()
    clock.laps.insert(1, ("history (in the background)", seconds))
    progress.advance("history", len(history.commits))
    progress.done("history")
    summary, candidates, errors = conclude(code, history, rules, catalog, config, root, as_of, clock)
    progress.done("analyse")
    errors = tuple(sorted((*skipped, *errors), key=lambda e: (e.path, e.kind)))
    notes = cache_notes(store, parsing.reused, len(files), history_reused)
    return Report(__version__, str(root), history.head, cfg.iso_day(as_of), summary, candidates, errors,
                  rules, tuple(clock.laps), notes)


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


@dataclass(frozen=True)
class Survey:
    """What the code alone says, before history: the graph, every unit's facts, the groups,
    the fix-in-place findings, and the shortlist with its boundaries and work estimates."""
    parsed: tuple[ParsedFile, ...]
    graph: graphs.DependencyGraph
    unit_facts: Mapping[str, UnitFacts]
    groups: tuple[Group, ...]
    code: profiles.CodeProfiles
    fixes: tuple[Finding, ...]
    shortlist: tuple[Group, ...]
    boundaries: Mapping[str, Boundary]
    works: Mapping[str, Work]


def analyse(parsed, history: History, catalog, rules, config: Config, root: Path, as_of: int | None,
            clock: "_Clock | None" = None):
    """Everything after reading: pure functions of what was read. Every group gets its code
    facts; only the shortlist gets boundary, work estimate, history and the other rules.
    Returns (summary, candidates, file errors)."""
    clock = clock or _Clock()
    return conclude(survey(parsed, catalog, rules, clock), history, rules, catalog, config, root, as_of, clock)


def survey(parsed: tuple[ParsedFile, ...], catalog, rules, clock: "_Clock") -> Survey:
    """The half of the analysis that needs no history, so it runs while git is still read."""
    with clock("graph"):
        graph = graphs.build(parsed)
    with clock("facts"):
        unit_facts = facts.classify(parsed, catalog, graph.resolved)
    with clock("groups"):
        found_groups = grouping.collect(parsed, graph)
    with clock("code profiles"):
        heat = estimate.unit_heat(graph.units, unit_facts, graph, catalog.costs)
        fixable = [r for r in rules if r.effect == "fix-in-place"]
        code = profiles.code_profiles(found_groups, graph, unit_facts, heat, catalog, {k for r in fixable for k in r.units},
                                      ruleset.triggers(fixable, metrics.observation_names(catalog)))
        fixes = ruleset.find_all(fixable, code.profiles.values(), found_groups)
        shortlist = score.shortlist(found_groups, code, fixes)
    with clock("boundary + estimate"):
        boundaries = boundary.compute(shortlist, graph, parsed, unit_facts)
        works = estimate.estimate(shortlist, heat, graph, catalog.costs)
    return Survey(parsed, graph, unit_facts, tuple(found_groups), code, tuple(fixes), tuple(shortlist),
                  boundaries, works)


def conclude(code: Survey, history: History, rules, catalog, config: Config, root: Path, as_of: int | None,
             clock: "_Clock") -> tuple[Summary, tuple, tuple]:
    """History joins the survey: the shortlist's full profiles, the other rules, the score."""
    with clock("history maths"):
        units = [u for pf in code.parsed for u in pf.units]
        history_facts = histories.summarize(history, units, (pf.file.path for pf in code.parsed), as_of or 0,
                                            config.window_days)
    with clock("profiles + rules + score"):
        full = profiles.build(code.shortlist, code.code, code.graph, code.boundaries, code.works, history_facts,
                              catalog)
        fixable = [r for r in rules if r.effect == "fix-in-place"]
        others = ruleset.find_all([r for r in rules if r not in fixable], full.values(), code.shortlist)
        ranked = score.rank(code.shortlist, code.works, full, code.boundaries, (*code.fixes, *others), rules,
                            catalog, history_facts, code.graph)
    with clock("remedies"):
        candidates = remedies.propose(ranked, rules, code.parsed, root)
    errors = tuple(pf.error for pf in code.parsed if pf.error)
    return summarize(code.parsed, candidates, history, code.graph.unresolved), candidates, errors


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
    if repo is None:
        return History(False, "not a git repository: history factors (churn, age, authors, change "
                              "coupling) are missing", None, None), False
    until = max(as_of if as_of is not None else (repo.head_timestamp or 0), 0)
    since = cfg.since_timestamp(config.since, until)
    window = max(until - config.window_days * cfg.DAY, 0)
    skips = inventory.unranked_folders(files)
    store = store or caches.Cache(None)
    key = caches.history_key(repo.head, repo.shallow, since, until, window, skips)
    found = _cached_history(store, key)
    if found is not None:
        return found, True
    history = vcs.read_history(repo, since, until, window, window_skips=skips)
    if history.available and not history.commits:
        history = replace(history, available=False, notice=(
            f"no commits between {cfg.iso_day(since) or 'the first commit'} and {cfg.iso_day(until)}: "
            "history factors are missing; check --since and --as-of"))
    if history.available:
        store.put("history", [(key, caches.dumps(history))])
    return history, False


def _cached_history(store: caches.Cache, key: str) -> History | None:
    payload = store.get("history", [key]).get(key)
    try:
        found = caches.loads(payload) if payload is not None else None
    except Exception:   # unsound: recompute (and forget it)
        store.drop("history", [key])
        return None
    return found if isinstance(found, History) else None


def summarize(parsed: tuple[ParsedFile, ...], candidates, history: History, unresolved: int) -> Summary:
    tags = Counter(tag for pf in parsed for tag in pf.file.tags)
    tags.update("generated" for pf in parsed if pf.generated)
    ranked = [pf for pf in parsed if pf.ranked]
    notices = [history.notice] if history.notice else []
    if unresolved:
        notices.append(f"{unresolved} call(s) into this repository could not be resolved statically; "
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
        verdicts=dict(Counter(c.verdict.value for c in candidates)), notices=tuple(notices))


class _Clock:
    def __init__(self):
        self.laps: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.laps.append((name, time.perf_counter() - start))
