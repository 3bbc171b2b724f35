"""The verdict table, case by case, on hand-made work estimates."""

from __future__ import annotations

import pytest

from analyzer.model import Finding, Verdict, Work
from analyzer.score.verdict import Case, decide

T = {"bar": 10, "hot_share": 0.05, "fix_share": 0.1, "fix_floor": 0.002,
     "min_feasibility": 0.45}


def work(share=0.3, heat=1000.0, native=20.0, core=20.0, crossing_in=0.0, crossing_out=0.0, kind="compute"):
    return Work("g", heat, share, {kind: heat}, native, core, crossing_in, crossing_out, 1.0, 0.0)


GAINS = {"compute": 50, "alloc": 4}


def finding(effect, rule="XX001", message="msg"):
    return Finding(rule, "g", "m.py", 3, "warning", effect, message, ())


def case_of(*args):
    return Case(*args, GAINS)


@pytest.mark.parametrize("case, verdict, words", [
    (case_of(work(), 1.0, (), (), 0.0, (), 0), Verdict.PORT, "clears the 10x bar"),
    (case_of(work(), 1.0, (), (finding("fix-in-place", "FX001", "f compiles"),), 0.4, (), 0),
     Verdict.FIX_IN_PLACE_FIRST, "f compiles (line 3): fix it in place first"),
    (case_of(work(), 1.0, (), (finding("fix-in-place"),), 0.05, (), 0), Verdict.PORT, "clears"),
    (case_of(work(share=0.001), 1.0, (), (finding("fix-in-place"),), 1.0, (), 0), Verdict.INSUFFICIENT_EVIDENCE,
     "cold"),
    (case_of(work(), 1.0, (finding("not-a-rust-problem", message="98% waits on I/O"),), (), 0, (), 0),
     Verdict.NOT_A_RUST_PROBLEM, "98% waits on I/O; Rust cannot shorten that"),
    (case_of(work(native=500, crossing_out=450), 1.0, (), (), 0, (), 3), Verdict.NEEDS_BOUNDARY_WORK,
     "calls back into the host language (3 call sites)"),
    (case_of(work(native=300, crossing_in=280), 1.0, (), (), 0, (), 0), Verdict.NEEDS_BOUNDARY_WORK,
     "move the boundary up to its callers"),
    (case_of(work(), 0.3, (), (), 0, (finding("feasibility", "DY001"),), 0), Verdict.NEEDS_BOUNDARY_WORK,
     "feasibility is 0.30 (DY001)"),
    (case_of(work(share=0.01), 1.0, (), (), 0, (), 0), Verdict.INSUFFICIENT_EVIDENCE, "cold on static evidence"),
    (case_of(work(native=250, core=250, kind="alloc"), 1.0, (), (), 0, (), 0), Verdict.INSUFFICIENT_EVIDENCE,
     "its time is alloc 100% (≈4.0x)"),
    (case_of(work(share=0.01, native=250, core=250, kind="alloc"), 1.0, (finding("evidence", message="boxes"),),
             (), 0, (), 0), Verdict.INSUFFICIENT_EVIDENCE, "(mostly alloc work): no case for a port on static "
                                                            "evidence; seen: boxes"),
])
def test_decide(case, verdict, words):
    got, reason = decide(case, T)
    assert got == verdict
    assert words in reason
