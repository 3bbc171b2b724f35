"""Reading a JSON report back, for `rustscout report REPORT.json --html FILE`: a CI job renders
the page from the JSON it already has, without scanning twice.

The document is checked against the published schema (analyzer/schema/report.schema.json)
before anything is rendered, so a truncated, hand-edited or foreign file is one line naming
the file and the first thing wrong in it, never a traceback or a page that breaks when opened.
The check reads the keywords the schema uses for structure and values (types, required and
unknown keys, enums, bounds, lengths, patterns; not `format`) in a plain walk: jsonschema
takes 40 s on sympy's 29 MB report, this walk about a second.

Schema 1.2 and later 1.x are read: a newer minor version only adds optional keys, which are
skipped. 1.0 and 1.1 rate candidates by a share of program time that 1.2 replaced, so they are
refused with the way out: scan again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from analyzer.errors import ScanError, read_text
from analyzer.infra.resources import schema_path
from analyzer.report.json import SCHEMA_VERSION

OLDEST = (1, 2)
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None),
         "integer": int, "number": (int, float)}


class ReportError(ScanError):
    """A JSON report that cannot be read, or is not one this rustscout renders."""


def load(path: Path) -> dict:
    text = read_text(path, "report")
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise ReportError(f"report {path}: not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except ValueError as exc:   # NaN or Infinity: Python reads them, the page's JSON.parse would not
        raise ReportError(f"report {path}: not JSON ({exc})") from None
    except RecursionError:
        raise ReportError(f"report {path}: not JSON (nested too deeply)") from None
    schema = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
    problem = _Check(schema, strict=_version(path, doc) <= _parse(SCHEMA_VERSION)).first(doc)
    if problem is not None:
        raise ReportError(f"report {path}: not a valid rustscout report: {_short(problem)}")
    return doc


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def _version(path: Path, doc) -> tuple[int, int]:
    tool = doc.get("tool") if isinstance(doc, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "rustscout" or not isinstance(doc.get("schema_version"), str):
        raise ReportError(f"report {path}: not a rustscout JSON report (`rustscout scan --json FILE` writes one)")
    version = _parse(doc["schema_version"])
    if version is None:
        raise ReportError(f"report {path}: schema_version {doc['schema_version'][:20]!r} is not a version such as 1.2")
    if version[0] != OLDEST[0] or version < OLDEST:
        raise ReportError(f"report {path}: schema {doc['schema_version']} is not supported: this rustscout renders "
                          f"{OLDEST[0]}.{OLDEST[1]} and later {OLDEST[0]}.x; scan again with `rustscout scan --json`")
    return version


def _parse(text: str) -> tuple[int, int] | None:
    parts = text.split(".")
    return (int(parts[0]), int(parts[1])) if len(parts) == 2 and all(p.isdigit() for p in parts) else None


class _Check:
    """The first place a value breaks the schema, as 'at candidates/3/score: ...', or None.
    `strict` refuses keys the schema does not know (off for a newer minor version). Each part
    of the schema is turned into a check once: a report has a million values."""

    def __init__(self, schema: dict, strict: bool):
        self.defs, self.root, self.strict, self.made = schema.get("$defs", {}), schema, strict, {}

    def first(self, doc) -> str | None:
        return self._check(self.root)(doc, None)   # a place is (the place above, key): no copying

    def _check(self, schema: dict):
        if "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[-1]]
        key = id(schema)
        if key not in self.made:
            self.made[key] = lambda value, at: self.made[key](value, at)   # a reference to itself, made below
            self.made[key] = self._make(schema)
        return self.made[key]

    def _make(self, schema: dict):
        plain = _plain(schema)
        alternatives = [self._check(s) for s in schema.get("oneOf") or schema.get("anyOf") or ()]
        items = self._check(schema["items"]) if "items" in schema else None
        members = self._object(schema) if schema.get("type") == "object" or "properties" in schema else None

        def check(value, at):
            if alternatives and all(c(value, at) for c in alternatives):
                return _where(at, f"{_show(value)} is none of the allowed forms")
            problem = plain(value) if plain else None
            if problem:
                return _where(at, problem)
            if members and isinstance(value, dict):
                return members(value, at)
            if items and isinstance(value, list):
                return next(filter(None, (items(v, (at, i)) for i, v in enumerate(value))), None)
            return None
        return check

    def _object(self, schema: dict):
        required, extra = schema.get("required", ()), schema.get("additionalProperties", True)
        known = {k: self._check(v) for k, v in schema.get("properties", {}).items()}
        other = self._check(extra) if isinstance(extra, dict) else None
        names = self._check(schema["propertyNames"]) if "propertyNames" in schema else None

        def members(value: dict, at):
            missing = next((k for k in required if k not in value), None)
            if missing is not None:
                return _where(at, f"'{missing}' is missing")
            for key, item in value.items():
                check = known.get(key) or other
                found = check(item, (at, key)) if check else None
                if key not in known and extra is False and self.strict:
                    found = _where((at, key), "is not a key of this report")
                found = found or (names(key, (at, key)) if names and key not in known else None)
                if found:
                    return found
            return None
        return members


def _plain(schema: dict):
    """The checks of one value on its own (type, enum, bounds, length, pattern), or None."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds or []
    types = tuple(t for k in kinds for t in (TYPES[k] if isinstance(TYPES[k], tuple) else (TYPES[k],)))
    numeric = any(k in ("integer", "number") for k in kinds) and "boolean" not in kinds
    allowed = schema["enum"] if "enum" in schema else [schema["const"]] if "const" in schema else None
    low, high = schema.get("minimum"), schema.get("maximum")
    shortest, longest = schema.get("minItems", 0), schema.get("maxItems")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    if not (types or allowed is not None or low is not None or high is not None or shortest or longest or pattern):
        return None

    def plain(value):
        if types and (not isinstance(value, types) or (numeric and isinstance(value, bool))):
            return f"{_show(value)} is not of type {' or '.join(kinds)}"
        if allowed is not None and value not in allowed:
            return f"{_show(value)} is not one of {', '.join(map(_show, allowed))}"
        if isinstance(value, (int, float)) and ((low is not None and value < low) or (high is not None and value > high)):
            return f"{value} is out of range"
        if isinstance(value, list) and not (shortest <= len(value) <= (longest if longest is not None else len(value))):
            return f"{len(value)} item(s) is not a length allowed here"
        if pattern and isinstance(value, str) and not pattern.search(value):
            return f"{_show(value)} does not match {pattern.pattern}"
        return None
    return plain


def _where(at: tuple | None, problem: str) -> str:
    keys = []
    while at is not None:
        at, key = at
        keys.append(str(key))
    return f"at {'/'.join(reversed(keys)) or 'the top level'}: {problem}"


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _short(message: str, limit: int = 200) -> str:
    line = " ".join(message.split())
    return line if len(line) <= limit else line[:limit - 1] + "…"
