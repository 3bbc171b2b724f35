"""Declarations of Java entry points, read from the source text of the scanned repository.

Input: the repository root and a unit id such as
`java:src/main/java/a/Codec.java::Codec.checksum(byte[],int)`. Output: a `Declaration` with
the parameters and return type as written, the modifiers, the Javadoc and the lines.

A method is found by its name and its parameter types (erased as in unit ids); comments and
literals are blanked first so that neither can look like a declaration. Nothing is compiled.
"""

from __future__ import annotations

import re

from analyzer.model.scaffold import Declaration, DeclaredParam
from analyzer.scaffold.errors import ScaffoldError

MODIFIERS = frozenset("public protected private static final abstract native synchronized strictfp default".split())
NOT_A_TYPE = frozenset("return new throw else case yield assert".split())
COMMENT_OR_LITERAL = re.compile(r'/\*.*?\*/|//[^\n]*|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)
ANNOTATION = re.compile(r"@[\w.]+(\s*\([^)]*\))?")
PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)
METHOD_NAME = re.compile(r"(?<![\w.$])([A-Za-z_$][\w$]*)\s*\(")


def masked(text: str) -> str:
    """The text with comments and literals blanked (same length, same lines)."""
    return COMMENT_OR_LITERAL.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


def declare(text: str, path: str, unit_id: str, qualname: str) -> Declaration:
    head, _, args = qualname.partition("(")
    owner, _, name = head.rpartition(".")
    wanted = [a for a in args.rstrip(")").split(",") if a]
    blank = masked(text)
    found = [m for m in _headers(blank, name) if _erased(m[2]) == wanted] or \
            [m for m in _headers(blank, name) if len(m[2]) == len(wanted)]
    if not found:
        raise ScaffoldError(f"{path}: no method {qualname} (the repository changed since the scan? scan again)")
    start, words, params, end = found[0]
    package = PACKAGE.search(blank)
    returns = " ".join(w for w in words if w not in MODIFIERS) or None
    role = "constructor" if name == owner.rpartition(".")[2] else ("function" if "static" in words else "method")
    return Declaration(unit_id, "java", name, head, role, tuple(DeclaredParam(n, t) for t, n in params),
                       None if role == "constructor" else returns, _javadoc(text, start), path,
                       (text.count("\n", 0, start) + 1, text.count("\n", 0, end) + 1), owner,
                       tuple(w for w in words if w in MODIFIERS), (), package.group(1) if package else "")


def public_methods(text: str, qualname: str) -> list[str]:
    """The public methods a class declares itself (not its constructors, nor a nested class's),
    as unit ids write them: `Crc.update(byte[],int,int)`. What a library's users call when
    nothing in the repository does."""
    blank = masked(text)
    body = _class_body(blank, qualname.rpartition(".")[2])
    if body is None:
        return []
    found = set()
    for name in {m.group(1) for m in METHOD_NAME.finditer(blank, *body)} - {qualname.rpartition(".")[2]}:
        for start, words, params, _ in _headers(blank, name):
            if body[0] < start < body[1] and _depth(blank, body[0], start) == 1 and "public" in words:
                found.add(f"{qualname}.{name}({','.join(_erased(params))})")
    return sorted(found)


def _class_body(blank: str, name: str) -> tuple[int, int] | None:
    """Where the body of `class NAME` (interface, enum, record) opens and closes."""
    declared = re.search(rf"\b(?:class|interface|enum|record)\s+{re.escape(name)}\b", blank)
    opening = blank.find("{", declared.end()) if declared else -1
    closing = _matching(blank, opening, "{", "}") if opening >= 0 else -1
    return (opening, closing) if closing > 0 else None


def _depth(blank: str, opening: int, at: int) -> int:
    """How many braces are open at `at`, counted from the class body's own."""
    return blank.count("{", opening, at) - blank.count("}", opening, at)


def _headers(blank: str, name: str):
    """(start, words before the name, [(type, name)], end of body) for each declaration of name."""
    for m in re.finditer(rf"(?<![\w.$]){re.escape(name)}\s*\(", blank):
        close = _matching(blank, m.end() - 1, "(", ")")
        after = blank[close + 1:].lstrip()
        if close < 0 or not (after.startswith("{") or after.startswith(";") or after.startswith("throws")):
            continue
        start = max(blank.rfind(c, 0, m.start()) for c in ";{}") + 1
        words = ANNOTATION.sub(" ", blank[start:m.start()]).split()
        if not words and name[:1].islower() or words and words[-1] in NOT_A_TYPE:
            continue
        body = blank.find("{", close)
        semi = blank.find(";", close)
        end = semi if body < 0 or 0 <= semi < body else _matching(blank, body, "{", "}")
        start += len(blank[start:]) - len(blank[start:].lstrip())
        yield start, _type_words(words), _split_params(blank[m.end():close]), max(end, close)


def _matching(text: str, at: int, open_: str, close: str) -> int:
    depth = 0
    for i in range(at, len(text)):
        depth += (text[i] == open_) - (text[i] == close)
        if depth == 0:
            return i
    return -1


def _type_words(words: list[str]) -> list[str]:
    """Modifiers and the return type, with generic type parameters (<T>) kept whole."""
    joined = " ".join(words)
    joined = re.sub(r"^((?:\w+\s+)*)<[^()]*?>\s+", r"\1", joined)   # drop a leading <T extends X>
    return re.findall(r"[\w.$]+(?:\s*<[^;{}]*>)?(?:\s*\[\s*\])*", joined)


def _split_params(text: str) -> list[tuple[str, str]]:
    params, depth, current = [], 0, ""
    for ch in text + ",":
        depth += (ch == "<") - (ch == ">")
        if ch == "," and depth == 0:
            if current.strip():
                params.append(_param(current))
            current = ""
        else:
            current += ch
    return params


def _param(text: str) -> tuple[str, str]:
    words = ANNOTATION.sub(" ", text).replace("final ", " ").strip()
    kind, _, name = words.rpartition(" ")
    kind = re.sub(r"\s+", " ", kind).replace(" [", "[").replace("...", "[]")
    return kind.strip(), name.strip()


def _erased(params: list[tuple[str, str]]) -> list[str]:
    """Types as unit ids write them: no generic arguments, simple names, arrays kept."""
    out = []
    for kind, _ in params:
        base = re.sub(r"<.*>", "", kind).strip()
        dims = base.count("[]")
        out.append(base.replace("[]", "").rpartition(".")[2] + "[]" * dims)
    return out


def _javadoc(text: str, start: int) -> str:
    before = text[:start].rstrip()
    if not before.endswith("*/"):
        return ""
    opening = before.rfind("/**")
    if opening < 0:
        return ""
    lines = before[opening + 3:-2].splitlines()
    return "\n".join(re.sub(r"^\s*\*\s?", "", line) for line in lines).strip()
