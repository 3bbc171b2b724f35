"""`rustscout scaffold ID [PATH] -o DIR`: the first piece of a port, written behind the
candidate's boundary. The generator is analyzer.scaffold; this module checks the request before
the scan, finds the candidate (in a fresh scan or a saved JSON report), writes the files
atomically and says what comes next."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional, TextIO

import typer

from analyzer.cli.common import (AsOf, CacheDir, ConfigFile, Exclude, ExitCode, Include, Jobs, NoCache, Quiet, Rules,
                                 Since, run_scan)
from analyzer.cli.scan import find_candidate
from analyzer.report import json as json_report
from analyzer.report import write
from analyzer.scaffold import Options, Scaffold, generate
from analyzer.scaffold.errors import ScaffoldError
from analyzer.scaffold.spec import BINDINGS, PYO3_DEFAULT, pyo3_generation
from analyzer.scaffold.target import check_target

WORTH_A_PORT = ("port", "needs-boundary-work")


CandidateArg = typer.Argument(..., help="Candidate id (as in the table or JSON), or an unambiguous part of one: "
                              "`wire/codec.py`, `FixParser.checksum`.")
RepoArg = typer.Argument(None, show_default=False, metavar="PATH", help="The scanned repository (default: the current "
                         "folder, or with --from-json the report's repository).")
Output = typer.Option(..., "--output", "-o", metavar="DIR", help="Folder to write the scaffold into; created if "
                      "missing. It must be empty unless --force.")
Force = typer.Option(False, "--force", help="Write into a non-empty folder, replacing the scaffold's own files (a "
                     "folder of the scanned repository only if it holds an earlier scaffold). Your code is never "
                     "written to.")
Binding = typer.Option(None, "--binding", metavar="jni|ffm", help="Java candidates: jni (a Rust cdylib through the jni "
                       "crate; the default) or ffm (Java 22's foreign function API over a C ABI). Python candidates "
                       "always get PyO3.")
Pyo3 = typer.Option(None, "--pyo3", metavar="VERSION", help=f"PyO3 version for a Python candidate: 0.17 (the GIL-ref "
                    f"API Debian ships as librust-pyo3-dev) or 0.23 and newer (the Bound API). Default {PYO3_DEFAULT}.")
FromJson = typer.Option(None, "--from-json", metavar="FILE", help="Take the candidate from this `rustscout scan "
                        "--json` report instead of scanning again.")


def scaffold(candidate: str = CandidateArg, path: Optional[Path] = RepoArg, out: Path = Output, force: bool = Force,
             binding: Optional[str] = Binding, pyo3: Optional[str] = Pyo3, from_json: Optional[Path] = FromJson,
             include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude,
             since: Optional[str] = Since, as_of: Optional[str] = AsOf, jobs: Optional[int] = Jobs,
             config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
             cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """Write the first piece of a port behind the candidate's boundary: the
    extension project, the pure code kept as the fallback, and the test and
    benchmark that prove the two equal and measure the gain.

    Python: a maturin/PyO3 project (src/lib.rs: one stub per entry point, Rust
    types from the annotations), a shim that swaps in each entry point once it
    is native (<EXT>_PURE=1 forces the pure code), a Hypothesis differential
    test and a benchmark. Java: a Rust cdylib (--binding jni or ffm), a wrapper
    that falls back to the Java code, and a JUnit 5 differential test.
    DIR/README.md holds the plan and the commands to build, test and measure.

    A boundary that passes callbacks, shared state or arbitrary objects gets a
    scaffold that says so at the top, with the smallest cut to make first. Any
    candidate can be scaffolded; when its verdict is not port or
    needs-boundary-work, the scaffold says so: measure before deciding.

    Example: rustscout scaffold wire/codec.py . -o ../codec-rs --pyo3 0.17"""
    check_request(out, None if from_json else (path or Path(".")), force, binding, pyo3)
    options = dict(force=force, binding=binding, pyo3=pyo3)
    if from_json is not None:
        return command_from_document(candidate, from_json, out, path=path, **options)
    _, report = run_scan(path or Path("."), quiet, include=include, exclude=exclude, since=since, as_of=as_of,
                         jobs=jobs, rules=rules, config_file=config_file, cache_dir=cache_dir, no_cache=no_cache)
    found = find_candidate(report.candidates, candidate)
    return command(json_report.candidate(found), Path(report.root), out, head=report.head, **options)


def check_request(out: Path, repo_root: Path | None, force: bool, binding: str | None, pyo3: str | None) -> None:
    """Everything that can be refused before the scan: flags, then the output folder."""
    if binding is not None and binding not in BINDINGS:
        raise ScaffoldError(f"--binding {binding}: use jni or ffm for a Java candidate (Python candidates get pyo3)")
    if pyo3 is not None:
        pyo3_generation(pyo3)
    check_target(out, repo_root, force)


def command(candidate: dict, repo_root: Path, out: Path, *, force: bool = False, binding: str | None = None,
            pyo3: str | None = None, head: str | None = None, stream: TextIO | None = None) -> int:
    """Generate and write the scaffold of one candidate (a dict as the JSON report holds it)."""
    stream = stream or sys.stdout
    check_request(out, repo_root, force, binding, pyo3)
    if pyo3 is not None and candidate.get("language") == "java":
        raise ScaffoldError(f"--pyo3 {pyo3}: {candidate.get('id')} is Java; choose its binding with --binding jni|ffm")
    made = generate(candidate, repo_root, Options(binding=binding, pyo3=pyo3 or PYO3_DEFAULT, head=head))
    write_files(made, out)
    stream.write(f"Wrote {len(made.files)} files to {out} ({made.binding}) for {made.candidate}\n")
    verdict = candidate.get("verdict")
    if verdict not in WORTH_A_PORT:
        stream.write(f"Note: rustscout's verdict is {verdict}, not port: this scaffold is a way to measure before "
                     "deciding, not a case for porting\n")
    if made.first_cut:
        stream.write(f"Warning: the boundary is not clean; smallest cut first: {made.first_cut}\n")
    stream.write(f"Next: read {out / 'README.md'}, build it, then write one entry point's body\n")
    return ExitCode.OK


def write_files(made: Scaffold, out: Path) -> None:
    try:
        for f in made.files:
            target = out.joinpath(*f.path.split("/"))
            target.parent.mkdir(parents=True, exist_ok=True)
            write(target, f.text)
    except OSError as exc:
        raise ScaffoldError(f"--output {out}: {exc.strerror or exc}") from None


def command_from_document(query: str, document: dict | Path, out: Path, path: Path | None = None,
                          **options) -> int:
    """The candidate from a JSON document (a dict or a file); PATH defaults to the scanned root."""
    doc = load_document(document) if isinstance(document, Path) else document
    repo = doc.get("repo") if isinstance(doc, dict) else None
    root = path or (Path(repo["root"]) if isinstance(repo, dict) and repo.get("root") else None)
    if root is None:
        raise ScaffoldError("the JSON document names no repository root; give PATH")
    candidates = doc.get("candidates") if isinstance(doc, dict) else None
    if not isinstance(candidates, list):
        raise ScaffoldError("the JSON document has no candidates list (is it `rustscout scan --json` output?)")
    found = find_candidate([c for c in candidates if isinstance(c, dict)], query,
                           names=lambda c: (str(c.get("id", "")), str(c.get("qualname", "")), str(c.get("name", ""))))
    return command(found, root, out, head=repo.get("head") if repo else None, **options)


def load_document(file: Path) -> dict:
    try:
        return json.loads(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ScaffoldError(f"--from-json {file}: not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ScaffoldError(f"--from-json {file}: not a JSON report ({exc.__class__.__name__}: {exc})") from None
