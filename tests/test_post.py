"""Posting: one sticky comment per pull request, against a local forge on 127.0.0.1."""

from __future__ import annotations

import json

import pytest

from analyzer.errors import ExitCode
from analyzer.post import PostError, Target, detect, post
from analyzer.post.http import Client
from analyzer.model.delta import MARKER
from fake_forge import TOKEN, Running

BODY = f"{MARKER}\n### rustscout: 1 thing(s) to look at\n"
SLEPT: list[float] = []


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    SLEPT.clear()


def _client(headers):
    return Client(headers, sleep=SLEPT.append, clock=lambda: 1_000.0)


def _target(forge, kind: str, number: int = 7) -> Target:
    api = {"github": forge.url, "gitea": f"{forge.url}/api/v1", "gitlab": f"{forge.url}/api/v4"}[kind]
    repo = "group/sub/project" if kind == "gitlab" else "octo/tide"
    return Target(kind, api, repo, number, "https://forge.example", TOKEN, "TEST_TOKEN")


def _sent(forge):
    return [(r.method, r.path) for r in forge.requests]


def test_github_finds_its_comment_on_a_later_page_and_edits_it(tmp_path):
    with Running("github") as forge:
        forge.seed(["first", "second", "third", f"{MARKER}\nold text", "fifth"])
        posted = post(BODY, _target(forge, "github"), _client)
    assert posted.action == "updated" and posted.url == "https://forge.example/page#103"
    assert _sent(forge) == [
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100"),
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100&page=2"),
        ("PATCH", "/repos/octo/tide/issues/comments/103")]
    patch = forge.requests[-1]
    assert patch.body == {"body": BODY}
    assert patch.headers["Authorization"] == f"Bearer {TOKEN}"
    assert patch.headers["Accept"] == "application/vnd.github+json"
    assert patch.headers["X-Github-Api-Version"] == "2022-11-28"
    assert patch.headers["Content-Type"] == "application/json"
    assert patch.headers["User-Agent"].startswith("rustscout/")
    assert [c["body"] for c in forge.comments].count(BODY) == 1 and len(forge.comments) == 5


def test_github_creates_once_then_edits_then_leaves_it_alone():
    with Running("github") as forge:
        target = _target(forge, "github")
        first = post(BODY, target, _client)
        same = post(BODY, target, _client)
        changed = post(BODY + "more\n", target, _client)
    assert (first.action, same.action, changed.action) == ("created", "unchanged", "updated")
    assert first.url == same.url == changed.url == "https://forge.example/page#100"   # the page, never the API
    assert [c["body"] for c in forge.comments] == [BODY + "more\n"]
    assert _sent(forge) == [
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100"),
        ("POST", "/repos/octo/tide/issues/7/comments"),
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100"),
        ("GET", "/repos/octo/tide/issues/7/comments?per_page=100"),
        ("PATCH", "/repos/octo/tide/issues/comments/100")]
    assert forge.requests[1].body == {"body": BODY}


def test_gitlab_pages_by_x_next_page_and_updates_with_put():
    with Running("gitlab") as forge:
        forge.seed(["a", "b", "c", f"{MARKER} old"])
        posted = post(BODY, _target(forge, "gitlab", 12), _client)
    project = "group%2Fsub%2Fproject"
    assert posted.action == "updated"
    assert posted.url == "https://forge.example/group/sub/project/-/merge_requests/12#note_103"   # built: a note has no link
    assert _sent(forge) == [
        ("GET", f"/api/v4/projects/{project}/merge_requests/12/notes?per_page=100&sort=asc"),
        ("GET", f"/api/v4/projects/{project}/merge_requests/12/notes?per_page=100&sort=asc&page=2"),
        ("PUT", f"/api/v4/projects/{project}/merge_requests/12/notes/103")]
    assert forge.requests[-1].headers["Private-Token"] == TOKEN and "Authorization" not in forge.requests[-1].headers


def test_gitea_uses_its_token_header():
    with Running("gitea") as forge:
        posted = post(BODY, _target(forge, "gitea", 3), _client)
    assert (posted.action, posted.url) == ("created", "https://forge.example/page#100")
    assert _sent(forge) == [("GET", "/api/v1/repos/octo/tide/issues/3/comments"),
                            ("POST", "/api/v1/repos/octo/tide/issues/3/comments")]
    assert forge.requests[0].headers["Authorization"] == f"token {TOKEN}"


@pytest.mark.parametrize("status,code,words", [(401, ExitCode.POST_DENIED, "refused"), (403, ExitCode.POST_DENIED, "fork"),
                                               (404, ExitCode.POST_NOT_FOUND, "could not"), (422, ExitCode.POST_NOT_FOUND, "422")])
def test_refusals_are_one_line_with_their_exit_code(status, code, words):
    with Running("github") as forge:
        forge.fail(1, status, body={"message": "Resource not accessible by integration"})
        with pytest.raises(PostError) as failure:
            post(BODY, _target(forge, "github"), _client)
    assert failure.value.code == code and words in str(failure.value)
    assert TOKEN not in str(failure.value) and "\n" not in str(failure.value)
    assert len(forge.requests) == 1 and SLEPT == []   # refusals are not retried


def test_rate_limits_wait_for_retry_after():
    with Running("github") as forge:
        forge.fail(1, 429, {"Retry-After": "7"})
        forge.fail(1, 403, {"Retry-After": "3"}, {"message": "You have exceeded a secondary rate limit"})
        forge.fail(1, 403, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1012"}, {"message": "API rate limit"})
        posted = post(BODY, _target(forge, "github"), _client)
    assert posted.action == "created" and SLEPT == [7.0, 3.0, 12.0]
    assert [r.method for r in forge.requests] == ["GET", "GET", "GET", "GET", "POST"]


def test_server_errors_are_retried_a_bounded_number_of_times():
    with Running("github") as forge:
        forge.fail(10, 502)
        with pytest.raises(PostError) as failure:
            post(BODY, _target(forge, "github"), _client)
    assert failure.value.code == ExitCode.POST_UNAVAILABLE and "after retries" in str(failure.value)
    assert len(forge.requests) == 4 and SLEPT == [1.0, 2.0, 4.0]


def test_a_server_that_is_not_there_is_unavailable_not_a_crash():
    target = Target("github", "http://127.0.0.1:9", "octo/tide", 7, "https://forge.example", TOKEN, "T")
    with pytest.raises(PostError) as failure:
        post(BODY, target, _client)
    assert failure.value.code == ExitCode.POST_UNAVAILABLE


def test_github_environment_and_event(tmp_path):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 42}}))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/tide", "GITHUB_EVENT_PATH": str(event),
           "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": "https://ghe.example/api/v3",
           "GITHUB_SERVER_URL": "https://ghe.example"}
    target = detect(env)
    assert (target.provider, target.api, target.repo, target.number, target.web) == (
        "github", "https://ghe.example/api/v3", "octo/tide", 42, "https://ghe.example")
    assert TOKEN not in repr(target)
    assert detect(env, number=5).number == 5
    event.write_text(json.dumps({"workflow_run": {"pull_requests": [{"number": 9}]}}))
    assert detect(env).number == 9


def test_gitlab_and_gitea_environments():
    gitlab = detect({"GITLAB_CI": "true", "CI_API_V4_URL": "https://gl.example/api/v4", "CI_PROJECT_ID": "77",
                     "CI_PROJECT_PATH": "group/project", "CI_MERGE_REQUEST_IID": "5", "GITLAB_TOKEN": TOKEN,
                     "CI_SERVER_URL": "https://gl.example"})
    assert (gitlab.provider, gitlab.api, gitlab.repo, gitlab.number, gitlab.token_name) == (
        "gitlab", "https://gl.example/api/v4", "group/project", 5, "GITLAB_TOKEN")
    gitea = detect({"GITEA_ACTIONS": "true", "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r",
                    "GITHUB_SERVER_URL": "https://gitea.example", "GITHUB_TOKEN": TOKEN}, number=4)
    assert (gitea.provider, gitea.api, gitea.number) == ("gitea", "https://gitea.example/api/v1", 4)


@pytest.mark.parametrize("env,code,words", [
    ({}, ExitCode.POST_NOT_FOUND, "--provider"),
    ({"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "o/r"}, ExitCode.POST_DENIED, "GITHUB_TOKEN or GH_TOKEN"),
    ({"GITLAB_CI": "true", "GITLAB_TOKEN": "x"}, ExitCode.POST_NOT_FOUND, "merge_request_event"),
])
def test_missing_settings_say_what_is_missing(env, code, words):
    with pytest.raises(PostError) as failure:
        detect({**env, "GITHUB_EVENT_PATH": ""}, number=1 if "GITHUB_ACTIONS" in env else None)
    assert failure.value.code == code and words in str(failure.value)


REGEX = ("import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n"
         "        out.append(re.compile(r'(\\d+)').match(line))\n    return out\n")


@pytest.fixture()
def small_pr(tmp_path):
    from conftest import add_commits, make_repo
    repo = make_repo(tmp_path, [{"files": {"app/core.py": "def f(x):\n    return x + 1\n"}}])
    return add_commits(repo, [{"branch": "feature", "files": {"app/parse.py": REGEX}}])


def _ci_env(monkeypatch, forge, tmp_path, number=7):
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": number}}))
    for name, value in {"GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "octo/tide", "GITHUB_EVENT_PATH": str(event),
                        "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": forge.url,
                        "GITHUB_SERVER_URL": "https://forge.example"}.items():
        monkeypatch.setenv(name, value)
    for name in ("GITEA_ACTIONS", "FORGEJO_ACTIONS", "GITLAB_CI"):
        monkeypatch.delenv(name, raising=False)


def test_pr_post_creates_the_comment_with_links_to_the_head(small_pr, tmp_path, monkeypatch):
    from conftest import run_cli
    with Running("github") as forge:
        _ci_env(monkeypatch, forge, tmp_path)
        code, out, err = run_cli("pr", str(small_pr), "--base", "main", "--post", "--quiet")
        code_again, _, err_again = run_cli("pr", str(small_pr), "--base", "main", "--post", "--quiet")
    head = __import__("subprocess").run(["git", "rev-parse", "HEAD"], cwd=small_pr, capture_output=True,
                                        text=True).stdout.strip()
    assert (code, code_again) == (0, 0) and out == ""
    assert "Comment created:" in err and "Comment unchanged:" in err_again
    (comment,) = forge.comments
    assert comment["body"].startswith(MARKER)
    assert f"](https://forge.example/octo/tide/blob/{head}/app/parse.py#L7)" in comment["body"]
    assert TOKEN not in out + err + err_again


def test_a_read_only_token_keeps_the_comment_in_a_file_and_exits_3(small_pr, tmp_path, monkeypatch):
    from conftest import run_cli
    monkeypatch.chdir(tmp_path)
    with Running("github") as forge:
        _ci_env(monkeypatch, forge, tmp_path)
        forge.fail(1, 403, body={"message": "Resource not accessible by integration"})
        code, out, err = run_cli("pr", str(small_pr), "--base", "main", "--post", "--quiet", "--fail-on", "new-fix")
    assert code == 3   # the posting code wins over the gate's 2
    assert "refused to list the comments on octo/tide #7 (403: Resource not accessible by integration)" in err
    assert "workflow_run" in err and "The comment is in rustscout-comment.md" in err
    assert "gate failed: 1 new fix-in-place finding(s)" in err
    assert (tmp_path / "rustscout-comment.md").read_text().startswith(MARKER)
    assert TOKEN not in out + err


def test_post_sends_a_comment_written_earlier(tmp_path, monkeypatch):
    from conftest import run_cli
    body = tmp_path / "comment.md"
    body.write_text("### rustscout: written by the pull_request workflow\n")
    with Running("github") as forge:
        _ci_env(monkeypatch, forge, tmp_path)
        monkeypatch.setenv("GITHUB_EVENT_PATH", "")
        code, _, err = run_cli("post", str(body), "--pr", "12")
    assert code == 0 and forge.requests[-1].path == "/repos/octo/tide/issues/12/comments"
    assert forge.comments[0]["body"] == f"{MARKER}\n### rustscout: written by the pull_request workflow\n"


def test_post_without_a_token_fails_before_any_work(tmp_path, monkeypatch):
    from conftest import run_cli
    body = tmp_path / "comment.md"
    body.write_text("x\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_REPOSITORY", "octo/tide")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    code, _, err = run_cli("post", str(body), "--pr", "3")
    assert code == 3 and "no token: set GITHUB_TOKEN or GH_TOKEN" in err
