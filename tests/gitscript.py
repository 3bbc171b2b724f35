"""Build a git repository from a declarative commit script, with fixed authors and dates.

Tests and `make demo` use it, so no repository (and no .git folder) is ever committed.
A script is YAML (or the same structure as a dict):

    source: fixtures/repos/pyshop     # optional: `write` copies files from here
    authors:
      ana: {name: Ana Ruiz, email: ana@example.com}
    commits:
      - {author: ana, date: "2024-03-01T09:00:00Z", message: "Add codec",
         write: [pkg/codec.py],                 # copy from source (its final content)
         copy: {pkg/old_name.py: pkg/codec.py}, # copy a source file to another path
         files: {pkg/x.py: "print(1)\\n"},       # inline content
         edit: {pkg/codec.py: [{find: "a", replace: "b"}]},
         rename: {pkg/old.py: pkg/new.py},
         delete: [pkg/gone.py],
         branch: feature}                   # optional: commit on this branch (created from
                                            # the current commit the first time)
    final: source                          # optional: the last tree must equal `source`

`extend(script, dest)` adds a script's commits to an existing repository (a pull request
on top of a sample, for example).

Usage: python tests/gitscript.py SCRIPT DEST   (DEST must not exist or be empty)
       python tests/gitscript.py --extend SCRIPT DEST   (more commits on the repository at DEST)
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


def build(script: dict[str, Any] | Path, dest: Path) -> Path:
    script = _loaded(script)
    source = ROOT / script["source"] if script.get("source") else None
    dest.mkdir(parents=True, exist_ok=True)
    _git(dest, "init", "-q", "-b", "main")
    extend(script, dest)
    if script.get("final") == "source":
        _check_final(dest, source)
    return dest


def _loaded(script: dict[str, Any] | Path) -> dict[str, Any]:
    return yaml.safe_load(script.read_text(encoding="utf-8")) if isinstance(script, Path) else script


def extend(script: dict[str, Any] | Path, dest: Path) -> Path:
    script = _loaded(script)
    source = ROOT / script["source"] if script.get("source") else None
    for commit in script["commits"]:
        if commit.get("branch"):
            _switch(dest, commit["branch"])
        _apply(commit, dest, source)
        author = script["authors"][commit["author"]]
        _commit(dest, author, commit["date"], commit["message"])
    return dest


def _switch(dest: Path, branch: str) -> None:
    known = _git(dest, "branch", "--list", branch).strip()
    _git(dest, "checkout", "-q", *(() if known else ("-b",)), branch)


def _apply(commit: dict, dest: Path, source: Path | None) -> None:
    for rel in commit.get("write", ()):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / rel, target)
    for rel, origin in (commit.get("copy") or {}).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / origin, target)
    for rel, text in (commit.get("files") or {}).items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode("utf-8") if isinstance(text, str) else bytes(text))
    for rel, edits in (commit.get("edit") or {}).items():
        target = dest / rel
        text = target.read_text(encoding="utf-8")
        for edit in edits:
            if edit["find"] not in text:
                raise ValueError(f"{rel}: edit text not found: {edit['find']!r}")
            text = text.replace(edit["find"], edit["replace"], 1)
        target.write_text(text, encoding="utf-8")
    for old, new in (commit.get("rename") or {}).items():
        (dest / new).parent.mkdir(parents=True, exist_ok=True)
        _git(dest, "mv", old, new)
    for rel in commit.get("delete", ()):
        _git(dest, "rm", "-q", rel)


def _commit(dest: Path, author: dict, date: str, message: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": author["name"], "GIT_AUTHOR_EMAIL": author["email"],
           "GIT_COMMITTER_NAME": author["name"], "GIT_COMMITTER_EMAIL": author["email"],
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    _git(dest, "add", "-A")
    _git(dest, "-c", "commit.gpgsign=false", "commit", "-q", "--allow-empty", "-m", message, env=env)


def _check_final(dest: Path, source: Path) -> None:
    tracked = set(_git(dest, "ls-files").split())
    wanted = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    if tracked != wanted:
        raise ValueError(f"final tree differs from {source}: missing {sorted(wanted - tracked)}, "
                         f"extra {sorted(tracked - wanted)}")
    for rel in wanted:
        if (dest / rel).read_bytes() != (source / rel).read_bytes():
            raise ValueError(f"final content of {rel} differs from {source / rel}")


def _git(cwd: Path, *args: str, env: dict | None = None) -> str:
    base = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    result = subprocess.run(["git", *args], cwd=cwd, env=env and {**base, **env} or base,
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


if __name__ == "__main__":
    args = sys.argv[1:]
    adding = args[:1] == ["--extend"]
    args = args[1:] if adding else args
    if len(args) != 2:
        sys.exit(__doc__.split("Usage: ")[1].strip())
    target = Path(args[1])
    if adding:
        print(extend(Path(args[0]), target))
    elif target.exists() and any(target.iterdir()):
        sys.exit(f"{target} is not empty")
    else:
        print(build(Path(args[0]), target))
