"""Work kept between runs: each file's parse result and each history read, in SQLite.

A parsed file is keyed by its content (the git blob id), its role in the repository (path,
language, module, tags) and the parser's identity (rustscout's version and a digest of the
parser's own source), so a result is reused exactly when parsing again would give the same
one. A history is keyed by the commit it ends at and every setting that shapes it.

Safety and robustness:
- Values are pickles of rustscout's own records, stored with a SHA-256 of their bytes and
  read back with an unpickler that can build nothing else; a value that fails either check
  is dropped and recomputed. A file that is not a sound SQLite database is deleted and built
  again: a corrupt cache is rebuilt, never trusted.
- Two runs may share the cache: WAL journaling lets readers and a writer work at once, and
  writers wait for each other (busy timeout). A write that still cannot get the lock is
  skipped; the run does not fail over a cache.
- No connection stays open: each batch opens and closes its own, so no connection is ever
  inherited by a forked worker (a child that closes an inherited SQLite file drops its
  parent's locks).
- The cache stays under MAX_BYTES by dropping the least recently used entries.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
import sys
import time
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from analyzer import __version__
from analyzer.infra import sqlite
from analyzer.model import SourceFile

FILE_NAME = "rustscout-cache.sqlite3"
FORMAT = "1"
MAX_BYTES = 512 * 1024 * 1024
TABLES = ("parsed", "history")
_SCHEMA = [f"CREATE TABLE IF NOT EXISTS {t} (key TEXT PRIMARY KEY, digest BLOB NOT NULL, value BLOB NOT NULL, "
           f"used INTEGER NOT NULL)" for t in TABLES] + ["CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)"]
_SAFE_GLOBALS = {("builtins", "frozenset"), ("builtins", "set")}


def default_folder() -> Path:
    """The user cache folder: RUSTSCOUT_CACHE_DIR, else the platform's convention."""
    if os.environ.get("RUSTSCOUT_CACHE_DIR"):
        return Path(os.environ["RUSTSCOUT_CACHE_DIR"])
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "rustscout"
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", home / "AppData" / "Local")) / "rustscout" / "Cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "rustscout"


@lru_cache(maxsize=None)
def code_identity(*sources: str) -> str:
    """The version, plus a digest of the code that produces a kind of value (its module or
    package paths under analyzer/): a change to that code invalidates what it made even
    before the version moves."""
    package = Path(__file__).resolve().parent.parent   # analyzer/
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for source in sources:
        found = sorted((package / source).rglob("*.py")) if (package / source).is_dir() else [package / source]
        for path in found:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def parser_identity() -> str:
    return code_identity("parse", "model/code.py", "model/_pickle.py", "model/kinds.py")


def history_key(*settings: object) -> str:
    """A history is fixed by the commit it ends at and the settings that bound it."""
    text = "\0".join(str(s) for s in (code_identity("vcs", "model/history.py"), *settings))
    return hashlib.sha256(text.encode()).hexdigest()


def blob_id(data: bytes) -> str:
    """What `git hash-object` says of these bytes, so a file's key is the same whether it was
    read from the work tree or from git's objects."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def file_key(file: SourceFile, blob: str) -> str:
    role = "\0".join((file.path, file.language, str(file.size), file.module, ",".join(sorted(file.tags))))
    return hashlib.sha256(f"{parser_identity()}\0{blob}\0{role}".encode()).hexdigest()


def dumps(value) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes):
    """Unpickle rustscout's own records and nothing else."""
    return _Records(io.BytesIO(data)).load()


class _Records(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module == "analyzer.model._pickle" and name.startswith("_rebuild_")) or (module, name) in _SAFE_GLOBALS \
                or (module.startswith("analyzer.model.") and name[:1].isupper()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not a rustscout record")


class Cache:
    """A cache folder, or a disabled cache (folder None) that finds nothing and keeps nothing."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.notice: str | None = None

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    def get(self, table: str, keys: Iterable[str]) -> dict[str, bytes]:
        """Sound values found for `keys` (unsound ones are dropped from the cache)."""
        keys = list(keys)
        if not self.enabled or not keys:
            return {}
        found, bad = {}, []
        with self._connection() as db:
            if db is None:
                return {}
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                rows = db.execute(f"SELECT key, digest, value FROM {table} WHERE key IN "
                                  f"({','.join('?' * len(chunk))})", chunk).fetchall()
                for key, digest, value in rows:
                    if hashlib.sha256(value).digest() == digest:
                        found[key] = value
                    else:
                        bad.append(key)
            self._touch(db, table, found, bad)
        return found

    def put(self, table: str, rows: Iterable[tuple[str, bytes]]) -> None:
        rows = [(k, hashlib.sha256(v).digest(), v, int(time.time())) for k, v in rows]
        if not self.enabled or not rows:
            return
        with self._connection() as db:
            if db is not None:
                db.executemany(f"INSERT OR REPLACE INTO {table} (key, digest, value, used) VALUES (?, ?, ?, ?)", rows)
                db.commit()
                _prune(db)

    def drop(self, table: str, keys: Iterable[str]) -> None:
        """Forget values that were found unsound when they were read."""
        keys = list(keys)
        with self._connection() as db:
            if db is not None and keys:
                db.executemany(f"DELETE FROM {table} WHERE key = ?", [(k,) for k in keys])
                db.commit()

    @staticmethod
    def _touch(db: sqlite3.Connection, table: str, found: dict, bad: list[str]) -> None:
        try:
            db.executemany(f"UPDATE {table} SET used = ? WHERE key = ?", [(int(time.time()), k) for k in found])
            db.executemany(f"DELETE FROM {table} WHERE key = ?", [(k,) for k in bad])
            db.commit()
        except sqlite3.OperationalError:   # busy: another run is writing; recency can wait
            db.rollback()

    def _connection(self):
        """A fresh connection, or None when the cache cannot be used this time (then the
        run goes on without it, and says so once)."""
        return sqlite.guarded(self._open, self._give_up, self._damaged)

    def _damaged(self, exc: Exception) -> None:
        self._give_up(exc)
        _remove_if_ours(self.path)

    def _open(self) -> sqlite3.Connection:
        self.folder.mkdir(parents=True, exist_ok=True)
        try:
            return _ready(self.path)
        except sqlite3.OperationalError:   # locked, read-only, unreadable: someone else's to mend
            raise
        except sqlite3.DatabaseError:      # not a database, or an older format: rebuild it
            if not _remove_if_ours(self.path):
                raise
            return _ready(self.path)

    def _give_up(self, exc: Exception) -> None:
        if self.notice is None:
            self.notice = f"the cache at {self.folder} could not be used this time ({exc}); nothing is lost but time"


def _ready(path: Path) -> sqlite3.Connection:
    return sqlite.ready(path, _SCHEMA, FORMAT, "cache")


def _prune(db: sqlite3.Connection) -> None:
    """Drop the least recently used quarter of each table when the file grows past MAX_BYTES."""
    pages, free, size = (db.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "freelist_count", "page_size"))
    if (pages - free) * size <= MAX_BYTES:
        return
    for table in TABLES:
        count = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        db.execute(f"DELETE FROM {table} WHERE key IN (SELECT key FROM {table} ORDER BY used LIMIT ?)",
                   (max(count // 4, 1),))
    db.commit()


def _remove_if_ours(path: Path) -> bool:
    """Delete the cache file (and its journal) when this user owns it; another user's cache
    (a shared CI folder, a read-only mount) is left as it is."""
    try:
        owner = path.stat().st_uid
    except FileNotFoundError:
        return True
    if owner != getattr(os, "geteuid", lambda: owner)():
        return False
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return True
