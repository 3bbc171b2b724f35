"""Posting the pull-request comment: one sticky comment, created once and edited after.

`detect` reads the CI environment (or flags) into a Target; `post` finds the comment that
carries the hidden marker (following every page of comments), updates it when its text
changed, creates it when there is none, and never posts a second one. Every failure is a
PostError with one line for the user and the exit code the CLI documents; the token is read
only from the environment and never appears in a message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from analyzer.errors import ExitCode
from analyzer.model.delta import MARKER
from analyzer.post.http import Answer, Client
from analyzer.post.providers import PROVIDERS, Target

MAX_PAGES = 100
TOKENS = {"github": ("GITHUB_TOKEN", "GH_TOKEN"), "gitlab": ("RUSTSCOUT_GITLAB_TOKEN", "GITLAB_TOKEN"),
          "gitea": ("GITEA_TOKEN", "GITHUB_TOKEN")}
FORK_HELP = ("a pull request from a fork gets a read-only token: write the comment with `--comment-file` in the "
             "pull_request workflow and post it with `rustscout post` from a workflow_run workflow "
             "(README: \"Fork-safe posting\")")


class PostError(Exception):
    """The comment was not posted; `code` says why, as the exit code the CLI returns."""

    def __init__(self, code: ExitCode, message: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Posted:
    action: str                 # created | updated | unchanged
    url: str


def detect(env: Mapping[str, str], provider: str | None = None, number: int | None = None) -> Target:
    """The target from the CI environment; `provider` and `number` override it."""
    name = provider or _provider_of(env)
    if name not in PROVIDERS:
        raise PostError(ExitCode.POST_NOT_FOUND, "cannot tell GitHub, GitLab or Gitea from the environment; give --provider "
                                   "(github, gitlab, gitea) and its variables (README: \"Posting\")")
    target = _gitlab(env, number) if name == "gitlab" else _github_like(env, name, number)
    token_name = next((n for n in TOKENS[name] if env.get(n)), "")
    if not token_name:
        raise PostError(ExitCode.POST_DENIED, f"no token: set {' or '.join(TOKENS[name])} in the job's environment")
    return Target(name, target.api, target.repo, target.number, target.web, env[token_name], token_name)


def _provider_of(env: Mapping[str, str]) -> str | None:
    if env.get("GITEA_ACTIONS") == "true" or env.get("FORGEJO_ACTIONS") == "true":
        return "gitea"
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    if env.get("GITLAB_CI") == "true":
        return "gitlab"
    return None


def _github_like(env: Mapping[str, str], name: str, number: int | None) -> Target:
    repo = env.get("GITHUB_REPOSITORY") or env.get("GITEA_REPOSITORY") or ""
    web = (env.get("GITHUB_SERVER_URL") or env.get("GITEA_SERVER_URL") or "https://github.com").rstrip("/")
    default_api = "https://api.github.com" if name == "github" else f"{web}/api/v1"
    api = (env.get("GITHUB_API_URL") or default_api).rstrip("/")
    if not repo:
        raise PostError(ExitCode.POST_NOT_FOUND, "GITHUB_REPOSITORY is not set: which repository is this?")
    return Target(name, api, repo, number or _event_number(env), web)


def _gitlab(env: Mapping[str, str], number: int | None) -> Target:
    api, repo = env.get("CI_API_V4_URL", "").rstrip("/"), env.get("CI_PROJECT_PATH") or env.get("CI_PROJECT_ID", "")
    iid = number or (int(env["CI_MERGE_REQUEST_IID"]) if env.get("CI_MERGE_REQUEST_IID", "").isdigit() else None)
    if not api or not repo or not iid:
        raise PostError(ExitCode.POST_NOT_FOUND, "not a merge request pipeline: CI_API_V4_URL, CI_PROJECT_ID and "
                                   "CI_MERGE_REQUEST_IID are needed (rules: if: $CI_PIPELINE_SOURCE == "
                                   "'merge_request_event'), or give --pr")
    web = env.get("CI_SERVER_URL", api.removesuffix("/api/v4")).rstrip("/")
    return Target("gitlab", api, repo, iid, web)


def _event_number(env: Mapping[str, str]) -> int:
    path = env.get("GITHUB_EVENT_PATH")
    try:
        event = json.loads(Path(path).read_text(encoding="utf-8")) if path else {}
    except (OSError, ValueError):
        event = {}
    for found in (event.get("pull_request", {}).get("number"), event.get("number"),
                  (event.get("issue") or {}).get("number") if (event.get("issue") or {}).get("pull_request") else None,
                  next((p.get("number") for p in (event.get("workflow_run") or {}).get("pull_requests") or []), None)):
        if isinstance(found, int):
            return found
    raise PostError(ExitCode.POST_NOT_FOUND, "no pull request number in this event; run on pull_request events, or give --pr N")


def post(body: str, target: Target, client_factory: Callable[[dict], Client] = Client) -> Posted:
    provider = PROVIDERS[target.provider]
    client = client_factory(provider.headers(target.token))
    existing = _find(client, provider, target)
    if existing is None:
        answer = client.call("POST", provider.comments(target).split("?")[0], {"body": body})
        return Posted("created", _page(_checked(answer, target, "create the comment").body, target))
    comment_id = int(existing["id"])
    if str(existing.get("body")) == body:
        return Posted("unchanged", _page(existing, target))
    answer = client.call(provider.update_method, provider.comment(target, comment_id), {"body": body})
    return Posted("updated", _page(_checked(answer, target, "update the comment").body, target, comment_id))


def _find(client: Client, provider, target: Target) -> dict | None:
    """The oldest comment carrying the marker, on any page, as the forge lists it."""
    url: str | None = provider.comments(target)
    for _ in range(MAX_PAGES):
        if url is None:
            return None
        answer = _checked(client.call("GET", url), target, "list the comments")
        for comment in answer.body if isinstance(answer.body, list) else []:
            if MARKER in str(comment.get("body") or ""):
                return comment
        url = provider.next_page(answer) or _gitlab_next(answer, url)
    return None


def _gitlab_next(answer: Answer, url: str) -> str | None:
    page = answer.headers.get("x-next-page", "").strip()
    if not page:
        return None
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if p and not p.startswith("page=")]
    return f"{base}?{'&'.join([*kept, f'page={page}'])}"


def _page(comment: object, target: Target, comment_id: int | None = None) -> str:
    """The page a person opens, not the API address: the forge's own link when it gives one
    (GitHub and Gitea do; a GitLab note does not), else built from the comment's id."""
    found = comment if isinstance(comment, dict) else {}
    given = found.get("html_url") or found.get("web_url")
    if given:
        return str(given)
    number = found.get("id", comment_id)
    return PROVIDERS[target.provider].page(target, int(number)) if str(number).isdigit() else ""


def _checked(answer: Answer, target: Target, doing: str) -> Answer:
    if answer.ok:
        return answer
    label, where = PROVIDERS[target.provider].label, f"{target.repo} #{target.number}"
    said = answer.message()
    if answer.status in (401, 403):
        raise PostError(ExitCode.POST_DENIED, f"{label} refused to {doing} on {where} ({answer.status}: {said}) with "
                                f"{target.token_name}; {FORK_HELP}")
    if answer.status in (404, 410, 422):
        raise PostError(ExitCode.POST_NOT_FOUND, f"{label} could not {doing} on {where} ({answer.status}: {said}); check the "
                                   "repository, the pull request number and that the token can see them")
    raise PostError(ExitCode.POST_UNAVAILABLE, f"{label} did not {doing} on {where} after retries "
                                 f"({answer.status or 'no answer'}: {said}); try again later")
