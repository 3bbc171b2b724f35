"""Where the data that ships with rustscout lives: rules, catalogs and the JSON schemas."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent   # analyzer/


def rules_dir() -> Path:
    """rules/ is installed as analyzer/rules; a checkout (or editable install) reads it in place."""
    installed = _PACKAGE / "rules"
    return installed if installed.is_dir() else _PACKAGE.parent / "rules"


def schema_path(name: str) -> Path:
    return _PACKAGE / "schema" / name
