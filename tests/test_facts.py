"""Facts the ranking rests on: which tests exercise a unit, which calls are native work, which
call sites are cold, and which units already have a native twin. Each test builds its own small
repository in memory and names the units and values a wrong fact would move."""

from __future__ import annotations

from analyzer.code import graph as graphs
from analyzer.model import SourceFile
from analyzer.parse.java import parse_file as java_file


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


def test_java_test_calls_stay_out_of_the_call_graph():
    graph, units = java_repo(JAVA_LIB)
    ratio = "java:" + MAIN + "Ratio.java::Ratio."
    assert [e.source for e in graph.callers_of(ratio + "of(int,int)")] == []
    assert graph.unresolved == 0   # assertEquals is JUnit's, not an unresolved call of the repository
