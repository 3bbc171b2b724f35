"""`rustscout fix` and the patches `explain` prints: applied together, only to the bytes the
scan read, atomically, and pasteable into `git apply`."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

from analyzer.cli.common import run_scan
from analyzer.cli.fix import tell
from analyzer.fixes import patching
from analyzer.model import Fix, LineEdit
from conftest import make_repo, run_cli

# Two methods named alike, each compiling a pattern per call: two fix-in-place-first fixes in
# one file, whose constants must not share a name; `import os` after `__all__` is still an import.
TEXT = '''"""Message parsing."""

import re
import sys

__all__ = ["Header", "Body"]

import os


class Header:
    def parse(self, lines):
        out = []
        for line in lines:
            m = re.match(r"(\\w+): (.*)", line)
            if m:
                out.append((m.group(1), m.group(2)))
        return out


class Body:
    def parse(self, lines):
        out = []
        for line in lines:
            out.append(re.sub(r"\\s+", " ", line))
        return out


def main():
    lines = sys.stdin.read().splitlines()
    for _ in range(1000):
        Header().parse(lines)
        Body().parse(lines)
    print(os.getcwd())
'''
SUMMARY = "FX001 A regular expression compiled (or looked up) on every call"


def repo_with_fixes(tmp_path: Path) -> Path:
    return make_repo(tmp_path, [{"files": {"app/__init__.py": "", "app/text.py": TEXT}}])


def git_apply_check(repo: Path, patch: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "apply", "--check", "-"], input=patch.encode(), cwd=repo, capture_output=True)


def test_diff_shows_every_fix_as_one_patch_and_changes_nothing(tmp_path):
    repo = repo_with_fixes(tmp_path)
    code, out, err = run_cli("fix", "--diff", "-q", str(repo))
    assert code == 0, err
    assert err.splitlines() == [f"would fix app/text.py:12: {SUMMARY}", f"would fix app/text.py:22: {SUMMARY}",
                                "Would fix 2 of 2 in 1 file(s)."]
    assert (repo / "app/text.py").read_text() == TEXT
    assert out.startswith("--- a/app/text.py\n+++ b/app/text.py\n@@ -6,13 +6,16 @@\n")
    assert git_apply_check(repo, out).returncode == 0


def test_fix_applies_the_fixes_of_one_file_together(tmp_path):
    repo = repo_with_fixes(tmp_path)
    os.chmod(repo / "app/text.py", 0o755)
    code, out, err = run_cli("fix", "-q", str(repo))
    assert code == 0, err
    assert out.splitlines() == [f"fixed app/text.py:12: {SUMMARY}", f"fixed app/text.py:22: {SUMMARY}",
                                "Fixed 2 of 2 in 1 file(s)."]
    lines = (repo / "app/text.py").read_text().splitlines()
    assert lines[7:12] == ["import os", "", '_PARSE_RE = re.compile(r"(\\w+): (.*)")',
                           '_PARSE_RE_2 = re.compile(r"\\s+")', ""]
    assert "            m = _PARSE_RE.match(line)" in lines and "            out.append(_PARSE_RE_2.sub(\" \", line))" in lines
    ast.parse("\n".join(lines))
    assert os.stat(repo / "app/text.py").st_mode & 0o777 == 0o755
    assert not [p.name for p in (repo / "app").iterdir() if p.name.startswith(".")]   # no temporary file left
    assert run_cli("fix", "-q", str(repo))[1] == "No mechanical fix to apply.\n"   # the findings are gone


def test_ids_and_select_choose_fixes(tmp_path):
    repo = repo_with_fixes(tmp_path)
    code, out, err = run_cli("fix", "Body.parse", "-q", str(repo))
    assert (code, out.splitlines()[0]) == (0, f"fixed app/text.py:22: {SUMMARY}")
    text = (repo / "app/text.py").read_text()
    assert 're.match(r"(\\w+): (.*)", line)' in text and "_PARSE_RE_2.sub" in text
    assert run_cli("fix", "--select", "FX002", "-q", str(repo))[1] == "No mechanical fix to apply.\n"
    assert (repo / "app/text.py").read_text() == text


def test_bad_ids_and_rules_are_one_line_errors(tmp_path):
    repo = repo_with_fixes(tmp_path)
    code, out, err = run_cli("fix", "--select", "FX001,FX999", "-q", str(repo))
    assert code == 1 and "--select FX999: no such rule" in err and "Traceback" not in err
    code, out, err = run_cli("fix", "no_such_unit", "-q", str(repo))
    assert code == 1 and "no candidate matches 'no_such_unit'" in err
    code, out, err = run_cli("fix", "main", "-q", str(repo))
    assert code == 0 and "py:app/text.py::main: no mechanical fix (verdict " in err
    assert (repo / "app/text.py").read_text() == TEXT


def test_a_file_changed_since_the_scan_is_left_alone(tmp_path):
    repo = repo_with_fixes(tmp_path)
    _, report = run_scan(repo, True)
    fixes = [f for c in report.candidates for f in c.fixes]
    edited = TEXT.replace("import sys\n", "import sys  # edited\n")
    (repo / "app/text.py").write_text(edited)
    patches = patching.plan(Path(report.root), fixes)
    assert {o.reason for p in patches for o in p.outcomes} == {patching.CHANGED}
    assert patching.write(Path(report.root), patches) and (repo / "app/text.py").read_text() == edited


def test_a_file_changed_between_the_plan_and_the_write_keeps_its_bytes(tmp_path, capsys):
    repo = repo_with_fixes(tmp_path)
    _, report = run_scan(repo, True)
    patches = patching.plan(Path(report.root), [f for c in report.candidates for f in c.fixes])
    assert all(o.applied for p in patches for o in p.outcomes)
    (repo / "app/text.py").write_text(TEXT + "# saved by an editor meanwhile\n")
    done = patching.write(Path(report.root), patches)
    assert (repo / "app/text.py").read_text().endswith("# saved by an editor meanwhile\n")
    import sys
    assert tell(done, False, sys.stdout) == 6
    assert capsys.readouterr().out.splitlines()[0] == f"skipped app/text.py:12: {SUMMARY}: {patching.CHANGED}"


def _fix(line: int, *edits: LineEdit, rule: str = "FX001") -> Fix:
    return Fix(rule, line, "s", "patch", "f.py", "blob", edits)


def test_composing_one_files_fixes():
    """Equal edits once, insertions before one line in order, an overlapping fix skipped."""
    shared = LineEdit(1, 1, "import re\nimport x\n")
    first = _fix(3, shared, LineEdit(2, 1, "\nA = 1\n"), LineEdit(5, 5, "    a()\n"))
    second = _fix(7, shared, LineEdit(2, 1, "\nB = 2\n"), LineEdit(7, 8, "    b()\n"))
    clash = _fix(8, LineEdit(5, 4, "    c()\n"), rule="FX002")    # inside nothing: before line 5 is free
    inside = _fix(9, LineEdit(8, 7, "    d()\n"), rule="FX002")    # between lines 7 and 8, which `second` replaces
    edits, outcomes = patching.compose([first, second, clash, inside])
    assert [o.reason for o in outcomes] == ["", "", "", "overlaps the FX001 fix at line 7; run `rustscout fix` "
                                                        "again for it"]
    assert [(e.first, e.last, "".join(e.lines)) for e in edits] == [
        (1, 1, "import re\nimport x\n"), (2, 1, "\nA = 1\nB = 2\n"), (5, 4, "    c()\n"), (5, 5, "    a()\n"),
        (7, 8, "    b()\n")]


def test_symbolic_links_are_not_rewritten(tmp_path):
    (tmp_path / "real.py").write_text("x = 1\n")
    (tmp_path / "f.py").symlink_to(tmp_path / "real.py")
    [patch] = patching.plan(tmp_path, [_fix(1, LineEdit(1, 1, "x = 2\n"))])
    assert [o.reason for o in patch.outcomes] == ["a symbolic link; not rewritten"]


def test_explain_prints_patches_that_git_apply_takes(tmp_path):
    """Unboxed and uncut: the whole output of explain pipes into `git apply`, long lines and
    CRLF line endings included."""
    long_pattern = "x" * 150
    crlf = ('import re\r\n\r\n\r\nclass A:\r\n    def parse(self, lines):\r\n        out = []\r\n'
            f'        for line in lines:\r\n            out.append(re.sub(r"{long_pattern}", "", line))\r\n'
            '        return out\r\n')
    repo = make_repo(tmp_path, [{"files": {"app/__init__.py": "", "app/text.py": TEXT, "app/crlf.py": crlf}}])
    for query in ("Body.parse", "A.parse"):
        code, out, err = run_cli("explain", query, str(repo), "-q")
        assert code == 0, err
        patch = out[out.index("--- a/app/"):]
        assert "│" not in patch and "╭" not in patch
        assert git_apply_check(repo, out).returncode == 0, git_apply_check(repo, out).stderr
    assert f'+_PARSE_RE = re.compile(r"{long_pattern}")\r\n' in out
    code, out, err = run_cli("explain", "app/text.py", str(repo), "-q")
    assert "Several patches change app/text.py: `rustscout fix py:app/text.py` applies them together" \
        in " ".join(out.split())
