"""The terminal table: one row per family of candidates, and rank, score, verdict and reason
whole at every width from 60 to 250 columns."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from rich.console import Console

from analyzer import config, pipeline
from analyzer.model.analysis import Evidence
from analyzer.report import console as show
from analyzer.report.families import fold


@pytest.fixture(scope="module")
def java_scan(java_repo):
    return pipeline.run(config.Config(java_repo))


@pytest.fixture(scope="module")
def python_scan(sample_repo):
    return pipeline.run(config.Config(sample_repo))


def _render(report, width: int, top: int = 10) -> str:
    out = Console(width=width, record=True, file=open("/dev/null", "w"), color_system=None)
    out.print(show.table(report, top, width))
    return out.export_text()


@pytest.mark.parametrize("width", [60, 72, 80, 100, 119, 120, 135, 150, 170, 190, 220, 250])
def test_rank_score_verdict_and_reason_survive_every_width(java_scan, width):
    text = _render(java_scan, width)
    assert max(len(line) for line in text.splitlines()) <= width and "…" not in text
    last_column = " ".join(line.split("│")[-2].strip() for line in text.splitlines() if line.count("│") > 2)
    for family in fold(java_scan.candidates, 10):
        c = family.head
        assert re.search(rf"│\s+{c.rank} │\s+{c.score:.1f} │ {c.verdict.value}\s", text), (width, c.id)
        assert " ".join(c.reason.split()) in " ".join(last_column.split()), (width, c.reason)   # whole


def test_a_finding_takes_one_row_and_names_its_relatives(python_scan):
    text = re.sub(r"[\s│]+", " ", _render(python_scan, 200, top=5))
    ranked = {c.id: c.rank for c in python_scan.candidates}
    codec, crc = ranked["py:tidewater/wire/codec.py"], ranked["py:tidewater/wire/codec.py::crc32"]
    assert codec < crc   # the module holds crc32 and ranks above it: crc32 folds under it
    assert f"related: #{crc} function crc32" in text
    assert not re.search(rf"│ +{crc} │", _render(python_scan, 200, top=5))
    shown = fold(python_scan.candidates, 5)
    assert len(shown) == 5 and all(not (a.head.path == b.head.path and a.head.kind == "module")
                                   for a in shown for b in shown if a is not b)


def test_siblings_stay_apart_and_file_groups_fold_by_members(python_scan):
    families = {f.head.id: f for f in fold(python_scan.candidates, len(python_scan.candidates))}
    everyone = [c.id for f in families.values() for c in (f.head, *f.relatives)]
    assert sorted(everyone) == sorted(c.id for c in python_scan.candidates)   # each candidate exactly once
    for f in families.values():
        for r in f.relatives:
            inside = {f.head.path, *f.head.members} & {r.path, *r.members}
            assert inside, (f.head.id, r.id)   # a relative shares code with its head


@pytest.mark.parametrize("root", ["/r", "/tmp/pytest-of-someone/pytest-123/snapshots0/a-rather-long-name"])
def test_the_title_wraps_the_same_whatever_the_root(python_scan, root):
    """The root ends the title's first line, so a CI checkout deeper than a laptop's renders
    the same table (the snapshot once broke on exactly this)."""
    import dataclasses
    text = _render(dataclasses.replace(python_scan, root=root), 100)
    assert text.splitlines()[0].rstrip() == f"Top 10 of {len(python_scan.candidates)} Rust candidates in {root}"
    assert text.splitlines()[1].startswith("(") and "folded under them" in text.splitlines()[1]


def test_explain_shows_evidence_that_reads_the_same_once_with_its_count(python_scan):
    """Two call sites on one source line are two pieces of evidence with the same text."""
    c = python_scan.candidates[0]
    site, other = Evidence("called from py:m.py::f", None, "m.py", (7, 7)), Evidence("called from py:m.py::g", None,
                                                                                    "m.py", (9, 9))
    factor = replace(c.factors[0], evidence=(site, other, site))
    out = Console(width=200, record=True, file=open("/dev/null", "w"), color_system=None)
    out.print(show.explain(replace(c, factors=(factor, *c.factors[1:]))))
    lines = [line for line in out.export_text().splitlines() if "called from py:m.py" in line]
    assert [" ".join(line.split("·")[1].strip(" │").split()) for line in lines] == [
        "called from py:m.py::f (m.py:7) ×2", "called from py:m.py::g (m.py:9)"]
