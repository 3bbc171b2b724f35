"""The middle of the pipeline, stage by stage, on small repositories parsed in memory: candidate
extents, call classification, the time model, boundaries, measures, judgements, plans,
fixes and the gate. Each test names the values a change to its stage would move."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from analyzer import fixes, pipeline, score
from analyzer.code import boundary, candidates, graph as graphs, heat as heats
from analyzer.config import Config
from analyzer.infra.clock import Clock
from analyzer.model import History, Report, SourceFile, Verdict
from analyzer.model.delta import Baseline
from analyzer.parse.java import parse_file as java_file
from analyzer.parse.python import parse_file
from analyzer.pipeline.survey import conclude, survey
from analyzer.pr import gate
from analyzer.score import measures

KERNEL = "def checksum(data: bytes) -> int:\n    t = 0\n    for b in data:\n        t = (t * 31 + b) & 0xFFFF\n" \
         "    return t\n"
REPO = {
    "pkg/__init__.py": "",
    "pkg/kernel.py": KERNEL,
    "pkg/net.py": "import requests\n\n\ndef fetch_all(urls):\n    out = []\n    for u in urls:\n"
                  "        out.append(requests.get(u))\n    return out\n",
    "pkg/lines.py": "import re\n\n\ndef parse(lines):\n    out = []\n    for line in lines:\n"
                    "        m = re.match(r'(\\d+)', line)\n        out.append(m)\n    return out\n",
    "pkg/store.py": "import json\n\n\ndef save(path, doc):\n    with open(path, 'w') as out:\n"
                    "        json.dump(doc, out)\n",
    "pkg/state.py": "_SEEN = {}\n\n\ndef note(k):\n    _SEEN[k] = 1\n\n\ndef seen(k):\n    return k in _SEEN\n",
    "pkg/app.py": "from pkg.kernel import checksum\nfrom pkg import net, lines\n\n\ndef run(blobs, hook):\n"
                  "    total = 0\n    for blob in blobs:\n        total += checksum(blob)\n        hook(total)\n"
                  "    return total\n",
    "tests/test_kernel.py": "from pkg.kernel import checksum\n\n\ndef test_it():\n    assert checksum(b'a')\n",
}


def parsed_repo(files: dict[str, str]):
    out = []
    for path, text in sorted(files.items()):
        module = path[:-3].replace("/", ".").removesuffix(".__init__")
        tags = frozenset({"test"}) if path.startswith("tests/") else frozenset()
        out.append(parse_file(SourceFile(path, "python", len(text), module, tags), text.encode(), not tags))
    return tuple(out)


def parse_java(text: str, path: str = "src/main/java/p/FixParser.java"):
    return java_file(SourceFile(path, "java", len(text), ""), text.encode())


@pytest.fixture(scope="module")
def rules():
    return pipeline.load_rules(Config(Path(".")))


@pytest.fixture(scope="module")
def code(rules):
    catalog, found = rules
    return survey(parsed_repo(REPO), catalog, found, Clock())


@pytest.fixture(scope="module")
def judged(code, rules):
    catalog, found = rules
    history = History(False, "no history in this test", None, None)
    return conclude(code, history, found, catalog, Config(Path(".")), None, Clock())[1]


def by_id(items):
    return {j.group.id: j for j in items}


# --- candidates, classification, time model ------------------------------------------------

def test_candidates_cover_units_but_not_tests_nor_the_whole_program(code):
    ids = {g.id for g in code.groups}
    assert {"py:pkg/kernel.py", "py:pkg/kernel.py::checksum", "py:pkg/app.py::run"} <= ids
    assert not any(i.startswith("py:tests/") for i in ids)
    # pkg/ holds every module, and run() reaches most of them: neither is a part, both are the program
    assert [g.id for g in code.groups if g.kind == "component"] == []


def test_components_are_packages_cycles_and_dominated_modules():
    parsed = parsed_repo({"a/__init__.py": "", "a/x.py": KERNEL, "a/y.py": KERNEL,
                          "b/__init__.py": "", "b/p.py": "import b.q\n" + KERNEL, "b/q.py": "import b.p\n" + KERNEL,
                          "c.py": KERNEL, "d.py": KERNEL, "e.py": KERNEL})
    graph, _ = graphs.build(parsed, {u.id: u for pf in parsed for u in pf.units})
    found = {(g.origin, g.path): g.files for g in candidates.collect(parsed, graph) if g.kind == "component"}
    assert found[("package", "a/")] == ("a/__init__.py", "a/x.py", "a/y.py")
    assert found[("package", "b/")] == ("b/__init__.py", "b/p.py", "b/q.py")   # the cycle is the same set: once


def test_calls_are_classified_by_the_catalogs(code):
    net = {o.name: o.by_depth for o in code.unit_facts["py:pkg/net.py::fetch_all"].observations}
    assert net["io_network"] == (0, 1, 0, 0, 0)   # one request per item, inside the loop
    lines = {o.name: o.by_depth for o in code.unit_facts["py:pkg/lines.py::parse"].observations}
    assert lines["regex_literal"] == (0, 1, 0, 0, 0)
    run = code.unit_facts["py:pkg/app.py::run"]
    assert [c.target for c in run.callbacks] == ["param:hook"]


def test_the_graph_resolves_the_kernel_call_and_its_test(code):
    calls = code.graph.calls_into(["py:pkg/kernel.py::checksum"])
    assert [(e.source, e.depth) for e in calls] == [("py:pkg/app.py::run", 1)]
    assert code.graph.test_users(["py:pkg/kernel.py::checksum"]) == {"py:tests/test_kernel.py"}


def test_the_time_model_weights_loops_and_call_frequency(code, rules):
    catalog, _ = rules
    heat = heats.unit_heat(code.units, code.unit_facts, code.graph, catalog.costs)
    trip = catalog.costs.trip
    assert heat.freq["py:pkg/kernel.py::checksum"] == trip   # called once per blob
    assert heat.of_unit["py:pkg/kernel.py::checksum"] > heat.of_unit["py:pkg/state.py::seen"]
    assert heat.share(heat.of_unit) == pytest.approx(1.0)


# --- boundaries and measures ---------------------------------------------------------------

def test_boundaries_count_entries_crossings_callbacks_and_shared_state(code):
    groups = {g.id: g for g in code.groups}
    kernel, run, note = (boundary.compute([groups[i]], code.units, code.graph, code.unit_facts, 8.0)[i]
                         for i in ("py:pkg/kernel.py", "py:pkg/app.py::run", "py:pkg/state.py::note"))
    assert [(e.unit_id, e.signature, e.callers) for e in kernel.entry_points] == [
        ("py:pkg/kernel.py::checksum", "checksum(data: bytes) -> int", 1)]
    assert (kernel.calls_in_total, kernel.calls_out_total, kernel.test_references) == (1, 0, 1)
    assert run.calls_out_total == 2 and {c.target for c in run.calls_out} == {"py:pkg/kernel.py::checksum", "param:hook"}
    # note() writes the dict that seen() reads: state a port of note() alone would have to share
    assert {(s.name, s.write) for s in note.shared_state} == {("pkg.state._SEEN", False), ("pkg.state._SEEN", True)}


def test_signatures_are_written_as_their_language_declares_them():
    python = parsed_repo({"m.py": "class C:\n    def m(self, a, /, b: int, *, c=1, **kw) -> int:\n        return a\n\n\n"
                                  "def f(x, *rest, key: str):\n    return x\n"})
    java = parse_java("package p;\nimport java.util.List;\nclass FixParser {\n"
                      "  FixParser(String name) { }\n"
                      "  static int checksum(byte[] buffer, int from, int to) { return 0; }\n"
                      "  long sum(List<byte[]> frames, String... tags) { return 0; }\n}\n")
    units = {u.id: u for pf in (*python, java) for u in pf.units}
    shown = {u.qualname: boundary.signature(u, units) for u in units.values() if u.kind != "module"}
    assert shown["C.m"] == "C.m(a, /, b: int, *, c=..., **kw) -> int"
    assert shown["f"] == "f(x, *rest, key: str)"
    assert shown["FixParser.checksum(byte[],int,int)"] == "int FixParser.checksum(byte[] buffer, int from, int to)"
    assert shown["FixParser.sum(List,String[])"] == "long FixParser.sum(List<byte[]> frames, String... tags)"
    assert shown["FixParser.<init>(String)"] == "new FixParser(String name)"
    assert shown["FixParser"] == "FixParser"


def test_module_state_one_function_writes_is_shared_unless_its_module_moves_too():
    parsed = parsed_repo({"pkg/__init__.py": "", "pkg/hooks.py": "_SEEN = {'frames': 0}\n\n\n"
                          "def run(frame):\n    for b in frame:\n        _SEEN['frames'] += 1\n    return 0\n",
                          "pkg/app.py": "from pkg.hooks import run\n\n\ndef go(fs):\n    return [run(f) for f in fs]\n"})
    units = {u.id: u for pf in parsed for u in pf.units}
    graph, _ = graphs.build(parsed, units)
    groups = {g.id: g for g in candidates.collect(parsed, graph)}
    found = boundary.compute([groups["py:pkg/hooks.py::run"], groups["py:pkg/hooks.py"]], units, graph, {}, 8.0)
    # run() alone must reach back into its module for every `+= 1`; the whole module owns _SEEN
    assert {(s.name, s.write) for s in found["py:pkg/hooks.py::run"].shared_state} == {("pkg.hooks._SEEN", False),
                                                                                       ("pkg.hooks._SEEN", True)}
    assert found["py:pkg/hooks.py"].shared_state == ()


def test_measures_count_work_by_loop_depth(code, rules):
    catalog, _ = rules
    group = next(g for g in code.groups if g.id == "py:pkg/kernel.py::checksum")
    found = measures.code_measures([group], code.units, code.graph, code.unit_facts, code.code.heat, catalog,
                                   {"function"}).measures[group.id].metrics
    assert (found["loop"], found["loop_depth"], found["sloc"], found["cyclomatic_total"]) == (1, 1, 4, 2)
    assert found["bitwise_in_loops"] == 1 and found["arith_in_loops"] == 2


# --- judgements, plans, fixes --------------------------------------------------------------

def test_own_counts_are_worked_out_when_asked_and_known_names_match_them(code):
    own = measures.OwnCounts(code.units, code.unit_facts, code.graph, list(code.units))
    assert sorted(own) == sorted(code.units) and not own._done
    names = [frozenset({"loop"}), frozenset({"internal_call"}), frozenset({"regex_compile", "bitwise"}),
             frozenset({"nothing"})]
    answers = {(uid, n): own.counts_any(uid, n) for uid in code.units for n in names}
    assert not own._done     # answered without working out a unit's counts
    for (uid, n), answer in answers.items():
        assert answer == (not n.isdisjoint(measures.unit_counts(code.units[uid], code.unit_facts, code.graph).counts))
    assert answers["py:pkg/kernel.py::checksum", names[0]] and not answers["py:pkg/store.py::save", names[0]]
    assert answers["py:pkg/app.py::run", names[1]]
    assert own["py:pkg/kernel.py::checksum"].counts["loop"][:2] == (1, 0) and len(own._done) == 1
    with pytest.raises(KeyError):
        own["py:pkg/missing.py::f"]

def test_verdicts_follow_what_the_code_does(judged):
    found = by_id(judged)
    assert found["py:pkg/store.py::save"].verdict == Verdict.NOT_A_RUST_PROBLEM
    assert found["py:pkg/lines.py::parse"].verdict == Verdict.FIX_IN_PLACE_FIRST
    fetch = found["py:pkg/net.py::fetch_all"]   # one request per item: batch them, Rust cannot help
    assert fetch.verdict == Verdict.FIX_IN_PLACE_FIRST and "FX004" in [f.rule_id for f in fetch.findings]
    assert [j.score for j in judged] == sorted((j.score for j in judged), reverse=True)


def test_every_judgement_has_its_factors_in_order(judged):
    names = [f.name for f in judged[0].factors]
    assert names == ["intensity", "reach", "native_gain", "benefit", "boundary", "feasibility", "stability", "tests",
                     "dependencies", "cost"]
    assert {f.name for f in judged[0].factors if f.estimate} == {"intensity", "reach", "native_gain", "benefit",
                                                                 "cost"}


def test_candidates_take_their_rank_and_only_fix_in_place_ones_get_fixes(judged, rules, code):
    _, found = rules
    proposed = fixes.propose(judged, found, code.parsed, lambda path: REPO[path].encode())
    ranked = score.candidates(judged, proposed)
    assert [c.rank for c in ranked] == list(range(1, len(ranked) + 1))
    fixed = {c.id for c in ranked if c.fixes}
    assert fixed and all(c.verdict == Verdict.FIX_IN_PLACE_FIRST for c in ranked if c.id in fixed)
    patch = next(c for c in ranked if c.id == "py:pkg/lines.py::parse").fixes[0]
    assert patch.rule_id == "FX001" and "+_PARSE_RE = re.compile(r'(\\d+)')" in patch.patch


def test_a_port_plan_takes_callees_before_callers(rules):
    catalog, found = rules
    repo = {"k.py": "def inner(d: bytes):\n    t = 0\n    for b in d:\n        t ^= b\n    return t\n\n\n"
                    "def outer(blobs: list[bytes]):\n    s = 0\n    for d in blobs:\n        for i in range(8):\n"
                    "            s += inner(d)\n    return s\n",
            "main.py": "from k import outer\n\n\ndef main(blobs):\n    for i in range(100):\n        outer(blobs)\n"}
    code = survey(parsed_repo(repo), catalog, found, Clock())
    judged = conclude(code, History(False, None, None, None), found, catalog, Config(Path(".")), None, Clock())[1]
    module = by_id(judged)["py:k.py"]
    assert module.plan is not None
    ports = [s for s in module.plan.steps if s.startswith("port ")]
    assert ports == ["port inner (k.py:1)", "port outer (k.py:8)"]


def test_a_patch_applies_to_the_text_it_was_made_for(judged, rules, code, tmp_path):
    _, found = rules
    proposed = fixes.propose(judged, found, code.parsed, lambda path: REPO[path].encode())
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "lines.py").write_text(REPO["pkg/lines.py"])
    (tmp_path / "fix.diff").write_text(proposed["py:pkg/lines.py::parse"][0].patch)
    subprocess.run(["git", "apply", "fix.diff"], cwd=tmp_path, check=True)
    fixed = (tmp_path / "pkg" / "lines.py").read_text()
    compile(fixed, "lines.py", "exec")
    assert "m = _PARSE_RE.match(line)" in fixed and fixed.index("_PARSE_RE = ") > fixed.index("import re")


# --- the gate ------------------------------------------------------------------------------

def test_the_gate_fails_on_new_fixes_and_scores_but_not_on_known_ones(judged, rules, code):
    _, found = rules
    ranked = score.candidates(judged, {})
    report = Report("0", "/r", None, None, pipeline.assemble.summary(code.parsed, ranked, History(False, None, None, None),
                                                                   code.graph), ranked, (), found)
    conditions = gate.parse_conditions(["new-fix", "score>=1"])
    failed = gate.check_report(report, conditions, Baseline())
    assert len(failed) == 2 and "fix-in-place" in failed[0]
    assert gate.check_report(report, conditions, gate.baseline_of(report)) == ()
    with pytest.raises(Exception, match="unknown condition 'sometimes'"):
        gate.parse_conditions(["sometimes"])
