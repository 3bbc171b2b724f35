"""The Java parser: units and ids, facts by loop depth, calls through declared types, bad input."""

from __future__ import annotations

from analyzer.model import SourceFile
from analyzer.parse.java import parse_file

PATH = "core/src/main/java/com/acme/Codec.java"


def parse(text: str, path: str = PATH, full: bool = True):
    data = text.encode()
    return parse_file(SourceFile(path, "java", len(data), ""), data, full)


def unit(parsed, qualname: str):
    return next(u for u in parsed.units if u.qualname == qualname)


def depths(u, name: str):
    found = u.observation(name)
    return found.by_depth if found else (0, 0, 0, 0, 0)


SOURCE = """package com.acme;

import java.util.*;
import java.util.regex.Pattern;

public class Codec {
    private static final Map<Long, Double> CACHE = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    public int run(byte[] data) { return run(data, 0); }

    public int run(byte[] data, int start) {
        int total = 0;
        for (int i = start; i < data.length; i++) {
            total += (data[i] & 0xFF) << 1;
            if (i > 3 && total > 10 || i == 2) { total--; }
        }
        for (String n : names) {
            CACHE.put((long) total, 1.0);
            String label = "n=" + n;
        }
        Pattern p = Pattern.compile("a+");
        names.forEach(x -> helper(x));
        Runnable r = new Runnable() { public void run() { helper("x"); } };
        try { helper("y"); } catch (IllegalStateException e) { total = 0; }
        return total > 0 ? total : -total;
    }

    private synchronized void helper(String s) { names.add(s); }

    public native long fast(long[] values);

    static class Inner {
        int twice(int x) { return x * 2; }
    }
}
"""


def test_units_ids_and_overloads():
    parsed = parse(SOURCE)
    assert parsed.module == "com.acme"
    ids = [u.id.split("::")[-1] for u in parsed.units if u.kind != "module"]
    assert ids == ["Codec", "Codec.run(byte[])", "Codec.run(byte[],int)", "Codec.helper(String)",
                   "Codec.fast(long[])", "Codec.Inner", "Codec.Inner.twice(int)"]
    run = unit(parsed, "Codec.run(byte[],int)")
    assert (run.start, run.end) == (12, 27)
    assert [(p.name, p.annotation) for p in run.params] == [("data", "byte[]"), ("start", "int")]


def test_complexity_follows_the_python_definition():
    run = unit(parse(SOURCE), "Codec.run(byte[],int)")
    # 1 + for + if + && + || + enhanced for + catch + ?:  (the anonymous class adds nothing)
    assert run.cyclomatic == 8


def test_observations_by_loop_depth():
    parsed = parse(SOURCE)
    run = unit(parsed, "Codec.run(byte[],int)")
    assert depths(run, "bitwise") == (0, 0, 2, 0, 0)      # `i < data.length` reads a parameter: per element
    assert depths(run, "index") == (0, 0, 1, 0, 0)
    assert depths(run, "loop") == (2, 0, 0, 0, 0)
    assert depths(run, "boxing") == (0, 1, 0, 0, 0)       # CACHE.put in a loop over a field boxes long and double
    assert depths(run, "heap_field") == (0, 1, 0, 0, 0)   # a collection field mutated
    assert depths(run, "str_concat") == (0, 1, 0, 0, 0)
    assert depths(run, "lambda") == (1, 0, 0, 0, 0)
    assert depths(run, "nested_def") == (1, 0, 0, 0, 0)   # the anonymous Runnable
    assert unit(parsed, "Codec.helper(String)").observation("synchronized").count == 1
    assert unit(parsed, "Codec.fast(long[])").observation("native_method").count == 1
    assert parsed.mutable_globals == (("com.acme.Codec.CACHE", 7),)


def test_assertions_count_as_branches_and_their_work_as_nothing():
    """The JVM runs `assert` only with -ea, never by default: a check in a loop costs nothing in
    production, and its message is never built. The near miss: the same check as an if."""
    parsed = parse("package com.acme;\nclass Checks {\n  int sum(int[] xs) {\n    int t = 0;\n"
                   "    for (int x : xs) {\n      assert valid(x) : \"bad \" + x;\n"
                   "      if (!valid(x)) { t -= x * 2; }\n      t += x;\n    }\n    return t;\n  }\n"
                   "  boolean valid(int x) { return x >= 0; }\n}\n")
    summed = unit(parsed, "Checks.sum(int[])")
    assert summed.cyclomatic == 4   # 1 + for + assert + if
    assert [(c.target.rpartition(".")[2], c.line) for c in summed.calls] == [("valid", 7)]
    assert summed.observation("str_concat") is None
    assert depths(summed, "arith") == (0, 0, 3, 0, 0)   # `t -= x * 2` in the if, `t += x`; nothing of the assert


def test_calls_resolve_through_declared_types():
    run = unit(parse(SOURCE), "Codec.run(byte[],int)")
    calls = {(c.target, c.arity, c.via_self) for c in run.calls}
    assert ("java.util.Map.put", 2, False) in calls
    assert ("java.util.regex.Pattern.compile", 1, False) in calls
    assert ("java.util.List.forEach", 1, False) in calls
    assert ("com.acme.Codec.helper", 1, True) in calls            # from the lambda and the anonymous class
    assert ("new:java.lang.Runnable", 0, False) in calls
    compile_call = next(c for c in run.calls if c.target.endswith("Pattern.compile"))
    assert compile_call.literal == "a+" and compile_call.literal_args & 1
    assert [s.name for s in run.state] == ["com.acme.Codec.CACHE"]


def test_fully_qualified_names_are_not_put_in_the_files_package():
    source = """package com.acme;
class Q {
    java.util.List<String> f(String s) {
        java.util.List<String> out = new java.util.ArrayList<>();
        out.add(java.util.regex.Pattern.compile("x").matcher(s).group());
        return out;
    }
}
"""
    f = unit(parse(source), "Q.f(String)")
    targets = {c.target for c in f.calls}
    assert {"new:java.util.ArrayList", "java.util.List.add", "java.util.regex.Pattern.compile"} <= targets
    assert not any(t.startswith(("com.acme.java", "new:com.acme.java")) for t in targets)


def test_partial_parse_keeps_units_and_names_lines():
    parsed = parse("package a;\nclass A {\n  void ok() { int x = 1; }\n  void bad( { }\n}\n")
    assert parsed.error is not None and parsed.error.partial
    assert "line(s) 4" in parsed.error.message
    assert any(u.qualname.startswith("A.ok") for u in parsed.units)


def test_tests_are_read_for_imports_only():
    parsed = parse("package a;\nimport com.acme.Codec;\nimport java.util.*;\nclass CodecTest {\n"
                   "  void t() { new Codec().run(new byte[0]); }\n}\n",
                   path="core/src/test/java/a/CodecTest.java", full=False)
    assert [u.kind for u in parsed.units] == ["module"]
    assert [(i.module, i.name) for i in parsed.imports] == [("com.acme.Codec", None), ("java.util", "*")]


TEST_SOURCE = """package com.acme.zip;

import static org.junit.Assert.assertEquals;
import com.acme.io.Frames;

class CodecTest {
    private final Codec codec = new Codec(4);
    // codec.skip(1) is a comment, and "Codec.skip(2)" a string: neither is a call
    @Test(timeout = 10)
    void roundTrip() {
        byte[] out = codec.encode(new byte[] {1, 2}, (a, b) -> a + b, Frames.of(1));
        Codec other = new Codec(8).withLevel(3)
            .withWindow(1, 2);
        for (Frames frames : Frames.all()) { frames.close(); }
        assertEquals(2, Codec.decode(out, 0, out.length).length);
        helper(out);
    }
    private int helper(byte[] out) { return out.length; }
}
"""


def test_a_test_file_is_read_for_its_calls_from_its_text():
    parsed = parse(TEST_SOURCE, path="core/src/test/java/com/acme/zip/CodecTest.java", full=False)
    [module] = parsed.units
    calls = {(c.target, c.arity): c.line for c in module.calls}
    assert calls == {
        ("new:com.acme.zip.Codec", 1): 7,
        ("com.acme.zip.Codec.encode", 3): 11,                  # a lambda's comma is not the call's
        ("com.acme.io.Frames.of", 1): 11,
        ("com.acme.zip.Codec.withLevel", 1): 12,               # the receiver is the object just made
        ("com.acme.io.Frames.all", 0): 14,
        ("com.acme.io.Frames.close", 0): 14,                   # a loop variable's declared type
        ("org.junit.Assert.assertEquals", 2): 15,              # through the static import
        ("com.acme.zip.Codec.decode", 3): 15,
    }   # not: the comment, the string, the annotation, `helper` (no static import), its declaration,
        # nor `.withWindow`, whose receiver is another call's result


def test_the_dot_at_sign_or_word_before_a_call_is_seen_across_spaces():
    source = ("package a;\nimport static a.Util.*;\nclass T {\n  void t() {\n    new Codec(1) .\n      level(2);\n"
              "    x. y(). run(3);\n  }\n  @ Check(4) void u() {}\n  Fmt_ w() { return\n    count(5); }\n}\n")
    parsed = parse(source, path="core/src/test/java/a/T.java", full=False)
    calls = {(c.target, c.arity): c.line for c in parsed.units[0].calls}
    assert calls == {("new:a.Codec", 1): 5, ("a.Codec.level", 1): 6, ("a.x.y", 0): 7, ("a.Util.count", 1): 11}
    # not a.Util.run (its receiver is y()'s result), a.Util.Check (an annotation), nor the
    # declarations of u and w


def test_generated_code_and_annotation_processors():
    assert parse("// Generated by the protocol buffer compiler.  DO NOT EDIT!\nclass X {}\n").generated
    assert parse("// Edits are lost: DO NOT EDIT\nclass X {}\n").generated          # without the word "generated"
    assert parse("import javax.annotation.processing.Generated;\n@Generated(\"gen\")\nclass X {}\n").generated
    entity = parse("import jakarta.persistence.GeneratedValue;\nclass E { @GeneratedValue long id; }\n")
    assert not entity.generated
    lombok = parse("import lombok.Data;\n@Data\npublic class Dto { private int x; }\n")
    assert lombok.markers == ("lombok",)


def test_ids_keep_only_the_parameters_own_array_dimensions():
    source = ("package a;\nimport java.util.*;\nclass A {\n"
              "  static long verify(List<byte[]> frames, byte[] key) { return 0; }\n"
              "  static void table(Map<String, int[]>[] shards, String... names) { }\n}\n")
    ids = [u.qualname for u in parse(source).units if u.kind == "function"]
    assert ids == ["A.verify(List,byte[])", "A.table(Map[],String[])"]


def test_a_test_files_literals_hide_their_calls_escaped_quotes_too():
    source = ("package a;\nimport static a.Util.*;\nclass T {\n  void t() {\n"
              r"""    f("say \" g(1) \"", '\'', '(', "a\\", i(3));""" "\n    h(2);\n  }\n}\n")
    parsed = parse(source, path="core/src/test/java/a/T.java", full=False)
    calls = {(c.target, c.arity): c.line for c in parsed.units[0].calls}
    assert calls == {("a.Util.f", 5): 5, ("a.Util.i", 1): 5, ("a.Util.h", 1): 6}


def test_a_test_files_imports_are_read_where_a_line_starts_with_one():
    source = ("package a;\n\t import static b.C.m;\nimport b.D; import b.E;\n// import b.F;\nint x; import b.G;\n"
              "import b.h.*;\nclass T { void t() { m(1); } }\n")
    parsed = parse(source, path="core/src/test/java/a/T.java", full=False)
    assert [(i.module, i.name, i.line) for i in parsed.imports] == [("b.D", None, 3), ("b.h", "*", 6)]
    assert [(c.target, c.arity, c.line) for c in parsed.units[0].calls] == [("b.C.m", 1, 7)]


def test_boxes_that_cross_the_boundary_are_not_boxing_a_port_removes():
    parsed = parse("package com.acme;\nimport java.util.*;\nclass R {\n"
                   "  static List<Integer> toList(int[] a) {\n    List<Integer> l = new ArrayList<>();\n"
                   "    for (int i : a) { l.add(i); }\n    return l;\n  }\n"
                   "  static int sum(List<Integer> xs) {\n    int t = 0;\n    for (Integer x : xs) { t += x; }\n"
                   "    return t;\n  }\n"
                   "  static int distinct(int[] a) {\n    Set<Integer> seen = new HashSet<>();\n"
                   "    for (int i : a) { seen.add(i); }\n    return seen.size();\n  }\n}\n")
    to_list, total, distinct = (unit(parsed, f"R.{q}") for q in ("toList(int[])", "sum(List)", "distinct(int[])"))
    assert depths(to_list, "boxing") == (0, 0, 0, 0, 0) and depths(to_list, "boundary_boxing") == (1, 0, 1, 0, 0)
    assert depths(total, "boxing") == (0, 0, 0, 0, 0) and depths(total, "boundary_boxing") == (0, 0, 1, 0, 0)
    assert depths(distinct, "boxing") == (1, 0, 1, 0, 0)   # a set of its own: a port keeps ints
