"""The scaffold's README (the plan, the boundary, the crossings to cut, the commands) and the
warning that heads every generated file when the boundary is not clean yet.

Input: the `Case`, the hazards and first cut, the mapped signatures, and the binding's own
sections (files and commands) from the binding's generator. Output: Markdown and comment lines.
"""

from __future__ import annotations

from analyzer.model.scaffold import MappedSignature
from analyzer.scaffold.case import Case, Hazard
from analyzer.scaffold.spec import Options

ENTANGLING = ("callback", "shared-state", "object", "receiver", "generator", "private")
KIND_WORDS = {"callback": "callbacks into the host language", "shared-state": "shared state",
              "object": "arbitrary objects", "receiver": "instances of classes that stay behind",
              "generator": "generators or coroutines", "private": "private methods the fallback cannot call"}


def first_cut(case: Case, hazards: tuple[Hazard, ...]) -> str | None:
    """The plan's first cut when the scan named one, else the first entangling hazard's."""
    entangling = [h for h in hazards if h.kind in ENTANGLING]
    if not entangling:
        return None
    return case.cut[0] if case.cut else entangling[0].cut


def warning_lines(case: Case, hazards: tuple[Hazard, ...]) -> list[str]:
    """Lines for the top of every file: empty when the boundary is clean."""
    cut = first_cut(case, hazards)
    if cut is None:
        return []
    kinds = [KIND_WORDS[k] for k in ENTANGLING if any(h.kind == k for h in hazards)]
    return [f"WARNING: this boundary passes {_join(kinds)}.",
            "A port behind it as it stands pays a crossing for each of them, or cannot work at all:",
            "the stubs mirror the boundary only to show where it is.",
            f"Smallest cut to make first: {cut}.", "The other cuts are listed in README.md."]


def _join(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def public_api_note(what: str) -> list[str]:
    """For a candidate nothing in the repository calls: what stands in for its boundary."""
    return [f"No call into it was seen, so {what} stand in for the boundary.", ""]


def readme(case: Case, options: Options, hazards: tuple[Hazard, ...], signatures: tuple[MappedSignature, ...],
           files: list[str], commands: list[str], extra: list[str] = ()) -> str:
    title = case.qualname.split("(")[0] or case.name
    lines = [f"# Native port of `{title}`", "", f"`{case.id}`, as `rustscout scaffold` generated it"
             + (f" from the scan of commit {options.head[:10]}." if options.head else "."), ""]
    lines += _top_warning(case, hazards)
    gain = f" Estimated native gain on its own time: ≈{case.native_gain:g}x." if case.native_gain is not None else ""
    lines += [f"rustscout's verdict: **{case.verdict}**: {case.reason}.{gain}", ""]
    lines += _plan(case) + _boundary(case, hazards, signatures) + list(extra)
    lines += ["## Files", "", *files, "", "## Build, test, measure", "", *commands, ""]
    return "\n".join(lines).rstrip() + "\n"


def _top_warning(case: Case, hazards: tuple[Hazard, ...]) -> list[str]:
    warning = warning_lines(case, hazards)
    if not warning:
        return []
    cut = warning[3].removeprefix("Smallest cut to make first: ").removesuffix(".")
    return [f"> **Cut first: {warning[0].removeprefix('WARNING: ')}** {warning[1]} {warning[2]}",
            f"> Smallest cut to make first: **{cut}**.", ""]


def _plan(case: Case) -> list[str]:
    if not case.steps:
        steps = ["pin behaviour first: " + (f"{case.test_references} test unit(s) exercise it; run them against "
                                             "both versions" if case.test_references else
                                             "no test calls it; write characterization tests"),
                 "port the entry points below, leaves first (callees before callers)",
                 "measure the real speedup on production-like input before switching for good"]
    else:
        steps = list(case.steps)
    return ["## The plan", "", *(f"{i}. {s}" for i, s in enumerate(steps, 1)), ""]


def _boundary(case: Case, hazards: tuple[Hazard, ...], signatures: tuple[MappedSignature, ...]) -> list[str]:
    callers = {e.unit_id: e.callers for e in case.entries}
    rows = ["| entry point | callers | source | Rust |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.entry.partition('::')[2]}` | {callers.get(s.entry, '-')} | `{_cell(s.source)}` | "
             f"`{_cell(s.rust)}` |" for s in signatures]
    notes = [f"- `{s.entry.partition('::')[2]}` {p.name}: {p.note}" for s in signatures
             for p in (*s.params, s.returns) if p.note]
    cuts = [f"- {h.what}: **{h.cut}**" for h in hazards if h.kind != "verdict"]
    tests = (f"{case.test_references} test unit(s) import or call it: run them against both versions."
             if case.test_references else "No test imports or calls it: write characterization tests first.")
    return ["## The boundary", "", f"{case.calls_in_total} call site(s) come in through these entry points:", "",
            *rows, "", *(["Type notes:", "", *notes, ""] if notes else []),
            "Crossings to cut:", "", *(cuts or ["- none: no callbacks, shared state or arbitrary objects"]), "",
            f"Coverage to pin the behaviour: {tests}", ""]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
