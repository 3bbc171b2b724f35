"""What the user asks for (`Options`) and what the generator hands back (`Scaffold`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzer.model.scaffold import MappedSignature
from analyzer.scaffold.case import Hazard
from analyzer.scaffold.errors import ScaffoldError

BINDINGS = ("pyo3", "jni", "ffm")
METADATA = "rustscout-scaffold.json"   # what a scaffold says of itself; marks a folder as one
PYO3_DEFAULT = "0.29"           # the current release (Bound API, 0.29.x in late 2026); bump it as PyO3 releases
PYO3_OLDEST_BOUND = (0, 23)     # Bound API with IntoPyObject and PyBytes::new -> Bound


@dataclass(frozen=True, slots=True)
class Options:
    binding: str = "pyo3"       # pyo3 for Python candidates; jni or ffm for Java ones
    pyo3: str = PYO3_DEFAULT    # the PyO3 version written into Cargo.toml
    head: str | None = None     # the scanned commit, for links back to the source

    @property
    def generation(self) -> str:
        """"0.17" (GIL-ref API, what Debian ships) or "bound" (0.23 and newer)."""
        return pyo3_generation(self.pyo3)


def pyo3_generation(version: str) -> str:
    m = re.fullmatch(r"0\.(\d+)(\.\d+)?", version.strip())
    if m and int(m.group(1)) == 17:
        return "0.17"
    if m and (0, int(m.group(1))) >= PYO3_OLDEST_BOUND:
        return "bound"
    raise ScaffoldError(f"--pyo3 {version}: supported are 0.17 (the GIL-ref API Debian ships) and 0.23 or newer "
                        f"(the Bound API; default {PYO3_DEFAULT})")


def binding_for(language: str, asked: str | None) -> str:
    if language == "python" and asked in (None, "pyo3"):
        return "pyo3"
    if language == "java" and asked in (None, "jni", "ffm"):
        return asked or "jni"
    fits = "pyo3" if language == "python" else "jni or ffm"
    raise ScaffoldError(f"--binding {asked}: a {language} candidate takes {fits}")


@dataclass(frozen=True, slots=True)
class GeneratedFile:
    path: str                   # relative to the output folder, posix
    text: str


@dataclass(frozen=True, slots=True)
class Scaffold:
    candidate: str
    binding: str                # pyo3-0.17 | pyo3-0.23+ | jni | ffm
    files: tuple[GeneratedFile, ...]
    signatures: tuple[MappedSignature, ...]
    hazards: tuple[Hazard, ...]
    first_cut: str | None       # the smallest cut to make before porting, when the boundary needs one


def source_link(path: str, lines: tuple[int, int], head: str | None) -> str:
    span = f"{lines[0]}-{lines[1]}" if lines[1] > lines[0] else str(lines[0])
    return f"{path}:{span}" + (f" (commit {head[:10]})" if head else "")
