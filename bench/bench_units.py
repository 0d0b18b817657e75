"""Did the two unit sets (issue 10) cost build or page time? This checkout against an earlier commit, in one run.

    python -m bench.bench_units [--before f598e6e] [--rounds 3] [--households 226000] [--runs 5]

The earlier commit (default: main before issue 10) is checked out into a temporary git worktree and run with the same
Python. Each round builds the demo warehouse once with each checkout (each in its own process, alternating which goes
first, so drift on a shared machine hits both), then renders every page with each checkout on its own warehouse
(`bench.bench_pages --one`: AppTest, cold = caches cleared, warm = median of `--runs`). Printed: the median over
rounds of each figure for both, and after / before as a ratio (1.00 = unchanged). Pages are the default view of a link
without parameters: the latest review year, which this checkout shows in the units in force (the current units for
2025) and the earlier one in the former units. Prints figures; never fails on them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from data.demo import DEFAULT_HOUSEHOLDS
from data.warehouse import ROOT

BEFORE = "f598e6e"  # main before issue 10


def _build(tree: Path, db: Path, households: int) -> float:
    """Seconds for `python -m data.build` of `tree` in its own process (from start to exit)."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "data.build", "--households", str(households), "--db", str(db)], cwd=tree,
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _pages(tree: Path, db: Path, runs: int) -> dict[str, dict[str, object]]:
    """Cold and warm server time per page of `tree` on `db` (`bench.bench_pages --one`)."""
    env = {**os.environ, "POVERTY_DB": str(db), "POVERTY_ALLOW_IMPORT": "1"}
    env.pop("BOUNDARIES_DIR", None)
    out = subprocess.run([sys.executable, "-m", "bench.bench_pages", "--one", str(db), "--runs", str(runs)],
                         cwd=tree, env=env, check=True, capture_output=True, text=True).stdout
    results = json.loads(out.strip().splitlines()[-1])
    results.pop("_process_first", None)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_units")
    parser.add_argument("--before", default=BEFORE, help="the commit to compare with (default: main before issue 10)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--households", type=int, default=DEFAULT_HOUSEHOLDS)
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median reported)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        before = Path(tmp) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", str(before), args.before], cwd=ROOT, check=True,
                       capture_output=True)
        try:
            trees = {"before": before, "after": ROOT}
            builds: dict[str, list[float]] = {name: [] for name in trees}
            pages: dict[str, dict[str, dict[str, list[float]]]] = {name: {} for name in trees}
            for round_ in range(args.rounds):
                order = list(trees) if round_ % 2 == 0 else list(reversed(trees))
                for name in order:
                    db = Path(tmp) / f"{name}.duckdb"
                    builds[name].append(_build(trees[name], db, args.households))
                    for script, r in _pages(trees[name], db, args.runs).items():
                        if r["errors"]:
                            print(f"  {name} {script}: errors {r['errors']}", file=sys.stderr)
                        page = pages[name].setdefault(Path(script).stem, {"cold": [], "warm": []})
                        page["cold"].append(float(r["cold"]))
                        page["warm"].append(float(r["warm"]))
                print(f"  round {round_ + 1}/{args.rounds} done", file=sys.stderr, flush=True)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before)], cwd=ROOT, check=False,
                           capture_output=True)

    med = statistics.median
    print(f"{args.households:,} households, {args.rounds} rounds, medians; before = {args.before}, after = this "
          "checkout")
    print(f"\n{'figure':<34} {'before s':>9} {'after s':>9} {'after/before':>13}")
    b, a = med(builds["before"]), med(builds["after"])
    print(f"{'build (process start to exit)':<34} {b:>9.2f} {a:>9.2f} {a / b:>13.2f}")
    for page in sorted(set(pages["before"]) & set(pages["after"])):
        for kind in ("cold", "warm"):
            b, a = med(pages["before"][page][kind]), med(pages["after"][page][kind])
            print(f"{page + ' ' + kind:<34} {b:>9.3f} {a:>9.3f} {a / b:>13.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
