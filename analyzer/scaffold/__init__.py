"""`rustscout scaffold`: the first piece of a port, generated behind the boundary the scan found.

Input: one candidate of the scan's JSON document (a dict), the scanned repository's root (read
only: docstrings and exact signatures come from its source, which is parsed, never imported or
run) and `Options` (binding, PyO3 version, scanned commit).
Output: a `Scaffold`: the files to write (paths relative to the output folder), the mapped
signatures and the hazards on the boundary. Same input, same bytes; no absolute paths inside.

    case -> plan (declarations, mapped signatures, hazards) -> render -> Scaffold -> write

Python candidates get a maturin/PyO3 project (`pygen`); Java candidates a Rust cdylib with JNI
or FFM entry points and a Java wrapper that falls back to the Java code (`javagen`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from analyzer.scaffold import javagen, pygen
from analyzer.scaffold.case import read_case
from analyzer.scaffold.spec import METADATA, GeneratedFile, Options, Scaffold, binding_for


def generate(candidate: dict, root: Path, options: Options) -> Scaffold:
    case = read_case(candidate)
    options = replace(options, binding=binding_for(case.language, options.binding))
    made = pygen.generate(case, root, options) if case.language == "python" else javagen.generate(case, root, options)
    files = tuple(sorted((*made.files, GeneratedFile(METADATA, metadata(made, options))), key=lambda f: f.path))
    return replace(made, files=files)


def metadata(s: Scaffold, options: Options) -> str:
    """The scaffold described for tools: what it mirrors and what to cut first."""
    doc = {"candidate": s.candidate, "binding": s.binding, "head": options.head,
           "signatures": [m.to_json() for m in s.signatures], "first_cut": s.first_cut,
           "hazards": [{"kind": h.kind, "what": h.what, "cut": h.cut} for h in s.hazards]}
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


__all__ = ["Options", "Scaffold", "generate", "metadata"]
