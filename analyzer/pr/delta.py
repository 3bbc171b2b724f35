"""Delta stage: what a pull request does to the Rust picture, from the two analyses.

Input: a Comparison (base and head Reports, the diff), a Baseline, and how many top
candidates count as "the top". Output: a Delta.

- Touched: candidates (functions, classes, modules) whose lines the diff changed, with their
  score and verdict before and after. Listed when something moved: the verdict, the score by
  at least SCORE_STEP, or a unit that is new or gone and matters on its side (a verdict that
  says act, or a score of at least SCORE_STEP); the rest, however important, are counted: an
  unchanged "0.4 -> 0.4" is not a thing to look at.
- New findings: fix-in-place findings whose evidence sits on changed lines, that the base did
  not have and the baseline does not list; with their mechanical fixes, each a suggestion when
  it replaces changed lines only.
- Erosion: for candidates that matter (top N, or port / needs-boundary-work), more calls in,
  more callbacks out, more entry points or more shared state than at the base; and import
  cycles that are new or grew.
- New and gone: candidates that matter and exist on one side only.
Ids are matched across renames: a base id is read under the file's new name.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from analyzer.model import Candidate, Comparison, Crossing, Effect, FileDiff, Finding, Report, UnitId
from analyzer.model.delta import Baseline, Delta, Erosion, OfferedFix, Shift

SCORE_STEP = 1.0
ACT = frozenset({"port", "needs-boundary-work", "fix-in-place-first"})
MATTERS = frozenset({"port", "needs-boundary-work"})
UNIT_KINDS = frozenset({"function", "class", "module"})
EXAMPLES = 5


def compute(comparison: Comparison, baseline: Baseline, top: int = 10) -> Delta:
    head, base = comparison.head, comparison.base
    renamed = {d.old_path: d.new_path for d in comparison.diff if d.old_path and d.new_path and d.old_path != d.new_path}
    before = {_translate(c.id, renamed): c for c in base.candidates}
    after = {c.id: c for c in head.candidates}
    changed = _spans(comparison.diff)
    touched = [_shift(after.get(i), before.get(i)) for i in _touched(head, base, changed, renamed, before)]
    listed = [s for s in touched if _worth_a_line(s)]
    important = _important(head, top)
    news = _new_findings(head, base, changed, renamed, baseline)
    return Delta(
        base_ref=comparison.base_ref, base=base.head or "", head=head.head or "", commits=comparison.commits,
        files_changed=len(comparison.diff), touched=tuple(listed), quiet=len(touched) - len(listed),
        new_findings=news,
        erosion=tuple(e for i in sorted(important) if i in before for e in _erosion(after[i], before[i], renamed)),
        new_cycles=_new_cycles(head, base, renamed),
        appeared=tuple(_shift(after[i], None) for i in sorted(important - before.keys())
                       if i not in {s.id for s in touched}),
        gone=tuple(_shift(None, before[i]) for i in sorted(_important(base, top, renamed) - after.keys())
                   if i not in {s.id for s in touched}),
        top=head.candidates[:top], candidates=len(head.candidates), tool_version=head.tool_version,
        measured=tuple(m.description for m in head.evidence.measurements) if head.evidence else (),
        fixes=_offered(head, news, changed))


def _translate(uid: str, renamed: Mapping[str, str]) -> str:
    """A base id under the head's file names: `py:old.py::f` -> `py:new.py::f`."""
    parsed = UnitId.parse(uid)
    if parsed.group is not None or parsed.path not in renamed:   # components keep their keys
        return uid
    return str(UnitId(parsed.language, renamed[parsed.path], parsed.qualname))


def _spans(diff: Iterable[FileDiff]) -> dict[tuple[str, str], tuple[tuple[int, int], ...]]:
    """Changed line spans by (side, path): "new" in the head's lines, "old" in the base's."""
    spans = {}
    for d in diff:
        if d.new_path:
            spans[("new", d.new_path)] = d.new_lines()   # none for a pure rename: it changes no line
        if d.old_path:
            spans[("old", d.old_path)] = d.old_lines()
    return spans


def _overlaps(lines: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= lines[1] and lines[0] <= b for a, b in spans)


def _touched(head: Report, base: Report, changed, renamed, before: Mapping[str, Candidate]) -> list[str]:
    ids = {c.id for c in head.candidates
           if c.kind in UNIT_KINDS and _overlaps(c.lines, changed.get(("new", c.path), ()))}
    ids |= {_translate(c.id, renamed) for c in base.candidates
            if c.kind in UNIT_KINDS and _overlaps(c.lines, changed.get(("old", c.path), ()))}
    return sorted(ids)


def _shift(after: Candidate | None, before: Candidate | None) -> Shift:
    shown = after or before
    return Shift(shown.id, shown.kind, shown.qualname or shown.name, shown.path, shown.lines,
                 (before.score, before.verdict.value) if before else None,
                 (after.score, after.verdict.value) if after else None, after.rank if after else None)


def _worth_a_line(shift: Shift) -> bool:
    if shift.before is None or shift.after is None:   # a new 0.0 module is not news
        score, verdict = shift.after or shift.before
        return verdict in ACT or score >= SCORE_STEP
    return shift.before[1] != shift.after[1] or abs(shift.after[0] - shift.before[0]) >= SCORE_STEP


def _important(report: Report, top: int, renamed: Mapping[str, str] | None = None) -> set[str]:
    """Candidates that matter: the top N, and those whose verdict is to port or to redraw."""
    return {_translate(c.id, renamed or {}) for c in report.candidates if c.rank <= top or c.verdict.value in MATTERS}


def _findings(report: Report) -> dict[str, Finding]:
    return {f.key: f for c in report.candidates for f in c.findings if f.effect == Effect.FIX_IN_PLACE}


def _new_findings(head: Report, base: Report, changed, renamed, baseline: Baseline) -> tuple[Finding, ...]:
    known = {_translate_key(k, renamed) for k in _findings(base)} | baseline.findings
    found = [f for key, f in _findings(head).items() if key not in known and _on_changed_lines(f, changed)]
    return tuple(sorted(found, key=lambda f: (f.path, f.line, f.rule_id)))


def _translate_key(key: str, renamed) -> str:
    rule, _, uid = key.partition(":")
    return f"{rule}:{_translate(uid, renamed)}"


def _on_changed_lines(finding: Finding, changed) -> bool:
    spans = changed.get(("new", finding.path), ())
    evidence = [e.lines for e in finding.evidence if e.lines]
    return any(_overlaps(lines, spans) for lines in evidence) if evidence else _overlaps((finding.line,) * 2, spans)


def _offered(head: Report, findings: tuple[Finding, ...], changed) -> tuple[OfferedFix, ...]:
    """The new findings' mechanical fixes, each once."""
    fixes = {(f.rule_id, f.path, f.line): f for c in head.candidates for f in c.fixes if f.edits}
    found = {fixes[k]: None for k in ((f.rule_id, f.path, f.line) for f in findings) if k in fixes}
    return tuple(OfferedFix(fix, _suggestible(fix, changed.get(("new", fix.path), ()))) for fix in found)


def _suggestible(fix, spans) -> bool:
    """Every edit replaces lines the pull request changed (an insertion has no line of its own
    to suggest on)."""
    return all(e.last >= e.first and all(any(a <= n <= b for a, b in spans) for n in range(e.first, e.last + 1))
               for e in fix.edits)


def _erosion(after: Candidate, before: Candidate, renamed) -> list[Erosion]:
    shift = _shift(after, before)
    b, a = before.boundary, after.boundary
    out = []
    for measure, old, new, seen, now in (
            ("calls in", b.calls_in_total, a.calls_in_total, b.calls_in, a.calls_in),
            ("calls out", b.calls_out_total, a.calls_out_total, b.calls_out, a.calls_out),
            ("entry points", b.width, a.width, (), ()),
            ("shared state", len(b.shared_state), len(a.shared_state), (), ())):
        if new > old:
            out.append(Erosion(shift, measure, old, new, _new_crossings(seen, now, renamed)))
    return out


def _new_crossings(seen: tuple[Crossing, ...], now: tuple[Crossing, ...], renamed) -> tuple[Crossing, ...]:
    old = {(_translate(c.source, renamed), _translate(c.target, renamed)) for c in seen}
    return tuple(c for c in now if (c.source, c.target) not in old)[:EXAMPLES]


def _new_cycles(head: Report, base: Report, renamed) -> tuple[tuple[str, ...], ...]:
    known = {frozenset(_translate(m, renamed) for m in cycle) for cycle in base.summary.import_cycles}
    return tuple(c for c in head.summary.import_cycles if frozenset(c) not in known)
