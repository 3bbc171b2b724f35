"""What a walk builds: a unit under construction (Python or Java), and the tally of its
observations, which the facts stage also uses for what the catalogs add. Frozen into
CodeUnit and Observation records when the walk ends."""

from __future__ import annotations

from sys import intern

from analyzer.model import MAX_DEPTH, CallSite, CodeUnit, Observation, StateAccess

LINE_CAP = 12
COLD = -1   # the walk depth of code on an exception path: it runs at most once per call, rarely


def fresh_id(uid: str, taken: set[str]) -> str:
    """`uid`, or `uid#2`, `#3`... for a second definition of one name in one scope (ids stay
    free of line numbers, so an edit above a unit does not rename it); marked as taken."""
    base, n = uid, 2
    while uid in taken:
        uid, n = f"{base}#{n}", n + 1
    taken.add(uid)
    return uid


class ObservationTally:
    """Observations under construction: occurrences by loop depth, and where they are."""

    __slots__ = ("obs",)

    def __init__(self):
        self.obs: dict[str, list] = {}

    def see(self, name: str, depth: int, line: int) -> None:
        """depth < 0 marks an exception path (COLD): counted apart, outside any loop."""
        rec = self.obs.get(name)
        if rec is None:
            rec = self.obs[name] = [[0] * (MAX_DEPTH + 1), [], [], 0, []]
        if depth < 0:
            rec[3] += 1
            _note(rec[4], line)
        else:
            rec[0][depth if depth < MAX_DEPTH else MAX_DEPTH] += 1
        _note(rec[1], line)
        if depth > 0:
            _note(rec[2], line)

    def observations(self) -> tuple[Observation, ...]:
        return tuple(Observation(intern(name), tuple(r[0]), tuple(sorted(r[1])), tuple(sorted(r[2])), r[3],
                                 tuple(sorted(r[4])))
                     for name, r in sorted(self.obs.items()))


def _note(lines: list[int], line: int) -> None:
    if len(lines) < LINE_CAP and line not in lines:
        lines.append(line)


class UnitBuilder(ObservationTally):
    """Mutable while one walk is under way; frozen into a CodeUnit at the end."""

    __slots__ = ("id", "kind", "name", "qualname", "start", "end", "parent", "params", "param_names",
                 "returns", "decorators", "bases", "calls", "state", "stmt_lines", "cc",
                 "modifiers", "local", "self_name", "cls", "language", "path", "data_params", "tiny", "metaclass")

    def __init__(self, uid, kind, name, qualname, span: tuple[int, int], parent, language="python", path=""):
        super().__init__()
        self.id, self.kind, self.name, self.qualname = uid, kind, name, qualname
        self.start, self.end = span
        self.parent, self.language, self.path = parent, language, path
        self.params, self.param_names, self.returns = (), frozenset(), None
        self.decorators, self.bases, self.modifiers = (), (), set()
        self.metaclass: str | None = None
        self.calls: list[CallSite] = []
        self.state: dict[tuple[str, bool], StateAccess] = {}
        self.stmt_lines: set[int] = set()
        self.cc = 1
        self.local: dict[str, str] = {}
        self.self_name = self.cls = None
        self.data_params: frozenset[str] = frozenset()   # parameters whose loops run per element
        self.tiny: frozenset[str] = frozenset()          # python: locals bound to a literal of one or two items

    def freeze(self) -> CodeUnit:
        return CodeUnit(   # kind as a plain str: units cross processes and the cache by the hundred thousand
            id=self.id, kind=str(self.kind), language=self.language, path=self.path,
            name=self.name, qualname=self.qualname, start=self.start, end=self.end,
            parent=self.parent, params=self.params, returns=self.returns,
            decorators=self.decorators, bases=self.bases, observations=self.observations(),
            calls=tuple(self.calls), state=tuple(sorted(self.state.values(), key=_state_key)),
            sloc=len(self.stmt_lines), cyclomatic=self.cc, modifiers=tuple(sorted(self.modifiers)),
            metaclass=self.metaclass)


def _state_key(s: StateAccess):
    return (s.name, s.write, s.line)
