"""The cost model, read from rules/catalogs/costs.yaml: what each kind of work costs the
interpreter per operation, what a port gains on it, what a crossing costs, and the verdict's
thresholds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

LANGUAGES = ("python", "java")


@dataclass(frozen=True, slots=True)
class Cost:
    kind: str
    cost: float
    per_iteration: bool = False     # counted one loop level deeper (a loop costs per iteration)


@dataclass(frozen=True, slots=True)
class Kernel:
    """Work that runs as one kernel gains as the whole kernel was measured to, not op by op: a
    unit whose work of `kind` is at least `share` of its work of that kind and the kinds it
    `absorbs` counts those as `kind` too (a checksum's table lookups and additions run in the
    measured loop). Other kinds (calls, allocation, I/O) are not in the share and keep their gains."""
    kind: str
    share: float
    absorbs: tuple[str, ...]

    def applied(self, by_kind: Mapping[str, float]) -> dict[str, float]:
        """A unit's work by kind, with the absorbed kinds moved into the kernel's when it is one."""
        own, absorbed = by_kind.get(self.kind, 0.0), sum(by_kind.get(k, 0.0) for k in self.absorbs)
        if not own or own < self.share * (own + absorbed):
            return dict(by_kind)
        return {k: own + absorbed if k == self.kind else v for k, v in by_kind.items() if k not in self.absorbs}

    def wording(self) -> str:
        """Said beside the kind's gain, whether or not the candidate holds a kernel."""
        absorbed = " and ".join(self.absorbs)
        return (f"kernels, units whose {self.kind}, {absorbed} work is at least {self.share:.0%} {self.kind}, "
                f"count their {absorbed} work here too")


@dataclass(frozen=True)
class CostModel:
    trip: float
    crossings: Mapping[str, tuple[float, float]]  # language -> (call in, callback out)
    thresholds: Mapping[str, float]
    gains: Mapping[str, Mapping[str, float]]     # language -> kind of work -> native gain
    costs: Mapping[str, Mapping[str, Cost]]      # language -> observation -> cost
    sources: Mapping[str, Mapping[str, str]]     # language -> kind of work -> the measurement behind its gain
    kernels: Mapping[str, tuple[Kernel, ...]] = field(default_factory=dict)   # language -> kernels

    def gain(self, language: str, kind: str) -> float:
        return self.gains.get(language, {}).get(kind, 1.0)

    def kernel(self, language: str, kind: str) -> Kernel | None:
        return next((k for k in self.kernels.get(language, ()) if k.kind == kind), None)

    def crossing(self, language: str) -> tuple[float, float]:
        return self.crossings.get(language, (30.0, 30.0))

    def kinds(self) -> tuple[str, ...]:
        return tuple(sorted({k for table in self.gains.values() for k in table}))


THRESHOLDS = ("bar", "hot", "fix_share", "fix_floor", "min_feasibility", "hot_share", "fix_floor_share")


def load_costs(path: Path, data: dict, problems: list[str]) -> CostModel | None:
    before = len(problems)
    numbers = {"trip": data.get("trip"), **(data.get("verdict") or {})}
    for key in ("trip", *THRESHOLDS):
        if not isinstance(numbers.get(key), (int, float)) or numbers[key] <= 0:
            problems.append(f"{path.name}: '{key}' must be a positive number")
    gains, costs, crossings, sources, kernels = {}, {}, {}, {}, {}
    for lang in LANGUAGES:
        section = data.get(lang) or {}
        crossing = section.get("crossing") or {}
        if not all(isinstance(crossing.get(k), (int, float)) and crossing[k] > 0 for k in ("call_in", "callback")):
            problems.append(f"{path.name}: {lang}.crossing needs positive call_in and callback")
        else:
            crossings[lang] = (float(crossing["call_in"]), float(crossing["callback"]))
        gains[lang] = {k: float(v) for k, v in (section.get("gains") or {}).items()
                       if isinstance(v, (int, float)) and v > 0}
        if len(gains[lang]) != len(section.get("gains") or {}):
            problems.append(f"{path.name}: {lang}.gains must all be positive numbers")
        sources[lang] = {str(k): " ".join(str(v).split()) for k, v in (section.get("sources") or {}).items()}
        missing = sorted(k for k, v in gains[lang].items() if v != 1 and k not in sources[lang])
        if missing:
            problems.append(f"{path.name}: {lang}.sources: no source for the gain of {', '.join(missing)}")
        kernels[lang] = _kernels(path, lang, section.get("kernels") or {}, gains[lang], problems)
        costs[lang] = {}
        for name, spec in (section.get("costs") or {}).items():
            cost = _cost(spec, gains[lang])
            if cost is None:
                problems.append(f"{path.name}: {lang}.costs.{name}: needs kind (one of the gains), "
                                "a positive cost, and optionally per: iteration")
            else:
                costs[lang][name] = cost
    if len(problems) > before:
        return None
    return CostModel(float(numbers["trip"]), crossings, {k: float(numbers[k]) for k in THRESHOLDS}, gains, costs,
                     sources, kernels)


def _kernels(path: Path, lang: str, section: object, gains: dict[str, float],
             problems: list[str]) -> tuple[Kernel, ...]:
    if not isinstance(section, dict):
        problems.append(f"{path.name}: {lang}.kernels must map a kind of work to its share and absorbs")
        return ()
    found = []
    for kind, spec in section.items():
        kernel = _kernel(kind, spec, gains)
        if kernel is None:
            problems.append(f"{path.name}: {lang}.kernels.{kind}: needs a kind of work (one of the gains) with "
                            "a share in (0, 1] and absorbs: a list of other kinds of work, each once")
        else:
            found.append(kernel)
    return tuple(found)


def _kernel(kind: object, spec: object, gains: dict[str, float]) -> Kernel | None:
    absorbs = spec.get("absorbs") if isinstance(spec, dict) else None
    share = spec.get("share") if isinstance(spec, dict) else None
    if kind not in gains or not isinstance(share, (int, float)) or not 0 < share <= 1:
        return None
    if not isinstance(absorbs, list) or not absorbs or not all(isinstance(a, str) and a in gains for a in absorbs):
        return None
    if kind in absorbs or len(set(absorbs)) != len(absorbs):
        return None
    return Kernel(str(kind), float(share), tuple(absorbs))


def _cost(spec: object, gains: dict[str, float]) -> Cost | None:
    if not isinstance(spec, dict) or spec.get("kind") not in gains or set(spec) - {"kind", "cost", "per"}:
        return None
    if not isinstance(spec.get("cost"), (int, float)) or spec["cost"] <= 0 or spec.get("per", "iteration") != "iteration":
        return None
    return Cost(spec["kind"], float(spec["cost"]), spec.get("per") == "iteration")
