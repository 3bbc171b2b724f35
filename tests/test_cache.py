"""The cache: reused when it should be, rebuilt when it is damaged, shared safely."""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import subprocess
import sys

import pytest

from analyzer import config, pipeline
from analyzer.infra import cache
from analyzer.infra.cache import Cache
from conftest import ROOT, make_repo, run_cli

BODY = "import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n" \
       "        out.append(re.compile(r'(\\d+)').match(line))\n    return out\n"


def _scan(repo, folder, *extra):
    code, out, err = run_cli("scan", str(repo), "--json", "-", "--quiet", "--cache-dir", str(folder), *extra)
    assert code == 0, err
    return out


def _report(repo, folder):
    return pipeline.run(config.Config(repo, cache_dir=folder))


def test_a_warm_run_reuses_everything_and_changes_no_byte(sample_repo, tmp_path):
    cold = _report(sample_repo, tmp_path)
    warm = _report(sample_repo, tmp_path)
    files = cold.summary.files
    assert cold.run_notes[0].startswith(f"Cache: 0 of {files} files reused, history read")
    assert warm.run_notes[0].startswith(f"Cache: {files - 2} of {files} files reused, history reused")   # 2 vendored
    assert _scan(sample_repo, tmp_path) == _scan(sample_repo, tmp_path / "other") \
        == run_cli("scan", str(sample_repo), "--json", "-", "--quiet", "--no-cache")[1]


def test_outside_git_the_cache_note_names_no_history(tmp_path):
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "a.py").write_text(BODY)
    assert _report(tmp_path / "plain", tmp_path / "c").run_notes[0] == f"Cache: 0 of 1 files reused ({tmp_path / 'c'})"


def test_only_changed_files_are_parsed_again(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": BODY, "b.py": "def g():\n    return 1\n"}}])
    _report(repo, tmp_path / "c")
    (repo / "b.py").write_text("def g():\n    return 2\n")
    again = _report(repo, tmp_path / "c")
    assert again.run_notes[0].startswith("Cache: 1 of 2 files reused")


def test_a_corrupt_cache_file_is_rebuilt(sample_repo, tmp_path):
    expected = _scan(sample_repo, tmp_path / "clean")
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / cache.FILE_NAME).write_bytes(b"this is not a database" * 100)
    assert _scan(sample_repo, folder) == expected
    with sqlite3.connect(folder / cache.FILE_NAME) as db:
        assert db.execute("SELECT COUNT(*) FROM parsed").fetchone()[0] > 0


def test_damaged_or_foreign_values_are_never_trusted(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": BODY}}])
    expected = _scan(repo, tmp_path / "c")
    with sqlite3.connect(tmp_path / "c" / cache.FILE_NAME) as db:
        (key,) = db.execute("SELECT key FROM parsed").fetchone()
        db.execute("UPDATE parsed SET value = ? WHERE key = ?", (b"garbage", key))   # digest no longer matches
    assert _scan(repo, tmp_path / "c") == expected

    class Boom:
        def __reduce__(self):
            return (print, ("ran code from the cache",))
    evil = pickle.dumps(Boom())
    with sqlite3.connect(tmp_path / "c" / cache.FILE_NAME) as db:   # a sound digest, a forbidden payload
        db.execute("UPDATE parsed SET value = ?, digest = ? WHERE key = ?", (evil, hashlib.sha256(evil).digest(), key))
    code, out, err = run_cli("scan", str(repo), "--json", "-", "--quiet", "--cache-dir", str(tmp_path / "c"))
    assert code == 0 and out == expected and "ran code" not in out + err
    with pytest.raises(pickle.UnpicklingError, match="not a rustscout record"):
        cache.loads(evil)


def test_results_are_keyed_by_content_role_and_parser(tmp_path, monkeypatch):
    repo = make_repo(tmp_path, [{"files": {"a.py": BODY}}])
    _report(repo, tmp_path / "c")
    monkeypatch.setattr(cache, "parser_identity", lambda: "a-newer-parser")
    assert _report(repo, tmp_path / "c").run_notes[0].startswith("Cache: 0 of 1 files reused")


def test_two_runs_at_once_share_the_cache(sample_repo, tmp_path):
    command = [sys.executable, "-m", "analyzer", "scan", str(sample_repo), "--json", "-", "--quiet",
               "--cache-dir", str(tmp_path / "shared")]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 0 for run in runs), [err for _, err in outputs]
    assert len({out for out, _ in outputs}) == 1
    assert json.loads(outputs[0][0])["candidates"]
    assert _scan(sample_repo, tmp_path / "shared") == outputs[0][0]


def test_no_cache_writes_nothing(sample_repo, tmp_path):
    code, out, err = run_cli("scan", str(sample_repo), "--quiet", "--no-cache", "--cache-dir", str(tmp_path / "never"),
                             "--json", "-")
    assert code == 0 and json.loads(out)["candidates"], err   # the scan ran to the end, where the cache would be written
    assert not (tmp_path / "never").exists()


def test_the_default_folder_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("RUSTSCOUT_CACHE_DIR", str(tmp_path / "mine"))
    assert cache.default_folder() == tmp_path / "mine"
    monkeypatch.delenv("RUSTSCOUT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert cache.default_folder() == tmp_path / "xdg" / "rustscout"


def test_cache_settings_come_from_configuration(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": BODY, "pyproject.toml": "[tool.rustscout]\ncache_dir = \".rs-cache\"\n"}}])
    assert config.load(repo, {}).cache_dir == (repo / ".rs-cache").resolve()
    (repo / "pyproject.toml").write_text("[tool.rustscout]\ncache = false\n")
    assert config.load(repo, {}).cache is False
    assert pipeline.run(config.load(repo, {})).run_notes == ("Cache: off",)


def test_an_unusable_folder_costs_time_not_the_run(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    store = Cache(blocker / "sub")
    assert store.get("parsed", ["k"]) == {} and store.put("parsed", [("k", b"v")]) is None
    assert store.notice and "could not be used" in store.notice
