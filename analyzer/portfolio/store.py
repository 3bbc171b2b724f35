"""Results kept between portfolio runs, in one SQLite file, so that a repository whose head
did not change is not scanned again: a nightly run costs only what changed.

A result is found by the repository (its identity and settings: branch, subfolder,
language), the head commit scanned and the tool's identity (its version plus a digest of its
code, rules and catalogs: new rules give new results). One row per repository: a new head
replaces the old one, so the file grows with the number of repositories, not of runs. The
row's file count stays useful after the head moves: big repositories are started first.

Values are the scan document and the content hashes, as compressed JSON: no pickles, so a
foreign file can make nothing run. Every value carries a SHA-256; a row that does not match
is dropped, and a file that is not a sound database is deleted and rebuilt. A store that
cannot be used (locked, read-only) costs a rescan, never the run.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import zlib
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path

import analyzer
from analyzer import __version__
from analyzer.infra import sqlite
from analyzer.portfolio.sources import Source

FILE_NAME = "rustscout-portfolio.sqlite3"
CHECKOUTS = "portfolio-checkouts"   # in the cache folder, unless --work-dir
FORMAT = "1"
_SCHEMA = ("CREATE TABLE IF NOT EXISTS results (repository TEXT PRIMARY KEY, head TEXT NOT NULL, "
           "tool TEXT NOT NULL, files INTEGER NOT NULL, digest BLOB NOT NULL, value BLOB NOT NULL)",
           "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
_DATA = ("*.py", "*.json", "*.yaml", "*.scm")


def default_folder() -> Path:
    """The user cache folder rustscout's scan cache uses (RUSTSCOUT_CACHE_DIR, else the
    platform's convention): the one call into analyzer.infra.cache."""
    from analyzer.infra.cache import default_folder as scan_cache_folder
    return scan_cache_folder()


@lru_cache(maxsize=1)
def tool_identity() -> str:
    """The version and a digest of everything that shapes a scan: the package's code and
    data, and the rules folder (installed inside it, or beside it in a checkout)."""
    from analyzer.infra.resources import rules_dir
    package = Path(analyzer.__file__).resolve().parent
    digest = hashlib.sha256(f"{__version__}\0{FORMAT}".encode())
    for folder in dict.fromkeys((package, rules_dir().resolve())):
        for path in sorted(p for pattern in _DATA for p in folder.rglob(pattern) if "__pycache__" not in p.parts):
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:16]}"


def repository_key(source: Source) -> str:
    text = "\0".join((source.identity, *(value or "" for value in source.settings)))
    return hashlib.sha256(text.encode()).hexdigest()


class ResultStore:
    """The store at `path`, or a disabled one (None) that keeps nothing."""

    def __init__(self, path: Path | None):
        self.path = path
        self.notice: str | None = None

    def get(self, source: Source, head: str) -> tuple[str, dict[str, str]] | None:
        """(scan document, content hashes) kept for this repository at this head."""
        with self._connection() as db:
            row = db.execute("SELECT digest, value FROM results WHERE repository = ? AND head = ? AND tool = ?",
                             (repository_key(source), head, tool_identity())).fetchone() if db else None
            if row is None:
                return None
            if hashlib.sha256(row[1]).digest() != row[0]:
                db.execute("DELETE FROM results WHERE repository = ?", (repository_key(source),))
                db.commit()
                return None
        value = json.loads(zlib.decompress(row[1]))
        return value["document"], value["hashes"]

    def put(self, source: Source, head: str, document: str, hashes: dict[str, str], files: int) -> None:
        value = zlib.compress(json.dumps({"document": document, "hashes": hashes}).encode(), 6)
        with self._connection() as db:
            if db is not None:
                db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
                           (repository_key(source), head, tool_identity(), files, hashlib.sha256(value).digest(),
                            value))
                db.commit()

    def size_hint(self, source: Source) -> int:
        """Files in the repository's last result, whatever its head: 0 when unknown."""
        with self._connection() as db:
            row = db.execute("SELECT files FROM results WHERE repository = ?",
                             (repository_key(source),)).fetchone() if db else None
        return int(row[0]) if row else 0

    def _connection(self):
        if self.path is None:
            return nullcontext(None)
        return sqlite.guarded(lambda: _open(self.path), self._give_up, lambda exc: _remove(self.path))

    def _give_up(self, exc: Exception) -> None:
        if self.notice is None:
            self.notice = f"the portfolio store {self.path} could not be used ({exc}); unchanged repositories " \
                          "were scanned again"


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _ready(path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise
        _remove(path)                                    # not a database, or not ours: start again
        return _ready(path)


def _ready(path: Path) -> sqlite3.Connection:
    return sqlite.ready(path, _SCHEMA, FORMAT, "store")


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
