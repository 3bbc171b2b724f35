"""What the codemods share: one function's own syntax tree, and text replaced at the byte
offsets ast gives (UTF-8 columns), turned into line edits that touch only changed lines."""

from __future__ import annotations

import ast
from typing import Sequence

from analyzer.model import CodeUnit
from analyzer.parse.edits import Edit, replacing, split_lines

Span = tuple[int, int, int, int]   # (line, column, end line, end column) as ast counts them


def function_tree(lines: Sequence[str], unit: CodeUnit) -> ast.FunctionDef:
    """The function alone, parsed with its line numbers as in the file."""
    text = "".join(lines[unit.start - 1:unit.end])
    indented = text[:1] in (" ", "\t")
    tree = ast.parse(("if 1:\n" if indented else "") + text)
    node = tree.body[0].body[0] if indented else tree.body[0]
    ast.increment_lineno(node, unit.start - 1 - (1 if indented else 0))
    return node


def span(node: ast.AST) -> Span:
    return node.lineno, node.col_offset, node.end_lineno, node.end_col_offset


def source_of(lines: Sequence[str], where: Span) -> str:
    first, col, last, end = where
    raw = "".join(lines[first - 1:last]).encode("utf-8")
    start = col
    stop = len("".join(lines[first - 1:last - 1]).encode("utf-8")) + end
    return raw[start:stop].decode("utf-8")


def splice(lines: Sequence[str], replacements: Sequence[tuple[Span, str]]) -> list[Edit]:
    """One edit per run of lines that replacements touch (they must not overlap)."""
    groups: list[list[tuple[Span, str]]] = []
    for item in sorted(replacements):
        if groups and item[0][0] <= max(r[0][2] for r in groups[-1]):
            groups[-1].append(item)
        else:
            groups.append([item])
    return [_edit(lines, group) for group in groups]


def _edit(lines: Sequence[str], group: list[tuple[Span, str]]) -> Edit:
    first, last = group[0][0][0], max(where[2] for where, _ in group)
    starts = [0]
    for line in lines[first - 1:last]:
        starts.append(starts[-1] + len(line.encode("utf-8")))
    raw = b"".join(line.encode("utf-8") for line in lines[first - 1:last])
    for (l1, c1, l2, c2), new in reversed(group):
        raw = raw[:starts[l1 - first] + c1] + new.encode("utf-8") + raw[starts[l2 - first] + c2:]
    return replacing(first, lines[first - 1:last], split_lines(raw.decode("utf-8")))
