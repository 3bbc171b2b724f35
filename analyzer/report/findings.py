"""The findings of a Report as the machine formats list them: each once, in a stable order."""

from __future__ import annotations

import hashlib

from analyzer.model import Finding, Report, Severity

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}


def unique(report: Report) -> list[Finding]:
    """Every finding once (a candidate lists its own), sorted by place, then rule."""
    seen: dict[str, Finding] = {}
    for candidate in report.candidates:
        for finding in candidate.findings:
            seen.setdefault(finding.key, finding)
    return sorted(seen.values(), key=lambda f: (f.path, f.line, f.rule_id, f.unit_id))


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
