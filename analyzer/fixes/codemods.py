"""The mechanical fixes there are, by name (a rule's `fix:`).

Each fix takes a module's text, one unit and the file's parse results, and returns line
edits, or None when it cannot change that unit safely. The rewriting itself is syntax work
and lives under parse/ (libcst, so only the changed lines differ); it is imported only when
used, so loading rules does not load libcst.
"""

from __future__ import annotations

from importlib import import_module

from analyzer.model import CodeUnit, ParsedFile
from analyzer.parse.edits import Edit, Text

FIXES = {"hoist-regex": "analyzer.parse.python.regex_hoist:hoist_regex",
         "list-to-deque": "analyzer.parse.python.list_queue:list_to_deque"}


def apply(fix: str, text: Text, unit: CodeUnit, parsed: ParsedFile, taken: set[str] | None = None) -> list[Edit] | None:
    """The line edits of `fix` applied to `unit`, or None (not applicable, or unparsable).
    `taken`: the module-level names earlier fixes of the same file introduce, so that fixes
    applied together (`rustscout fix`) never bind one name twice; each fix adds its own."""
    module_name, _, function = FIXES[fix].partition(":")
    module = import_module(module_name)
    try:
        return getattr(module, function)(text, unit, parsed, taken)
    except (SyntaxError, RecursionError, IndexError, *getattr(module, "PARSE_ERRORS", ())):
        return None
