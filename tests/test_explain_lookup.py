"""`explain` finds what it is asked about: whole name segments before parts of names, the one
candidate among several matches, close names for a typo, and, for an id the scan knows that is
not a candidate, why it was left out."""

from __future__ import annotations

import json
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from analyzer.cli import lookup
from analyzer.config import Config
from analyzer.errors import ScanError
from analyzer.infra.clock import Clock
from analyzer.code.intensity import Intensities
from analyzer.model import GroupKind
from analyzer.pipeline import load_rules
from analyzer.pipeline.survey import survey
from analyzer.score import passed_over, shortlist
from conftest import run_cli
from test_middle import REPO, parsed_repo

Item = namedtuple("Item", "id qualname name")
PARSE = Item("py:pkg/wire.py::parse", "parse", "parse")
FRAMES = Item("py:pkg/codec.py::parse_frames", "parse_frames", "parse_frames")
HEADER = Item("py:pkg/wire.py::Frame.parse_header", "Frame.parse_header", "parse_header")
ITEMS = [FRAMES, HEADER, PARSE]


@pytest.mark.parametrize("query, expected", [
    ("parse", PARSE),                 # the name, not the names that contain it
    ("wire.parse", PARSE),            # whole segments of the dotted form py:pkg.wire.parse
    ("codec.py", FRAMES),             # whole segments of the id
    ("Frame.parse_header", HEADER),   # the qualified name
    ("frames", FRAMES),               # a part of a name, when no whole segment matches
    ("py:pkg/wire.py::parse", PARSE),
])
def test_whole_segments_come_before_parts_of_names(query, expected):
    assert lookup.find(ITEMS, query) is expected


def test_a_part_of_several_names_is_ambiguous_and_lists_them():
    with pytest.raises(ScanError, match=r"'pars' matches 3 ids \(py:pkg/codec.py::parse_frames, "
                                        r"py:pkg/wire.py::Frame.parse_header, py:pkg/wire.py::parse\); give more"):
        lookup.find(ITEMS, "pars")


def test_the_one_candidate_among_several_matches_wins():
    other = Item("py:pkg/old.py::parse", "parse", "parse")
    assert lookup.find([PARSE], "parse", others=[other]) is PARSE
    with pytest.raises(ScanError, match="matches 2 ids"):
        lookup.find([], "parse", others=[PARSE, other])


def test_a_typo_gets_close_names_with_their_ids():
    with pytest.raises(ScanError, match=r"no candidate matches 'prase_frames' \(did you mean parse_frames "
                                        r"\[py:pkg/codec.py::parse_frames\]\?\)"):
        lookup.find(ITEMS, "prase_frames")


def test_passed_over_says_why_a_group_was_left_out(monkeypatch):
    catalog, rules = load_rules(Config(Path(".")))
    monkeypatch.setattr(sys.modules["analyzer.score.shortlist"], "_LIMITS", {GroupKind.FUNCTION: 1, GroupKind.CLASS: 1,
                                                             GroupKind.PACKAGE: 1, GroupKind.COMPONENT: 1})
    code = survey(parsed_repo(REPO), catalog, rules, Clock())
    why = passed_over(code.groups, code.code, code.intensities, shortlist(code.groups, code.code, code.fixes,
                                                                           code.intensities))
    assert "py:pkg/kernel.py::checksum" not in why   # the one function that saves the most
    assert why["py:pkg/state.py::seen"].startswith("cold on static evidence: ≈")
    assert ("no loop (a function, or a Java file's class, is judged when it loops or runs at least 5)"
            in why["py:pkg/state.py::seen"])
    assert why["py:pkg/app.py::run"].startswith("cold on static evidence: a port would save ≈")
    assert "only the 1 functions that save the most are judged (the last of them: ≈" in why["py:pkg/app.py::run"]
    assert not {g.id for g in code.shortlist} & set(why)


COLD = "def tiny(x):\n    return x + 1\n\n\ndef parse_frames(data: bytes):\n    t = 0\n    for b in data:\n" \
       "        t = (t * 31 + b) & 0xFFFF\n    return tiny(t)\n"


@pytest.fixture()
def repo(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "wire.py").write_text(COLD)
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_wire.py").write_text("from pkg.wire import tiny\n\n\ndef test_tiny():\n"
                                                     "    assert tiny(1) == 2\n")
    return tmp_path


def test_explain_says_why_an_id_is_not_a_candidate(repo):
    code, out, err = run_cli("explain", "wire.tiny", str(repo), "--quiet", "--no-cache")
    assert code == 0, err
    assert " ".join(out.split()).startswith("py:pkg/wire.py::tiny (function, pkg/wire.py:1) is not a candidate: "
                                            "cold on static evidence: ≈")
    code, out, _ = run_cli("explain", "tests/test_wire.py", str(repo), "--quiet", "--no-cache", "--json")
    assert code == 0 and json.loads(out) == {
        "id": "py:tests/test_wire.py", "kind": "module", "path": "tests/test_wire.py", "qualname": "", "lines": [1, 5],
        "candidate": False, "why": "in a test file: tests are read for their imports (what they test), never ranked"}


def test_explain_still_explains_candidates_and_suggests_for_a_typo(repo):
    code, out, _ = run_cli("explain", "parse_frames", str(repo), "--quiet", "--no-cache")
    assert code == 0 and "py:pkg/wire.py::parse_frames" in out and "score" in out
    code, out, err = run_cli("explain", "parse_frame", str(repo), "--quiet", "--no-cache")   # a part of one name
    assert code == 0 and "py:pkg/wire.py::parse_frames" in out
    code, _, err = run_cli("explain", "tinny", str(repo), "--quiet", "--no-cache")
    assert code == 1 and "did you mean tiny [py:pkg/wire.py::tiny]?" in err and len(err.strip().splitlines()) == 1


def test_the_shortlist_finds_the_best_of_each_kind_without_working_out_every_group():
    catalog, rules = load_rules(Config(Path(".")))
    code = survey(parsed_repo(REPO), catalog, rules, Clock())
    ranking = sys.modules["analyzer.score.shortlist"]

    def fresh():
        return Intensities(code.units, code.code.heat, code.graph, catalog.costs)
    every, lazy = fresh().of(code.groups), fresh()
    by_bound = ranking._by_bound([g for g in code.groups if g.kind in ranking._LIMITS], lazy)
    for kind in (GroupKind.FUNCTION, GroupKind.CLASS):
        assert [g.id for g in ranking._best(by_bound[kind], code.code, lazy, kind, 1)] == \
            [g.id for g in ranking._ranked(code.groups, code.code, every, kind)[:1]]
    functions = [g for g in code.groups if g.kind == GroupKind.FUNCTION]
    assert len(functions) > 3 and not {g.id for g in functions} <= set(lazy.found)   # some never worked out
    assert all(x == every[gid] for gid, x in lazy.found.items())
