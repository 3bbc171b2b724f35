"""A small JSON-over-HTTPS client with the retry rules a CI job needs (standard library only).

- 429, and 403 that is a rate limit (GitHub's secondary limits), wait for `Retry-After`
  (or until `X-RateLimit-Reset`), at most MAX_WAIT seconds each time;
- 5xx and network errors are retried with a growing pause;
- at most ATTEMPTS attempts in all; then the last answer stands.
Headers are never logged or put in messages: one of them carries the token.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Callable, Mapping

from analyzer import __version__

ATTEMPTS = 4
MAX_WAIT = 60.0
TIMEOUT = 30.0


@dataclass(frozen=True)
class Answer:
    status: int                 # 0 when no answer came (network error)
    headers: Mapping[str, str]  # lower-case names
    body: object                # parsed JSON, or the text when it is not JSON
    reason: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def message(self) -> str:
        """What the server said, in one line, for an error message."""
        said = self.body.get("message") if isinstance(self.body, dict) else None
        return str(said or self.reason or f"HTTP {self.status}").splitlines()[0][:200]


class Client:
    def __init__(self, headers: Mapping[str, str], sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time):
        self._headers = {"User-Agent": f"rustscout/{__version__}", "Accept": "application/json", **headers}
        self._sleep, self._clock = sleep, clock

    def call(self, method: str, url: str, payload: object | None = None) -> Answer:
        for attempt in range(1, ATTEMPTS + 1):
            answer = self._once(method, url, payload)
            wait = self._wait(answer, attempt)
            if wait is None or attempt == ATTEMPTS:
                return answer
            self._sleep(wait)
        return answer

    def _once(self, method: str, url: str, payload: object | None) -> Answer:
        data = json.dumps(payload).encode() if payload is not None else None
        headers = {**self._headers, **({"Content-Type": "application/json"} if data is not None else {})}
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return _answer(response.status, response.headers, response.read(), response.reason)
        except urllib.error.HTTPError as exc:
            return _answer(exc.code, exc.headers, exc.read(), exc.reason)
        except (urllib.error.URLError, OSError) as exc:
            return Answer(0, {}, None, str(getattr(exc, "reason", exc)))

    def _wait(self, answer: Answer, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None when trying again would not help."""
        if answer.status == 429 or (answer.status == 403 and _rate_limited(answer)):
            return min(_retry_after(answer, self._clock()), MAX_WAIT)
        if answer.status == 0 or answer.status >= 500:
            return float(2 ** (attempt - 1))
        return None


def _answer(status: int, headers, raw: bytes, reason: str) -> Answer:
    text = raw.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        body = text
    return Answer(status, {k.lower(): v for k, v in (headers or {}).items()}, body, str(reason or ""))


def _rate_limited(answer: Answer) -> bool:
    said = answer.message().lower()
    return "retry-after" in answer.headers or answer.headers.get("x-ratelimit-remaining") == "0" or "rate limit" in said


def _retry_after(answer: Answer, now: float) -> float:
    value = answer.headers.get("retry-after", "")
    if value.strip().isdigit():
        return float(value.strip())
    reset = answer.headers.get("x-ratelimit-reset", "")
    if reset.strip().isdigit():
        return max(float(reset) - now, 1.0)
    return 60.0   # GitHub's advice for secondary limits without a header: wait a minute
