"""Peak resident memory of this process alone, in KiB.

On Linux, ru_maxrss survives exec: a process forked and exec'd by a large one (a Dask
worker by the client that starts the cluster, a scan process by its worker) reports at
least its parent's size at the fork. VmHWM (/proc/self/status) belongs to the new program
only. Elsewhere ru_maxrss is the figure there is.
"""

from __future__ import annotations

import resource
import sys


def own_peak_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    scale = 1 if sys.platform != "darwin" else 1 / 1024   # ru_maxrss is in bytes on macOS
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale)
