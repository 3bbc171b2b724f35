"""The findings of a Report as the machine formats list them: each once, in a stable order."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from analyzer.model import Finding, Report, Severity
from analyzer.model.report import ACTIONABLE

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def unique(report: Report) -> list[Finding]:
    """Every finding once (a candidate lists its own), sorted by place, then rule."""
    seen: dict[str, Finding] = {}
    for candidate in report.candidates:
        for finding in candidate.findings:
            seen.setdefault(finding.key, finding)
    return sorted(seen.values(), key=lambda f: (f.path, f.line, f.rule_id, f.unit_id))


@dataclass(frozen=True, slots=True)
class Selection:
    """Which findings code scanning shows: those of candidates a reader acts on (these
    verdicts, at this score or above), each at a file and line."""
    verdicts: tuple[str, ...] = ACTIONABLE
    min_score: float = 0.0


@dataclass(frozen=True, slots=True)
class Selected:
    findings: list[Finding]     # in place order
    below: int                  # findings only of candidates below the selection
    on_folders: int             # findings of packages and components, which have no file and line


def actionable(report: Report, selection: Selection) -> Selected:
    """Every finding once, kept when a candidate that lists it passes the selection; a
    finding on a folder (a package's or a component's) is counted, never located at it."""
    chosen: dict[str, Finding] = {}
    for candidate in report.candidates:
        if candidate.verdict.value in selection.verdicts and candidate.score >= selection.min_score:
            for finding in candidate.findings:
                chosen.setdefault(finding.key, finding)
    every = unique(report)
    kept = [f for f in every if f.key in chosen and not on_folder(f)]
    folders = sum(1 for f in every if f.key in chosen and on_folder(f))
    return Selected(kept, len(every) - len(kept) - folders, folders)


def on_folder(finding: Finding) -> bool:
    """A package's or a component's finding: its path is a folder (`pkg/sub/`)."""
    return finding.path.endswith("/") or finding.anchor < 1


def most_severe_first(findings: list[Finding], limit: int) -> tuple[list[Finding], int]:
    """At most `limit` findings, the most severe kept; (kept in place order, how many dropped)."""
    if len(findings) <= limit:
        return findings, 0
    kept = sorted(findings, key=lambda f: (SEVERITY_ORDER.get(f.severity, 3), f.path, f.line, f.rule_id))[:limit]
    return sorted(kept, key=lambda f: (f.path, f.line, f.rule_id, f.unit_id)), len(findings) - limit


def fingerprint(finding: Finding) -> str:
    """Stable while the unit keeps its name and place, whatever its line numbers."""
    return hashlib.sha256(finding.key.encode("utf-8")).hexdigest()


def anchor(finding: Finding) -> int:
    """The line to point at: where the evidence starts (the `re.compile` call), else the
    unit's first line."""
    return finding.anchor
