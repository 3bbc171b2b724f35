"""Several profiles into one measure per unit.

The rule: profiles are grouped by the language of the units their frames land in and by
metric (cpu, alloc). Within a group each profile weighs the same: a unit's share is the mean,
over the group's profiles, of its share of that profile's own total.

Why not sum the samples: profiles differ in length, rate and even unit. Ten minutes of py-spy
at 100 Hz hold 60,000 samples; a benchmark job's profile 2,000; cProfile measures seconds and
Scalene shares of a run. Summed, the longest would drown the rest, and seconds would be added
to samples. Each profile is the shape of one workload; the mean of the shapes weighs the
workloads equally, which is what a user who gives two profiles (say, the batch job and the web
request path) means. A profile that maps to no unit of the scan is left out, and said so: it is
a profile of other code, and would only dilute the others.

A unit of a language some profile measured gets a UnitRuntime even with no samples (measured
cold); units of other languages get none and keep their estimates.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence

from analyzer.evidence.aggregate import Tallied, language
from analyzer.evidence.readers.records import ALLOC, CPU
from analyzer.model import CodeUnit, FileError
from analyzer.model.runtime import Measurement, ProfileSource, SourceSummary, UnitRuntime, UnmappedFrame

COMBINE = "each profile weighs the same: a unit's share is the mean of its shares of each profile's own total"
TOP_UNMAPPED = 10
MEASURES = ("own", "inclusive", "native", "library")

Shares = dict[str, dict[str, float]]     # measure -> unit id -> share


@dataclass(frozen=True, slots=True)
class SourceResult:
    source: ProfileSource
    tallied: tuple[Tallied, ...]


@dataclass(frozen=True, slots=True)
class Combined:
    runtime: dict[str, UnitRuntime]
    measurements: tuple[Measurement, ...]
    sources: tuple[SourceSummary, ...]
    errors: tuple[FileError, ...]


def combine(results: Sequence[SourceResult], units: Sequence[CodeUnit],
            groups: Mapping[str, Sequence[str]] | None = None) -> Combined:
    members: dict[tuple[str, str], list[tuple[SourceSummary, Tallied]]] = defaultdict(list)
    summaries, errors = [], []
    for result in results:
        for tallied in result.tallied:
            summary = _summary(result.source, tallied)
            summaries.append(summary)
            if summary.used:
                members[(summary.language, tallied.metric)].append((summary, tallied))
            else:
                errors.append(_unused(result.source, tallied))
    measurements = {key: _measurement(*key, found) for key, found in sorted(members.items())}
    shares = {key: _mean_shares([tallied for _, tallied in found]) for key, found in members.items()}
    described = {key: measurement.description for key, measurement in measurements.items()}
    measured = {(unit.id, unit.language) for unit in units}
    measured |= {(group, language(ids[0])) for group, ids in (groups or {}).items() if ids}
    runtime = {uid: _runtime(uid, lang, shares, measurements, described) for uid, lang in sorted(measured)
               if (lang, CPU) in shares or (lang, ALLOC) in shares}
    return Combined(runtime, tuple(measurements.values()), tuple(summaries), tuple(errors))


def _summary(source: ProfileSource, tallied: Tallied) -> SourceSummary:
    language = max(sorted(tallied.languages), key=tallied.languages.__getitem__) if tallied.mapped > 0 else ""
    mapped = tallied.mapped / tallied.total if tallied.total > 0 else 0.0
    return SourceSummary(source.path, source.tool, tallied.metric, tallied.unit, tallied.total, language,
                         mapped, tallied.total > 0 and tallied.mapped > 0)


def _unused(source: ProfileSource, tallied: Tallied) -> FileError:
    what = "allocation samples" if tallied.metric == ALLOC else "samples"
    if tallied.total <= 0:
        return FileError(source.path, f"holds no {what}", "profile")
    largest = ", ".join(frame.frame for frame in _largest(_unmapped_shares([tallied]))[:3])
    return FileError(source.path, f"no frame of its {what} maps to a unit of this scan "
                     f"(largest: {largest}); is it a profile of this repository?", "profile")


def _measurement(language: str, metric: str, members: list[tuple[SourceSummary, Tallied]]) -> Measurement:
    sources = tuple(summary for summary, _ in members)
    samples = sum(int(summary.total) for summary in sources if summary.unit == "samples")
    mapped = sum(summary.mapped_share for summary in sources) / len(sources)
    unmapped = _largest(_unmapped_shares([tallied for _, tallied in members]))
    return Measurement(language, metric, sources, samples, mapped, unmapped, COMBINE)


def _mean_shares(members: list[Tallied]) -> Shares:
    shares: Shares = {name: defaultdict(float) for name in MEASURES}
    for tallied in members:
        scale = 1.0 / (tallied.total * len(members))
        for name in MEASURES:
            for unit, weight in getattr(tallied, name).items():
                shares[name][unit] += weight * scale
    return shares


def _unmapped_shares(members: list[Tallied]) -> dict[str, tuple[str, float]]:
    merged: dict[str, tuple[str, float]] = {}
    for tallied in members:
        scale = 1.0 / (tallied.total * len(members)) if tallied.total > 0 else 0.0
        for label, (kind, weight) in tallied.unmapped.items():
            known, share = merged.get(label, (kind, 0.0))
            merged[label] = (known, share + weight * scale)
    return merged


def _largest(merged: dict[str, tuple[str, float]]) -> tuple[UnmappedFrame, ...]:
    ranked = sorted(merged.items(), key=lambda item: (-item[1][1], item[0]))[:TOP_UNMAPPED]
    return tuple(UnmappedFrame(label, kind, share) for label, (kind, share) in ranked)


def _runtime(unit_id: str, lang: str, shares: dict[tuple[str, str], Shares],
             measurements: dict[tuple[str, str], Measurement], described: dict[tuple[str, str], str]) -> UnitRuntime:
    cpu, alloc = shares.get((lang, CPU)), shares.get((lang, ALLOC))
    inclusive = cpu["inclusive"].get(unit_id, 0.0) if cpu else None
    key = (lang, CPU) if cpu else (lang, ALLOC)
    basis = measurements[key]
    return UnitRuntime(
        unit_id=unit_id,
        self_share=cpu["own"].get(unit_id, 0.0) if cpu else None,
        inclusive_share=inclusive,
        native_share=_part(cpu, "native", unit_id, inclusive),
        library_share=_part(cpu, "library", unit_id, inclusive),
        alloc_share=alloc["inclusive"].get(unit_id, 0.0) if alloc else None,
        alloc_self_share=alloc["own"].get(unit_id, 0.0) if alloc else None,
        samples=basis.samples if basis.metric == CPU else 0,
        source=described[key])


def _part(shares: Shares | None, name: str, unit_id: str, inclusive: float | None) -> float | None:
    if shares is None:
        return None
    return min(1.0, shares[name].get(unit_id, 0.0) / inclusive) if inclusive else 0.0

