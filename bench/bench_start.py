"""Where a start costs time (issue 13 §4): `import app` in a fresh interpreter, each page's first run in a fresh
process, and the first chart in Chromium next to the minimal page with one chart, measured back to back.

    python -m bench.bench_start [--db PATH] [--runs 5] [--no-imports] [--no-pages] [--no-browser] [--trace]

- imports: seconds of `import app` in a fresh interpreter (median of `--runs`), and which heavy modules it left in
  `sys.modules` (`HEAVY`).
- pages: per page, a fresh process runs `app.py` under `AppTest` (the overview: the process's first run, imports
  included), then switches to the page and times that run (the page's own imports and its cold queries), and lists
  the heavy modules each run imported.
- browser: `streamlit run app.py` and `streamlit run bench/floor_app.py` (`?chart=1`: one plotly chart) serve side
  by side; each is opened once (process caches warm, as for a server past its first visitor), then the overview and
  the floor are opened `--runs` times each, interleaved, every visit in a fresh browser context; the time from
  navigation start until the first plotly chart has drawn is printed per visit with the medians and their ratio
  (goal: within 1.3× the floor). `--trace` prints, for one visit of each, the websocket timeline: every message with
  its time since navigation start, its kind (ForwardMsg / BackMsg) and size, so a second run, the element count
  before the chart, or a slow script run shows where it happens.

This prints figures; it never fails on a missed goal.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from data.warehouse import ROOT

FLOOR_APP = ROOT / "bench" / "floor_app.py"
RATIO_GOAL = 1.3
# Modules worth knowing whether a run imported them (seconds at start, or only one page needs them).
HEAVY = ("vietnamadminunits", "geopandas", "shapely", "pyproj", "pyogrio", "openpyxl", "python_calamine", "kaleido",
         "weasyprint", "reports", "data.ingest", "plotly.express", "streamlit.emojis", "scipy", "matplotlib")

_CHART_DRAWN = ("() => { const g = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');"
                " return !!(g && g._fullLayout && g.querySelector('.main-svg')); }")

# Records every websocket message the page receives or sends, with performance.now() (ms since navigation start).
_WS_SPY = """(() => {
  const Native = window.WebSocket;
  window.__ws = [];
  const b64 = (buf) => { const a = new Uint8Array(buf); let s = '';
    for (let i = 0; i < a.length; i += 8192) s += String.fromCharCode.apply(null, a.subarray(i, i + 8192));
    return btoa(s); };
  const record = (dir, data) => { const e = {t: performance.now(), dir, n: 0, b: null}; window.__ws.push(e);
    if (data instanceof ArrayBuffer) { e.n = data.byteLength; e.b = b64(data); }
    else if (data instanceof Blob) { e.n = data.size; data.arrayBuffer().then(x => { e.b = b64(x); }); }
    else if (ArrayBuffer.isView(data)) { e.n = data.byteLength;
      e.b = b64(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)); }
    else if (typeof data === 'string') { e.n = data.length; } };
  function Spy(url, protocols) {
    const ws = protocols === undefined ? new Native(url) : new Native(url, protocols);
    window.__ws.push({t: performance.now(), dir: 'open', n: 0, b: null});
    ws.addEventListener('open', () => window.__ws.push({t: performance.now(), dir: 'opened', n: 0, b: null}));
    ws.addEventListener('message', (ev) => record('in', ev.data));
    const send = ws.send.bind(ws);
    ws.send = (data) => { record('out', data); send(data); };
    return ws;
  }
  Spy.prototype = Native.prototype;
  for (const k of ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED']) Spy[k] = Native[k];
  window.WebSocket = Spy;
})();"""


# --- imports -----------------------------------------------------------------------------------------------------

_IMPORT_PROBE = """
import json, sys, time
t = time.perf_counter()
import app  # noqa: F401  (bare mode: the frame stops at once without a session)
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "heavy": [m for m in HEAVY if m in sys.modules]}))
"""


def import_seconds(runs: int, env: dict[str, str]) -> tuple[float, list[str]]:
    """Median seconds of `import app` in a fresh interpreter, and the `HEAVY` modules it imported."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", f"HEAVY = {HEAVY!r}\n{_IMPORT_PROBE}"], cwd=ROOT, env=env,
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return statistics.median(r["seconds"] for r in results), results[-1]["heavy"]


# --- pages -------------------------------------------------------------------------------------------------------

def _page_run(script: str | None) -> dict[str, Any]:
    """In this (fresh) process: the app's first run (the overview), then `script`'s first run; seconds and the heavy
    modules each imported."""
    from streamlit.testing.v1 import AppTest

    from bench.bench_pages import PAGE_QUERY

    def heavy() -> set[str]:
        return {m for m in HEAVY if m in sys.modules}

    before = heavy()
    t0 = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for name, value in PAGE_QUERY.get(script or "", {}).items():
        at.query_params[name] = value
    at.run()
    first = time.perf_counter() - t0
    after_first = heavy()
    result: dict[str, Any] = {"first": first, "first_heavy": sorted(after_first - before),
                              "errors": [e.value for e in at.exception]}
    if script:
        at.switch_page(script)
        t0 = time.perf_counter()
        at.run()
        result["page"] = time.perf_counter() - t0
        result["page_heavy"] = sorted(heavy() - after_first)
        result["errors"] += [e.value for e in at.exception]
    return result


def cold_pages(env: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per page (the import page included), its first run in a fresh process after the overview's (see `_page_run`)."""
    from dashboard.navigation import registered_pages

    results = {}
    for entry in [None, *registered_pages(can_write=True)[1:]]:
        script = entry.path if entry else None
        out = subprocess.run([sys.executable, "-m", "bench.bench_start", "--one-page", script or ""], cwd=ROOT,
                             env=env, check=True, capture_output=True, text=True).stdout
        results[script or "pages/overview.py"] = json.loads(out.strip().splitlines()[-1])
    return results


# --- browser -----------------------------------------------------------------------------------------------------

def _visit(browser: Any, url: str, timeout_s: float = 60) -> tuple[float, list[dict[str, Any]]]:
    """Open `url` in a fresh context: seconds from navigation start until the first plotly chart has drawn, and the
    websocket messages until then."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        context.add_init_script(_WS_SPY)
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function(_CHART_DRAWN, timeout=timeout_s * 1000, polling="raf")
        seconds = page.evaluate("performance.now()") / 1000
        page.wait_for_timeout(300)  # the Blob reads of the last messages
        messages = page.evaluate("window.__ws || []")
        marks = page.evaluate("(() => { const n = performance.getEntriesByType('navigation')[0];"
                              " return {response: n.responseEnd, dom: n.domContentLoadedEventEnd}; })()")
        messages.append({"t": marks["response"], "dir": "html", "n": 0, "b": None})
        messages.append({"t": marks["dom"], "dir": "dom", "n": 0, "b": None})
        messages.append({"t": seconds * 1000, "dir": "chart", "n": 0, "b": None})
        # the scripts, styles and fonts the page fetched: when each was asked for (`get`) and arrived (`got`)
        for r in page.evaluate("performance.getEntriesByType('resource').map(r => ({name: r.name, start: r.startTime,"
                               " end: r.responseEnd, size: r.encodedBodySize}))"):
            name = r["name"].rsplit("/", 1)[-1][:48]
            messages.append({"t": r["start"], "dir": "get", "n": r["size"], "b": None, "name": name})
            messages.append({"t": r["end"], "dir": "got", "n": r["size"], "b": None, "name": name})
        return seconds, sorted(messages, key=lambda m: m["t"])
    finally:
        context.close()


def describe(message: dict[str, Any]) -> str:
    """A websocket message in a few words: a ForwardMsg's kind (a delta's element type and position), a BackMsg's."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if message["dir"] in ("get", "got"):
        return message["name"]
    if message["dir"] not in ("in", "out") or not message["b"]:
        return ""
    raw = base64.b64decode(message["b"])
    msg: Any = ForwardMsg() if message["dir"] == "in" else BackMsg()
    try:
        msg.ParseFromString(raw)
    except Exception:  # noqa: BLE001 — a frame that is not one message
        return "?"
    kind = msg.WhichOneof("type")
    if kind == "delta":
        delta = msg.delta
        which = delta.WhichOneof("type")
        what = delta.new_element.WhichOneof("type") if which == "new_element" else which
        path = "/".join(str(p) for p in msg.metadata.delta_path)
        return f"delta {what} @{path}"
    if kind == "rerun_script":
        r = msg.rerun_script
        return f"rerun_script page={r.page_name!r} query={r.query_string[:60]!r}"
    if kind == "script_finished":
        return f"script_finished {msg.script_finished}"
    return kind or "?"


def browser_first_chart(db: Path, runs: int, trace: bool) -> dict[str, Any]:
    """First-chart seconds of the overview and of the floor page, interleaved (see the module docstring)."""
    from bench.bench_pages import chromium, serving

    with ExitStack() as stack:
        app_url = stack.enter_context(serving(db))
        floor_url = stack.enter_context(serving(db, str(FLOOR_APP.relative_to(ROOT))))
        browser = stack.enter_context(chromium())
        links = {"overview": app_url + "/", "floor": floor_url + "/?chart=1"}
        for link in links.values():  # the process's first visit: imports and per-process caches (the overview's
            _visit(browser, link, timeout_s=300)  # small-cell audit takes tens of seconds on a busy machine)
        times: dict[str, list[float]] = {name: [] for name in links}
        traces: dict[str, list[dict[str, Any]]] = {}
        for i in range(runs):
            order = list(links) if i % 2 == 0 else list(reversed(links))
            for name in order:
                seconds, messages = _visit(browser, links[name])
                times[name].append(seconds)
                traces.setdefault(name, messages)
    medians = {name: statistics.median(t) for name, t in times.items()}
    return {"times": times, "medians": medians, "ratio": medians["overview"] / medians["floor"],
            "traces": traces if trace else {}}


def print_trace(name: str, messages: list[dict[str, Any]]) -> None:
    print(f"\n  websocket timeline, {name} (ms since navigation start)")
    for m in messages:
        print(f"  {m['t']:8.0f}  {m['dir']:<6} {m['n']:>7} B  {describe(m)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_start")
    parser.add_argument("--db", type=Path, help="warehouse (default: bench/out/pages-1x.duckdb, built if missing)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-imports", action="store_true")
    parser.add_argument("--no-pages", action="store_true")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--trace", action="store_true", help="print one websocket timeline of each page")
    parser.add_argument("--one-page", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one_page is not None:
        print(json.dumps(_page_run(args.one_page or None)))
        return 0

    if args.db is None:
        from bench.bench_pages import warehouse

        args.db = warehouse(1)
    env = {**os.environ, "POVERTY_DB": str(args.db), "POVERTY_ALLOW_IMPORT": "1"}
    env.pop("BOUNDARIES_DIR", None)

    if not args.no_imports:
        seconds, heavy = import_seconds(args.runs, env)
        print(f"import app: {seconds:.3f} s (median of {args.runs}); heavy modules: {', '.join(heavy) or 'none'}")

    if not args.no_pages:
        print(f"\n{'page':<26} {'1st run s':>9} {'page s':>7}  heavy modules imported (first run | page run)")
        for script, r in cold_pages(env).items():
            page = f"{r['page']:>7.3f}" if "page" in r else f"{'':>7}"
            error = f"  ERROR {r['errors'][0][:60]}" if r["errors"] else ""
            print(f"{script:<26} {r['first']:>9.3f} {page}  {', '.join(r['first_heavy']) or '-'} | "
                  f"{', '.join(r.get('page_heavy', [])) or '-'}{error}", flush=True)

    if not args.no_browser:
        result = browser_first_chart(args.db, args.runs, args.trace)
        print("\nfirst chart in Chromium (s since navigation start, fresh context per visit, interleaved)")
        for name, times in result["times"].items():
            print(f"  {name:<9} median {result['medians'][name]:.3f}   " + " ".join(f"{t:.3f}" for t in times))
        print(f"  ratio overview / floor: {result['ratio']:.2f} (goal ≤ {RATIO_GOAL})")
        for name, messages in result["traces"].items():
            print_trace(name, messages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
