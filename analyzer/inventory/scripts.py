"""Standalone scripts: the programs kept beside a repository's packages.

A repository that ships packages also keeps programs around them: a release or merge helper,
a table generator, a stress test, a checker run in CI. They run once, by hand or in a build,
and are not what the product's users run; ranked, their loops over command-line input stand
above the library's (a merge script's prompt loop was a Java repository's first row).

A Python file is one when all of these hold, each read from the code, never from a name:
- it is written to be run: a `#!` line, an `if __name__ == "__main__":` block, or a file name
  `import` cannot spell (`merge-pr.py`);
- it is in no package (its folder has no `__init__.py`) and no file of the repository, tests
  included, imports it (a tested single-module library is imported by its tests);
- the repository has a product beside it: Java code, or a Python package. A repository of
  scripts alone keeps them all ranked.

Such a file is tagged "script": read for what it calls, never ranked, as a benchmark is.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

from analyzer.model import Import, ParsedFile

SCRIPT = "script"


def tag_scripts(parsed: Sequence[ParsedFile]) -> tuple[ParsedFile, ...]:
    """The parsed files, the standalone scripts among them tagged "script"."""
    imported = _imported(pf.imports for pf in parsed)
    scripts = {pf.file.path for pf in parsed if _standalone(pf, imported)}
    if not scripts or not any(_product(pf) for pf in parsed if pf.file.path not in scripts):
        return tuple(parsed)
    return tuple(_tagged(pf) if pf.file.path in scripts else pf for pf in parsed)


def _imported(imports: Iterable[Sequence[Import]]) -> frozenset[str]:
    """Every module name an import may load: `from a import b` may load `a.b`."""
    names: set[str] = set()
    for found in imports:
        for i in found:
            names.add(i.module)
            if i.name:
                names.add(f"{i.module}.{i.name}")
    return frozenset(names)


def _standalone(pf: ParsedFile, imported: frozenset[str]) -> bool:
    if pf.file.language != "python" or not pf.ranked or _packaged(pf):
        return False
    stem = pf.file.module
    runnable = pf.program or not stem.isidentifier()
    return runnable and stem not in imported and not any(name.endswith(f".{stem}") for name in imported)


def _packaged(pf: ParsedFile) -> bool:
    return "." in pf.file.module or pf.file.path.rpartition("/")[2] == "__init__.py"


def _product(pf: ParsedFile) -> bool:
    return pf.ranked and (pf.file.language == "java" or _packaged(pf))


def _tagged(pf: ParsedFile) -> ParsedFile:
    return replace(pf, file=replace(pf.file, tags=pf.file.tags | {SCRIPT}))
