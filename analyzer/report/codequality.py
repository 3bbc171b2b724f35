"""GitLab Code Quality JSON (the `codequality` report artifact of a merge request).

One issue per finding, each with a unique fingerprint derived from its stable key, so
GitLab can tell new findings from old ones between pipelines.
"""

from __future__ import annotations

import json

from analyzer.model import Finding, Report, Severity
from analyzer.report.findings import anchor, fingerprint, unique

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.NOTE: "info"}


def render(report: Report) -> str:
    return json.dumps([_issue(f) for f in unique(report)], indent=2, ensure_ascii=False) + "\n"


def _issue(finding: Finding) -> dict:
    return {
        "description": finding.message,
        "check_name": finding.rule_id,
        "fingerprint": fingerprint(finding),
        "severity": SEVERITIES.get(finding.severity, "info"),
        "categories": ["Performance"],
        "location": {"path": finding.path, "lines": {"begin": max(anchor(finding), 1)}},
    }
