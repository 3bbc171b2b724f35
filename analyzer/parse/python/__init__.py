"""Python parser: the standard library's `ast`, one walk per file.

libcst is kept for the places where a lossless round trip matters (the codemods that write
patches); for reading facts, `ast` is about ten times faster to parse and the facts need
no whitespace. radon's complexity rules are reproduced in the walk instead of run as a
second pass (tests check that the numbers agree).
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize

from analyzer.model import CodeUnit, Import, ParsedFile, SourceFile, UnitKind, unit_id
from analyzer.parse import directives
from analyzer.parse.python import mentions
from analyzer.parse.python.prescan import prescan
from analyzer.parse.python.scope import FileScope
from analyzer.parse.python.walker import Walker
from analyzer.parse.sniff import looks_generated, too_dense, unreadable

_PY2_HINTS = ("Missing parentheses in call to 'print'", "Missing parentheses in call to 'exec'",
              "multiple exception types must be parenthesized")


def parse_file(file: SourceFile, data: bytes, full: bool = True) -> ParsedFile:
    """Units and facts of one file; with full=False (tests, build scripts, generated code)
    only its imports, which is all that is needed of code that is never ranked."""
    problem = unreadable(data)
    if problem:
        return ParsedFile.failed(file, problem[0], problem[1])
    generated = looks_generated(file.path, data[:2048])
    if not full or generated:
        return _imports_only(file, data, generated)
    dense = too_dense(data)
    if dense:
        return ParsedFile.failed(file, "size", dense)
    try:
        tree = ast.parse(data, filename=file.path)
    except SyntaxError as exc:
        kind, message = _syntax_error(exc)
        tree = _newer(data, exc) if kind == "grammar" else None
        if tree is None and kind == "grammar":
            tree = _older(data)
        if not isinstance(tree, ast.Module):
            return ParsedFile.failed(file, *(tree or ("parse" if kind == "grammar" else kind, message)))
    except (RecursionError, MemoryError):
        return ParsedFile.failed(file, "parse", "too deeply nested to analyse")
    except ValueError as exc:
        return ParsedFile.failed(file, "encoding", f"cannot decode: {exc}")
    return _walk(file, data, tree, generated)


def _newer(data: bytes, exc: SyntaxError) -> ast.Module | tuple[str, str] | None:
    """The file read with a newer grammar than this interpreter's (see `newer`), the error
    that says which Python it needs, or None when it is not Python. libcst is imported only
    when a file needs it: it takes a while to load in each worker."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    from analyzer.parse.python.newer import Unlowerable, lowered
    try:
        return lowered(text)
    except Unlowerable:
        running = f"{sys.version_info.major}.{sys.version_info.minor}"
        return "parse", (f"line {exc.lineno or '?'}: syntax of a Python newer than {running}, which rustscout "
                         f"runs on here, laid out so it cannot be read line for line; run rustscout on a newer Python")


def _older(data: bytes) -> ast.Module | None:
    """The file read as Python 2 (see `older`), or None."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        return None
    from analyzer.parse.python.older import upgraded
    return upgraded(text)


def _module_name(file: SourceFile) -> str:
    return file.module.rpartition(".")[2] or file.path.rpartition("/")[2].removesuffix(".py")


# The parenthesised form matches names, commas, spaces and comments only, possessively: an
# unclosed `import (` fails at the next bracket instead of scanning (and backtracking over)
# the rest of the file once per line.
_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+[.\w]+[ \t]+import[ \t]*(?:\((?:[\w \t\r\n,.]|#[^\n]*)*+\)|[^\n]*)"
                     rb"|import[ \t]+[^\n]*)", re.M)


def _imports_only(file: SourceFile, data: bytes, generated: bool) -> ParsedFile:
    """Import statements found by a regular expression and parsed one by one: code that is
    never ranked (tests are 36-58% of large repositories) does not pay for a full parse.
    A match that does not parse on its own (text inside a string) is skipped."""
    scope = FileScope(file.module, file.path.endswith("__init__.py"))
    uid, imports, line, last = unit_id("python", file.path), [], 1, 0
    for match in _IMPORT.finditer(data):
        line += data.count(b"\n", last, match.start())
        last = match.start()
        if match.group(0).count(b"(") != match.group(0).count(b")"):
            continue   # an unclosed list: failing to parse it costs an exception each time
        try:
            stmt = ast.parse(match.group(0).decode("utf-8", "replace").strip()).body[0]
        except (SyntaxError, ValueError, IndexError):
            continue
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports.extend(Import(m, n, a, line, uid) for m, n, a in scope.bind_import(stmt))
    end = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    called = () if generated else mentions.calls(data, imports)   # a test's calls through what it imports
    module = CodeUnit(uid, str(UnitKind.MODULE), "python", file.path, _module_name(file), "", 1, max(end, 1), None,
                      calls=called)
    return ParsedFile(file, file.module, (module,), tuple(imports), (), 0, generated)


def _walk(file: SourceFile, data: bytes, tree: ast.Module, generated: bool) -> ParsedFile:
    scope = FileScope(file.module, file.path.endswith("__init__.py"))
    bindings = prescan(tree.body, scope)
    name = _module_name(file)
    walker = Walker(scope, file.path)
    try:
        units, imports = walker.run(tree, name)
    except RecursionError:
        return ParsedFile.failed(file, "parse", "too deeply nested to analyse")
    state = tuple(sorted((scope.qualify(n), line) for n, line in scope.mutable_globals.items()))
    return ParsedFile(file, file.module, tuple(units), tuple(imports), state, header_end(tree), generated,
                      bindings=bindings, import_ends=import_ends(tree), directives=directives.python(data, tree),
                      returns=tuple(walker.returns), program=_program(data, tree))


def _program(data: bytes, tree: ast.Module) -> bool:
    """Written to be run: a `#!` line, or an `if __name__ == "__main__":` block at the top level."""
    return data.startswith(b"#!") or any(isinstance(node, ast.If) and _main_test(node.test) for node in tree.body)


def _main_test(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    values = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and values == ["__main__"]


def header_end(tree: ast.Module) -> int:
    """Last line of the leading docstring and imports (0 when there are none): where code
    that belongs at the top of the module, such as hoisted constants, goes."""
    end = 0
    for i, node in enumerate(tree.body):
        docstring = i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
            and isinstance(node.value.value, str)
        if docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            end = node.end_lineno or node.lineno
        elif not isinstance(node, (ast.If, ast.Try)):
            break
    return end


def import_ends(tree: ast.Module) -> tuple[int, ...]:
    """The last line of every top-level statement that imports something, itself or in a block
    (`try: import x except ImportError: ...`, `if TYPE_CHECKING: ...`); not inside a def or class."""
    return tuple(node.end_lineno or node.lineno for node in tree.body if _imports(node))


def _imports(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return False
    blocks = [getattr(node, name, ()) for name in ("body", "orelse", "finalbody")]
    blocks += [handler.body for handler in getattr(node, "handlers", ())]
    return any(_imports(child) for block in blocks for child in block)


def _syntax_error(exc: SyntaxError) -> tuple[str, str]:
    """(kind, message): "encoding" and "parse" (nesting) are final; "grammar" may be newer Python."""
    message = (exc.msg or "invalid syntax").splitlines()[0]
    if "unicode error" in message or "Non-UTF-8" in message or "encoding" in message:
        return "encoding", f"cannot decode: {message}"
    if "too many nested" in message or "too many statically nested" in message:
        return "parse", f"too deeply nested to analyse ({message})"
    hint = " (Python 2 code?)" if any(h in message for h in _PY2_HINTS) else ""
    return "grammar", f"syntax error at line {exc.lineno or '?'}: {message}{hint}"

