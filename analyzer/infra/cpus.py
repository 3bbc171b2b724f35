"""How many CPUs this process may use: the ones it may run on (its affinity), within its
container's CPU quota (cgroup v2 `cpu.max`, v1 `cpu.cfs_quota_us` over `cpu.cfs_period_us`).

os.cpu_count() counts the host's CPUs. A CI job limited to 2 CPUs on a 64-core node would
start 8 parse workers, each holding a few hundred MB, that the quota then throttles: slower,
and out of memory where the pod's limit is tight.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

_PROC = Path("/proc/self/cgroup")
_CGROUP = Path("/sys/fs/cgroup")


def usable(membership: Path = _PROC, hierarchy: Path = _CGROUP) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = quota_of(membership, hierarchy)
    return max(1, min(cores, quota) if quota else cores)


def quota_of(membership: Path, hierarchy: Path) -> int | None:
    """The CPU quota of this process's cgroup in whole CPUs (rounded up); None when there is
    none, or no cgroup to read (not Linux, a file missing or malformed)."""
    try:
        lines = membership.read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, place = (line.split(":", 2) + ["", ""])[:3]
        found = _quota(hierarchy, controllers, place.strip().lstrip("/"))
        if found is not None:
            return found
    return None


def _quota(hierarchy: Path, controllers: str, place: str) -> int | None:
    try:
        if controllers == "":   # cgroup v2: one unified hierarchy, "max 100000" or "200000 100000"
            limit, period = (hierarchy / place / "cpu.max").read_text().split()[:2]
        elif "cpu" in controllers.split(","):
            folder = hierarchy / controllers / place
            limit, period = ((folder / name).read_text().strip() for name in ("cpu.cfs_quota_us", "cpu.cfs_period_us"))
        else:
            return None
        return math.ceil(int(limit) / int(period)) if limit not in ("max", "-1") and int(period) > 0 else None
    except (OSError, ValueError):
        return None
