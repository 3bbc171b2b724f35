"""The verdict for one candidate, and the one line that says why.

Decided in this order, first match wins:

| verdict               | when                                                                        |
|-----------------------|-----------------------------------------------------------------------------|
| fix-in-place-first    | fix-in-place findings sit on members holding >= fix_share of its time, and  |
|                       | that time is >= fix_floor of the program's (cold code is no priority)       |
| not-a-rust-problem    | a not-a-rust-problem rule fired (I/O-, framework- or already-native-bound)  |
| port                  | hot (share >= hot_share), speedup >= bar, feasibility >= min_feasibility    |
| needs-boundary-work   | hot and its work itself (no crossings) clears the bar, but the boundary     |
|                       | as drawn does not: calls in too fine-grained, callbacks out, or blockers    |
| insufficient-evidence | everything else: cold on static evidence, or a gain below the bar           |

Thresholds come from rules/catalogs/costs.yaml (`verdict:`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.model import Effect, Finding, Verdict, Work
from analyzer.score.wording import percent, times


@dataclass(frozen=True, slots=True)
class Case:
    """Everything the decision reads about one candidate."""
    work: Work
    feasibility: float
    own: Sequence[Finding]            # findings on the candidate itself
    fixes: Sequence[Finding]          # fix-in-place findings on its members
    fix_share: float                  # share of its time in members with such findings
    blockers: Sequence[Finding]       # feasibility findings on the candidate
    callbacks_out: int
    gains: Mapping[str, float]        # native gain per kind of work, for its language


def decide(case: Case, t: Mapping[str, float]) -> tuple[Verdict, str]:
    work = case.work
    if case.fixes and case.fix_share >= t["fix_share"] and case.fix_share * work.share >= t["fix_floor"]:
        return Verdict.FIX_IN_PLACE_FIRST, _fix_reason(case)
    stop = [f for f in case.own if f.effect == Effect.NOT_A_RUST_PROBLEM]
    if stop:
        return Verdict.NOT_A_RUST_PROBLEM, f"{stop[0].message}; Rust cannot shorten that"
    hot = work.share >= t["hot_share"]
    if hot and work.core_speedup >= t["bar"]:
        if work.speedup >= t["bar"] and case.feasibility >= t["min_feasibility"]:
            return Verdict.PORT, (f"≈{times(work.speedup)} on {_pct(work.share)} of estimated program time "
                                  f"clears the {times(t['bar'])} bar")
        return Verdict.NEEDS_BOUNDARY_WORK, _boundary_reason(case, t)
    return Verdict.INSUFFICIENT_EVIDENCE, _insufficient(case, hot, t) + _seen(case.own)


def _insufficient(case: Case, hot: bool, t: Mapping[str, float]) -> str:
    work, kind = case.work, _dominant(case.work)
    if not hot and work.core_speedup >= t["bar"]:
        return (f"≈{times(work.core_speedup)} as work ({kind}) but only {_pct(work.share)} of estimated program "
                "time: cold on static evidence; a profile would show whether it is hot")
    if not hot:
        return (f"{_pct(work.share)} of estimated program time and ≈{times(work.core_speedup)} at best (mostly "
                f"{kind}): no case for a port on static evidence")
    parts = ", ".join(f"{k} {_pct(v / work.heat)} (≈{times(case.gains.get(k, 1.0))})" for k, v in _largest(work))
    return f"hot ({_pct(work.share)}) but ≈{times(work.core_speedup)} at best: its time is {parts}; measure first"


def _seen(own: Sequence[Finding]) -> str:
    """Evidence worth a look even without a verdict: heap-resident state, boxing, ..."""
    notes = [f.message for f in own if f.effect == Effect.EVIDENCE][:2]
    return f"; seen: {'; '.join(notes)}" if notes else ""


def _largest(work: Work, n: int = 3) -> list[tuple[str, float]]:
    return sorted(work.by_kind.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _dominant(work: Work) -> str:
    """The kind of work holding most of the candidate's time."""
    if not work.by_kind:
        return "no measurable work"
    return max(sorted(work.by_kind.items()), key=lambda kv: kv[1])[0] + " work"


def _fix_reason(case: Case) -> str:
    first = case.fixes[0]
    at = next((e.lines[0] for e in first.evidence if e.lines), first.line)   # the offending line itself
    more = f" and {len(case.fixes) - 1} more" if len(case.fixes) > 1 else ""
    return f"{first.message} (line {at}){more}: fix it in place first, then measure again"


def _boundary_reason(case: Case, t: Mapping[str, float]) -> str:
    work = case.work
    if work.speedup < t["bar"] and work.crossing_in >= work.crossing_out:
        return (f"hot ({_pct(work.share)}) and ≈{times(work.core_speedup)} as work, but each call does too "
                f"little for its crossing: ported alone ≈{times(work.speedup)}; move the boundary up to "
                "its callers")
    if work.speedup < t["bar"]:
        return (f"hot ({_pct(work.share)}) and ≈{times(work.core_speedup)} as work, but calls back into the "
                f"host language ({case.callbacks_out} call sites) hold a port to ≈{times(work.speedup)}; "
                "cut those first")
    names = ", ".join(sorted({f.rule_id for f in case.blockers})) or "blockers"
    return (f"hot ({_pct(work.share)}) and ≈{times(work.speedup)}, but feasibility is "
            f"{case.feasibility:.2f} ({names}); untangle it first")


def _pct(share: float) -> str:
    return percent(share, precise_below=0.01)
