"""Opening a SQLite file of ours (the scan cache, the portfolio's store): write-ahead
logging, the tables made when missing, and a format stamp checked, so that a file of another
format is refused (the caller deletes and rebuilds it) rather than read wrong."""

from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence


def ready(path: Path, schema: Sequence[str], version: str, what: str) -> sqlite3.Connection:
    """An open connection; a file of another format raises sqlite3.DatabaseError naming `what`.
    `schema` must create a table `meta (name, value)` among its others."""
    db = sqlite3.connect(path, timeout=15, isolation_level="DEFERRED")
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")   # WAL keeps the file sound; a crash loses the last write at most
        for statement in schema:
            db.execute(statement)
        found = db.execute("SELECT value FROM meta WHERE name = 'format'").fetchone()
        if found is None:
            db.execute("INSERT OR IGNORE INTO meta VALUES ('format', ?)", (version,))
        elif found[0] != version:
            raise sqlite3.DatabaseError(f"{what} format {found[0]}, expected {version}")
        db.commit()
        return db
    except BaseException:
        db.close()
        raise


@contextmanager
def guarded(opener: Callable[[], sqlite3.Connection], give_up: Callable[[Exception], None],
            damaged: Callable[[Exception], None]) -> Iterator[sqlite3.Connection | None]:
    """A connection, or None when the file cannot be used this time: a file of ours is a
    saving, never a reason for a run to fail. `give_up` hears why (locked past the timeout,
    read-only, unreadable); `damaged` hears of a file found corrupt while in use."""
    try:
        db = opener()
    except (OSError, sqlite3.Error) as exc:
        give_up(exc)
        yield None
        return
    with closing(db):
        try:
            yield db
        except sqlite3.OperationalError as exc:   # locked for longer than the timeout
            give_up(exc)
        except sqlite3.DatabaseError as exc:      # corrupt under our feet: rebuilt next time
            damaged(exc)
