"""Every metric a rule may name, declared once with its meaning.

Observations (parser facts and catalog categories) each give two metrics: NAME, how often
it occurs in the candidate, and NAME_in_loops, how often inside a loop. Each kind of work
in the cost model gives KIND_share (the candidate's own lines) and KIND_tree_share (one call
with its callees). The rest are declared below. Catalog categories and
cost kinds are data, so the registry is built from the loaded catalog.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from analyzer.model import EXCEPTION_PATHS
from analyzer.ruleset.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Metric:
    name: str
    unit: str                   # count | share | ratio | x | days | lines | flag
    description: str
    code: bool = False          # known from the code alone (no graph context, history or estimate)


PARSER_OBSERVATIONS = {
    "loop": "loops: for, while and comprehensions",
    "count_iter": "loops over a counter or the characters of a string (a port keeps them in registers)",
    "object_iter": "loops over containers of objects (a port still steps through objects)",
    "arith": "arithmetic operations", "bitwise": "bitwise operations and shifts",
    "compare": "comparisons and boolean negations", "index": "element reads and writes by index",
    "slice": "slices (each copies)", "alloc": "containers, comprehensions and formatted strings built",
    "str_concat": "strings built with + or +=", "list_membership": "`x in some_list` scans",
    "char_iter": "iteration over the characters or bytes of a string",
    "await": "await expressions", "lambda": "lambdas created", "nested_def": "functions defined inside functions",
    "monkeypatch": "assignments to attributes of imported modules or classes",
    "call": "calls of any kind",
    "boxing": "primitive values boxed into wrapper objects (Java)",
    "boundary_boxing": "boxes that cross the unit's boundary: into a collection it returns, out of one it is given (Java)",
    "heap_field": "collections held in fields and mutated (Java heap residency)",
    "synchronized": "synchronized methods and blocks, explicit locks (Java)",
    "native_method": "native methods (already JNI)",
    "collection_field": "collections declared as fields (Java)",
}
DERIVED_OBSERVATIONS = {
    "metaclass": "classes whose metaclass hooks more than class creation (or cannot be read)",
    "internal_call": "calls to units of this repository",
    "instantiate": "objects of this repository's classes created",
    "regex_literal": "regular expressions compiled from a literal inside a function",
    "io": "calls that wait on I/O of any kind (file, network, database, subprocess, sleep)",
    "external_call": "calls into libraries with no catalog entry",
    "builtin_call": "calls of built-in functions and types with no catalog entry (exceptions, print)",
    "callback": "calls of a parameter, or a method of one: host code the port would call back",
    "opaque_call": "method calls on receivers of unknown type",
}
DECLARED = [
    Metric("sloc", "lines", "lines that start a statement", True),
    Metric("cyclomatic", "count", "highest cyclomatic complexity of a member function (radon's definition)", True),
    Metric("cyclomatic_total", "count", "cyclomatic complexity summed over member functions", True),
    Metric("loop_depth", "count", "deepest loop nesting", True),
    Metric(EXCEPTION_PATHS, "count", "observations on exception paths (a raise or throw and what builds its "
           "message, an error handler, a debug-level logging guard): each weighs one chance in trip", True),
    Metric("params", "count", "parameters of the function (self excluded)", True),
    Metric("units", "count", "functions, classes and modules in the candidate", True),
    Metric("fan_in", "count", "units outside the candidate that call into it"),
    Metric("fan_out", "count", "units outside the candidate it calls"),
    Metric("entry_points", "count", "members used from outside (the interface width)"),
    Metric("calls_in", "count", "call sites that enter the candidate from outside"),
    Metric("calls_out", "count", "call sites that leave the candidate (callbacks once ported)"),
    Metric("shared_state", "count", "accesses to module-level state shared with code outside or declared outside"),
    Metric("shared_state_writes", "count", "writes to module-level state shared with code outside or declared outside"),
    Metric("test_references", "count", "test units that import or call a member"),
    Metric("import_cycle", "flag", "1 when a member module is part of an import cycle"),
    Metric("async", "count", "async functions among the members", True),
    Metric("generator", "count", "generator functions among the members", True),
    Metric("heat_share", "share", "estimated share of program time spent in the candidate"),
    Metric("speedup", "x", "estimated speedup of the candidate's own time if ported, crossings included"),
    Metric("core_speedup", "x", "the same, if the calls leaving it were brought inside the port"),
    Metric("saved_share", "share", "estimated share of program time a port would save"),
    Metric("history_available", "flag", "1 when git history was read"),
    Metric("revisions", "count", "commits that touched the candidate's files"),
    Metric("revisions_90d", "count", "commits in the 90 days before as_of"),
    Metric("revisions_365d", "count", "commits in the 365 days before as_of"),
    Metric("churn_window", "lines", "lines added and deleted in the line-count window"),
    Metric("authors", "count", "distinct authors of the candidate's files"),
    Metric("authors_365d", "count", "distinct authors in the 365 days before as_of"),
    Metric("age_days", "days", "days since the oldest file of the candidate was created"),
    Metric("last_change_days", "days", "days since the last change"),
    Metric("fix_commits", "count", "commits whose subject says fix, bug, regression or crash"),
    Metric("fix_ratio", "ratio", "fix commits / revisions"),
    Metric("co_change_outside", "count", "files outside the candidate that usually change with it"),
    Metric("unit_revisions_window", "count", "window commits whose hunks touch the candidate's own lines"),
    Metric("unit_churn_window", "lines", "lines changed by those commits"),
    Metric("libraries", "count", "libraries the candidate calls", True),
    Metric("libraries_unmapped", "count", "third-party libraries it calls that have no Rust crate in the catalog",
           True),
]


def registry(catalog: Catalog) -> Mapping[str, Metric]:
    metrics = {m.name: m for m in DECLARED}
    observations = {**PARSER_OBSERVATIONS, **DERIVED_OBSERVATIONS,
                    **{c: catalog.descriptions.get(c, c) for c in catalog.categories}}
    for name, description in observations.items():
        metrics[name] = Metric(name, "count", description, True)
        metrics[f"{name}_in_loops"] = Metric(f"{name}_in_loops", "count", f"{description}, inside loops", True)
    for kind in catalog.costs.kinds():
        metrics[f"{kind}_share"] = Metric(f"{kind}_share", "share",
                                          f"share of the candidate's estimated time that is {kind} work")
        metrics[f"{kind}_tree_share"] = Metric(f"{kind}_tree_share", "share",
                                               f"share of one call's estimated work, its callees in the repository "
                                               f"included, that is {kind} work")
    return dict(sorted(metrics.items()))


def observation_names(catalog: Catalog) -> frozenset[str]:
    return frozenset([*PARSER_OBSERVATIONS, *DERIVED_OBSERVATIONS, *catalog.categories])
