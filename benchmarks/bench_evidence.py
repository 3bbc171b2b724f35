"""Parse and map a large collapsed profile: wall time and peak memory of the evidence stage.

    python benchmarks/bench_evidence.py                  # 100 MB py-spy raw profile, 3,000 files
    python benchmarks/bench_evidence.py --mb 300 --files 10000 --keep /tmp/big.txt

A synthetic tree of units (modules with classes, methods and functions, as CodeUnits: no source
is written or parsed) and a deterministic collapsed profile in py-spy's raw format over it:
stacks 8 to 40 frames deep, recorded under another checkout root, with a share of frames in
site-packages, the standard library and native libraries, and a share of files the scan does
not hold. The profile is measured in a fresh process (load + measure, as a scan would call
them), which reports its wall time and peak RSS; the target is under 1 GB for any size.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = 11

DRIVER = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from bench_evidence import units
from analyzer import evidence
tree = units(int(sys.argv[3]))
start = time.perf_counter()
loaded = evidence.load([sys.argv[2]])
result = evidence.measure(loaded, tree)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
m = result.measurements[0]
print(json.dumps({"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
                  "peak_rss_mb": round(usage.ru_maxrss / 1024),
                  "samples": m.samples, "mapped_share": round(m.mapped_share, 4), "units": len(tree),
                  "measured_units": sum(1 for r in result.runtime.values() if r.inclusive_share),
                  "errors": [e.message for e in result.errors]}))
"""


def units(files: int):
    """files modules, each: 2 classes of 4 methods and 4 functions, 30 lines apart."""
    from analyzer.model import CodeUnit
    tree = []
    for index in range(files):
        path = f"app{index % 40}/sub{index % 7}/mod{index}.py"
        module = CodeUnit(f"py:{path}", "module", "python", path, f"mod{index}", "", 1, 400, None)
        tree.append(module)
        for c in range(2):
            cls = CodeUnit(f"{module.id}::C{c}", "class", "python", path, f"C{c}", f"C{c}", 10 + c * 150,
                           150 + c * 150, module.id)
            tree.append(cls)
            tree += [CodeUnit(f"{cls.id}.m{m}", "function", "python", path, f"m{m}", f"C{c}.m{m}",
                              20 + c * 150 + m * 30, 45 + c * 150 + m * 30, cls.id) for m in range(4)]
        tree += [CodeUnit(f"{module.id}::f{f}", "function", "python", path, f"f{f}", f"f{f}", 310 + f * 20,
                          328 + f * 20, module.id) for f in range(4)]
    return tree


def frame(rng: random.Random, files: int) -> str:
    """Samples land on a few lines of each function (loops), as in real profiles."""
    roll = rng.random()
    if roll < 0.70:
        index = rng.randrange(files + files // 10)       # one in eleven: a file the scan lacks
        path = f"/build/ci/checkout/app{index % 40}/sub{index % 7}/mod{index}.py"
        if rng.random() < 0.5:
            c, m = rng.randrange(2), rng.randrange(4)
            return f"C{c}.m{m} ({path}:{22 + c * 150 + m * 30 + 3 * rng.randrange(6)})"
        f = rng.randrange(4)
        return f"f{f} ({path}:{312 + f * 20 + 2 * rng.randrange(6)})"
    if roll < 0.85:
        lib = rng.randrange(300)
        return f"call{lib % 9} (/venv/lib/python3.12/site-packages/lib{lib}/core.py:{10 * rng.randrange(1, 30)})"
    if roll < 0.93:
        return f"_walk (/usr/lib/python3.12/json/decoder.py:{rng.randrange(300, 360)})"
    return f"0x{rng.randrange(4096) * 64 + 0x7f3a00000000:x} (/usr/lib/x86_64-linux-gnu/libc.so.6)"


def generate(path: Path, megabytes: int, files: int) -> int:
    rng = random.Random(SEED)
    roots = [f"<module> (/build/ci/checkout/app{i}/main.py:{i + 3})" for i in range(5)]
    target, written, lines = megabytes << 20, 0, 0
    with open(path, "w", encoding="utf-8") as out:
        while written < target:
            depth = rng.randrange(8, 40)
            if rng.random() < 0.1:          # a worker thread in library code only
                stack = ";".join(f"worker{d % 9} (/venv/lib/python3.12/site-packages/pool/w.py:{d})" for d in range(depth))
            else:
                stack = ";".join([rng.choice(roots)] + [frame(rng, files) for _ in range(depth)])
            line = f"{stack} {rng.randrange(1, 50)}\n"
            out.write(line)
            written += len(line)
            lines += 1
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--keep", type=Path, help="write the profile here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "profile.txt"
        start = time.perf_counter()
        lines = generate(path, args.mb, args.files)
        print(f"generated {path.stat().st_size / 2**20:.0f} MB, {lines:,} stacks in "
              f"{time.perf_counter() - start:.1f} s", file=sys.stderr)
        driver = [sys.executable, "-c", DRIVER, str(Path(__file__).parent), str(path), str(args.files)]
        result = subprocess.run(driver, capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        print(result.stderr, file=sys.stderr)
        return 1
    print(json.dumps({"profile_mb": args.mb, "stacks": lines, **json.loads(result.stdout)}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
