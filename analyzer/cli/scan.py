"""`rustscout scan`, `explain` and `baseline`: the ranking, the whole case for one candidate,
and the record of what is already known."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape

from analyzer import pipeline
from analyzer.cli import common
from analyzer.cli.common import (AsOf, BaselineFile, CacheDir, CodeQualityOut, ConfigFile, Coverage, Exclude, ExitCode,
                                 FailOn, Include, Jobs, JsonOut, NoCache, PathArg, Profile, Quiet, Rules, SarifOut, Since,
                                 check_output_file, emit, gate_outcome, machine_outputs, run_scan, write_outputs)
from analyzer.errors import ScanError
from analyzer.model import Candidate
from analyzer.pr import gate
from analyzer.report import console as show
from analyzer.report import json as json_report


def scan(path: Path = PathArg,
         json_out: Optional[Path] = JsonOut,
         sarif_out: Optional[Path] = SarifOut, codequality_out: Optional[Path] = CodeQualityOut,
         top: Optional[int] = typer.Option(None, metavar="N", help="Rows in the table (default 15).", min=1),
         include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
         since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
         config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
         fail_on: Optional[List[str]] = FailOn, baseline: Optional[Path] = BaselineFile,
         profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
         cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """Rank the Rust candidates of a repository: score, verdict and the reason for each."""
    outputs = machine_outputs(json=json_out, sarif=sarif_out, codequality=codequality_out)
    settings = common.settings(path, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                                top=top, rules=rules, config_file=config_file, cache_dir=cache_dir,
                                no_cache=no_cache, fail_on=fail_on, baseline=baseline, profiles=profile,
                                coverage=coverage)
    conditions, known = gate.parse_conditions(settings.fail_on), gate.load_baseline(settings.baseline)
    report = common.with_progress(quiet, lambda progress: pipeline.run(settings, progress))
    write_outputs(report, outputs)
    if Path("-") not in outputs.values():
        out = show.console(quiet=False)
        out.print(show.table(report, settings.top, out.width))
        if not quiet:
            out.print(show.summary(report))
    return gate_outcome(gate.check_report(report, conditions, known))


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
            json_out: bool = typer.Option(False, "--json", help="Print the candidate as JSON instead."),
            profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
            cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """The whole case for one candidate: factors with evidence, boundary, verdict, plan or patch."""
    _, report = run_scan(path, quiet, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                         rules=rules, config_file=config_file, cache_dir=cache_dir, no_cache=no_cache,
                         profiles=profile, coverage=coverage)
    found = find_candidate(report.candidates, candidate)
    if json_out:
        sys.stdout.write(json.dumps(json_report.candidate(found, report.evidence), indent=2, ensure_ascii=False) + "\n")
    else:
        show.console().print(show.explain(found))
    return ExitCode.OK


def find_candidate(candidates, query: str, names=lambda c: (c.id, c.qualname, c.name)) -> Candidate:
    """Exact id first, then a unique id suffix, qualified name (a Java method's with or without
    its parameter types) or name. `names` reads (id, qualname, name) off a candidate."""
    for test in (lambda i, q, n: i == query, lambda i, q, n: i.endswith(query), lambda i, q, n: q == query,
                 lambda i, q, n: q.partition("(")[0] == query, lambda i, q, n: n == query):
        found = [c for c in candidates if test(*names(c))]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            options = ", ".join(names(c)[0] for c in found[:5])
            raise ScanError(f"'{query}' matches {len(found)} candidates ({options}{', ...' if len(found) > 5 else ''}); "
                            "give more of the id")
    raise ScanError(f"no candidate matches '{query}'; `rustscout scan` lists them (ids are in the JSON report)")
