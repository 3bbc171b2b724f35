"""The two commits of a pull request, read from git's objects: the head, and the merge base
of the base branch with it; the files that changed between them, and the commits added."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from analyzer import inventory, parse, vcs
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.model import FileDiff, FileError, ParsedFile, SourceFile


@dataclass(frozen=True, slots=True)
class Revision:
    """One commit as the pipeline reads it: its files with their blob ids."""
    sha: str
    time: int
    files: tuple[SourceFile, ...]
    skipped: tuple[FileError, ...]
    blobs: Mapping[str, str]
    build: tuple[str, ...]          # the build code its manifests declare (inventory/backend.py)
    unread: tuple[tuple[str, int], ...] = ()   # source files in languages not read: (language, files)

    @property
    def items(self) -> list[parse.Item]:
        return [(f, self.blobs[f.path]) for f in self.files]


@dataclass(frozen=True, slots=True)
class Change:
    """What the head adds to the merge base."""
    files: tuple[FileDiff, ...]
    commits: frozenset[str]
    renamed: Mapping[str, str]      # new path -> old path


def read(config: Config, base_ref: str, head_ref: str) -> tuple[Revision, Revision, Path]:
    """(head, merge base, repository root)."""
    repo, root, scope = inventory.locate(config.path)
    if repo is None:
        raise ScanError(f"{config.path}: not a git repository; `rustscout pr` compares two commits")
    head_sha, head_time = vcs.resolve(root, head_ref)
    base_sha = vcs.merge_base(root, vcs.resolve(root, base_ref)[0], head_sha)
    manifests = _manifest_reader(root)   # one git reader for both commits
    head = _revision(root, head_sha, head_time, scope, config, manifests)
    return head, _revision(root, base_sha, vcs.resolve(root, base_sha)[1], scope, config, manifests), root


def _revision(root: Path, sha: str, time: int, scope: str, config: Config,
              manifests: Callable[[str], bytes | None]) -> Revision:
    entries = vcs.tree(root, sha)
    files, skipped, blobs = inventory.discover_tree(entries, scope, config.include, config.exclude,
                                                    config.max_file_kb * 1024)
    return Revision(sha, time, files, skipped, blobs, inventory.declared_build_tree(entries, manifests),
                    inventory.unread_languages((e.path for e in entries), scope))


def _manifest_reader(root: Path) -> Callable[[str], bytes | None]:
    """A blob's bytes for the inventory's manifests, None when git cannot give them."""
    reader = vcs.RevisionReader(str(root))

    def read(blob: str) -> bytes | None:
        try:
            return reader.blob(blob)
        except OSError:
            return None
    return read


def change(root: Path, base: Revision, head: Revision) -> Change:
    files = vcs.diff(root, base.sha, head.sha)
    renamed = {d.new_path: d.old_path for d in files if d.old_path and d.new_path and d.old_path != d.new_path}
    return Change(files, vcs.commits_between(root, base.sha, head.sha), renamed)


def union(head: Sequence[parse.Item], base: Sequence[parse.Item]) -> list[parse.Item]:
    """Every distinct (file, blob) once: a file the pull request did not touch is parsed once."""
    seen = set(head)
    return [*head, *(item for item in base if item not in seen)]


def of(revision: Revision, by_item: Mapping[parse.Item, ParsedFile]) -> tuple[ParsedFile, ...]:
    """The revision's own files, sorted by path, the build code it declares tagged (as a scan
    tags a work tree's)."""
    own = sorted((by_item[i] for i in revision.items), key=lambda p: p.file.path)
    return inventory.tag_build_code(own, revision.build)
