"""What a Java test file calls, read from its text without a parser.

Tests are never ranked: all that is kept of one is what it calls, to count the tests that
exercise a unit. A Java test in the package of the code it tests imports nothing of it, so
its imports alone do not say what it exercises (`StringUtilsTest` calls `StringUtils.repeat`
twenty times without an import). Half of a Java repository's bytes are often tests (kafka:
28 of 52 MB), and a tree-sitter parse plus a query over them cost as much as the walk of all
the code that is ranked; these regular expressions, run in C, cost a fifth of it.

Read with comments and literals blanked out: calls (`recv.name(args)`, `name(args)`) and
constructions (`new Type(args)`), and declared variables (`Type name` before `=`, `;`, `,`,
`)` or `:`: fields, locals, parameters, loop and catch variables). Targets are qualified as
the walker qualifies them (declared types of variables, explicit and static imports,
java.lang, the same package), and the graph resolves them like any other call, overloads by
their number of arguments. What a regular expression cannot see is left unlinked, never
guessed: a receiver that is itself a call (`a.b().c()`), generic method calls
(`Collections.<T>f()`), a variable declared with two different types in the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from sys import intern

from analyzer.model import CallSite
from analyzer.parse.java.scope import PRIMITIVES, JavaScope

# comments become their line breaks, literals an empty string: lines and argument counts hold.
# A literal is read as runs between escapes: the engine steps once a run, not once a byte.
_NOISE = re.compile(rb'//[^\n]*|/\*.*?\*/|"""(?:[^\\]|\\.)*?"""|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'
                    rb'|\'[^\'\\\n]*+(?:\\.[^\'\\\n]*+)*+\'', re.S)
_TYPE_ARGS = rb'<(?:[^<>;{}()=]|<(?:[^<>;{}()=]|<[^<>;{}()=]*+>)*+>)*+>'
# Both expressions run over the reversed text, where each starts with one fixed character
# (the call's `(`, the declaration's `=;,):`) that the engine finds fast; read forwards, a
# pattern must be tried at every byte (seven times slower on kafka's tests). Possessive
# quantifiers: one that backtracks into an identifier costs its length squared.
_TYPE_ARGS_REVERSED = _TYPE_ARGS.translate(bytes.maketrans(b"<>", b"><"))
_DECLARATION_REVERSED = re.compile(rb'[=;,):]\s*+([\w$]++)\s++((?:\]\s*+\[\s*+)*+)'
                                   rb'(?:' + _TYPE_ARGS_REVERSED + rb'\s*+)?+([\w$]++(?:\.[\w$]++)*+)(?![\w$.@])')
# The byte before a call, spaces skipped: a `.` (the receiver is another call's result), an `@`
# (an annotation's arguments), a word's last (`Type name(` declares a method) or punctuation.
# Looked ahead for by the engine: a look back in Python cost a fifth of the reading. None after
# more than 63 spaces, or after a vertical tab (no space to Java).
_BYTE_BEFORE = rb'(?=(?:[ \t\r\n\f]\s{0,62}+)?+(\S)|)'
_CALL_REVERSED = re.compile(rb'\(\s*+(' + _TYPE_ARGS_REVERSED + rb'\s*+)?+([\w$]++(?:\s*+\.\s*+[\w$]++)*+)'
                            rb'(\s++wen(?![\w$]))?' + _BYTE_BEFORE)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"(),{}")
_WORD_BEFORE = re.compile(rb'\s*([\w$]+)')           # on the reversed text before a name
_TYPE_KEYWORDS = (b"class", b"interface", b"enum", b"record")
_TYPE_DECLARATION = re.compile(rb'\b(?:' + b"|".join(_TYPE_KEYWORDS) + rb')\s+([A-Za-z_$][\w$]*)')
# a word before `name(` that leaves it an expression; any other word makes it a declaration
_EXPRESSION_WORDS = frozenset(w[::-1] for w in (b"return", b"throw", b"else", b"case", b"yield", b"assert", b"do",
                                                  b"new"))   # reversed, as read
_NOT_CALLS = frozenset({"if", "for", "while", "switch", "catch", "synchronized", "return", "throw", "this", "super",
                        "try", "assert", "yield", "case", "else", "do", "new"})
_NOT_RECEIVERS = frozenset({"this", "super"})
_NOT_CLASSES = PRIMITIVES | {"void", "var"}   # `var`: inferred, unknown here


def clean(data: bytes) -> bytes:
    """The text with comments as their line breaks and literals as `""`: lines and argument
    counts hold, and nothing inside a string or comment is read as code."""
    return _NOISE.sub(_blank, data)


def declared_types(code: bytes) -> list[str]:
    """The simple names of the types a cleaned text declares. The expression is tried only where
    bytes.find sees a keyword: left to itself, the engine tries it at every byte (three times slower)."""
    names, end = [], 0
    for at in sorted(at for keyword in _TYPE_KEYWORDS for at in _occurrences(code, keyword)):
        match = _TYPE_DECLARATION.match(code, at) if at >= end else None
        if match:
            names.append(match.group(1).decode())
            end = match.end()                              # as finditer: matches do not overlap
    return names


def _occurrences(data: bytes, word: bytes) -> Iterator[int]:
    at = data.find(word)
    while at >= 0:
        yield at
        at = data.find(word, at + 1)


def calls(code: bytes, scope: JavaScope) -> tuple[CallSite, ...]:
    """Each distinct (target, number of arguments) a cleaned text calls or constructs, at its
    first line. Loop depth is left at 0: test code is never timed, only its references count."""
    reader = _Reader(code, scope)
    found: dict[tuple[str, int], int] = {}
    line, last = 1, 0
    for call in _calls(code):
        targets = reader.targets(*call)
        if targets:
            paren = call[1]
            arity = reader.arity(paren)
            for target in targets:
                if (target, arity) not in found:         # most calls repeat one found: no line to count
                    line += code.count(b"\n", last, paren)
                    last = paren
                    found[target, arity] = line
    return tuple(CallSite(intern(t), at, 0, arity=n) for (t, n), at in sorted(found.items(), key=lambda i: i[1]))


def _calls(code: bytes) -> list[tuple[int, int, bytes | None, bytes | None, bytes, bytes]]:
    """(start, `(`, byte before or None, type constructed or None, receiver, method name) of
    each call, in order."""
    end, found = len(code), []
    for match in _CALL_REVERSED.finditer(code[::-1]):
        type_args, words, new, before = match.groups()
        words = b"".join(words[::-1].split())
        if new:
            found.append((end - match.end(), end - 1 - match.start(), before, words, b"", b""))
        elif not type_args:
            chain, _, name = words.rpartition(b".")
            found.append((end - match.end(), end - 1 - match.start(), before, None, chain, name))
    return found[::-1]


def _blank(match: re.Match) -> bytes:
    found = match.group()
    breaks = b"\n" * found.count(b"\n")
    return b'""' + breaks if found[:1] in (b'"', b"'") else breaks or b" "


class _Reader:
    """One file's calls: what a receiver's name means there, and what each `(` holds.
    A call's targets depend on its words alone, except after a `.` (the receiver is what
    came before) and for a bare name (which may be a method's declaration): those are read
    at their place, the rest once per file."""

    def __init__(self, code: bytes, scope: JavaScope):
        self.code, self.scope = code, scope
        self.type_names: dict[bytes, str | None] = {}  # a type as written -> qualified
        self.commas, self.openers = _arguments(code)
        self.types = _variable_types(code, self.type_name)
        self.created: dict[int, str | None] = {}       # `(` index of a `new T(` -> T
        self.known: dict[tuple, list[str]] = {}
        self.opened, self.closed = _Tally(code, b"("), _Tally(code, b")")

    def type_name(self, written: bytes) -> str | None:
        """The qualified type a written one names, None for one without methods; a file
        writes few types, many times each."""
        if written not in self.type_names:
            self.type_names[written] = _type_name(written.decode(), self.scope)
        return self.type_names[written]

    def arity(self, paren: int) -> int:
        commas = self.commas[self.opened.before(paren)]
        if commas:
            return commas + 1
        return 0 if self.code[paren + 1:paren + 65].lstrip()[:1] == b")" else 1

    def targets(self, start: int, paren: int, before: bytes | None, new_type: bytes | None, chain: bytes,
                name: bytes) -> list[str]:
        if before == b"@":                             # an annotation's arguments
            return []
        if new_type is not None:
            owner = self.type_name(new_type)
            self.created[self.opened.before(paren)] = owner
            return [f"new:{owner}"] if owner and before != b"." else []
        if before == b".":                             # `new T(...).name(`, or another call's result
            owner = None if chain else self._created_before(start)
            return [f"{owner}.{name.decode()}"] if owner else []
        found = self.known.get((chain, name))
        if found is None:
            found = self.known[chain, name] = self._named(chain, name.decode())
        return [] if found and not chain and self._declares(start, before) else found

    def _named(self, chain: bytes, name: str) -> list[str]:
        if name in _NOT_CALLS:
            return []
        if not chain:
            return _unqualified(name, self.scope)
        owner = _receiver(chain.decode(), self.scope, self.types)
        return [f"{owner}.{name}"] if owner else []

    def _created_before(self, name: int) -> str | None:
        """The type of `new T(...)` when that is the receiver; any other call's result is unknown."""
        close = self.code.rfind(b")", 0, name)
        if close < 0 or self.code[close + 1:name].strip() != b".":
            return None
        closed = self.closed.before(name)             # that `)` is the last before the name
        return self.created.get(self.openers[closed - 1])

    def _declares(self, start: int, before: bytes | None) -> bool:
        """`void name(` or `Type name(`: a method declared, not a call."""
        if before is not None and not (before.isalnum() or before in b"_$"):
            return False                               # `;`, `(`, `=`...: no word before the name
        word = _WORD_BEFORE.match(self.code[max(0, start - 64):start][::-1])
        return word is not None and word.group(1) not in _EXPRESSION_WORDS


class _Tally:
    """How many times one byte occurs before a place, asked in order of place: the text is
    counted once, not from its start each time."""

    def __init__(self, code: bytes, byte: bytes):
        self.code, self.byte = code, byte
        self.at, self.count = 0, 0

    def before(self, at: int) -> int:
        self.count += self.code.count(self.byte, self.at, at)
        self.at = at
        return self.count


def _unqualified(name: str, scope: JavaScope) -> list[str]:
    """A call without a receiver reaches code under test only through a static import; the
    test class's own helpers are not code under test. Each class imported with
    `import static C.*` may hold it: the graph links the one that does."""
    if name in scope.static_members:
        return [scope.static_members[name]]
    return [f"{owner}.{name}" for owner in scope.on_demand]


def _receiver(written: str, scope: JavaScope, types: dict[str, str | None]) -> str | None:
    """The qualified type a call's receiver has: a variable's declared type, else a type
    named directly (`StringUtils.repeat`, `java.util.Arrays.fill`); None when unknown."""
    head, dot, rest = written.partition(".")
    if head in _NOT_RECEIVERS:
        return types.get(rest) if head == "this" and rest and "." not in rest else None
    if not dot:
        return types[written] if written in types else scope.qualify_type(written)
    return scope.qualify_type(written)


def _variable_types(code: bytes, type_name: Callable[[bytes], str | None]) -> dict[str, str | None]:
    """Variable name -> declared type, over the whole file (fields, locals, parameters). A
    name declared with two different types is ambiguous here: None, so no call is linked."""
    types: dict[str, str | None] = {}
    for match in _DECLARATION_REVERSED.finditer(code[::-1]):
        name, dimensions, written = match.groups()
        name, written = name[::-1], written[::-1]
        if not written.rpartition(b".")[2][:1].isupper() or name[:1].isdigit():
            continue
        declared = None if dimensions else type_name(written)
        name = name.decode()
        types[name] = declared if types.get(name, declared) == declared else None
    return types


def _type_name(written: str, scope: JavaScope) -> str | None:
    written = "".join(written.split())
    return None if written in _NOT_CLASSES else scope.qualify_type(written)


def _arguments(code: bytes) -> tuple[list[int], list[int]]:
    """For the n-th `(`: how many commas its list holds directly (not in a lambda's or an
    anonymous class's braces); for the n-th `)`: the number of its `(` (-1 when unmatched).
    One pass over the brackets and commas alone, squeezed out of the text in C."""
    commas, openers, stack = [], [], []
    for char in code.translate(None, _NOT_BRACKETS):
        if char == 44:                                 # ,
            if stack and stack[-1] >= 0:
                commas[stack[-1]] += 1
        elif char == 40:                               # (
            stack.append(len(commas))
            commas.append(0)
        elif char == 123:                              # {
            stack.append(-1)
        else:                                          # ) }
            opened = stack.pop() if stack else -1
            if char == 41:
                openers.append(opened)
    return commas, openers
