"""Nouns of the report's module graph: one node per ranked file, the imports and calls between
files, as the HTML report draws them (and the JSON's optional "graph" section carries them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ModuleNode:
    id: str                     # the file's module id: "py:pkg/mod.py", "java:src/main/java/a/B.java"
    path: str
    language: str
    folder: str                 # the path's folder, "" at the root
    sloc: int                   # lines that start a statement
    work_share: float           # static estimate: the file's share of the work of every unit read (tests left out)
    verdict: str | None         # the best verdict of the candidates inside the file
    candidate: str | None       # that candidate's id
    score: float                # its score; 0 without a candidate


@dataclass(frozen=True, slots=True)
class ModuleEdge:
    source: str                 # node ids
    target: str
    kind: str                   # import | call
    weight: int                 # how many imports (or call sites) link the two files


@dataclass(frozen=True, slots=True)
class ModuleGraph:
    nodes: tuple[ModuleNode, ...]   # sorted by id
    edges: tuple[ModuleEdge, ...]   # sorted by (source, target, kind)
