"""Shared test helpers: repositories built from commit scripts, CLI runs, scans."""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gitscript import build, extend  # noqa: E402

from analyzer.infra.resources import schema_path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SCHEMA = schema_path("report.schema.json")
AUTHORS = {"ana": {"name": "Ana", "email": "ana@example.com"}, "ben": {"name": "Ben", "email": "ben@example.com"}}


def make_repo(tmp_path: Path, commits: list[dict], name: str = "repo") -> Path:
    """A git repository from inline commits: [{"files": {...}, "date": ..., "author": ...}]."""
    script = {"authors": AUTHORS, "commits": [
        {"author": c.get("author", "ana"), "date": c.get("date", "2024-01-01T10:00:00Z"),
         "message": c.get("message", "change"), **{k: v for k, v in c.items()
                                                    if k in ("files", "edit", "rename", "delete")}}
        for c in commits]}
    return build(script, tmp_path / name)


def add_commits(repo: Path, commits: list[dict]) -> Path:
    """More commits on an existing repository, in make_repo's format (plus `branch`)."""
    script = {"authors": AUTHORS, "commits": [
        {"author": c.get("author", "ana"), "date": c.get("date", "2024-06-01T10:00:00Z"),
         "message": c.get("message", "change"), **{k: v for k, v in c.items()
                                                    if k in ("files", "edit", "rename", "delete", "branch")}}
        for c in commits]}
    return extend(script, repo)


def write_files(root: Path, files: dict[str, str]) -> Path:
    """A working tree without git: each path's text, folders made as needed; the root back."""
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    return root


def run_cli(*args: str, env: dict | None = None, monkeypatch=None) -> tuple[int, str, str]:
    """Run the CLI in-process; (exit code, stdout, stderr)."""
    from analyzer.cli import main
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def scan_json(path: Path, *args: str) -> dict:
    code, out, err = run_cli("scan", str(path), "--json", "-", "--quiet", *args)
    assert code == 0, err
    return json.loads(out)


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="Rewrite fixtures/snapshots/ from this run's outputs (review the diff before committing).")


@pytest.fixture(scope="session")
def update_snapshots(request) -> bool:
    return request.config.getoption("--update-snapshots")


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Tests never touch the user's cache folder; they share one of their own."""
    import os
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("RUSTSCOUT_CACHE_DIR")
    os.environ["RUSTSCOUT_CACHE_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("RUSTSCOUT_CACHE_DIR", None)
    else:
        os.environ["RUSTSCOUT_CACHE_DIR"] = previous


@pytest.fixture(scope="session")
def sample_repo(tmp_path_factory) -> Path:
    """The tidewater sample with its history, built once per test session."""
    return build(FIXTURES / "git" / "tidewater.yaml", tmp_path_factory.mktemp("sample") / "tidewater")


@pytest.fixture(scope="session")
def sample_report(sample_repo) -> dict:
    return scan_json(sample_repo)


@pytest.fixture(scope="session")
def java_repo(tmp_path_factory) -> Path:
    """The quarry sample (Java, Maven modules) with its history."""
    return build(FIXTURES / "git" / "quarry.yaml", tmp_path_factory.mktemp("java") / "quarry")


@pytest.fixture(scope="session")
def java_report(java_repo) -> dict:
    return scan_json(java_repo)
