"""SARIF 2.1.0, for code scanning (GitHub) and any SARIF viewer.

Rule metadata comes from the rule registry (Report.rules), so `ruleIndex` points into the
rules the scan ran with. Results carry a `partialFingerprints` entry derived from the
finding's stable key (rule and unit id, no line numbers), so an alert follows its unit
when lines move. GitHub's limits are kept: it stores at most 5,000 results per run
(we keep the most severe and say how many were left out), 10 tags per rule, and one
location per result. Paths are relative to the repository root (%SRCROOT%); nothing
depends on where the repository was checked out, so output is byte-stable. A finding with a
mechanical patch carries it as `fixes` (the same edits `rustscout fix` applies).

Results are what a reader should act on (findings.Selection): by default the findings of
candidates whose verdict is port, needs-boundary-work or fix-in-place-first; a finding of a
package or component has no file and line, so it is left out rather than put on a folder.
Notifications say how many of each were left out.
"""

from __future__ import annotations

import json

from analyzer.model import FileError, Finding, Report, Rule, Severity
from analyzer.report.findings import Selected, Selection, actionable, anchor, fingerprint, most_severe_first

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
MAX_RESULTS = 5_000
MAX_TAGS = 10
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.NOTE: "note"}


def render(report: Report, selection: Selection = Selection()) -> str:
    return json.dumps(document(report, selection), indent=2, ensure_ascii=False) + "\n"


def document(report: Report, selection: Selection = Selection()) -> dict:
    index = {rule.id: i for i, rule in enumerate(report.rules)}
    fixes = {(f.rule_id, f.path, f.line): f for c in report.candidates for f in c.fixes if f.edits}
    selected = actionable(report, selection)
    findings, dropped = most_severe_first([f for f in selected.findings if f.rule_id in index], MAX_RESULTS)
    run: dict = {
        "tool": {"driver": {"name": "rustscout", "version": report.tool_version,
                            "semanticVersion": report.tool_version, "rules": [_rule(r) for r in report.rules]}},
        "results": [_with_fix(_result(f, index[f.rule_id]), f, fixes) for f in findings],
        "invocations": [_invocation(report.errors, dropped, _left_out(selected, selection))],
        "columnKind": "unicodeCodePoints",
    }
    if report.head:   # versionControlProvenance would need the repository's URI, unknown here
        run["properties"] = {"revision": report.head, "asOf": report.as_of}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule: Rule) -> dict:
    out = {
        "id": rule.id, "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "help": {"text": rule.rationale, "markdown": rule.rationale},
        "defaultConfiguration": {"level": LEVELS.get(rule.severity, "note")},
        "properties": {"tags": ["rustscout", rule.effect, *rule.languages][:MAX_TAGS], "effect": rule.effect},
    }
    if rule.references:
        out["helpUri"] = rule.references[0]
    return out


def _result(finding: Finding, rule_index: int) -> dict:
    return {
        "ruleId": finding.rule_id, "ruleIndex": rule_index, "level": LEVELS.get(finding.severity, "note"),
        "message": {"text": finding.message},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
                                 "region": {"startLine": max(anchor(finding), 1)}},
            "logicalLocations": [{"fullyQualifiedName": finding.unit_id}],
        }],
        "partialFingerprints": {"rustscoutUnit/v1": fingerprint(finding)},
        "properties": {"unit": finding.unit_id, "effect": finding.effect},
    }


def _with_fix(result: dict, finding: Finding, fixes: dict) -> dict:
    """A finding with a mechanical patch carries it as a SARIF fix: line edits as replacements
    of whole lines (from column 1 of the first to column 1 of the line after the last; an
    insertion is the empty region before its line), so a viewer can apply it."""
    fix = fixes.get((finding.rule_id, finding.path, finding.line))
    if fix is None:
        return result
    replacements = [{"deletedRegion": {"startLine": e.first, "startColumn": 1, "endLine": e.last + 1, "endColumn": 1},
                     "insertedContent": {"text": e.text}} for e in fix.edits]
    change = {"artifactLocation": {"uri": fix.path, "uriBaseId": "%SRCROOT%"}, "replacements": replacements}
    return {**result, "fixes": [{"description": {"text": fix.summary}, "artifactChanges": [change]}]}


def _left_out(selected: Selected, selection: Selection) -> list[dict]:
    notes = []
    if selected.below:
        chosen = list(selection.verdicts)
        verdicts = ", ".join(chosen[:-1]) + " or " + chosen[-1] if len(chosen) > 1 else "".join(chosen) or "selected"
        notes.append(_note("below-threshold", f"{selected.below} finding(s) left out: no candidate that lists them "
                           f"is {verdicts} (sarif_verdicts) with a score of at least {selection.min_score:g} "
                           "(--sarif-min-score); the JSON report lists every finding"))
    if selected.on_folders:
        notes.append(_note("on-folders", f"{selected.on_folders} finding(s) of packages or components left out: "
                           "they have no file and line to point at; the JSON report lists them"))
    return notes


def _note(kind: str, text: str) -> dict:
    return {"level": "note", "descriptor": {"id": kind}, "message": {"text": text}}


def _invocation(errors: tuple[FileError, ...], dropped: int, left_out: list[dict]) -> dict:
    notes = [{"level": "warning", "message": {"text": f"{e.path}: {e.message}"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": e.path, "uriBaseId": "%SRCROOT%"}}}],
              "descriptor": {"id": f"file-{e.kind}"}} for e in errors]
    if dropped:
        notes.append({"level": "note", "descriptor": {"id": "results-capped"},
                      "message": {"text": f"{dropped} less severe result(s) left out: code scanning keeps "
                                          f"{MAX_RESULTS} per run"}})
    return {"executionSuccessful": True, "toolExecutionNotifications": [*notes, *left_out]}
