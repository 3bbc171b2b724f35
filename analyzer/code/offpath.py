"""Units off the hot path by what they are, whatever loops surround their call sites.

Two kinds, both read from the language or the catalogs, never from a function's name:
- PROTOCOL: the language's hooks for diagnostics and cleanup. Python's `__repr__`, `__str__`,
  `__format__`, `__exit__`, `__aexit__`, `__del__`; Java's `toString()`, and `close()` of a
  class that is AutoCloseable (directly, or through a JDK stream, reader, writer or channel).
  They run when something is printed, logged or released: calls into them and from them are
  cold (rare, and carry no loop weight).
- ENTRY: code that runs once per process: Java's `static main(String[])`, and units that parse
  the command line or print its usage (the `cli` catalog category: argparse, click, typer,
  picocli, ...). Calls into them and from them carry no loop weight (a help printer under three
  loops still prints once; a loop over the command line's arguments is not a loop over data),
  but are not rare: `main` runs the program once. What only they reach runs once per process,
  where a library's entry runs once per call of its user: it counts as rarely as what only
  PROTOCOL hooks and exception paths reach (graph: rare_only).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Sequence

from analyzer.model import CallSite, CodeUnit, ParsedFile, UnitKind
from analyzer.ruleset.catalog import Catalog, lookup_keys, may_have_key

PROTOCOL, ENTRY = "protocol", "entry"
PYTHON_PROTOCOL = frozenset({"__repr__", "__str__", "__format__", "__exit__", "__aexit__", "__del__"})
JAVA_CLOSEABLE = frozenset({
    "java.lang.AutoCloseable", "java.io.Closeable", "java.io.InputStream", "java.io.OutputStream",
    "java.io.Reader", "java.io.Writer", "java.io.FilterInputStream", "java.io.FilterOutputStream",
    "java.nio.channels.Channel", "java.nio.channels.ReadableByteChannel", "java.nio.channels.WritableByteChannel",
    "java.nio.channels.ByteChannel"})


def off_path(parsed: Sequence[ParsedFile], catalog: Catalog) -> dict[str, str]:
    """unit id -> PROTOCOL or ENTRY, for the ranked units that are either."""
    cli = _Cli(catalog)
    found: dict[str, str] = {}
    for pf in parsed:
        if not pf.ranked:
            continue
        classes = {u.id: u for u in pf.units if u.kind == UnitKind.CLASS}
        for unit in pf.units:
            kind = _kind(unit, classes.get(unit.parent or ""), cli)
            if kind:
                found[unit.id] = kind
    return found


def _kind(unit: CodeUnit, owner: CodeUnit | None, cli: "_Cli") -> str | None:
    if unit.kind != UnitKind.FUNCTION:
        return None
    if owner is not None and _protocol(unit, owner):
        return PROTOCOL
    if unit.language == "java" and _java_main(unit):
        return ENTRY
    return ENTRY if cli.parses_command_line(unit) else None


class _Cli:
    """Whether a call belongs to the `cli` catalog category, asked once per target. Only a
    target that may have a name the category lists (catalog.may_have_key) is classified in
    full (a kafka has 40k targets)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.seen: dict[str, dict[str, bool]] = defaultdict(dict)   # language -> target -> answer
        self.names = {language: frozenset(name for name, patterns in table.items()
                                          if any(p.category == "cli" for p in patterns))
                      for language, table in catalog.patterns.items()}
        self.may_be_listed = {language: may_have_key(names) for language, names in self.names.items()}

    def parses_command_line(self, unit: CodeUnit) -> bool:
        """Whether one of the unit's calls or decorators is a command-line parser's."""
        seen = self.seen[unit.language]
        uses = (*unit.calls, *(CallSite(d, 0, 0) for d in unit.decorators)) if unit.decorators else unit.calls
        for call in uses:
            found = seen.get(call.target)
            if found is None:
                found = seen[call.target] = self._listed(unit.language, call)
            if found:
                return True
        return False

    def _listed(self, language: str, call: CallSite) -> bool:
        if language not in self.names or not self.may_be_listed[language](call.target):
            return False
        listed = not self.names[language].isdisjoint(lookup_keys(call.target))
        return listed and "cli" in self.catalog.classify(language, call)


def _protocol(unit: CodeUnit, owner: CodeUnit) -> bool:
    if unit.language == "python":
        return unit.name in PYTHON_PROTOCOL
    if unit.params:
        return False
    return unit.name == "toString" or unit.name == "close" and not JAVA_CLOSEABLE.isdisjoint(owner.bases)


def _java_main(unit: CodeUnit) -> bool:
    return unit.name == "main" and "static" in unit.modifiers and len(unit.params) == 1 \
        and (unit.params[0].annotation or "").replace(" ", "") in ("String[]", "String...")


def weigh(source_kind: str | None, target_kind: str | None, depth: int, cold: bool) -> tuple[int, bool]:
    """A call's loop depth and coldness, given what its caller and callee are (see above)."""
    if PROTOCOL in (source_kind, target_kind):
        return 0, True
    if ENTRY in (source_kind, target_kind):
        return 0, cold
    return depth, cold

