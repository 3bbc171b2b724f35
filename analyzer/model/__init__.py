"""The shared nouns of rustscout, one frozen type per stage.

Each stage takes complete values and returns complete values; nothing here is filled in
later. Types are slotted and frozen so a stage cannot edit what an earlier stage produced,
and they pickle, so parse results can cross process boundaries and sit in a cache.

Flow of nouns:  SourceFile -> ParsedFile(CodeUnit, Import) -> Commit/Change -> HistoryFacts
                -> Group -> Heat, Work, Boundary -> Measures -> Finding -> Candidate -> Report
"""

from analyzer.model.analysis import (CALLBACK, EXCEPTION_PATHS, CodeMeasures, Condition, Evidence, Finding, Group, Heat,
                                     Intensity, Measures, Rule, UnitCost, UnitCounts, Work)
from analyzer.model.code import (MAX_DEPTH, SCRIPT, CallSite, CodeUnit, FileError, Import, Observation, Param,
                                 ParsedFile, SourceFile, StateAccess, TreeEntry, UnitFacts)
from analyzer.model.graph import Edge, ResolvedCalls
from analyzer.model.history import Change, Commit, FileDiff, FileHistory, History, HistoryFacts, UnitHistory
from analyzer.model.ids import UnitId, group_id, unit_id
from analyzer.model.runtime import (CoverageReport, CoverageSummary, FileCoverage, Loaded, Measurement, ProfileSource,
                                    RuntimeEvidence, SourceSummary, UnitCoverage, UnitRuntime, UnmappedFrame)
from analyzer.model.kinds import EdgeKind, Effect, GroupKind, Severity, UnitKind
from analyzer.model.modules import ModuleEdge, ModuleGraph, ModuleNode
from analyzer.model.report import (Boundary, Candidate, Comparison, Crossing, EntryPoint, Factor, Fix, Judgement,
                                   LineEdit, NativeTwin, PassedOver, Plan, Report, Summary, Verdict)

__all__ = ["Boundary", "CALLBACK", "EXCEPTION_PATHS", "CoverageReport", "CoverageSummary", "FileCoverage", "Loaded", "Measurement",
           "ProfileSource", "RuntimeEvidence", "SourceSummary", "UnitCoverage", "UnitRuntime", "UnmappedFrame", "CallSite", "Candidate", "Change", "CodeMeasures", "CodeUnit", "Commit", "Comparison",
           "Condition", "Crossing", "Edge", "EdgeKind", "Effect", "EntryPoint", "Evidence", "Factor", "FileDiff",
           "FileError", "FileHistory", "Finding", "Fix", "LineEdit", "Group", "group_id", "GroupKind", "Heat", "History",
           "HistoryFacts", "Import", "Intensity", "Judgement", "MAX_DEPTH", "Measures", "ModuleEdge", "ModuleGraph",
           "ModuleNode", "NativeTwin", "Observation", "Param",
           "ParsedFile", "PassedOver", "Plan", "Report", "ResolvedCalls", "Rule", "SCRIPT", "Severity", "SourceFile",
           "StateAccess", "Summary", "TreeEntry", "unit_id", "UnitCost", "UnitCounts", "UnitFacts", "UnitHistory",
           "UnitId", "UnitKind", "Verdict", "Work"]
