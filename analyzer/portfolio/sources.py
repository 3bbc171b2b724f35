"""Which repositories a portfolio covers: sources from the command line and from a list file.

A source is a local repository path or a git URL (https, http, ssh, git, file, or
scp-like `git@host:org/repo`). A list file holds one source per line, optionally followed
by settings, with comments and blank lines allowed:

    # payments team
    https://git.example.com/pay/ledger.git  branch=release  language=java
    ../checkouts/tools  subfolder=src/tools   # only this folder

Every bad line is reported, each with its line number, before anything runs. Local paths
in a list file are relative to the file's folder. The same repository with the same
settings named twice is scanned once.

Each source gets a display name, unique in the portfolio: the repository's folder name
(without `.git`), lengthened with the folders above it where two would collide, then
`@branch`, `/subfolder` and `[language]` when set. URLs are shown without credentials.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Sequence
from urllib.parse import urlsplit, urlunsplit

from analyzer.errors import ScanError

LANGUAGES = ("java", "python")
SETTINGS = ("branch", "language", "subfolder")
SCHEMES = ("file", "git", "http", "https", "ssh")
_SCP_LIKE = re.compile(r"^(?:[\w.+-]+@)?[\w.-]+:(?!//)")
_BRANCH = re.compile(r"^(?!-)(?!.*\.\.)(?!.*//)[\w./+-]+(?<![./])$")


class SourceError(ScanError):
    """A source or list line that cannot be used; one line per problem."""


@dataclass(frozen=True, slots=True)
class Source:
    name: str               # unique in the portfolio; what every output refers to
    location: str           # what git is given: a URL (credentials and all) or an absolute path
    shown: str              # the location as given, without credentials
    identity: str           # the repository, normalised: same identity, same repository
    remote: bool
    branch: str | None
    subfolder: str | None
    language: str | None
    origin: str             # "argument 2" or "repos.txt:4", for messages

    @property
    def settings(self) -> tuple[str | None, str | None, str | None]:
        return self.branch, self.subfolder, self.language


@dataclass(frozen=True, slots=True)
class _Entry:
    given: str
    base: Path              # what a relative local path is relative to
    settings: tuple[str | None, str | None, str | None]
    origin: str


def collect(arguments: Sequence[str], list_file: Path | None) -> tuple[Source, ...]:
    """Every source, named, in the order given (arguments first); bad input raises one
    SourceError naming every bad line."""
    problems: list[str] = []
    entries = [_argument(text, i + 1, problems) for i, text in enumerate(arguments)]
    if list_file is not None:
        entries += _read_list(list_file, problems)
    if problems:
        raise SourceError("\n".join(problems))
    found = _distinct([e for e in entries if e is not None])
    if not found:
        raise SourceError("no repositories given: name a SOURCE or a --list FILE with at least one line")
    return _named(found)


def _argument(text: str, position: int, problems: list[str]) -> _Entry | None:
    problem = _location_problem(text)
    if problem:
        problems.append(f"argument {position} ({text}): {problem}")
        return None
    return _Entry(text, Path.cwd(), (None, None, None), f"argument {position}")


def _read_list(path: Path, problems: list[str]) -> list[_Entry]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SourceError(f"{path}: cannot read the list: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SourceError(f"{path}: the list is not UTF-8 text") from None
    entries = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = _list_line(line, path, number, problems)
        if entry is not None:
            entries.append(entry)
    return entries


def _list_line(line: str, path: Path, number: int, problems: list[str]) -> _Entry | None:
    words = re.split(r"\s+#", " " + line, maxsplit=1)[0].split() if not line.lstrip().startswith("#") else []
    if not words:
        return None
    where = f"{path}:{number}"
    problem = _location_problem(words[0])
    settings, bad = _settings(words[1:])
    if problem or bad:
        problems.append(f"{where}: {problem or bad}")
        return None
    return _Entry(words[0], path.resolve().parent, settings, where)


def _location_problem(text: str) -> str | None:
    if not text.strip():
        return "an empty source"
    if text.startswith("-"):
        return "a source cannot start with '-'"
    if "::" in text.split("/")[0]:
        return "git remote helpers (transport::address) are not allowed; give a URL or a path"
    scheme = urlsplit(text).scheme if "://" in text else None
    if scheme is not None and scheme.lower() not in SCHEMES:
        return f"unsupported URL scheme '{scheme}' (use {', '.join(SCHEMES)})"
    return None


def _settings(words: list[str]) -> tuple[tuple[str | None, str | None, str | None], str | None]:
    """(branch, subfolder, language) from `key=value` words, or the first problem."""
    found: dict[str, str] = {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep or not value:
            return (None, None, None), f"'{word}' is not a setting (write key=value; keys: {', '.join(SETTINGS)})"
        if key not in SETTINGS:
            return (None, None, None), f"unknown setting '{key}' (known: {', '.join(SETTINGS)})"
        if key in found:
            return (None, None, None), f"'{key}' is given twice"
        problem = _value_problem(key, value)
        if problem:
            return (None, None, None), problem
        found[key] = value.strip("/") if key == "subfolder" else value
    return (found.get("branch"), found.get("subfolder"), found.get("language")), None


def _value_problem(key: str, value: str) -> str | None:
    if key == "language" and value not in LANGUAGES:
        return f"language must be {' or '.join(LANGUAGES)}, got '{value}'"
    if key == "branch" and not _BRANCH.match(value):
        return f"'{value}' is not a branch name"
    if key == "subfolder" and (value.startswith("/") or ".." in PurePosixPath(value).parts or "\\" in value):
        return f"subfolder must be a folder inside the repository, got '{value}'"
    return None


def _distinct(entries: list[_Entry]) -> list[_Entry]:
    seen, kept = set(), []
    for entry in entries:
        key = (_identity(entry), entry.settings)
        if key not in seen:
            seen.add(key)
            kept.append(entry)
    return kept


def is_remote(text: str) -> bool:
    return "://" in text or (bool(_SCP_LIKE.match(text)) and not Path(text).exists())


def _location(entry: _Entry) -> str:
    if is_remote(entry.given):
        return entry.given
    return str((entry.base / Path(entry.given).expanduser()).resolve())


def _identity(entry: _Entry) -> str:
    if not is_remote(entry.given):
        return _location(entry)
    text = redacted(entry.given).lower().rstrip("/")
    return text.removesuffix(".git")


def redacted(location: str) -> str:
    """A URL without its password, and for http(s) without its user too (a token often
    travels as the user name); an ssh user (git@) is not a secret and stays."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    if "@" not in parts.netloc:
        return location
    user, _, host = parts.netloc.rpartition("@")
    keep = parts.scheme.lower() in ("ssh", "git") and user.split(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user.split(':')[0]}@{host}" if keep else host))


def _named(entries: list[_Entry]) -> tuple[Source, ...]:
    identities = list(dict.fromkeys(_identity(e) for e in entries))
    folders = {_identity(e): _folders(e) for e in entries}
    base = dict(zip(identities, _unique_tails([folders[i] for i in identities])))
    out = []
    for entry in entries:
        branch, subfolder, language = entry.settings
        name = base[_identity(entry)] + (f"@{branch}" if branch else "") + (f"/{subfolder}" if subfolder else "") \
            + (f"[{language}]" if language else "")
        out.append(Source(name, _location(entry), redacted(entry.given), _identity(entry), is_remote(entry.given),
                          branch, subfolder, language, entry.origin))
    return tuple(out)


def _folders(entry: _Entry) -> list[str]:
    """The folder names of a source's path, innermost first, without `.git`."""
    text = _location(entry) if not is_remote(entry.given) else redacted(entry.given)
    if "://" in text:
        parts = urlsplit(text)
        text = parts.netloc.rpartition("@")[2] + "/" + parts.path
    elif is_remote(entry.given):
        text = text.replace(":", "/", 1).rpartition("@")[2]
    names = [p for p in re.split(r"[/\\]+", text) if p]
    if names:
        names[-1] = names[-1].removesuffix(".git") or names[-1]
    return list(reversed(names)) or ["repository"]


def _unique_tails(folders: list[list[str]]) -> list[str]:
    """For each repository, the shortest tail of its path that no other one shares; a
    clash that remains at full length (one server under two URLs) gets a number."""
    depth = [1] * len(folders)
    while True:
        names = [_tail(f, d) for f, d in zip(folders, depth)]
        clashing = {n for n, count in Counter(names).items() if count > 1}
        grown = [d + 1 if n in clashing and d < len(f) else d for f, d, n in zip(folders, depth, names)]
        if grown == depth:
            return _numbered(names)
        depth = grown


def _tail(folders: list[str], depth: int) -> str:
    return "/".join(reversed(folders[:depth]))


def _numbered(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}~{seen[name]}")
    return out
