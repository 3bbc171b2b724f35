"""`rustscout fix [ID]... [PATH]`: apply the scan's mechanical patches, or show them (--diff).
The work is analyzer.fixes.patching; this module picks the fixes and reports one line each."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from analyzer.cli.common import (AsOf, CacheDir, ConfigFile, Coverage, Exclude, ExitCode, Include, Jobs, NoCache,
                                 Profile, Quiet, Rules, Since, run_scan)
from analyzer.cli.scan import find_candidate
from analyzer.errors import ScanError
from analyzer.fixes import patching
from analyzer.model import Fix, Report

Args = typer.Argument(None, metavar="[ID]... [PATH]", show_default=False,
                      help="Candidate ids (as for explain: an id or an unambiguous part of one) whose fixes to apply, "
                           "default all; then the repository, default the current folder. The last argument is the "
                           "PATH when it names an existing file or folder.")
Select = typer.Option(None, "--select", metavar="RULE", help="Only the fixes of these rules (comma-separated or "
                      "repeated), such as FX001. The scan itself runs every rule.")
Diff = typer.Option(False, "--diff", help="Print the patches as one unified diff on stdout and change nothing.")


def fix(args: Optional[List[str]] = Args, select: Optional[List[str]] = Select, diff: bool = Diff,
        include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
        since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
        config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
        profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
        cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """Apply the scan's mechanical fixes (the patches explain shows).

    As ruff's --fix: the fixes of the fix-in-place-first candidates.
    A file is patched only while it holds the bytes the scan read; a
    file changed since, or a fix overlapping another in its file, is
    skipped and said so. Each file is replaced in one step. The code
    is read and parsed, never run. One line per fix: fixed, skipped
    (with --diff: would fix); exit code 6 when a fix was skipped.

    Examples: rustscout fix --diff > fixes.patch;
    rustscout fix parse_line .;  rustscout fix --select FX001"""
    ids, path = split_arguments(args or [])
    wanted = rule_ids(select)
    _, report = run_scan(path, quiet, include=include, exclude=exclude, since=since, as_of=as_of, jobs=jobs,
                         rules=rules, config_file=config_file, cache_dir=cache_dir, no_cache=no_cache,
                         profiles=profile, coverage=coverage)
    chosen = chosen_fixes(report, ids, wanted)
    root = Path(report.root)
    patches = patching.plan(root, chosen)
    if diff:
        sys.stdout.write("".join(p.diff() for p in patches))
    else:
        patches = patching.write(root, patches)
    return tell(patches, diff, sys.stderr if diff else sys.stdout)


def split_arguments(args: list[str]) -> tuple[list[str], Path]:
    """(candidate ids, PATH): the last argument is the PATH when it exists as a file or folder."""
    if any(not a.strip() for a in args):
        raise ScanError("an empty argument; give candidate ids and then a folder or file (`.` for this one)")
    if args and Path(args[-1]).exists():
        return args[:-1], Path(args[-1])
    return args, Path(".")


def rule_ids(select: list[str] | None) -> set[str]:
    return {part.strip().upper() for value in select or () for part in value.split(",") if part.strip()}


def chosen_fixes(report: Report, ids: list[str], wanted: set[str]) -> list[Fix]:
    """The fixes of the candidates named (all when none is), of the rules selected."""
    unknown = sorted(wanted - {r.id for r in report.rules})
    if unknown:
        raise ScanError(f"--select {', '.join(unknown)}: no such rule (`rustscout rules list` lists them)")
    candidates = [_candidate(report, query) for query in ids] if ids else list(report.candidates)
    for c in candidates:
        if ids and not any(f.patch for f in c.fixes):
            print(f"{c.id}: no mechanical fix (verdict {c.verdict.value})", file=sys.stderr)
    return [f for c in candidates for f in c.fixes if f.patch and (not wanted or f.rule_id in wanted)]


def _candidate(report: Report, query: str):
    try:
        return find_candidate(report.candidates, query)
    except ScanError as exc:
        if "no candidate matches" in str(exc) and ("/" in query or query.startswith(".")):
            raise ScanError(f"'{query}' is neither a candidate of {report.root} nor an existing PATH") from None
        raise


def tell(patches: list[patching.FilePatch], diff: bool, out) -> int:
    outcomes = [o for p in patches for o in p.outcomes]
    for o in outcomes:
        f = o.fix
        where = f"{f.path}:{f.line}: {f.rule_id} {f.summary}"
        out.write(f"{'would fix' if diff else 'fixed'} {where}\n" if o.applied else f"skipped {where}: {o.reason}\n")
    applied = sum(o.applied for o in outcomes)
    files = len({o.fix.path for o in outcomes if o.applied})
    skipped = len(outcomes) - applied
    if not outcomes:
        out.write("No mechanical fix to apply.\n")
    else:
        out.write(f"{'Would fix' if diff else 'Fixed'} {applied} of {len(outcomes)} in {files} file(s)"
                  + (f"; {skipped} skipped" if skipped else "") + ".\n")
    return ExitCode.FIX_SKIPPED if skipped else ExitCode.OK
