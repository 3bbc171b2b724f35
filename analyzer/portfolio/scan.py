"""The portfolio's one call into the scan. Everything else in this package reads the scan's
JSON document (a stable, schema-checked interface), never the pipeline's objects, so the
pipeline can move without the portfolio noticing: only this function follows it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping

from analyzer import config, pipeline
from analyzer.report import json as json_report

LANGUAGE_EXCLUDES = {"python": ("*.java",), "java": ("*.py",)}


def scan_document(path: Path, overrides: Mapping[str, Any], language: str | None = None) -> str:
    """`rustscout scan PATH --json` as a string: the folder's own configuration, then
    `overrides`; `language` leaves the other language's files out (on top of the
    repository's own excludes, which an override would replace)."""
    settings = config.load(path, overrides)
    if language is not None:
        settings = replace(settings, exclude=(*settings.exclude, *LANGUAGE_EXCLUDES[language]))
    return json_report.render(pipeline.run(settings))
