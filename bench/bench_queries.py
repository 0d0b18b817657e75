"""Every page query next to its floor: the bare aggregate over the same rows (issue 13 §3: within 3× at 10×).

    python -m bench.bench_queries [--db PATH] [--runs 5] [--memory-limit 1GB] [--threads N] [--only NAME]
                                  [--stored-coverage] [--queries DIR]

For each query the pages run (queries/*.sql, with the parameters the pages pass: the default view and a filtered
one) and for its floor (the same filter over the same table, one GROUP BY, no joins or windows), on one read-only
connection: the median over `runs` warm runs (after one unmeasured run) of wall time and of DuckDB's CPU time (all
its threads; steadier than wall time on a shared machine), the floor's, their ratios, and the query's peak DuckDB
buffer memory (`peak_buffer_memory` of DuckDB's JSON profile). `--memory-limit` / `--threads` open the connection
with those settings, as the app's reader may: a query that needs more memory fails and is printed as failed.
`--stored-coverage` reads `review_coverage` from a temporary table: what storing it with the classification would
give. `--queries DIR` reads the .sql files from another checkout (before / after on the same warehouse).
The floor SQL is written here, not in queries/: it is a yardstick, never shown to a viewer.
This prints figures; it never fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
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

# Floors: the rows a query reads, filtered as it filters them, in one aggregate (plain text: ruff's S608 rightly
# objects to SQL assembled with f-strings, even here).
FLOOR_RATES = """
SELECT CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
       year, count(*), count(*) FILTER (status = 'poor'), count(*) FILTER (status = 'near_poor'),
       count(*) FILTER (status = 'poor' AND NOT social_protection)
FROM classified_in($units)
WHERE in_selection(district_code, area, ethnicity, $district, $area, $group)
  AND ($level = 'total' OR commune_code IS NOT NULL)
GROUP BY ALL"""
FLOOR_YEARS = """
SELECT year, count(*), count(*) FILTER (status = 'poor')
FROM classified_in($units)
WHERE in_selection(district_code, area, ethnicity, $district, $area, $group)
GROUP BY year"""
FLOOR_YEAR = """
SELECT CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
       count(*), count(*) FILTER (status = 'poor'), count(*) FILTER (status = 'poor' AND d_health_insurance)
FROM classified_in($units)
WHERE year = $year AND in_selection(district_code, area, ethnicity, $district, $area, $group)
  AND ($level = 'total' OR commune_code IS NOT NULL)
  AND ($commune IS NULL OR commune_code = $commune)
GROUP BY ALL"""
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
FLOOR_TRANSITIONS = """
SELECT year, count(*), sum(end_members) FILTER (start_status = 'poor')
FROM transitions_rows
WHERE (len($district) = 0
       OR list_contains($district, CASE $units WHEN 'current' THEN current_code ELSE district_code END))
  AND ($area = 'all' OR start_area = $area OR end_area = $area) AND in_group(ethnicity, $group)
GROUP BY year"""


@dataclass
class Case:
    name: str  # queries/<name>.sql
    params: dict[str, Any]
    floor: str | tuple[str, ...]  # several: a query reading several tables, its floor the sum of their aggregates
    label: str = ""
    floor_params: dict[str, Any] = field(default_factory=dict)

    def title(self) -> str:
        return f"{self.name} {self.label}".strip()


def cases() -> list[Case]:
    """The queries the pages run at a view's first visit and at a filter change, with their floors."""
    out: list[Case] = [Case("household_atoms", {}, FLOOR_ATOMS), Case("review_coverage", {}, FLOOR_ATOMS),
                       Case("review_years", {}, FLOOR_ATOMS)]
    for label, view in (("all", ALL), ("narrow", NARROW)):
        for level in ("total", "district", "commune"):
            out.append(Case("poor_rate_progress", {**view, "level": level}, FLOOR_RATES, f"{level} {label}"))
        out.append(Case("other_targets_progress", view, (FLOOR_YEARS, FLOOR_TRANSITIONS), label))
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


def profiled(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any], out: Path) -> tuple[float, float, int]:
    """One run of `sql` read fully into a DataFrame: (wall seconds, DuckDB CPU seconds over all its threads, DuckDB's
    peak buffer memory in bytes), from DuckDB's JSON profile written to `out`. On `con` itself, not a cursor: a
    cursor would not see the connection's temporary tables (`--stored-coverage`)."""
    con.execute("PRAGMA enable_profiling = 'json'")
    con.execute(f"PRAGMA profiling_output = '{out}'")
    try:
        t0 = time.perf_counter()
        con.execute(sql, params).df()
        wall = time.perf_counter() - t0
    finally:
        con.execute("PRAGMA disable_profiling")
    profile = json.loads(out.read_text())
    return wall, float(profile["query"]["cpu_time"]), int(profile["system"]["peak_buffer_memory"])


def _floor(con: duckdb.DuckDBPyConnection, case: Case, out: Path) -> tuple[float, float, int]:
    floors = (case.floor,) if isinstance(case.floor, str) else case.floor
    params = case.floor_params or case.params
    runs = [profiled(con, sql, {k: v for k, v in params.items() if f"${k}" in sql}, out) for sql in floors]
    return sum(r[0] for r in runs), sum(r[1] for r in runs), max(r[2] for r in runs)


def measure(con: duckdb.DuckDBPyConnection, case: Case, runs: int, out: Path,
            queries: Path | None = None) -> dict[str, Any]:
    """Medians over `runs` warm runs (after one unmeasured) of the query's and the floor's wall and CPU seconds, their
    ratios, the query's largest peak memory; or the error. `queries`: another folder of .sql files (an A/B)."""
    sql = (queries / f"{case.name}.sql").read_text() if queries else load_sql(case.name)
    try:
        profiled(con, sql, case.params, out)
        _floor(con, case, out)
        query = [profiled(con, sql, case.params, out) for _ in range(runs)]
        floor = [_floor(con, case, out) for _ in range(runs)]
    except duckdb.Error as error:
        return {"error": str(error).splitlines()[0][:100]}
    result = {"query": statistics.median(q[0] for q in query), "floor": statistics.median(f[0] for f in floor),
              "query_cpu": statistics.median(q[1] for q in query),
              "floor_cpu": statistics.median(f[1] for f in floor), "memory": max(q[2] for q in query)}
    result["ratio"] = result["query"] / result["floor"]
    result["cpu_ratio"] = result["query_cpu"] / result["floor_cpu"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_queries")
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "pages-10x.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--memory-limit", help="DuckDB memory_limit of the connection, e.g. 1GB")
    parser.add_argument("--threads", type=int, help="DuckDB threads of the connection")
    parser.add_argument("--only", help="only queries whose name contains this")
    parser.add_argument("--queries", type=Path, help="read the .sql files from this folder (another checkout's)")
    parser.add_argument("--stored-coverage", action="store_true",
                        help="read review_coverage from a temporary table (as if stored with the classification)")
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
    if args.stored_coverage:  # what a stored review_coverage (a table written with the classification) would give
        con.execute("CREATE TEMP TABLE review_coverage AS SELECT * FROM main.review_coverage")
    print(f"{'query':48s} {'wall s':>7s} {'floor':>7s} {'ratio':>6s} {'cpu s':>7s} {'floor':>7s} {'ratio':>6s} "
          f"{'peak MB':>7s}")
    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        for case in cases():
            if args.only and args.only not in case.name:
                continue
            result = measure(con, case, args.runs, out, args.queries)
            if "error" in result:
                print(f"{case.title():48s} FAILED: {result['error']}")
                continue
            ratios.append(result["ratio"])
            print(f"{case.title():48s} {result['query']:7.3f} {result['floor']:7.3f} {result['ratio']:6.1f} "
                  f"{result['query_cpu']:7.3f} {result['floor_cpu']:7.3f} {result['cpu_ratio']:6.1f} "
                  f"{result['memory'] / 1e6:7.0f}", flush=True)
    if ratios:
        print(f"worst wall ratio {max(ratios):.1f}, over 3×: {sum(r > 3 for r in ratios)} of {len(ratios)}")
    con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
