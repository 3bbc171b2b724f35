"""The overview: which repository and commit, how much history, whether the figures are
measured or estimated, the verdict counts and, when the run passed them along, the timings.
Every value from the document is escaped here; nothing in it is trusted."""

from __future__ import annotations

from html import escape

from analyzer.report.html.graph import BEST_FIRST


def render(doc: dict, timings=None) -> str:
    """`timings`, [(stage, seconds)], are this run's (`scan --html`); a JSON report has none."""
    repo, s = doc["repo"], doc["summary"]
    rows = [("repository", escape(repo["root"])), ("head", _head(repo.get("head"))),
            ("history", _history(s, repo.get("since"), repo.get("as_of"))), ("figures", _figures(doc)),
            ("scanned", _scanned(s, len(doc.get("errors", [])))), ("verdicts", _verdicts(s["verdicts"]))]
    rows.append(("time", _timings(timings) if timings else "not recorded (rendered from a JSON report, "
                 "which keeps no timings so that it stays the same for the same commit)"))
    table = "".join(f"<tr><th>{name}</th><td>{value}</td></tr>" for name, value in rows)
    return f'<table class="facts">{table}</table>{_notices(s["notices"])}{_errors(doc.get("errors", []))}'


def _head(head: str | None) -> str:
    return f'<code title="{escape(head)}">{escape(head[:12])}</code>' if head else "not a git repository"


def _history(s: dict, since: str | None, as_of: str | None) -> str:
    """`repo.since` is there when --since bounded the history read."""
    if not s["commits"]:
        return "no history read"
    start = f"from {escape(since)}" if since else "from the first commit"
    return f"{s['commits']} commit(s) read, {start} to {escape(as_of or 'the head')}"


def _figures(doc: dict) -> str:
    """Measured where a profile (the runtime factor) or a coverage report (the tests factor as a
    share) stood in, and by what; everything else is the static estimate."""
    candidates, given = doc["candidates"], doc["summary"].get("evidence")
    timed = sum(1 for c in candidates if any(f["name"] == "runtime" and not f["estimate"] for f in c["factors"]))
    covered = sum(1 for c in candidates if any(f["name"] == "tests" and f["unit"] == "share" for f in c["factors"]))
    if not given and not timed and not covered:
        return '<span class="estimate">estimated</span> from the code alone (no profile given): ≈ marks estimates'
    found = [f"time for {timed} of {len(candidates)} candidate(s)"] if timed else []
    found += [f"tests for {covered}"] if covered else []
    what = "; ".join(found) if found else "no candidate (nothing given mapped to this scan)"
    sources = "".join(f"<li>{line}</li>" for line in _sources(given or {}))
    return (f'<span class="measured">measured</span>: {what}; the rest is estimated: ≈ marks estimates'
            + (f'<ul class="sources">{sources}</ul>' if sources else ""))


def _sources(given: dict) -> list[str]:
    """What measured them, as `rustscout scan` says it under the table."""
    lines = [f"{escape(m['language'])} {escape(m['metric'])}: {escape(m['description'])}; "
             f"{m['mapped_share']:.0%} of it mapped to this scan" for m in given.get("measurements", [])]
    c = given.get("coverage")
    if c:
        paths = ", ".join(escape(x["path"]) for x in c["sources"])
        lines.append(f"coverage: {c['files_mapped']} of {c['files_total']} files of {paths} mapped to this scan")
    return lines


def _scanned(s: dict, errors: int) -> str:
    tags = ", ".join(f"{n} {escape(t)}" for t, n in sorted(s["files_by_tag"].items())) or "none"
    failed = f", {errors} not read" if errors else ""
    languages = ", ".join(escape(x) for x in s["languages"])
    return (f"{s['files']} files ({s['files_ranked']} ranked{failed}; left out: {tags}) · {s['units']} units · "
            f"{s['candidates']} candidates · {languages}")


def _verdicts(counts: dict) -> str:
    order = [v for v in BEST_FIRST if v in counts] + sorted(v for v in counts if v not in BEST_FIRST)
    return " ".join(f'<span class="chip v-{escape(v)}">{int(counts[v])} {escape(v)}</span>' for v in order) \
        or "no candidates"


def _timings(timings) -> str:
    pairs = timings.items() if isinstance(timings, dict) else timings
    return " · ".join(f"{escape(str(name))} {float(seconds):.2f} s" for name, seconds in pairs)


def _notices(notices: list[str]) -> str:
    items = "".join(f"<li>{escape(n)}</li>" for n in notices)
    return f'<ul class="notices">{items}</ul>' if items else ""


def _errors(errors: list[dict], shown: int = 20) -> str:
    if not errors:
        return ""
    items = "".join(f"<li><code>{escape(e['path'])}</code>: {escape(e['message'])}</li>" for e in errors[:shown])
    more = f"<li>… {len(errors) - shown} more in the JSON report</li>" if len(errors) > shown else ""
    return (f'<details class="errors"><summary>{len(errors)} file(s) not read (each skipped; the scan completed)'
            f"</summary><ul>{items}{more}</ul></details>")
