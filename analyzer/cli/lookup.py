"""What `explain` and `scaffold` were asked about: a candidate (or, for `explain`, a unit or group
that is not one) found by its id or a part of it.

Tests, in order; the first that matches one thing wins:
1. the exact id; 2. the end of an id (`wire/codec.py`); 3. the qualified name
(`RuleEngine.evaluate`), a Java method's with or without its parameter types; 4. the name;
5. whole name segments inside the id or its dotted form (`wire.parse` and `parse` match
`py:pkg/wire.py::parse`, not `parse_frames`); 6. any part of the id (`parse_fr`).
When a test matches several, the one candidate among them wins; otherwise the query is
ambiguous and the error lists them. When nothing matches, close names are suggested.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Sequence, TypeVar

from analyzer.errors import ScanError

T = TypeVar("T")
Names = Callable[[object], tuple[str, str, str]]   # (id, qualname, name) of a candidate
SHOWN = 5


def _attributes(c) -> tuple[str, str, str]:
    return c.id, c.qualname, c.name


def find(candidates: Sequence[T], query: str, names: Names = _attributes, others: Sequence = ()) -> T:
    """The candidate (or one of `others`, things that are not candidates) that `query` names."""
    pool = [(c, True) for c in candidates] + [(o, False) for o in others]
    keyed = [(item, chosen, _keys(names(item))) for item, chosen in pool]
    for test in _tests(query):
        found = [(item, chosen) for item, chosen, keys in keyed if test(*keys)]
        ranked = [item for item, chosen in found if chosen]
        if len(found) == 1 or len(ranked) == 1:
            return found[0][0] if len(found) == 1 else ranked[0]
        if found:   # candidates first, in rank order
            raise ScanError(_ambiguous(query, [names(item)[0] for item, _ in sorted(found, key=lambda p: not p[1])]))
    raise ScanError(f"no candidate matches '{query}'{_suggestion(query, [names(item) for item, _ in pool])}; "
                    "`rustscout scan` lists them (ids are in the JSON report)")


def _keys(names: tuple[str, str, str]) -> tuple[str, str, str, str]:
    return (*names, _dotted(names[0]))


def _dotted(uid: str) -> str:
    """`py:pkg/wire.py::Frame.parse` as `py:pkg.wire.Frame.parse`: what a reader types."""
    return re.sub(r"\.(?:py|java)(?=::|$)", "", uid).replace("/", ".").replace("::", ".")


def _tests(query: str) -> list[Callable[[str, str, str, str], bool]]:
    segment = re.compile(rf"(?<![\w$]){re.escape(query)}(?![\w$])")
    return [lambda i, q, n, d: i == query, lambda i, q, n, d: i.endswith(query), lambda i, q, n, d: q == query,
            lambda i, q, n, d: q.partition("(")[0] == query, lambda i, q, n, d: n == query,
            lambda i, q, n, d: bool(segment.search(i) or segment.search(d)), lambda i, q, n, d: query in i]


def _ambiguous(query: str, ids: list[str]) -> str:
    more = f", and {len(ids) - SHOWN} more" if len(ids) > SHOWN else ""
    return f"'{query}' matches {len(ids)} ids ({', '.join(ids[:SHOWN])}{more}); give more of the id"


def _suggestion(query: str, names: list[tuple[str, str, str]]) -> str:
    """Close names and qualified names, each with the id it belongs to (for a typo)."""
    by_text: dict[str, str] = {}
    for uid, qualname, name in names:
        for text in (qualname, name):
            if text:
                by_text.setdefault(text, uid)
    close = difflib.get_close_matches(query, sorted(by_text), n=3, cutoff=0.75)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"{text} [{by_text[text]}]" for text in close) + "?)"
