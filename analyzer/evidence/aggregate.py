"""One profile's records, summed per unit in one streaming pass.

Per metric (cpu, alloc) and unit:
  own        weight of stacks whose innermost frame is the unit itself
  inclusive  weight of stacks holding the unit anywhere, once per stack (the largest fraction
             when a frame is spread over overloads)
  native     inclusive weight whose innermost frame is native code
  library    inclusive weight whose innermost frame is third-party or standard-library code
and for the profile: its total, the weight of stacks with at least one frame in a unit
(mapped), the mapped weight per language, and the innermost frames of the stacks that mapped
nowhere.

Speed: stacks are grouped by (set of units on the stack, what the innermost frame is) while
streaming, and groups are spread over units only when there are FLUSH_AT of them, and at the
end: real profiles repeat a few thousand groups millions of times, and a profile that does not
still keeps its memory bounded. Frames are resolved once each.

cProfile tallies keep no stacks: a unit's inclusive weight is the larger of the largest
cumulative time among its frames (and frames nested in it) and the sum of their own times;
a lower bound that is exact for a function called from one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping, Sequence

from analyzer.evidence.frames import Frame
from analyzer.evidence.mapping import IGNORED, INTERPRETER_KIND, LIBRARY, NATIVE_KIND, REPO, Resolution
from analyzer.evidence.readers.records import Stack, Stream, Tally
from analyzer.model.ids import LANGUAGE as _LANGUAGES   # id prefix -> language

EMPTY = "(no frames)"
FLUSH_AT = 50_000


@dataclass(frozen=True, slots=True)
class Tallied:
    """One metric of one profile, summed."""
    metric: str
    unit: str
    total: float
    mapped: float
    own: Mapping[str, float]
    inclusive: Mapping[str, float]
    native: Mapping[str, float]
    library: Mapping[str, float]
    languages: Mapping[str, float]              # mapped weight per language
    unmapped: Mapping[str, tuple[str, float]]   # innermost frame label -> (kind, weight)


class _Resolutions(dict):
    """Frame number -> the units it holds entirely, resolving the frame on first sight; `of`
    keeps the frame's Resolution. A dict subclass so that looking up a stack's frames runs in
    C once they are known."""

    def __init__(self, frames: Sequence[Frame], resolve: Callable[[Frame], Resolution]) -> None:
        super().__init__()
        self.frames, self.resolve = frames, resolve
        self.of: dict[int, Resolution] = {}
        self.partial: set[int] = set()                  # frames spread over overloads

    def __missing__(self, number: int) -> frozenset[str]:
        resolution = self.of[number] = self.resolve(self.frames[number])
        if resolution.spread:
            self.partial.add(number)
        self[number] = resolution.whole
        return resolution.whole


class _Sums:
    """The running sums of one metric."""

    def __init__(self) -> None:
        self.total = 0.0
        self.groups: dict[tuple, float] = defaultdict(float)      # (units, leaf Resolution) -> weight
        self.unmapped: dict[int | None, float] = defaultdict(float)
        self.direct: dict[str, dict[str, float]] = {name: defaultdict(float) for name in
                                                    ("own", "inclusive", "native", "library", "languages")}
        self.mapped_direct = 0.0
        self.tally_max: dict[str, float] = defaultdict(float)
        self.tally_sum: dict[str, float] = defaultdict(float)


def tally(stream: Stream, resolve: Callable[[Frame], Resolution]) -> tuple[Tallied, ...]:
    """Consume the stream; one Tallied per metric it holds. Raises what the reader raises."""
    resolutions = _Resolutions(stream.frames, resolve)
    sums: dict[str, _Sums] = {}
    for record in stream.records:
        target = sums.get(record.metric) or sums.setdefault(record.metric, _Sums())
        if isinstance(record, Stack):
            _add_stack(target, resolutions, record.frames, record.weight)
        else:
            _add_tally(target, resolutions, record)
    return tuple(_finish(metric, stream.units.get(metric, "samples"), sums[metric], resolutions)
                 for metric in sorted(sums))


def _add_stack(sums: _Sums, resolutions: _Resolutions, frames: tuple[int, ...], weight: float) -> None:
    sums.total += weight
    units = frozenset().union(*map(resolutions.__getitem__, frames))
    leaf = _leaf(frames, resolutions)
    if resolutions.partial and not resolutions.partial.isdisjoint(frames):
        _add_spread(sums, resolutions, frames, leaf, weight)
        return
    sums.groups[(units, resolutions.of[leaf] if leaf is not None else None)] += weight
    if not units:
        sums.unmapped[leaf] += weight
    elif len(sums.groups) >= FLUSH_AT:
        _flush(sums)


def _leaf(frames: tuple[int, ...], resolutions: _Resolutions) -> int | None:
    """The innermost frame that is code: thread markers and allocated types are not, and the
    interpreter running a Python frame is that frame's own work. A stack of interpreter frames
    only (start-up, garbage collection) has its innermost one."""
    interpreter = None
    for number in reversed(frames):
        kind = resolutions.of[number].kind
        if kind == INTERPRETER_KIND:
            interpreter = number if interpreter is None else interpreter
        elif kind != IGNORED:
            return number
    return interpreter


def _add_spread(sums: _Sums, resolutions: _Resolutions, frames: tuple[int, ...], leaf: int | None,
                weight: float) -> None:
    """The slow path: a frame on the stack is spread over overloads, so shares are fractions."""
    held: dict[str, float] = {}
    for number in frames:
        for unit, share in resolutions.of[number].held:
            held[unit] = max(held.get(unit, 0.0), share)
    _spread(sums.direct, held, resolutions.of[leaf] if leaf is not None else None, weight)
    if held:
        sums.mapped_direct += weight
        sums.direct["languages"][_language_of(held)] += weight
    else:
        sums.unmapped[leaf] += weight


def _spread(direct: dict[str, dict[str, float]], held: Mapping[str, float], leaf: Resolution | None,
            weight: float) -> None:
    kind = leaf.kind if leaf else None
    for unit, share in held.items():
        direct["inclusive"][unit] += weight * share
        if kind == NATIVE_KIND:
            direct["native"][unit] += weight * share
        elif kind == LIBRARY:
            direct["library"][unit] += weight * share
    for unit, share in (leaf.own if leaf and leaf.kind == REPO else ()):
        direct["own"][unit] += weight * share


def _add_group(direct: dict[str, dict[str, float]], units: frozenset[str], leaf: Resolution | None,
               weight: float) -> None:
    """_spread for a group whose units all hold the whole frame: the common, hot case."""
    for target in (direct["inclusive"], direct["native"] if leaf and leaf.kind == NATIVE_KIND else None,
                   direct["library"] if leaf and leaf.kind == LIBRARY else None):
        if target is not None:
            for unit in units:
                target[unit] += weight
    if leaf and leaf.kind == REPO:
        for unit, share in leaf.own:
            direct["own"][unit] += weight * share


def _add_tally(sums: _Sums, resolutions: _Resolutions, record: Tally) -> None:
    sums.total += record.own
    resolutions[record.frame]               # noqa: B018 - resolves the frame
    resolution = resolutions.of[record.frame]
    if resolution.kind != REPO:
        sums.unmapped[record.frame] += record.own
        return
    sums.mapped_direct += record.own
    sums.direct["languages"][language(resolution.own[0][0])] += record.own
    for unit, share in resolution.own:
        sums.direct["own"][unit] += record.own * share
    for unit, share in resolution.held:
        sums.tally_max[unit] = max(sums.tally_max[unit], record.total * share)
        sums.tally_sum[unit] += record.own * share
        sums.direct["native"][unit] += record.native * share


def _flush(sums: _Sums) -> None:
    """Spreads the groups seen so far over their units and forgets them."""
    direct = sums.direct
    for (units, leaf), weight in sums.groups.items():
        if units:
            sums.mapped_direct += weight
            direct["languages"][_language_of(units)] += weight
            _add_group(direct, units, leaf, weight)
    sums.groups.clear()


def _finish(metric: str, unit: str, sums: _Sums, resolutions: _Resolutions) -> Tallied:
    _flush(sums)
    direct, mapped = sums.direct, sums.mapped_direct
    for unit_id, largest in sums.tally_max.items():
        direct["inclusive"][unit_id] += max(largest, sums.tally_sum[unit_id])
        direct["native"][unit_id] = min(direct["native"][unit_id], direct["inclusive"][unit_id])
    return Tallied(metric, unit, sums.total, mapped, *(dict(direct[name]) for name in
                   ("own", "inclusive", "native", "library", "languages")), _unmapped(sums, resolutions))


def language(unit_id: str) -> str:
    """"py:pkg/mod.py::f" -> "python": unit ids carry their language's prefix."""
    return _LANGUAGES.get(unit_id.partition(":")[0], "")


def _language_of(ids: Iterable[str]) -> str:
    """The language of the units among ids; groups' ids carry none. A stack holds units of one
    language (no profiler here mixes Python and Java frames in one stack), so any unit tells."""
    for uid in ids:
        found = _LANGUAGES.get(uid.partition(":")[0])
        if found:
            return found
    return ""


def _unmapped(sums: _Sums, resolutions: _Resolutions) -> dict[str, tuple[str, float]]:
    labels: dict[str, tuple[str, float]] = {}
    for number, weight in sums.unmapped.items():
        if number is None:
            label, kind = EMPTY, "empty"
        else:
            label, kind = resolutions.frames[number].label, resolutions.of[number].kind
        previous = labels.get(label, (kind, 0.0))
        labels[label] = (previous[0], previous[1] + weight)
    return labels
