"""Java parser: tree-sitter (tree-sitter-java), one walk per file.

Files that tree-sitter reads only in part (ERROR nodes) keep the units it could read and get
an error entry naming the lines. Tests and generated code are read for their imports only,
with a regular expression, as for Python; a test also for what it calls (mentions.py), as a
Java test needs no import of the package it tests.
"""

from __future__ import annotations

import re
from dataclasses import replace

from analyzer.model import CodeUnit, FileError, Import, ParsedFile, SourceFile, UnitKind, unit_id
from analyzer.parse import directives
from analyzer.parse.java import mentions
from analyzer.parse.java.scope import JavaScope
from analyzer.parse.java.nodes import Field, text
from analyzer.parse.java.nodes import line as line_of
from analyzer.parse.java.walker import TYPE_DECLS, JavaWalker
from analyzer.parse.sniff import looks_generated, too_dense, unreadable

_PARSER = None
# the name greedy: what may follow it (`.*`, blanks, `;`) splits a line one way only, and the
# engine takes a lazy name a byte at a time, four times slower
_IMPORT = re.compile(rb"^[ \t]*import[ \t]+(static[ \t]+)?([\w.]+)(\.\*)?[ \t]*;", re.M)
_PACKAGE = re.compile(rb"^[ \t]*package[ \t]+([\w.]+)[ \t]*;", re.M)
ERROR_LINES_SHOWN = 8
_DECLARATIONS = TYPE_DECLS | {"method_declaration", "constructor_declaration"}


def _parser():
    """One parser per process (workers are forked before any parse)."""
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_java
        language = tree_sitter.Language(tree_sitter_java.language())
        Field.load(language)
        _PARSER = tree_sitter.Parser(language)
    return _PARSER


def parse_file(file: SourceFile, data: bytes, full: bool = True) -> ParsedFile:
    problem = unreadable(data)
    if problem:
        return ParsedFile.failed(file, *problem)
    generated = looks_generated(file.path, data[:4096])
    if generated:
        return _imports_only(file, data, generated)
    dense = too_dense(data)
    if not full:
        return _test_file(file, data) if not dense else _imports_only(file, data, False)
    if dense:
        return ParsedFile.failed(file, "size", dense)
    root = _parser().parse(data).root_node
    scope = _scope(root)
    walker = JavaWalker(scope, file.path, data)
    units = walker.run(root, file.path.rpartition("/")[2].removesuffix(".java"))
    imports = _imports(root, scope, units[0].id)
    error = _partial(file, root) if root.has_error else None
    return ParsedFile(file, scope.package, tuple(units), imports, tuple(sorted(walker.mutable_globals)), 0,
                      generated, tuple(sorted(walker.markers)), error, directives=_directives(root, data))


def _directives(root, data: bytes) -> directives.Directives:
    """`// rustscout: ignore[...]` comments (block comments too), and the declarations whose
    annotations start above their name line; the tree is walked only when a directive may be there."""
    if directives.MARK not in data:
        return ()
    comments, headers, pending = [], {}, [root]
    while pending:
        node = pending.pop()
        if node.type in ("line_comment", "block_comment"):
            rules = directives.rules_of(text(node))
            if rules is not None:
                comments.append((line_of(node), rules, not _before(data, node).strip()))
        elif node.type in _DECLARATIONS and node.child_by_field_name("name") is not None:
            headers[line_of(node)] = line_of(node.child_by_field_name("name"))
        pending.extend(node.children)
    return directives.placed(comments, {k: v for k, v in headers.items() if k != v})


def _before(data: bytes, node) -> bytes:
    """The text on a comment's line before it: blank when the comment stands alone."""
    start = node.start_byte
    return data[data.rfind(b"\n", 0, start) + 1:start]


def _scope(root) -> JavaScope:
    scope = JavaScope("")
    for node in root.named_children:
        kind = node.type
        if kind == "package_declaration":
            scope.package = text(next(c for c in node.named_children if c.type != "annotation"))
        elif kind == "import_declaration":
            scope.bind(*_import(node))
    _declare(root, scope, "")
    return scope


def _import(node) -> tuple[str, bool, bool]:
    """An import's name, whether it is static, and whether it imports every member (.*)."""
    children = node.children
    kinds = [c.type for c in children]   # read once: three questions are asked of them
    name = next((text(c) for c, kind in zip(children, kinds) if kind in ("scoped_identifier", "identifier")), "")
    return name, "static" in kinds, "asterisk" in kinds


def _declare(node, scope: JavaScope, outer: str) -> None:
    """Every type declared in the file, nested ones too, by simple name."""
    pending = [(node, outer)]
    while pending:
        current, prefix = pending.pop()
        for child in current.named_children:
            kind = child.type
            if kind in TYPE_DECLS:
                name = text(child.child_by_field_id(Field.name))
                qualified = f"{prefix}.{name}" if prefix else (f"{scope.package}.{name}" if scope.package else name)
                scope.declared.setdefault(name, qualified)
                body = child.child_by_field_id(Field.body)
                if body is not None:
                    pending.append((body, qualified))
            elif kind in ("class_body", "enum_body", "interface_body", "enum_body_declarations"):
                pending.append((child, prefix))


def _imports(root, scope: JavaScope, module_id: str) -> tuple[Import, ...]:
    found = []
    for node in root.named_children:
        if node.type == "import_declaration":
            name, _, every = _import(node)
            if every:
                found.append(Import(name, "*", "*", node.start_point[0] + 1, module_id))
            else:
                found.append(Import(name, None, name.rpartition(".")[2], node.start_point[0] + 1, module_id))
    return tuple(found)


def _partial(file: SourceFile, root) -> FileError:
    lines, pending = [], [root]
    while pending and len(lines) < ERROR_LINES_SHOWN:
        node = pending.pop()
        if node.type == "ERROR" or node.is_missing:
            lines.append(node.start_point[0] + 1)
        elif node.has_error:
            pending.extend(reversed(node.children))
    shown = ", ".join(str(n) for n in sorted(set(lines)))
    return FileError(file.path, f"read in part: syntax errors at line(s) {shown}; facts from the rest", "partial")


def _test_file(file: SourceFile, data: bytes) -> ParsedFile:
    """A file that is never ranked: its imports, and what it calls on its one (module) unit,
    both read from its text (mentions.py)."""
    imports = _import_lines(data)
    found, code = _imports_only(file, data, False, imports), mentions.clean(data)
    scope = _text_scope(imports, code, found.module, found.units[0].name)
    return replace(found, units=(replace(found.units[0], calls=mentions.calls(code, scope)),))


def _text_scope(imports: list[re.Match], code: bytes, package: str, stem: str) -> JavaScope:
    """The scope `_scope` reads from a tree, from the text: a type declared in the file other
    than its own is taken as nested in it (a test's own helpers; they link to nothing)."""
    scope = JavaScope(package)
    for match in imports:
        scope.bind(match.group(2).decode(), bool(match.group(1)), bool(match.group(3)))
    top = f"{package}.{stem}" if package else stem
    for name in mentions.declared_types(code):
        scope.declared.setdefault(name, top if name == stem else f"{top}.{name}")
    return scope


def _import_lines(data: bytes) -> list[re.Match]:
    """_IMPORT's matches, tried only on the lines that hold `import`: bytes.find skips the others,
    where the engine would try the expression at every byte (`^` is no prefix it can search for)."""
    found, at = [], data.find(b"import")
    while at >= 0:
        match = _IMPORT.match(data, data.rfind(b"\n", 0, at) + 1)
        if match:
            found.append(match)
        end = data.find(b"\n", at)                     # an import is one line
        at = data.find(b"import", end) if end >= 0 else -1
    return found


def _imports_only(file: SourceFile, data: bytes, generated: bool,
                  matches: list[re.Match] | None = None) -> ParsedFile:
    """The file's module unit and its imports (`matches`: the import lines, when already found)."""
    package = _PACKAGE.search(data)
    uid = unit_id("java", file.path)
    imports, line, last = [], 1, 0
    for match in _import_lines(data) if matches is None else matches:
        line += data.count(b"\n", last, match.start())
        last = match.start()
        name = match.group(2).decode()
        if match.group(3):
            imports.append(Import(name, "*", "*", line, uid))
        elif not match.group(1):
            imports.append(Import(name, None, name.rpartition(".")[2], line, uid))
    end = data.count(b"\n") + 1
    module = CodeUnit(uid, str(UnitKind.MODULE), "java", file.path, file.path.rpartition("/")[2].removesuffix(".java"), "",
                      1, end, None)
    return ParsedFile(file, package.group(1).decode() if package else "", (module,), tuple(imports), (), 0,
                      generated)
