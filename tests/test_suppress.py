"""Suppressions, ruff's `# noqa` as the model: `rustscout: ignore[...]` comments on a finding's line
or on its unit's `def`/`class` line, and per_path_ignores; a suppressed finding is gone (no
listing, no verdict, no feasibility weight) and counted in the summary."""

from __future__ import annotations

import json

import jsonschema
import pytest

from analyzer.model import SourceFile
from analyzer.parse.java import parse_file as parse_java
from analyzer.parse.python import parse_file as parse_python
from conftest import SCHEMA, run_cli, scan_json, write_files

PARSE = "import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n" \
        "        pattern = re.compile(r'(\\d+)'){mark}\n        out.append(pattern.match(line))\n    return out\n"
CLASS = '"""The engine."""\n\n\nclass Engine:{mark}\n' \
        "    def run(self, items, hook):\n        total = 0\n        for item in items:\n" \
        "            total += item * 3\n            hook(total)\n        return total\n"
JAVA = """package p;

import java.util.regex.Pattern;

public class Hit {
    // rustscout: ignore[FX001]
    @Deprecated
    public boolean valid(String symbol) {
        return Pattern.compile("^[A-Z]{1,6}$").matcher(symbol).matches();
    }

    public boolean qualified(String text) {
        return java.util.regex.Pattern.compile("[a-z]+").matcher(text).find();
    }
}
"""


def _python(text: str):
    return parse_python(SourceFile("m.py", "python", len(text), "m"), text.encode())


def test_python_directives_are_read_from_comments_only():
    text = ("import re  # rustscout: ignore[fx001, AL]\n\n# rustscout: ignore[BD001]\n@decorator\n@other\n"
            "def f(x):\n    s = '# rustscout: ignore[ZZ]'\n    return x  # noqa # rustscout: ignore[FX001] rustscout: ignore[NT]\n"
            "# rustscout: ignore\ny = 1\n")
    assert _python(text).directives == (
        (1, ("AL", "FX001")),     # trailing: its own line, ids upper-cased
        (3, ("BD001",)),          # alone: its line,
        (4, ("BD001",)),          # the next line (the first decorator) ...
        (6, ("BD001",)),          # ... and the `def` line the unit starts at
        (8, ("FX001", "NT")),     # two directives in one comment; the string on line 7 is no comment
        (9, ()), (10, ()),        # bare: every rule
    )


def test_a_file_without_the_marker_has_no_directives():
    assert _python("def f():\n    return 'rustscout'  # ignore\n").directives == ()


def test_java_directives_cover_the_declaration_below_its_annotations():
    text = JAVA.replace("matches();", "matches(); /* rustscout: ignore */")
    parsed = parse_java(SourceFile("src/main/java/p/Hit.java", "java", len(text), ""), text.encode())
    valid = next(u for u in parsed.units if u.name == "valid")
    assert valid.start == 8
    assert parsed.directives == ((6, ("FX001",)), (7, ("FX001",)), (8, ("FX001",)), (9, ()))


def _findings(report: dict) -> set[tuple[str, str]]:
    return {(f["rule"], f["unit"]) for c in report["candidates"] for f in c["findings"]}


def _verdict(report: dict, cid: str) -> str | None:
    return next((c["verdict"] for c in report["candidates"] if c["id"] == cid), None)


def test_a_comment_on_the_findings_line_suppresses_it_and_its_verdict(tmp_path):
    before = scan_json(write_files(tmp_path / "a", {"pkg/m.py": PARSE.format(mark="")}), "--no-cache")
    assert ("FX001", "py:pkg/m.py::parse") in _findings(before) and "suppressed" not in before["summary"]
    assert _verdict(before, "py:pkg/m.py::parse") == "fix-in-place-first"
    after = scan_json(write_files(tmp_path / "b", {"pkg/m.py": PARSE.format(mark="  # rustscout: ignore[FX001]")}),
                      "--no-cache")
    assert ("FX001", "py:pkg/m.py::parse") not in _findings(after)
    assert ("NT001", "py:pkg/m.py::parse") in _findings(after)   # only the rule it names
    assert _verdict(after, "py:pkg/m.py::parse") != "fix-in-place-first"
    assert after["summary"]["suppressed"] == {"total": 1, "by_rule": {"FX001": 1}}
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(after)


def test_a_comment_on_a_class_line_covers_its_methods_and_restores_feasibility(tmp_path):
    before = scan_json(write_files(tmp_path / "a", {"pkg/e.py": CLASS.format(mark="")}), "--no-cache")
    after = scan_json(write_files(tmp_path / "b", {"pkg/e.py": CLASS.format(mark="  # rustscout: ignore[BD]")}),
                      "--no-cache")
    method, cls = "py:pkg/e.py::Engine.run", "py:pkg/e.py::Engine"
    assert {("BD001", method), ("BD001", cls), ("BD001", "py:pkg/e.py")} <= _findings(before)
    assert {f for f in _findings(after) if f[0] == "BD001"} == {("BD001", "py:pkg/e.py")}   # the module's is its own
    assert after["summary"]["suppressed"]["by_rule"] == {"BD001": 2}
    score = {c["id"]: c["score"] for c in after["candidates"]}
    assert score[method] > {c["id"]: c["score"] for c in before["candidates"]}[method]   # feasibility no longer 0.7


def test_per_path_ignores_in_pyproject(tmp_path):
    repo = write_files(tmp_path, {"pkg/m.py": PARSE.format(mark=""), "pkg/e.py": CLASS.format(mark=""),
                             "pyproject.toml": '[tool.rustscout]\nper_path_ignores = {"pkg/m*.py" = ["FX", "NT001"]}\n'})
    report = scan_json(repo, "--no-cache")
    assert not {f for f in _findings(report) if f[0] in ("FX001", "NT001")}
    assert ("BD001", "py:pkg/e.py::Engine.run") in _findings(report)
    assert report["summary"]["suppressed"]["by_rule"] == {"FX001": 1, "NT001": 2}   # parse's and its module's NT001


def test_console_summary_counts_suppressed_findings(tmp_path):
    repo = write_files(tmp_path, {"pkg/m.py": PARSE.format(mark="  # rustscout: ignore")})
    code, out, _ = run_cli("scan", str(repo), "--no-cache")
    assert code == 0
    # the module's NT001 points at the same line as parse's: both are suppressed
    assert "Suppressed: 3 finding(s) (FX001 1, NT001 2)" in " ".join(out.split())


def test_java_comment_above_the_annotations_suppresses_the_method(tmp_path):
    report = scan_json(write_files(tmp_path, {"src/main/java/p/Hit.java": JAVA}), "--no-cache")
    found = _findings(report)
    assert ("FX001", "java:src/main/java/p/Hit.java::Hit.qualified(String)") in found
    assert ("FX001", "java:src/main/java/p/Hit.java::Hit.valid(String)") not in found
    assert report["summary"]["suppressed"]["by_rule"] == {"FX001": 1}


def test_a_directive_alone_on_line_1_suppresses_the_modules_finding(tmp_path):
    text = "# rustscout: ignore[TS001]\n" + PARSE.format(mark="")
    report = scan_json(write_files(tmp_path, {"pkg/m.py": text}), "--no-cache")
    assert ("TS001", "py:pkg/m.py") not in _findings(report) and ("FX001", "py:pkg/m.py::parse") in _findings(report)
    assert report["summary"]["suppressed"]["by_rule"] == {"TS001": 1}


@pytest.mark.parametrize("mark", ["  # rustscout: ignore[FX002]", "  # rustscout:ignored", "  # rustscout ignore"])
def test_a_directive_for_another_rule_or_misspelt_suppresses_nothing(tmp_path, mark):
    report = scan_json(write_files(tmp_path, {"pkg/m.py": PARSE.format(mark=mark)}), "--no-cache")
    assert ("FX001", "py:pkg/m.py::parse") in _findings(report) and "suppressed" not in report["summary"]
