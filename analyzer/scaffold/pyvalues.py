"""Values for the generated tests and benchmark, written as Python source text: a Hypothesis
strategy per type (differential test) and a deterministic, production-sized input (benchmark).

Both return None for a type that crosses as an arbitrary object: the generated file then
carries a TODO that fails with a clear message until someone writes the value by hand.
"""

from __future__ import annotations

from analyzer.scaffold.pytypes import PyType

I64 = "st.integers(min_value=-(2**63), max_value=2**63 - 1)"
LEAF_STRATEGIES = {
    "int": I64, "bool": "st.booleans()", "str": "st.text(max_size=64)",
    # NaN never equals itself, so results holding one could not be compared
    "float": "st.floats(allow_nan=False)",
    "bytes": "st.binary(max_size=256)", "bytearray": "st.binary(max_size=256).map(bytearray)",
    "memoryview": "st.binary(max_size=256).map(memoryview)", "none": "st.none()",
}


def strategy(t: PyType) -> str | None:
    if t.opaque:
        return None
    if t.name in LEAF_STRATEGIES:
        return LEAF_STRATEGIES[t.name]
    parts = [strategy(a) for a in t.args]
    shapes = {"list": "st.lists({0}, max_size=32)", "set": "st.sets({0}, max_size=16)",
              "vartuple": "st.lists({0}, max_size=16).map(tuple)", "optional": "st.none() | {0}",
              "dict": "st.dictionaries({0}, {1}, max_size=16)"}
    if t.name == "tuple":
        return f"st.tuples({', '.join(parts)})"
    return shapes[t.name].format(*parts)


def sample(t: PyType, top: bool = True) -> str | None:
    """A large input at the top (64 KiB of bytes, 10,000 items), small varied items inside."""
    if t.opaque:
        return None
    if t.name == "optional":
        return sample(t.args[0], top)
    leaves = {"int": ("3", "_rng.randrange(1000)"), "float": ("1.5", "_rng.random()"), "bool": ("True", "True"),
              "str": ("_text(65536)", "_text(8)"), "bytes": ("_bytes(65536)", "_bytes(64)"),
              "bytearray": ("bytearray(_bytes(65536))", "bytearray(_bytes(64))"),
              "memoryview": ("memoryview(_bytes(65536))", "memoryview(_bytes(64))"), "none": ("None", "None")}
    if t.name in leaves:
        return leaves[t.name][0 if top else 1]
    parts = [sample(a, False) for a in t.args]
    count = 10_000 if top else 8
    shapes = {"list": "[{0} for _ in range(%d)]", "set": "{{{0} for _ in range(%d)}}",
              "vartuple": "tuple({0} for _ in range(%d))", "dict": "{{{0}: {1} for _ in range(%d)}}"}
    if t.name == "tuple":
        return f"({', '.join(parts)}{',' if len(parts) == 1 else ''})"
    return (shapes[t.name] % count).format(*parts)
