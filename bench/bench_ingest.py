"""Import time and peak memory for a whole province year (≈ 226,000 rows) as CSV and as XLSX.

    python -m bench.bench_ingest [--households N] [--year Y]

Goals (issue 4): CSV under 10 s, XLSX under 60 s. The files are the demo warehouse's year exported in the import
layout (`data.export`); each import runs as `python -m data.ingest` in its own process (so the time includes
interpreter start-up and the peak memory is the import's own) into an empty warehouse, then the same file again
into the full demo warehouse, where every row is an upsert of an existing review.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from data import export
from data.build import build
from data.demo import DEFAULT_HOUSEHOLDS
from data.ingest import create_empty
from data.warehouse import ROOT


def _import(path: Path, db: Path, *extra: str) -> tuple[float, float]:
    """(seconds, peak resident MB of the child) for one `python -m data.ingest` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "data.ingest", str(path), "--db", str(db), "--quiet", *extra],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import of {path.name} failed:\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ingest")
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
    parser.add_argument("--year", type=int, default=2025)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench_ingest_") as tmp:
        work = Path(tmp)
        demo = work / "demo.duckdb"
        started = time.perf_counter()
        build(demo, households=args.households, log=lambda _m: None)
        print(f"demo warehouse: {args.households:,} households built in {time.perf_counter() - started:.1f} s")
        con = duckdb.connect(str(demo), read_only=True)
        frame = export.reviews_frame(con, args.year)
        con.close()
        files = {}
        for suffix in (".csv", ".xlsx"):
            path = work / f"reviews_{args.year}{suffix}"
            started = time.perf_counter()
            export.write(frame, path)
            files[suffix] = path
            print(f"export {suffix:5}: {len(frame):,} rows, {path.stat().st_size / 1e6:.1f} MB, written in "
                  f"{time.perf_counter() - started:.1f} s")
        empty = work / "empty.duckdb"
        create_empty(empty)
        goals = {".csv": 10, ".xlsx": 60}
        print(f"{'format':6}  {'into':22}  {'seconds':>7}  {'goal':>4}  {'peak MB*':>8}")
        for suffix, path in files.items():
            target = work / f"empty{suffix}.duckdb"
            shutil.copy(empty, target)
            for label, db in (("empty warehouse", target), ("demo warehouse (upsert)", demo)):
                seconds, peak = _import(path, db, "--force")
                verdict = "ok" if seconds < goals[suffix] else "SLOW"
                print(f"{suffix[1:]:6}  {label:22}  {seconds:7.1f}  {goals[suffix]:>4}  {peak:8.0f}  {verdict}",
                      flush=True)
    print("* peak resident memory of the largest import process so far (getrusage of the children)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
