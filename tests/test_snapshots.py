"""Golden files for every output of the Python sample: the JSON, SARIF and Code Quality
documents, the table, `explain` of the top candidate, and the pull request's comment.

A change to any of them shows up here as a diff to review. When the change is meant, rewrite
them with `python -m pytest tests/test_snapshots.py --update-snapshots` and commit the diff
with the change that caused it. A missing snapshot is a failure, never a silent pass.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from conftest import FIXTURES, build, extend, run_cli

SNAPSHOTS = FIXTURES / "snapshots"
AS_OF = "2025-10-01"


@pytest.fixture(scope="module")
def outputs() -> dict[str, str]:
    """Every output, with the checkout's temporary path written as <ROOT>; the table and
    `explain` at a fixed width of 100 columns."""
    width, os.environ["COLUMNS"] = os.environ.get("COLUMNS"), "100"
    # The checkout's path has the same length on every machine (pytest's temporary folder does
    # not), so a table title that wraps around it wraps the same in CI as on a laptop.
    home = Path(tempfile.mkdtemp(prefix="rs-snap-", dir="/tmp"))
    try:
        return _outputs(home)
    finally:
        os.environ.pop("COLUMNS") if width is None else os.environ.update(COLUMNS=width)
        shutil.rmtree(home)


def _outputs(home: Path) -> dict[str, str]:
    repo = build(FIXTURES / "git" / "tidewater.yaml", home / "tidewater")
    out = repo.parent
    base = ["--as-of", AS_OF, "--no-cache", "--quiet"]
    found = {}
    loud = [a for a in base if a != "--quiet"]   # --quiet prints no table; the summary under it has timings
    code, printed, _ = run_cli("scan", str(repo), *loud, "--top", "8", "--json", str(out / "r.json"),
                               "--sarif", str(out / "r.sarif"), "--gitlab-codequality", str(out / "r.cq"))
    assert code == 0
    found["table.txt"] = printed[:printed.index("\n", printed.rindex("└")) + 1]
    for name, file in (("report.json", "r.json"), ("report.sarif", "r.sarif"), ("codequality.json", "r.cq")):
        found[name] = (out / file).read_text()
    top = json.loads(found["report.json"])["candidates"][0]["id"]
    found["explain.txt"] = run_cli("explain", top, str(repo), *base)[1]
    extend(FIXTURES / "git" / "tidewater-pr.yaml", repo)
    run_cli("pr", str(repo), "--base", "main", "--no-cache", "--quiet", "--comment-file", str(out / "pr.md"))
    found["pr-comment.md"] = (out / "pr.md").read_text()
    return {name: _neutral(text, str(repo)) for name, text in found.items()}


def _neutral(text: str, root: str) -> str:
    """The checkout's path as <ROOT>, and no trailing spaces (rich pads a title to the path's length)."""
    return "".join(line.rstrip() + "\n" for line in text.replace(root, "<ROOT>").splitlines())


@pytest.mark.parametrize("name", ["report.json", "report.sarif", "codequality.json", "table.txt", "explain.txt",
                                  "pr-comment.md"])
def test_output_matches_its_snapshot(outputs, name, update_snapshots):
    golden = SNAPSHOTS / f"tidewater.{name}"
    if update_snapshots:
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(outputs[name])
    assert golden.exists(), f"{golden} is missing: run with --update-snapshots and review it"
    expected = golden.read_text()
    diff = "".join(difflib.unified_diff(expected.splitlines(True), outputs[name].splitlines(True), str(golden),
                                        "this run", n=1))
    assert outputs[name] == expected, f"{name} changed:\n{diff[:4000]}"
