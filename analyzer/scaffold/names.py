"""Names of a scaffold's pieces, all from the candidate: the crate and extension module, the
shim, and the environment variable that forces the pure code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from analyzer.scaffold.case import Case


@dataclass(frozen=True, slots=True)
class Names:
    base: str                   # "mask"
    ext: str                    # "mask_rs": crate, native library and Python extension module
    shim: str                   # "mask_shim"
    env: str                    # "MASK_RS_PURE": set to 1 to force the pure code


def names_for(case: Case) -> Names:
    base = identifier(_base(case))
    ext = f"{base}_rs"
    return Names(base, ext, f"{base}_shim", f"{ext.upper()}_PURE")


def _base(case: Case) -> str:
    if case.kind in ("function", "class"):
        return snake(case.qualname.split("(")[0].replace(".", "_"))
    path = PurePosixPath(case.path.rstrip("/"))
    if path.stem == "__init__" or not path.suffix:
        return path.parent.name if path.stem == "__init__" else path.name
    return snake(path.stem)


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def identifier(text: str) -> str:
    cleaned = re.sub(r"[^0-9a-zA-Z_]+", "_", text).strip("_").lower() or "port"
    return f"m_{cleaned}" if cleaned[0].isdigit() else cleaned


def camel(name: str) -> str:
    """"fletcher16" -> "Fletcher16", "xor_mask" -> "XorMask" (Java test and method names)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)
