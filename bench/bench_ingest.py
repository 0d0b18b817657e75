"""Import time and peak memory for a whole province year (≈ 231,000 rows) as CSV and as XLSX.

    python -m bench.bench_ingest [--households N] [--year Y]

Goals (issue 8): CSV under 10 s, XLSX under 30 s, peak memory under 1 GB, each into an empty warehouse and into
the demo warehouse. The files are the demo warehouse's year exported in the import layout (`data.export`); at the
default 226,000 households the 2025 year is 231,340 rows × 21 columns. Each import runs as `python -m data.ingest`
in its own process (so the time includes the interpreter's start-up and the imports, as a person running the command
waits for them): first into an empty warehouse (schema and reference data only), then into the full demo warehouse,
where every row is an upsert of a review already stored. After each import the year's stored reviews are counted,
so an import that loads less than the file shows.

Peak memory is the import process's own (VmHWM, read as it exits; MB = 10⁶ bytes), not getrusage's ru_maxrss of the
children, which Linux carries over from this process (holding the demo build) across fork and exec. Figures are
printed with their ratio to the goal (≤ 1.0 meets it); this never fails on a missed goal.
"""

from __future__ import annotations

import argparse
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

GOAL_SECONDS = {".csv": 10.0, ".xlsx": 30.0}
GOAL_PEAK_MB = 1000.0  # 1 GB
_PEAK_MARK = "BENCH_PEAK_MB="
# `python -m data.ingest ARGS…`, reporting its own peak resident memory on stderr as it exits.
_RUNNER = (
    "import atexit, runpy, sys\n"
    "from bench.bench_readers import peak_mb\n"
    f"atexit.register(lambda: print('{_PEAK_MARK}%.1f' % peak_mb(), file=sys.stderr, flush=True))\n"
    "sys.argv = ['data.ingest', *sys.argv[1:]]\n"
    "runpy.run_module('data.ingest', run_name='__main__', alter_sys=True)\n"
)


def _import(path: Path, db: Path, *extra: str) -> tuple[float, float]:
    """(seconds, peak resident MB of the import process) for one `python -m data.ingest` run."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUNNER, str(path), "--db", str(db), "--quiet", *extra],
                          cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"import of {path.name} failed:\n{done.stdout}\n{done.stderr}")
    peaks = [line for line in done.stderr.splitlines() if line.startswith(_PEAK_MARK)]
    return seconds, float(peaks[-1].removeprefix(_PEAK_MARK)) if peaks else float("nan")


def _stored(db: Path, year: int) -> int:
    """Reviews of `year` in the warehouse."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM reviews WHERE year = ?", [year]).fetchone()[0]
    finally:
        con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_ingest")
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS,
                        help="households of the demo warehouse (the default gives a province year)")
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
            print(f"export {suffix:5}: {len(frame):,} rows × {len(frame.columns)} columns, "
                  f"{path.stat().st_size / 1e6:.1f} MB, written in {time.perf_counter() - started:.1f} s")
        empty = work / "empty.duckdb"
        create_empty(empty)
        print(f"\n{'format':6}  {'into':23}  {'seconds':>7}  {'goal':>4}  {'×goal':>5}  {'peak MB':>7}  {'goal':>5}  "
              f"{'×goal':>5}  {'stored':>8}")
        for suffix, path in files.items():
            target = work / f"empty{suffix}.duckdb"
            shutil.copy(empty, target)
            for label, db in (("empty warehouse", target), ("demo warehouse (upsert)", demo)):
                seconds, peak = _import(path, db, "--force")
                goal = GOAL_SECONDS[suffix]
                verdict = "ok" if seconds < goal and peak < GOAL_PEAK_MB else "MISSED"
                print(f"{suffix[1:]:6}  {label:23}  {seconds:7.1f}  {goal:4.0f}  {seconds / goal:5.2f}  {peak:7.0f}  "
                      f"{GOAL_PEAK_MB:5.0f}  {peak / GOAL_PEAK_MB:5.2f}  {_stored(db, args.year):8,}  {verdict}",
                      flush=True)
    print("seconds: the whole `python -m data.ingest` run, start-up included; peak MB: its own peak resident memory; "
          "stored: the year's reviews in the warehouse after the import")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
