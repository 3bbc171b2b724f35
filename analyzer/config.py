"""Configuration: [tool.rustscout] in pyproject.toml, or rustscout.toml, then command-line flags.

Files are read from the scanned folder (or given with --config); flags override them. Every
key is checked, and unknown keys or wrong types are errors, not silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, Mapping

from analyzer.errors import ScanError, read_text
from analyzer.infra import cpus
from analyzer.infra.dates import SPAN, parse_date
from analyzer.model.report import ACTIONABLE, Verdict

MAX_JOBS = 64
VERDICTS = tuple(v.value for v in Verdict)


@dataclass(frozen=True)
class Config:
    path: Path
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    top: int = 15
    since: str | None = None            # YYYY-MM-DD, or a span before as_of: 90d, 26w, 18m, 2y
    as_of: str | None = None            # YYYY-MM-DD; the head commit's date when unset
    window_days: int = 365              # line counts and unit attribution look this far back
    max_file_kb: int = 1024
    jobs: int = min(cpus.usable(), 8)
    rules: tuple[Path, ...] = ()        # extra rule folders
    disable: tuple[str, ...] = ()       # rule ids to switch off
    cache: bool = True                  # reuse per-file results and history reads between runs
    cache_dir: Path | None = None       # default: RUSTSCOUT_CACHE_DIR, else the user cache folder
    fail_on: tuple[str, ...] = ()       # gate conditions: new-fix, erosion, score>=N
    baseline: Path | None = None        # known findings the gate leaves alone
    profiles: tuple[Path, ...] = ()     # profiles of the real workload (measured shares replace estimates)
    coverage: tuple[Path, ...] = ()     # coverage reports of the test suite
    select: tuple[str, ...] = ()        # rule ids or prefixes to run (FX, FX001); none given: all
    ignore: tuple[str, ...] = ()        # rule ids or prefixes not to run; --ignore adds to the file's
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()   # (glob, rule ids or prefixes) suppressed there
    sarif_min_score: float = 0.0        # SARIF reports findings of candidates at this score or above
    sarif_verdicts: tuple[str, ...] = ACTIONABLE   # ... whose verdict is one of these


KEYS = {f.name for f in fields(Config)} - {"path"}
_TYPES = {"include": list, "exclude": list, "top": int, "since": str, "as_of": str, "window_days": int,
          "max_file_kb": int, "jobs": int, "rules": list, "disable": list, "cache": bool, "cache_dir": str,
          "fail_on": list, "baseline": str, "profiles": list, "coverage": list, "select": list, "ignore": list,
          "per_path_ignores": dict, "sarif_min_score": float, "sarif_verdicts": list}
_ADDED = ("ignore",)   # flags add to the file's list instead of replacing it: ignoring more never selects


def load(path: Path, overrides: Mapping[str, Any], config_file: Path | None = None) -> Config:
    """Config for scanning `path`: file settings first, then non-None overrides."""
    settings, base = _file_settings(path, config_file)
    given = {k: v for k, v in overrides.items() if v not in (None, (), [])}
    for key in _ADDED:
        if key in given:
            given[key] = [*settings.get(key, ()), *given[key]]
    settings.update(given)
    config = Config(path=path)
    for key, value in settings.items():
        config = replace(config, **{key: _coerce(key, value, base)})
    validate_dates(config)
    return config


def _file_settings(path: Path, explicit: Path | None) -> tuple[dict, Path]:
    folder = path if path.is_dir() else path.parent
    if explicit is not None:
        data = _read_toml(explicit)
        section = _table(data, ("tool", "rustscout"), explicit)
        return _check(data if section is None else section, explicit), explicit.parent
    for name in ("rustscout.toml", "pyproject.toml"):
        candidate = folder / name
        if candidate.is_file():
            data = _read_toml(candidate)
            section = data if name == "rustscout.toml" else _table(data, ("tool", "rustscout"), candidate)
            if section is not None:
                return _check(section, candidate), folder
    return {}, folder


def _read_toml(path: Path) -> dict:
    text = read_text(path)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScanError(f"{path}: invalid TOML: {exc}") from None
    except RecursionError:
        raise ScanError(f"{path}: invalid TOML: nested too deeply") from None


def _table(data: dict, keys: tuple[str, ...], source: Path) -> dict | None:
    """data[keys[0]][keys[1]]..., None when a key is absent; a value that is not a table where
    one must be is the user's mistake, named with its place."""
    for depth, key in enumerate(keys):
        if key not in data:
            return None
        data = data[key]
        if not isinstance(data, dict):
            raise ScanError(f"{source}: '{'.'.join(keys[:depth + 1])}' must be a table")
    return data


def _check(section: dict, source: Path) -> dict:
    unknown = sorted(set(section) - KEYS)
    if unknown:
        raise ScanError(f"{source}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(KEYS))}")
    for key, value in section.items():
        wanted = (int, float) if _TYPES[key] is float else _TYPES[key]
        if not isinstance(value, wanted) or (isinstance(value, bool) and _TYPES[key] is not bool):
            kind = "number" if _TYPES[key] is float else _TYPES[key].__name__
            raise ScanError(f"{source}: '{key}' must be a {kind}")
    return dict(section)


def _coerce(key: str, value: Any, base: Path) -> Any:
    if key in ("include", "exclude", "disable", "fail_on"):
        return tuple(str(v) for v in value)
    if key in ("select", "ignore"):
        return _selectors(key, value)
    if key == "per_path_ignores":
        return _per_path(value)
    if key == "sarif_verdicts":
        return _verdicts(value)
    if key == "sarif_min_score":
        return _score(value)
    if key == "rules":
        return tuple((base / str(v)).resolve() for v in value)
    if key in ("profiles", "coverage"):   # not resolved: reports name them as given, the same on every machine
        return tuple(Path(v) if isinstance(v, Path) else base / str(v) for v in value)
    if key in ("cache_dir", "baseline"):
        return (base / str(value)).resolve()
    if key in ("top", "window_days", "max_file_kb", "jobs") and int(value) < 1:
        raise ScanError(f"'{key}' must be at least 1")
    if key == "jobs" and int(value) > MAX_JOBS:
        raise ScanError(f"'jobs' must be at most {MAX_JOBS}: each is a process of its own")
    return value


def _selectors(key: str, value: Any) -> tuple[str, ...]:
    """Rule ids or prefixes, upper case; comma-separated values split. Whether each names a
    rule is checked where the rules are loaded."""
    if isinstance(value, str) or any(not isinstance(v, str) for v in value):
        raise ScanError(f"'{key}' must be a list of rule ids or prefixes, such as [\"FX\", \"BD001\"]")
    selectors = tuple(part.strip().upper() for v in value for part in v.split(",") if part.strip())
    bad = next((s for s in selectors if not s.replace("_", "").isalnum()), None)
    if bad is not None:
        raise ScanError(f"'{key}': '{bad}' is not a rule id or prefix (letters and digits, such as FX001)")
    return selectors


def _per_path(value: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """{glob: [rule ids or prefixes]}, in the order written (the order does not change a result)."""
    if not isinstance(value, dict):
        raise ScanError("'per_path_ignores' must be a table of globs to rule lists, such as {\"tests/**\" = [\"FX\"]}")
    found = []
    for glob, selectors in value.items():
        if not isinstance(selectors, (list, tuple)) or not str(glob).strip():
            raise ScanError(f"'per_path_ignores': '{glob}' must map a non-empty glob to a list of rule ids or prefixes")
        found.append((str(glob).strip(), _selectors(f"per_path_ignores.{glob}", selectors)))
    return tuple(found)


def _verdicts(value: Any) -> tuple[str, ...]:
    chosen = tuple(str(v).strip().lower() for v in value)
    bad = [v for v in chosen if v not in VERDICTS]
    if bad:
        raise ScanError(f"'sarif_verdicts': unknown verdict '{bad[0]}'; known: {', '.join(VERDICTS)}")
    return chosen


def _score(value: Any) -> float:
    if not 0 <= float(value) <= 100:
        raise ScanError("'sarif_min_score' must be a score from 0 to 100")
    return float(value)


def validate_dates(config: Config) -> None:
    if config.as_of is not None:
        parse_date(config.as_of, "as_of")
    if config.since is not None and not SPAN.match(config.since):
        parse_date(config.since, "since")
