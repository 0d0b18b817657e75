"""Where a replica's time goes under load: one viewer replica (`deploy.replica` settings) run inside a sampling
profiler, a burst of protocol-level sessions (bench/bench_load.py's links), and the samples sorted into kinds of work.

    python -m bench.profile_replica [--sessions 50] [--scale 1] [--interval 0.005] [--patch FILE.py] [--sequential]

A development tool (not part of `make bench`): a stdlib sampler, no profiler package. A thread of the replica reads
every thread's stack every `interval` seconds; a sample is counted for a thread that is not waiting (in a lock,
a queue, a selector). Each busy sample goes to the first kind of work found walking its stack from the innermost
frame out (plotly's JSON encoding before plotly's figure objects before the page code that called them, …).
Samples are taken only during the burst (after every link was opened once: query results cached). Per-session
milliseconds = the kind's share of the busy samples × the replica's CPU time during the burst ÷ sessions (with
many script threads waiting for the GIL, shares are the meaningful figure; CPU time gives them a scale).
`--sequential` opens the sessions one after another instead of all at once: the cost of a session without the
contention of a burst (steadier figures on a shared machine). `--patch FILE.py` runs that file in the replica's
process before Streamlit starts: a way to measure a proposed change (a cache, an option) without editing the code.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from data.warehouse import ROOT

# (kind, path fragments): the first kind whose fragment is in a frame's file name, innermost frame first.
KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("plotly JSON encoding", ("plotly/io/_json.py", "_plotly_utils/utils.py")),
    ("plotly figure objects", ("/plotly/", "/_plotly_utils/")),
    ("SQL (DuckDB)", ("/queries/sql.py", "/duckdb/")),
    ("st.cache_data (hash, pickle copy)", ("streamlit/runtime/caching/",)),
    ("download files (CSV/XLSX)", ("/openpyxl/", "/data/cells.py", "/dashboard/download.py", "/xlsxwriter/")),
    ("tables to Arrow", ("/pyarrow/", "streamlit/dataframe_util.py", "streamlit/elements/arrow.py",
                         "streamlit/elements/lib/column_config_utils.py", "streamlit/elements/lib/pandas_styler")),
    ("boundary geometry", ("/geo/", "/dashboard/geometry.py", "/shapely/")),
    ("translation (i18n)", ("/i18n/",)),
    ("pandas", ("/pandas/", "/numpy/")),
    ("page code (app, pages, dashboard)", ("/dashboard/", "/pages/", "/app.py")),
    ("protobuf / websocket send", ("/google/protobuf/", "/websockets/", "/starlette/", "/uvicorn/",
                                   "streamlit/runtime/forward_msg", "streamlit/web/server/")),
    ("Streamlit runtime", ("/streamlit/",)),
)
# A thread whose innermost frame is one of these standard-library waits is idle, not working.
IDLE_FILES = ("/threading.py", "/queue.py", "/selectors.py", "/asyncio/", "/socket.py", "/concurrent/futures/thread.py",
              "/multiprocessing/")


# Python functions whose time is a sleep in C (the innermost Python frame is theirs): Streamlit's polling watcher of
# config.toml and secrets.toml, which runs even with server.fileWatcherType = none.
IDLE_FUNCTIONS = {("polling_path_watcher.py", "task")}


def idle(frame: object) -> bool:
    name = frame.f_code.co_filename  # type: ignore[attr-defined]
    return any(part in name for part in IDLE_FILES) or (Path(name).name, frame.f_code.co_name) in IDLE_FUNCTIONS


PROJECT = str(ROOT) + "/"


def classify(frame: object) -> tuple[str, str, str]:
    """(kind of work, the innermost project function on the stack, the innermost three frames)."""
    stack = []
    while frame is not None:
        stack.append(frame)
        frame = frame.f_back  # type: ignore[attr-defined]
    kind = next((kind for f in stack for kind, fragments in KINDS
                 if any(fragment in f.f_code.co_filename for fragment in fragments)), "other")
    own = next((f"{f.f_code.co_filename.removeprefix(PROJECT)}:{f.f_code.co_name}" for f in stack
                if f.f_code.co_filename.startswith(PROJECT) and "/bench/" not in f.f_code.co_filename), "-")
    chain = " < ".join(f"{Path(f.f_code.co_filename).name}:{f.f_code.co_name}" for f in stack[:3])
    return kind, own, chain


class Sampler:
    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.kinds: collections.Counter[str] = collections.Counter()
        self.threads: collections.Counter[str] = collections.Counter()
        self.leaves: collections.Counter[str] = collections.Counter()
        self.own: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self.on = False
        self._me = None

    def run(self) -> None:
        self._me = threading.get_ident()
        while True:
            time.sleep(self.interval)
            if not self.on:
                continue
            names = {t.ident: t.name for t in threading.enumerate()}
            self.samples += 1
            for ident, frame in sys._current_frames().items():
                if ident == self._me or idle(frame):
                    continue
                group = "script runs" if "ScriptRunner" in names.get(ident, "") else "server (event loop, others)"
                kind, own, chain = classify(frame)
                self.threads[group] += 1
                self.kinds[(group, kind)] += 1  # type: ignore[index]
                self.leaves[f"[{group.split()[0]}] {chain}"] += 1
                if group == "script runs":
                    self.own[own] += 1

    def dump(self, path: Path) -> None:
        path.write_text(json.dumps({
            "samples": self.samples, "interval": self.interval,
            "threads": dict(self.threads),
            "kinds": [[g, k, n] for (g, k), n in self.kinds.most_common()],
            "leaves": self.leaves.most_common(40), "own": self.own.most_common(30)}), encoding="utf-8")


def serve(out: Path, interval: float, patch: Path | None = None) -> None:
    """In the replica's process: start the sampler, run `patch`, then Streamlit (settings from the environment)."""
    if patch:
        exec(compile(patch.read_text(encoding="utf-8"), str(patch), "exec"), {"__name__": "patch"})  # noqa: S102
    sampler = Sampler(interval)
    threading.Thread(target=sampler.run, name="sampler", daemon=True).start()

    def start(_signum: int, _frame: object) -> None:
        sampler.kinds.clear()
        sampler.threads.clear()
        sampler.leaves.clear()
        sampler.own.clear()
        sampler.samples = 0
        sampler.on = True

    def stop(_signum: int, _frame: object) -> None:
        sampler.on = False
        sampler.dump(out)

    signal.signal(signal.SIGUSR2, start)
    signal.signal(signal.SIGUSR1, stop)
    from streamlit.web import cli

    os.chdir(ROOT)
    sys.argv = ["streamlit", "run", str(ROOT / "app.py")]
    cli.main()


def sequence(url: str, sessions: int, timeout: float) -> dict[str, object]:
    """`sessions` visits of bench_load's links, one after another: times to the first chart and errors."""
    from bench.bench_load import LINKS, percentile
    from tests.deploy.protocol import visit_sync

    visits = [visit_sync(url + LINKS[i % len(LINKS)], timeout=timeout) for i in range(sessions)]
    charts = [v.first_chart for v in visits if v.first_chart is not None]
    return {"p50": percentile(charts, 50), "p95": percentile(charts, 95),
            "errors": sum(v.outcome != "finished" or bool(v.errors) for v in visits)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_replica")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.005)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--sequential", action="store_true", help="one session after another, not all at once")
    parser.add_argument("--patch", type=Path, help="a Python file run in the replica before Streamlit starts")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve:
        serve(args.serve, args.interval, args.patch)
        return 0

    import psutil

    from bench.bench_load import LINKS, burst, warm
    from bench.bench_pages import warehouse
    from deploy.replica import replica_environment
    from deploy.serve import free_port, replica_env
    from tests.browser.server import stop, wait_healthy

    db = warehouse(args.scale)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    base = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env = replica_environment(replica_env(base, "viewer", port, db, url))
    with tempfile.TemporaryDirectory(prefix="profile-replica-") as tmp:
        out, log = Path(tmp) / "samples.json", Path(tmp) / "replica.log"
        with log.open("wb") as handle:
            command = [sys.executable, "-m", "bench.profile_replica", "--serve", str(out), "--interval",
                       str(args.interval)] + (["--patch", str(args.patch.resolve())] if args.patch else [])
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        try:
            wait_healthy(process, url, log, timeout=180)
            warm([port], args.timeout)
            proc = psutil.Process(process.pid)
            process.send_signal(signal.SIGUSR2)
            cpu = sum(proc.cpu_times()[:2])
            load = os.getloadavg()[0]
            result = sequence(url, args.sessions, args.timeout) if args.sequential else burst(url, args.sessions,
                                                                                               args.timeout)
            cpu = sum(proc.cpu_times()[:2]) - cpu
            process.send_signal(signal.SIGUSR1)
            deadline = time.monotonic() + 30
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            samples = json.loads(out.read_text(encoding="utf-8"))
        finally:
            stop(process)
    busy = sum(samples["threads"].values())
    how = "one after another" if args.sequential else "all at once"
    print(f"{args.sessions} sessions ({how}) over {len(LINKS)} links, one replica: p50 {result['p50']:.2f} s, p95 "
          f"{result['p95']:.2f} s, errors {result['errors']}; replica CPU {cpu:.1f} s = "
          f"{1000 * cpu / args.sessions:.0f} ms per session; load average {load:.1f}; {samples['samples']} sampling "
          f"rounds, {busy} busy samples")
    print(f"\n{'thread group':<30} {'kind of work':<36} {'share':>6} {'ms/session':>10}")
    for group, kind, n in samples["kinds"]:
        share = n / busy
        print(f"{group:<30} {kind:<36} {100 * share:>5.1f}% {1000 * cpu * share / args.sessions:>10.0f}")
    script = samples["threads"].get("script runs", 0) or 1
    print("\nscript threads, by the innermost project function on the stack (share of script samples, ms/session):")
    for own, n in samples["own"]:
        print(f"  {100 * n / script:>5.1f}% {1000 * cpu * n / busy / args.sessions:>6.0f}  {own}")
    print("\ninnermost frames, [script] or [server] thread (samples):")
    for leaf, n in samples["leaves"]:
        print(f"  {n:>6}  {leaf}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
