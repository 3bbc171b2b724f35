"""`scan --format concise` (one line per finding, `path:line: RULE message`) and `--statistics`
(a count per rule), as ruff prints them: plain, sorted, the same bytes every time."""

from __future__ import annotations

import re

from conftest import run_cli

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<rule>[A-Z]{2}\d{3}) \S.*$")


def _findings(report: dict) -> set[tuple[str, str]]:
    return {(f["rule"], f["unit"]) for c in report["candidates"] for f in c["findings"]}


def test_concise_is_one_sorted_line_per_finding(sample_repo, sample_report):
    code, out, _ = run_cli("scan", str(sample_repo), "--format", "concise", "--quiet")
    assert code == 0
    lines = out.splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), [line for line, m in zip(lines, parsed) if not m]
    assert len(lines) == len(_findings(sample_report))   # the sample has no finding on a folder
    keys = [(m["path"], int(m["line"])) for m in parsed]
    assert keys == sorted(keys)
    assert "tidewater/parsing/loglines.py:7: FX001 parse_line compiles or looks up a regular expression on every call" in lines
    assert "Top" not in out and "┃" not in out   # no table


def test_each_line_names_its_unit_so_none_reads_twice(sample_repo):
    """A module and its function hold NT001 at one line: each line says whose it is."""
    lines = run_cli("scan", str(sample_repo), "--format", "concise", "--quiet")[1].splitlines()
    assert len(set(lines)) == len(lines)
    native = "of its estimated time (its calls included) is already native code: library calls that run compiled, " \
             "not in Python"
    assert {f"tidewater/parsing/loglines.py:7: NT001 loglines: 57% {native}",
            f"tidewater/parsing/loglines.py:7: NT001 parse_line: 64% {native}"} <= set(lines)


def test_concise_is_the_same_bytes_every_time(sample_repo):
    runs = [run_cli("scan", str(sample_repo), "--format", "concise", "--quiet", *extra)[1]
            for extra in ((), ("--no-cache",), ())]
    assert runs[0] == runs[1] == runs[2] and runs[0]


def test_statistics_count_each_rule_most_frequent_first(sample_repo, sample_report):
    code, out, _ = run_cli("scan", str(sample_repo), "--statistics", "--quiet")
    assert code == 0
    rows = [line.split() for line in out.splitlines()]
    counts = {rule: int(n) for n, rule, *_ in rows}
    expected: dict[str, int] = {}
    for rule, _ in _findings(sample_report):
        expected[rule] = expected.get(rule, 0) + 1
    assert counts == expected
    assert [int(r[0]) for r in rows] == sorted((int(r[0]) for r in rows), reverse=True)
    assert ["1", "FX001", "regex-compiled-per-call"] in rows


def test_statistics_say_what_was_suppressed(tmp_path):
    (tmp_path / "m.py").write_text("import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n"
                                   "        out.append(re.compile(r'(\\d+)').match(line))  # rustscout: ignore[FX]\n"
                                   "    return out\n")
    code, out, _ = run_cli("scan", str(tmp_path), "--statistics", "--quiet", "--no-cache")
    assert code == 0 and "0  FX001  regex-compiled-per-call (1 suppressed)" in out.splitlines()


def test_concise_leaves_package_findings_out_and_says_so(tmp_path):
    java = tmp_path / "src/main/java/p/Hit.java"
    java.parent.mkdir(parents=True)
    java.write_text("package p;\n\nimport java.util.regex.Pattern;\n\npublic class Hit {\n"
                    "    public boolean valid(String s) {\n        return Pattern.compile(\"^[A-Z]+$\").matcher(s).matches();\n"
                    "    }\n}\n")
    code, out, err = run_cli("scan", str(tmp_path), "--format", "concise", "--no-cache")
    assert code == 0 and out and all(LINE.match(line) for line in out.splitlines())
    assert "src/main/java/p/Hit.java:7: FX001 Hit.valid(String) compiles or looks up a regular expression on every call" in out
    assert not any(line.startswith("src/main/java/p/:") for line in out.splitlines())
    assert re.search(r"\d+ finding\(s\) of packages or components not listed", err)
    stats = run_cli("scan", str(tmp_path), "--statistics", "--quiet", "--no-cache")[1]
    assert "TS001" in stats   # only the package has no test: counted, though not listed


def test_concise_and_json_to_stdout_conflict(sample_repo):
    code, out, err = run_cli("scan", str(sample_repo), "--format", "concise", "--json", "-", "--quiet")
    assert code == 1 and out == "" and "--format concise and --statistics print to stdout" in err
