"""The one-page brief's generation time (issue 12, part 5), at 1× and 10× the province:

    python -m bench.bench_brief [--scales 1 10] [--runs 3]

For each scale (the warehouses of bench/bench_pages.py, built once into bench/out/) and each place — the province,
a district, a commune — in the newest complete review year: `reports.brief.brief_pdf` on its own read-only connection
(as the command runs it), cold (the place's first brief; for the province, the first of a fresh process: the
connection opened, the kaleido server and its Chromium started, the boundaries read, the queries run) and warm (the
median of later briefs in the same process: the kaleido server and the boundaries kept, DuckDB's buffers warm; the
queries run again, as `connection_runner` caches nothing), and the PDF's size. Each scale runs in its own process.
The issue's goal: under 5 s warm. This prints the figures and the goal beside them; it never fails.
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

GOAL_WARM_S = 5.0
PLACES = {"province": {}, "district": {"district": "960"}, "commune": {"commune": "31863"}}


def _measure(runs: int) -> list[dict[str, object]]:
    """In this process ($POVERTY_DB set): per place, cold and warm seconds and bytes."""
    from data.warehouse import connect_readonly, db_path
    from reports.annual import connection_runner
    from reports.brief import brief_pdf

    con = connect_readonly(db_path())
    run = connection_runner(con)
    coverage = run("review_coverage")
    year = int(coverage.loc[coverage["complete"].astype(bool), "year"].max())
    out = []
    for place, args in PLACES.items():
        units = "former"  # the district and commune codes are former ones
        t0 = time.perf_counter()
        data = brief_pdf(run, year, units=units, **args)
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            brief_pdf(run, year, units=units, **args)
            warm.append(time.perf_counter() - t0)
        out.append({"place": place, "year": year, "cold": cold, "warm": statistics.median(warm), "bytes": len(data)})
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
    print(f"\n{'scale':>5}  {'place':<9} {'year':>4} {'cold s':>7} {'warm s':>7} {'goal':>6} {'KB':>6}")
    for scale in args.scales:
        db = warehouse(scale)
        env = {**os.environ, "POVERTY_DB": str(db)}
        done = subprocess.run([sys.executable, "-m", "bench.bench_brief", "--child", "--runs", str(args.runs)],
                              cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        for r in json.loads(done.stdout.strip().splitlines()[-1]):
            met = "met" if r["warm"] < GOAL_WARM_S else "MISSED"
            print(f"{scale:>4}×  {r['place']:<9} {r['year']:>4} {r['cold']:>7.2f} {r['warm']:>7.2f} {met:>6} "
                  f"{r['bytes'] / 1024:>6.0f}", flush=True)
    print(f"goal: a warm brief in under {GOAL_WARM_S:.0f} s (issue 12)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
