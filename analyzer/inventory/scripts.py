"""Standalone scripts: the programs kept beside a repository's packages.

A repository that ships packages also keeps programs around them: a release or merge helper,
a table generator, a stress test, a checker run in CI. They run once, by hand or in a build,
and are not what the product's users run; ranked, their loops over command-line input stand
above the library's (a merge script's prompt loop was a Java repository's first row).

Python files outside every package (their folder has no `__init__.py`) are such programs
when (read from the code and from what Python can import, never from what a file is called):
- no file inside a package imports them, and no test, doc or benchmark does (a tested
  single-module library is imported by its tests);
- they, with the other such files they import or are imported by, hold a file written to be
  run: a `#!` line, an `if __name__ == "__main__":` block, or a file name `import` cannot
  spell (`merge-pr.py`). A release tool's helper modules go with the tool; a module that
  tests import is the product, and a program that imports it goes without it;
- the repository has a product beside them: Java code, or a Python package. A repository of
  scripts alone keeps them all ranked.

Such a file is tagged "script" and never ranked; its calls still count as traffic into what
they call (a program that uses the package shows how it is used), where a test's, a doc's or a
benchmark's only say what they exercise (ParsedFile.drives).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Iterable, Sequence

from analyzer.model import SCRIPT, Import, ParsedFile


def tag_scripts(parsed: Sequence[ParsedFile]) -> tuple[ParsedFile, ...]:
    """The parsed files, the standalone scripts among them tagged "script"."""
    loose = {pf.file.path: pf for pf in parsed if _loose(pf)}
    if not loose or not any(_product(pf) for pf in parsed if pf.file.path not in loose):
        return tuple(parsed)
    links, used = _imports_of(parsed, loose)
    links = {path: others - used for path, others in links.items() if path not in used}
    scripts: set[str] = set()
    for suite in _suites(loose, links):
        if not suite & used and any(_runnable(loose[path]) for path in suite):
            scripts |= suite
    return tuple(tagged(pf, SCRIPT) if pf.file.path in scripts else pf for pf in parsed)


def _imports_of(parsed: Sequence[ParsedFile], loose: dict[str, ParsedFile]) -> tuple[dict[str, set[str]], set[str]]:
    """Which loose files import each other (both ways), and which ones other files import."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for path, pf in loose.items():
        by_name[pf.file.module].append(path)
    links: dict[str, set[str]] = defaultdict(set)
    used: set[str] = set()
    for pf in parsed:
        for name in imported_modules(pf.imports):
            for path in by_name.get(name.rpartition(".")[2], ()):
                if path == pf.file.path:
                    continue
                if pf.file.path in loose:
                    links[path].add(pf.file.path)
                    links[pf.file.path].add(path)
                else:
                    used.add(path)
    return links, used


def imported_modules(imports: Iterable[Import]) -> set[str]:
    """Every module an import may load: `from a import b` may load `a.b`."""
    return {name for i in imports for name in (i.module, f"{i.module}.{i.name}" if i.name else i.module)}


def _suites(loose: dict[str, ParsedFile], links: dict[str, set[str]]) -> list[set[str]]:
    """The loose files in groups that import one another, each file in one group."""
    seen: set[str] = set()
    suites = []
    for start in sorted(loose):
        if start in seen:
            continue
        suite, pending = {start}, [start]
        while pending:
            for other in links.get(pending.pop(), ()):
                if other not in suite:
                    suite.add(other)
                    pending.append(other)
        seen |= suite
        suites.append(suite)
    return suites


def _loose(pf: ParsedFile) -> bool:
    return pf.file.language == "python" and pf.ranked and not _packaged(pf)


def _runnable(pf: ParsedFile) -> bool:
    return pf.program or not pf.file.module.isidentifier()


def _packaged(pf: ParsedFile) -> bool:
    return "." in pf.file.module or pf.file.path.rpartition("/")[2] == "__init__.py"


def _product(pf: ParsedFile) -> bool:
    return pf.ranked and (pf.file.language == "java" or _packaged(pf))


def tagged(pf: ParsedFile, tag: str) -> ParsedFile:
    """The parsed file with one more role: a role known only after parsing."""
    return replace(pf, file=replace(pf.file, tags=pf.file.tags | {tag}))
