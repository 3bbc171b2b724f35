"""Shared by tests/test_scaffold*.py: the bytekit fixture repository, scanned with the real CLI,
and the scaffold generated from one of its candidates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitscript import build

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "fixtures" / "git" / "scaffold-bytekit.yaml"
RUSTSCOUT = Path(sys.executable).parent / "rustscout"


def bytekit(tmp: Path) -> tuple[Path, dict]:
    """The repository and its JSON document, as `rustscout scan --json` writes it."""
    repo = build(SCRIPT, tmp / "bytekit")
    out = tmp / "bytekit.json"
    done = subprocess.run([str(RUSTSCOUT), "scan", str(repo), "--json", str(out), "--quiet"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return repo, json.loads(out.read_text(encoding="utf-8"))


def candidate(document: dict, unit_id: str) -> dict:
    found = [c for c in document["candidates"] if c["id"] == unit_id]
    assert found, f"the scan has no candidate {unit_id}: {[c['id'] for c in document['candidates']]}"
    return found[0]


def files(scaffold) -> dict[str, str]:
    return {f.path: f.text for f in scaffold.files}
