"""How well rustscout ranks, on the development set, beside the rankers a user would otherwise
reach for: counting cyclomatic complexity (`cc`) and biggest files first (`sloc`).

    python benchmarks/bench_ranking.py --mirrors DIR [--only NAME ...] [--lang python|java]
                                       [--truth FILE] [--markdown FILE] [--json FILE]

DIR holds the fetched repositories of ../shared/devset/ground_truth.json, one folder per
repository named OWNER+NAME (the search tool's `fetch` lays them out so). The harness is
../shared/devset/evaluate.py: it checks out each labelled commit, deletes the native twins,
runs the ranker and scores its file ranking (AUC, R-precision, recall@10). All three rankers
run in the same invocation, on the same checkouts.

`--truth benchmarks/holdout/ground_truth.json` scores the same way on other labels: the holdout,
twelve repositories outside the development set labelled by this team from each repository's
native twin (see its description). It checks that a change to the model generalises; tuning
to it is as wrong as tuning to the development set.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVALUATE = ROOT.parent / "shared" / "devset" / "evaluate.py"
METRICS = ("auc", "r_precision", "recall@10")
RANKERS = ("rustscout", "cc", "sloc")


def harness(truth: Path | None, work: Path) -> Path:
    """evaluate.py, reading `truth` (it reads the ground_truth.json beside it), or the development set's."""
    if truth is None:
        return EVALUATE
    folder = work / "harness"
    folder.mkdir()
    for name in ("evaluate.py", "baselines.py"):
        shutil.copy(EVALUATE.parent / name, folder / name)
    shutil.copy(truth, folder / "ground_truth.json")
    return folder / "evaluate.py"


def run(ranker: str, evaluate: Path, mirrors: Path, work: Path, only: list[str], lang: str | None) -> list[dict]:
    """One evaluate.py run; its per-repository rows."""
    out = work / f"{ranker}.json"
    args = [sys.executable, str(evaluate), "--mirrors", str(mirrors), "--out", str(out)]
    if ranker == "rustscout":
        args += ["--cmd", f"{sys.executable} -m analyzer scan {{repo}} --json {{json}} --quiet --no-cache"]
    else:
        args += ["--baseline", ranker]
    args += (["--only", *only] if only else []) + (["--lang", lang] if lang else [])
    env = {**os.environ, "TMPDIR": str(work), "PYTHONPATH": str(ROOT)}
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"evaluate.py failed for {ranker}: {(done.stderr or done.stdout).strip()[-600:]}")
    return json.loads(out.read_text())["rows"]


def mean(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if r.get(key) is not None]
    return round(sum(values) / len(values), 3) if values else None


def cell(row: dict | None) -> str:
    if not row or row.get("auc") is None:
        return "n/a"
    return " / ".join(f"{row[k]:.3f}" for k in METRICS)


def table(results: dict[str, list[dict]]) -> str:
    """Markdown: per repository, then the mean per language and overall, for each ranker."""
    by_repo = {r: {row["repo"]: row for row in rows} for r, rows in results.items()}
    repos = [row["repo"] for row in results["rustscout"]]
    lines = ["| repository | lang | " + " | ".join(RANKERS) + " |", "|---|---|" + "---|" * len(RANKERS)]
    for repo in repos:
        lang = by_repo["rustscout"][repo]["lang"]
        lines.append(f"| {repo} | {lang} | " + " | ".join(cell(by_repo[r].get(repo)) for r in RANKERS) + " |")
    for lang in ("python", "java", None):
        label = f"**mean {lang}**" if lang else "**mean all**"
        cells = []
        for ranker in RANKERS:
            rows = [row for row in results[ranker] if lang is None or row["lang"] == lang]
            cells.append(" / ".join(f"{mean(rows, k):.3f}" if mean(rows, k) is not None else "n/a" for k in METRICS))
        lines.append(f"| {label} | | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n\nEach cell: AUC / R-precision / recall@10.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mirrors", type=Path, required=True, help="folder of fetched repositories (OWNER+NAME/)")
    parser.add_argument("--only", nargs="*", default=[], help="repositories whose name contains one of these")
    parser.add_argument("--lang", choices=["python", "java"])
    parser.add_argument("--truth", type=Path, help="labels in the development set's format to score against "
                                                   "instead of its own (benchmarks/holdout/ground_truth.json)")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--json", type=Path, help="also write every row here")
    args = parser.parse_args()
    if not EVALUATE.exists():
        parser.error(f"{EVALUATE} not found: the development set lives in ../shared/devset")
    if not args.mirrors.is_dir():
        parser.error(f"{args.mirrors}: no such folder")
    if args.truth is not None and not args.truth.is_file():
        parser.error(f"{args.truth}: no such file")
    with tempfile.TemporaryDirectory() as work:
        evaluate = harness(args.truth, Path(work))
        results = {r: run(r, evaluate, args.mirrors.resolve(), Path(work), args.only, args.lang) for r in RANKERS}
    text = table(results)
    print(text)
    if args.markdown:
        args.markdown.write_text(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
