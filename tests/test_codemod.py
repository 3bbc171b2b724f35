"""hoist-regex: only the changed lines differ, and nothing unsafe is rewritten."""

from __future__ import annotations

import ast

import pytest

from analyzer.model import SourceFile
from analyzer.parse import edits
from analyzer.fixes.codemods import apply
from analyzer.parse.python import parse_file


def hoist(source: str, qualname: str) -> str | None:
    parsed = parse_file(SourceFile("m.py", "python", len(source), "m"), source.encode())
    unit = next(u for u in parsed.units if u.qualname == qualname)
    found = apply("hoist-regex", edits.Text.of(source), unit, parsed)
    return edits.apply(source, found) if found else None


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


def test_patch_hunks_come_from_the_edits_and_apply(tmp_path):
    import subprocess
    from analyzer.parse.edits import Edit, Text, unified_diff
    source = "".join(f"line {i}\n" for i in range(1, 21))
    found = [Edit(3, 2, ("new a\n",)), Edit(10, 11, ("ten and eleven\n",)), Edit(20, 20, ("last\n",))]
    patch = unified_diff("f.txt", Text.of(source), found)
    assert patch.count("@@ ") == 3                      # 10-11 and 20 are too far apart to share context
    assert "@@ -1,5 +1,6 @@" in patch and "@@ -7,8 +8,7 @@" in patch and "@@ -17,4 +17,4 @@" in patch
    (tmp_path / "f.txt").write_text(source)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = subprocess.run(["git", "apply", "-"], input=patch, text=True, cwd=tmp_path, capture_output=True)
    assert result.returncode == 0, result.stderr
    from analyzer.parse.edits import apply
    assert (tmp_path / "f.txt").read_text() == apply(source, found)


def test_calls_in_headers_after_late_imports_and_in_blocks():
    source = ('"""doc"""\nimport sys\nsys.path.insert(0, "x")\nimport re\n\n\ndef f(s):\n    if not s:\n        return 0\n'
              '    elif re.match(r"\\d+", s):\n        return 1\n    while re.search("x", s):\n        s = s[1:]\n'
              '    return 2\n')
    result = hoist(source, "f")
    ast.parse(result)
    lines = result.splitlines()
    assert lines.index("import re") < lines.index('_F_RE = re.compile(r"\\d+")')   # defined after re is bound
    assert "    elif _F_RE.match(s):" in lines and "    while _F_RE_2.search(s):" in lines
    guarded = "try:\n    import regex as re\nexcept ImportError:\n    import re\n\ndef f(s):\n    return re.match('a', s)\n"
    assert hoist(guarded, "f") is None    # re bound inside a block: no safe place at module level


LAYOUTS = {   # module headers ruff accepts (no E402): statements it allows between imports, and blocks
    "dunder between imports": '"""Doc."""\nfrom __future__ import annotations\nimport re\n__all__ = ["f"]\nimport sys\n',
    "sys.path between imports": "import re\nimport sys\nsys.path.insert(0, 'vendor')\nimport vendored\n",
    "optional import": "import re\ntry:\n    import ujson as json\nexcept ImportError:\n    import json\n",
    "type-checking imports": "import re\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from x import (\n"
                             "        Y,\n    )\nimport sys\n",
    "from re only": "from re import fullmatch\nimport os\nVERSION = '1'\nimport sys\n",
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_hoisted_constants_follow_every_import_above_the_function(layout):
    """Issue 12: the constant used to land after `import re` and before later imports (E402)."""
    header = LAYOUTS[layout]
    call = "fullmatch(r'\\d+', s)" if layout == "from re only" else "re.fullmatch(r'\\d+', s)"
    result = hoist(f"{header}\n\ndef f(s):\n    return {call}\n", "f")
    body = ast.parse(result).body
    constant = next(i for i, node in enumerate(body) if isinstance(node, ast.Assign) and node.targets[0].id == "_F_RE")
    later = [node.lineno for node in body[constant + 1:]
             if any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(node))]
    assert later == [], f"imports at lines {later} follow the constant:\n{result}"
    added = 1 if layout == "from re only" else 0    # `import re`, at the end of the imports
    assert body[constant].lineno == len(header.splitlines()) + added + 2     # after a blank line
    assert "return _F_RE.fullmatch(s)" in result


def test_a_module_level_name_the_function_needs_is_not_placed_after_it():
    """Imports below the function are not passed: the constant goes before the def."""
    source = "import re\n\n\ndef f(s):\n    return re.match('a', s)\n\n\nimport late\n"
    lines = hoist(source, "f").splitlines()
    assert lines.index("_F_RE = re.compile('a')") < lines.index("def f(s):") < lines.index("import late")
    assert hoist("def f(s):\n    return re.match('a', s)\n\n\nimport re\n", "f") is None   # re bound below f


def _rules_with_fixes() -> list[tuple[str, str]]:
    import yaml
    from analyzer.infra.resources import rules_dir
    found = [(p.stem, yaml.safe_load(p.read_text()).get("fix")) for p in sorted(rules_dir().glob("*.yaml"))]
    return [(rule, fix) for rule, fix in found if fix]


def _patched(folder, name: str, fix: str, rule: str) -> tuple[str, list[str]]:
    """The file with every function's fix applied together, as `rustscout fix` composes them,
    and the functions that got one."""
    from analyzer.fixes.patching import compose
    from analyzer.model import Fix, LineEdit
    source = (folder / name).read_text()
    parsed = parse_file(SourceFile(name, "python", len(source), name[:-3]), source.encode())
    text, taken, fixes = edits.Text.of(source), set(), []
    for unit in (u for u in parsed.units if u.kind == "function"):
        found = apply(fix, text, unit, parsed, taken)
        if found:
            line_edits = tuple(LineEdit(e.first, e.last, "".join(e.lines))
                               for e in sorted(edits.with_endings(text, found), key=lambda e: (e.first, e.last)))
            fixes.append(Fix(rule, unit.start, "", "", name, "", line_edits))
    merged, outcomes = compose(fixes)
    assert all(o.applied for o in outcomes)
    return edits.apply(source, merged), [f.line for f in fixes]


@pytest.mark.parametrize("rule, fix", _rules_with_fixes())
def test_fix_fixtures(rule, fix, tmp_path):
    """fixtures/rules/<ID>/fix/: every function of hit.py gets a patch, and together they make
    hit.fixed.py; no function of ok.py gets one, although the rule fires on each (`# expect:`)."""
    from conftest import FIXTURES, scan_json
    folder = FIXTURES / "rules" / rule / "fix"
    result, patched = _patched(folder, "hit.py", fix, rule)
    assert result == (folder / "hit.fixed.py").read_text()
    ast.parse(result)
    assert _patched(folder, "ok.py", fix, rule)[1] == []
    expected = {(name, n) for name in ("hit.py", "ok.py")
                for n, line in enumerate((folder / name).read_text().splitlines(), 1) if f"expect: {rule}" in line}
    assert {n for name, n in expected if name == "hit.py"} == set(patched)
    for name in ("hit.py", "ok.py"):
        (tmp_path / name).write_text((folder / name).read_text())
    found = {(f["path"], f["line"]) for c in scan_json(tmp_path)["candidates"] for f in c["findings"]
             if f["rule"] == rule}
    assert found == expected


def to_deque(source: str, qualname: str = "f") -> str | None:
    parsed = parse_file(SourceFile("m.py", "python", len(source), "m"), source.encode())
    unit = next(u for u in parsed.units if u.qualname == qualname)
    found = apply("list-to-deque", edits.Text.of(source), unit, parsed)
    return edits.apply(source, found) if found else None


QUEUE = "    q = [1]\n    while q:\n        x = q.pop(0)\n"


@pytest.mark.parametrize("body", [
    "    q = []\n    for x in xs:\n        q.insert(0, x)\n    return q\n",          # returned
    QUEUE + "    use(q)\n",                                                        # passed
    QUEUE + "    for y in q:\n        pass\n",                                      # iterated
    QUEUE + "    return q == [1]\n",                                                # compared
    QUEUE + "    return q[1:]\n",                                                   # sliced
    QUEUE + "    q[0] = 2\n",                                                       # stored into
    QUEUE + "    q = []\n",                                                         # bound twice
    QUEUE + "    g = lambda: q\n",                                                  # closed over
    "    global q\n" + QUEUE,                                                       # module state
    "    q = list(xs)\n    while q:\n        q.pop(0)\n",                           # not a list display
    "    q = [1]\n    while q:\n        q.insert(0, q.pop(0))\n",                   # rewrites inside rewrites
    "    deque = 1\n" + QUEUE,                                                      # the name is taken
    QUEUE + "    q.sort()\n",                                                       # a list-only method
])
def test_deque_near_misses_keep_the_list(body):
    assert to_deque("def f(xs):\n" + body) is None


def test_deque_uses_the_modules_import_or_adds_one_after_the_header():
    assert to_deque("import collections\n\n\ndef f(xs):\n" + QUEUE + "    return len(q), x in q, q[-1]\n") == (
        "import collections\n\n\ndef f(xs):\n    q = collections.deque([1])\n    while q:\n        x = q.popleft()\n"
        "    return len(q), x in q, q[-1]\n")
    aliased = to_deque("from collections import deque as dq\n\n\ndef f(xs):\n" + QUEUE)
    assert "    q = dq([1])\n" in aliased and aliased.count("import") == 1
    script = to_deque("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\ndef f(xs):\n    q = []\n"
                      "    while not q and xs:\n        q.insert( 0, (xs,\n                     1))\n")
    assert script == ("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nfrom collections import deque\ndef f(xs):\n"
                      "    q = deque()\n    while not q and xs:\n        q.appendleft((xs,\n                     1))\n")
