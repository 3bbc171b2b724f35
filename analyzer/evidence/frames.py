"""Frames as profilers write them, parsed into one neutral shape.

Input: a frame string from a collapsed stack, a perf script line or a JSON profile.
Output: Frame(kind, name, file, line, params, label). Kinds:
  python  a Python function: name as recorded ("Codec.feed", "main.<locals>.<listcomp>",
          "<module>", "" when the profiler names only a line), file as recorded
  java    a Java method: file is the binary class name in slash form ("com/foo/Bar$Inner"),
          name the method; params the simple parameter types when a descriptor is given
  native  C, C++, JNI, a JVM internal, a shared library: code a port would not speed up
  kernel  an operating-system kernel frame (counts as native)
  interpreter  CPython's own code (python3.x, libpython, Objects/*.c, Python/*.c) running the
          Python frame outside it: that is the Python function's own time, the very overhead a
          port removes, so it never counts as native
  meta    a thread or process marker some profilers put at the root; not code
  type    the allocated class async-profiler puts on top of an allocation stack; not code
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PYTHON, JAVA, NATIVE, KERNEL, META, TYPE = "python", "java", "native", "kernel", "meta", "type"
INTERPRETER = "interpreter"


@dataclass(frozen=True, slots=True)
class Frame:
    kind: str
    name: str
    file: str = ""
    line: int = 0
    params: tuple[str, ...] | None = None
    label: str = ""

    @property
    def is_native(self) -> bool:
        return self.kind in (NATIVE, KERNEL)


# py-spy: "checksum (pkg/codec.py:6)", "--nolineno": "checksum (pkg/codec.py)",
# "--native": "deflate (/usr/lib/x86_64-linux-gnu/libz.so.1.2.13)", "0x7ff3 (libc.so.6)"
_PYSPY = re.compile(r"^(?P<name>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")
_PY_SUFFIXES = (".py", ".pyw", ".pyc", ".pyo")
_PY_PSEUDO_FILES = ("<frozen ", "<string>", "<stdin>")
_PYSPY_META = ("thread (", "process ")
# async-profiler: "com/foo/Bar.run_[j]", "com.foo.Bar.run", "Bar$Inner.<init>", with optional
# ":LINE" (--lines), "@BCI" (--bci) and a "(I)V" descriptor (--sig)
_ANNOTATION = re.compile(r"_\[([0-9a-z])\]$")
_JAVA = re.compile(r"^(?P<cls>(?:[A-Za-z_$][\w$]*[/.])*[A-Za-z_$][\w$]*)\."
                   r"(?P<method><init>|<clinit>|[A-Za-z_$][\w$]*)"
                   r"(?P<desc>\([^)]*\)\S*)?(?::(?P<line>\d+))?(?:@\d+)?$")
_JAVA_META = re.compile(r"^\[(?:.* )?tid=\d+\]$|^\[[^\]]*\]$")
_LIBRARY = re.compile(r"\.so(?:\.\d+)*$|\.dll$|\.dylib$")


def pyspy_frame(text: str) -> Frame:
    """One frame of py-spy's raw output (also any collapsed stack written in its style)."""
    if text.startswith(_PYSPY_META):
        return Frame(META, text, label=text)
    name, _, inside = text.rpartition(" (")       # a fast path for the millions of plain frames
    if not (name and inside.endswith(")") and "(" not in inside):
        match = _PYSPY.match(text)
        if not match:
            return collapsed_frame(text)
        name, inside = match["name"], f"{match['file']}:{match['line']})" if match["line"] else f"{match['file']})"
    file, _, number = inside[:-1].rpartition(":")
    if not (number.isascii() and number.isdigit()):
        file, number = inside[:-1], ""
    line = int(number) if number else 0
    if is_python_file(file):
        return Frame(PYTHON, name, file, line, label=text)
    return Frame(INTERPRETER if is_interpreter(file) else NATIVE, name, file, line, label=text)


_INTERPRETER = re.compile(r"(?:^|/)(?:libpython\d[\w.]*\.so[\d.]*|python\d[\d.]*[a-z]?|"
                          r"(?:Objects|Python|Include)/[^/]+\.[ch](?::\d+)?)$")


def is_interpreter(file: str) -> bool:
    """CPython itself, as a binary, a shared library or (with debug info) its C sources."""
    return bool(_INTERPRETER.search(file))


def is_python_file(file: str) -> bool:
    return file.endswith(_PY_SUFFIXES) or file.startswith(_PY_PSEUDO_FILES)


def collapsed_frame(text: str, alloc: bool = False) -> Frame:
    """One frame of async-profiler's collapsed output, or of any collapsed stack."""
    annotation = _ANNOTATION.search(text)
    bare = text[:annotation.start()] if annotation else text
    mark = annotation.group(1) if annotation else ""
    if alloc and mark in ("i", "k") and looks_like_type(bare):
        return Frame(TYPE, bare, label=text)
    if mark == "k":
        return Frame(KERNEL, bare, label=text)
    if _JAVA_META.match(bare):
        return Frame(META, bare, label=text)
    java = None if _LIBRARY.search(bare) else java_frame(bare, text)
    if java:
        return java
    if _PYSPY.match(text):
        return pyspy_frame(text)
    return Frame(NATIVE, bare, label=text)


def java_frame(text: str, label: str = "") -> Frame | None:
    match = _JAVA.match(text)
    if not match:
        return None
    cls = match["cls"].replace(".", "/")
    params = descriptor_params(match["desc"]) if match["desc"] else None
    line = int(match["line"]) if match["line"] else 0
    return Frame(JAVA, match["method"], cls, line, params, label or text)


def looks_like_type(name: str) -> bool:
    """An allocated class as async-profiler names it: "byte[]", "java.lang.String"."""
    if name.endswith("[]"):
        return True
    last = name.rsplit(".", 1)[-1]
    return bool(last) and (last[0].isupper() or "$" in last) and "/" not in name and "(" not in name


_PRIMITIVES = {"B": "byte", "C": "char", "D": "double", "F": "float", "I": "int", "J": "long",
               "S": "short", "Z": "boolean", "V": "void"}


_DESCRIPTOR = re.compile(r"\(((?:\[*(?:L[^;]+;|[BCDFIJSZ]))*)\)")
_DESCRIPTOR_PARAM = re.compile(r"(\[*)(?:L([^;]+);|([BCDFIJSZ]))")


def descriptor_params(descriptor: str) -> tuple[str, ...] | None:
    """"(I[BLjava/util/Map;)V" -> ("int", "byte[]", "Map"): simple names, as units write them."""
    match = _DESCRIPTOR.match(descriptor)
    if not match:
        return None
    return tuple((simple_type(cls) if cls else _PRIMITIVES[primitive]) + "[]" * len(dims)
                 for dims, cls, primitive in _DESCRIPTOR_PARAM.findall(match.group(1)))


def simple_type(name: str) -> str:
    """"java/util/Map$Entry" or "java.util.Map.Entry<K,V>" -> "Entry"; "String..." -> "String[]"."""
    name = re.sub(r"<.*>", "", name).strip()
    dims = ""
    if name.endswith("..."):
        name, dims = name[:-3], "[]"
    return re.split(r"[/.$]", name)[-1] + dims


# perf script: "    7f1234 deflate+0x12 (/usr/lib/libz.so.1)"; Python 3.12+ with -X perf writes
# "py::checksum:/src/codec.py"; perf-map-agent writes Java methods as "Lcom/foo/Bar;::run"
_PERF_PY = re.compile(r"^py::(?P<name>[^:]+):(?P<file>.+)$")
_PERF_JAVA = re.compile(r"^L(?P<cls>[\w$/]+);::(?P<method>[\w$<>]+)")
_OFFSET = re.compile(r"\+0x[0-9a-fA-F]+$")


def perf_frame(symbol: str, dso: str) -> Frame:
    symbol = _OFFSET.sub("", symbol)
    label = f"{symbol} ({dso})"
    python = _PERF_PY.match(symbol)
    if python:
        return Frame(PYTHON, python["name"], python["file"], 0, label=label)
    java = _PERF_JAVA.match(symbol)
    if java:
        return Frame(JAVA, java["method"], java["cls"], 0, label=label)
    if dso.startswith("[kernel"):
        return Frame(KERNEL, symbol, dso, label=label)
    return Frame(INTERPRETER if is_interpreter(dso) else NATIVE, symbol, dso, label=label)
