"""What both benchmarks accept as --repo: a git work tree, checked before any timing starts."""

from __future__ import annotations

import argparse
import subprocess
from pathlib import Path


def repository(text: str) -> Path:
    """An argparse type: one clear line instead of a traceback half-way through a run."""
    path = Path(text).expanduser()
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: no such folder")
    probe = subprocess.run(["git", "-C", str(path), "rev-parse", "--verify", "-q", "HEAD"],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        raise argparse.ArgumentTypeError(f"{text}: not a git repository with commits")
    return path.resolve()
