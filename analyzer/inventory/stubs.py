"""Stubs of the Java platform: classes a repository declares in the JDK's own packages.

A repository that compiles against an internal API keeps a stub of it (`sun.misc.Unsafe`
with `native` methods and no bodies) in a source folder of its own. At run time the JDK's
class is loaded, never the stub: the stub is not the repository's code, and a call through
it is a call into the JDK, which the catalogs price (an `Unsafe.getLong` is one memory read,
not a JNI call). Such a file, read from the package it declares, is tagged "stub": never
ranked, and its classes are not in the call graph.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from analyzer.inventory.scripts import tagged
from analyzer.model import ParsedFile

STUB = "stub"
PLATFORM_PACKAGES = ("java.", "javax.", "jdk.", "sun.", "com.sun.")


def tag_platform_stubs(parsed: Sequence[ParsedFile]) -> tuple[ParsedFile, ...]:
    """The parsed files, each Java file that declares a JDK package tagged "stub", with only
    its module unit (its imports) left."""
    return tuple(replace(tagged(pf, STUB), units=pf.units[:1]) if _platform(pf) else pf for pf in parsed)


def _platform(pf: ParsedFile) -> bool:
    return pf.file.language == "java" and f"{pf.module}.".startswith(PLATFORM_PACKAGES)
