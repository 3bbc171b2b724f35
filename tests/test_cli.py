"""The command line: exit codes, one-line errors, configuration, rules commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, make_repo, run_cli, scan_json

CODE = "def f(data):\n    t = 0\n    for b in data:\n        t = (t * 31 + b) & 0xFFFF\n    return t\n"


@pytest.mark.parametrize("args, message", [
    (["scan", "/no/such/place"], "/no/such/place: no such file or directory"),
    (["scan", "--as-of", "yesterday", "."], "'as_of' must be a date like 2024-06-30"),
    (["explain", "nothing-matches-this"], "no candidate matches 'nothing-matches-this'"),
    (["rules", "show", "XX999"], "no rule 'XX999'"),
])
def test_bad_input_is_one_line_and_exit_1(args, message, tmp_path, monkeypatch):
    (tmp_path / "m.py").write_text(CODE)
    monkeypatch.chdir(tmp_path)
    code, out, err = run_cli(*args)
    assert code == 1
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_long_message_is_one_line_in_a_log(capsys):
    """stderr is not a terminal here, as in a CI job: nothing breaks a line at 80 columns (a
    GitLab job once printed `Comment unchanged: ` and the URL on the next line)."""
    from analyzer.report import console as show
    url = "https://gitlab.example.com/group/subgroup/project/-/merge_requests/1234#note_5678901234"
    show.console(stderr=True).print(f"Comment unchanged: {url}", highlight=False)
    assert capsys.readouterr().err == f"Comment unchanged: {url}\n"


def test_empty_folder_is_an_error(tmp_path):
    (tmp_path / "README.md").write_text("no code here")
    code, _, err = run_cli("scan", str(tmp_path))
    assert code == 1 and "no Python or Java source files to scan" in err


def test_usage_errors_exit_1_not_2(tmp_path):
    (tmp_path / "m.py").write_text(CODE)   # a folder that scans: --top 0 is the only mistake
    assert run_cli("scan", str(tmp_path), "--quiet", "--no-cache")[0] == 0
    code, _, err = run_cli("scan", str(tmp_path), "--top", "0")
    assert code == 1 and "--top" in err   # 2 is reserved for a failed gate


def test_bad_file_is_listed_and_the_scan_completes(tmp_path):
    (tmp_path / "good.py").write_text(CODE)
    (tmp_path / "bad.py").write_text("def broken(:\n")
    report = scan_json(tmp_path)
    assert report["errors"] == [{"path": "bad.py", "kind": "parse", "message": "syntax error at line 1: invalid syntax"}]
    assert any(c["id"] == "py:good.py::f" for c in report["candidates"])


def test_json_file_is_written_whole(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    code, stdout, _ = run_cli("scan", str(tmp_path), "--json", str(out))
    assert code == 0 and "Top" in stdout
    assert json.loads(out.read_text())["schema_version"] == "1.2"
    assert [p.name for p in out.parent.iterdir()] == ["report.json"]   # no temporary file left


def test_config_file_and_flags(tmp_path):
    (tmp_path / "keep.py").write_text(CODE)
    (tmp_path / "skip.py").write_text(CODE)
    (tmp_path / "pyproject.toml").write_text('[tool.rustscout]\nexclude = ["skip.py"]\ntop = 3\n')
    ids = {c["id"] for c in scan_json(tmp_path)["candidates"]}
    assert "py:keep.py::f" in ids and not any(i.startswith("py:skip.py") for i in ids)
    code, _, err = run_cli("scan", str(tmp_path), "--include", "skip.py")
    assert code == 1 and "no Python or Java source files to scan" in err   # exclude still applies


def test_unknown_config_key_is_an_error(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    (tmp_path / "rustscout.toml").write_text("colour = 'red'\n")
    code, _, err = run_cli("scan", str(tmp_path))
    assert code == 1 and "unknown setting(s) colour" in err


def test_as_of_defaults_to_head_and_can_be_set(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}, "date": "2024-05-06T12:00:00Z"}])
    assert scan_json(repo)["repo"]["as_of"] == "2024-05-06"
    assert scan_json(repo, "--as-of", "2024-12-31")["repo"]["as_of"] == "2024-12-31"
    assert scan_json(repo)["repo"]["head"] == subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True).stdout.strip()


def test_outside_git_history_is_reported_missing(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    report = scan_json(tmp_path)
    assert report["repo"]["head"] is None and report["summary"]["commits"] == 0
    assert any("not a git repository" in n for n in report["summary"]["notices"])


def test_rules_list_and_show():
    code, out, _ = run_cli("rules", "list", "--json")
    rows = json.loads(out)
    assert code == 0 and {"FX001", "IO001", "HT001"} <= {r["id"] for r in rows}
    code, out, _ = run_cli("rules", "show", "FX001")
    assert code == 0
    for expected in ("FX001 regex-compiled-per-call", "regex_literal >= 1", "hoist-regex", "Why it matters"):
        assert expected in out


def test_module_entry_point_and_no_color(tmp_path):
    (tmp_path / "m.py").write_text(CODE)
    env = {**os.environ, "NO_COLOR": "1", "TERM": "xterm-256color"}
    result = subprocess.run([sys.executable, "-m", "analyzer", "scan", str(tmp_path), "--top", "3"],
                            capture_output=True, text=True, env=env, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout and "│ f " in result.stdout and "function · m.py:1" in result.stdout
    version = subprocess.run([sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True)
    assert version.stdout.startswith("rustscout ")


@pytest.mark.parametrize("target, message", [
    ("missing-folder/x.json", "folder missing-folder does not exist"),
    (".", "is a folder; give a file name"),
])
def test_unwritable_json_target_fails_before_scanning(target, message, tmp_path, monkeypatch):
    (tmp_path / "m.py").write_text(CODE)
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("scan", ".", "--json", target, "--quiet")
    assert code == 1 and message in err and len(err.strip().splitlines()) == 1


def test_top_from_configuration_and_rules_relative_to_cwd(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    for i in range(5):
        (project / f"m{i}.py").write_text(CODE)
    (project / "rustscout.toml").write_text("top = 2\n")
    code, out, _ = run_cli("scan", str(project))
    assert code == 0 and "Top 2 of" in out
    code, out, err = run_cli("scan", str(project), "--quiet")
    assert (code, out, err) == (0, "", "")   # quiet means quiet: no table either
    extra = tmp_path / "extra-rules"
    extra.mkdir()
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli("scan", "project", "--rules", "extra-rules", "--quiet")
    assert code == 0, err   # found relative to the working folder, not to project/


def test_dates_outside_the_history(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"m.py": CODE}, "date": "2024-05-06T12:00:00Z"}])
    assert scan_json(repo, "--since", "100y")["summary"]["commits"] == 1
    early = scan_json(repo, "--as-of", "1960-01-01")
    assert early["summary"]["commits"] == 0
    assert any("no commits between" in n for n in early["summary"]["notices"])


def test_a_subfolder_scan_says_what_its_figures_are_of(sample_repo):
    whole, part = scan_json(sample_repo), scan_json(sample_repo / "tidewater" / "wire")
    assert "scope" not in whole["repo"] and part["repo"]["scope"] == "tidewater/wire"
    assert part["summary"]["notices"][0].startswith("only tidewater/wire/ was scanned: reach")
    code, out, _ = run_cli("scan", str(sample_repo / "tidewater" / "wire"), "--top", "1")
    assert code == 0 and f"Rust candidates in tidewater/wire/ of {sample_repo}" in " ".join(out.split())


def test_a_one_file_scan_names_the_file_not_a_folder(sample_repo):
    one = scan_json(sample_repo / "tidewater" / "wire" / "codec.py")
    assert one["repo"]["scope"] == "tidewater/wire/codec.py"
    assert one["summary"]["notices"][0].startswith("only tidewater/wire/codec.py was scanned: reach")
    code, out, _ = run_cli("scan", str(sample_repo / "tidewater" / "wire" / "codec.py"), "--top", "1")
    assert code == 0 and f"Rust candidates in tidewater/wire/codec.py of {sample_repo}" in " ".join(out.split())


@pytest.mark.parametrize("command", [["scan"], ["pr", "--base", "main"]])
def test_a_bare_repository_is_one_line_that_says_to_scan_a_clone(command, tmp_path):
    bare = tmp_path / "store.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    code, _, err = run_cli(*command[:1], str(bare), *command[1:])
    assert code == 1 and len(err.strip().splitlines()) == 1
    assert f"{bare}: a bare git repository has no work tree to scan; scan a clone of it" in err


@pytest.mark.parametrize("args, sentence", [
    (["explain", "--help"], "`rustscout explain RuleEngine.evaluate`, `rustscout explain parse`"),
    (["--help"], "the extension project, the pure code kept as the fallback"),
])
def test_help_flows_each_paragraph_to_the_terminal_width(args, sentence, monkeypatch):
    """A docstring is wrapped for the source; on a wide terminal its sentences run on, not
    break where the source's lines did."""
    monkeypatch.setenv("COLUMNS", "200")
    code, out, _ = run_cli(*args)
    assert code == 0
    assert sentence in out
