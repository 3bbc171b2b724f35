"""Where a scan starts: the repository, the root that paths are relative to, the scope."""

from __future__ import annotations

from pathlib import Path

from analyzer import vcs
from analyzer.errors import ScanError


def locate(path: Path) -> tuple[vcs.RepoInfo | None, Path, str]:
    """(repository or None, root that paths are relative to, folder or file to scan under it)."""
    if not path.exists():
        raise ScanError(f"{path}: no such file or directory")
    if path.is_dir() and not _readable(path):
        raise ScanError(f"{path}: permission denied")
    repo = vcs.open_repo(path if path.is_dir() else path.parent)
    root = repo.root.resolve() if repo else (path if path.is_dir() else path.parent).resolve()
    scope = path.resolve().relative_to(root).as_posix()
    return repo, root, "" if scope == "." else scope


def _readable(path: Path) -> bool:
    try:
        next(iter(path.iterdir()), None)
        return True
    except PermissionError:
        return False
