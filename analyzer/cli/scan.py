"""`rustscout scan`, `explain` and `baseline`: the ranking, the whole case for one candidate,
and the record of what is already known."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from analyzer.cli import common, lookup
from analyzer.cli.common import (AsOf, BaselineFile, CacheDir, CodeQualityOut, ConfigFile, Coverage, Exclude, ExitCode,
                                 FailOn, HtmlOut, Ignore, Include, Jobs, JsonOut, NoCache, PathArg, Profile, Quiet,
                                 Rules, SarifMinScore, SarifOut, Select, Since, check_output_file, emit, gate_outcome,
                                 machine_outputs, run_scan, write_outputs)
from analyzer.errors import ScanError
from analyzer.model import Candidate, PassedOver
from analyzer.pr import gate
from analyzer.report import concise
from analyzer.report import console as show
from analyzer.report import json as json_report


class Format(str, Enum):
    TABLE = "table"
    CONCISE = "concise"


FormatOption = typer.Option(Format.TABLE, "--format", help="What goes to stdout: the ranked `table`, or `concise`: one "
                            "line per finding, `path:line: RULE message`, sorted, for editors and CI logs.")
Statistics = typer.Option(False, "--statistics", help="Print how many findings each rule made (and how many were "
                          "suppressed) instead of the table, most frequent first.")


def scan(path: Path = PathArg,
         json_out: Optional[Path] = JsonOut,
         sarif_out: Optional[Path] = SarifOut, sarif_min_score: Optional[float] = SarifMinScore,
         codequality_out: Optional[Path] = CodeQualityOut, html_out: Optional[Path] = HtmlOut,
         top: Optional[int] = typer.Option(None, metavar="N", help="Rows in the table (default 15).", min=1),
         include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
         since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
         config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
         select: Optional[List[str]] = Select, ignore: Optional[List[str]] = Ignore,
         fail_on: Optional[List[str]] = FailOn, baseline: Optional[Path] = BaselineFile,
         profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
         output_format: Format = FormatOption, statistics: bool = Statistics,
         cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """Rank the Rust candidates of a repository: score, verdict and the reason for each.

    Examples: `rustscout scan .`; `rustscout scan . --format concise` (one line per finding);
    `rustscout scan . --statistics`; `rustscout scan . --select FX --ignore FX003`;
    `rustscout scan . --sarif out.sarif --sarif-min-score 10`; `rustscout scan . --html report.html`."""
    plain = statistics or output_format != Format.TABLE
    outputs = machine_outputs(json=json_out, sarif=sarif_out, codequality=codequality_out, html=html_out)
    if plain and Path("-") in outputs.values():
        raise ScanError("--format concise and --statistics print to stdout: write the other output to a file, not '-'")
    settings = common.settings(path, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                                top=top, rules=rules, config_file=config_file, cache_dir=cache_dir,
                                no_cache=no_cache, fail_on=fail_on, baseline=baseline, profiles=profile,
                                coverage=coverage, select=select, ignore=ignore, sarif_min_score=sarif_min_score)
    conditions, known = gate.parse_conditions(settings.fail_on), gate.load_baseline(settings.baseline)
    report = common.with_progress(quiet, lambda progress: common.pipeline().run(settings, progress))
    write_outputs(report, outputs, settings)
    if plain:
        _plain(report, statistics, quiet)
    elif Path("-") not in outputs.values() and not quiet:
        out = show.console()
        out.print(show.table(report, settings.top, out.width))
        show.print_lines(out, show.summary(report))
    return gate_outcome(gate.check_report(report, conditions, known))


def _plain(report, statistics: bool, quiet: bool) -> None:
    """Lines on stdout for tools; what they cannot show is said on stderr (unless quiet)."""
    sys.stdout.write(concise.statistics(report) if statistics else concise.render(report))
    folders = 0 if statistics else concise.left_out(report)
    if folders and not quiet:
        show.console(stderr=True).print(f"{folders} finding(s) of packages or components not listed: they have no "
                                        "file and line (--statistics counts them; the JSON lists them)",
                                        highlight=False, soft_wrap=True)


def baseline(path: Path = PathArg,
             output: Path = typer.Option(Path(".rustscout-baseline.json"), "--output", "-o", metavar="FILE",
                                         help="Where to write the baseline (commit it beside the code)."),
             include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
             jobs: Optional[int] = Jobs, config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
             cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """Record today's findings and candidates, so `--fail-on` reports only what comes after."""
    check_output_file(output, "--output")
    _, report = run_scan(path, quiet, include=include, exclude=exclude, jobs=jobs, rules=rules,
                         config_file=config_file, cache_dir=cache_dir, no_cache=no_cache)
    emit(gate.render_baseline(report), output, "--output")
    known = gate.baseline_of(report)
    show.console(stderr=True).print(f"Wrote {len(known.findings)} findings and {len(known.candidates)} candidates "
                                    f"to {escape(str(output))}", highlight=False)
    return ExitCode.OK


def explain(candidate: str = typer.Argument(..., metavar="ID", help="Candidate id (as in the table or JSON), or an unambiguous part of one."),
            path: Path = PathArg, include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
            since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
            config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
            select: Optional[List[str]] = Select, ignore: Optional[List[str]] = Ignore,
            json_out: bool = typer.Option(False, "--json", help="Print the candidate as JSON instead."),
            profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
            cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """The whole case for one candidate: factors with evidence, boundary, verdict, plan or patch.

    ID is an id or a part of one: `rustscout explain wire/codec.py`, `rustscout explain
    RuleEngine.evaluate`, `rustscout explain parse` (a whole name before `parse_frames`). An id
    the scan knows that is not a candidate gets why it was left out; a typo gets close names."""
    config = common.settings(path, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs, rules=rules,
                             config_file=config_file, cache_dir=cache_dir, no_cache=no_cache, profiles=profile,
                             coverage=coverage, select=select, ignore=ignore)
    report = common.with_progress(quiet, lambda progress: common.pipeline().run(config, progress, passed_over=True))
    found = lookup.find(report.candidates, candidate, others=report.passed_over)
    if isinstance(found, PassedOver):
        return _not_a_candidate(found, json_out)
    if json_out:
        sys.stdout.write(json.dumps(json_report.candidate(found, report.evidence), indent=2, ensure_ascii=False) + "\n")
    else:
        show.console().print(show.explain(found), crop=False)   # crop would cut a patch's long lines
    return ExitCode.OK


def _not_a_candidate(found: PassedOver, json_out: bool) -> int:
    """An id the scan knows that was not judged: what it is and why it was left out."""
    if json_out:
        doc = {"id": found.id, "kind": found.kind, "path": found.path, "qualname": found.qualname,
               "lines": list(found.lines), "candidate": False, "why": found.why}
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        where = f"{found.path}:{found.lines[0]}" if found.lines[0] else found.path
        show.console().print(f"[bold]{escape(found.id)}[/bold] ({found.kind}, {escape(where)}) is not a candidate: "
                             f"{escape(found.why)}.", highlight=False)
    return ExitCode.OK


def find_candidate(candidates, query: str, names=lambda c: (c.id, c.qualname, c.name)) -> Candidate:
    """The candidate `query` names (cli/lookup.py); `names` reads (id, qualname, name) off one."""
    return lookup.find(candidates, query, names)
