"""The annual report workbook's build time (issue 11), at 1× and 10× the province:

    python -m bench.bench_reports [--scales 1 10] [--runs 3]

For each scale (the warehouses of bench/bench_pages.py, built once into bench/out/) and each year with a previous
review, in the unit set the year was filed in: `reports.annual.annual_workbook` on its own read-only connection —
cold (the first build in a fresh process: connection opened, queries run) and warm (median of later builds on the same
connection: DuckDB's buffers warm) — and the workbook's size. Each scale runs in its own process. No goal is stated by
the issue; this prints figures and never fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from bench.bench_pages import warehouse
from data.warehouse import ROOT


def _measure(runs: int) -> list[dict[str, object]]:
    """In this process ($POVERTY_DB set): per year with flows, cold and warm build seconds and bytes."""
    from data.warehouse import connect_readonly, db_path
    from reports.annual import annual_workbook, connection_runner

    con = connect_readonly(db_path())
    run = connection_runner(con)
    years = [int(row[0]) for row in
             con.execute("SELECT DISTINCT year FROM transitions_rows ORDER BY year").fetchall()]
    out = []
    for year in years:
        t0 = time.perf_counter()
        data = annual_workbook(run, year)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            annual_workbook(run, year)
            warm.append(time.perf_counter() - t0)
        out.append({"year": year, "cold": cold, "warm": statistics.median(warm), "bytes": len(data)})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_measure(args.runs)))
        return 0
    print(f"\n{'scale':>5}  {'year':>4} {'cold s':>7} {'warm s':>7} {'KB':>7}")
    for scale in args.scales:
        db = warehouse(scale)
        env = {**os.environ, "POVERTY_DB": str(db)}
        done = subprocess.run([sys.executable, "-m", "bench.bench_reports", "--child", "--runs", str(args.runs)],
                              cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        for r in json.loads(done.stdout.strip().splitlines()[-1]):
            print(f"{scale:>4}×  {r['year']:>4} {r['cold']:>7.2f} {r['warm']:>7.2f} {r['bytes'] / 1024:>7.0f}",
                  flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
