"""Standalone scripts beside a repository's packages (inventory/scripts.py): read for what they
call, never ranked. Each case below has a near miss that stays ranked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.inventory import discover, tag_scripts
from analyzer.model import SourceFile
from analyzer.parse import PARSERS
from conftest import run_cli, scan_json, write_files

LOOP = "def crunch(data: bytes):\n    t = 0\n    for b in data:\n        t = (t * 31 + b) & 0xFFFF\n    return t\n"
GUARD = "\n\nif __name__ == '__main__':\n    crunch(b'x')\n"
REPO = {
    "pkg/__init__.py": "",
    "pkg/codec.py": LOOP,
    "pkg/cli.py": LOOP + GUARD,                              # a package's own program: ranked
    "tools/merge-pr.py": LOOP,                               # `import` cannot spell its name
    "tools/gen_tables.py": "#!/usr/bin/env python3\n" + LOOP,  # a #! line
    "stress.py": LOOP + GUARD,                               # a __main__ block
    "tools/helpers.py": LOOP,                                # near miss: not run, nothing imports it
    "tools/run.py": LOOP + GUARD,                            # imported by another script only
    "tools/other.py": "import run\nimport common\n" + GUARD.replace("crunch", "run.crunch"),
    "tools/common.py": LOOP,                                 # a helper module of the scripts
    "single.py": LOOP + GUARD,                               # near miss: imported by its tests
    "shared.py": LOOP + GUARD,                               # near miss: the package imports it
    "pkg/app.py": "from shared import crunch\n\n\ndef run(d):\n    return crunch(d)\n",
    "tests/test_single.py": "from single import crunch\n\n\ndef test_it():\n    assert crunch(b'a')\n",
    "dump.py": "import single\n" + LOOP + GUARD,              # a program using a tested module: a script
}


def _parsed(root: Path):
    files, _ = discover(root, "", None, (), (), 1 << 20)
    return tuple(PARSERS[f.language](f, (root / f.path).read_bytes(), f.ranked) for f in files)


def _scripts(parsed) -> list[str]:
    return sorted(pf.file.path for pf in parsed if "script" in pf.file.tags)


def test_programs_outside_the_packages_that_nothing_else_imports_are_scripts(tmp_path):
    parsed = tag_scripts(_parsed(write_files(tmp_path, REPO)))
    assert _scripts(parsed) == ["dump.py", "stress.py", "tools/common.py", "tools/gen_tables.py",
                                "tools/merge-pr.py", "tools/other.py", "tools/run.py"]
    ranked = {pf.file.path for pf in parsed if pf.ranked}
    assert {"pkg/cli.py", "pkg/codec.py", "tools/helpers.py", "single.py", "shared.py"} <= ranked


def test_a_repository_of_scripts_alone_keeps_them_ranked(tmp_path):
    alone = {p: t for p, t in REPO.items() if not p.startswith("pkg/")}
    parsed = tag_scripts(_parsed(write_files(tmp_path, alone)))
    assert _scripts(parsed) == [] and "tools/merge-pr.py" in {pf.file.path for pf in parsed if pf.ranked}


def test_java_code_is_a_product_beside_the_scripts(tmp_path):
    java = "package p;\nclass A {\n  int f(byte[] d) { int t = 0; for (byte b : d) t += b; return t; }\n}\n"
    files = {"dev/merge-pr.py": LOOP, "src/main/java/p/A.java": java}
    assert _scripts(tag_scripts(_parsed(write_files(tmp_path, files)))) == ["dev/merge-pr.py"]


def test_a_scan_leaves_scripts_out_and_says_so(tmp_path):
    root = write_files(tmp_path, REPO)
    doc = scan_json(root, "--no-cache")
    paths = {c["path"] for c in doc["candidates"]}
    assert "pkg/codec.py" in paths and not paths & {"stress.py", "tools/merge-pr.py", "tools/gen_tables.py"}
    assert doc["summary"]["files_by_tag"]["script"] == 7
    assert any(n.startswith("7 standalone script(s) beside the packages left out") for n in doc["summary"]["notices"])
    code, out, err = run_cli("explain", "py:tools/merge-pr.py::crunch", str(root), "--quiet", "--no-cache", "--json")
    assert code == 0, err
    assert json.loads(out)["why"].startswith("a standalone script beside the repository's packages")


@pytest.mark.parametrize("text, program", [
    ("if __name__ == '__main__':\n    pass\n", True),
    ("if '__main__' == __name__:\n    pass\n", True),
    ("#!/usr/bin/env python3\nx = 1\n", True),
    ("if __name__ != '__main__':\n    pass\n", False),      # a near miss: the module imported
    ("def f():\n    if __name__ == '__main__':\n        pass\n", False),   # not at the top level
    ("x = 1  #!\n", False),
])
def test_a_file_written_to_be_run_is_known_by_its_parse(text, program):
    file = SourceFile("tool.py", "python", len(text), "tool")
    assert PARSERS["python"](file, text.encode()).program is program


def test_a_scripts_calls_are_traffic_into_the_package(tmp_path):
    """A program that uses the package shows how it is used; a test only says what it exercises."""
    files = {"pkg/__init__.py": "", "pkg/codec.py": LOOP,
             "drive.py": "#!/usr/bin/env python3\nfrom pkg.codec import crunch\n\nfor blob in BLOBS:\n    crunch(blob)\n",
             "tests/test_codec.py": "from pkg.codec import crunch\n\n\ndef test_it():\n"
                                    "    for b in (b'a', b'b', b'c'):\n        assert crunch(b)\n"}
    doc = scan_json(write_files(tmp_path, files), "--no-cache")
    crunch = next(c for c in doc["candidates"] if c["id"] == "py:pkg/codec.py::crunch")
    reach = next(f for f in crunch["factors"] if f["name"] == "reach")
    # once per turn of its loop (trip, 8), and once for the import of the name; the test adds nothing
    assert reach["value"] == 9 and "drive.py" in json.dumps(reach["evidence"])
    assert doc["summary"]["files_by_tag"]["script"] == 1
