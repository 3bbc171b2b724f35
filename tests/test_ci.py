"""The CI packaging: the GitHub Action's entry script and the GitLab template, run as CI runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from analyzer.model.delta import MARKER
from conftest import FIXTURES, ROOT, add_commits, make_repo
from fake_forge import TOKEN, Running

REGEX = ("import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n"
         "        out.append(re.compile(r'(\\d+)').match(line))\n    return out\n")
SARIF_SCHEMA = json.loads((FIXTURES / "schemas" / "sarif-2.1.0.json").read_text())   # vendored: a plain clone tests


@pytest.fixture()
def checkout(tmp_path):
    """What actions/checkout with fetch-depth 0 leaves: a clone on the pull request's branch."""
    origin = make_repo(tmp_path, [{"files": {"app/core.py": "def f(x):\n    return x + 1\n"}}], name="origin")
    add_commits(origin, [{"branch": "feature", "files": {"app/parse.py": REGEX}}])
    clone = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", "--branch", "feature", str(origin), str(clone)], check=True)
    return clone


def _env(tmp_path, forge, **inputs) -> dict:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "GITLAB", "CI_", "GITEA"))}
    env = {k: v for k, v in env.items() if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env.update({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/tide", "GITHUB_EVENT_PATH": str(event),
                "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": forge.url, "GITHUB_SERVER_URL": "https://github.example",
                "GITHUB_BASE_REF": "main", "GITHUB_OUTPUT": str(tmp_path / "output.txt")})
    env.update({f"INPUT_{k.upper()}": v for k, v in inputs.items()})
    return env


def _entry(cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "ci" / "action_entry.py")], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_action_runs_its_entry_script_with_every_input():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "rustscout")
    assert step["run"] == 'python "$GITHUB_ACTION_PATH/ci/action_entry.py"'
    passed = {k.removeprefix("INPUT_").lower().replace("_", "-") for k in step["env"] if k.startswith("INPUT_")}
    assert passed == set(action["inputs"]) - {"token", "python-version"}
    assert step["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"


def test_the_action_uploads_the_html_report_as_an_artifact():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert steps.index(upload) > steps.index(next(s for s in steps if s.get("id") == "rustscout"))
    assert upload["with"] == {"name": "rustscout-report", "path": "${{ inputs.html }}", "if-no-files-found": "ignore"}
    assert "always()" in upload["if"] and "inputs.mode == 'pr'" in upload["if"] and "inputs.html != ''" in upload["if"]
    assert action["inputs"]["html"]["default"] == "rustscout-report.html"


def test_the_entry_script_posts_gates_and_writes_sarif(checkout, tmp_path):
    with Running("github") as forge:
        done = _entry(checkout, _env(tmp_path, forge, fail_on="new-fix", sarif="out.sarif",
                                     comment_file="comment.md", post="true"))
    assert done.returncode == 2, done.stderr
    assert "gate failed: 1 new fix-in-place finding(s) on changed lines" in done.stderr
    assert [(r.method, r.path) for r in forge.requests] == [
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100"), ("POST", "/repos/octo/tide/issues/7/comments")]
    assert forge.comments[0]["body"] == (checkout / "comment.md").read_text()
    assert "exit-code=2\n" in (tmp_path / "output.txt").read_text()
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads((checkout / "out.sarif").read_text()))
    assert TOKEN not in done.stdout + done.stderr


def test_the_entry_script_writes_the_html_report_and_the_comment_links_the_runs_artifacts(checkout, tmp_path):
    with Running("github") as forge:
        env = _env(tmp_path, forge, html="rustscout-report.html", comment_file="comment.md", post="true", sarif="")
        done = _entry(checkout, {**env, "GITHUB_RUN_ID": "4242"})
        without = _entry(checkout, _env(tmp_path, forge, html="", comment_file="plain.md", post="false", sarif=""))
    assert done.returncode == 0 and without.returncode == 0, done.stderr + without.stderr
    page = (checkout / "rustscout-report.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and 'id="rustscout-index"' in page
    link = "📊 [The full report](https://github.example/octo/tide/actions/runs/4242#artifacts)"
    assert link in forge.comments[0]["body"] and link in (checkout / "comment.md").read_text()
    assert "html=rustscout-report.html\n" in (tmp_path / "output.txt").read_text()
    assert "The full report" not in (checkout / "plain.md").read_text()


def test_fork_safe_posting_writes_first_and_posts_later(checkout, tmp_path):
    with Running("github") as forge:
        first = _entry(checkout, _env(tmp_path, forge, post="false", comment_file="comment.md", sarif=""))
        assert first.returncode == 0 and forge.requests == []
        second = _entry(checkout, _env(tmp_path, forge, mode="post", comment_file="comment.md", pr_number="7"))
        refused = _entry(checkout, _env(tmp_path, forge, mode="post", comment_file="comment.md", pr_number="7; rm"))
    assert second.returncode == 0, second.stderr
    assert forge.comments[0]["body"].startswith(MARKER) and len(forge.comments) == 1
    assert refused.returncode == 1 and "pr-number must be a number" in refused.stderr


def test_the_gitlab_template_runs_as_a_merge_request_job(checkout, tmp_path):
    job = yaml.safe_load((ROOT / "ci" / "gitlab" / "rustscout.gitlab-ci.yml").read_text())["rustscout"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert job["variables"]["GIT_DEPTH"] == "0"
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert "rustscout-report.html" in job["artifacts"]["paths"] and job["artifacts"]["expose_as"]
    with Running("gitlab") as forge:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "CI_"))}
        env.update({**{k: str(v) for k, v in job["variables"].items()}, "GITLAB_CI": "true",
                    "CI_API_V4_URL": f"{forge.url}/api/v4", "CI_PROJECT_PATH": "group/project",
                    "CI_SERVER_URL": "https://gitlab.example", "CI_MERGE_REQUEST_IID": "5",
                    "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "RUSTSCOUT_GITLAB_TOKEN": TOKEN,
                    "CI_JOB_URL": "https://gitlab.example/group/project/-/jobs/77",
                    "RUSTSCOUT_FAIL_ON": "new-fix", "PATH": f"{Path(sys.executable).parent}:{env['PATH']}"})
        script = "set -e\n" + "\n".join(job["script"])
        done = subprocess.run(["bash", "-c", script], cwd=checkout, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2, done.stderr
    assert [(r.method, r.path) for r in forge.requests][-1] == (
        "POST", "/api/v4/projects/group%2Fproject/merge_requests/5/notes")
    assert "https://gitlab.example/group/project/-/blob/" in forge.comments[0]["body"]
    assert ("📊 [The full report](https://gitlab.example/group/project/-/jobs/77/artifacts/file/rustscout-report.html)"
            in forge.comments[0]["body"])
    assert 'id="rustscout-index"' in (checkout / "rustscout-report.html").read_text()
    issues = json.loads((checkout / "gl-code-quality-report.json").read_text())
    regex = [i for i in issues if i["check_name"] == "FX001"]
    assert [(i["location"]["path"], i["location"]["lines"]["begin"]) for i in regex] == [("app/parse.py", 7)]
