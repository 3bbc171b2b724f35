"""Call and import graph: resolution, cycles, dominators, frequencies."""

from __future__ import annotations

from analyzer.code import graph as graphs
from analyzer.code.graph.facade import RECURSION_FACTOR
from analyzer.model import EdgeKind, SourceFile
from analyzer.parse.python import parse_file


def parse_repo(files: dict[str, str]):
    out = []
    for path, text in sorted(files.items()):
        module = path[:-3].replace("/", ".").removesuffix(".__init__")
        out.append(parse_file(SourceFile(path, "python", len(text), module), text.encode()))
    units = {u.id: u for pf in out for u in pf.units}
    return graphs.build(out, units)[0], units


def edges(built, kind=EdgeKind.CALL):
    graph, units = built
    return {(e.source.split("::")[-1], e.target.split("::")[-1]) for u in units
            for e in graph.calls_from(u) if e.kind == kind}


def test_calls_resolve_through_reexports_self_bases_and_instances():
    built = parse_repo({
        "pkg/__init__.py": "from pkg.impl import work\n",
        "pkg/impl.py": "def work(x):\n    return x\n",
        "pkg/base.py": "class Base:\n    def step(self):\n        return 1\n",
        "pkg/app.py": ("from pkg import work\nfrom pkg.base import Base\n\n"
                       "class App(Base):\n    def run(self):\n        self.step()\n        return work(1)\n\n"
                       "    def other(self):\n        return super().step()\n\n"
                       "def main():\n    app = App()\n    app.run()\n"),
    })
    assert {("App.run", "Base.step"), ("App.run", "work"), ("App.other", "Base.step"),
            ("main", "App.run")} <= edges(built)
    assert ("main", "App") in edges(built, EdgeKind.INSTANTIATE)


def test_what_a_call_returns_is_the_class_its_return_annotation_names():
    built = parse_repo({
        "pkg/__init__.py": "from pkg.impl import Parser\n",
        "pkg/impl.py": ("from typing import Optional, Self\n\n"
                        "class Parser:\n    def parse(self, data):\n        return data\n\n"
                        "    def reset(self) -> Self:\n        return self\n\n"
                        "    def copy(self) -> 'Parser':\n        return Parser()\n\n"
                        "def make() -> Parser:\n    return Parser()\n\n"
                        "def maybe() -> Optional[Parser]:\n    return None\n\n"
                        "def many() -> list[Parser]:\n    return []\n\n"
                        "def loose():\n    return Parser()\n"),
        "pkg/use.py": ("from pkg import Parser\nfrom pkg.impl import make, maybe, many, loose\n\n"
                       "def direct(d):\n    p = make()\n    return p.parse(d)\n\n"
                       "def optional(d):\n    return maybe().parse(d)\n\n"
                       "def chained(d):\n    return make().copy().reset().parse(d)\n\n"
                       "def reexported(d):\n    return Parser().parse(d)\n\n"
                       "def container(d):\n    return many().parse(d)\n\n"
                       "def unannotated(d):\n    return loose().parse(d)\n"),
    })
    into_parse = {source for source, target in edges(built) if target == "Parser.parse"}
    assert into_parse == {"direct", "optional", "chained", "reexported"}   # a list, or no annotation: unknown


def test_methods_of_unknown_receivers_are_not_guessed_by_name():
    built = parse_repo({"a.py": "class Tokenizer:\n    def split(self, text):\n        return text\n",
                        "b.py": "def load(cell):\n    return cell.split(',')\n"})
    assert edges(built) == set()   # cell is a str as likely as a Tokenizer


def test_import_cycles_and_dominators():
    built = parse_repo({
        "main.py": "import core\nimport util\n",
        "core.py": "import helper\nimport util\n",
        "helper.py": "import core\n",
        "util.py": "x = 1\n",
    })
    graph = built[0]
    assert graph.import_cycles() == (("py:core.py", "py:helper.py"),)
    dominated = graph.dominated_modules()
    assert dominated["py:main.py"] == ("py:core.py", "py:helper.py", "py:util.py")
    assert dominated["py:core.py"] == ("py:helper.py",)


def test_frequencies_multiply_by_loops_and_recursion():
    built = parse_repo({"m.py": ("def leaf():\n    pass\n\n"
                                 "def mid():\n    for i in range(3):\n        leaf()\n\n"
                                 "def top():\n    for i in range(3):\n        for j in range(3):\n            mid()\n\n"
                                 "def rec(n):\n    return rec(n - 1) if n else 0\n")})
    graph = built[0]
    freq = {k.split("::")[-1]: v for k, v in graph.frequencies(trip=8).items()}
    assert freq["top"] == 1 and freq["mid"] == 64 and freq["leaf"] == 512
    assert freq["rec"] == RECURSION_FACTOR
    assert graph.leaves_first(["py:m.py::top", "py:m.py::leaf", "py:m.py::mid"]) == \
        ["py:m.py::leaf", "py:m.py::mid", "py:m.py::top"]
