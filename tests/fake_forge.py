"""A local stand-in for the part of GitHub's, GitLab's and Gitea's REST APIs that posting uses.

It listens on 127.0.0.1 only, keeps comments in memory, paginates small pages so tests see
several, checks the token the way each provider expects it, and records every request
(method, path with query, headers, JSON body) so tests can assert exactly what was sent.
`fail(n, status, headers, body)` makes the next n requests fail first.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

TOKEN = "s3cr3t-token-value"
PAGE = 2


@dataclass
class Request:
    method: str
    path: str                    # with the query string
    headers: dict
    body: object


@dataclass
class Forge:
    kind: str                    # github | gitlab | gitea
    comments: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    next_id: int = 100
    url: str = ""

    def fail(self, times: int, status: int, headers: dict | None = None, body: object = None) -> None:
        self.failures += [(status, headers or {}, body if body is not None else {"message": f"error {status}"})] * times

    def seed(self, bodies: list[str]) -> None:
        for text in bodies:
            self.comments.append(self.comment(self.next_id, text))
            self.next_id += 1

    def comment(self, comment_id: int, body: str) -> dict:
        """As the forge answers: GitHub and Gitea link the comment's page, a GitLab note does not."""
        page = {} if self.kind == "gitlab" else {"html_url": f"https://forge.example/page#{comment_id}"}
        return {"id": comment_id, "body": body, **page}


_ROUTES = {
    "github": (r"^/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<n>\d+)/comments$", r"^/repos/[^/]+/[^/]+/issues/comments/(?P<id>\d+)$"),
    "gitea": (r"^/api/v1/repos/(?P<repo>[^/]+/[^/]+)/issues/(?P<n>\d+)/comments$",
              r"^/api/v1/repos/[^/]+/[^/]+/issues/comments/(?P<id>\d+)$"),
    "gitlab": (r"^/api/v4/projects/(?P<repo>[^/]+)/merge_requests/(?P<n>\d+)/notes$",
               r"^/api/v4/projects/[^/]+/merge_requests/\d+/notes/(?P<id>\d+)$"),
}


def _authorized(kind: str, headers) -> bool:
    if kind == "github":
        return headers.get("Authorization") == f"Bearer {TOKEN}"
    if kind == "gitlab":
        return headers.get("PRIVATE-TOKEN") == TOKEN
    return headers.get("Authorization") == f"token {TOKEN}"


def _handler(forge: Forge):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):   # quiet
            pass

        def _reply(self, status: int, body: object, headers: dict | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            forge.requests.append(Request(self.command, self.path, dict(self.headers), body))
            if forge.failures:
                status, headers, payload = forge.failures.pop(0)
                return self._reply(status, payload, headers)
            if not _authorized(forge.kind, self.headers):
                return self._reply(401, {"message": "Bad credentials"})
            route = urlsplit(self.path)
            listing, single = (re.match(p, route.path) for p in _ROUTES[forge.kind])
            if listing and self.command == "GET":
                return self._page(route.path, parse_qs(route.query))
            if listing and self.command == "POST":
                return self._create(body)
            if single and self.command in ("PATCH", "PUT"):
                return self._update(int(single.group("id")), body)
            return self._reply(404, {"message": "Not Found"})

        def _page(self, path: str, query: dict) -> None:
            page = int(query.get("page", ["1"])[0])
            chunk = forge.comments[(page - 1) * PAGE: page * PAGE]
            more = page * PAGE < len(forge.comments)
            headers = {}
            if more and forge.kind == "gitlab":
                headers["X-Next-Page"] = str(page + 1)
            elif more:
                kept = "&".join(f"{k}={v[0]}" for k, v in sorted(query.items()) if k != "page")
                headers["Link"] = f'<{forge.url}{path}?{kept + "&" if kept else ""}page={page + 1}>; rel="next"'
            self._reply(200, chunk, headers)

        def _create(self, body) -> None:
            comment = forge.comment(forge.next_id, body["body"])
            forge.next_id += 1
            forge.comments.append(comment)
            self._reply(201, comment)

        def _update(self, comment_id: int, body) -> None:
            for comment in forge.comments:
                if comment["id"] == comment_id:
                    comment["body"] = body["body"]
                    return self._reply(200, comment)
            self._reply(404, {"message": "Not Found"})

        do_GET = do_POST = do_PATCH = do_PUT = _handle

    return Handler


class Running:
    def __init__(self, kind: str):
        self.forge = Forge(kind)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.forge))
        self.forge.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Forge:
        self.thread.start()
        return self.forge

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
