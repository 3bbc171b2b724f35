"""The part of each provider's REST API that posting uses: list, create and update comments
on a pull (merge) request, how pages follow each other, and how to link to a file.

  GitHub  GET/POST {api}/repos/{repo}/issues/{n}/comments, PATCH {api}/repos/{repo}/issues/comments/{id}
          Authorization: Bearer; pages: Link rel="next"
  GitLab  GET/POST {api}/projects/{id}/merge_requests/{iid}/notes, PUT .../notes/{id}
          PRIVATE-TOKEN; pages: X-Next-Page (or Link)
  Gitea   GET/POST {api}/repos/{repo}/issues/{n}/comments, PATCH {api}/repos/{repo}/issues/comments/{id}
  (Forgejo) Authorization: token; pages: Link rel="next" when the server paginates
"""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Callable

from analyzer.post.http import Answer

_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass(frozen=True)
class Target:
    """Where the comment goes. The token never shows in repr, logs or messages."""
    provider: str               # github | gitlab | gitea
    api: str                    # API base URL, no trailing slash
    repo: str                   # owner/name; GitLab: the project's id or path
    number: int                 # pull request number; GitLab: the merge request's iid
    web: str                    # server URL, for links to files
    token: str = field(repr=False, default="")
    token_name: str = ""        # the environment variable the token came from


class Provider:
    name = ""
    label = ""

    def headers(self, token: str) -> dict[str, str]:
        raise NotImplementedError

    def comments(self, t: Target) -> str:
        raise NotImplementedError

    def comment(self, t: Target, comment_id: int) -> str:
        raise NotImplementedError

    update_method = "PATCH"

    def page(self, t: Target, comment_id: int) -> str:
        """The comment on the pull request's page, for a person to open."""
        raise NotImplementedError

    def next_page(self, answer: Answer) -> str | None:
        found = _NEXT.search(answer.headers.get("link", ""))
        return found.group(1) if found else None

    def link(self, t: Target, sha: str) -> Callable[[str, int, int], str]:
        raise NotImplementedError


class GitHub(Provider):
    name, label = "github", "GitHub"

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28"}

    def comments(self, t: Target) -> str:
        return f"{t.api}/repos/{t.repo}/issues/{t.number}/comments?per_page=100"

    def comment(self, t: Target, comment_id: int) -> str:
        return f"{t.api}/repos/{t.repo}/issues/comments/{comment_id}"

    def page(self, t: Target, comment_id: int) -> str:
        return f"{t.web}/{t.repo}/pull/{t.number}#issuecomment-{comment_id}"

    def link(self, t: Target, sha: str):
        return lambda path, a, b: f"{t.web}/{t.repo}/blob/{sha}/{_quote(path)}#L{a}" + (f"-L{b}" if b > a else "")


class GitLab(Provider):
    name, label = "gitlab", "GitLab"
    update_method = "PUT"

    def headers(self, token: str) -> dict[str, str]:
        return {"PRIVATE-TOKEN": token}

    def comments(self, t: Target) -> str:
        return f"{t.api}/projects/{_project(t.repo)}/merge_requests/{t.number}/notes?per_page=100&sort=asc"

    def comment(self, t: Target, comment_id: int) -> str:
        return f"{t.api}/projects/{_project(t.repo)}/merge_requests/{t.number}/notes/{comment_id}"

    def page(self, t: Target, comment_id: int) -> str:
        return f"{t.web}/{t.repo}/-/merge_requests/{t.number}#note_{comment_id}"

    def link(self, t: Target, sha: str):
        return lambda path, a, b: f"{t.web}/{t.repo}/-/blob/{sha}/{_quote(path)}#L{a}" + (f"-{b}" if b > a else "")


class Gitea(Provider):
    name, label = "gitea", "Gitea"

    def headers(self, token: str) -> dict[str, str]:
        return {"Authorization": f"token {token}"}

    def comments(self, t: Target) -> str:
        return f"{t.api}/repos/{t.repo}/issues/{t.number}/comments"

    def comment(self, t: Target, comment_id: int) -> str:
        return f"{t.api}/repos/{t.repo}/issues/comments/{comment_id}"

    def page(self, t: Target, comment_id: int) -> str:
        return f"{t.web}/{t.repo}/pulls/{t.number}#issuecomment-{comment_id}"

    def link(self, t: Target, sha: str):
        return lambda path, a, b: f"{t.web}/{t.repo}/src/commit/{sha}/{_quote(path)}#L{a}" + (f"-L{b}" if b > a else "")


PROVIDERS: dict[str, Provider] = {p.name: p for p in (GitHub(), GitLab(), Gitea())}


def _project(repo: str) -> str:
    """GitLab names a project by id, or by its URL-encoded path."""
    return repo if repo.isdigit() else urllib.parse.quote(repo, safe="")


def _quote(path: str) -> str:
    return urllib.parse.quote(path)
