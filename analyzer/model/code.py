"""Nouns of the inventory and parse stages: files, units, calls, facts.

These cross from worker processes and sit in caches, so they pickle compactly (see _pickle).
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model._pickle import compact

MAX_DEPTH = 4  # loop depths are recorded as 0, 1, 2, 3 and "4 or deeper"


SCRIPT = "script"               # the tag of a standalone script beside the packages (inventory/scripts.py)
_SCRIPT_ONLY = frozenset({SCRIPT})


@compact
@dataclass(frozen=True, slots=True)
class SourceFile:
    path: str                   # repo-relative, posix
    language: str               # "python" | "java"
    size: int                   # bytes
    module: str                 # dotted module name (python) or "" until the parser reads a package
    tags: frozenset[str] = frozenset()   # subset of {"test", "vendored", "build", "docs", "script", "stub"}

    @property
    def ranked(self) -> bool:
        """Tests, vendored and build files are read (for test references) but never ranked."""
        return not self.tags


@dataclass(frozen=True, slots=True)
class TreeEntry:
    """One file of a commit's tree, as git lists it (ls-tree -r -l)."""
    path: str
    blob: str
    size: int
    mode: str                   # 100644 file, 100755 executable, 120000 symlink, 160000 submodule


@compact
@dataclass(frozen=True, slots=True)
class FileError:
    path: str
    message: str                # one line, says what and, where it can, which lines
    kind: str = "parse"         # parse | size | encoding | binary | symlink | internal | partial

    @property
    def partial(self) -> bool:
        """The file was read in part (Java recovers from syntax errors); its units still count."""
        return self.kind == "partial"


# --- parse ---------------------------------------------------------------------------------

@compact
@dataclass(frozen=True, slots=True)
class Observation:
    """One raw pattern fact of a unit: how often it occurs at each loop depth, and where."""
    name: str
    by_depth: tuple[int, ...]   # occurrences at loop depth 0 .. MAX_DEPTH - 1, and >= MAX_DEPTH
    lines: tuple[int, ...]                 # first lines where it occurs (capped)
    loop_lines: tuple[int, ...] = ()       # first lines where it occurs inside a loop (capped)
    cold: int = 0                          # occurrences on an exception path, not in by_depth
    cold_lines: tuple[int, ...] = ()       # first lines where it occurs on one (capped)

    @property
    def count(self) -> int:
        return sum(self.by_depth) + self.cold

    @property
    def per_call(self) -> tuple[int, ...]:
        """Occurrences by loop depth, those on exception paths as once per call: how a rule
        counts them (a `throw new` is an allocation the code makes); the time model weighs
        them as the calls there, one chance in trip."""
        return (self.by_depth[0] + self.cold, *self.by_depth[1:]) if self.cold else self.by_depth


@compact
@dataclass(frozen=True, slots=True)
class CallSite:
    """A call as written, with its callee resolved as far as one file allows.

    target forms: "re.compile" (resolved through imports), "pkg.mod.helper" (a name of this
    repo), "pkg.mod.Class.method" with via_self, "pkg.mod.Parser().feed" (method on an
    instance of a known class), "param:handler" (a parameter called as a function),
    ".append" (method of a receiver whose type is unknown).
    """
    target: str
    line: int
    loop_depth: int
    literal: str | int | float | None = None   # first positional argument, when a literal
    literal_args: int = 0                      # bit i set when positional argument i is a literal
    via_self: bool = False
    arity: int = -1                            # number of arguments (Java overloads); -1 unknown
    cold: bool = False                         # on an exception path (inside raise / throw)


@compact
@dataclass(frozen=True, slots=True)
class Param:
    name: str
    annotation: str | None
    kind: str = "positional"    # positional_only | positional | var_positional | keyword (keyword-only) | var_keyword
    default: bool = False


@compact
@dataclass(frozen=True, slots=True)
class StateAccess:
    """A read or write of module-level (or static) mutable state from inside a unit."""
    name: str                   # qualified name of the global, e.g. "pkg.mod._CACHE"
    line: int
    write: bool


@compact
@dataclass(frozen=True, slots=True)
class CodeUnit:
    id: str                     # "py:pkg/mod.py::Class.method"; never contains line numbers
    kind: str                   # module | class | function
    language: str
    path: str
    name: str
    qualname: str               # "Class.method"; "" for a module
    start: int
    end: int
    parent: str | None
    params: tuple[Param, ...] = ()
    returns: str | None = None
    decorators: tuple[str, ...] = ()
    bases: tuple[str, ...] = ()
    observations: tuple[Observation, ...] = ()
    calls: tuple[CallSite, ...] = ()
    state: tuple[StateAccess, ...] = ()
    sloc: int = 0               # distinct lines that start a statement
    cyclomatic: int = 1         # radon's definition; its own body only, not nested units
    modifiers: tuple[str, ...] = ()   # java: static, synchronized, native ...; python: async, generator
    metaclass: str | None = None      # python: the metaclass as written, resolved as far as one file allows

    def observation(self, name: str) -> Observation | None:
        for obs in self.observations:
            if obs.name == name:
                return obs
        return None


@compact
@dataclass(frozen=True, slots=True)
class Import:
    module: str                 # absolute dotted name that was imported ("pkg.util")
    name: str | None            # imported member for "from X import name"
    alias: str                  # local name it binds
    line: int
    unit: str                   # id of the unit holding the import statement


@compact
@dataclass(frozen=True, slots=True)
class UnitFacts:
    """What the catalogs make of one unit's calls: extra observations, and the calls that
    would cross back into the host language if the unit were ported."""
    observations: tuple[Observation, ...] = ()
    callbacks: tuple[CallSite, ...] = ()
    libraries: tuple[str, ...] = ()     # libraries it calls: python root modules, java packages


@compact
@dataclass(frozen=True, slots=True)
class ParsedFile:
    file: SourceFile
    module: str                 # dotted module (python) or package (java)
    units: tuple[CodeUnit, ...]
    imports: tuple[Import, ...]
    mutable_globals: tuple[tuple[str, int], ...] = ()   # (qualified name, line) of module state
    header_end: int = 0                 # last line of the leading docstring and imports
    generated: bool = False
    markers: tuple[str, ...] = ()       # notes such as "lombok" annotations seen
    error: FileError | None = None      # set when the file could not be read, or only in part
    bindings: tuple[tuple[str, str], ...] = ()   # (qualified name, what a call through it runs):
                                                 # `name = func`, `partial(func)`, `name = Cls()`
    import_ends: tuple[int, ...] = ()   # last line of each top-level statement that imports (an
                                        # import, or an if/try/with block holding one): where
                                        # a codemod's module-level lines can go without E402
    directives: tuple[tuple[int, tuple[str, ...]], ...] = ()   # `rustscout: ignore[...]` comments: (line
                                                 # covered, rule ids or prefixes; () for all), parse/directives.py
    returns: tuple[tuple[str, str], ...] = ()   # (function's unit id, the class its return annotation names)
    program: bool = False               # python: written to be run, not imported (a `#!` line or
                                        # an `if __name__ == "__main__":` block)

    @property
    def ranked(self) -> bool:
        """Its units are candidates: hand-written, not a test, and read (at least in part)."""
        return self._readable and self.file.ranked

    @property
    def drives(self) -> bool:
        """Its calls are traffic into what they call: ranked code, and a standalone script (a
        program that uses the package shows how it is used). Tests, docs, benchmarks and build
        files only say what they exercise."""
        return self._readable and (self.file.ranked or self.file.tags == _SCRIPT_ONLY)

    @property
    def _readable(self) -> bool:
        return not self.generated and (self.error is None or self.error.partial)

    @classmethod
    def failed(cls, file: SourceFile, kind: str, message: str) -> "ParsedFile":
        """A file that could not be read or parsed: no units, one error entry."""
        return cls(file, file.module, (), (), error=FileError(file.path, message, kind))
