"""Repositories of hostile shapes, each timed against the floor of the same run.

    python benchmarks/bench_shapes.py [--only NAME ...] [--rounds N]

Each shape once took far longer than its size deserves (issue 8): an unclosed `import (`
in a test file made the import scan quadratic, a dense one-line file filled gigabytes, a
chain of imports made every module a component of every other. The target is the same as
for real repositories (bench_scan.py): scan <= 3x the floor, peak RSS < 1 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
from pathlib import Path

from bench_scan import report

CODE = "def f(data):\n    t = 0\n    for b in data:\n        t = (t * 31 + b) & 0xFFFF\n    return t\n"


def _unclosed_imports(root: Path) -> None:
    (root / "tests").mkdir()
    (root / "tests" / "test_big.py").write_text("from a import(\n" * 65_000)
    (root / "m.py").write_text(CODE)


def _dense_line(root: Path) -> None:
    (root / "rustscout.toml").write_text("max_file_kb = 100000\n")
    (root / "table.py").write_text("x = [" + ", ".join(str(i) for i in range(1_500_000)) + "]\n")
    (root / "m.py").write_text(CODE)


def _import_chain(root: Path, n: int = 4000) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    for i in range(n):
        step = f"from pkg import m{i + 1}\n" if i + 1 < n else ""
        body = f"    return m{i + 1}.f(x) + 1\n" if i + 1 < n else "    return x\n"
        (root / "pkg" / f"m{i}.py").write_text(f"{step}def f(x):\n{body}")


def _diamonds(root: Path, depth: int = 40) -> None:
    rows = "".join(f"class B{i}(A{i - 1}):\n    pass\nclass C{i}(A{i - 1}):\n    pass\n"
                   f"class A{i}(B{i}, C{i}):\n    def run(self):\n        return self.m() + self.gone()\n"
                   for i in range(1, depth + 1))
    (root / "a.py").write_text("class A0:\n    def m(self):\n        return 1\n" + rows)


def _inheritance(root: Path, depth: int = 3000) -> None:
    classes = "".join(f"class K{i}(K{i - 1}):\n    pass\n" for i in range(1, depth + 1))
    (root / "a.py").write_text("class K0:\n    def m(self):\n        return 1\n" + classes +
                               f"class Z(K{depth}):\n    def run(self):\n        return self.m()\n")


def _deep_folders(root: Path, depth: int = 1100) -> None:
    deep = root.joinpath(*["d"] * depth)
    subprocess.run(["mkdir", "-p", str(deep)], check=True)
    (deep / "a.py").write_text(CODE)
    (root / "b.py").write_text(CODE)


SHAPES = {"unclosed-imports": _unclosed_imports, "dense-line": _dense_line, "import-chain": _import_chain,
          "diamonds": _diamonds, "inheritance": _inheritance, "deep-folders": _deep_folders}


def build(name: str, folder: Path) -> Path:
    root = folder / name
    root.mkdir()
    SHAPES[name](root)
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", name], cwd=root, check=True,
                   env={"GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
                        "PATH": "/usr/bin:/bin"})
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="*", choices=sorted(SHAPES), help="these shapes only")
    parser.add_argument("--rounds", type=int, default=1, help="floor and scan runs each; medians are reported")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name in args.only or SHAPES:
            report(name, build(name, Path(folder)), args.rounds)
        subprocess.run(["rm", "-rf", folder], check=True)   # TemporaryDirectory's clean-up recurses


if __name__ == "__main__":
    main()
