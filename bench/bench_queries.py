"""Every page query next to its floor: the bare aggregate over the same rows (issue 13 §3: within 3× at 10×).

    python -m bench.bench_queries [--db PATH] [--runs 5] [--memory-limit 1GB] [--threads N] [--only NAME]

For each query the pages run (queries/*.sql, with the parameters the pages pass: the default view and a filtered
one) and for its floor (the same filter over the same table, one GROUP BY, no joins or windows), on one read-only
connection as the app opens it: warm time (the median of `runs` runs after one unmeasured run), the floor's, their
ratio, and the query's peak DuckDB memory (the largest `duckdb_memory()` total sampled every 2 ms from another cursor
while the query runs, less the total before it: buffers it pulled in plus its hash tables, sorts and windows).
`--memory-limit` runs everything under that DuckDB limit, as the app's reader does: a query that needs more fails,
and is printed as failed. The floor SQL is written here, not in queries/: it is a yardstick, never shown to a viewer.
This prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from data.warehouse import ROOT
from queries.sql import load_sql

# The filters of a page's default view (the current units, the latest complete year) and of a narrowed one.
ALL: dict[str, Any] = {"units": "current", "district": [], "area": "all", "group": "all"}
NARROW: dict[str, Any] = {"units": "former", "district": ["954", "957"], "area": "rural", "group": "minority"}
YEAR = 2025

# Floors: the rows a query reads, filtered as it filters them, in one aggregate.
_SELECTION = "in_selection(district_code, area, ethnicity, $district, $area, $group)"
_UNIT = "CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END"
FLOOR_RATES = f"""
SELECT {_UNIT} AS unit_code, year, count(*), count(*) FILTER (status = 'poor'),
       count(*) FILTER (status = 'near_poor'), count(*) FILTER (status = 'poor' AND NOT social_protection)
FROM classified_in($units) WHERE {_SELECTION} AND ($level = 'total' OR commune_code IS NOT NULL)
GROUP BY ALL"""
FLOOR_YEARS = f"""
SELECT year, count(*), count(*) FILTER (status = 'poor')
FROM classified_in($units) WHERE {_SELECTION}
GROUP BY year"""
FLOOR_YEAR = f"""
SELECT {_UNIT} AS unit_code, count(*), count(*) FILTER (status = 'poor'),
       count(*) FILTER (status = 'poor' AND d_health_insurance)
FROM classified_in($units)
WHERE year = $year AND {_SELECTION} AND ($level = 'total' OR commune_code IS NOT NULL)
  AND ($commune IS NULL OR commune_code = $commune)
GROUP BY ALL"""
_FLOW_UNIT = ("CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code "
              "ELSE 'total' END")
FLOOR_FLOWS = """
SELECT CASE $level WHEN 'commune' THEN (CASE $units WHEN 'current' THEN current_code ELSE commune_code END)
                   WHEN 'district' THEN (CASE $units WHEN 'current' THEN current_code ELSE district_code END)
                   ELSE 'total' END AS unit_code,
       start_status, end_status, count(*), sum(end_members)
FROM transitions_rows
WHERE year = $year
  AND (len($district) = 0
       OR list_contains($district, CASE $units WHEN 'current' THEN current_code ELSE district_code END))
  AND ($area = 'all' OR start_area = $area OR end_area = $area) AND in_group(ethnicity, $group)
GROUP BY ALL"""
FLOOR_ATOMS = "SELECT year, count(*), count(*) FILTER (status = 'poor') FROM classified GROUP BY year"


@dataclass
class Case:
    name: str  # queries/<name>.sql
    params: dict[str, Any]
    floor: str
    label: str = ""
    floor_params: dict[str, Any] = field(default_factory=dict)

    def title(self) -> str:
        return f"{self.name} {self.label}".strip()


def cases() -> list[Case]:
    """The queries the pages run at a view's first visit and at a filter change, with their floors."""
    out: list[Case] = [Case("household_atoms", {}, FLOOR_ATOMS), Case("review_coverage", {}, FLOOR_ATOMS)]
    for label, view in (("all", ALL), ("narrow", NARROW)):
        for level in ("total", "district", "commune"):
            out.append(Case("poor_rate_progress", {**view, "level": level}, FLOOR_RATES, f"{level} {label}"))
        out.append(Case("other_targets_progress", view, FLOOR_YEARS, label))
        for level in ("total", "commune"):
            flows = {**view, "level": level, "year": YEAR}
            out.append(Case("poverty_flows", flows, FLOOR_FLOWS, f"{level} {label}"))
            out.append(Case("flow_units", flows, FLOOR_FLOWS, f"{level} {label}"))
        out.append(Case("flow_transitions", {**view, "year": YEAR}, FLOOR_FLOWS, label,
                        {**view, "year": YEAR, "level": "total"}))
        for level in ("total", "commune"):
            drivers = {**view, "level": level, "year": YEAR, "commune": None}
            out.append(Case("deprivation_drivers", drivers, FLOOR_YEAR, f"{level} {label}"))
        out.append(Case("deprivation_combinations", {**view, "level": "total", "year": YEAR, "commune": None,
                                                     "limit": 10}, FLOOR_YEAR, label,
                        {**view, "level": "total", "year": YEAR, "commune": None}))
    commune = {**ALL, "level": "commune", "year": YEAR, "commune": "31825"}
    out.append(Case("deprivation_drivers", commune, FLOOR_YEAR, "one commune"))
    out.append(Case("commune_deprivation_breakdown",
                    {"units": "current", "commune": "31825", "year": YEAR, "area": "all", "group": "all"},
                    FLOOR_YEAR, "one commune", commune))
    return out


def _memory(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT sum(memory_usage_bytes) FROM duckdb_memory()").fetchone()[0])


def _timed(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> float:
    cursor = con.cursor()
    try:
        t0 = time.perf_counter()
        cursor.execute(sql, params).df()
        return time.perf_counter() - t0
    finally:
        cursor.close()


def peak_memory(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> int:
    """The largest DuckDB memory total seen while `sql` runs, less the total before (bytes)."""
    probe = con.cursor()
    before = _memory(probe)
    peak = before
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _memory(probe))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        _timed(con, sql, params)
    finally:
        done.set()
        sampler.join()
        probe.close()
    return peak - before


def measure(con: duckdb.DuckDBPyConnection, case: Case, runs: int) -> dict[str, Any]:
    """Warm median seconds of the query and of its floor, their ratio, the query's peak memory; or the error."""
    sql = load_sql(case.name)
    floor_params = case.floor_params or case.params
    used = {k: v for k, v in floor_params.items() if f"${k}" in case.floor}
    try:
        _timed(con, sql, case.params)
        _timed(con, case.floor, used)
        query = statistics.median(_timed(con, sql, case.params) for _ in range(runs))
        floor = statistics.median(_timed(con, case.floor, used) for _ in range(runs))
        memory = peak_memory(con, sql, case.params)
    except duckdb.Error as error:
        return {"error": str(error).splitlines()[0][:100]}
    return {"query": query, "floor": floor, "ratio": query / floor, "memory": memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_queries")
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "pages-10x.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory-limit", help="DuckDB memory_limit of the connection, e.g. 1GB")
    parser.add_argument("--threads", type=int, help="DuckDB threads of the connection")
    parser.add_argument("--only", help="only queries whose name contains this")
    args = parser.parse_args(argv)
    config = {}
    if args.memory_limit:
        config["memory_limit"] = args.memory_limit
    if args.threads:
        config["threads"] = args.threads
    try:
        con = duckdb.connect(str(args.db), read_only=True, config=config)
    except duckdb.Error as error:
        print(f"cannot open {args.db}: {error}")
        return 0
    rows = con.execute("SELECT count(*) FROM classified").fetchone()[0]
    print(f"{args.db} ({rows:,} classified reviews), {args.runs} warm runs, limit {args.memory_limit or 'none'}, "
          f"threads {con.execute('SELECT current_setting(?)', ['threads']).fetchone()[0]}")
    print(f"{'query':58s} {'s':>7s} {'floor s':>8s} {'ratio':>6s} {'peak MB':>8s}")
    ratios = []
    for case in cases():
        if args.only and args.only not in case.name:
            continue
        result = measure(con, case, args.runs)
        if "error" in result:
            print(f"{case.title():58s} FAILED: {result['error']}")
            continue
        ratios.append(result["ratio"])
        print(f"{case.title():58s} {result['query']:7.3f} {result['floor']:8.3f} {result['ratio']:6.1f} "
              f"{result['memory'] / 1e6:8.0f}", flush=True)
    if ratios:
        print(f"worst ratio {max(ratios):.1f}, over 3×: {sum(r > 3 for r in ratios)} of {len(ratios)}")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
