"""Page render time on the server (cold and warm, 1× and 10×), boundary bytes sent to the browser, the time until
the first chart is visible in Chromium after opening a link, and the overview's first screen on a phone.

    python -m bench.bench_pages [--scales 1 10] [--runs 5] [--no-browser]

Goals (issue 3): warm render under 0.3 s per page at 1× and under 1 s at 10×; boundaries under 150 KB; first chart
visible under 3 s after opening a link. Issue 7: on a phone (390 × 844) the overview's province rate and its status
badges are drawn inside the first screen (time and position printed). Server time is measured with
`streamlit.testing.v1.AppTest` running `app.py` (st.navigation) and switching to each page: cold = the first run after
`st.cache_data`, `st.cache_resource` and the per-process caches are cleared (modules already imported), warm = the
median of repeated runs. Each scale runs in its own process. The warehouses are built once into bench/out/ (git-ignored)
and reused while their size and build inputs (`meta.build_inputs`) match.
This prints figures; it never fails on a missed goal.
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from streamlit.testing.v1 import AppTest

# The repository (data.warehouse.ROOT, without importing duckdb and pandas: a page process measured by
# bench/bench_scale.py imports them when its page does).
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
WARM_GOAL = {1: 0.3, 10: 1.0}
BOUNDARY_GOAL = 150_000
FIRST_CHART_GOAL = 3.0
# The profile and compare pages draw a unit's figures once one is chosen: timed on a unit (and four to compare), as a
# link from the ranking opens them. Codes of both unit sets (a current unit keeps one former commune's code).
PAGE_QUERY: dict[str, dict[str, str | list[str]]] = {
    "pages/commune.py": {"commune": "31825"},
    "pages/compare.py": {"compare": ["31825", "31834", "31843", "31942"]},
}


def warehouse(scale: int, rebuild: bool = False) -> Path:
    """bench/out/pages-<scale>x.duckdb, built unless one with the same households and build inputs is there (always
    with `rebuild`). A build made here is measured (`measured_build`) and its figures kept beside the warehouse
    (`build_record`)."""
    from data.build import staleness
    from data.demo import DEFAULT_HOUSEHOLDS, DEFAULT_SEED

    households = scale * DEFAULT_HOUSEHOLDS
    path = OUT / f"pages-{scale}x.duckdb"
    if not rebuild and not staleness(path, households, DEFAULT_SEED)[0]:
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"  building {path.relative_to(ROOT)} ({households:,} households)…", file=sys.stderr, flush=True)
    figures = measured_build(households, path)
    record_path(path).write_text(json.dumps({**figures, **_build_meta(path)}, indent=1) + "\n", encoding="utf-8")
    return path


def measured_build(households: int, path: Path) -> dict[str, object]:
    """Build the demo warehouse named `path` in a process of its own (`bench.bench_build.run_build`); its figures:
    households, seconds (wall), cpu_seconds, peak_mb (the build process's peak resident memory, MB), file_mb (MB)."""
    from bench.bench_build import run_build

    return dict(run_build(households, path))


def record_path(path: Path) -> Path:
    """Where the bench keeps the build figures of the warehouse named `path`: `<name>.build.json` beside it."""
    return path.with_name(f"{path.name}.build.json")


def _build_meta(path: Path) -> dict[str, str]:
    from data.warehouse import connect_readonly

    con = connect_readonly(path)
    try:
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    finally:
        con.close()
    return {key: meta.get(key, "") for key in ("built_at", "build_inputs", "households_requested")}


def build_record(path: Path) -> dict[str, object] | None:
    """The figures the bench measured when it built the warehouse named `path` (`measured_build`'s, with the
    warehouse's `built_at`), or None when this warehouse was not built by the bench (no record, or a record of an
    earlier build of that name)."""
    try:
        record = json.loads(record_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("built_at") == _build_meta(path)["built_at"] else None


@contextmanager
def serving(db: Path, script: str = "app.py") -> Iterator[str]:
    """`streamlit run <script>` (a path relative to the repository) on the warehouse `db`; its base URL. Stopped
    after."""
    from tests.browser.server import start_streamlit, stop, wait_healthy

    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "server.log"
        process, url = start_streamlit(db, log, script=script)
        try:
            wait_healthy(process, url, log)
            yield url
        finally:
            stop(process)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, closed after."""
    from playwright.sync_api import sync_playwright

    from tests.browser.server import launch_chromium

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def served_in_chromium(db: Path) -> Iterator[tuple[str, Browser]]:
    """The app served by `streamlit run` on `db` and Debian's Chromium: (base URL, browser); both stopped after."""
    with serving(db) as url, chromium() as browser:
        yield url, browser


def app_pages() -> list[tuple[str, str]]:
    """(title key, script path) of every page the app can show, the import page included."""
    from dashboard.navigation import registered_pages

    return [(entry.title_key, entry.path) for entry in registered_pages(can_write=True)]


def _one_script_cache() -> None:
    """Make every AppTest run of this process share one `ScriptCache`, as a Streamlit server does (the runtime keeps
    one for all sessions: `app.py` and each page are compiled once per process). AppTest makes a new one for every
    run, so each timed rerun would also pay the compilation of both scripts (≈ 30–90 ms, most of it Streamlit's
    magic-command rewrite of the syntax tree), time a server never spends on a rerun."""
    import streamlit.testing.v1.app_test as app_test_module
    import streamlit.testing.v1.local_script_runner as runner_module
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    if getattr(app_test_module, "_bench_shared_cache", None) is None:
        shared = ScriptCache()
        app_test_module._bench_shared_cache = shared  # type: ignore[attr-defined]
        app_test_module.ScriptCache = runner_module.ScriptCache = lambda: shared  # type: ignore[assignment,misc]


def app_test(script: str) -> AppTest:
    """`app.py` under `streamlit.testing.v1.AppTest` with the query parameters `PAGE_QUERY` gives `script` (not run
    yet; `switch_page(script)` before the first run opens that page first). The process's runs share one compiled
    copy of each script, as a server's sessions do (`_one_script_cache`)."""
    from streamlit.testing.v1 import AppTest

    _one_script_cache()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in PAGE_QUERY.get(script, {}).items():
        at.query_params[name] = value
    return at


def clear_every_cache() -> None:
    """Forget everything this process cached for pages: `st.cache_data`, `st.cache_resource`, the query results and
    the connection (`queries.runner.clear_caches`), and the per-process work derived from them."""
    import streamlit as st

    from dashboard.figure_cache import clear_all
    from queries.runner import clear_caches

    st.cache_data.clear()
    st.cache_resource.clear()
    clear_caches()
    clear_all()


def _render_times(runs: int) -> dict[str, dict[str, object]]:
    """In this process (POVERTY_DB already set): cold and warm AppTest render time of every page."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results: dict[str, dict[str, object]] = {}
    started = time.perf_counter()
    first = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    process_first = time.perf_counter() - started
    for key, script in app_pages():
        st.cache_data.clear()
        st.cache_resource.clear()
        at = app_test(script)
        at.run()
        at.switch_page(script)
        clear_every_cache()
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        warm = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            warm.append(time.perf_counter() - t0)
        errors = [e.value for e in at.exception]
        results[script] = {"key": key, "cold": cold, "warm": statistics.median(warm), "errors": errors}
    results["_process_first"] = {"seconds": process_first, "errors": [e.value for e in first.exception]}
    return results


def _boundary_bytes() -> tuple[int, int]:
    from data.units import former_units
    from geo import load_boundaries

    boundaries = load_boundaries(list(former_units()["commune_code"]))
    if boundaries is None:
        return 0, 0
    return boundaries.commune_bytes(), boundaries.district_bytes()


def page_link(base: str, script: str) -> str:
    """The address of the page `script` on the server at `base` (its url_path is the file's stem), with
    `PAGE_QUERY`'s parameters for the pages that need a unit to draw a chart."""
    from urllib.parse import urlencode

    query = PAGE_QUERY.get(script)
    return f"{base}/{Path(script).stem}" + (f"?{urlencode(query, doseq=True)}" if query else "")


_CHART_DRAWN_JS = ("() => { const g = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot'); "
                   "return g && g._fullLayout && g.querySelector('.main-svg'); }")


def chart_seconds(browser: Browser, link: str, timeout: float = 30.0) -> float | None:
    """Open `link` in a fresh browser context (1400 × 1000); seconds from navigation start until the first plotly
    chart has drawn, or None when none is drawn within `timeout` seconds."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(link, wait_until="commit")
        try:
            page.wait_for_function(_CHART_DRAWN_JS, timeout=timeout * 1000)
        except Exception:  # a page without a chart
            return None
        return float(page.evaluate("performance.now()")) / 1000
    finally:
        context.close()


def first_chart_seconds(db: Path, repeats: int = 3) -> dict[str, tuple[float, float]]:
    """Per page with a chart: (first visit after server start, median of later visits) from navigation start until
    the first plotly chart has drawn, in a fresh browser context each time."""
    times: dict[str, tuple[float, float]] = {}
    with served_in_chromium(db) as (url, browser):
        probe = browser.new_page()
        probe.goto(url + "/")
        links = probe.get_by_test_id("stSidebarNav").get_by_role("link")
        links.first.wait_for()
        stems = [str(link.get_attribute("href")).removeprefix(url).strip("/") for link in links.all()]
        probe.context.close()
        scripts = [script for _key, script in app_pages()]
        by_stem = {Path(script).stem: script for script in scripts}
        for stem in stems:  # the default page's link is the bare address
            link = page_link(url, by_stem.get(stem, scripts[0]) if stem else scripts[0])
            visits = []
            for _ in range(1 + repeats):
                seconds = chart_seconds(browser, link)
                if seconds is None:
                    visits = []
                    break
                visits.append(seconds)
            if visits:
                times[link.removeprefix(url)] = (visits[0], statistics.median(visits[1:]))
    return times


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2,
         "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
                       "Gecko) Version/17.0 Mobile/15E148 Safari/604.1"}
# What a leader must read on a phone's first screen: the province rate and its judgement badges.
_FIRST_SCREEN_JS = """() => {
  const value = document.querySelector('[data-testid=stMetricValue]');
  const badges = [...document.querySelectorAll('[data-testid=stMarkdownContainer] span')]
      .filter(s => /badge/i.test(s.className) || s.closest('[class*=Badge]'));
  if (!value || !badges.length) return null;
  const bottom = Math.max(value.getBoundingClientRect().bottom, ...badges.map(b => b.getBoundingClientRect().bottom));
  return {bottom, height: window.innerHeight};
}"""


def phone_first_screen_seconds(db: Path, repeats: int = 3) -> tuple[float, float, float]:
    """A phone (390 × 844, mobile user agent) opening `/overview`: seconds from navigation start until the province
    rate and its status badges are drawn (first visit after server start, median of later visits), and how far down
    the screen the lowest of them ends (px; the first screen is 844 px)."""
    visits: list[float] = []
    bottom = float("nan")
    with served_in_chromium(db) as (url, browser):
        for _ in range(1 + repeats):
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.goto(url + "/overview", wait_until="commit")
            handle = page.wait_for_function(_FIRST_SCREEN_JS, timeout=30_000)
            visits.append(page.evaluate("performance.now()") / 1000)
            bottom = float(handle.json_value()["bottom"])
            context.close()
    return visits[0], statistics.median(visits[1:]), bottom


def _mark(value: float, goal: float) -> str:
    return "ok" if value < goal else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_pages")
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per page (median reported)")
    parser.add_argument("--no-browser", action="store_true", help="skip the first-chart time in Chromium")
    parser.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(_render_times(args.runs)))
        return 0

    commune, district = _boundary_bytes()
    total = commune + district
    print(f"boundaries sent to the browser: communes {commune:,} B + districts {district:,} B = {total:,} B"
          f"  (goal < {BOUNDARY_GOAL:,} B: {_mark(total, BOUNDARY_GOAL)})")

    print(f"\n{'scale':>5}  {'page':<26} {'cold s':>7} {'warm s':>7} {'goal':>6}  result")
    for scale in args.scales:
        db = warehouse(scale)
        env = {**os.environ, "POVERTY_DB": str(db), "POVERTY_ALLOW_IMPORT": "1"}  # time the import page too
        env.pop("BOUNDARIES_DIR", None)
        out = subprocess.run([sys.executable, "-m", "bench.bench_pages", "--one", str(db), "--runs", str(args.runs)],
                             cwd=ROOT, env=env, check=True, capture_output=True, text=True).stdout
        results = json.loads(out.strip().splitlines()[-1])
        first = results.pop("_process_first")
        goal = WARM_GOAL.get(scale, 1.0)
        for script, r in results.items():
            note = _mark(r["warm"], goal) + (f"  ERROR {r['errors'][0][:60]}" if r["errors"] else "")
            print(f"{scale:>4}×  {script:<26} {r['cold']:>7.3f} {r['warm']:>7.3f} {goal:>6.1f}  {note}", flush=True)
        print(f"{scale:>4}×  {'(first run, fresh process)':<26} {first['seconds']:>7.3f}")

    if not args.no_browser:
        print(f"\n{'scale':>5}  {'link':<26} {'first s':>7} {'again s':>7} {'goal':>6}  result")
        for scale in args.scales:
            for link, (cold, warm) in first_chart_seconds(warehouse(scale)).items():
                print(f"{scale:>4}×  {link:<26} {cold:>7.2f} {warm:>7.2f} {FIRST_CHART_GOAL:>6.1f}  "
                      f"{_mark(max(cold, warm), FIRST_CHART_GOAL)}", flush=True)
        print(f"\n{'scale':>5}  {'phone 390×844: /overview':<26} {'first s':>7} {'again s':>7}  rate + status end at")
        for scale in args.scales:
            cold, warm, bottom = phone_first_screen_seconds(warehouse(scale))
            inside = "inside" if bottom <= PHONE["viewport"]["height"] else "BELOW"
            print(f"{scale:>4}×  {'rate and status drawn':<26} {cold:>7.2f} {warm:>7.2f}  {bottom:.0f} px of "
                  f"{PHONE['viewport']['height']} ({inside} the first screen)", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
