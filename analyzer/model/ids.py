"""Unit and candidate ids: one grammar, written and read here only.

    py:pkg/mod.py                      a Python module
    py:pkg/mod.py::Class.method        a unit inside it (no line numbers: ids survive edits)
    java:src/main/java/a/B.java::B.run(int)
    java:package:src/main/java/a/      a Java package (a folder)
    py:component:dominator:pkg/io.py   a component, by how it was found and its key
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIX = {"python": "py", "java": "java"}
LANGUAGE = {prefix: language for language, prefix in PREFIX.items()}


@dataclass(frozen=True, slots=True)
class UnitId:
    language: str
    path: str                   # the file; a package's or component's key
    qualname: str = ""          # "" for a module, a package or a component
    group: str | None = None    # "package" or "component:<origin>" for groups of files

    def __str__(self) -> str:
        prefix = PREFIX[self.language]
        if self.group is not None:
            return f"{prefix}:{self.group}:{self.path}"
        return f"{prefix}:{self.path}::{self.qualname}" if self.qualname else f"{prefix}:{self.path}"

    @classmethod
    def parse(cls, text: str) -> "UnitId":
        prefix, _, rest = text.partition(":")
        language = LANGUAGE.get(prefix, prefix)
        if rest.startswith("package:"):
            return cls(language, rest[len("package:"):], "", "package")
        if rest.startswith("component:"):
            origin, _, key = rest[len("component:"):].partition(":")
            return cls(language, key, "", f"component:{origin}")
        path, _, qualname = rest.partition("::")
        return cls(language, path, qualname)

    @property
    def module(self) -> str:
        """The id of the file that holds it."""
        return str(UnitId(self.language, self.path))

    @property
    def short(self) -> str:
        """What a reader calls it: the qualified name, else the path."""
        return self.qualname or self.path


def unit_id(language: str, path: str, qualname: str = "") -> str:
    return str(UnitId(language, path, qualname))


def group_id(language: str, group: str, key: str) -> str:
    return str(UnitId(language, key, "", group))


def target_words(target: str) -> str:
    """A boundary crossing's target in words: a unit id, or the forms a callback's target takes
    when the callee is not a unit of the repository (`param:f`, `.method`, `?name`)."""
    if target.startswith("param:"):
        return f"the parameter `{target[6:]}`"
    if target.startswith("."):
        return f"`{target[1:]}` on an object of unknown type"
    if target.startswith("?"):
        return f"`{target[1:]}` (a callable held in a variable)"
    return f"`{UnitId.parse(target).qualname or target}`"
