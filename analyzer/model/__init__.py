"""The shared nouns of rustscout, one frozen type per stage.

Each stage takes complete values and returns complete values; nothing here is filled in
later. Types are slotted and frozen so a stage cannot edit what an earlier stage produced,
and they pickle, so parse results can cross process boundaries and sit in a cache.

Flow of nouns:  SourceFile -> ParsedFile(CodeUnit, Import) -> Commit/Change -> HistoryFacts
                -> Group -> Work, Boundary -> Profile -> Finding -> Candidate -> Report
"""

from analyzer.model.analysis import Condition, Evidence, Finding, Group, Profile, Rule, Work
from analyzer.model.code import (LANG_PREFIX, MAX_DEPTH, CallSite, CodeUnit, FileError, Import, Observation,
                                 Param, ParsedFile, SourceFile, StateAccess, TreeEntry, UnitFacts)
from analyzer.model.history import Change, Commit, FileDiff, FileHistory, History, HistoryFacts, UnitHistory
from analyzer.model.report import (Boundary, Candidate, Comparison, Crossing, EntryPoint, Factor, Fix, Plan, Report,
                                   Summary, Verdict)

__all__ = ["Boundary", "CallSite", "Candidate", "Change", "Comparison", "CodeUnit", "Commit", "Condition", "Crossing",
           "EntryPoint", "Evidence", "Factor", "FileDiff", "FileError", "FileHistory", "Finding", "Fix", "Group", "History",
           "HistoryFacts", "Import", "LANG_PREFIX", "MAX_DEPTH", "Observation", "Param", "ParsedFile", "Plan",
           "Profile", "Report", "Rule", "SourceFile", "StateAccess", "Summary", "TreeEntry", "UnitFacts", "UnitHistory",
           "Verdict", "Work"]
