"""Days and timestamps, one home for each: rustscout's dates are UTC seconds since the epoch,
and a repository can hold any date at all (a forged commit in year 10000, one before 1970).
Dates the user gives (--as-of, --since) are read here too."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from analyzer.errors import ScanError

DAY = 86_400
LAST_TIMESTAMP = 253_402_300_799   # 9999-12-31T23:59:59Z, the last second a datetime can hold


def _clamped(timestamp: int) -> datetime:
    return datetime.fromtimestamp(min(max(timestamp, 0), LAST_TIMESTAMP), timezone.utc)


def iso_day(timestamp: int | None) -> str | None:
    """The UTC day of a timestamp; times past year 9999 read as its last day."""
    return None if timestamp is None else _clamped(timestamp).date().isoformat()


def git_date(timestamp: int) -> str:
    """An unambiguous date for git: `@N` with a small N is read as a day of this month."""
    return _clamped(timestamp).strftime("%Y-%m-%d %H:%M:%S +0000")


SPAN = re.compile(r"^(\d+)\s*([dwmy])$")


def parse_date(text: str, what: str) -> int:
    """End of the given UTC day as a timestamp."""
    try:
        day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise ScanError(f"'{what}' must be a date like 2024-06-30, got '{text}'") from None
    return int(day.timestamp()) + DAY - 1   # arithmetic on the number: 9999-12-31 has no next day


def since_timestamp(since: str | None, as_of: int | None) -> int | None:
    """--since as a timestamp: a date, or a span (90d, 26w, 18m, 2y) back from as_of. A start
    before 1970 means all of the history (git reads no earlier dates). The clock is never
    read: a span needs an as_of, and without one there is no history to bound."""
    if since is None:
        return None
    match = SPAN.match(since)
    if not match:
        start = parse_date(since, "since") - DAY + 1
    else:
        n, unit = int(match.group(1)), match.group(2)
        days = n * {"d": 1, "w": 7, "m": 30, "y": 365}[unit]
        start = (as_of or 0) - days * DAY   # no as_of (no commits): no history to bound
    return start if start > 0 else None
