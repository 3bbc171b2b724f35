"""Facts the ranking rests on: which tests exercise a unit, which calls are native work, which
call sites are cold, and which units already have a native twin. Each test builds its own small
repository in memory and names the units and values a wrong fact would move."""

from __future__ import annotations

from pathlib import Path

from analyzer import pipeline
from analyzer.code import graph as graphs
from analyzer.config import Config
from analyzer.infra.clock import Clock
from analyzer.model import History, SourceFile
from analyzer.parse.java import parse_file as java_file
from analyzer.pipeline import assemble
from analyzer.pipeline.survey import conclude, survey


def java_repo(files: dict[str, str]):
    parsed = []
    for path, text in sorted(files.items()):
        tags = frozenset({"test"}) if "/test/" in path else frozenset()
        parsed.append(java_file(SourceFile(path, "java", len(text), "", tags), text.encode(), not tags))
    units = {u.id: u for pf in parsed for u in pf.units}
    return graphs.build(parsed, units)[0], units


MAIN = "src/main/java/com/acme/text/"
TEST = "src/test/java/com/acme/"
JAVA_LIB = {
    MAIN + "Texts.java": ("package com.acme.text;\n\npublic final class Texts {\n"
                          "    public static String repeat(String s, int n) { return s.repeat(n); }\n"
                          "    public static String repeat(String s, String sep, int n) { return s + sep; }\n"
                          "    public static String strip(String s) { return s.trim(); }\n"
                          "    public static String pad(String s) { return s + ' '; }\n}\n"),
    MAIN + "Ratio.java": ("package com.acme.text;\n\npublic final class Ratio {\n"
                          "    private final int n;\n    private Ratio(int n) { this.n = n; }\n"
                          "    public static Ratio of(int a, int b) { return new Ratio(a / b); }\n"
                          "    public Ratio plus(Ratio o) { return new Ratio(n + o.n); }\n}\n"),
    # same package as the code it tests: no import names Texts or Ratio
    TEST + "text/TextsTest.java": ("package com.acme.text;\n\nimport static org.junit.Assert.assertEquals;\n\n"
                                   "class TextsTest {\n    private final Ratio half = Ratio.of(1, 2);\n"
                                   "    void repeats() {\n        assertEquals(\"abab\", Texts.repeat(\"ab\", 2));\n"
                                   "        assertEquals(\"aa\", Texts.repeat(\"a\", 2));\n    }\n"
                                   "    void adds() { half.plus(half); }\n}\n"),
    # another package, through a static import of the method
    TEST + "other/PadTest.java": ("package com.acme.other;\n\nimport static com.acme.text.Texts.pad;\n\n"
                                  "class PadTest {\n    void pads() { pad(\"x\"); }\n}\n"),
}


def test_java_tests_in_the_same_package_and_through_static_imports_are_seen():
    graph, _ = java_repo(JAVA_LIB)
    texts = "java:" + MAIN + "Texts.java::Texts."
    same_package = {"java:" + TEST + "text/TextsTest.java"}
    assert graph.test_users([texts + "repeat(String,int)"]) == same_package
    assert graph.test_users([texts + "pad(String)"]) == {"java:" + TEST + "other/PadTest.java"}
    assert graph.test_users([texts + "repeat(String,String,int)"]) == frozenset()   # not called: 3 arguments
    assert graph.test_users([texts + "strip(String)"]) == frozenset()
    ratio = "java:" + MAIN + "Ratio.java::Ratio."
    assert graph.test_users([ratio + "of(int,int)"]) == same_package
    assert graph.test_users([ratio + "plus(Ratio)"]) == same_package   # through the field's declared type


def test_python_tests_calling_through_an_imported_module_are_seen():
    from analyzer.parse.python import parse_file
    files = {"pkg/__init__.py": "", "pkg/codec.py": "def decode(b):\n    return b\n\n\ndef encode(s):\n    return s\n",
             "tests/test_codec.py": ("import pkg.codec as codec\nimport pkg\n\n\ndef test_round_trip():\n"
                                     "    assert codec.decode(b'') == b''\n    assert pkg.codec.encode('') == ''\n")}
    parsed = [parse_file(SourceFile(p, "python", len(t), p[:-3].replace("/", ".").removesuffix(".__init__"),
                                    frozenset({"test"}) if p.startswith("tests/") else frozenset()),
                         t.encode(), not p.startswith("tests/")) for p, t in sorted(files.items())]
    graph = graphs.build(parsed, {u.id: u for pf in parsed for u in pf.units})[0]
    assert graph.test_users(["py:pkg/codec.py::decode"]) == {"py:tests/test_codec.py"}
    assert graph.test_users(["py:pkg/codec.py::encode"]) == {"py:tests/test_codec.py"}


def test_java_test_calls_stay_out_of_the_call_graph():
    graph, units = java_repo(JAVA_LIB)
    ratio = "java:" + MAIN + "Ratio.java::Ratio."
    assert [e.source for e in graph.callers_of(ratio + "of(int,int)")] == []
    assert graph.unresolved == 0   # assertEquals is JUnit's, not an unresolved call of the repository


# --- calls into native methods ---------------------------------------------------------------

def scan_java(files: dict[str, str]):
    """Survey and judgements of an in-memory Java repository, without history."""
    catalog, rules = pipeline.load_rules(Config(Path(".")))
    parsed = tuple(java_file(SourceFile(p, "java", len(t), ""), t.encode()) for p, t in sorted(files.items()))
    code = survey(parsed, catalog, rules, Clock())
    judged = conclude(code, History(False, "no history in this test", None, None), rules, catalog,
                      Config(Path(".")), None, Clock())[1]
    return code, {j.group.id: j for j in judged}


NATIVE = "src/main/java/com/acme/zip/"
NATIVE_LIB = {
    NATIVE + "Binding.java": ("package com.acme.zip;\n\nfinal class Binding {\n"
                              "    native int rawCompress(byte[] in, int length, byte[] out);\n}\n"),
    NATIVE + "Codec.java": ("package com.acme.zip;\n\npublic final class Codec {\n"
                            "    private static final Binding IMPL = new Binding();\n"
                            "    public static int compress(byte[] in, byte[] out) {\n"
                            "        return IMPL.rawCompress(in, in.length, out);\n    }\n}\n"),
    NATIVE + "BlockWriter.java": ("package com.acme.zip;\n\nimport java.io.IOException;\nimport java.nio.ByteBuffer;\n"
                                  "import java.nio.channels.WritableByteChannel;\n\n"
                                  "public final class BlockWriter {\n    private final WritableByteChannel out;\n"
                                  "    private final byte[] buffer = new byte[65536];\n"
                                  "    BlockWriter(WritableByteChannel out) { this.out = out; }\n"
                                  "    public void writeAll(byte[][] blocks) throws IOException {\n"
                                  "        int n = 0;\n        for (byte[] block : blocks) {\n"
                                  "            n += Codec.compress(block, buffer);\n        }\n"
                                  "        out.write(ByteBuffer.wrap(buffer, 0, n));\n    }\n}\n"),
}


def test_a_call_into_a_native_method_is_native_work_not_a_call_of_java_code():
    code, _ = scan_java(NATIVE_LIB)
    compress = "java:" + NATIVE + "Codec.java::Codec.compress(byte[],byte[])"
    [edge] = code.graph.calls_from(compress)
    assert edge.target == "java:" + NATIVE + "Binding.java::Binding.rawCompress(byte[],int,byte[])"
    assert code.graph.cost_name(edge) == "native"
    x = code.intensity[compress]
    # the JNI call (20) and the native body (200), both gaining nothing; no Java call work left
    assert (x.by_kind.get("native"), x.by_kind.get("call", 0.0)) == (220.0, 0.0)
    assert x.core_speedup == 1.0
    # a native method is no candidate of its own: its body is native already
    assert edge.target not in {g.id for g in code.groups}


def test_a_writer_that_compresses_through_jni_is_not_said_to_wait_on_io():
    code, judged = scan_java(NATIVE_LIB)
    write = "java:" + NATIVE + "BlockWriter.java::BlockWriter.writeAll(byte[][])"
    own = code.works[write]
    assert own.by_kind["io"] / own.heat > 0.5   # its own lines: one write, and calls that leave it
    x = code.intensity[write]
    assert x.by_kind["io"] == 2000.0 and x.by_kind["native"] > 5 * x.by_kind["io"]   # compression per block
    assert "IO001" not in {f.rule_id for f in judged[write].findings}
    assert "mostly native work" in judged[write].reason


# --- cold paths ------------------------------------------------------------------------------

def calls_of(parsed, qualname: str):
    unit = next(u for u in parsed.units if u.qualname.startswith(qualname))
    return [(c.target.lstrip("?").rpartition(".")[2], c.loop_depth, c.cold) for c in unit.calls]


def test_python_error_handling_and_branches_that_raise_are_cold():
    from analyzer.parse.python import parse_file
    source = ("def load(rows):\n    for row in rows:\n        try:\n            keep(row)\n"
              "        except ValueError as exc:\n            report(exc)\n"
              "        if row < 0:\n            note(row)\n            raise ValueError(describe(row))\n"
              "        elif row > 9:\n            clip(row)\n        else:\n            raise KeyError(row)\n")
    parsed = parse_file(SourceFile("m.py", "python", len(source), "m"), source.encode())
    assert calls_of(parsed, "load") == [("keep", 1, False), ("report", 0, True), ("note", 0, True),
                                        ("ValueError", 0, True), ("describe", 0, True), ("clip", 1, False),
                                        ("KeyError", 0, True)]


def test_java_catch_blocks_and_branches_that_throw_are_cold():
    source = ("package p;\nclass Reader {\n  int sum(int[] xs) {\n    int t = 0;\n"
              "    for (int x : xs) {\n      try { t += weigh(x); } catch (RuntimeException e) { log(e); }\n"
              "      if (x < 0) {\n        note(x);\n        throw fail(x);\n      } else {\n        clip(x);\n      }\n"
              "    }\n    return t;\n  }\n}\n")
    parsed = java_file(SourceFile("src/main/java/p/Reader.java", "java", len(source), ""), source.encode())
    assert calls_of(parsed, "Reader.sum") == [("weigh", 2, False), ("log", 0, True), ("note", 0, True),
                                              ("fail", 0, True), ("clip", 2, False)]


GUARD = {NATIVE + "Guard.java": ("package com.acme.zip;\n\npublic final class Guard {\n    private boolean closed;\n"
                                  "    public void ensureOpen(String name) {\n        if (closed) {\n"
                                  "            throw new IllegalStateException(\"closed: \" + name);\n        }\n    }\n"
                                  "    public RuntimeException failure(String name) {\n"
                                  "        return new IllegalStateException(\"closed: \" + name);\n    }\n}\n")}


def test_work_on_an_exception_path_weighs_one_chance_in_trip():
    """The message a throw builds is work a call does rarely: its allocation and concatenation
    weigh as the calls there do (zstd-jni's `ensureOpen` headed its ranking on them). Rules
    still count them, once per call; the same lines returned, not thrown, weigh in full."""
    code, _ = scan_java(GUARD)
    guard, trip = "java:" + NATIVE + "Guard.java::Guard.", pipeline.load_rules(Config(Path(".")))[0].costs.trip
    thrown, returned = code.units[guard + "ensureOpen(String)"], code.units[guard + "failure(String)"]
    assert [(o.name, sum(o.by_depth), o.cold) for o in thrown.observations] == [("call", 0, 1), ("str_concat", 0, 1)]
    assert [(o.name, sum(o.by_depth), o.cold) for o in returned.observations] == [("call", 1, 0), ("str_concat", 1, 0)]
    assert [o.per_call for o in thrown.observations] == [o.per_call for o in returned.observations]
    costs = code.code.heat.costs
    assert costs[guard + "ensureOpen(String)"].by_kind["alloc"] * trip == costs[guard + "failure(String)"].by_kind["alloc"]
    # explain says where, and how it is weighed: the call, the concatenation and the call's category
    own = code.code.own[guard + "ensureOpen(String)"]
    assert (own.counts["exception_paths"][0], own.lines["exception_paths"]) == (3, (7,))
    assert "exception_paths" not in code.code.own[guard + "failure(String)"].counts


def test_a_boundary_names_first_what_its_calls_reach_most_often():
    """What holds a port back is what it calls per element, not the exception it may throw
    once: dulwich's apply_delta was said to be held by ApplyDeltaError, named first by the alphabet."""
    source = ("package com.acme.zip;\n\npublic final class Delta {\n"
              "    public static int apply(byte[] src) {\n        int t = 0;\n"
              "        for (byte b : src) {\n            if (b < 0) {\n                throw Errors.bad(b);\n            }\n"
              "            t += Sizes.size(b);\n        }\n        return t + Sizes.total(src);\n    }\n}\n")
    helpers = ("package com.acme.zip;\n\nfinal class Errors {\n"
               "    static IllegalStateException bad(int b) { return new IllegalStateException(\"bad \" + b); }\n}\n")
    sizes = ("package com.acme.zip;\n\nfinal class Sizes {\n    static int size(int b) { return b & 0x7f; }\n"
             "    static int total(byte[] xs) { return xs.length; }\n}\n")
    code, _ = scan_java({NATIVE + "Delta.java": source, NATIVE + "Errors.java": helpers, NATIVE + "Sizes.java": sizes})
    apply = code.boundaries["java:" + NATIVE + "Delta.java::Delta.apply(byte[])"]
    assert [t.rpartition("::")[2] for t in apply.most_called] == ["Sizes.size(int)", "Sizes.total(byte[])",
                                                                   "Errors.bad(int)"]


def test_what_a_debug_level_guard_holds_is_cold_and_an_info_guard_is_not():
    """Production processes log at INFO: `if (LOG.isDebugEnabled())` holds work that runs only
    when someone turns debugging on, as rarely as an exception path."""
    source = ("package p;\nclass Mover {\n  void move(int[] xs) {\n    for (int x : xs) {\n"
              "      if (LOG.isDebugEnabled()) { trace(x); }\n      if (LOG.isInfoEnabled()) { report(x); }\n"
              "      if (JUL.isLoggable(Level.FINEST)) { dump(x); } else { keep(x); }\n    }\n  }\n}\n")
    parsed = java_file(SourceFile("src/main/java/p/Mover.java", "java", len(source), ""), source.encode())
    assert calls_of(parsed, "Mover.move") == [("isDebugEnabled", 2, False), ("trace", 0, True),
                                              ("isInfoEnabled", 2, False), ("report", 2, False),
                                              ("isLoggable", 2, False), ("dump", 0, True), ("keep", 2, False)]


def test_blocks_kept_for_debugging_that_never_run_count_for_nothing():
    from analyzer.parse.python import parse_file
    source = ("def trace(frames, log):\n    if 0:\n        for f in frames:\n            log(f)\n    else:\n"
              "        keep(frames)\n    if False:\n        dump(frames)\n    if debug:\n        show(frames)\n")
    parsed = parse_file(SourceFile("m.py", "python", len(source), "m"), source.encode())
    assert calls_of(parsed, "trace") == [("keep", 0, False), ("show", 0, False)]
    assert not any(o.name == "loop" for o in parsed.units[1].observations)
    java = ("package p;\nclass Tracer {\n  void trace(int[] xs) {\n    if (false) { for (int x : xs) { log(x); } }\n"
            "    else { keep(xs); }\n    if (debug) { show(xs); }\n  }\n}\n")
    parsed = java_file(SourceFile("src/main/java/p/Tracer.java", "java", len(java), ""), java.encode())
    assert calls_of(parsed, "Tracer.trace") == [("keep", 0, False), ("show", 0, False)]
    assert not any(o.name == "loop" for o in parsed.units[2].observations)


OFF_PATH = {
    NATIVE + "Frames.java": ("package com.acme.zip;\n\nimport java.io.Closeable;\n\n"
                             "public final class Frames implements Closeable {\n"
                             "    private final int[] sizes = new int[64];\n"
                             "    public int total(int[][] blocks) {\n        int t = 0;\n"
                             "        for (int[] b : blocks) {\n            for (int v : b) {\n"
                             "                if (v < 0) {\n                    throw error(\"negative\", v);\n"
                             "                }\n                if (v > 1 << 20) {\n"
                             "                    throw error(\"too large\", v);\n                }\n"
                             "                t += v + describe().length();\n            }\n        }\n"
                             "        return t;\n    }\n"
                             "    private static IllegalArgumentException error(String what, int v) {\n"
                             "        return new IllegalArgumentException(what + \" \" + v);\n    }\n"
                             "    private String describe() { return toString(); }\n"
                             "    @Override public String toString() {\n        StringBuilder s = new StringBuilder();\n"
                             "        for (int n : sizes) { s.append(n).append(','); }\n        return s.toString();\n    }\n"
                             "    @Override public void close() { release(sizes); }\n"
                             "    private static void release(int[] xs) { for (int i = 0; i < xs.length; i++) { xs[i] = 0; } }\n"
                             "    public static void main(String[] args) {\n"
                             "        for (String a : args) { System.out.println(a); }\n    }\n}\n"),
}


def test_protocol_hooks_and_process_entries_are_off_the_hot_path():
    code, _ = scan_java(OFF_PATH)
    frames = "java:" + NATIVE + "Frames.java::Frames."
    graph = code.graph
    assert {u: graph.off_path(frames + u) for u in ("toString()", "close()", "main(String[])", "error(String,int)",
                                                     "describe()", "total(int[][])")} == {
        "toString()": "protocol", "close()": "protocol", "main(String[])": "entry", "error(String,int)": None,
        "describe()": None, "total(int[][])": None}
    # describe() runs per element of total(); the toString() it calls is a diagnostic: cold, no loop weight
    [into] = [e for e in graph.calls_from(frames + "describe()")]
    assert (into.target, into.depth, into.cold) == (frames + "toString()", 0, True)
    [released] = graph.calls_from(frames + "close()")
    assert (released.depth, released.cold) == (0, True)


def test_two_throw_sites_of_one_caller_share_one_exception_path():
    code, _ = scan_java(OFF_PATH)
    trip = pipeline.load_rules(Config(Path(".")))[0].costs.trip
    error = code.intensity["java:" + NATIVE + "Frames.java::Frames.error(String,int)"]
    assert error.reach == 1 / trip   # not 2 / trip, not trip ** 3 (the loops around the sites)
    describe = code.intensity["java:" + NATIVE + "Frames.java::Frames.describe()"]
    assert describe.reach == trip ** 3   # the same loops, a hot call: the data-sized loop counts twice


def scan_python(files: dict[str, str]):
    from analyzer.parse.python import parse_file
    catalog, rules = pipeline.load_rules(Config(Path(".")))
    parsed = tuple(parse_file(SourceFile(p, "python", len(t), p[:-3].replace("/", ".")), t.encode())
                   for p, t in sorted(files.items()))
    return survey(parsed, catalog, rules, Clock())


HELP = ("import argparse\n\n\ndef usage(parser):\n    parser.print_help()\n    return parser.format_usage()\n\n\n"
        "def report(tables):\n    for table in tables:\n        for row in table:\n            for cell in row:\n"
        "                if cell is None:\n                    usage(argparse.ArgumentParser())\n\n\n"
        "def main(items):\n    for item in items:\n        for part in item:\n            for bit in part:\n"
        "                emit(bit)\n\n\n"
        "def emit(bit):\n    return bit * 2\n\n\n"
        "class Row:\n    def __init__(self, cells):\n        self.cells = cells\n\n"
        "    def __repr__(self):\n        return ', '.join(str(c) for c in self.cells)\n")


def test_a_help_printer_under_three_loops_prints_once_and_names_decide_nothing():
    code = scan_python({"tool.py": HELP})
    graph = code.graph
    assert graph.off_path("py:tool.py::usage") == "entry"          # it prints the usage of argparse
    assert graph.off_path("py:tool.py::main") is None              # a name: nothing parses the command line
    assert graph.off_path("py:tool.py::Row.__repr__") == "protocol"
    trip = pipeline.load_rules(Config(Path(".")))[0].costs.trip
    # not trip ** 3; and report(), which builds a parser, is a process entry too: what only
    # entries reach runs once per process
    assert code.intensity["py:tool.py::usage"].reach == 1 / trip
    assert code.intensity["py:tool.py::emit"].reach == trip ** 3   # the same loops over data: hot
    assert code.intensity["py:tool.py::Row.__repr__"].reach == 1 / trip   # nobody here calls it: rarely run


def test_the_java_samples_exception_builder_is_not_a_hot_path(java_report):
    """FixParser.error only builds the exception its three callers throw: one exception path
    per call of each, not ten throw sites inside byte loops."""
    found = {c["id"]: c for c in java_report["candidates"]}
    parser = "java:core/src/main/java/com/quarry/feed/codec/FixParser.java::FixParser."
    error = found[parser + "error(String,int)"]
    reach = next(f for f in error["factors"] if f["name"] == "reach")
    assert reach["value"] == 0.38 and error["verdict"] == "insufficient-evidence"   # 3 x 1/8, rounded
    assert error["rank"] > max(found[parser + m]["rank"] for m in ("parseLong(byte[],int,int)",
                                                                 "parseDecimal(byte[],int,int)", "parse(byte[])"))


# --- metaclasses -----------------------------------------------------------------------------

METAS = {
    "pkg/meta.py": ("class Tables(type):\n    def __new__(mcs, name, bases, attrs):\n"
                    "        klass = super().__new__(mcs, name, bases, attrs)\n"
                    "        klass.TABLE = {k: i for i, k in enumerate(attrs.get('KEYS', ()))}\n"
                    "        return klass\n\n    def describe(cls):\n        return cls.__name__\n\n\n"
                    "class Registry(type):\n    def __call__(cls, *args):\n"
                    "        return cls.cache.setdefault(args, super().__call__(*args))\n\n\n"
                    "class Deeper(Tables):\n    def __getattr__(cls, name):\n        return name\n"),
    "pkg/lex.py": ("import abc\nimport enum\nfrom pkg.meta import Tables, Registry, Deeper\n\n\n"
                   "class Lexer(metaclass=Tables):\n    KEYS = ('a', 'b')\n\n\n"
                   "class Cached(metaclass=Registry):\n    pass\n\n\n"
                   "class Odd(metaclass=Deeper):\n    pass\n\n\n"
                   "class Shape(metaclass=abc.ABCMeta):\n    pass\n\n\n"
                   "class Colour(metaclass=enum.EnumMeta):\n    pass\n"),
}


def test_a_metaclass_that_only_builds_the_class_is_not_a_dynamic_feature():
    code = scan_python(METAS)

    def dynamic(name: str) -> bool:
        facts = code.unit_facts.get(f"py:pkg/lex.py::{name}")
        return facts is not None and any(o.name == "metaclass" for o in facts.observations)

    assert code.units["py:pkg/lex.py::Lexer"].metaclass == "pkg.meta.Tables"
    assert not dynamic("Lexer")      # __new__ fills class tables once; describe() is a class method
    assert not dynamic("Shape")      # abc.ABCMeta: checks abstract methods, nothing at run time
    assert dynamic("Cached")         # __call__ decides what instantiation returns
    assert dynamic("Odd")            # inherits the plain hooks, adds __getattr__
    assert dynamic("Colour")         # a library's metaclass: not read, so not assumed plain


# --- what only rare paths reach ------------------------------------------------------------------

RARE = {"pkg/rows.py": (
    "import argparse\n\n\ndef main(argv):\n    args = argparse.ArgumentParser().parse_args(argv)\n"
    "    for name in args.files:\n        tally(name)\n\n\n"
    "def tally(name: str):\n    n = 0\n    for ch in name:\n        n += ord(ch)\n    return n\n\n\n"
    "class Table:\n    def __init__(self, rows):\n        self.rows = rows\n\n"
    "    def __repr__(self):\n        return render(self.rows)\n\n\n"
    "def render(rows):\n    out = []\n    for row in rows:\n        for v in row:\n"
    "            out.append(describe(v))\n    return ' '.join(out)\n\n\n"
    "def describe(value):\n    return type(value).__name__\n\n\n"
    "def merge(rows: list):\n    out = {}\n    for row in rows:\n        for k, v in row.items():\n"
    "            out[k] = shape(v)\n    return out\n\n\n"
    "def shape(value):\n    return type(value).__name__\n\n\n"
    "def check(rows: list):\n    for row in rows:\n        if not row:\n"
    "            raise ValueError(explain(row))\n\n\n"
    "def explain(row):\n    return ', '.join(quote(v) + shape(v) for v in row)\n\n\n"
    "def quote(value):\n    return repr(value)\n")}


def test_what_only_diagnostics_exception_paths_and_main_reach_is_as_rare_as_they_are():
    code = scan_python(RARE)
    graph, trip = code.graph, pipeline.load_rules(Config(Path(".")))[0].costs.trip
    unit = "py:pkg/rows.py::"
    # render() runs when a Table is printed; describe(), in its loops, as rarely
    assert graph.rare_only(unit + "render") and graph.rare_only(unit + "describe")
    assert code.intensity[unit + "describe"].reach == 1 / trip      # not trip ** 2: its caller is rare
    # explain() builds an exception's message; quote() runs as rarely as the message is built
    assert graph.rare_only(unit + "explain") and graph.rare_only(unit + "quote")
    assert code.intensity[unit + "quote"].reach == 1 / trip
    # main() parses the command line: it runs once per process, and tally() with it
    assert graph.off_path(unit + "main") == "entry" and graph.rare_only(unit + "tally")
    assert code.intensity[unit + "tally"].reach == 1 / trip          # not trip: the loop is main's
    # a near miss: shape() is reached from merge()'s loops as well as from the message
    assert not graph.rare_only(unit + "shape") and not graph.rare_only(unit + "merge")
    assert code.intensity[unit + "shape"].reach > trip ** 2   # merge()'s nested loops over its rows


# --- a name bound again in a branch --------------------------------------------------------------

REBOUND = {
    "codec.py": ("def _encode_py(data: bytes):\n    out = bytearray()\n    for b in data:\n"
                 "        out.append(b ^ 0x5A)\n    return bytes(out)\n\n\n"
                 "encode = _encode_py\ntry:\n    from _codec_native import encode_fast\n"
                 "    encode = encode_fast\nexcept ImportError:\n    pass\n\n\n"
                 "def encode_all(chunks):\n    return [encode(c) for c in chunks]\n"),
    "impl.py": ("import sys\n\n\nclass Win:\n    def run(self):\n        return 1\n\n\n"
                "class Posix:\n    def run(self):\n        return 2\n\n\n"
                "if sys.platform == 'win32':\n    impl = Win()\nelse:\n    impl = Posix()\n\n\n"
                "def go():\n    return impl.run()\n"),
}


def test_a_call_through_a_name_bound_again_in_a_branch_reaches_the_python_binding():
    code = scan_python(REBOUND)
    callers = {(e.source, e.line) for e in code.graph.callers_of("py:codec.py::_encode_py")}
    assert callers == {("py:codec.py::encode_all", 17)}   # not lost to the later `encode = encode_fast`
    trip = pipeline.load_rules(Config(Path(".")))[0].costs.trip
    assert code.intensity["py:codec.py::_encode_py"].reach == trip   # once per chunk of a loop
    # an instance bound in branches keeps its last class: its methods still resolve
    assert {e.source for e in code.graph.callers_of("py:impl.py::Posix.run")} == {"py:impl.py::go"}


# --- a loop's own step ------------------------------------------------------------------------

STEPS = {"m.py": ("def flatten(groups: list):\n    return [x for g in groups for x in g]\n\n\n"
                  "def checksum(data: bytes):\n    total = 0\n    for i in range(len(data)):\n"
                  "        total = (total + data[i]) & 0xFFFF\n    return total\n")}


def test_stepping_through_objects_is_container_work_and_a_counter_is_compute():
    code = scan_python(STEPS)
    flatten, checksum = (code.intensity[f"py:m.py::{name}"] for name in ("flatten", "checksum"))
    assert set(flatten.by_kind) == {"alloc", "container"}    # a port still fetches each reference
    assert flatten.core_speedup < 10 < checksum.core_speedup   # under the bar; the counter loop clears it
    assert checksum.by_kind["compute"] > 30 * checksum.by_kind.get("container", 0.0)


# --- a dispatch table -----------------------------------------------------------------------------

TABLES = {"dec.py": ("class Decoder:\n    def decode(self, kind):\n        handler = DECODERS[kind]\n"
                     "        return handler(self, kind)\n\n    def decode_int(self, kind):\n        return kind + 1\n\n"
                     "    def decode_list(self, kind):\n        return [self.decode(0) for _ in range(kind)]\n\n\n"
                     "def name_of(kind):\n    return NAMES.get(kind)(kind)\n\n\n"
                     "def label(kind):\n    return 'x'\n\n\n"
                     "DECODERS = {0: Decoder.decode_int, 1: Decoder.decode_list}\n"
                     "NAMES = {0: label, 1: lambda kind: 'y'}\n"
                     + "".join(f"def h{i}(k):\n    return k\n\n\n" for i in range(9))
                     + "HOOKS = {" + ", ".join(f"{i}: h{i}" for i in range(9)) + "}\n\n\n"
                     "def hook(k):\n    return HOOKS[k](k)\n"),
          "cls.py": ("def helper(k):\n    return k\n\n\n"
                     "class Reader:\n    def read(self, kind):\n"
                     "        return self.TABLE[kind](self, kind) + self.alias(kind) + self.late(kind)\n\n"
                     "    def read_int(self, kind):\n        return kind + 1\n\n"
                     "    TABLE = {1: read_int}\n    alias = read_int\n    late = helper\n\n"
                     "    def helper(self, kind):\n        return kind\n"),
          "pkg/__init__.py": "from .impl import g0, g1, g2, g3\n",    # re-exported: found a round later
          "pkg/impl.py": "".join(f"def g{i}(k):\n    return k\n\n\n" for i in range(4)),
          "mix.py": ("from pkg import g0, g1, g2, g3\nfrom consts import COMMA, TAB\n\n\n"
                     + "".join(f"def h{i}(k):\n    return k\n\n\n" for i in range(5))
                     + "HOOKS = {" + ", ".join([f"{i}: h{i}" for i in range(5)] + [f"{i + 5}: g{i}" for i in range(4)])
                     + "}\nBASE = {0: h0}\nMORE = {**BASE, 1: h1}\nSEPS = {'csv': COMMA, 'tsv': TAB}\n\n\n"
                     "def hook(k):\n    return HOOKS[k](k)\n\n\n"
                     "def more(k):\n    return MORE[k](k)\n\n\n"
                     "def joined(fmt, parts):\n    sep = SEPS[fmt]\n    return sep.join(parts) + MORE[0](1).upper()\n")}


def test_a_call_through_a_table_of_functions_or_a_class_alias_reaches_what_it_holds():
    code = scan_python(TABLES)

    def callers(name):
        return {(e.source, e.line) for e in code.graph.callers_of(f"py:dec.py::{name}")}
    assert callers("Decoder.decode_int") == callers("Decoder.decode_list") == {("py:dec.py::Decoder.decode", 4)}
    assert callers("label") == {("py:dec.py::name_of", 14)}     # through .get; the lambda is no unit
    assert not any(callers(f"h{i}") for i in range(9))         # nine handlers: a hook, linked to none
    # in a class body, a bare name is a method defined above it, else the module's
    read = {(e.source, e.line) for e in code.graph.callers_of("py:cls.py::Reader.read_int")}
    assert read == {("py:cls.py::Reader.read", 7)}   # through the table and the alias
    assert {e.source for e in code.graph.callers_of("py:cls.py::helper")} == {"py:cls.py::Reader.read"}
    assert not list(code.graph.callers_of("py:cls.py::Reader.helper"))
    # nine handlers, four of them imported: still a hook; a spread's entries are not read
    assert not [e for e in code.graph.calls_from("py:mix.py::hook")]
    assert not list(code.graph.callers_of("py:mix.py::h0"))
    assert {e.source for e in code.graph.callers_of("py:mix.py::h1")} == {"py:mix.py::more", "py:mix.py::joined"}
    # what a table holds has attributes of an unknown type: `sep.join` is a string method call
    joined = next(u for u in code.units.values() if u.id == "py:mix.py::joined")
    assert {c.target for c in joined.calls} == {".join", ".upper", "mix.MORE[]"}


NESTED = {"delta.py": ("def apply_delta(src: bytes, delta: bytes):\n"
                       "    def read_byte(i):\n        return delta[i] & 0x7F\n"
                       "    out = bytearray()\n    for i in range(len(delta)):\n"
                       "        out.append(src[read_byte(i)])\n    return out\n")}


def test_a_nested_helper_runs_as_often_as_its_calls_and_inside_its_function():
    code = scan_python(NESTED)
    helper = "py:delta.py::apply_delta.read_byte"
    assert [(e.source, e.depth) for e in code.graph.callers_of(helper)] == [("py:delta.py::apply_delta", 2)]
    x = code.intensity["py:delta.py::apply_delta"]
    # its work per element is the port's (a call inside it), not a call back into Python
    assert "callback" not in x.by_kind and x.by_kind["call"] > 0
    assert x.by_kind["compute"] > 2 * code.code.heat.costs[helper].by_kind["compute"] * 8


def test_a_helper_its_function_calls_is_part_of_it_and_a_closure_it_returns_is_not():
    code = scan_python({**NESTED, "scan.py": ("def make_scanner(text: str):\n"
                                              "    def scan_once(i):\n        n = 0\n"
                                              "        while i < len(text) and text[i] != ' ':\n"
                                              "            i += 1\n            n += 1\n        return n\n"
                                              "    return scan_once\n")})
    groups = {g.id for g in code.groups}
    assert "py:delta.py::apply_delta" in groups and "py:delta.py::apply_delta.read_byte" not in groups
    assert "py:scan.py::make_scanner.scan_once" in groups   # handed out: it runs on its own
    why = {p.id: p.why for p in assemble.passed_over(code)}
    assert why["py:delta.py::apply_delta.read_byte"].startswith("defined in apply_delta and called there")


STUBBED = {
    "src/main/java-stub/sun/misc/Unsafe.java": ("package sun.misc;\n\npublic final class Unsafe {\n"
                                                "    public native long getLong(Object o, long offset);\n}\n"),
    "src/main/java/com/acme/Hash.java": ("package com.acme;\n\nimport sun.misc.Unsafe;\n\n"
                                         "public final class Hash {\n    private static Unsafe U;\n"
                                         "    public static long hash(byte[] data, long base) {\n        long h = 0;\n"
                                         "        for (int i = 0; i < data.length; i += 8) {\n"
                                         "            h = (h ^ U.getLong(data, base + i)) * 0x9E3779B97F4A7C15L;\n"
                                         "            h ^= h >>> 29;\n        }\n        return h;\n    }\n}\n"),
}


def test_a_stub_of_a_jdk_class_is_not_the_repositorys_code():
    code, judged = scan_java(STUBBED)
    stub = next(pf for pf in code.parsed if pf.file.path.endswith("Unsafe.java"))
    assert stub.file.tags == {"stub"} and not stub.ranked
    assert not any(g.path == stub.file.path for g in code.groups)
    x = code.intensity["java:src/main/java/com/acme/Hash.java::Hash.hash(byte[],long)"]
    # a read through the JDK's Unsafe is memory work (here a kernel's, priced with its shifts),
    # not a call into the stub's native method
    assert set(x.by_kind) == {"bits"}


DISPATCH = {"codecs.py": ("class Codec:\n    def encode(self, data: bytes):\n        return data\n\n\n"
                          "class Sum(Codec):\n    def encode(self, data: bytes):\n        t = 0\n"
                          "        for b in data:\n            t = (t + b) & 0xFF\n        return t\n\n\n"
                          "class Xor(Codec):\n    def encode(self, data: bytes):\n        t = 0\n"
                          "        for b in data:\n            t = (t ^ b) & 0xFF\n        return t\n\n\n"
                          "class Parser:\n    def __init__(self, data: bytes):\n        self.n = 0\n"
                          "        for b in data:\n            self.n += b >> 4\n\n\n"
                          "def run(codec: Codec, data: bytes):\n    return codec.encode(data)\n\n\n"
                          "def make(data: bytes):\n    return Parser(data)\n")}


def test_a_call_that_can_run_one_of_several_units_costs_one_of_them():
    code = scan_python(DISPATCH)
    work = {name: code.intensity[f"py:codecs.py::{name}"].work for name in ("run", "Sum.encode", "Xor.encode",
                                                                            "make", "Parser.__init__")}
    # one call runs Codec's, Sum's or Xor's encode: their mean, not their sum
    assert (work["Sum.encode"] + work["Xor.encode"]) / 3 < work["run"] < max(work["Sum.encode"], work["Xor.encode"])
    # a class and its __init__ are not alternatives: `Parser(data)` runs both
    assert work["make"] > work["Parser.__init__"]
