"""Time `rustscout portfolio` on a local Dask cluster against scanning the same repositories
one after another in one process.

    python benchmarks/bench_portfolio.py [--repo PATH ...] [--workers N] [--out FILE]

Without --repo, every git repository fetched under /work/.mirror (bare or not) is used;
at least 12 are expected. Everything happens in a temporary folder; the repositories are
only read (cloned locally). Phases, each with the scan's own per-file cache off:
  clone + scan    an empty work folder and store: local clones, then every scan
  cluster         the same checkouts (fetch only), every repository scanned again (--rescan)
  sequential      one fresh process scanning the same checkouts one after another, as
                  `rustscout scan` would (its default parse processes)
  unchanged       the portfolio again with its store: every head unchanged, nothing scanned
The cluster's scans must give the sequential scans' bytes (checked). Reported: wall times,
each repository's scan time and peak memory (the scan process, and its largest child), and
each worker's peak (its own process, and the largest scan it ran).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from repos import repository

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from analyzer.portfolio import flow  # noqa: E402  (the benchmark runs from a checkout)
from analyzer.portfolio.job import checkout_folder  # noqa: E402
from analyzer.portfolio.model import Settings  # noqa: E402
from analyzer.portfolio.sources import collect  # noqa: E402
from analyzer.portfolio.store import ResultStore  # noqa: E402

MIRRORS = Path("/work/.mirror")
SEQUENTIAL = """
import json, resource, sys, time
from pathlib import Path
from analyzer.portfolio.memory import own_peak_kb
from analyzer.portfolio.scan import scan_document
out, seconds = Path(sys.argv[1]), {}
for path in sys.argv[2:]:
    start = time.perf_counter()
    (out / (Path(path).name + ".json")).write_text(scan_document(Path(path), {"cache": False}))
    seconds[path] = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_kb": own_peak_kb(),
                  "peak_child_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def mirrors() -> list[Path]:
    found = []
    for folder in sorted(MIRRORS.glob("*/repo")):
        probe = subprocess.run(["git", "-C", str(folder), "rev-parse", "--verify", "-q", "HEAD"],
                               capture_output=True)   # -C: bare mirrors and checkouts (hg's) alike
        if probe.returncode == 0:
            found.append(folder)
    return found


def cpu_seconds() -> float:
    """This process and every child it has reaped (cluster workers, and through them their
    scan processes; the sequential process): CPU time is what a loaded machine distorts least."""
    return sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))


def measured(action) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds, result)."""
    cpu, start = cpu_seconds(), time.perf_counter()
    result = action()
    return time.perf_counter() - start, cpu_seconds() - cpu, result


def portfolio(sources, folder: Path, workers: int | None, rescan: bool):
    settings = Settings(scan_cache=False, work_dir=str(folder / "work"))
    return measured(lambda: flow.run(sources, settings, flow.Cluster(workers=workers),
                                     ResultStore(folder / "store.sqlite3"), rescan=rescan))


def sequential(checkouts: list[Path], out: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    wall, cpu, done = measured(lambda: subprocess.run([sys.executable, "-c", SEQUENTIAL, str(out),
                                                       *map(str, checkouts)], env=env, capture_output=True, text=True))
    if done.returncode != 0:
        raise SystemExit(f"the sequential scans failed:\n{done.stderr}")
    return wall, cpu, json.loads(done.stdout.splitlines()[-1])


def same_bytes(sources, folder: Path, out: Path) -> list[str]:
    """Repositories whose cluster scan differs from the sequential one (should be none)."""
    store = ResultStore(folder / "store.sqlite3")
    differ = []
    for source in sources:
        kept = store.get(source, _head(source))
        slot = _slot(source, folder)
        if kept is None or kept[0] != (out / (slot.name + ".json")).read_text():
            differ.append(source.name)
    return differ


def _head(source) -> str:
    from analyzer.vcs.clone import remote_head
    return remote_head(source.location, source.branch, 60)


def _slot(source, folder: Path) -> Path:
    return checkout_folder({"work_dir": str(folder / "work"), "identity": source.identity, "branch": source.branch})


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def report(sources, folder: Path, cold, cluster, seq, unchanged, differ) -> str:
    outcome, seq_stats = cluster[2], seq[2]
    lines = [f"repositories: {len(sources)}; workers: {len(outcome.worker_peaks_kb)}; cores: {os.cpu_count()}; "
             f"load average before: {LOAD_BEFORE}, after: {_load()}", "",
             "| phase | wall | CPU |", "|---|---|---|",
             *(f"| {name} | {wall:.1f} s | {cpu:.1f} s |" for name, (wall, cpu, _) in (
                 ("clone + scan (cold work folder)", cold), ("cluster (checkouts kept, every repository scanned)", cluster),
                 ("sequential, one process", seq), ("unchanged heads (store)", unchanged))), "",
             f"cluster against sequential: wall {seq[0] / cluster[0]:.2f}x, CPU {cluster[1] / seq[1]:.2f}x as much; "
             f"sequential peak: {mb(seq_stats['peak_kb'])} (its largest child: {mb(seq_stats['peak_child_kb'])})",
             f"cluster scans identical to sequential ones: {'yes' if not differ else 'NO: ' + ', '.join(differ)}", "",
             "| repository | files | on the cluster: wall / CPU | sequential wall | scan peak (process / child) | worker |",
             "|---|---|---|---|---|---|"]
    rows = {r["name"]: r for r in outcome.document["repositories"]}
    for source in sorted(sources, key=lambda s: -outcome.usage[s.name].seconds):
        usage = outcome.usage[source.name]
        lines.append(f"| {source.name} | {rows[source.name]['size']['files']:,} | {usage.seconds:.1f} s / "
                     f"{usage.cpu_seconds:.1f} s | {seq_stats['seconds'][str(_slot(source, folder))]:.1f} s | "
                     f"{mb(usage.peak_rss_kb)} / {mb(usage.peak_child_rss_kb)} | {usage.worker.rsplit(':', 1)[-1]} |")
    lines += ["", "| worker | its process peak | largest scan it ran (process / child) | repositories |",
              "|---|---|---|---|"]
    for worker, peak in sorted(outcome.worker_peaks_kb.items()):
        ran = [u for u in outcome.usage.values() if u.worker == worker]
        lines.append(f"| {worker.rsplit(':', 1)[-1]} | {mb(peak)} | {mb(max((u.peak_rss_kb for u in ran), default=0))}"
                     f" / {mb(max((u.peak_child_rss_kb for u in ran), default=0))} | {len(ran)} |")
    return "\n".join(lines)


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


LOAD_BEFORE = _load()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", type=repository, action="append", help="a repository (repeat); default: mirrors")
    parser.add_argument("--workers", type=int, default=None, help="local cluster size (default: one per core)")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    repos = args.repo or mirrors()
    if len(repos) < 12 and not args.repo:
        raise SystemExit(f"only {len(repos)} repositories under {MIRRORS}; the benchmark wants at least 12")
    with tempfile.TemporaryDirectory(prefix="bench-portfolio-") as temp:
        folder = Path(temp)
        sources = collect([str(r) for r in repos], None)
        cold = portfolio(sources, folder, args.workers, rescan=True)
        note(f"clone + scan: {cold[0]:.1f} s")
        failed = {e["repository"]: e for e in cold[2].document["errors"]}
        sources = [s for s in sources if s.name not in failed]   # a mirror without its large blobs cannot be checked out
        if len(sources) < 12 and not args.repo:
            raise SystemExit(f"only {len(sources)} repositories could be scanned; failures: {list(failed.values())}")
        cluster = portfolio(sources, folder, args.workers, rescan=True)
        note(f"cluster: {cluster[0]:.1f} s")
        scans = folder / "sequential"
        scans.mkdir()
        seq = sequential([_slot(s, folder) for s in sources], scans)
        note(f"sequential: {seq[0]:.1f} s")
        unchanged = portfolio(sources, folder, args.workers, rescan=False)
        differ = same_bytes(sources, folder, scans)
        text = report(sources, folder, cold, cluster, seq, unchanged, differ)
        text += "".join(f"\nleft out: {name}: {e['kind']}: {e['message']}" for name, e in sorted(failed.items()))
    print(text)
    if args.out:
        args.out.write_text(json.dumps({"report": text}, indent=2) + "\n")


if __name__ == "__main__":
    main()
