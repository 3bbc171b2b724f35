"""Where a codemod's new module-level lines go: after the module's imports, never among them.

A constant put after `import re` but before `import sys` makes `import sys` a late import
(pycodestyle's and ruff's E402), and a line put before the import it uses fails at import
time. The parse stage records where each top-level statement that imports ends (an import,
or an if/try/with block holding one: `try: import x except ImportError`, `if TYPE_CHECKING:`),
so the file is not parsed again here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from analyzer.model import CodeUnit, ParsedFile
from analyzer.parse.edits import Edit, Text


def after_imports(parsed: ParsedFile, unit: CodeUnit) -> int:
    """The line after which new module-level lines for `unit` go (0: the top of the file): the
    end of the last top-level import statement above the unit, else of the module docstring.
    Statements between two imports (`__all__ = ...`, `sys.path.insert(...)`, a logger) are
    skipped over, so no import follows the new lines; the unit's own top-level statement is
    never passed, so nothing that can call it runs before they are bound."""
    above = [end for end in parsed.import_ends if end < unit.start]
    docstring = parsed.header_end if parsed.header_end < unit.start else 0
    return max([*above, docstring])


def bound_above(parsed: ParsedFile, text: Text, lines: list[int], unit: CodeUnit) -> bool:
    """The name the new lines use is bound by a module-level import at column 0 above the unit:
    one bound only inside a block (try/if) may be unbound when they run."""
    return bool(lines) and all(line < unit.start and text.lines[line - 1][:1] not in (" ", "\t")
                               for line in lines)


def add_import(text: Text, at: int, statement: str) -> Edit:
    """`statement` on its own line right after line `at` (the import block's end). Written as
    a replacement of line `at` that keeps it, so two fixes adding the same import make equal
    edits (applied once), and an insertion after line `at` by another fix lands after it."""
    if at == 0:   # no import and no docstring: after a leading `#!` line, coding line or licence
        first = next((n for n, line in enumerate(text.lines, 1) if not line.startswith("#")), len(text.lines) + 1)
        return Edit(first, first - 1, (statement + text.newline,))
    last = text.lines[at - 1]
    ended = last if last.endswith(("\n", "\r")) else last + text.newline
    return Edit(at, at, (ended, statement + text.newline))


@lru_cache(maxsize=8)
def module_names(text: Text) -> frozenset[str]:
    """Every name that starts a line at column 0: a superset of the module's globals,
    enough to never shadow one with a new constant or import. Cached: one scan per file."""
    return frozenset(re.findall(r"^(?:async def |def |class )?([A-Za-z_]\w*)", text.source, re.M))
