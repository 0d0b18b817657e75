"""Load on the running server: many visitors opening links at once, with protocol-level Streamlit clients (no
browsers; tests/deploy/protocol.py), against one replica directly and against two replicas behind the proxy of
`python -m deploy.serve`. Loopback only; every run is bounded in sessions and in time.

    python -m bench.bench_load [--levels 10 25 50 100] [--setups direct proxy] [--timeout 90] [--scale 1]

Each session opens one of a fixed list of links (overview, trajectories, commune map; different districts, areas,
groups, years, languages), opens the websocket, asks for the script run and reads until the run ends. Per level, all
sessions start together; the figures are the time from the start of a session (its HTTP request) to its first plotly
chart — p50, p95, max — and the errors: a session that shows an exception or an error box, is refused, is cut off,
or has no chart within `--timeout`. Before measuring, every link is opened once on every replica, so the figures are
those of a server past its first visitors (query results cached), which is the work every visitor repeats.

Goals (issue 9): no error at any level; p95 under 3 s at 50 sessions with 2 replicas on this 2-core machine.
The client shares the machine with the server; its CPU time and the load average are printed with the figures.
Results: printed, and written to bench/out/load-<time>.json and .txt. This never fails on a missed goal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.bench_pages import OUT, warehouse
from data.warehouse import ROOT

LEVELS = (10, 25, 50, 100)
GOAL_LEVEL, GOAL_P95 = 50, 3.0
# Links a partner might share: every page with a chart, different filters. Sessions take them in turn.
LINKS = (
    "/",
    "/?year=2024&lang=en",
    "/?district=956&district=958&area=rural",
    "/?group=khmer&year=2023",
    "/trajectories",
    "/trajectories?district=957&year=2024",
    "/trajectories?area=urban&lang=en",
    "/trajectories?group=minority&district=961",
    "/commune_map",
    "/commune_map?metric=near_poor_rate&year=2023",
    "/commune_map?district=960&area=rural",
    "/commune_map?metric=change_since_baseline&lang=en",
)


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


async def _burst(base: str, sessions: int, timeout: float) -> list:
    from tests.deploy.protocol import visit

    urls = [base + LINKS[i % len(LINKS)] for i in range(sessions)]
    return await asyncio.gather(*(visit(url, timeout=timeout) for url in urls))


def burst(base: str, sessions: int, timeout: float) -> dict[str, object]:
    """`sessions` visitors opening links at the same moment; their times to the first chart and their errors."""
    cpu, load, started = time.process_time(), os.getloadavg(), time.perf_counter()
    visits = asyncio.run(_burst(base, sessions, timeout))
    wall = time.perf_counter() - started
    charts = [v.first_chart for v in visits if v.first_chart is not None]
    errors = [v for v in visits if v.outcome != "finished" or v.errors or v.first_chart is None]
    kinds: dict[str, int] = {}
    for v in errors:
        kind = v.errors[0].split(":")[0] if v.errors else v.outcome
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"sessions": sessions, "p50": percentile(charts, 50), "p95": percentile(charts, 95),
            "max": max(charts, default=float("nan")), "errors": len(errors), "error_kinds": kinds,
            "finished_p95": percentile([v.finished for v in visits if v.finished is not None], 95),
            "wall": wall, "client_cpu": time.process_time() - cpu, "load_before": load[0],
            "load_after": os.getloadavg()[0],
            "examples": [f"{v.outcome} {v.detail} {v.errors[:1]}" for v in errors[:3]]}


def warm(ports: list[int], timeout: float) -> None:
    """Open every link once on every replica (directly), one at a time."""
    from tests.deploy.protocol import visit_sync

    for port in ports:
        for link in LINKS:
            visit = visit_sync(f"http://127.0.0.1:{port}{link}", timeout=timeout)
            if visit.outcome != "finished":
                print(f"  warm-up {port}{link}: {visit.outcome} {visit.detail} {visit.errors[:1]}", file=sys.stderr)


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180) -> None:
    from tests.browser.server import wait_healthy

    wait_healthy(process, url, log, timeout=timeout)


@contextmanager
def one_replica(db: Path, logs: Path) -> Iterator[tuple[str, list[int]]]:
    """One viewer replica (`python -m deploy.replica`, the production settings) on a free loopback port."""
    from deploy.serve import free_port, replica_env
    from tests.browser.server import stop

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = replica_env({k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}, "viewer", port, db,
                      url)
    log = logs / "direct.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "deploy.replica"], cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        _wait(url, process, log)
        yield url, [port]
    finally:
        stop(process)


@contextmanager
def behind_proxy(db: Path, logs: Path, replicas: int) -> Iterator[tuple[str, list[int]]]:
    """`python -m deploy.serve --replicas N` (the analyst replica included, idle); its viewer replicas' ports."""
    import psutil

    from deploy.serve import free_port
    from tests.browser.server import stop

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = logs / "serve.out"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "deploy.serve", "--replicas", str(replicas), "--port",
                                    str(port), "--db", str(db), "--logs", str(logs)], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while "ready http" not in log.read_text(errors="replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"deploy.serve did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        ports = []
        for child in psutil.Process(process.pid).children():
            env = child.environ()
            if env.get("POVERTY_REPLICA_ROLE") == "viewer":
                ports.append(int(env["STREAMLIT_SERVER_PORT"]))
        yield url, sorted(ports)
    finally:
        stop(process)


def table(rows: list[dict[str, object]]) -> str:
    lines = [f"{'setup':<22} {'sessions':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7} {'errors':>6} "
             f"{'end p95':>7} {'client cpu':>10} {'load':>11}"]
    for r in rows:
        mark = ""
        if r["sessions"] == GOAL_LEVEL and r["replicas"] == 2:
            mark = "  goal p95 < 3 s: " + ("ok" if r["p95"] < GOAL_P95 and not r["errors"] else "MISSED")
        lines.append(f"{r['setup']:<22} {r['sessions']:>8} {r['p50']:>7.2f} {r['p95']:>7.2f} {r['max']:>7.2f} "
                     f"{r['errors']:>6} {r['finished_p95']:>7.2f} {r['client_cpu']:>9.1f}s "
                     f"{r['load_before']:>5.1f}→{r['load_after']:<5.1f}{mark}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_load")
    parser.add_argument("--levels", type=int, nargs="+", default=list(LEVELS))
    parser.add_argument("--setups", nargs="+", choices=["direct", "proxy"], default=["direct", "proxy"])
    parser.add_argument("--replicas", type=int, default=2, help="viewer replicas behind the proxy (default 2)")
    parser.add_argument("--scale", type=int, default=1, help="warehouse size in provinces (default 1)")
    parser.add_argument("--timeout", type=float, default=90.0, help="seconds a session may take (default 90)")
    args = parser.parse_args(argv)
    if max(args.levels) > 200:
        parser.error("at most 200 sessions at once")
    db = warehouse(args.scale)
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        for setup in args.setups:
            logs = Path(tmp) / setup
            logs.mkdir()
            replicas = 1 if setup == "direct" else args.replicas
            name = "1 replica (direct)" if setup == "direct" else f"{replicas} replicas (proxy)"
            server = one_replica(db, logs) if setup == "direct" else behind_proxy(db, logs, replicas)
            with server as (url, ports):
                warm(ports, args.timeout)
                for sessions in args.levels:
                    time.sleep(2)
                    result = burst(url, sessions, args.timeout)
                    rows.append({"setup": name, "replicas": replicas, **result})
                    print(table([rows[-1]]).splitlines()[-1], flush=True)
    text = table(rows)
    print("\n" + text)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"load-{stamp}.json").write_text(json.dumps({"rows": rows, "cpus": os.cpu_count(), "scale": args.scale,
                                                         "links": LINKS}, indent=2), encoding="utf-8")
    (OUT / f"load-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten: bench/out/load-{stamp}.json, .txt", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
