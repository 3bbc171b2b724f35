"""The GitHub Action's entry point: its inputs (INPUT_*) and the event become one rustscout
command, run in this process. The exit code passes through and is also the step's
`exit-code` output, so a workflow can decide what a gate failure or a refused post means.

Run by action.yml as `python "$GITHUB_ACTION_PATH/ci/action_entry.py"` in the checked-out
repository; tests run it the same way.
"""

from __future__ import annotations

import os
import shlex
import sys
from typing import Mapping

from analyzer.cli import main as rustscout


def command(env: Mapping[str, str]) -> list[str]:
    """The rustscout arguments the inputs ask for."""
    comment_file = env.get("INPUT_COMMENT_FILE", "")
    if env.get("INPUT_MODE", "pr") == "post":
        number = env.get("INPUT_PR_NUMBER", "").strip()
        if not number.isdigit():   # it comes from an artifact a fork could have written
            raise SystemExit(f"rustscout: error: pr-number must be a number, got {number[:20]!r}")
        return ["post", comment_file or "rustscout-comment.md", "--pr", number, "--provider", _provider(env)]
    args = ["pr", ".", "--base", _base(env), "--quiet"]
    args += ["--post"] if env.get("INPUT_POST", "true").lower() == "true" else []
    for flag, name in (("--fail-on", "INPUT_FAIL_ON"), ("--baseline", "INPUT_BASELINE"), ("--sarif", "INPUT_SARIF"),
                       ("--comment-file", "INPUT_COMMENT_FILE"), ("--html", "INPUT_HTML")):
        if env.get(name, "").strip():
            args += [flag, env[name].strip()]
    return args + _report_url(env) + shlex.split(env.get("INPUT_ARGS", ""))


def _report_url(env: Mapping[str, str]) -> list[str]:
    """The comment links to the run's artifacts: the artifact's own address is known only after
    the upload, which comes after the comment (and GitHub serves artifacts as zip downloads)."""
    if not env.get("INPUT_HTML", "").strip() or not env.get("GITHUB_RUN_ID") or not env.get("GITHUB_REPOSITORY"):
        return []
    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    return ["--report-url", f"{server}/{env['GITHUB_REPOSITORY']}/actions/runs/{env['GITHUB_RUN_ID']}#artifacts"]


def _base(env: Mapping[str, str]) -> str:
    if env.get("INPUT_BASE", "").strip():
        return env["INPUT_BASE"].strip()
    if env.get("GITHUB_BASE_REF"):
        return f"origin/{env['GITHUB_BASE_REF']}"
    raise SystemExit("rustscout: error: no base branch: run on pull_request events, or set the `base` input")


def _provider(env: Mapping[str, str]) -> str:
    return "gitea" if env.get("GITEA_ACTIONS") == "true" or env.get("FORGEJO_ACTIONS") == "true" else "github"


def main(env: Mapping[str, str] = os.environ) -> int:
    code = rustscout(command(env))
    if env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(f"exit-code={code}\ncomment-file={env.get('INPUT_COMMENT_FILE', '')}\n"
                      f"html={env.get('INPUT_HTML', '').strip()}\n")
    return code


if __name__ == "__main__":
    sys.exit(main())
