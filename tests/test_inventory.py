"""Inventory: which files, which language, which role."""

from __future__ import annotations

import os
from pathlib import PurePosixPath

import pytest

from analyzer import config, pipeline
from analyzer.inventory import backend, discover, files, glob_match, python_module, tags, unranked_folders
from analyzer.model import SourceFile, TreeEntry
from conftest import add_commits, make_repo


@pytest.mark.parametrize("path, expected", [
    ("pkg/mod.py", set()),
    ("tests/test_mod.py", {"test"}),
    ("pkg/mod_test.py", {"test"}),
    ("src/test/java/a/BTest.java", {"test"}),
    ("pkg/_vendor/six.py", {"vendored"}),
    ("third_party/lib/x.py", {"vendored"}),
    ("setup.py", {"build"}),
    ("build/lib/pkg/mod.py", {"build"}),
    ("docs/conf.py", {"docs"}),
    ("pkg/testing_utils.py", set()),
    ("pkg/benchmark.py", {"docs"}),              # a benchmark drives the code it times
    ("pkg/bench_codec.py", {"docs"}),
    ("jmh/src/main/java/a/CodecBenchmark.java", {"docs"}),
    ("pkg/benchmarking.py", set()),              # near misses: a module about benchmarks
    ("src/main/java/a/BenchmarkRunner.java", set()),
])
def test_roles_come_from_paths(path, expected):
    assert tags(path) == expected


@pytest.mark.parametrize("pattern, path, matches", [
    ("fixtures/**", "fixtures/a/b.py", True),
    ("fixtures/**", "src/fixtures/a.py", False),
    ("*.py", "a/b/c.py", True),
    ("tests", "a/tests/x.py", True),
    ("pkg/*.py", "pkg/sub/x.py", False),
    ("pkg/**/x.py", "pkg/sub/deep/x.py", True),
    ("pkg/**/x.py", "pkg/x.py", True),
])
def test_globs(pattern, path, matches):
    assert glob_match(pattern, path) is matches


def test_module_names_follow_packages():
    packages = {"src/pkg", "src/pkg/sub"}
    assert python_module("src/pkg/sub/mod.py", packages) == "pkg.sub.mod"
    assert python_module("src/pkg/__init__.py", packages) == "pkg"
    assert python_module("scripts/run.py", packages) == "run"


def test_discover_walks_a_plain_tree_and_reports_skips(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "mod.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "big.py").write_text("x = 1\n" * 400)
    (tmp_path / "notes.txt").write_text("not code")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.py"
    outside.write_text("secret = 1\n")
    os.symlink(outside, tmp_path / "pkg" / "link.py")
    files, errors = discover(tmp_path, "", None, (), (), max_bytes=1000)
    assert [(f.path, f.module) for f in files] == [("pkg/__init__.py", "pkg"), ("pkg/mod.py", "pkg.mod")]
    assert {(e.path, e.kind) for e in errors} == {("pkg/big.py", "size"), ("pkg/link.py", "symlink")}


def test_include_exclude_and_scope(tmp_path):
    for rel in ("a/x.py", "a/y.py", "b/z.py"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("")
    files, _ = discover(tmp_path, "", None, ("a/**",), ("y.py",), 10_000)
    assert [f.path for f in files] == ["a/x.py"]
    files, _ = discover(tmp_path, "b", None, (), (), 10_000)
    assert [f.path for f in files] == ["b/z.py"]


def test_special_files_are_skipped_not_read(tmp_path):
    (tmp_path / "ok.py").write_text("x = 1\n")
    os.mkfifo(tmp_path / "pipe.py")
    files, errors = discover(tmp_path, "", None, (), (), 10_000)
    assert [f.path for f in files] == ["ok.py"]
    assert [(e.path, e.kind) for e in errors] == [("pipe.py", "special")]


def test_unranked_folders_are_the_topmost_folders_without_ranked_code():
    files = [SourceFile("src/a.py", "python", 1, "a"),
             SourceFile("src/tests/test_a.py", "python", 1, "", frozenset({"test"})),
             SourceFile("src/tests/deep/test_d.py", "python", 1, "", frozenset({"test"})),
             SourceFile("src/test_c.py", "python", 1, "", frozenset({"test"})),   # beside ranked code
             SourceFile("tests/test_b.py", "python", 1, "", frozenset({"test"})),
             SourceFile("lib/src/test/java/FooTest.java", "java", 1, "", frozenset({"test"})),
             SourceFile("lib/src/main/java/Foo.java", "java", 1, "")]
    assert unranked_folders(files) == ("lib/src/test", "src/tests", "tests")
    assert unranked_folders(files, limit=1) == ("src/tests",)   # the largest first


@pytest.mark.parametrize("path", ["pkg/codec.py", "a/.bashrc", "a/name.", "dist/x.tar.gz", "Makefile", "a.b/c",
                                  ".py", "a/..py", "src/main/java/A.java"])
def test_file_names_and_suffixes_are_read_as_pathlib_reads_them(path):
    assert (files.file_name(path), files.suffix(path)) == (PurePosixPath(path).name, PurePosixPath(path).suffix)


BACKEND_PROJECT = {
    "pyproject.toml": '[build-system]\nrequires = ["setuptools"]\nbackend-path = ["packaging"]\n'
                      'build-backend = "inhouse_backend.hooks"\n',
    "packaging/inhouse_backend/__init__.py": "",
    "packaging/inhouse_backend/hooks.py": "def build_wheel(directory):\n    return directory\n",
    "packaging/release_notes.py": "def notes(lines):\n    return [l for l in lines if l]\n",
    "lib/pkg/__init__.py": "",
    "lib/pkg/codec.py": "def decode(data):\n    return bytes(b ^ 1 for b in data)\n",
    "tools/pyproject.toml": '[build-system]\nbackend-path = ["."]\nbuild-backend = "backend_module"\n',
    "tools/backend_module.py": "def build_sdist(directory):\n    return directory\n",
    "tools/helper.py": "x = 1\n",
}


def test_an_in_tree_build_backend_is_declared_by_the_project_not_by_a_name(tmp_path):
    """PEP 517's backend-path: the backend's own package (or module) is declared build code;
    other files on that path, and the library, are not (the near misses)."""
    for path, text in BACKEND_PROJECT.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    assert files.declared_build(tmp_path, files.listing(tmp_path)) == (
        "packaging/inhouse_backend.py", "packaging/inhouse_backend/", "tools/backend_module.py", "tools/backend_module/")
    found, _ = discover(tmp_path, "", None, (), (), 10_000)
    assert all(f.ranked for f in found)   # what is build code is known after parsing, from the tests' imports


@pytest.mark.parametrize("manifest", [
    b'[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n',   # installed, not shipped
    b'[build-system]\nbackend-path = ["../elsewhere"]\nbuild-backend = "inhouse_backend"\n',   # outside the tree
    b'[build-system]\nbackend-path = "packaging"\nbuild-backend = "inhouse_backend"\n',       # not a list
    b'[build-system\nbackend-path = ["packaging"]\n',                                          # not TOML
    b"\xff\xfe not text",
    None,                                                                                       # unreadable
])
def test_no_build_backend_is_read_from_a_manifest_that_does_not_declare_one_here(manifest):
    document = files.toml_document(manifest)
    assert backend.build_code(["pyproject.toml", "packaging/inhouse_backend.py"], lambda path: document) == ()


def test_a_commits_tree_reads_its_build_backend_from_the_manifests_blob():
    blobs = {"m": BACKEND_PROJECT["pyproject.toml"].encode()}
    entries = [TreeEntry("pyproject.toml", "m", 120, "100644"),
               TreeEntry("packaging/inhouse_backend/hooks.py", "h", 60, "100644"),
               TreeEntry("lib/pkg/codec.py", "c", 60, "100644")]
    assert files.declared_build_tree(entries, blobs.get) == ("packaging/inhouse_backend.py",
                                                             "packaging/inhouse_backend/")


def test_a_scan_and_a_pull_request_leave_the_build_backend_unranked(tmp_path):
    repo = make_repo(tmp_path, [{"files": BACKEND_PROJECT}])
    add_commits(repo, [{"branch": "feature", "edit": {"packaging/inhouse_backend/hooks.py": [
        {"find": "return directory", "replace": "return [directory]"}]}}])
    ranked = {c.path for c in pipeline.run(config.Config(repo)).candidates}
    assert "lib/pkg/codec.py" in ranked and not any(p.startswith("packaging/inhouse_backend/") for p in ranked)
    pull = pipeline.compare(config.Config(repo), "main")
    for side in (pull.base, pull.head):
        assert not any(c.path.startswith("packaging/inhouse_backend/") for c in side.candidates)


def test_declared_build_code_that_the_tests_import_is_what_the_project_ships(tmp_path):
    """A build tool names itself as its own backend (setuptools, flit_core, hatchling): its
    tests import it, and it stays ranked."""
    repo = make_repo(tmp_path, [{"files": {
        "pyproject.toml": '[build-system]\nbackend-path = ["src"]\nbuild-backend = "wheelwright.api"\n',
        "src/wheelwright/__init__.py": "",
        "src/wheelwright/api.py": "def build_wheel(directory):\n    return directory\n",
        "src/wheelwright/digest.py": "def crc(data):\n    c = 0\n    for b in data:\n        c = (c * 31 + b) & 0xFFFF\n"
                                     "    return c\n",
        "tests/test_digest.py": "from wheelwright.digest import crc\n\n\ndef test_crc():\n    assert crc(b'') == 0\n"}}])
    ranked = {c.path for c in pipeline.run(config.Config(repo)).candidates}
    assert {"src/wheelwright/digest.py", "src/wheelwright/api.py"} <= ranked


def test_a_manifest_that_links_out_of_the_repository_is_not_read(tmp_path):
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(BACKEND_PROJECT["pyproject.toml"])
    root = tmp_path / "repo"
    (root / "packaging" / "inhouse_backend").mkdir(parents=True)
    (root / "packaging" / "inhouse_backend" / "hooks.py").write_text("x = 1\n")
    os.symlink(outside, root / "pyproject.toml")
    assert files.declared_build(root, files.listing(root)) == ()


@pytest.mark.parametrize("manifest, declared", [
    (b'[tool.hatch.build.hooks.custom]\n', ("tools/hatch_build.py",)),                        # hatchling's default
    (b'[tool.hatch.build.targets.wheel.hooks.custom]\npath = "build/ext.py"\n', ("tools/build/ext.py",)),
    (b'[tool.hatch.metadata.hooks.custom]\npath = "meta.py"\n', ("tools/meta.py",)),
    (b'[build-system]\nbuild-backend = "pdm.backend"\n', ("tools/pdm_build.py",)),           # pdm-backend's default
    (b'[build-system]\nbuild-backend = "pdm.backend"\n[tool.pdm.build]\ncustom-hook = "hooks/gen.py"\n',
     ("tools/hooks/gen.py",)),
    (b'[build-system]\nbuild-backend = "hatchling.build"\n[tool.pdm.build]\ncustom-hook = "gen.py"\n', ()),
    (b'[tool.hatch.build.hooks.vcs]\nversion-file = "v.py"\n', ()),                            # a plugin's hook: no script
    (b'[tool.poetry.build]\nscript = "build_ext.py"\n', ("tools/build_ext.py",)),
    (b'[tool.poetry]\nbuild = "legacy_build.py"\n', ("tools/legacy_build.py",)),
    (b'[tool.poetry.build]\nscript = "../../outside.py"\n', ()),
])
def test_a_build_tools_hook_script_is_build_code_where_the_manifest_names_it(manifest, declared):
    document = files.toml_document(manifest)
    assert backend.build_code(["tools/pyproject.toml"], lambda path: document) == declared


def test_the_summary_counts_each_file_left_out_once(tmp_path):
    """conftest.py is build code and a test: counted under one reason, the counts add up."""
    repo = make_repo(tmp_path, [{"files": {
        "pkg/__init__.py": "", "pkg/m.py": "def f(xs):\n    return [x + 1 for x in xs]\n",
        "tests/conftest.py": "import pytest\n", "tests/test_m.py": "from pkg.m import f\n",
        "docs/conf.py": "project = 'x'\n"}}])
    summary = pipeline.run(config.load(repo, {"cache": False})).summary
    assert summary.files_by_tag == {"build": 1, "docs": 1, "test": 1}
    assert sum(summary.files_by_tag.values()) == summary.files - summary.files_ranked == 3


def test_a_scan_says_which_source_files_it_did_not_read(tmp_path):
    repo = make_repo(tmp_path, [{"files": {
        "pkg/__init__.py": "", "pkg/m.py": "def f(xs):\n    return [x + 1 for x in xs]\n",
        "ext/fast.c": "int f(void) { return 1; }\n", "ext/fast.h": "int f(void);\n", "web/app.ts": "export {}\n",
        "README.md": "# x\n"}}])
    notices = pipeline.run(config.load(repo, {"cache": False})).summary.notices
    assert "not read (rustscout reads Python and Java): 2 C file(s), 1 TypeScript file(s)" in notices
    scoped = pipeline.run(config.load(repo / "pkg", {"cache": False})).summary.notices
    assert not any(n.startswith("not read") for n in scoped)
    # a pull request's two commits, each as its own tree has them
    add_commits(repo, [{"branch": "feature", "files": {"web/more.ts": "export {}\n"}}])
    compared = pipeline.compare(config.load(repo, {"cache": False}), "main", "feature")
    assert "not read (rustscout reads Python and Java): 2 C file(s), 2 TypeScript file(s)" in compared.head.summary.notices
    assert "not read (rustscout reads Python and Java): 2 C file(s), 1 TypeScript file(s)" in compared.base.summary.notices
