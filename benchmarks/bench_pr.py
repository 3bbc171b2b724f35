"""Time `rustscout pr` for a change that touches N files, cold and warm, and `scan` cold and warm.

    python benchmarks/bench_pr.py --repo PATH [--files 20] [--rounds 3]

The repository is cloned into a temporary folder (shared objects, nothing written to the
original); a branch then changes N ranked source files (a small function appended to each,
one of them compiling a regex per call) in one commit, and the pull request is compared
with the original head. Each run is a fresh process, as in CI:
  pr cold   an empty cache folder
  pr warm   the same cache folder again (same head: parse results and history reused)
  scan cold / scan warm   the same for `rustscout scan` of the head
Target (issue 4): pr within 10 s on a repository of about 3k files. Medians of --rounds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from repos import repository

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from analyzer.inventory import tags  # noqa: E402  (the benchmark runs from a checkout)

ADDED = {".py": "\n\ndef _bench_added_{n}(items):\n    return [item for item in items if item]\n",
         ".java": "\nclass BenchAdded{n} {{\n    int size(int[] items) {{ return items.length; }}\n}}\n"}
REGEX = {".py": "\n\ndef _bench_slug(names):\n    import re\n    out = []\n    for n in names:\n"
                "        out.append(re.compile(r'[^a-z]+').sub('-', n))\n    return out\n",
         ".java": "\nclass BenchSlug {\n    static java.util.List<String> slugs(java.util.List<String> names) {\n"
                  "        java.util.List<String> out = new java.util.ArrayList<>();\n"
                  "        for (String n : names) {\n"
                  "            out.add(java.util.regex.Pattern.compile(\"[^a-z]+\").matcher(n).replaceAll(\"-\"));\n"
                  "        }\n        return out;\n    }\n}\n"}


def _git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
           "GIT_AUTHOR_DATE": "2030-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2030-01-01T00:00:00Z"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


def prepare(repo: Path, folder: Path, count: int) -> tuple[Path, str]:
    """A clone with a branch that changes `count` ranked source files; (clone, base sha)."""
    clone = folder / "clone"
    _git(folder, "clone", "-q", "--shared", str(repo), str(clone))
    base = _git(clone, "rev-parse", "HEAD").strip()
    _git(clone, "checkout", "-q", "-b", "bench-pr")
    files = [p for p in _git(clone, "ls-files", "*.py", "*.java").split() if not tags(p)]   # ranked code
    chosen = files[:: max(1, len(files) // count)][:count]
    for n, path in enumerate(chosen):
        target = clone / path
        suffix = target.suffix
        text = target.read_text(encoding="utf-8", errors="replace")
        target.write_text(text + (REGEX[suffix] if n == 0 else ADDED[suffix].format(n=n)), encoding="utf-8")
    _git(clone, "commit", "-q", "-am", f"bench: change {len(chosen)} files")
    return clone, base


def timed(args: list[str], cwd: Path, cache: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUSTSCOUT_CACHE_DIR": str(cache)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "analyzer", *args], cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode not in (0, 2):
        raise SystemExit(f"rustscout {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"wall": wall, "rss_mb": rss, "exit": done.returncode, "out": done.stdout}


def measure(repo: Path, count: int, rounds: int) -> dict:
    results: dict[str, list[float]] = {"pr cold": [], "pr warm": [], "scan cold": [], "scan warm": []}
    comment = ""
    with tempfile.TemporaryDirectory() as folder:
        clone, base = prepare(repo, Path(folder), count)
        for r in range(rounds):
            for kind, args in (("pr", ["pr", ".", "--base", base, "--quiet"]), ("scan", ["scan", ".", "--quiet"])):
                cache = Path(folder) / f"cache-{kind}-{r}"
                cold = timed(args, clone, cache)
                warm = timed(args, clone, cache)
                results[f"{kind} cold"].append(cold["wall"])
                results[f"{kind} warm"].append(warm["wall"])
                comment = cold["out"] if kind == "pr" else comment
                shutil.rmtree(cache, ignore_errors=True)
    files = len([p for p in _git(repo, "ls-files", "*.py", "*.java").split()])
    return {"repo": str(repo), "files": files, "changed": count, "medians": {k: sorted(v)[len(v) // 2] for k, v in results.items()},
            "runs": results, "comment_chars": len(comment), "comment_head": comment.splitlines()[:3]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=repository, required=True, action="append")
    parser.add_argument("--files", type=int, default=20, help="source files the pull request changes")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    figures = []
    for repo in args.repo:
        found = measure(repo.resolve(), args.files, args.rounds)
        figures.append(found)
        m = found["medians"]
        print(f"\n{repo}: {found['files']} source files, a pull request changing {found['changed']}")
        print(f"  pr    cold {m['pr cold']:.2f}s  warm {m['pr warm']:.2f}s   (target <= 10 s)")
        print(f"  scan  cold {m['scan cold']:.2f}s  warm {m['scan warm']:.2f}s")
        print(f"  comment {found['comment_chars']} characters: {' / '.join(found['comment_head'][1:2])}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
