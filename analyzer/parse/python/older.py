"""Python 2 code, read through 2to3's fixes.

A repository's history goes back to when its code was Python 2: `print x`, `except E, e:`,
backquotes, `<>`, `0777`, `10L`, `ur""`, `exec code`, `raise E, v`. `ast` on Python 3 rejects
such a file, and a file that is not read is never ranked. lib2to3 parses Python 2 and its
fixers rewrite those statements in place; the result is kept only when it has every line
where the file had it, so units, facts and line numbers stay the file's. Nothing is run.

lib2to3 ships with Python up to 3.12; on a newer interpreter such a file stays unread and
is listed with its syntax error.
"""

from __future__ import annotations

import ast
import warnings
from functools import cache

# the fixers that turn Python 2 syntax into Python 3 syntax without adding or removing lines
# (`fix_tuple_params` adds lines; the fixers of names and calls are not needed to parse)
_FIXERS = ("print", "except", "repr", "ne", "numliterals", "exec", "raise", "unicode", "paren")


def upgraded(text: str) -> ast.Module | None:
    """The tree of `text` as Python 2 rewritten line for line, or None when it is not
    Python 2 either (or this interpreter has no lib2to3)."""
    tool = _tool()
    if tool is None:
        return None
    try:
        code = str(tool.refactor_string(text if text.endswith("\n") else text + "\n", "<python 2>"))
    except Exception:   # lib2to3's ParseError, TokenError, IndentationError: not Python 2 either
        return None
    if code.count("\n") != text.count("\n") + (not text.endswith("\n")):
        return None
    try:
        return ast.parse(code)
    except (SyntaxError, RecursionError, ValueError):
        return None


@cache   # loading the grammar takes a while: once per worker
def _tool():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")   # lib2to3 is deprecated: still the only Python 2 parser at hand
        try:
            from lib2to3 import refactor
        except ImportError:
            return None
    return refactor.RefactoringTool([f"lib2to3.fixes.fix_{name}" for name in _FIXERS])
