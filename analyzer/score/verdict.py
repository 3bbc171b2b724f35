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

With a profile of its language (score/measured.py), "hot" is a share of the measured samples
(>= hot_share), "not cold" for fix-in-place is >= fix_floor_share of them, and the core
speedup keeps the measured native time; the reasons then quote the profile.

Thresholds come from rules/catalogs/costs.yaml (`verdict:`). Every static figure is an
estimate, and the reasons say so (≈).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.code.intensity import magnitude, traffic
from analyzer.model import CALLBACK, Boundary, Effect, Finding, Intensity, Verdict
from analyzer.score.measured import Measured
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
    measured: Measured | None = None  # what a profile says of it, when one speaks for its language

    @property
    def core(self) -> float:
        return self.measured.core if self.measured else self.intensity.core_speedup

    @property
    def speedup(self) -> float:
        """As drawn; a measured native part caps it as it caps the core."""
        x = self.intensity
        return min(x.speedup, self.measured.core) if self.measured else x.speedup


def decide(case: Case, t: Mapping[str, float]) -> tuple[Verdict, str]:
    if case.fixes and case.fix_share >= t["fix_share"] and _busy(case, t):
        return Verdict.FIX_IN_PLACE_FIRST, _fix_reason(case)
    stop = [f for f in case.own if f.effect == Effect.NOT_A_RUST_PROBLEM]
    if stop:
        return Verdict.NOT_A_RUST_PROBLEM, f"{stop[0].message}; Rust cannot shorten that"
    hot = case.measured.share >= t["hot_share"] if case.measured else magnitude(case.intensity) >= t["hot"]
    if hot and case.core >= t["bar"]:
        if case.speedup >= t["bar"] and case.feasibility >= t["min_feasibility"]:
            return Verdict.PORT, f"≈{times(case.speedup)} per call, {_heat(case)}: clears the {times(t['bar'])} bar"
        return Verdict.NEEDS_BOUNDARY_WORK, _boundary_reason(case, t)
    return Verdict.INSUFFICIENT_EVIDENCE, _insufficient(case, hot, t) + _seen(case.own)


def _busy(case: Case, t: Mapping[str, float]) -> bool:
    """Not cold: enough of the measured samples, or of one use of its callers, runs in it."""
    if case.measured:
        return case.measured.share >= t["fix_floor_share"]
    return traffic(case.intensity) >= t["fix_floor"]


def _heat(case: Case) -> str:
    """How hot it is, and from what: the profile's share, or the static estimate."""
    seen = case.measured
    if seen:
        return f"measured: {_pct(seen.share)} of {seen.source}"
    return f"≈{operations(case.intensity.reached_saved)} operations saved per use of its callers"


def _insufficient(case: Case, hot: bool, t: Mapping[str, float]) -> str:
    if case.measured:
        return _measured_insufficient(case, hot)
    x, kind = case.intensity, _dominant(case.intensity)
    saved = _heat(case)
    if not hot and x.core_speedup >= t["bar"]:
        return (f"≈{times(x.core_speedup)} faster ported (mostly {kind}), but only {saved}: cold on static "
                "evidence; a profile would show whether it is hot")
    if not hot:
        return f"{saved} and ≈{times(x.core_speedup)} at best (mostly {kind}): no case for a port on static evidence"
    parts = ", ".join(f"{k} {_pct(v / x.work)} (≈{times(case.gains.get(k, 1.0))})" for k, v in _largest(x))
    return f"hot ({saved}) but ≈{times(x.core_speedup)} at best: its work is {parts}; measure first"


def _measured_insufficient(case: Case, hot: bool) -> str:
    seen = case.measured
    share = f"{_pct(seen.share)} of {seen.source}"
    if not hot:
        return f"measured cold ({share}): too little of the workload for a port to pay"
    native = f": {_pct(seen.kept)} of its samples are already in native code or libraries" if seen.kept >= 0.1 else ""
    return f"measured hot ({share}) but ≈{times(seen.core)} at best{native}"


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
    hot = f"hot ({_heat(case)})"
    if case.speedup < t["bar"] and case.call_in >= _held_by_calls_out(x, case.call_in):
        static = " by static estimate (a profile measures time, not calls)" if case.measured else ""
        return (f"{hot} and ≈{times(case.core)} as work, but each call does too little for its crossing{static}: "
                f"ported alone ≈{times(case.speedup)}; move the boundary up to its callers")
    if case.speedup < t["bar"]:
        return f"{hot} and ≈{times(case.core)} as work, but {_calls_out(case.boundary, case.speedup)}"
    names = ", ".join(sorted({f.rule_id for f in case.blockers})) or "blockers"
    return f"{hot} and ≈{times(case.speedup)}, but feasibility is {case.feasibility:.2f} ({names}); untangle it first"


def _held_by_calls_out(x: Intensity, call_in: float) -> float:
    """Per call, what the calls leaving the candidate keep in the host language: their crossings,
    the work of repository callees left out of the port, and the callbacks' own work."""
    return (x.crossing - call_in) + (x.saved - x.inside_saved) + x.by_kind.get(CALLBACK, 0.0)


def _calls_out(b: Boundary, speedup: float) -> str:
    """What holds a port back when calls leave it: callables it is handed (they stay in the host
    language whatever is ported), or functions of the repository that could join the port."""
    held = f"hold a port to ≈{times(speedup)}"
    if b.callbacks_total:
        names = _names(c.target for c in b.calls_out if "::" not in c.target)
        return f"calls back into the host language ({names}: {b.callbacks_total} call site(s)) {held}; cut those first"
    names = _names((target.rpartition("::")[2] for target in b.most_called), in_order=True)
    return (f"its calls to {b.fan_out} function(s) outside it ({names}) {held}; port it together with them, "
            "or move the boundary up")


def _names(found, n: int = 3, in_order: bool = False) -> str:
    """The first n names, alphabetical unless `in_order` (the most called first)."""
    named = ("an unresolved call" if name == "?" else name for name in found)
    unique = list(dict.fromkeys(named)) if in_order else sorted(set(named))
    return ", ".join(unique[:n]) + (", ..." if len(unique) > n else "")


def _pct(share: float) -> str:
    return percent(share, precise_below=0.01)
