"""The candidate as the scaffold needs it, read from the scan's JSON candidate dict.

Input: one element of the JSON document's "candidates" (schema analyzer/schema/report.schema.json),
as `rustscout scan --json` writes it or as `report.json.candidate()` returns it.
Output: a `Case`: entry points to mirror, crossings to cut, the plan and the estimate.
Bad input raises ScaffoldError with one line naming the candidate and what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from analyzer.model.ids import target_words
from analyzer.scaffold.errors import ScaffoldError


@dataclass(frozen=True, slots=True)
class EntryRef:
    unit_id: str
    path: str
    qualname: str
    callers: int


@dataclass(frozen=True, slots=True)
class Hazard:
    """Something on the boundary a plain stub would hide: what it is, and the cut that removes it."""
    kind: str                   # callback | shared-state | object | receiver | private | generator | verdict
    what: str
    cut: str


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    kind: str                   # function | class | module | component | package
    language: str
    path: str
    name: str
    qualname: str
    lines: tuple[int, int]
    verdict: str
    reason: str
    native_gain: float | None   # rustscout's estimate (x) for the candidate's own time
    entries: tuple[EntryRef, ...]
    calls_in_total: int
    test_references: int
    callbacks: tuple[Hazard, ...]
    shared_state: tuple[Hazard, ...]
    steps: tuple[str, ...]
    cut: tuple[str, ...]
    crates: tuple[tuple[str, str], ...]   # (library, crate)
    binding: str                # the plan's binding sentence, "" without a plan


def read_case(candidate: dict) -> Case:
    try:
        return _case(candidate)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        name = candidate.get("id", "?") if isinstance(candidate, dict) else "?"
        raise ScaffoldError(f"candidate {name}: not a candidate as `rustscout scan --json` writes it "
                            f"({exc.__class__.__name__}: {exc})") from None


def _case(c: dict) -> Case:
    boundary, plan = c["boundary"], c.get("plan") or {}
    gain = next((float(f["value"]) for f in c.get("factors", ()) if f["name"] == "native_gain"), None)
    return Case(c["id"], c["kind"], c["language"], c["path"], c["name"], c["qualname"],
                (int(c["lines"][0]), int(c["lines"][1])), c["verdict"], c["reason"], gain,
                tuple(_entry(e) for e in boundary["entry_points"]), int(boundary["calls_in_total"]),
                int(boundary.get("test_references", 0)), _callbacks(boundary["calls_out"]),
                _shared(boundary["shared_state"]), tuple(plan.get("steps", ())), tuple(plan.get("cut", ())),
                tuple((x["library"], x["crate"]) for x in plan.get("crates", ())), plan.get("binding", ""))


def _entry(e: dict) -> EntryRef:
    path, qualname = split_id(e["id"])
    return EntryRef(e["id"], path, qualname, int(e["callers"]))


def split_id(unit_id: str) -> tuple[str, str]:
    """"py:pkg/mod.py::Class.method" -> ("pkg/mod.py", "Class.method")."""
    _, _, rest = unit_id.partition(":")
    path, _, qualname = rest.partition("::")
    if not path or not qualname:
        raise ValueError(f"{unit_id} names no function, method or class")
    return path, qualname


def _callbacks(calls_out: list[dict]) -> tuple[Hazard, ...]:
    seen: dict[str, list[dict]] = {}
    for call in calls_out:
        if call["callback"]:
            seen.setdefault(call["target"], []).append(call)
    return tuple(Hazard("callback", f"calls back to {target_words(t)} at "
                        + ", ".join(f"{c['path']}:{c['line']}" for c in calls[:3]),
                        f"replace the call back to {target_words(t)} with data passed in, or move it inside")
                 for t, calls in sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0])))


def _shared(accesses: list[dict]) -> tuple[Hazard, ...]:
    writes: dict[str, bool] = {}
    for a in accesses:
        writes[a["name"]] = writes.get(a["name"], False) or bool(a["write"])
    return tuple(Hazard("shared-state", f"{'writes' if w else 'reads'} module state {n}",
                        f"make {n} owned by the port or passed in explicitly") for n, w in sorted(writes.items()))

