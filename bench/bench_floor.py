"""The floor under a session's cost: the replica CPU time one visitor costs the dashboard, next to what a Streamlit
page sending the same number of elements and doing nothing else costs, measured in the same run on the same
machine, and their ratio (issue 9: the load goal needs about 0.1 s of replica CPU per session on 2 cores).

    python -m bench.bench_floor [--rounds 4] [--scale 1] [--root DIR]

One viewer replica (`deploy.replica` settings, no profiler) at a time. First every link of bench/bench_load.py is
opened once (query results and figures cached, as for a server past its first visitors) and the elements it sends
are counted by the protocol client; then every link is opened `rounds` times, one visit after another, and the
replica's CPU time (user + system, psutil) over those visits is divided by their number. The floor is
bench/floor_app.py asked for each link's element count (`?elements=N`): the cost of Streamlit itself (session,
script run, deltas, websocket) for a page of that size. `--root DIR` adds a row for another checkout's app.py on
the same warehouse (e.g. main's, exported with `git archive main | tar -x -C DIR`): an A/B in the same period,
since other work on the machine moves every figure. Sequential visits: CPU per session, not latency under a burst.
Results: printed, and written to bench/out/floor-<time>.txt. This never fails.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_pages import OUT, warehouse
from data.warehouse import ROOT

FLOOR_APP = ROOT / "bench" / "floor_app.py"


def _replica(script: Path, cwd: Path, db: Path, log: Path) -> tuple[subprocess.Popen[bytes], str, int]:
    from deploy.replica import replica_environment
    from deploy.serve import free_port, replica_env
    from tests.browser.server import wait_healthy

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env = replica_environment(replica_env(base, "viewer", port, db, url))
    env["PYTHONPATH"] = str(cwd)
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script)], cwd=cwd, env=env,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    wait_healthy(process, url, log, timeout=180)
    return process, url, port


def measure(script: Path, cwd: Path, db: Path, links: list[str], rounds: int, log: Path,
            timeout: float) -> dict[str, object]:
    """Replica CPU per visit (ms) of `script` over `links` opened `rounds` times after one warm-up visit each; the
    element count of each link's warm-up visit; visits that did not finish."""
    import psutil

    from tests.browser.server import stop
    from tests.deploy.protocol import visit_sync

    process, url, _port = _replica(script, cwd, db, log)
    try:
        elements = [len(visit_sync(url + link, timeout=timeout).elements) for link in links]
        proc = psutil.Process(process.pid)
        cpu = sum(proc.cpu_times()[:2])
        visits = [visit_sync(url + link, timeout=timeout) for _ in range(rounds) for link in links]
        cpu = sum(proc.cpu_times()[:2]) - cpu
    finally:
        stop(process)
    failed = sum(v.outcome != "finished" or bool(v.errors) for v in visits)
    return {"ms": 1000 * cpu / len(visits), "elements": elements, "failed": failed}


def main(argv: list[str] | None = None) -> int:
    from bench.bench_load import LINKS

    parser = argparse.ArgumentParser(prog="python -m bench.bench_floor")
    parser.add_argument("--rounds", type=int, default=4, help="visits of every link (default 4)")
    parser.add_argument("--scale", type=int, default=1, help="warehouse size in provinces (default 1)")
    parser.add_argument("--root", type=Path, help="another checkout whose app.py is measured too")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    db = warehouse(args.scale)
    load = os.getloadavg()[0]
    rows: list[tuple[str, dict[str, object]]] = []
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        app = measure(ROOT / "app.py", ROOT, db, list(LINKS), args.rounds, Path(tmp) / "app.log", args.timeout)
        rows.append(("dashboard (this checkout)", app))
        if args.root:
            root = args.root.resolve()
            rows.append((f"dashboard ({root})", measure(root / "app.py", root, db, list(LINKS), args.rounds,
                                                        Path(tmp) / "other.log", args.timeout)))
        floor_links = [f"/?elements={n}" for n in app["elements"]]  # type: ignore[union-attr]
        rows.append(("floor: text elements only", measure(FLOOR_APP, ROOT, db, floor_links, args.rounds,
                                                          Path(tmp) / "floor.log", args.timeout)))
    floor = float(rows[-1][1]["ms"])  # type: ignore[arg-type]
    lines = [f"{'replica running':<40} {'ms/session':>10} {'× floor':>8} {'elements/page':>13} {'failed':>6}"]
    for name, row in rows:
        counts = row["elements"]
        mean = sum(counts) / len(counts)  # type: ignore[arg-type]
        lines.append(f"{name[:40]:<40} {row['ms']:>10.0f} {float(row['ms']) / floor:>8.2f} {mean:>13.1f} "
                     f"{row['failed']:>6}")
    lines.append(f"{len(LINKS)} links × {args.rounds} rounds, one after another; load average {load:.1f} → "
                 f"{os.getloadavg()[0]:.1f}")
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"floor-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    print(f"\nwritten: bench/out/floor-{stamp}.txt", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
