"""Catalog matching: names at boundaries, methods only on unknown or built-in receivers."""

from __future__ import annotations

import pytest

from analyzer.ruleset import catalog as catalogs
from analyzer.model import CallSite
from analyzer.infra.resources import rules_dir

CATALOG = catalogs.load(rules_dir() / "catalogs")


@pytest.mark.parametrize("target, literal, bits, expected", [
    ("requests.Session().get", None, 0, ("io_network", "io")),
    ("open().read", None, 0, ("io_file", "io")),
    ("re.compile", "a+", 1, ("native", "regex_api")),
    ("struct.unpack_from", None, 0, ("native_helper",)),    # a few bytes: the call costs more than the work
    ("struct.Struct().unpack", None, 0, ("native_helper",)),
    ("zlib.compress", None, 0, ("native",)),                # bulk work: a port calls the same code
    ("re.compile().match", None, 0, ("native", "regex_api")),
    ("re.compile().match().end", None, 0, ("regex_api", "native_helper")),   # a field read: overrides native
    ("re.search().group", None, 0, ("regex_api", "native_helper")),
    ("builtins.list().append", None, 0, ("container_op",)),
    (".isdigit", None, 0, ("char_op",)),
    ("param:q.pop", 0, 1, ("container_op", "queue_front")),
    ("param:q.pop", None, 0, ("container_op",)),
    ("getattr", "x", 1, ("dynamic",)),
    ("getattr", None, 0b11, ()),
    ("requestsfoo.get", None, 0, ()),
    ("flask.Flask().route", None, 0, ("framework",)),
    ("input", None, 0, ("io_file", "io")),                   # a prompt waits on a person
    ("getpass.getpass", None, 0, ("io_file", "io")),
    ("print", None, 0, ()),                                  # near miss: a buffered write, not a wait
])
def test_classify(target, literal, bits, expected):
    found = CATALOG.classify("python", CallSite(target, 1, 0, literal, bits))
    assert tuple(c for c in found if c != "io") + (("io",) if "io" in expected else ()) == expected or \
        found == tuple(c for c in expected if c != "io")


@pytest.mark.parametrize("target, expected", [
    ("java.nio.ByteBuffer.getInt", ("buffer_access",)),   # one element: a load in a port
    ("sun.misc.Unsafe.getLong", ("buffer_access",)),
    ("java.nio.ByteBuffer.allocate", ()),                   # near miss: a buffer made, not read
    ("java.lang.Integer.rotateLeft", ("bit_op",)),          # one instruction, as in C
    ("java.lang.Integer.parseInt", ("container_op",)),      # near miss: parsing text
])
def test_java_element_and_bit_calls(target, expected):
    assert CATALOG.classify("java", CallSite(target, 1, 0)) == expected


def test_crates_by_longest_prefix():
    assert CATALOG.crate_for("python", "zlib") == "flate2"
    assert CATALOG.crate_for("python", "numpy") == "ndarray"
    assert CATALOG.crate_for("python", "no_such_lib") is None


def test_bad_catalog_reports_every_problem(tmp_path):
    (tmp_path / "a.yaml").write_text("kind: calls\ncategories:\n  x:\n    cobol: [a]\n")
    (tmp_path / "b.yaml").write_text("kind: nonsense\n")
    with pytest.raises(catalogs.CatalogError) as caught:
        catalogs.load(tmp_path)
    assert len(caught.value.problems) == 2


@pytest.mark.parametrize("overrides, problem", [
    ("[bulk]", "override of unknown category 'bulk'"),
    ("bulk", "a.yaml: helper.overrides: expected a list of category names"),
])
def test_overrides_name_known_categories_in_a_list(tmp_path, overrides, problem):
    (tmp_path / "a.yaml").write_text(f"kind: calls\ncategories:\n  helper:\n    overrides: {overrides}\n"
                                     "    python: [x.y]\n")
    text = (rules_dir() / "catalogs" / "costs.yaml").read_text()
    (tmp_path / "costs.yaml").write_text(text)
    with pytest.raises(catalogs.CatalogError) as caught:
        catalogs.load(tmp_path)
    assert caught.value.problems == [problem]


@pytest.mark.parametrize("kernel", [
    "{share: 1.5, absorbs: [compute, memory]}",      # a share above one
    "{share: 0.33, absorbs: [compute, warp]}",       # no such kind of work
    "{share: 0.33, absorbs: [bits, compute]}",       # itself: its own work would vanish
    "{share: 0.33, absorbs: [compute, compute]}",    # twice: counted twice
    "{share: 0.33, absorbs: [[compute]]}",           # not a name
])
def test_a_kernel_needs_a_share_and_other_known_kinds_each_once(tmp_path, kernel):
    text = (rules_dir() / "catalogs" / "costs.yaml").read_text()
    good = "    bits: {share: 0.33, absorbs: [compute, memory]}"
    assert good in text
    (tmp_path / "costs.yaml").write_text(text.replace(good, f"    bits: {kernel}"))
    with pytest.raises(catalogs.CatalogError) as caught:
        catalogs.load(tmp_path)
    assert caught.value.problems == ["costs.yaml: java.kernels.bits: needs a kind of work (one of the gains) with "
                                     "a share in (0, 1] and absorbs: a list of other kinds of work, each once"]


TARGETS = ["argparse.ArgumentParser", "argparse.ArgumentParser().parse_args", "param:parser.parse_args",
           ".parse_args", "builtins.list().append", "?dynamic", "org.apache.commons.cli.DefaultParser().parse",
           "os.path.join", "clickhouse.connect", "new:org.apache.commons.cli.Options"]


@pytest.mark.parametrize("names", [{"argparse", "click.command"}, {".parse_args", "org.apache.commons.cli"},
                                   {".append"}, set()])
def test_may_have_key_is_false_only_where_no_lookup_key_is_named(names):
    may = catalogs.may_have_key(names)
    missed = [t for t in TARGETS if not may(t) and not names.isdisjoint(catalogs.lookup_keys(t))]
    assert missed == []


def test_may_have_key_leaves_out_targets_that_begin_with_no_name():
    may = catalogs.may_have_key({"argparse", "click.command"})
    assert [t for t in TARGETS if may(t)] == ["argparse.ArgumentParser", "argparse.ArgumentParser().parse_args"]
