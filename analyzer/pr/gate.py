"""The gate (`--fail-on`) and the baseline (`rustscout baseline`).

Conditions, comma-separated or repeated:
  new-fix      a fix-in-place finding that is new: on changed lines of the pull request
               (`pr`), or missing from the baseline (`scan`)
  erosion      a candidate's boundary grew (calls in, callbacks out, entry points, shared
               state) or an import cycle appeared, against the base (`pr`) or the baseline
  score>=N     a candidate reached score N (0-100) that was under it before: at the base for
               `pr` (touched or new candidates), in the baseline for `scan`
The baseline file holds finding keys (rule:unit id, no line numbers), candidates with their
score, verdict and boundary totals, and import cycles; known entries never fail the gate.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from analyzer.errors import ScanError, read_text
from analyzer.model import Effect, Report
from analyzer.model.delta import Baseline, Delta, Known

FORMAT = 1
_SCORE = re.compile(r"^score\s*(?:>=|:|=)\s*(\d+(?:\.\d+)?)$")
NAMES = ("new-fix", "erosion", "score>=N")


@dataclass(frozen=True, slots=True)
class Condition:
    kind: str                   # new-fix | erosion | score
    threshold: float = 0.0


def parse_conditions(values: Iterable[str]) -> tuple[Condition, ...]:
    found = []
    for part in (p.strip().lower() for value in values for p in value.split(",")):
        if part in ("new-fix", "fix"):
            found.append(Condition("new-fix"))
        elif part == "erosion":
            found.append(Condition("erosion"))
        elif _SCORE.match(part) and 0 <= float(_SCORE.match(part).group(1)) <= 100:
            found.append(Condition("score", float(_SCORE.match(part).group(1))))
        elif part:
            raise ScanError(f"--fail-on: unknown condition '{part}'; use {', '.join(NAMES)} (N from 0 to 100)")
    return tuple(found)


def check_delta(delta: Delta, conditions: Sequence[Condition], baseline: Baseline) -> tuple[str, ...]:
    """One line per failed condition of a pull request."""
    failed = []
    for condition in conditions:
        if condition.kind == "new-fix" and delta.new_findings:
            failed.append(f"{len(delta.new_findings)} new fix-in-place finding(s) on changed lines")
        elif condition.kind == "erosion" and (delta.erosion or delta.new_cycles):
            failed.append(f"boundary erosion: {len({e.candidate.id for e in delta.erosion})} candidate(s), "
                          f"{len(delta.new_cycles)} new import cycle(s)")
        elif condition.kind == "score":
            risen = [s for s in (*delta.touched, *delta.appeared) if s.after and s.after[0] >= condition.threshold
                     and (s.before is None or s.before[0] < condition.threshold)
                     and not _known_over(baseline, s.id, condition.threshold)]
            if risen:
                failed.append(f"{len(risen)} candidate(s) reached score {condition.threshold:g}: "
                              + ", ".join(f"{s.name} ({s.after[0]:.1f})" for s in risen[:5]))
    return tuple(failed)


def check_report(report: Report, conditions: Sequence[Condition], baseline: Baseline) -> tuple[str, ...]:
    """One line per failed condition of a whole scan, against the baseline."""
    failed = []
    for condition in conditions:
        if condition.kind == "new-fix":
            new = {f.key for c in report.candidates for f in c.findings
                   if f.effect == Effect.FIX_IN_PLACE and f.key not in baseline.findings}
            if new:
                failed.append(f"{len(new)} fix-in-place finding(s) not in the baseline")
        elif condition.kind == "erosion":
            grown = [c.id for c in report.candidates if c.id in baseline.candidates
                     and _grew(_known(c), baseline.candidates[c.id])]
            cycles = [c for c in report.summary.import_cycles if frozenset(c) not in baseline.cycles]
            if grown or cycles:
                failed.append(f"boundary erosion since the baseline: {len(grown)} candidate(s), "
                              f"{len(cycles)} new import cycle(s)")
        elif condition.kind == "score":
            over = [c for c in report.candidates if c.score >= condition.threshold
                    and not _known_over(baseline, c.id, condition.threshold)]
            if over:
                failed.append(f"{len(over)} candidate(s) at or over score {condition.threshold:g} not in the "
                              "baseline: " + ", ".join(f"{c.qualname or c.name} ({c.score:.1f})" for c in over[:5]))
    return tuple(failed)


def _known_over(baseline: Baseline, uid: str, threshold: float) -> bool:
    known = baseline.candidates.get(uid)
    return known is not None and known.score >= threshold


def _grew(now: Known, then: Known) -> bool:
    return any(getattr(now, f) > getattr(then, f) for f in ("calls_in", "calls_out", "entry_points", "shared_state"))


def _known(candidate) -> Known:
    b = candidate.boundary
    return Known(candidate.score, candidate.verdict.value, b.calls_in_total, b.calls_out_total, b.width,
                 len(b.shared_state))


# --- the baseline file ----------------------------------------------------------------------

def baseline_of(report: Report) -> Baseline:
    return Baseline(frozenset(f.key for c in report.candidates for f in c.findings),
                    {c.id: _known(c) for c in report.candidates},
                    frozenset(frozenset(c) for c in report.summary.import_cycles))


def render_baseline(report: Report) -> str:
    known = baseline_of(report)
    doc = {
        "rustscout_baseline": FORMAT, "tool_version": report.tool_version, "head": report.head,
        "as_of": report.as_of,
        "findings": sorted(known.findings),
        "candidates": {uid: {"score": round(k.score, 4), "verdict": k.verdict, "calls_in": k.calls_in,
                             "calls_out": k.calls_out, "entry_points": k.entry_points,
                             "shared_state": k.shared_state} for uid, k in sorted(known.candidates.items())},
        "import_cycles": sorted(sorted(c) for c in known.cycles),
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def load_baseline(path: Path | None) -> Baseline:
    if path is None:
        return Baseline()
    try:
        doc = json.loads(read_text(path, "--baseline"))
        if doc.get("rustscout_baseline") != FORMAT:
            raise ValueError(f"not a rustscout baseline (format {FORMAT})")
        candidates = {uid: Known(float(v["score"]), str(v["verdict"]), int(v["calls_in"]), int(v["calls_out"]),
                                 int(v["entry_points"]), int(v["shared_state"])) for uid, v in doc["candidates"].items()}
        return Baseline(frozenset(doc["findings"]), candidates, frozenset(frozenset(c) for c in doc["import_cycles"]))
    except RecursionError:
        raise ScanError(f"--baseline {path}: nested too deeply; write one with `rustscout baseline`") from None
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ScanError(f"--baseline {path}: {exc if isinstance(exc, ValueError) else 'missing ' + str(exc)}; "
                        "write one with `rustscout baseline`") from None
