"""hoist-regex: a libcst codemod that moves regexes compiled on every call to module level.

`re.compile(r"...")`, `re.match(r"...", s)` and friends inside a function compile (or look
up in re's cache) the pattern on every call. The pattern becomes a module-level constant
after the module's imports (all of them: see placement) and the call uses it:
`_PARSE_LINE_RE.match(s)`. Only calls whose pattern is a literal and whose flags are static
are rewritten; nothing is run.

Only the statements that hold such calls go through libcst: parsing and visiting a large
module costs a second or more, a statement about a millisecond. The function's span, the
module's imports and the end of its import block come from the parse stage, so the file
itself is never parsed again; `ast` reads the function alone to find the statements.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from analyzer.model import CodeUnit, ParsedFile, UnitKind
from analyzer.parse.edits import Edit, Text, replacing, split_lines
from analyzer.parse.python import placement
from analyzer.parse.python.rewrite import function_tree

PARSE_ERRORS = (cst.ParserSyntaxError,)
REGEX_FUNCTIONS = {"compile": 1, "match": 2, "search": 2, "fullmatch": 2, "sub": 4, "subn": 4,
                   "split": 3, "findall": 2, "finditer": 2}   # name -> position of `flags`


@dataclass
class _Hoisted:
    name: str
    pattern: str
    flags: str | None


@dataclass
class _RegexNames:
    """How this module refers to the `re` module and its functions."""
    module_alias: str | None = None
    functions: dict[str, str] = field(default_factory=dict)   # local name -> re function

    @classmethod
    def of(cls, parsed: ParsedFile) -> "_RegexNames":
        names = cls()
        module_id = parsed.units[0].id if parsed.units else None
        for imp in parsed.imports:
            if imp.unit != module_id or imp.module != "re":
                continue
            if imp.name is None:
                names.module_alias = imp.alias
            else:
                names.functions[imp.alias] = imp.name
        return names

    def resolve(self, base: str | None, attr: str | None, name: str | None) -> str | None:
        """The re function behind `alias.attr` (base, attr) or a bare imported `name`."""
        found = attr if base is not None and base == self.module_alias else self.functions.get(name or "")
        return found if found in REGEX_FUNCTIONS else None

    def of_ast(self, func: ast.AST) -> str | None:
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            return self.resolve(func.value.id, func.attr, None)
        return self.resolve(None, None, func.id) if isinstance(func, ast.Name) else None

    def of_cst(self, func: cst.BaseExpression) -> str | None:
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name):
            return self.resolve(func.value.value, func.attr.value, None)
        return self.resolve(None, None, func.value) if isinstance(func, cst.Name) else None


class _Hoister(cst.CSTTransformer):
    """Rewrites every qualifying call of the snippets it visits; remembers the constants."""

    def __init__(self, function: str, names: _RegexNames, taken: set[str]):
        self.function, self.names, self.taken = function, names, taken
        self.hoisted: list[_Hoisted] = []
        self._code = cst.Module([]).code_for_node

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        function = self.names.of_cst(updated.func)
        split = _split_args(function, updated.args, self.names) if function else None
        if split is None:
            return updated
        pattern, flags, rest = split
        constant = self._constant(self._code(pattern), flags and self._code(flags))
        if function == "compile":
            return cst.Name(constant)
        return updated.with_changes(func=cst.Attribute(cst.Name(constant), cst.Name(function)), args=rest)

    def _constant(self, pattern: str, flags: str | None) -> str:
        for hoisted in self.hoisted:
            if (hoisted.pattern, hoisted.flags) == (pattern, flags):
                return hoisted.name
        base = f"_{self.function.strip('_').upper()}_RE"
        name, n = base, 2
        while name in self.taken:
            name, n = f"{base}_{n}", n + 1
        self.taken.add(name)
        self.hoisted.append(_Hoisted(name, pattern, flags))
        return name


def _literal(node: cst.BaseExpression) -> bool:
    if isinstance(node, cst.SimpleString):
        return True
    return isinstance(node, cst.ConcatenatedString) and _literal(node.left) and _literal(node.right)


def _split_args(function: str, args, names: "_RegexNames"):
    """(pattern, flags, the other arguments) when pattern and flags are static, else None."""
    if not args or args[0].keyword is not None or any(a.star for a in args) or not _literal(args[0].value):
        return None
    flags, rest = None, []
    for i, arg in enumerate(args[1:], start=1):
        if (arg.keyword is not None and arg.keyword.value == "flags") or \
                (arg.keyword is None and i == REGEX_FUNCTIONS[function]):
            flags = arg.value
        else:
            rest.append(arg)
    if flags is not None and not _static_flags(flags, names):
        return None
    if rest:
        rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return args[0].value, flags, rest


def _static_flags(node: cst.BaseExpression, names: _RegexNames) -> bool:
    """Literals and the re module's own flags (re.I | re.M): anything else may vary per call."""
    if isinstance(node, cst.Integer):
        return True
    if isinstance(node, cst.Attribute):
        return isinstance(node.value, cst.Name) and node.value.value == names.module_alias
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr) \
        and _static_flags(node.left, names) and _static_flags(node.right, names)


def hoist_regex(text: Text, unit: CodeUnit, parsed: ParsedFile, taken: set[str] | None = None) -> list[Edit] | None:
    """The edits (replaced line ranges) that hoist the function's literal patterns. `taken`:
    names other fixes of this file already introduced (kept unique across them; updated)."""
    names = _RegexNames.of(parsed)
    if unit.kind != UnitKind.FUNCTION or not _re_bound(text, parsed, names, unit):
        return None
    hoister = _Hoister(unit.name, names, set(placement.module_names(text)) | (taken or set()))
    edits = [e for block in _blocks(_calls(function_tree(text.lines, unit), names))
             for e in [_rewrite(text.lines, block, hoister)] if e is not None]
    if not hoister.hoisted:
        return None
    if taken is not None:
        taken.update(h.name for h in hoister.hoisted)
    return [*_constants(text, hoister, names, placement.after_imports(parsed, unit)), *edits]


def _re_bound(text: Text, parsed: ParsedFile, names: _RegexNames, unit: CodeUnit) -> bool:
    """`re` is bound at module level above the function, outside any block (try/if), so the
    constants, placed after the imports, can use it."""
    module_id = parsed.units[0].id if parsed.units else None
    binding = [i.line for i in parsed.imports if i.unit == module_id and i.module == "re"]
    return (names.module_alias is not None or bool(names.functions)) and \
        placement.bound_above(parsed, text, binding, unit)


def _calls(function: ast.AST, names: _RegexNames) -> list[ast.Call]:
    """Qualifying calls not nested in another qualifying call (the outer one carries both)."""
    found = [n for n in ast.walk(function) if _qualifies(n, names)]
    spans = [(c.lineno, c.col_offset, c.end_lineno, c.end_col_offset) for c in found]
    return sorted((c for c, (l1, c1, l2, c2) in zip(found, spans)
                   if not any((o[0], o[1]) <= (l1, c1) and (l2, c2) <= (o[2], o[3]) and o != (l1, c1, l2, c2)
                              for o in spans)), key=lambda c: (c.lineno, c.col_offset))


def _blocks(calls: list[ast.Call]) -> list[list[ast.Call]]:
    """Calls on the same or overlapping lines are rewritten together."""
    blocks: list[list[ast.Call]] = []
    for call in calls:
        if blocks and call.lineno <= blocks[-1][-1].end_lineno:
            blocks[-1].append(call)
        else:
            blocks.append([call])
    return blocks


def _rewrite(lines, block: list[ast.Call], hoister: _Hoister) -> Edit | None:
    """Each call's own text goes through libcst, in source order (so constants are numbered
    as the calls appear), and is spliced back right to left. ast columns are UTF-8 offsets."""
    first, last = block[0].lineno, max(c.end_lineno for c in block)
    raw = b"".join(line.encode("utf-8") for line in lines[first - 1:last])
    starts = [0]
    for line in lines[first - 1:last]:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    spans = [(starts[c.lineno - first] + c.col_offset, starts[c.end_lineno - first] + c.end_col_offset)
             for c in block]
    try:
        rewritten = [cst.Module([]).code_for_node(cst.parse_expression(raw[a:b].decode()).visit(hoister))
                     for a, b in spans]
    except cst.ParserSyntaxError:
        return None
    for (a, b), new in reversed(list(zip(spans, rewritten))):
        raw = raw[:a] + new.encode() + raw[b:]
    return replacing(first, lines[first - 1:last], split_lines(raw.decode()))


def _qualifies(node: ast.AST, names: _RegexNames) -> bool:
    return isinstance(node, ast.Call) and bool(node.args) and names.of_ast(node.func) is not None \
        and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, (str, bytes))


def _constants(text: Text, hoister: _Hoister, names: _RegexNames, at: int) -> list[Edit]:
    """The constants after line `at` (the import block), set off by a blank line; `import re`
    first when the module only imports names from re."""
    alias = names.module_alias or "re"
    new = [f"{h.name} = {alias}.compile({h.pattern}" + (f", {h.flags}" if h.flags else "") + ")\n"
           for h in hoister.hoisted]
    block = Edit(at + 1, at, ("\n", *new) if at else (*new, "\n"))
    return [placement.add_import(text, at, "import re"), block] if names.module_alias is None else [block]
