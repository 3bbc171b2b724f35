"""The verdict for one candidate, and the one line that says why.

Decided in this order, first match wins:

| verdict               | when                                                                        |
|-----------------------|-----------------------------------------------------------------------------|
| fix-in-place-first    | fix-in-place findings sit on members holding >= fix_share of its work, and  |
|                       | it is not cold (>= 10^fix_floor operations per use of its callers)          |
| not-a-rust-problem    | a not-a-rust-problem rule fired (I/O-, framework- or already-native-bound)  |
| port                  | hot (a port saves >= 10^hot operations per use of its callers), the core    |
|                       | speedup and the speedup as drawn clear the bar, feasibility >= min          |
| needs-boundary-work   | hot and its work itself (no crossings) clears the bar, but the boundary     |
|                       | as drawn does not: calls in too fine-grained, callbacks out, or blockers    |
| insufficient-evidence | everything else: cold on static evidence, or a gain below the bar           |

Thresholds come from rules/catalogs/costs.yaml (`verdict:`). Every figure is a static
estimate, and the reasons say so (≈).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.code.intensity import magnitude, traffic
from analyzer.model import CALLBACK, Boundary, Effect, Finding, Intensity, Verdict
from analyzer.score.wording import operations, percent, times


@dataclass(frozen=True, slots=True)
class Case:
    """Everything the decision reads about one candidate."""
    intensity: Intensity
    feasibility: float
    own: Sequence[Finding]            # findings on the candidate itself
    fixes: Sequence[Finding]          # fix-in-place findings on its members
    fix_share: float                  # share of its work in members with such findings
    blockers: Sequence[Finding]       # feasibility findings on the candidate
    boundary: Boundary
    gains: Mapping[str, float]        # native gain per kind of work, for its language
    call_in: float                    # what one call into a port costs (its crossing)


def decide(case: Case, t: Mapping[str, float]) -> tuple[Verdict, str]:
    x = case.intensity
    if case.fixes and case.fix_share >= t["fix_share"] and traffic(x) >= t["fix_floor"]:
        return Verdict.FIX_IN_PLACE_FIRST, _fix_reason(case)
    stop = [f for f in case.own if f.effect == Effect.NOT_A_RUST_PROBLEM]
    if stop:
        return Verdict.NOT_A_RUST_PROBLEM, f"{stop[0].message}; Rust cannot shorten that"
    hot = magnitude(x) >= t["hot"]
    if hot and x.core_speedup >= t["bar"]:
        if x.speedup >= t["bar"] and case.feasibility >= t["min_feasibility"]:
            return Verdict.PORT, (f"≈{times(x.speedup)} per call, ≈{operations(x.reached_saved)} operations saved per "
                                  f"use of its callers: clears the {times(t['bar'])} bar")
        return Verdict.NEEDS_BOUNDARY_WORK, _boundary_reason(case, t)
    return Verdict.INSUFFICIENT_EVIDENCE, _insufficient(case, hot, t) + _seen(case.own)


def _insufficient(case: Case, hot: bool, t: Mapping[str, float]) -> str:
    x, kind = case.intensity, _dominant(case.intensity)
    saved = f"≈{operations(x.reached_saved)} operations saved per use of its callers"
    if not hot and x.core_speedup >= t["bar"]:
        return (f"≈{times(x.core_speedup)} as work ({kind}) but only {saved}: cold on static evidence; a profile "
                "would show whether it is hot")
    if not hot:
        return f"{saved} and ≈{times(x.core_speedup)} at best (mostly {kind}): no case for a port on static evidence"
    parts = ", ".join(f"{k} {_pct(v / x.work)} (≈{times(case.gains.get(k, 1.0))})" for k, v in _largest(x))
    return f"hot ({saved}) but ≈{times(x.core_speedup)} at best: its work is {parts}; measure first"


def _seen(own: Sequence[Finding]) -> str:
    """Evidence worth a look even without a verdict: heap-resident state, boxing, ..."""
    notes = [f.message for f in own if f.effect == Effect.EVIDENCE][:2]
    return f"; seen: {'; '.join(notes)}" if notes else ""


def _largest(x: Intensity, n: int = 3) -> list[tuple[str, float]]:
    return sorted(x.by_kind.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _dominant(x: Intensity) -> str:
    """The kind of work holding most of one call's own work (calls back out are the boundary's)."""
    own = sorted((k, v) for k, v in x.by_kind.items() if k != CALLBACK) or sorted(x.by_kind.items())
    if not own:
        return "no measurable work"
    return max(own, key=lambda kv: kv[1])[0] + " work"


def _fix_reason(case: Case) -> str:
    first = case.fixes[0]
    at = next((e.lines[0] for e in first.evidence if e.lines), first.line)   # the offending line itself
    more = f" and {len(case.fixes) - 1} more" if len(case.fixes) > 1 else ""
    return f"{first.message} (line {at}){more}: fix it in place first, then measure again"


def _boundary_reason(case: Case, t: Mapping[str, float]) -> str:
    x = case.intensity
    hot = f"hot (≈{operations(x.reached_saved)} operations saved per use of its callers)"
    if x.speedup < t["bar"] and case.call_in >= _held_by_calls_out(x, case.call_in):
        return (f"{hot} and ≈{times(x.core_speedup)} as work, but each call does too little for its crossing: "
                f"ported alone ≈{times(x.speedup)}; move the boundary up to its callers")
    if x.speedup < t["bar"]:
        return f"{hot} and ≈{times(x.core_speedup)} as work, but {_calls_out(case.boundary, x)}"
    names = ", ".join(sorted({f.rule_id for f in case.blockers})) or "blockers"
    return f"{hot} and ≈{times(x.speedup)}, but feasibility is {case.feasibility:.2f} ({names}); untangle it first"


def _held_by_calls_out(x: Intensity, call_in: float) -> float:
    """Per call, what the calls leaving the candidate keep in the host language: their crossings,
    the work of repository callees left out of the port, and the callbacks' own work."""
    return (x.crossing - call_in) + (x.saved - x.inside_saved) + x.by_kind.get(CALLBACK, 0.0)


def _calls_out(b: Boundary, x: Intensity) -> str:
    """What holds a port back when calls leave it: callables it is handed (they stay in the host
    language whatever is ported), or functions of the repository that could join the port."""
    held = f"hold a port to ≈{times(x.speedup)}"
    if b.callbacks_total:
        names = _names(c.target for c in b.calls_out if "::" not in c.target)
        return f"calls back into the host language ({names}: {b.callbacks_total} call site(s)) {held}; cut those first"
    names = _names(c.target.rpartition("::")[2] for c in b.calls_out)
    return (f"its calls to {b.fan_out} function(s) outside it ({names}) {held}; port it together with them, "
            "or move the boundary up")


def _names(found, n: int = 3) -> str:
    unique = sorted(set(found))
    return ", ".join(unique[:n]) + (", ..." if len(unique) > n else "")


def _pct(share: float) -> str:
    return percent(share, precise_below=0.01)
