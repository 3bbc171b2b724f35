"""The house keeps its plan: stages import one way (the import-linter contracts in
pyproject.toml), and rustscout, scanned by itself, finds no import cycle and takes none of
its own files for generated code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_cli


def test_the_import_contracts_are_kept():
    done = subprocess.run([str(Path(sys.executable).parent / "lint-imports"), "--config", str(ROOT / "pyproject.toml"),
                           "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


def test_a_self_scan_finds_no_cycle_and_no_generated_file_of_ours():
    code, out, err = run_cli("scan", str(ROOT), "--json", "-", "--quiet", "--no-cache")
    assert code == 0, err
    report = json.loads(out)
    assert report["errors"] == []
    assert report["summary"]["import_cycles"] == []
    assert "generated" not in report["summary"]["files_by_tag"], report["summary"]
    assert any(c["path"].startswith("analyzer/") for c in report["candidates"])   # it did read our code
