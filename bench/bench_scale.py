"""Where time goes, per page and scale, next to its floor, in one run (issue 13 §5).

    python -m bench scale [--scales 1 10 100] [--runs 3] [--changes 5] [--browser] [--rebuild]
                          [--warehouse 100=/path/to/warehouse.duckdb]

Per scale (N × the province's 226,000 households):
- The build: wall time, peak resident memory of the build process, file size, and the file's free blocks. The
  warehouse is bench/out/pages-<N>x.duckdb, built (and measured, bench/bench_build.py's `--one`) unless one from
  the same inputs is there (`data.build.staleness`); the figures of that build are kept beside it
  (`pages-<N>x.duckdb.build.json`) and reported with the time they were measured. `--rebuild` builds again.
  `--warehouse N=PATH` uses an existing warehouse as it is (never rebuilt): its file is measured, its build is
  reported only when the bench built it (a record beside it).
- Every page, each in a fresh process running `app.py` under `streamlit.testing.v1.AppTest`, opened at that page
  (with bench/bench_pages.py's `PAGE_QUERY`): fresh = its first run in that process (the app's imports, the
  connection, every query); warm = the median of `runs` reruns; cold = a run after every cache is cleared (modules
  imported: bench_pages's cold, the one "cold pages under 3 s" is judged on), with the seconds its queries took
  (`queries.runner`'s SQL, timed around each execution); change = the median of `changes` reruns after choosing,
  in the sidebar, one place (a district or a current unit) not chosen before in that process; peak RSS = the
  process's peak resident memory (VmHWM) at the end.
- The floor: the bare aggregate over the rows the page's view selects (`floor_query`: households and poor
  households per year from `classified`, filtered by the view's places, area, group and the profile's or compare
  page's units), timed on the page's own connection (median of 5), and the same for each filter change. Ratios:
  queries ÷ floor, warm ÷ floor, change ÷ change floor.
- With `--browser`: the app and bench/floor_app.py?chart=1 (one plotly chart, nothing else) served side by side; for
  every page that draws a chart, the seconds from navigation start until the first chart is drawn in Chromium
  (fresh context each visit), the first visit after server start and the median of `--visits` later ones, each
  page visit followed by a floor visit (interleaved), and their ratio.

Goals (issue 13) are judged where they apply (`PAGE_GOALS`, `BUILD_GOALS`, `BROWSER_GOALS`). The report is a
Markdown table printed and written, with every figure, to bench/out/scale-<time>.{md,json}. It never fails on a missed
goal. Run one heavy thing at a time: the figures are only comparable within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.bench_pages import OUT, ROOT

FLOOR_APP = "bench/floor_app.py"  # with ?chart=1: one plotly chart, nothing else
CHART_TIMEOUT = 120.0  # seconds a visit may wait for its first chart (a cold page at 100× on a busy machine)
MB = 1024 * 1024


@dataclass(frozen=True)
class Goal:
    """A goal of issue 13 on one figure of a report row: `key` below (or at most, with `inclusive`) `limit`, judged
    at `scales` only (None: at every scale)."""

    label: str
    key: str
    limit: float
    scales: tuple[int, ...] | None = None
    inclusive: bool = False

    def applies(self, scale: int) -> bool:
        return self.scales is None or scale in self.scales

    def met(self, value: float) -> bool:
        return value <= self.limit if self.inclusive else value < self.limit


PAGE_GOALS = (
    Goal("warm < 0.3 s", "warm", 0.3, (100,)),
    Goal("cold < 3 s", "cold", 3.0, (100,)),
    Goal("process < 2 GB", "rss_mb", 2048.0),
    Goal("queries ≤ 3× floor", "queries_ratio", 3.0, (10,), inclusive=True),
    Goal("change < 0.1 s", "change", 0.1, (1,)),
)
BUILD_GOALS = (
    Goal("peak < 12 GB", "peak_mb", 12 * 1024.0, (100,)),
    Goal("file < 3 GB", "file_mb", 3000.0, (100,)),
)
BROWSER_GOALS = (Goal("≤ 1.3× floor", "ratio", 1.3, inclusive=True),)


# ---------------------------------------------------------------------------------------------- report formatting

def ratio(value: float | None, floor: float | None) -> float | None:
    """`value` ÷ `floor`, or None when either is missing or the floor is not positive."""
    if value is None or floor is None or floor <= 0:
        return None
    return value / floor


def fmt(value: float | None, digits: int = 3, suffix: str = "") -> str:
    """A figure for the table: `digits` decimals and `suffix`, '—' when missing."""
    return "—" if value is None else f"{value:.{digits}f}{suffix}"


def fmt_ratio(value: float | None) -> str:
    """A ratio for the table: '2.4×' (two significant decimals under 10, none from 100 on), '—' when missing."""
    if value is None:
        return "—"
    return f"{value:.2f}×" if value < 10 else f"{value:.1f}×" if value < 100 else f"{value:.0f}×"


def judge(goals: Iterable[Goal], row: Mapping[str, Any], scale: int) -> str:
    """The goals column of a row at `scale`: each goal that applies there, 'ok' or 'MISSED' (or 'n/a' when the row
    lacks its figure), separated by '; '; '—' when none applies."""
    verdicts = []
    for goal in goals:
        if not goal.applies(scale):
            continue
        value = row.get(goal.key)
        verdict = "n/a" if value is None else "ok" if goal.met(float(value)) else "MISSED"
        verdicts.append(f"{goal.label}: {verdict}")
    return "; ".join(verdicts) or "—"


def markdown_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A Markdown table: the header row, the separator (text left, the rest right-aligned), one line per row."""
    lines = ["| " + " | ".join(headers) + " |",
             "|" + "|".join(":---" if i == 0 or h in ("page", "goals", "build measured") else "---:"
                            for i, h in enumerate(headers)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def page_row(scale: int, script: str, r: Mapping[str, Any]) -> dict[str, Any]:
    """The figures of a page's report row (seconds, MB, ratios) from one page process's result `r`."""
    row = {"scale": scale, "page": Path(script).stem, "fresh": r.get("fresh"), "cold": r.get("cold"),
           "warm": r.get("warm"), "queries": r.get("queries"), "floor": r.get("floor"), "change": r.get("change"),
           "change_floor": r.get("change_floor"), "rss_mb": r.get("rss_mb")}
    row["queries_ratio"] = ratio(row["queries"], row["floor"])
    row["warm_ratio"] = ratio(row["warm"], row["floor"])
    row["change_ratio"] = ratio(row["change"], row["change_floor"])
    return row


PAGE_HEADERS = ("scale", "page", "fresh s", "cold s", "warm s", "queries s", "floor ms", "queries ÷ floor",
                "warm ÷ floor", "change s", "change floor ms", "change ÷ floor", "peak RSS MB", "goals")


def page_cells(row: Mapping[str, Any]) -> list[str]:
    """A page row's cells under `PAGE_HEADERS`."""
    ms = {k: None if row[k] is None else row[k] * 1000 for k in ("floor", "change_floor")}
    return [f"{row['scale']}×", row["page"], fmt(row["fresh"]), fmt(row["cold"]), fmt(row["warm"]),
            fmt(row["queries"]), fmt(ms["floor"], 1), fmt_ratio(row["queries_ratio"]), fmt_ratio(row["warm_ratio"]),
            fmt(row["change"]), fmt(ms["change_floor"], 1), fmt_ratio(row["change_ratio"]), fmt(row["rss_mb"], 0),
            judge(PAGE_GOALS, row, row["scale"])]


BUILD_HEADERS = ("scale", "households", "build s", "build peak MB", "file MB", "free blocks", "build measured",
                 "goals")


def build_cells(scale: int, build: Mapping[str, Any] | None, file: Mapping[str, Any], note: str) -> list[str]:
    """A scale's build row: the build's figures (None: not measured by the bench, `note` says why) and the file's
    (`file_figures`)."""
    build = build or {}
    row = {"peak_mb": build.get("peak_mb"), "file_mb": file.get("file_mb")}
    free = f"{file['free_blocks']:,} of {file['total_blocks']:,} ({fmt(file['free_pct'], 1)} %)" \
        if file.get("total_blocks") else "—"
    households = file.get("households")
    return [f"{scale}×", f"{households:,}" if households else "—", fmt(build.get("seconds"), 1),
            fmt(build.get("peak_mb"), 0), fmt(file.get("file_mb"), 1), free, note, judge(BUILD_GOALS, row, scale)]


BROWSER_HEADERS = ("scale", "page", "first s", "floor first s", "first ÷ floor", "again s", "floor again s",
                   "again ÷ floor", "goals")


def browser_cells(scale: int, page: str, r: Mapping[str, Any]) -> list[str]:
    """A browser row: the page's first chart (first visit, median of later ones) against the floor page's, visited
    in turn with it; the goal is judged on the later visits' ratio."""
    again = ratio(r.get("again"), r.get("floor_again"))
    return [f"{scale}×", page, fmt(r.get("first"), 2), fmt(r.get("floor_first"), 2),
            fmt_ratio(ratio(r.get("first"), r.get("floor_first"))), fmt(r.get("again"), 2),
            fmt(r.get("floor_again"), 2), fmt_ratio(again), judge(BROWSER_GOALS, {"ratio": again}, scale)]


# ------------------------------------------------------------------------------------------------------- the floor

_PLACE_COLUMN = {"former": "district_code", "current": "current_code"}
_UNIT_COLUMN = {"former": "commune_code", "current": "current_code"}


def floor_query(units: str, places: Sequence[str] = (), area: str = "all", group: str = "all",
                unit_codes: Sequence[str] = ()) -> tuple[str, dict[str, object]]:
    """The bare aggregate over the rows a view selects: SQL and its parameters, giving per year the households and
    the poor households of `classified` in the unit set `units` ('former' or 'current'), among `places` (district
    codes, or current unit codes; empty = the province), `area`, population `group` and, on the profile and compare
    pages, `unit_codes` (their commune-level units). Column names come from the fixed tables above; every value is
    a $parameter."""
    where, params = [], {}
    if places:
        where.append(f"list_contains($places, {_PLACE_COLUMN[units]})")
        params["places"] = list(places)
    if unit_codes:
        where.append(f"list_contains($units, {_UNIT_COLUMN[units]})")
        params["units"] = list(unit_codes)
    if area != "all":
        where.append("area = $area")
        params["area"] = area
    if group != "all":
        where.append("in_group(ethnicity, $group)")
        params["group"] = group
    sql = ("SELECT year, count(*) AS households, count(*) FILTER (status = 'poor') AS poor FROM classified"  # noqa: S608
           + (" WHERE " + " AND ".join(where) if where else "") + " GROUP BY year")  # fixed fragments only
    return sql, params


def _view_floor(filters: Any) -> tuple[str, dict[str, object]]:
    units = [filters.commune] if filters.commune else list(filters.compare)
    return floor_query(filters.units, filters.districts, filters.area, filters.group, units)


def _median_seconds(work: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        work()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _floor_seconds(sql: str, params: Mapping[str, object], repeats: int = 5) -> float:
    """Median seconds of the floor query on the page's own read-only connection (`queries.runner.reading`)."""
    from queries.runner import reading

    with reading() as (cursor, _version):
        cursor.execute(sql, dict(params)).fetchall()  # once unmeasured: the same buffer state as the page's reruns
        return _median_seconds(lambda: cursor.execute(sql, dict(params)).fetchall(), repeats)


# ------------------------------------------------------------------------------------------- one page, one process

class _QueryClock:
    """Seconds spent in `queries.sql.execute` as `queries.runner` calls it (every SQL a page runs through the runner),
    since the last `take()`."""

    def __init__(self) -> None:
        import queries.runner as runner

        self.seconds = 0.0
        self.count = 0
        inner = runner.execute

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - t0
                self.count += 1

        runner.execute = timed  # type: ignore[assignment]

    def take(self) -> tuple[float, int]:
        seconds, count = self.seconds, self.count
        self.seconds, self.count = 0.0, 0
        return seconds, count


def _peak_rss_mb() -> float:
    """This process's peak resident memory so far (VmHWM; ru_maxrss where /proc is missing), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed_run(at: Any) -> float:
    t0 = time.perf_counter()
    at.run()
    return time.perf_counter() - t0


def page_process(script: str, runs: int, changes: int) -> dict[str, Any]:
    """In a fresh process (POVERTY_DB set): the figures of one page (module docstring); seconds and MB."""
    from bench.bench_pages import app_test, clear_every_cache

    at = app_test(script)
    at.switch_page(script)
    fresh = _timed_run(at)
    result: dict[str, Any] = {"fresh": fresh, "rss_fresh_mb": _peak_rss_mb(), "charts": len(at.get("plotly_chart")),
                              "errors": [str(e.value) for e in at.exception]}
    result["warm"] = statistics.median(_timed_run(at) for _ in range(runs))

    clock = _QueryClock()
    clear_every_cache()
    result["cold"] = _timed_run(at)
    result["queries"], result["query_count"] = clock.take()
    filters = at.session_state["_filters"]
    sql, params = _view_floor(filters)
    result["floor"] = _floor_seconds(sql, params)
    result["floor_sql"], result["floor_params"] = sql, params

    result.update(_filter_changes(at, filters, changes, clock))
    result["rss_mb"] = _peak_rss_mb()
    return result


def _filter_changes(at: Any, filters: Any, changes: int, clock: _QueryClock) -> dict[str, Any]:
    """Choose, one after another, `changes` places not chosen before in the sidebar's place box; the median rerun
    seconds and the median floor seconds of the views chosen (None on a page without the box)."""
    from dashboard.filters import place_key
    from queries.runner import reading

    key = place_key(filters.units)
    if not any(box.key == key for box in at.multiselect):  # the import page has no filters
        return {"change": None, "change_floor": None, "change_errors": [], "change_note": "no place box"}
    column = _PLACE_COLUMN[filters.units]
    with reading() as (cursor, _version):
        codes = [row[0] for row in cursor.execute(
            f"SELECT DISTINCT {column} FROM classified WHERE {column} IS NOT NULL ORDER BY 1"  # noqa: S608 (fixed)
        ).fetchall()]
    codes = [code for code in codes if code not in filters.districts][:changes]
    times, floors, queries = [], [], []
    for code in codes:
        at.multiselect(key=key).set_value([code])
        times.append(_timed_run(at))
        queries.append(clock.take()[0])
        floors.append(_floor_seconds(*_view_floor(at.session_state["_filters"]), repeats=3))
    errors = [str(e.value) for e in at.exception]
    if not times:
        return {"change": None, "change_floor": None, "change_errors": errors}
    return {"change": statistics.median(times), "change_floor": statistics.median(floors),
            "change_queries": statistics.median(queries), "changes": len(times), "change_errors": errors}


def run_page(db: Path, script: str, runs: int, changes: int) -> dict[str, Any]:
    """`page_process` in a fresh Python process on the warehouse `db` (imports allowed, as bench_pages does)."""
    env = {**os.environ, "POVERTY_DB": str(db), "POVERTY_ALLOW_IMPORT": "1"}
    env.pop("BOUNDARIES_DIR", None)
    done = subprocess.run([sys.executable, "-m", "bench.bench_scale", "--page", script, "--runs", str(runs),
                           "--changes", str(changes)], cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        return {"errors": [done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit {done.returncode}"]}
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# ------------------------------------------------------------------------------------------- warehouses and builds

def file_figures(db: Path) -> dict[str, Any]:
    """The warehouse file's size (MB = 10⁶ bytes), its blocks and free blocks (`PRAGMA database_size`) and the
    households it was built for."""
    from data.warehouse import connect_readonly

    con = connect_readonly(db)
    try:
        size = con.execute("SELECT block_size, total_blocks, free_blocks FROM pragma_database_size()").fetchone()
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    block_size, total, free = (int(v) for v in size)
    # the size of the current version's file (the warehouse's name is a link to it)
    return {"file_mb": db.stat().st_size / 1e6, "block_size": block_size, "total_blocks": total,
            "free_blocks": free, "free_pct": 100 * free / total if total else None,
            "households": int(meta["households_requested"]) if meta.get("households_requested") else None,
            "built_at": meta.get("built_at")}


def scale_warehouse(scale: int, given: Path | None, rebuild: bool) -> tuple[Path, dict[str, Any] | None, str]:
    """The warehouse of `scale`, the bench's figures of its build (None when it did not build it) and a note on when
    they were measured."""
    from bench.bench_pages import build_record, record_path, warehouse

    if given is not None:
        db = given
    else:
        before = record_path(OUT / f"pages-{scale}x.duckdb").stat().st_mtime_ns \
            if record_path(OUT / f"pages-{scale}x.duckdb").exists() else None
        db = warehouse(scale, rebuild=rebuild)
        after = record_path(db).stat().st_mtime_ns if record_path(db).exists() else None
        if after is not None and after != before:
            return db, build_record(db), "built in this run"
    record = build_record(db)
    if record is None:
        return db, None, "not measured (built outside the bench)"
    return db, record, f"cached: measured {record.get('built_at', '?')}"


# ------------------------------------------------------------------------------------------------------- browser

def browser_figures(db: Path, scripts: Sequence[str], visits: int) -> dict[str, dict[str, float | None]]:
    """Per page of `scripts`: first chart seconds (first visit after server start, median of `visits` later ones)
    and the floor page's, each page visit followed by a floor visit; None where no chart was drawn within
    `CHART_TIMEOUT`."""
    from bench.bench_pages import chart_seconds, chromium, page_link, serving

    figures: dict[str, dict[str, float | None]] = {}
    with serving(db) as url, serving(db, FLOOR_APP) as floor_url, chromium() as browser:
        floor = floor_url + "/?chart=1"
        for script in scripts:
            page = page_link(url, script)
            times = [(chart_seconds(browser, page, CHART_TIMEOUT), chart_seconds(browser, floor, CHART_TIMEOUT))
                     for _ in range(1 + visits)]
            pages = [t for t, _f in times[1:] if t is not None]
            floors = [f for _t, f in times[1:] if f is not None]
            figures[Path(script).stem] = {
                "first": times[0][0], "floor_first": times[0][1],
                "again": statistics.median(pages) if pages else None,
                "floor_again": statistics.median(floors) if floors else None}
    return figures


# ---------------------------------------------------------------------------------------------------------- main

def _given(values: Sequence[str]) -> dict[int, Path]:
    given = {}
    for value in values:
        scale, _, path = value.partition("=")
        if not scale.isdigit() or not path:
            raise SystemExit(f"--warehouse wants SCALE=PATH (e.g. 100=/tmp/b100/baclieu.duckdb), not {value!r}")
        given[int(scale)] = Path(path).expanduser().absolute()  # the name, not the version it links to
    return given


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="provinces of households (1 10)")
    parser.add_argument("--runs", type=int, default=5, help="warm reruns per page (median)")
    parser.add_argument("--changes", type=int, default=5, help="filter changes per page (median)")
    parser.add_argument("--browser", action="store_true", help="first chart in Chromium against the floor page")
    parser.add_argument("--visits", type=int, default=3, help="browser visits per page after the first (median)")
    parser.add_argument("--pages", nargs="+", help="only these pages (file stems, e.g. overview ranking)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the bench's warehouses (not --warehouse's)")
    parser.add_argument("--warehouse", nargs="+", default=[], metavar="SCALE=PATH",
                        help="use an existing warehouse for a scale, e.g. 100=/tmp/b100/baclieu.duckdb")
    parser.add_argument("--page", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.page:
        print(json.dumps(page_process(args.page, args.runs, args.changes), default=str))
        return 0

    from bench.bench_pages import app_pages

    given = _given(args.warehouse)
    scripts = [script for _key, script in app_pages()
               if not args.pages or Path(script).stem in args.pages]
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    load = os.getloadavg()[0]
    report: dict[str, Any] = {"started": started, "argv": sys.argv[1:] if argv is None else argv, "scales": {}}
    builds, pages, browsers = [], [], []
    for scale in args.scales:
        db, build, note = scale_warehouse(scale, given.get(scale), args.rebuild)
        file = file_figures(db)
        builds.append(build_cells(scale, build, file, note))
        print(f"{scale}×: {db}  ({note})", file=sys.stderr, flush=True)
        results = {}
        for script in scripts:
            print(f"  {Path(script).stem}…", file=sys.stderr, flush=True)
            results[script] = run_page(db, script, args.runs, args.changes)
            pages.append(page_cells(page_row(scale, script, results[script])))
        browser = None
        if args.browser:
            charted = [s for s in scripts if results[s].get("charts")]
            print(f"  browser: {len(charted)} pages with a chart, against {FLOOR_APP}…", file=sys.stderr,
                  flush=True)
            browser = browser_figures(db, charted, args.visits)
            browsers += [browser_cells(scale, page, r) for page, r in browser.items()]
        report["scales"][str(scale)] = {"warehouse": str(db), "build": build, "build_note": note, "file": file,
                                        "pages": results, "browser": browser}

    errors = [f"{scale}× {Path(script).stem}: {e[:200]}" for scale, s in report["scales"].items()
              for script, r in s["pages"].items() for e in r.get("errors", []) + r.get("change_errors", [])]
    parts = [f"# Scale bench, {started} (load average {load:.1f} → {os.getloadavg()[0]:.1f}, "
             f"{os.cpu_count()} CPUs)", "", "## Build", "", markdown_table(BUILD_HEADERS, builds), "",
             "## Pages (server, AppTest)", "", markdown_table(PAGE_HEADERS, pages)]
    if browsers:
        parts += ["", f"## Browser: first chart against {FLOOR_APP}", "", markdown_table(BROWSER_HEADERS, browsers)]
    if errors:
        parts += ["", "Errors:", *[f"- {e}" for e in errors]]
    text = "\n".join(parts) + "\n"
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    report["markdown"] = text
    (OUT / f"scale-{stamp}.md").write_text(text, encoding="utf-8")
    (OUT / f"scale-{stamp}.json").write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"written: bench/out/scale-{stamp}.md and .json", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
