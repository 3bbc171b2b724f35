"""The portfolio document: the versioned contract of `rustscout portfolio --json`.

Its schema ships in analyzer/schema/portfolio.schema.json (schema_version below; 1.x only
adds optional fields). Same repositories at the same heads, same bytes: keys keep a fixed
order, lists are sorted, and nothing depends on the clock, timing, the cluster, the order
tasks finished in, or whether a result was reused. One top-level key per line and one
repository, ranking entry or error per line, as the scan's document does.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Sequence

from analyzer import __version__
from analyzer.portfolio import merge
from analyzer.portfolio.model import Failed, Scanned

SCHEMA_VERSION = "1.0"
_LISTS = ("repositories", "ranking", "errors")


def build(results: Sequence[Scanned], failures: Sequence[Failed], complete: bool) -> dict:
    ranked = merge.ranking(results)
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "rustscout", "version": __version__},
        "complete": complete,
        "totals": merge.totals(results, failures, ranked),
        "repositories": merge.repositories(results, failures),
        "ranking": ranked,
        "errors": merge.errors(failures),
    }


def render(doc: dict) -> str:
    lines = [f"  {_compact(key)}: {_value(key, value)}" for key, value in doc.items()]
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _value(key: str, value) -> str:
    if key in _LISTS and value:
        return "[\n" + ",\n".join(f"    {_compact(item)}" for item in value) + "\n  ]"
    return _compact(value)


def _compact(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


@lru_cache(maxsize=1)
def schema() -> dict:
    from analyzer.infra.resources import schema_path
    return json.loads(schema_path("portfolio.schema.json").read_text(encoding="utf-8"))


def problems(doc: dict) -> list[str]:
    """Where the document breaks its schema (empty when it follows it)."""
    import jsonschema
    validator = jsonschema.Draft202012Validator(schema())
    return sorted(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in validator.iter_errors(doc))
