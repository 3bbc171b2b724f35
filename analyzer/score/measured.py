"""What a profile measured, as the score reads it.

Where a profile of the candidate's language was given, the measured share of its samples
replaces the static traffic estimate, and the share of those samples already spent in native
code or libraries (time a port does not touch) replaces the static guess of that part:

    core     = 1 / (kept + (1 - kept) / interpreted)   Amdahl inside the candidate
    saved    = share x (1 - 1 / core)                   of the measured workload
    benefit  = min(1, saved / 0.5) ** 0.5               half the workload saved earns it all

`interpreted` is the static speedup of the work that gains at all (gain above 1). A unit the
profile never saw is measured cold; one of a language no profile measured keeps its estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.model import Intensity
from analyzer.model.runtime import UnitRuntime

FULL_BENEFIT = 0.5


@dataclass(frozen=True, slots=True)
class Measured:
    share: float                # inclusive share of the samples of its language
    self_share: float
    kept: float                 # of its samples, already native or in libraries
    core: float                 # core speedup with `kept` measured
    alloc: float | None         # its share of the sampled allocations, when an allocation profile was given
    source: str                 # "12,345 samples (py-spy raw, prof.txt)"

    @property
    def saved(self) -> float:
        """Share of the measured workload a port of its work could take out."""
        return self.share * (1 - 1 / self.core) if self.core > 1 else 0.0

    @property
    def benefit(self) -> float:
        return min(1.0, self.saved / FULL_BENEFIT) ** 0.5


def measured(runtime: UnitRuntime | None, x: Intensity, gains: Mapping[str, float]) -> Measured | None:
    """The measured view of a candidate, or None where no CPU profile speaks for it."""
    if runtime is None or runtime.inclusive_share is None:
        return None
    kept = min(1.0, (runtime.native_share or 0.0) + (runtime.library_share or 0.0))
    core = 1 / (kept + (1 - kept) / _interpreted(x, gains))
    return Measured(runtime.inclusive_share, runtime.self_share or 0.0, kept, core, runtime.alloc_share,
                    runtime.source)


def _interpreted(x: Intensity, gains: Mapping[str, float]) -> float:
    """The static speedup of the part of its work that a port speeds up at all."""
    gaining = sum(v for k, v in x.by_kind.items() if gains.get(k, 1.0) > 1)
    rest = gaining - x.saved
    return gaining / rest if gaining > 0 and rest > 0 else 1.0
