"""Build time, peak memory and file size of the demo warehouse at 1× and 10× the province.

    python -m bench.bench_build [--scales 1 10]

Goals (issue 2): 1× under 30 s and 2 GB; 10× under 5 minutes. Each build runs in its own process so its peak
resident memory is its own.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data.demo import DEFAULT_HOUSEHOLDS
from data.warehouse import ROOT, versions_dir


def _one(households: int, path: Path) -> dict:
    from data.build import build

    started = time.perf_counter()
    build(path, households=households, log=lambda _m: None)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"households": households, "seconds": round(seconds, 2), "peak_mb": round(peak_mb),
            "file_mb": round(path.stat().st_size / 1e6, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_build")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_one(args.one, args.path)))
        return 0
    print(f"{'scale':>5}  {'households':>10}  {'seconds':>8}  {'peak MB':>8}  {'file MB':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        for scale in args.scales:
            path = Path(tmp) / f"bench-{scale}.duckdb"
            out = subprocess.run(
                [sys.executable, "-m", "bench.bench_build", "--one", str(scale * DEFAULT_HOUSEHOLDS),
                 "--path", str(path)], cwd=ROOT, check=True, capture_output=True, text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            row = f"{scale:>4}×  {r['households']:>10,}  {r['seconds']:>8.1f}  {r['peak_mb']:>8,}"
            print(f"{row}  {r['file_mb']:>8.1f}", flush=True)
            path.unlink()  # the name, then its versions: room on the disk for the next scale
            shutil.rmtree(versions_dir(path))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
