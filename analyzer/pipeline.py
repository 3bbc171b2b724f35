"""rustscout's data flow, in one place. Read this first.

Principles
- Data flows one way: inventory -> parse -> survey (graph, facts, groups, code profiles,
  fix-in-place rules, shortlist, boundary, estimate) -> conclude (history maths, profiles,
  rules, score, remedies) -> Report. git history is read in the background from the start
  and joins at `conclude`: the survey needs none of it.
- `run` does that for a work tree (`rustscout scan`). `compare` does it for two commits
  read from git's objects (`rustscout pr`): the head, and the merge base with the base
  branch. Files that did not change are parsed once; the base's history is the head's
  without the pull request's commits, so git is read once.
- Each stage takes complete, frozen values and returns complete values; only this
  module knows the order. Stages never read configuration: they get arguments.
- Files and git are touched at the edges: inventory, parse, vcs, remedies.
- A bad file is an error entry, never an abort. A bad path, rule or setting is a ScanError
  (or RuleError) with one line for the user.
- The clock is never read: history is relative to `as_of`, so one commit gives one output.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from analyzer import __version__, config as cfg, facts, graph as graphs, groups as grouping
from analyzer import background, boundary, estimate, history as histories, inventory, metrics, parse, profiles
from analyzer import remedies, ruleset, score, vcs
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.model import (Boundary, Comparison, Finding, Group, History, ParsedFile, Report, SourceFile, Summary,
                            UnitFacts, Work)
from analyzer.runs import (Clock, Progress, Silent, cache_notes, history_from, history_payload, load_rules, locate,
                           open_cache, summarize, without_cyclic_gc)

__all__ = ["Progress", "Silent", "analyse", "compare", "conclude", "load_rules", "run", "survey"]


def run(config: Config, progress: Progress | None = None) -> Report:
    with without_cyclic_gc():
        return _run(config, progress or Silent())


def _run(config: Config, progress: Progress) -> Report:
    clock = Clock()
    catalog, rules = load_rules(config)
    with clock("inventory"):
        repo, root, scope = locate(config.path)
        tracked = vcs.tracked_files(root) if repo else None
        files, skipped = inventory.discover(root, scope, tracked, config.include, config.exclude,
                                            config.max_file_kb * 1024)
    _require_files(config, files, skipped)
    as_of = cfg.parse_date(config.as_of, "as_of") if config.as_of else (repo.head_timestamp if repo else None)
    store = open_cache(config)
    progress.stage("history", None)   # first: a fork copies only this thread (see background)
    reading = background.start(history_payload, repo, config, as_of, files, store)
    parsing, parsed = _parse(parse.WorkTree(str(root)), [(f, None) for f in files], config, store, progress, clock)
    progress.stage("analyse", None)
    code = survey(parsed, catalog, rules, clock)
    history, _, history_reused = _joined(reading, progress, clock, (repo, config, as_of, files, store))
    summary, candidates, errors = conclude(code, history, rules, catalog, config, lambda p: (root / p).read_bytes(),
                                           as_of, clock)
    progress.done("analyse")
    notes = cache_notes(store, parsing.reused, len(files), history_reused)
    return Report(__version__, str(root), history.head, cfg.iso_day(as_of), summary, candidates,
                  _errors(skipped, errors), rules, tuple(clock.laps), notes)


def compare(config: Config, base_ref: str, head_ref: str = "HEAD", progress: Progress | None = None) -> Comparison:
    """The head commit and the merge base of `base_ref` with it, each analysed as `run` would
    analyse a checkout of it, and the diff between them."""
    with without_cyclic_gc():
        return _compare(config, base_ref, head_ref, progress or Silent())


def _compare(config: Config, base_ref: str, head_ref: str, progress: Progress) -> Comparison:
    clock = Clock()
    catalog, rules = load_rules(config)
    with clock("inventory"):
        head, base, root = _revisions(config, base_ref, head_ref)
    store = open_cache(config)
    progress.stage("history", None)
    head_repo = replace(vcs.open_repo(root), head=head.sha, head_timestamp=head.time)
    history_args = (head_repo, config, head.time, head.files, store)
    reading = background.start(history_payload, *history_args)
    reader = vcs.RevisionReader(str(root))
    items = _union(head.items, base.items)
    parsing, parsed = _parse(reader, items, config, store, progress, clock, keep_order=True)
    by_item = dict(zip(items, parsed))
    head_parsed, base_parsed = _sorted(head.items, by_item), _sorted(base.items, by_item)
    # the base on a second core (a forked child): it surveys its code, then waits for the history
    base_side = background.start(_base_report, base_parsed, base, catalog, rules, config, history_args, inbox=True)
    progress.stage("analyse", None)
    head_code = survey(head_parsed, catalog, rules, clock)
    head_history, payload, history_reused = _joined(reading, progress, clock, history_args)
    with clock("diff"):
        changed = vcs.diff(root, base.sha, head.sha)
        added = vcs.commits_between(root, base.sha, head.sha)
    base_side.send((payload, added, _renamed(changed)))   # the bytes as read: no second pickling
    head_report = _report(head_code, head_history, head, rules, catalog, config, reader, clock)
    with clock("base (beside the head)"):
        base_report, _ = base_side.result()
    progress.done("analyse")
    notes = cache_notes(store, parsing.reused, len(items), history_reused)
    return Comparison(base_ref, base_report, replace(head_report, timings=tuple(clock.laps), run_notes=notes),
                      changed, len(added))


def _base_report(receive, parsed, base: "_Revision", catalog, rules, config: Config, history_args: tuple) -> Report:
    """The merge base's report: its survey first, then its history, derived from the head's
    (without the pull request's commits, under the base's file names) once that arrives."""
    code = survey(parsed, catalog, rules, Clock())
    payload, added, renamed = receive()
    head_history = history_from(payload, *history_args)
    history = histories.before(head_history, added, base.sha, base.time, renamed)
    return _report(code, history, base, rules, catalog, config, None, Clock())


@dataclass(frozen=True)
class _Revision:
    """One commit as the pipeline reads it: its files with their blob ids."""
    sha: str
    time: int
    files: tuple[SourceFile, ...]
    skipped: tuple
    blobs: Mapping[str, str]
    root: str

    @property
    def items(self) -> list[parse.Item]:
        return [(f, self.blobs[f.path]) for f in self.files]


def _revisions(config: Config, base_ref: str, head_ref: str):
    repo, root, scope = locate(config.path)
    if repo is None:
        raise ScanError(f"{config.path}: not a git repository; `rustscout pr` compares two commits")
    head_sha, head_time = vcs.resolve(root, head_ref)
    base_sha = vcs.merge_base(root, vcs.resolve(root, base_ref)[0], head_sha)
    revisions = []
    for sha, stamp in ((head_sha, head_time), (base_sha, vcs.resolve(root, base_sha)[1])):
        files, skipped, blobs = inventory.discover_tree(vcs.tree(root, sha), scope, config.include, config.exclude,
                                                        config.max_file_kb * 1024)
        revisions.append(_Revision(sha, stamp, files, skipped, blobs, str(root)))
    _require_files(config, revisions[0].files, revisions[0].skipped)
    return revisions[0], revisions[1], root


def _union(head: list[parse.Item], base: list[parse.Item]) -> list[parse.Item]:
    """Every distinct (file, blob) once: a file the pull request did not touch is parsed once."""
    seen = set(head)
    return [*head, *(item for item in base if item not in seen)]


def _sorted(items: Sequence[parse.Item], by_item: Mapping) -> tuple[ParsedFile, ...]:
    return tuple(sorted((by_item[i] for i in items), key=lambda p: p.file.path))


def _renamed(changed) -> dict[str, str]:
    return {d.new_path: d.old_path for d in changed if d.old_path and d.new_path and d.old_path != d.new_path}


def _report(code, history: History, revision: _Revision, rules, catalog, config: Config, reader, clock) -> Report:
    """One side of a comparison. The base gets no patches: nobody applies a fix to the past."""
    by_path = {f.path: f for f in revision.files}
    source = (lambda path: reader.read(by_path[path], revision.blobs[path])) if reader is not None else None
    summary, candidates, errors = conclude(code, history, rules, catalog, config, source, revision.time, clock)
    return Report(__version__, revision.root, revision.sha, cfg.iso_day(revision.time), summary, candidates,
                  _errors(revision.skipped, errors), rules)


def _parse(reader, items, config: Config, store, progress: Progress, clock: Clock, keep_order: bool = False):
    progress.stage("parse", len(items))
    started = time.perf_counter()
    parsing = parse.start(reader, items, config.jobs, lambda n: progress.advance("parse", n), store)
    parsed = parsing.result(keep_order)
    clock.laps.append(("parse", time.perf_counter() - started))
    progress.done("parse")
    return parsing, parsed


def _joined(reading: background.Pending, progress: Progress, clock: Clock, reader_args: tuple):
    """Wait for the history read in the background: (history, its pickled bytes, whether it
    came from the cache)."""
    (payload, reused), seconds = reading.result()
    history = history_from(payload, *reader_args)
    clock.laps.insert(1, ("history (in the background)", seconds))
    progress.advance("history", len(history.commits))
    progress.done("history")
    return history, payload, reused


def _require_files(config: Config, files, skipped) -> None:
    if not files and skipped:
        raise ScanError(f"{config.path}: every source file was skipped ({len(skipped)}); the first: "
                        f"{skipped[0].path}: {skipped[0].message}")
    if not files:
        raise ScanError(f"{config.path}: no Python or Java source files to scan")


def _errors(skipped, errors) -> tuple:
    return tuple(sorted((*skipped, *errors), key=lambda e: (e.path, e.kind)))


# --- the analysis ------------------------------------------------------------------------

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


def analyse(parsed, history: History, catalog, rules, config: Config, source: remedies.Source | None,
            as_of: int | None, clock: Clock | None = None):
    """Everything after reading: pure functions of what was read. Every group gets its code
    facts; only the shortlist gets boundary, work estimate, history and the other rules.
    Returns (summary, candidates, file errors)."""
    clock = clock or Clock()
    return conclude(survey(parsed, catalog, rules, clock), history, rules, catalog, config, source, as_of, clock)


def survey(parsed: tuple[ParsedFile, ...], catalog, rules, clock: Clock) -> Survey:
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


def conclude(code: Survey, history: History, rules, catalog, config: Config, source: remedies.Source | None,
             as_of: int | None, clock: Clock) -> tuple[Summary, tuple, tuple]:
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
        candidates = remedies.propose(ranked, rules, code.parsed, source)
    errors = tuple(pf.error for pf in code.parsed if pf.error)
    return summarize(code.parsed, candidates, history, code.graph), candidates, errors
