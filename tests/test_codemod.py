"""hoist-regex: only the changed lines differ, and nothing unsafe is rewritten."""

from __future__ import annotations

import ast

from analyzer.model import SourceFile
from analyzer.parse.codemods import apply
from analyzer.parse.python import parse_file


def hoist(source: str, qualname: str) -> str | None:
    parsed = parse_file(SourceFile("m.py", "python", len(source), "m"), source.encode())
    unit = next(u for u in parsed.units if u.qualname == qualname)
    return apply("hoist-regex", source, unit, parsed)


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    old, new = before.splitlines(), after.splitlines()
    return [x for x in old if x not in new], [x for x in new if x not in old]


def test_compile_and_module_functions_with_flags():
    source = ('"""doc"""\nimport re\n\n\nclass P:\n    def run(self, s):\n'
              '        if re.search(r"x+", s, re.I | re.M):\n            return re.sub(r"\\s", "", s, 2)\n'
              '        return re.compile("a").match(s)\n')
    result = hoist(source, "P.run")
    removed, added = changed_lines(source, result)
    assert removed == ['        if re.search(r"x+", s, re.I | re.M):', '            return re.sub(r"\\s", "", s, 2)',
                       '        return re.compile("a").match(s)']
    assert added == ['_RUN_RE = re.compile(r"x+", re.I | re.M)', '_RUN_RE_2 = re.compile(r"\\s")',
                     '_RUN_RE_3 = re.compile("a")', '        if _RUN_RE.search(s):',
                     '            return _RUN_RE_2.sub("", s, 2)', '        return _RUN_RE_3.match(s)']
    ast.parse(result)


def test_aliases_from_imports_and_existing_names():
    source = ("import re as regex\nfrom re import fullmatch\n_F_RE = 1\n\n"
              "def f(s):\n    return regex.match('a', s) or fullmatch('b', s)\n")
    result = hoist(source, "f")
    assert "_F_RE_2 = regex.compile('a')" in result and "_F_RE_3 = regex.compile('b')" in result
    assert "return _F_RE_2.match(s) or _F_RE_3.fullmatch(s)" in result


def test_dynamic_patterns_and_local_imports_are_left_alone():
    assert hoist("import re\n\ndef f(p, s):\n    return re.match(p, s)\n", "f") is None
    assert hoist("def f(s):\n    import re\n    return re.match('a', s)\n", "f") is None
    assert hoist("import re\n\ndef f(s, fl):\n    return re.match('a', s, fl + 1)\n", "f") is None
