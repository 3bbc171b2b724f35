"""Replacing a file's bytes in one step, for `rustscout fix`: a reader (an editor, a test run,
git) sees the old file or the new one, never half of it, and the file keeps its permissions."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Callable, Iterable


def replace_bytes(path: Path, data: bytes | Iterable[bytes], still: Callable[[bytes], bool] | None = None,
                  mode: int | None = None) -> bool:
    """Write `data` (its bytes, or its pieces in order: a large report is never held whole)
    through a temporary file in the same folder, then rename it over `path`, but only if
    `still(current bytes)` holds just before the rename (False: nothing written). The file
    keeps its permissions, or takes `mode` (a new file)."""
    mode = stat.S_IMODE(path.stat().st_mode) if mode is None else mode
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.writelines([data] if isinstance(data, bytes) else data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode)
        if still is not None and not still(path.read_bytes()):
            Path(temp).unlink()
            return False
        os.replace(temp, path)
        return True
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
