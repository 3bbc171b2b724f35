"""`rustscout pr`: two commits read from git's objects, compared, and told as one comment."""

from __future__ import annotations

import base64
import gzip
import json
import re
import shutil
import subprocess

import pytest

from analyzer import config, pipeline
from analyzer.infra import split
from analyzer.pr import delta as deltas
from analyzer.model.delta import Baseline, Shift
from analyzer.model.delta import MARKER, MAX_CHARS
from analyzer.report import json as json_report
from analyzer.report.markdown import render_pr
from conftest import FIXTURES, add_commits, make_repo, run_cli
from gitscript import extend

PR_SCRIPT = FIXTURES / "git" / "tidewater-pr.yaml"


@pytest.fixture(scope="module")
def pr_repo(sample_repo, tmp_path_factory):
    repo = tmp_path_factory.mktemp("pr") / "tidewater"
    shutil.copytree(sample_repo, repo)
    return extend(PR_SCRIPT, repo)


@pytest.fixture(scope="module")
def comparison(pr_repo):
    return pipeline.compare(config.Config(pr_repo), "main")


def test_the_base_is_the_merge_base_and_both_sides_are_whole_analyses(pr_repo, comparison):
    main = subprocess.run(["git", "rev-parse", "main"], cwd=pr_repo, capture_output=True, text=True).stdout.strip()
    assert comparison.base.head == main and comparison.commits == 3
    assert comparison.head.head != main and comparison.head.summary.files == comparison.base.summary.files + 4
    assert {(d.old_path, d.new_path) for d in comparison.diff} >= {
        (None, "tidewater/slugs.py"), ("tidewater/web/views.py", "tidewater/web/handlers.py")}


def test_a_base_whose_stages_split_is_analysed_as_one_that_does_not(pr_repo, comparison, monkeypatch):
    """On a large repository (kafka) the base's analysis, in a helper process, reached stages
    that split across processes, and multiprocessing refused it: `rustscout pr` stopped with a
    traceback. Every stage splits here, as on a large repository; the reports are the same."""
    monkeypatch.setattr(split, "MIN_ITEMS", 2)
    split_up = pipeline.compare(config.Config(pr_repo), "main")
    for side in ("base", "head"):
        assert json_report.render(getattr(split_up, side)) == json_report.render(getattr(comparison, side))


def test_a_new_regex_per_call_is_a_new_finding_on_changed_lines(comparison):
    d = deltas.compute(comparison, Baseline())
    assert [(f.rule_id, f.unit_id) for f in d.new_findings] == [("FX001", "py:tidewater/slugs.py::slugify")]
    assert d.new_findings[0].evidence[0].lines == (7, 7)
    known = Baseline(findings=frozenset({"FX001:py:tidewater/slugs.py::slugify"}))
    assert deltas.compute(comparison, known).new_findings == ()


def test_new_callers_and_a_new_cycle_are_boundary_erosion(comparison):
    d = deltas.compute(comparison, Baseline())
    codec = [e for e in d.erosion if e.candidate.id == "py:tidewater/wire/codec.py" and e.measure == "calls in"]
    assert codec and codec[0].after > codec[0].before
    assert any(c.source == "py:tidewater/reporting.py::summarize" for c in codec[0].examples)
    assert d.new_cycles == (("py:tidewater/cyc_a.py", "py:tidewater/cyc_b.py"),)


def test_a_renamed_file_is_neither_new_nor_gone(comparison):
    renames = [(f.old_path, f.new_path) for f in comparison.diff if f.old_path != f.new_path and f.old_path and f.new_path]
    assert any("views.py" in old or "handlers.py" in new for old, new in renames), renames   # the rename is there
    d = deltas.compute(comparison, Baseline(), top=50)
    moved = [s.id for s in (*d.appeared, *d.gone, *d.touched) if "views.py" in s.id or "handlers.py" in s.id]
    assert moved == []


def test_the_comment_tells_it_with_links_to_the_head(comparison):
    d = deltas.compute(comparison, Baseline())
    body = render_pr(d, ("1 new fix-in-place finding(s) on changed lines",),
                     lambda path, a, b: f"https://forge/o/r/blob/{d.head}/{path}#L{a}")
    assert body.startswith(MARKER + "\n### 🦀 rustscout: ")
    assert f"[`tidewater/slugs.py:7`](https://forge/o/r/blob/{d.head}/tidewater/slugs.py#L7): slugify compiles" in body
    assert "**Gate failed:** 1 new fix-in-place finding(s) on changed lines" in body
    assert "New import cycle: `tidewater/cyc_a.py` ↔ `tidewater/cyc_b.py`" in body
    assert "<details><summary>Top 10 of" in body and body.count(MARKER) == 1
    assert "The full report" not in body                                   # no --report-url, no link


def test_a_report_url_adds_one_line_above_the_footer_and_nothing_else(comparison):
    d = deltas.compute(comparison, Baseline())
    body = render_pr(d, report_url="https://ci.example/jobs/9/report.html")
    line = ("📊 [The full report](https://ci.example/jobs/9/report.html): the ranking, each candidate's case and "
            "the dependency graph with its boundary.")
    assert body.splitlines()[-3:] == [line, "", body.splitlines()[-1]] and body.splitlines()[-1].startswith("<sub>")
    assert body.replace(line + "\n\n", "") == render_pr(d)


def test_only_what_moved_is_a_thing_to_look_at(comparison):
    d = deltas.compute(comparison, Baseline())
    listed = {s.id: s.after for s in d.touched}
    # new, under a point and nothing to act on (cyc_b at 0.0, cyc_a's module at 0.9): counted, not listed
    assert "py:tidewater/cyc_b.py" not in listed and "py:tidewater/cyc_a.py" not in listed and d.quiet == 2
    assert listed["py:tidewater/slugs.py::slugify"][1] == "fix-in-place-first"
    same = Shift("py:m.py::f", "function", "f", "m.py", (1, 9), (0.4, "fix-in-place-first"), (0.4, "fix-in-place-first"))
    assert not deltas._worth_a_line(same)   # "0.4 -> 0.4" is not news, whatever the verdict
    body = render_pr(d)
    assert "| `slugify` function<br>and `slugs` module: new → 0.2 | new → 0.3 | fix-in-place-first |" in body
    assert "### 🦀 rustscout: 7 thing(s) to look at" in body   # 3 touched families, 1 finding, 2 erosions, 1 cycle


def test_the_cli_gate_and_its_exit_codes(pr_repo):
    code, out, err = run_cli("pr", str(pr_repo), "--base", "main", "--quiet", "--fail-on", "new-fix,erosion")
    assert code == 2 and out.startswith(MARKER)
    assert "gate failed: 1 new fix-in-place finding(s) on changed lines" in err
    assert "gate failed: boundary erosion:" in err and "1 new import cycle(s)" in err
    code, again, _ = run_cli("pr", str(pr_repo), "--base", "main", "--quiet", "--fail-on", "score>=99")
    gate_line = next(line for line in out.splitlines() if line.startswith("**Gate failed:**"))
    assert code == 0 and again == out.replace(gate_line + "\n\n", "")   # the same comment, without the gate


def test_nothing_relevant_gives_a_short_comment(sample_repo, tmp_path):
    repo = tmp_path / "quiet"
    shutil.copytree(sample_repo, repo)
    add_commits(repo, [{"branch": "docs", "files": {"README.md": "# tidewater\n"}}])
    code, out, _ = run_cli("pr", str(repo), "--base", "main", "--quiet", "--fail-on", "new-fix,erosion,score>=1")
    assert code == 0
    assert "### 🦀 rustscout: no relevant changes" in out and "No relevant changes" in out
    assert len(out) < 3000


def test_the_work_tree_is_not_touched_and_does_not_count(pr_repo, tmp_path):
    before = {p: p.read_bytes() for p in pr_repo.rglob("*.py") if ".git" not in p.parts}
    (pr_repo / "tidewater" / "slugs.py").write_text("def slugify(names):\n    return names\n")   # uncommitted
    try:
        code, out, err = run_cli("pr", str(pr_repo), "--base", "main", "--quiet", "--comment-file",
                                 str(tmp_path / "c.md"), "--fail-on", "new-fix")
        assert code == 2 and "slugify compiles or looks up a regular expression" in (tmp_path / "c.md").read_text()
        assert out == ""   # the comment went to the file
    finally:
        subprocess.run(["git", "checkout", "--", "tidewater/slugs.py"], cwd=pr_repo, check=True)
    assert {p: p.read_bytes() for p in pr_repo.rglob("*.py") if ".git" not in p.parts} == before


def test_unchanged_files_are_parsed_once_and_a_second_run_reuses_everything(pr_repo, tmp_path):
    first = pipeline.compare(config.Config(pr_repo, cache_dir=tmp_path), "main")
    files = first.head.summary.files
    changed_in_base = 1   # views.py: the base's version under its old name
    assert first.head.run_notes[0].startswith(f"Cache: 0 of {files + changed_in_base} files reused, history read")
    second = pipeline.compare(config.Config(pr_repo, cache_dir=tmp_path), "main")
    vendored = 2
    assert second.head.run_notes[0].startswith(
        f"Cache: {files + changed_in_base - vendored} of {files + changed_in_base} files reused, history reused")


def test_bad_refs_are_one_line(pr_repo, tmp_path):
    code, _, err = run_cli("pr", str(pr_repo), "--base", "no-such-branch", "--quiet")
    assert code == 1 and "unknown revision 'no-such-branch'" in err and "fetch-depth: 0" in err
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x = 1\n")
    code, _, err = run_cli("pr", str(plain), "--base", "main", "--quiet")
    assert code == 1 and "not a git repository" in err


def test_a_long_comment_is_cut_to_fit(comparison):
    d = deltas.compute(comparison, Baseline(), top=10)
    many = d.touched * 3000
    import dataclasses
    body = render_pr(dataclasses.replace(d, touched=many))
    assert len(body) <= MAX_CHARS and "more |" in body and body.startswith(MARKER)


def test_a_base_with_no_merge_base_is_one_line(tmp_path):
    repo = make_repo(tmp_path, [{"files": {"a.py": "x = 1\n"}}])
    subprocess.run(["git", "checkout", "-q", "--orphan", "other"], cwd=repo, check=True)
    add_commits(repo, [{"files": {"b.py": "y = 2\n"}}])
    code, _, err = run_cli("pr", str(repo), "--base", "main", "--quiet")
    assert code == 1 and "share no history" in err


def test_new_findings_offer_their_patch_where_no_suggestion_fits(comparison):
    """slugify's hoist inserts constants after the imports, lines the pull request did not
    change: the comment carries the patch, for git apply."""
    d = deltas.compute(comparison, Baseline())
    [offered] = d.fixes
    assert (offered.fix.rule_id, offered.fix.path, offered.fix.line, offered.suggestion) == \
        ("FX001", "tidewater/slugs.py", 4, False)
    body = render_pr(d)
    assert "<details><summary><b>FX001</b> tidewater/slugs.py:4: A regular expression compiled (or looked up) on " \
           "every call; the patch</summary>\n\n```diff\n--- a/tidewater/slugs.py\n+++ b/tidewater/slugs.py\n" in body
    assert "```suggestion" not in body


GRAPH = '"""Graphs."""\n\nfrom collections import deque\n\n\ndef nodes(graph):\n    return sorted(graph)\n'
BFS = ("\n\ndef bfs(graph, start):\n    seen = {start}\n    queue = [start]\n    order = []\n    while queue:\n"
       "        node = queue.pop(0)\n        order.append(node)\n        for nxt in graph[node]:\n"
       "            if nxt not in seen:\n                seen.add(nxt)\n                queue.append(nxt)\n"
       "    return order\n")


def test_a_fix_on_changed_lines_only_is_a_suggestion(tmp_path):
    """The deque fix of a function the pull request adds replaces two of its lines (deque is
    imported already): a suggestion block for each."""
    repo = make_repo(tmp_path, [{"files": {"g/__init__.py": "", "g/graph.py": GRAPH}}])
    add_commits(repo, [{"branch": "feature", "files": {"g/graph.py": GRAPH + BFS}}])
    d = deltas.compute(pipeline.compare(config.Config(repo), "main"), Baseline())
    [offered] = d.fixes
    assert (offered.fix.rule_id, offered.suggestion) == ("FX002", True)
    body = render_pr(d)
    assert "Line 12:\n\n```suggestion\n    queue = deque([start])\n```\n\nLine 15:\n\n```suggestion\n" \
           "        node = queue.popleft()\n```\n" in body
    assert body.count(MARKER) == 1


def test_the_comment_links_the_html_report_and_pr_writes_it(pr_repo, tmp_path):
    page, comment = tmp_path / "report.html", tmp_path / "comment.md"
    code, _, err = run_cli("pr", str(pr_repo), "--base", "main", "--quiet", "--comment-file", str(comment),
                           "--html", str(page), "--report-url", "https://ci.example/jobs/9/report (1).html")
    assert code == 0, err
    body = comment.read_text()
    line = "📊 [The full report](https://ci.example/jobs/9/report%20%281%29.html): the ranking, each candidate's case"
    assert line in body and body.index(line) < body.index("<sub>rustscout")
    packed = re.search(r'id="rustscout-index">([^<]*)<', page.read_text()).group(1)
    graph = json.loads(gzip.decompress(base64.b64decode(packed)))["graph"]
    assert "py:tidewater/slugs.py" in [n["id"] for n in graph["nodes"]]    # the head's files, not the base's


def test_a_report_url_that_is_not_http_is_one_line_before_the_work(pr_repo, tmp_path):
    code, _, err = run_cli("pr", str(pr_repo), "--base", "main", "--quiet", "--report-url", "javascript:alert(1)")
    assert code == 1 and "--report-url javascript:alert(1): give an http:// or https:// address" in err


def test_touched_candidates_that_did_not_move_read_as_one_sentence_under_the_heading(tmp_path):
    """A comment-only change touches the unit without moving it: no table, and the sentence
    follows the heading after one blank line."""
    repo = make_repo(tmp_path, [{"files": {"g/__init__.py": "", "g/graph.py": GRAPH + BFS}}])
    add_commits(repo, [{"branch": "feature", "edit": {"g/graph.py": [{"find": "    return order\n",
                                                                      "replace": "    return order  # as visited\n"}]}}])
    d = deltas.compute(pipeline.compare(config.Config(repo), "main"), Baseline())
    assert d.quiet >= 1
    assert (f"#### Candidates this change touches\n\n{d.quiet} other touched candidate(s) did not move enough to "
            "list") in render_pr(d)
