"""`rustscout pr` and `rustscout post`: a pull request's effect, as one sticky comment."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import quote
from typing import List, Optional

import typer
from rich.markup import escape

from analyzer.cli import common
from analyzer.cli.common import (BaselineFile, CacheDir, CodeQualityOut, ConfigFile, Coverage, Exclude, ExitCode, FailOn,
                                 HtmlOut, Ignore, Include, Jobs, JsonOut, NoCache, PathArg, Profile, Quiet, Rules,
                                 SarifMinScore, SarifOut, Select,
                                 check_output_file, emit, fail,
                                 gate_outcome, machine_outputs, write_outputs)
from analyzer.errors import ScanError, read_text
from analyzer.model.delta import MARKER, MAX_CHARS
from analyzer.post import PostError, Target, detect
from analyzer.post import post as post_comment
from analyzer.post.providers import PROVIDERS
from analyzer.pr import gate
from analyzer.report import console as show

FALLBACK_FILE = Path("rustscout-comment.md")
Provider = typer.Option(None, "--provider", metavar="NAME", help="github, gitlab or gitea (Forgejo too); default: from the CI environment.")
Number = typer.Option(None, "--pr", metavar="N", help="Pull (merge) request number; default: from the CI event.", min=1)
CommentFile = typer.Option(None, "--comment-file", metavar="FILE", help="Also write the comment's Markdown here (always, when posting fails).")
ReportUrl = typer.Option(None, "--report-url", metavar="URL",
                         help="Link the comment to the HTML report published here, such as the CI job's artifact "
                              "(written with --html).")


def pr(path: Path = PathArg,
       base: str = typer.Option(..., "--base", metavar="REF", help="The branch the pull request goes into, such as origin/main."),
       head: str = typer.Option("HEAD", "--head", metavar="REF", help="The pull request's commit."),
       post: bool = typer.Option(False, "--post", help="Create or update the sticky comment on the pull request."),
       provider: Optional[str] = Provider, number: Optional[int] = Number, comment_file: Optional[Path] = CommentFile,
       json_out: Optional[Path] = JsonOut, sarif_out: Optional[Path] = SarifOut,
       sarif_min_score: Optional[float] = SarifMinScore,
       codequality_out: Optional[Path] = CodeQualityOut, html_out: Optional[Path] = HtmlOut,
       report_url: Optional[str] = ReportUrl,
       fail_on: Optional[List[str]] = FailOn, baseline: Optional[Path] = BaselineFile,
       top: int = typer.Option(10, "--top", metavar="N", help="How many of the head's candidates count as the top.", min=1),
       include: Optional[List[str]] = Include, exclude: Optional[List[str]] = Exclude, jobs: Optional[int] = Jobs,
       config_file: Optional[Path] = ConfigFile, rules: Optional[List[Path]] = Rules,
       select: Optional[List[str]] = Select, ignore: Optional[List[str]] = Ignore,
       profile: Optional[List[Path]] = Profile, coverage: Optional[List[Path]] = Coverage,
       cache_dir: Optional[Path] = CacheDir, no_cache: bool = NoCache, quiet: bool = Quiet) -> int:
    """What a pull request does to the Rust picture: one Markdown comment, SARIF, and a gate.

    Reads the head and its merge base with --base from git's objects (the work tree is not
    touched), reuses the work for files that did not change, and prints the comment, or
    posts it as one sticky comment with --post."""
    outputs = machine_outputs(json=json_out, sarif=sarif_out, codequality=codequality_out, html=html_out)
    check_output_file(comment_file, "--comment-file")
    report_url = _url(report_url)
    settings = common.settings(path, include=include, exclude=exclude, jobs=jobs, rules=rules,
                               config_file=config_file, cache_dir=cache_dir, no_cache=no_cache, fail_on=fail_on,
                               baseline=baseline, profiles=profile, coverage=coverage, select=select, ignore=ignore,
                               sarif_min_score=sarif_min_score)
    gate.parse_conditions(settings.fail_on)   # a typo is an error before the work, not after
    known, target = gate.load_baseline(settings.baseline), _target(provider, number, required=post)
    link = (lambda sha: PROVIDERS[target.provider].link(target, sha)) if target else None
    reviewed = common.with_progress(quiet, lambda progress: common.pipeline().review(
        settings, base, head, known, top, link, progress, report_url))
    write_outputs(reviewed.comparison.head, outputs, settings)
    return _deliver(reviewed.comment, reviewed.failed, target if post else None, comment_file,
                    Path("-") in outputs.values())


def _deliver(body: str, failed: tuple[str, ...], target: Target | None, comment_file: Path | None,
             stdout_taken: bool) -> int:
    """The comment to its file, to the forge (target) or to stdout; then the gate. A failed
    post keeps its own exit code: a broken CI set-up must not look like a finding."""
    if comment_file is not None:
        emit(body, comment_file, "--comment-file")
    if target is not None:
        code = _post(body, target, comment_file)
        if code:
            gate_outcome(failed)
            return code
    elif comment_file is None and not stdout_taken:
        sys.stdout.write(body)
    return gate_outcome(failed)


def post_file(file: Path = typer.Argument(..., metavar="FILE", help="The comment's Markdown, as `rustscout pr --comment-file` wrote it."),
              provider: Optional[str] = Provider, number: Optional[int] = Number) -> int:
    """Post a comment written earlier: the second half of fork-safe posting (a workflow_run job)."""
    body = read_text(file)
    if len(body) > MAX_CHARS + 1_000:   # the file came through an artifact: it could be anything
        raise ScanError(f"{file}: {len(body)} characters is longer than a comment (`rustscout pr` writes at most {MAX_CHARS})")
    body = body if MARKER in body else f"{MARKER}\n{body}"
    return _post(body, _target(provider, number, required=True), None)


def _url(text: str | None) -> str | None:
    """An http(s) address, made safe inside a Markdown link: a parenthesis or a space would end it."""
    if text is None or not text.strip():
        return None
    url = text.strip()
    if not url.lower().startswith(("https://", "http://")):
        raise ScanError(f"--report-url {url[:80]}: give an http:// or https:// address")
    return quote(url, safe=":/?#[]@!$&'*+,;=%~")


def _target(provider: str | None, number: int | None, required: bool) -> Target | None:
    """Where to post (and what to link to). Without --post, links are a courtesy: no error."""
    if provider is not None and provider.lower() not in PROVIDERS:
        raise ScanError(f"--provider {provider}: use github, gitlab or gitea")
    try:
        return detect(os.environ, provider and provider.lower(), number)
    except PostError:
        if required:
            raise   # before any work: one line and its exit code (cli.main)
        return None


def _post(body: str, target: Target, comment_file: Path | None) -> int:
    try:
        posted = post_comment(body, target)
    except PostError as exc:
        kept = comment_file or FALLBACK_FILE
        if comment_file is None:
            emit(body, kept, "--comment-file")
        fail(f"{exc} The comment is in {kept}.")
        return exc.code
    show.console(stderr=True).print(f"Comment {posted.action}: {escape(posted.url)}", highlight=False)
    return ExitCode.OK
