"""Days and timestamps, one home for each: rustscout's dates are UTC seconds since the epoch,
and a repository can hold any date at all (a forged commit in year 10000, one before 1970)."""

from __future__ import annotations

from datetime import datetime, timezone

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
