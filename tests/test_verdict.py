"""The verdict table, case by case, on hand-made intensities."""

from __future__ import annotations

import pytest

from analyzer.model import Boundary, Crossing, Finding, Intensity, Verdict
from analyzer.score.verdict import Case, decide

T = {"bar": 10, "hot": 5, "fix_share": 0.1, "fix_floor": 2, "min_feasibility": 0.45}
GAINS = {"compute": 50, "alloc": 4}
CALL_IN = 30.0


def intensity(work=20_000.0, saved=19_600.0, inside=19_600.0, crossing=CALL_IN, reach=64.0, kind="compute",
              kinds=None):
    """By default: 20k operations per call, ≈50x, reached 64 times per use (log10 saved x reach ≈ 6.1: hot)."""
    return Intensity("g", "g.f", kinds or {kind: work}, work, saved, inside, crossing, reach, 2, 1, 1, False)


def finding(effect, rule="XX001", message="msg"):
    return Finding(rule, "g", "m.py", 3, "warning", effect, message, ())


def boundary(*targets: str) -> Boundary:
    """Calls out of the candidate: unit ids (`m.py::f`) are repository code, others callables it is handed."""
    out = tuple(Crossing("g.f", t, 5, "m.py", True) for t in targets)
    handed = sum("::" not in t for t in targets)
    return Boundary((), (), out, (), 1, 0, len(out), fan_out=len(targets) - handed, callbacks_total=handed,
                    most_called=tuple(t for t in targets if "::" in t))   # as given: the most called first


def case_of(x, feasibility=1.0, own=(), fixes=(), fix_share=0.0, blockers=(), calls_out=()):
    return Case(x, feasibility, own, fixes, fix_share, blockers, boundary(*calls_out), GAINS, CALL_IN)


@pytest.mark.parametrize("case, verdict, words", [
    (case_of(intensity()), Verdict.PORT, "operations saved per use of its callers: clears the 10x bar"),
    (case_of(intensity(), fixes=(finding("fix-in-place", "FX001", "f compiles"),), fix_share=0.4),
     Verdict.FIX_IN_PLACE_FIRST, "f compiles (line 3): fix it in place first"),
    (case_of(intensity(), fixes=(finding("fix-in-place"),), fix_share=0.05), Verdict.PORT, "clears"),
    (case_of(intensity(work=50.0, saved=49.0, inside=49.0, reach=1.0), fixes=(finding("fix-in-place"),),
             fix_share=1.0), Verdict.INSUFFICIENT_EVIDENCE, "cold"),   # 50 operations per use: under 10^2
    (case_of(intensity(), own=(finding("not-a-rust-problem", message="98% waits on I/O"),)),
     Verdict.NOT_A_RUST_PROBLEM, "98% waits on I/O; Rust cannot shorten that"),
    (case_of(intensity(inside=12_000.0, crossing=CALL_IN + 8_000.0), calls_out=(".predicate", "?listener", "m.py::g")),
     Verdict.NEEDS_BOUNDARY_WORK, "calls back into the host language (.predicate, ?listener: 2 call site(s))"),
    (case_of(intensity(inside=12_000.0, crossing=CALL_IN + 8_000.0), calls_out=("m.py::g", "m.py::h")),
     Verdict.NEEDS_BOUNDARY_WORK, "its calls to 2 function(s) outside it (g, h) hold a port to ≈1.2x; port it "
     "together with them"),
    (case_of(intensity(inside=12_000.0, crossing=CALL_IN + 8_000.0), calls_out=("m.py::h", "m.py::g", "m.py::a",
                                                                              "m.py::b")),
     Verdict.NEEDS_BOUNDARY_WORK, "its calls to 4 function(s) outside it (h, g, a, ...) hold"),   # the most called
    # half its work is calls to a callable it is handed: the work itself is ≈50x, the callbacks hold it
    (case_of(intensity(saved=9_800.0, inside=9_800.0, kinds={"compute": 10_000.0, "callback": 10_000.0}),
             calls_out=(".predicate",)), Verdict.NEEDS_BOUNDARY_WORK, "≈50x as work, but calls back"),
    (case_of(intensity(work=200.0, saved=196.0, inside=196.0, reach=10_000.0)), Verdict.NEEDS_BOUNDARY_WORK,
     "move the boundary up to its callers"),
    (case_of(intensity(), feasibility=0.3, blockers=(finding("feasibility", "DY001"),)), Verdict.NEEDS_BOUNDARY_WORK,
     "feasibility is 0.30 (DY001)"),
    (case_of(intensity(reach=1.0)), Verdict.INSUFFICIENT_EVIDENCE, "cold on static evidence"),   # 10^4.3 saved
    (case_of(intensity(saved=15_000.0, inside=15_000.0, kind="alloc")), Verdict.INSUFFICIENT_EVIDENCE,
     "its work is alloc 100% (≈4.0x)"),
    (case_of(intensity(saved=15_000.0, inside=15_000.0, reach=1.0, kind="alloc"),
             own=(finding("evidence", message="boxes"),)), Verdict.INSUFFICIENT_EVIDENCE,
     "(mostly alloc work): no case for a port on static evidence; seen: boxes"),
])
def test_decide(case, verdict, words):
    got, reason = decide(case, T)
    assert got == verdict, reason
    assert words in reason
