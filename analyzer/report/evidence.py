"""Measured evidence as plain JSON values: a candidate's and the summary's "evidence" objects.

`candidate(runtime, coverage)` is a candidate's "evidence" object, `summary(evidence)` the
summary's (their schema: `measured_evidence` and `evidence_summary` in report.schema.json).
Pure functions of the nouns in analyzer.model.runtime. Shares are rounded to six places so
that the same profile gives the same bytes.
"""

from __future__ import annotations

from analyzer.model.runtime import (CoverageSummary, Measurement, RuntimeEvidence, SourceSummary, UnitCoverage,
                                    UnitRuntime)

PLACES = 6


def candidate(runtime: UnitRuntime | None, coverage: UnitCoverage | None) -> dict:
    return {"measured": bool(runtime and runtime.inclusive_share is not None),
            "profile": _runtime(runtime) if runtime else None,
            "coverage": _coverage(coverage) if coverage else None}


def summary(evidence: RuntimeEvidence) -> dict:
    return {"profiles": [_source(source) for source in evidence.sources],
            "measurements": [_measurement(measurement) for measurement in evidence.measurements],
            "coverage": _coverage_summary(evidence.coverage_summary) if evidence.coverage_summary else None}


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def _runtime(runtime: UnitRuntime) -> dict:
    return {"source": runtime.source, "samples": runtime.samples,
            "self_share": _share(runtime.self_share), "inclusive_share": _share(runtime.inclusive_share),
            "native_share": _share(runtime.native_share), "library_share": _share(runtime.library_share),
            "alloc_share": _share(runtime.alloc_share), "alloc_self_share": _share(runtime.alloc_self_share)}


def _coverage(coverage: UnitCoverage) -> dict:
    return {"source": coverage.source, "lines_run": coverage.lines_run, "lines_total": coverage.lines_total,
            "line_share": _share(coverage.line_share), "branches_run": coverage.branches_run,
            "branches_total": coverage.branches_total, "branch_share": _share(coverage.branch_share),
            "never_run": [list(span) for span in coverage.never_run], "summary": coverage.summary()}


def _source(source: SourceSummary) -> dict:
    return {"path": source.path, "tool": source.tool, "metric": source.metric, "unit": source.unit,
            "total": round(source.total, PLACES), "language": source.language,
            "mapped_share": _share(source.mapped_share), "used": source.used}


def _measurement(measurement: Measurement) -> dict:
    return {"language": measurement.language, "metric": measurement.metric, "samples": measurement.samples,
            "mapped_share": _share(measurement.mapped_share), "combine": measurement.combine,
            "sources": [source.path for source in measurement.sources], "description": measurement.description,
            "unmapped": [{"frame": frame.frame, "kind": frame.kind, "share": _share(frame.share)}
                         for frame in measurement.unmapped]}


def _coverage_summary(summary_: CoverageSummary) -> dict:
    return {"sources": [{"path": path, "tool": tool} for path, tool in summary_.sources],
            "files_total": summary_.files_total, "files_mapped": summary_.files_mapped,
            "unmapped_files": list(summary_.unmapped_files)}
