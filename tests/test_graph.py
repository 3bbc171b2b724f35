"""Call and import graph: resolution, cycles, dominators, frequencies."""

from __future__ import annotations

from analyzer import graph as graphs
from analyzer.model import SourceFile
from analyzer.parse.python import parse_file


def parse_repo(files: dict[str, str]):
    out = []
    for path, text in sorted(files.items()):
        module = path[:-3].replace("/", ".").removesuffix(".__init__")
        out.append(parse_file(SourceFile(path, "python", len(text), module), text.encode()))
    return graphs.build(out)


def edges(graph, kind="call"):
    return {(s.source.split("::")[-1], s.target.split("::")[-1]) for s in graph.sites if s.kind == kind}


def test_calls_resolve_through_reexports_self_bases_and_instances():
    graph = parse_repo({
        "pkg/__init__.py": "from pkg.impl import work\n",
        "pkg/impl.py": "def work(x):\n    return x\n",
        "pkg/base.py": "class Base:\n    def step(self):\n        return 1\n",
        "pkg/app.py": ("from pkg import work\nfrom pkg.base import Base\n\n"
                       "class App(Base):\n    def run(self):\n        self.step()\n        return work(1)\n\n"
                       "    def other(self):\n        return super().step()\n\n"
                       "def main():\n    app = App()\n    app.run()\n"),
    })
    assert {("App.run", "Base.step"), ("App.run", "work"), ("App.other", "Base.step"),
            ("main", "App.run")} <= edges(graph)
    assert ("main", "App") in edges(graph, "instantiate")


def test_methods_of_unknown_receivers_are_not_guessed_by_name():
    graph = parse_repo({"a.py": "class Tokenizer:\n    def split(self, text):\n        return text\n",
                        "b.py": "def load(cell):\n    return cell.split(',')\n"})
    assert [s for s in graph.sites if s.kind == "call"] == []   # cell is a str as likely as a Tokenizer


def test_import_cycles_and_dominators():
    graph = parse_repo({
        "main.py": "import core\nimport util\n",
        "core.py": "import helper\nimport util\n",
        "helper.py": "import core\n",
        "util.py": "x = 1\n",
    })
    assert graph.import_cycles() == [("py:core.py", "py:helper.py")]
    dominated = graph.dominated_modules()
    assert dominated["py:main.py"] == ("py:core.py", "py:helper.py", "py:util.py")
    assert dominated["py:core.py"] == ("py:helper.py",)


def test_frequencies_multiply_by_loops_and_recursion():
    graph = parse_repo({"m.py": ("def leaf():\n    pass\n\n"
                                 "def mid():\n    for i in range(3):\n        leaf()\n\n"
                                 "def top():\n    for i in range(3):\n        for j in range(3):\n            mid()\n\n"
                                 "def rec(n):\n    return rec(n - 1) if n else 0\n")})
    freq = {k.split("::")[-1]: v for k, v in graph.frequencies(trip=8).items()}
    assert freq["top"] == 1 and freq["mid"] == 64 and freq["leaf"] == 512
    assert freq["rec"] == graphs.RECURSION_FACTOR
    assert graph.leaves_first(["py:m.py::top", "py:m.py::leaf", "py:m.py::mid"]) == \
        ["py:m.py::leaf", "py:m.py::mid", "py:m.py::top"]
