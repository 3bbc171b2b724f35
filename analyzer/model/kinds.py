"""The closed vocabularies: each word is spelled once, here, and compared by name elsewhere.

They are `StrEnum`s, so a value prints and serializes as the word itself ("fix-in-place")
and the parse records, which cross processes by the hundred thousand, can keep plain strings.
"""

from __future__ import annotations

from enum import StrEnum


class UnitKind(StrEnum):
    """What the parser cuts a file into."""
    MODULE = "module"
    CLASS = "class"
    FUNCTION = "function"


class GroupKind(StrEnum):
    """What a candidate covers: a unit, or several files at once (smallest first)."""
    FUNCTION = "function"
    CLASS = "class"
    MODULE = "module"
    PACKAGE = "package"          # a Java package: every class in one folder
    COMPONENT = "component"      # modules replaced together behind one interface

    @property
    def spans_files(self) -> bool:
        return self in (GroupKind.PACKAGE, GroupKind.COMPONENT)


class EdgeKind(StrEnum):
    """How one unit depends on another."""
    CALL = "call"
    INSTANTIATE = "instantiate"
    IMPORT = "import"
    REFERENCE = "reference"      # imported by name (`from codec import decode`)

    is_call: bool   # a call or an instantiation: runs the target


# Asked per edge, millions of times a scan: a plain attribute of each member, not a property.
for _kind in EdgeKind:
    _kind.is_call = _kind in (EdgeKind.CALL, EdgeKind.INSTANTIATE)
del _kind


class Effect(StrEnum):
    """What a rule's finding does to a candidate."""
    EVIDENCE = "evidence"                      # shown, and read by the verdict's reason
    FEASIBILITY = "feasibility"                # multiplies feasibility by (1 - weight)
    FIX_IN_PLACE = "fix-in-place"              # a cheaper fix in the original language
    NOT_A_RUST_PROBLEM = "not-a-rust-problem"  # I/O, framework or already-native bound


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"
