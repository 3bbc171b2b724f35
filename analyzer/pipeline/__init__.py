"""rustscout's data flow, in one place. Read this first.

Principles
- Data flows one way, in this order, for every commit analysed:

      inventory -> parse -> roles (declared build code no test imports) -> survey (graph,
      facts, groups, time model, fix-in-place rules, shortlist, boundaries, work)
      -> measured evidence (profiles, coverage) -> history joins
      -> conclude (history maths, measures, other rules, judgements) -> fixes -> candidates
      -> Report (with the native twins a scan finds beside the code: reported, never scored)

  Findings that `rustscout: ignore` comments or per_path_ignores suppress are taken out as
  each rule stage makes them (code/suppress.py), before anything reads them; the summary
  counts them.

  git history is read in the background from the start: the survey needs none of it.
- `run` does that for a work tree (`rustscout scan`). `compare` does it for two commits read
  from git's objects: the head, and the merge base with the base branch; the base is
  analysed in a child process beside the head. Files that did not change are parsed once;
  the base's history is the head's without the pull request's commits, so git is read once.
  `review` is the pull request's use case: compare, then the delta, the gate and the comment.
- Each stage takes complete, frozen values and returns complete values; only this package
  knows the order. Stages never read configuration: they get arguments.
- Files and git are touched at the edges: inventory, parse, vcs, fixes.
- A bad file is an error entry, never an abort. A bad path, rule or setting is a ScanError
  (or RuleError) with one line for the user. A bad profile or coverage report is an error
  entry too: recognised before the long work, the run goes on with estimates.
- The clock is never read: history is relative to `as_of`, so one commit gives one output.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from analyzer import __version__, evidence, fixes, inventory, parse, ruleset, score, vcs
from analyzer import history as histories
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.infra import background
from analyzer.infra.clock import Clock, Progress, Silent, without_cyclic_gc
from analyzer.infra.dates import iso_day, parse_date, since_timestamp
from analyzer.code import twins
from analyzer.model import Comparison, FileError, History, NativeTwin, ParsedFile, Report, Rule, SourceFile
from analyzer.model.runtime import Loaded, RuntimeEvidence
from analyzer.model.delta import Baseline, Review
from analyzer.pipeline import assemble, revisions
from analyzer.pipeline.modules import module_graph
from analyzer.pipeline.survey import Survey, conclude, survey
from analyzer.pr import delta as deltas
from analyzer.pr import gate
from analyzer.report.markdown import render_pr
from analyzer.ruleset import Catalog

__all__ = ["Progress", "Silent", "compare", "load_rules", "review", "run"]


@dataclass(frozen=True, slots=True)
class _Given:
    """What the user gave besides the code: rules and their catalogs, profiles and coverage."""
    catalog: Catalog
    rules: tuple[Rule, ...]
    measured: Loaded


@dataclass(frozen=True, slots=True)
class _Side:
    """One commit being reported on: where it lives, its time, what the inventory skipped,
    and how to read its files again (for patches; None for a base, nobody patches the past)."""
    root: str
    head: str | None
    time: int | None
    skipped: tuple[FileError, ...]
    source: fixes.Source | None
    unread: tuple[tuple[str, int], ...] = ()   # source files in languages not read: (language, files)


def load_rules(config: Config) -> tuple[Catalog, tuple[Rule, ...]]:
    named = [(f"per_path_ignores.{glob}", selectors) for glob, selectors in config.per_path_ignores]
    return ruleset.load_rules(config.rules, config.disable, fixes.FIXES, config.select, config.ignore, named)


def _given(config: Config) -> _Given:
    return _Given(*load_rules(config), evidence.load(config.profiles, config.coverage))


def run(config: Config, progress: Progress | None = None, passed_over: bool = False) -> Report:
    """The Report of a work tree; with `passed_over`, it also says why each unit or group that
    is not a candidate was left out (for `explain`; it costs a pass over every group)."""
    with without_cyclic_gc():
        return _run(config, progress or Silent(), passed_over)


def _run(config: Config, progress: Progress, passed_over: bool = False) -> Report:
    clock, known = Clock(), _given(config)
    with clock("inventory"):
        repo, root, scope = inventory.locate(config.path)
        listed = vcs.tracked_files(root) if repo else None
        files, skipped = inventory.discover(root, scope, listed, config.include, config.exclude,
                                            config.max_file_kb * 1024)
        every = listed if listed is not None else inventory.listing(root)   # the build files are among them
        declared = inventory.declared_build(root, every)
    _require_files(config, files, skipped)
    as_of = parse_date(config.as_of, "as_of") if config.as_of else (repo.head_timestamp if repo else None)
    store = assemble.open_cache(config)
    progress.stage("history", None)   # first: a fork copies only this thread (see background)
    reread = (repo, histories.bounds(repo, as_of, config.window_days, config.since), files, store)
    reading = background.start(histories.payload, *reread, idle=True)
    parsed, reused = _parse(parse.WorkTree(str(root)), [(f, None) for f in files], config, store, progress, clock)
    progress.stage("analyse", None)
    parsed = inventory.tag_build_code(parsed, declared)
    code = survey(parsed, known.catalog, known.rules, clock, config.per_path_ignores)
    with clock("native twins"):
        found = twins.match(inventory.native_sources(root, every), code.parsed)
    history, _, history_reused = _joined(reading, progress, clock, reread)
    side = _Side(str(root), history.head, as_of, skipped, lambda p: (root / p).read_bytes(),
                 inventory.unread_languages(every, scope))
    report = assemble.scoped(_report(side, code, history, known, config, clock, found), scope)
    progress.done("analyse")
    return replace(report, timings=clock.laps, run_notes=assemble.cache_notes(store, reused, len(files),
                                                                                history_reused if repo else None),
                   passed_over=assemble.passed_over(code) if passed_over else ())


def compare(config: Config, base_ref: str, head_ref: str = "HEAD", progress: Progress | None = None) -> Comparison:
    """The head commit and the merge base of `base_ref` with it, each analysed as `run` would
    analyse a checkout of it, and the diff between them."""
    with without_cyclic_gc():
        return _compare(config, base_ref, head_ref, progress or Silent())


def _compare(config: Config, base_ref: str, head_ref: str, progress: Progress) -> Comparison:
    clock, known = Clock(), _given(config)
    with clock("inventory"):
        head, base, root = revisions.read(config, base_ref, head_ref)
        _require_files(config, head.files, head.skipped)
    store = assemble.open_cache(config)
    progress.stage("history", None)
    head_repo = replace(vcs.open_repo(root), head=head.sha, head_timestamp=head.time)
    reread = (head_repo, histories.bounds(head_repo, head.time, config.window_days, config.since), head.files, store)
    reading = background.start(histories.payload, *reread, idle=True)
    reader, items = vcs.RevisionReader(str(root)), revisions.union(head.items, base.items)
    parsed, reused = _parse(reader, items, config, store, progress, clock, keep_order=True)
    by_item = dict(zip(items, parsed))
    # the base on a second core (a forked child): it surveys its code, then waits for the history
    base_side = background.start(_base_report, revisions.of(base, by_item), _Side(str(root), base.sha, base.time,
                                 base.skipped, None, base.unread), known, config, reread, inbox=True)
    progress.stage("analyse", None)
    code = survey(revisions.of(head, by_item), known.catalog, known.rules, clock, config.per_path_ignores)
    history, payload, history_reused = _joined(reading, progress, clock, reread)
    with clock("diff"):
        change = revisions.change(root, base, head)
    base_side.send((payload, change.commits, change.renamed))   # the bytes as read: no second pickling
    head_report = _report(_revision_side(head, root, reader), code, history, known, config, clock)
    with clock("base (beside the head)"):
        base_report, _ = base_side.result()
    progress.done("analyse")
    notes = assemble.cache_notes(store, reused, len(items), history_reused)
    return Comparison(base_ref, base_report, replace(head_report, timings=clock.laps, run_notes=notes),
                      change.files, len(change.commits))


def review(config: Config, base_ref: str, head_ref: str, baseline: Baseline, top: int,
           link: Callable[[str], str | None] | None = None, progress: Progress | None = None,
           report_url: str | None = None) -> Review:
    """A pull request: the comparison, its delta against the base, the gate's failed conditions
    and the comment (with links made by `link` from the head commit, where a forge is known,
    and to the HTML report at `report_url`)."""
    comparison = compare(config, base_ref, head_ref, progress)
    delta = deltas.compute(comparison, baseline, top)
    failed = gate.check_delta(delta, gate.parse_conditions(config.fail_on), baseline)
    return Review(comparison, delta, failed, render_pr(delta, failed, link(delta.head) if link else None,
                                                        report_url))


def _base_report(receive, parsed: tuple[ParsedFile, ...], side: _Side, known: _Given, config: Config,
                 reread: tuple) -> Report:
    """The merge base's report: its survey first, then its history, derived from the head's
    (without the pull request's commits, under the base's file names) once that arrives."""
    code = survey(parsed, known.catalog, known.rules, Clock(), config.per_path_ignores)
    payload, added, renamed = receive()
    history = histories.before(histories.loaded(payload, *reread), added, side.head, side.time, renamed)
    return _report(side, code, history, known, config, Clock())


def _revision_side(revision: revisions.Revision, root: Path, reader: vcs.RevisionReader) -> _Side:
    by_path = {f.path: f for f in revision.files}
    return _Side(str(root), revision.sha, revision.time, revision.skipped,
                 lambda path: reader.read(by_path[path], revision.blobs[path]), revision.unread)


def _report(side: _Side, code: Survey, history: History, known: _Given, config: Config, clock: Clock,
            found: tuple[NativeTwin, ...] = ()) -> Report:
    """The rest of the order, the same for every commit: measured evidence, conclude, fixes,
    candidates, Report. Native twins (`found`, a scan's) are reported beside the scores, never
    in them."""
    measured = _measure(known.measured, code, side.root, clock)
    _, judged, suppressed = conclude(code, history, known.rules, known.catalog, config, side.time, clock, measured)
    with clock("fixes"):
        proposed = fixes.propose(judged, known.rules, code.parsed, side.source)
    candidates = assemble.with_twins(score.candidates(judged, proposed), judged, found)
    errors = (*assemble.errors(side.skipped, code.parsed), *(measured.errors if measured else ()))
    with clock("module graph"):
        graph = module_graph(code, candidates)
    return Report(__version__, side.root, side.head, iso_day(side.time),
                  assemble.summary(code.parsed, candidates, history, code.graph, (*code.suppressed, *suppressed),
                                   found, side.unread),
                  candidates, errors, known.rules, evidence=measured, graph=graph,
                  since=iso_day(since_timestamp(config.since, side.time)))


def _measure(given: Loaded, code: Survey, root: str, clock: Clock) -> RuntimeEvidence | None:
    """Profiles and coverage mapped to the scan's units and shortlisted groups; None when the
    user gave neither (bad files given still make a result: their errors)."""
    if not (given.profiles or given.coverage or given.errors):
        return None
    with clock("evidence"):
        units = [u for pf in code.parsed for u in pf.units]
        return evidence.measure(given, units, root, {g.id: g.members for g in code.shortlist})


def _parse(reader, items: Sequence[parse.Item], config: Config, store, progress: Progress, clock: Clock,
           keep_order: bool = False) -> tuple[tuple[ParsedFile, ...], int]:
    progress.stage("parse", len(items))
    with clock("parse"):
        parsing = parse.start(reader, items, config.jobs, lambda n: progress.advance("parse", n), store)
        found = parsing.result(keep_order)
    progress.done("parse")
    return found


def _joined(reading: background.Pending, progress: Progress, clock: Clock, reread: tuple):
    """Wait for the history read in the background: (history, its pickled bytes, whether it
    came from the cache)."""
    (payload, reused), seconds = reading.result()
    history = histories.loaded(payload, *reread)
    clock.record("history (in the background)", seconds, at=1)
    progress.advance("history", len(history.commits))
    progress.done("history")
    return history, payload, reused


def _require_files(config: Config, files: Sequence[SourceFile], skipped: Sequence[FileError]) -> None:
    if not files and skipped:
        raise ScanError(f"{config.path}: every source file was skipped ({len(skipped)}); the first: "
                        f"{skipped[0].path}: {skipped[0].message}")
    if not files:
        raise ScanError(f"{config.path}: no Python or Java source files to scan")
