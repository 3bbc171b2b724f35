"""The Python parser: units, ids, facts by loop depth, call targets, and bad input."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from radon.complexity import cc_visit

from analyzer.model import SourceFile
from analyzer.parse.python import parse_file


def parse(text: str, path: str = "pkg/mod.py", module: str = "pkg.mod", full: bool = True):
    data = text.encode() if isinstance(text, str) else text
    return parse_file(SourceFile(path, "python", len(data), module), data, full)


def unit(parsed, qualname: str):
    return next(u for u in parsed.units if u.qualname == qualname)


def obs(u, name: str):
    found = u.observation(name)
    return found.by_depth if found else (0, 0, 0, 0, 0)


def test_units_have_stable_ids_without_line_numbers():
    parsed = parse("class A:\n    def run(self):\n        def inner():\n            pass\n\ndef f():\n    pass\n"
                   "if x:\n    def f():\n        pass\n")
    ids = [u.id for u in parsed.units]
    assert ids == ["py:pkg/mod.py", "py:pkg/mod.py::A", "py:pkg/mod.py::A.run", "py:pkg/mod.py::A.run.inner",
                   "py:pkg/mod.py::f", "py:pkg/mod.py::f#2"]
    assert unit(parsed, "A.run").parent == "py:pkg/mod.py::A"
    assert (unit(parsed, "A.run").start, unit(parsed, "A.run").end) == (2, 4)


def test_observations_are_counted_at_their_loop_depth():
    parsed = parse("def f(data: bytes):\n"
                   "    total = 0\n"
                   "    for i in range(len(data)):\n"
                   "        for bit in range(8):\n"
                   "            total ^= (data[i] >> bit) & 1\n"
                   "    out = [x * 2 for x in data]\n"
                   "    return total + len(out)\n")
    f = unit(parsed, "f")
    # a loop over a data parameter (`data: bytes`) runs per element: it adds two levels, others one
    assert obs(f, "loop") == (2, 0, 1, 0, 0)       # the for, the comprehension; the inner for
    assert obs(f, "bitwise") == (0, 0, 0, 3, 0)    # ^=, >>, &
    assert obs(f, "index") == (0, 0, 0, 1, 0)
    assert obs(f, "arith") == (1, 0, 1, 0, 0)      # total + len(out); x * 2 inside the comprehension over data
    assert f.observation("bitwise").lines == (5,)


def test_a_length_capped_by_a_guard_is_no_input_size():
    parsed = parse("def quad(host: str):\n"
                   "    parts = host.split('.')\n"
                   "    if len(parts) != 4:\n"
                   "        return False\n"
                   "    return all(p.isdigit() for p in parts)\n"
                   "def capped(data: bytes):\n"
                   "    assert len(data) <= 8\n"
                   "    return [b ^ 1 for b in data]\n"
                   "def wide(data: bytes):\n"
                   "    if len(data) > 4096:\n"
                   "        raise ValueError\n"
                   "    return [b ^ 1 for b in data]\n"
                   "def open_ended(host: str):\n"
                   "    parts = host.split('.')\n"
                   "    if len(parts) < 4:\n"
                   "        return False\n"
                   "    return all(p.isdigit() for p in parts)\n")
    # after `if len(parts) != 4: return` or `assert len(data) <= 8`, a loop over it has a small
    # known bound: one level, as any loop of unknown small length, not two as over an input
    assert obs(unit(parsed, "quad"), "loop") == (1, 0, 0, 0, 0)
    assert obs(unit(parsed, "quad"), "call") == (3, 1, 0, 0, 0)       # split, len, all; p.isdigit() per part
    assert obs(unit(parsed, "capped"), "bitwise") == (0, 1, 0, 0, 0)
    assert obs(unit(parsed, "wide"), "bitwise") == (0, 0, 1, 0, 0)     # 4096 is an input's size
    assert obs(unit(parsed, "open_ended"), "call") == (3, 0, 1, 0, 0)  # at least 4: still the input's


def test_a_loop_over_a_literal_of_one_or_two_items_adds_no_level():
    parsed = parse("def two(section: str):\n"
                   "    for prefix in ('tool.', 'x.'):\n        key = prefix + section\n"
                   "    return [k + '.' for k in [section]]\n"
                   "def three(section: str):\n"
                   "    for prefix in ('a.', 'b.', 'c.'):\n        key = prefix + section\n"
                   "def spread(section: str, more):\n"
                   "    for prefix in ('a.', *more):\n        key = prefix + section\n"
                   "def named(section: str):\n"
                   "    prefixes = ['tool.']\n    for prefix in prefixes:\n        key = prefix + section\n"
                   "def worklist(root):\n"
                   "    queue = [root]\n    while queue:\n        node = queue.pop()\n        queue.extend(node.kids)\n"
                   "def walked(root):\n"
                   "    todo = [root]\n    for node in todo:\n        todo.extend(node.kids)\n"
                   "def grown(section: str, extra):\n"
                   "    prefixes = ['tool.']\n    prefixes.append(extra)\n"
                   "    for prefix in prefixes:\n        key = prefix + section\n")
    assert obs(unit(parsed, "two"), "str_concat") == (2, 0, 0, 0, 0)     # runs twice: nearer once than trip times
    assert obs(unit(parsed, "three"), "str_concat") == (0, 1, 0, 0, 0)   # near miss: three items, one level
    assert obs(unit(parsed, "spread"), "str_concat") == (0, 1, 0, 0, 0)  # near miss: a spread list's length is unknown
    assert obs(unit(parsed, "named"), "str_concat") == (1, 0, 0, 0, 0)   # a local bound to such a literal
    assert obs(unit(parsed, "grown"), "str_concat") == (0, 1, 0, 0, 0)   # near miss: the local grows first
    assert obs(unit(parsed, "worklist"), "call") == (0, 2, 0, 0, 0)      # near miss: a worklist grows in its loop
    assert obs(unit(parsed, "walked"), "call") == (0, 1, 0, 0, 0)        # near miss: so does the list a for walks


def test_a_loop_steps_over_a_counter_or_over_objects():
    parsed = parse("def f(rows, data: bytes, counts: list[int], names: list[str]):\n"
                   "    for i in range(len(rows)):\n        pass\n"
                   "    for i, r in enumerate(rows):\n        pass\n"
                   "    for b in data:\n        pass\n"
                   "    for c in counts:\n        pass\n"
                   "    for n in names:\n        pass\n"
                   "    while rows:\n        rows.pop()\n"
                   "    return [r for r in rows]\n")
    f = unit(parsed, "f")
    assert obs(f, "loop") == (7, 0, 0, 0, 0)
    # range, the bytes' characters, a list declared as ints (converted once, then machine values), the while
    assert obs(f, "count_iter") == (4, 0, 0, 0, 0)
    assert obs(f, "object_iter") == (3, 0, 0, 0, 0)   # enumerate(rows), the list of str, the comprehension


def test_string_building_list_scans_and_state_are_seen():
    parsed = parse("CACHE = {}\n"
                   "def f(words):\n"
                   "    s = ''\n"
                   "    seen = []\n"
                   "    for w in words:\n"
                   "        s += w\n"
                   "        if w in seen:\n"
                   "            continue\n"
                   "        CACHE[w] = 1\n"
                   "    return s\n")
    f = unit(parsed, "f")
    assert obs(f, "str_concat") == (0, 1, 0, 0, 0)     # `words` has no type: a loop of unknown length
    assert obs(f, "list_membership") == (0, 1, 0, 0, 0)
    assert [(s.name, s.line, s.write) for s in f.state if s.write] == [("pkg.mod.CACHE", 9, True)]
    assert parsed.mutable_globals == (("pkg.mod.CACHE", 1),)



def test_a_short_list_display_is_compared_not_searched():
    parsed = parse("def f(pairs, extra):\n"
                   "    for a, b in pairs:\n"
                   "        if a in [b, b + 1]:\n"
                   "            continue\n"
                   "        if a in [1, 2, 3, 4, 5]:\n"
                   "            continue\n"
                   "        if a in [b, *extra]:\n"
                   "            continue\n")
    f = unit(parsed, "f")
    assert obs(f, "list_membership") == (0, 2, 0, 0, 0)   # five items, and a starred one
    assert obs(f, "compare") == (0, 4, 0, 0, 0)           # one per test, and one more for `b + 1`

def test_call_targets_resolve_through_imports_self_and_local_origins():
    parsed = parse("import re\nimport numpy as np\nimport requests\nfrom .util import helper as h\n"
                   "class C:\n"
                   "    def __init__(self):\n"
                   "        self.http = requests.Session()\n"
                   "    def run(self, cb, items: list):\n"
                   "        r = self.http.get('u')\n"
                   "        r.json()\n"
                   "        self.step()\n"
                   "        np.zeros(3)\n"
                   "        h(re.compile('a+'))\n"
                   "        cb(1)\n"
                   "        items.pop(0)\n"
                   "        obj.frob()\n")
    calls = {c.target: c for c in unit(parsed, "C.run").calls}
    assert set(calls) == {"requests.Session().get", "requests.Session().get().json", "pkg.mod.C.step",
                          "numpy.zeros", "pkg.util.helper", "re.compile", "param:cb",
                          "builtins.list().pop", ".frob"}
    assert calls["pkg.mod.C.step"].via_self
    assert calls["re.compile"].literal == "a+" and calls["re.compile"].literal_args == 1
    assert calls["builtins.list().pop"].literal == 0


def test_a_def_that_a_block_may_import_over_is_what_calls_reach():
    """`def f` and `try: from elsewhere import f`: f may run either; only the def is code here.
    A name only imported in a block resolves to the import."""
    parsed = parse("def apply_delta(src, delta):\n    return src\n"
                   "def unpack(chunks, delta):\n    decode(chunks)\n    return apply_delta(chunks, delta)\n"
                   "try:\n    from pkg._pack import apply_delta, decode\nexcept ImportError:\n    pass\n")
    assert [c.target for c in unit(parsed, "unpack").calls] == ["pkg._pack.decode", "pkg.mod.apply_delta"]


def test_a_call_of_a_nested_def_reaches_it():
    parsed = parse("def apply_delta(src, delta):\n"
                   "    def read_byte(i):\n        return delta[i]\n"
                   "    return [read_byte(i) for i in range(len(delta))] + [read_bite(0)]\n")
    assert sorted(c.target for c in unit(parsed, "apply_delta").calls) == [
        "?read_bite", "len", "pkg.mod.apply_delta.read_byte", "range"]


def test_a_callable_bound_as_a_default_is_what_calls_through_the_parameter_reach():
    parsed = parse("import re\nfrom pkg.config import TABLE\nCHUNK = re.compile('a+')\n"
                   "def helper(s):\n    return s\n"
                   "def scan(s, _m=CHUNK.match, _join=''.join, _h=helper, on_chunk=None, n=3, *, _len=len,\n"
                   "         table=TABLE):\n"
                   "    m = _m(s)\n    m.end()\n    _h(s)\n    on_chunk(m)\n    n(1)\n    _len(s)\n"
                   "    table.get(s)\n    return _join([])\n")
    assert [c.target for c in unit(parsed, "scan").calls] == [
        "re.compile().match", "re.compile().match().end", "pkg.mod.helper", "param:on_chunk", "param:n", "len",
        "param:table.get", "builtins.str().join"]   # data given as a default is a parameter still


def test_cyclomatic_complexity_matches_radon():
    source = (Path(__file__).resolve().parent.parent / "fixtures" / "repos" / "tidewater" / "tidewater"
              / "wire" / "codec.py").read_text()
    source += ("\ndef branchy(a, b):\n    if a and b or not a:\n        return [x for x in b if x if x > 1]\n"
               "    try:\n        pass\n    except ValueError:\n        pass\n    except KeyError:\n        pass\n"
               "    else:\n        pass\n    while a:\n        a -= 1\n    else:\n        pass\n"
               "    match a:\n        case 1: pass\n        case _: pass\n    assert b\n    return a if b else b\n")
    ours = {u.name: u.cyclomatic for u in parse(source).units if u.kind == "function"}
    theirs = {b.name: b.complexity for b in cc_visit(source)}
    assert ours == theirs
    assert ours["branchy"] > 10


def test_tests_get_imports_only():
    parsed = parse("import pkg.mod\nfrom pkg.util import helper\ndef test_x():\n    for i in range(3):\n"
                   "        from pkg import other\n", path="tests/test_x.py", module="test_x", full=False)
    assert [u.kind for u in parsed.units] == ["module"]
    assert [(i.module, i.name) for i in parsed.imports] == [("pkg.mod", None), ("pkg.util", "helper"),
                                                           ("pkg", "other")]


def test_python_2_code_is_read_line_for_line():
    parsed = parse("# -*- coding: latin-1 -*-\n"
                   "def crunch(data):\n    total = 0L\n    for b in data:\n"
                   "        if b <> 0:\n            total = (total * 31 + ord(b)) & 0777\n"
                   "    print 'total', `total`\n    return total\n\n"
                   "def load(path):\n    try:\n        return open(path).read()\n"
                   "    except IOError, e:\n        raise ValueError, 'cannot read %s' % path\n")
    if importlib.util.find_spec("lib2to3") is None:   # Python 3.13 and later: listed as an error
        assert parsed.units == () and parsed.error.kind == "parse"
        return
    assert parsed.error is None
    crunch, load = unit(parsed, "crunch"), unit(parsed, "load")
    assert (crunch.start, crunch.end, load.start, load.end) == (2, 8, 10, 14)
    assert [(c.target, c.line) for c in crunch.calls] == [("ord", 6), ("print", 7), ("repr", 7)]
    assert obs(crunch, "bitwise")[1] == 1 and [c.target for c in load.calls][-1] == "ValueError"


@pytest.mark.parametrize("data, kind, message", [
    (b"def f(:\n    pass\n", "parse", "syntax error at line 1"),
    (b"print 'hello'\ndef f(:\n    pass\n", "parse", "Python 2 code?"),   # not Python 2 either
    (b"x = 1\x00\x01\x02", "binary", "binary file"),
    ("x = 'caf\u00e9'\n".encode("latin-1"), "encoding", "cannot decode"),
    (b"x = " + b"(" * 300 + b"1" + b")" * 300 + b"\n", "parse", "too deeply nested"),
])
def test_unreadable_files_become_errors(data, kind, message):
    parsed = parse(data)
    assert parsed.units == ()
    assert parsed.error.kind == kind
    assert message in parsed.error.message
    assert "\n" not in parsed.error.message


def test_deep_nesting_that_parses_is_walked_without_recursion():
    depth = 900
    source = "def f(x):\n    return " + "-" * depth + "x\n"
    assert unit(parse(source), "f").observation("arith").count == depth


def test_generated_files_are_marked_and_not_walked():
    parsed = parse("# Generated by the protocol buffer compiler.  DO NOT EDIT!\ndef f():\n    pass\n")
    assert parsed.generated
    assert [u.kind for u in parsed.units] == ["module"]


def test_generated_means_a_generator_comment_not_prose():
    prose = parse('"""Orbits: the group generated by g, GENERATED BY DEFAULT AS IDENTITY."""\ndef f():\n    pass\n')
    assert not prose.generated and len(prose.units) == 2
    assert parse("# This file was generated by a tool\nx = 1\n").generated
    assert parse("# @generated SignedSource<<abc>>\nx = 1\n").generated
