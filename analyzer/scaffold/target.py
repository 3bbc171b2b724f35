"""Where a scaffold may go: an empty (or new) folder, or with --force one that holds files; never
the scanned repository, nor a folder of it that holds anything but an earlier scaffold."""

from __future__ import annotations

from pathlib import Path

from analyzer.scaffold.errors import ScaffoldError
from analyzer.scaffold.spec import METADATA


def check_target(out: Path, repo_root: Path | None, force: bool) -> None:
    """Raise before anything is written: a file in the way, the repository itself, a non-empty folder."""
    if out.exists() and not out.is_dir():
        raise ScaffoldError(f"{out}: exists and is not a folder")
    if repo_root is not None and _contains(out.resolve(), repo_root.resolve()):
        raise ScaffoldError(f"{out}: holds the scanned repository; write the scaffold to a folder of its own "
                            "(the user's code is never written to)")
    if not (out.is_dir() and any(out.iterdir())):
        return
    if not force:
        raise ScaffoldError(f"{out}: not empty; pass --force to write into it (the scaffold's files are replaced)")
    if repo_root is not None and _contains(repo_root.resolve(), out.resolve()) and not (out / METADATA).is_file():
        raise ScaffoldError(f"{out}: a folder of the scanned repository that holds no scaffold; even with --force "
                            "the scaffold does not write over files of your code: give a new or empty folder")


def _contains(folder: Path, inner: Path) -> bool:
    return inner == folder or folder in inner.parents
