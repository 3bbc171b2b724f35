"""Suppression comments, read from the source the parse already has: `# rustscout: ignore[FX001]`
(Python) and `// rustscout: ignore[FX001]` (Java), ruff's `# noqa` as the model.

A directive names rule ids or prefixes (`ignore[FX001,AL002]`, `ignore[FX]`), or none for every
rule (`# rustscout: ignore`). It applies to the line it ends, or, alone on its line, to its
line and the next; when that next line starts a declaration (its first decorator or
annotation), to the declaration's `def`/`class`/name line too, which is the line a unit
starts at. (Its own line holds no code, but a module's finding with no evidence line points
at line 1: a directive alone on line 1 is how a module's finding is suppressed.) Which
findings a line covers (its own, or a whole unit's) is decided later, where findings are
(code/suppress.py). The file is tokenized only when the text `rustscout:` is in it, so
files without directives cost one byte search.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Iterable

MARK = b"rustscout:"
_DIRECTIVE = re.compile(r"rustscout:\s*ignore\b(?:\[([^\]]*)\])?")

Directives = tuple[tuple[int, tuple[str, ...]], ...]   # (line, rule ids or prefixes; () for every rule)


def rules_of(comment: str) -> tuple[str, ...] | None:
    """What one comment suppresses: None when it holds no directive, () for every rule."""
    found = _DIRECTIVE.findall(comment)
    if not found:
        return None
    if any(not inside.strip() for inside in found):
        return ()
    return tuple(sorted({p.strip().upper() for inside in found for p in inside.split(",") if p.strip()}))


def merged(placed: Iterable[tuple[int, tuple[str, ...]]]) -> Directives:
    """One entry per line, sorted: every rule wins over a list."""
    by_line: dict[int, set[str] | None] = {}
    for line, rules in placed:
        known = by_line.get(line, set())
        by_line[line] = None if known is None or not rules else known | set(rules)
    return tuple((line, tuple(sorted(rules)) if rules is not None else ()) for line, rules in sorted(by_line.items()))


def placed(comments: Iterable[tuple[int, tuple[str, ...], bool]], headers: dict[int, int]) -> Directives:
    """Comments (line, rules, alone on its line) placed on the lines they cover; `headers`
    maps a declaration's first line (a decorator, an annotation) to the line it starts at."""
    out = []
    for line, rules, alone in comments:
        out.append((line, rules))
        if alone:
            out.append((line + 1, rules))
            if line + 1 in headers:
                out.append((headers[line + 1], rules))
    return merged(out)


def python(data: bytes, tree: ast.Module) -> Directives:
    if MARK not in data:
        return ()
    comments = []
    try:
        for token in tokenize.tokenize(io.BytesIO(data).readline):
            if token.type == tokenize.COMMENT:
                rules = rules_of(token.string)
                if rules is not None:
                    comments.append((token.start[0], rules, not token.line[:token.start[1]].strip()))
    except (tokenize.TokenError, SyntaxError):   # a grammar newer than tokenize's: no directives, never an error
        return ()
    return placed(comments, _decorated(tree)) if comments else ()


def _decorated(tree: ast.Module) -> dict[int, int]:
    """First decorator line -> `def`/`class` line, for decorated definitions."""
    return {node.decorator_list[0].lineno: node.lineno for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.decorator_list}
