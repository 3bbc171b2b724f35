"""Line edits, and the unified diff they make, computed from the edits themselves.

Diffing a whole file again for every fix (difflib) is quadratic in practice: a 900 KB
module with thousands of fixes took minutes. The edits already say which lines change, so
only those lines and their context are looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

CONTEXT = 3
# Python ends a line at \r\n, \r or \n, and nowhere else: str.splitlines also splits at a
# form feed (legal in indentation), \x1c-\x1e, \x85 and \u2028, which would shift every line.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_LONE_CR = re.compile(r"\r(?!\n)")


def split_lines(source: str) -> list[str]:
    """Lines as Python reads them, each with its own line ending."""
    return _LINE.findall(source)


@dataclass(frozen=True)
class Text:
    """A file's text and its lines, split once however many fixes read it."""
    source: str
    lines: tuple[str, ...]
    newline: str = "\n"        # the file's own line ending, for lines a fix adds

    @classmethod
    def of(cls, source: str) -> "Text":
        ending = re.search(r"\r\n|\r|\n", source)
        return cls(source, tuple(split_lines(source)), ending.group(0) if ending else "\n")


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace lines first..last (1-based, inclusive) with `lines`; last = first - 1 inserts
    before line `first`."""
    first: int
    last: int
    lines: tuple[str, ...]


def replacing(first: int, old: Sequence[str], new: Sequence[str]) -> Edit:
    """An edit of old lines first.. into `new`, without the lines both share at either end,
    so a patch shows only the lines that change."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return Edit(first + head, first + len(old) - tail - 1, tuple(new[head:len(new) - tail]))


def apply(source: str, edits: Sequence[Edit]) -> str:
    lines = split_lines(source)
    for edit in sorted(edits, key=lambda e: (e.first, e.last), reverse=True):
        lines[edit.first - 1:edit.last] = list(edit.lines)
    return "".join(lines)


def unified_diff(path: str, text: Text, edits: Sequence[Edit]) -> str:
    """The diff `git apply` takes: hunks of the edits with three lines of context. Added
    lines take the file's line ending."""
    # an edit may rewrite a line it keeps (placement.add_import): the diff shows only the change
    edits = [replacing(e.first, text.lines[e.first - 1:e.last], e.lines) for e in with_endings(text, edits)]
    if _LONE_CR.search(text.source):
        return _whole_lines_diff(path, text, edits)
    old = text.lines
    out = [f"--- a/{path}\n", f"+++ b/{path}\n"]
    shift = 0
    for group in _groups(sorted(edits, key=lambda e: (e.first, e.last)), len(old)):
        hunk, shift = _hunk(old, group, shift)
        out.extend(hunk)
    return "".join(out)


def with_endings(text: Text, edits: Sequence[Edit]) -> list[Edit]:
    """The edits with the lines they add ending as the file's own lines do."""
    return [Edit(e.first, e.last, tuple(_ending(line, text.newline) for line in e.lines)) for e in edits]


def _ending(line: str, newline: str) -> str:
    return line[:-1] + newline if line.endswith("\n") and not line.endswith("\r\n") else line


def _whole_lines_diff(path: str, text: Text, edits: Sequence[Edit]) -> str:
    """git and patch end lines at \n only: in a file with bare \r line endings (old Mac
    style) Python's lines are not theirs. Such a file gets one hunk over git's lines."""
    old = text.source.split("\n")
    new = apply(text.source, edits).split("\n")
    head = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    ends = lambda lines: [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    before, after = ends(old)[head:len(ends(old)) - tail], ends(new)[head:len(ends(new)) - tail]
    header = f"@@ -{head + 1},{len(before)} +{head + 1},{len(after)} @@\n"
    return "".join([f"--- a/{path}\n", f"+++ b/{path}\n", header, *("-" + _line(l) for l in before),
                    *("+" + _line(l) for l in after)])


def _groups(edits: list[Edit], size: int) -> list[list[Edit]]:
    """Edits whose context windows touch share a hunk."""
    groups: list[list[Edit]] = []
    for edit in edits:
        if groups and edit.first - CONTEXT <= groups[-1][-1].last + CONTEXT + 1:
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return groups


def _hunk(old: Sequence[str], group: list[Edit], shift: int) -> tuple[list[str], int]:
    start = max(1, group[0].first - CONTEXT)
    end = min(len(old), max(e.last for e in group) + CONTEXT)
    body, line, added, removed = [], start, 0, 0
    for edit in group:
        body += [" " + _line(old[n - 1]) for n in range(line, edit.first)]
        body += ["-" + _line(old[n - 1]) for n in range(edit.first, edit.last + 1)]
        body += ["+" + _line(text) for text in edit.lines]
        removed += edit.last - edit.first + 1
        added += len(edit.lines)
        line = edit.last + 1
    body += [" " + _line(old[n - 1]) for n in range(line, end + 1)]
    old_len = end - start + 1
    new_len = old_len - removed + added
    header = f"@@ -{start},{old_len} +{start + shift},{new_len} @@\n"
    return [header, *body], shift + added - removed


def _line(text: str) -> str:
    return text if text.endswith("\n") else text + "\n\\ No newline at end of file\n"
