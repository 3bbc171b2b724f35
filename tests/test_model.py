"""The nouns themselves: the compact pickle and constructor of the parse records, and the id grammar."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from analyzer.infra import cache
from analyzer.model import (CallSite, CodeUnit, Edge, EdgeKind, Observation, Param, ParsedFile, SourceFile, UnitId,
                            group_id, unit_id)
from analyzer.model._pickle import _rebuilder


def _unit() -> CodeUnit:
    return CodeUnit("py:a.py::f", "function", "python", "a.py", "f", "f", 3, 9, "py:a.py",
                    params=(Param("data", "bytes"),), observations=(Observation("loop", (0, 1, 0, 0), (4,), (5,), 2),),
                    calls=(CallSite("re.compile", 5, 1, "x+", 1),), sloc=6, cyclomatic=2)


def test_compact_records_round_trip_through_pickle_and_the_cache_unpickler():
    parsed = ParsedFile(SourceFile("a.py", "python", 10, "a"), "a", (_unit(),), ())
    data = pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL)
    assert b"_rebuild_CodeUnit" in data and b"analyzer.model._pickle" in data   # the compact form is used
    assert pickle.loads(data) == parsed
    assert cache.loads(data) == parsed   # and the cache's restricted unpickler accepts it


def test_the_cache_unpickler_refuses_anything_else():
    with pytest.raises(pickle.UnpicklingError, match="not a rustscout record"):
        cache.loads(pickle.dumps(print))


def test_a_rebuild_function_sets_every_field_in_order():
    rebuild = _rebuilder(Param, ["name", "annotation", "kind", "default"])
    assert rebuild("x", "int", "keyword", True) == Param("x", "int", "keyword", True)


def test_a_compact_record_is_made_as_its_dataclass_would_make_it():
    site = CallSite("re.compile", 5, 1, arity=2)     # positional, keyword, and the defaults between
    assert (site.literal, site.literal_args, site.via_self, site.arity, site.cold) == (None, 0, False, 2, False)
    assert site == CallSite(target="re.compile", line=5, loop_depth=1, literal=None, literal_args=0, arity=2)
    assert dataclasses.replace(site, cold=True).cold and not site.cold
    with pytest.raises(dataclasses.FrozenInstanceError):
        site.line = 6
    with pytest.raises(TypeError, match="loop_depth"):
        CallSite("re.compile", 5)
    edge = Edge("a", "b", 3, 1, EdgeKind.CALL)
    assert (edge.approx, edge.call, edge.cold) == (False, "", False) and pickle.loads(pickle.dumps(edge)) == edge


@pytest.mark.parametrize("text, parts", [
    ("py:pkg/mod.py", ("python", "pkg/mod.py", "", None)),
    ("py:pkg/mod.py::Class.method", ("python", "pkg/mod.py", "Class.method", None)),
    ("java:src/main/java/a/B.java::B.run(int)", ("java", "src/main/java/a/B.java", "B.run(int)", None)),
    ("java:package:src/main/java/a/", ("java", "src/main/java/a/", "", "package")),
    ("py:component:dominator:pkg/io.py", ("python", "pkg/io.py", "", "component:dominator")),
])
def test_ids_read_and_write_one_grammar(text, parts):
    parsed = UnitId.parse(text)
    assert (parsed.language, parsed.path, parsed.qualname, parsed.group) == parts
    assert str(parsed) == text


def test_ids_are_made_the_same_way_they_are_read():
    assert unit_id("python", "a.py", "f") == "py:a.py::f" and unit_id("java", "B.java") == "java:B.java"
    assert group_id("java", "package", "src/a/") == "java:package:src/a/"
    assert UnitId.parse("py:a.py::C.m").module == "py:a.py" and UnitId.parse("py:a.py").short == "a.py"
