"""The deployment of compose.yaml as plain processes on this machine's loopback: N viewer replicas, the analyst
replica and Caddy in front, started, watched and stopped together. The tests start exactly this (README,
"Deployment").

    python -m deploy.serve --replicas N --port P [--db PATH] [--logs DIR] [--state FILE]

- each replica is `python -m deploy.replica` (the containers' command) with the role, port and warehouse in its
  environment, listening on 127.0.0.1 only, on a free port;
- Caddy runs deploy/Caddyfile (the file compose mounts into the caddy container) on http://127.0.0.1:P: `/` to the
  viewers with cookie-sticky sessions and health checks, `/analyst/` to the analyst replica;
- it waits until every replica answers its health check and the proxy answers for both paths, then prints
  `ready http://127.0.0.1:P` and, with `--state`, writes the processes (role, port, pid, log) as JSON;
- a replica that exits is started again after a second (compose: `restart: unless-stopped`); if Caddy exits,
  everything stops;
- SIGTERM, SIGINT or SIGHUP stop every child (SIGTERM, then SIGKILL after 10 s) and end with exit code 0.

The warehouse is `--db`, else $POVERTY_DB, else data/baclieu.duckdb. Logs go to `--logs` (default: a new temporary
folder, printed). The replicas' Streamlit settings are those of deploy/streamlit.env and deploy/replica.py only: a
STREAMLIT_* variable in this launcher's environment is not passed on (compose sets none either). CADDY_LB_SECRET, if
set, is the sticky cookie's key; otherwise a random one per run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from data.warehouse import absolute, db_path
from deploy.replica import ANALYST_BASE_PATH, ROOT

CADDYFILE = Path(__file__).with_name("Caddyfile")
HOST = "127.0.0.1"
LB_COOKIE = "poverty_lb"
STOP_GRACE = 10.0
RESTART_DELAY = 1.0


def replica_command(python: str = sys.executable) -> list[str]:
    """What every replica runs: the same command as the containers of compose.yaml."""
    return [python, "-m", "deploy.replica"]


def caddy_command(caddy: str = "caddy") -> list[str]:
    """Caddy on deploy/Caddyfile, as the official image runs it (`caddy run --config … --adapter caddyfile`)."""
    return [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"]


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def replica_env(base: dict[str, str], role: str, port: int, db: Path, public_url: str) -> dict[str, str]:
    """The environment of one replica process (what compose.yaml gives a container, plus the loopback address)."""
    return {**base, "POVERTY_REPLICA_ROLE": role, "POVERTY_DB": str(db), "POVERTY_PUBLIC_URL": public_url,
            "STREAMLIT_SERVER_PORT": str(port), "STREAMLIT_SERVER_ADDRESS": HOST, "PYTHONUNBUFFERED": "1"}


def caddy_env(base: dict[str, str], public_url: str, viewers: list[int], analyst: int, secret: str,
              state_dir: Path) -> dict[str, str]:
    """The placeholders deploy/Caddyfile reads, for replicas on loopback (compose.yaml sets the same names)."""
    return {**base, "POVERTY_PUBLIC_URL": public_url, "CADDY_BIND": HOST,
            "VIEWER_UPSTREAMS": " ".join(f"{HOST}:{p}" for p in viewers), "ANALYST_UPSTREAM": f"{HOST}:{analyst}",
            "CADDY_LB_SECRET": secret,
            # Caddy's own storage (certificates, autosaved config) stays inside this run's folder
            "XDG_DATA_HOME": str(state_dir / "caddy-data"), "XDG_CONFIG_HOME": str(state_dir / "caddy-config")}


@dataclass
class Child:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    role: str = ""
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    restarts: int = 0
    _out: IO[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        if self._out:
            self._out.close()
        self._out = self.log.open("ab")
        # Same process group as this launcher: a Ctrl-C in a terminal, or a signal to the group, reaches all.
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self._out,
                                        stderr=subprocess.STDOUT)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def terminate(self) -> None:
        if self.running():
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        if self.process is None:
            return
        try:
            self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        if self._out:
            self._out.close()

    def health_url(self, base: str | None = None) -> str:
        prefix = f"/{ANALYST_BASE_PATH}" if self.role == "analyst" else ""
        return f"{base or f'http://{HOST}:{self.port}'}{prefix}/_stcore/health"

    def describe(self) -> dict[str, object]:
        return {"name": self.name, "role": self.role, "port": self.port,
                "pid": self.process.pid if self.process else None, "log": str(self.log), "restarts": self.restarts}


def healthy(url: str, timeout: float = 5.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


class Topology:
    """The replicas and the proxy of one run."""

    def __init__(self, replicas: int, port: int, db: Path, logs: Path, environ: dict[str, str]) -> None:
        self.url = f"http://{HOST}:{port}"
        self.logs = logs
        base = {k: v for k, v in environ.items() if not k.startswith("STREAMLIT_")}
        self.secret = environ.get("CADDY_LB_SECRET") or secrets.token_hex(16)
        self.replicas: list[Child] = []
        for i in range(replicas):
            viewer_port = free_port()
            self.replicas.append(Child(f"viewer-{i + 1}", replica_command(),
                                       replica_env(base, "viewer", viewer_port, db, self.url),
                                       logs / f"viewer-{i + 1}.log", role="viewer", port=viewer_port))
        analyst_port = free_port()
        self.replicas.append(Child("analyst", replica_command(), replica_env(base, "analyst", analyst_port, db,
                                                                             self.url),
                                   logs / "analyst.log", role="analyst", port=analyst_port))
        caddy = shutil.which("caddy")
        if caddy is None:
            raise SystemExit("caddy not found: apt-get install caddy (Debian's package; `bash .ci/run` installs it)")
        self.proxy = Child("caddy", caddy_command(caddy),
                           caddy_env(base, self.url, [c.port for c in self.viewers], analyst_port, self.secret, logs),
                           logs / "caddy.log", role="proxy", port=port)

    @property
    def viewers(self) -> list[Child]:
        return [c for c in self.replicas if c.role == "viewer"]

    @property
    def children(self) -> list[Child]:
        return [*self.replicas, self.proxy]

    def start(self) -> None:
        for child in self.children:
            child.start()

    def wait_ready(self, stopping: threading.Event, timeout: float) -> bool:
        """True once every replica and both proxy paths answer "ok"; False if stopped, timed out or a child died."""
        deadline = time.monotonic() + timeout
        pending = [c.health_url() for c in self.replicas]
        pending += [f"{self.url}/_stcore/health", f"{self.url}/{ANALYST_BASE_PATH}/_stcore/health"]
        while pending and time.monotonic() < deadline and not stopping.is_set():
            dead = [c.name for c in self.children if not c.running()]
            if dead:
                print(f"serve: {', '.join(dead)} exited during start-up; logs in {self.logs}", file=sys.stderr)
                return False
            pending = [url for url in pending if not healthy(url, timeout=2)]
            if pending:
                stopping.wait(0.3)
        return not pending

    def state(self) -> dict[str, object]:
        return {"url": self.url, "lb_cookie": LB_COOKIE, "logs": str(self.logs),
                "viewers": [c.describe() for c in self.viewers],
                "analyst": next(c.describe() for c in self.replicas if c.role == "analyst"),
                "proxy": self.proxy.describe()}

    def stop(self) -> None:
        for child in self.children:
            child.terminate()
        deadline = time.monotonic() + STOP_GRACE
        for child in self.children:
            child.wait(deadline)


def write_state(path: Path | None, state: dict[str, object]) -> None:
    if path is None:
        return
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(state, indent=2), encoding="utf-8")
    tmp.replace(path)  # a reader never sees half a file


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="viewer replicas (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="the proxy's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--db", type=Path, help="the warehouse (default $POVERTY_DB, else data/baclieu.duckdb)")
    parser.add_argument("--logs", type=Path, help="folder for the processes' logs (default: a new temporary one)")
    parser.add_argument("--state", type=Path, help="write the processes (role, port, pid, log) here as JSON")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds to wait for health (default 180)")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    db = absolute(args.db or db_path())  # not resolved: the name may be a link to the current version
    if not db.exists():
        parser.error(f"no warehouse at {db}: build one with `python -m data.build --db {db}`")
    logs = (args.logs or Path(tempfile.mkdtemp(prefix="poverty-serve-"))).resolve()
    logs.mkdir(parents=True, exist_ok=True)

    stopping = threading.Event()
    received: list[int] = []

    def on_signal(signum: int, _frame: object) -> None:
        received.append(signum)
        stopping.set()

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, on_signal)

    topology = Topology(args.replicas, args.port, db, logs, dict(os.environ))
    print(f"serve: {args.replicas} viewer replica(s), 1 analyst, caddy on {topology.url}; logs in {logs}",
          flush=True)
    topology.start()
    code = 0
    try:
        if not topology.wait_ready(stopping, args.timeout):
            if not stopping.is_set():
                print(f"serve: not healthy after {args.timeout:.0f} s or a process exited; logs in {logs}",
                      file=sys.stderr, flush=True)
                code = 1
            return code
        write_state(args.state, topology.state())
        print(f"ready {topology.url}  (analyst: {topology.url}/{ANALYST_BASE_PATH}/)", flush=True)
        while not stopping.wait(0.5):
            if not topology.proxy.running():
                print(f"serve: caddy exited with {topology.proxy.process.returncode}; stopping", file=sys.stderr,
                      flush=True)
                code = 1
                break
            for child in topology.replicas:
                if not child.running() and not stopping.is_set():
                    print(f"serve: {child.name} exited with {child.process.returncode}; starting it again",
                          file=sys.stderr, flush=True)
                    stopping.wait(RESTART_DELAY)
                    if stopping.is_set():
                        break
                    child.restarts += 1
                    child.start()
                    write_state(args.state, topology.state())
        return code
    finally:
        topology.stop()
        if received:
            print(f"serve: stopped on signal {signal.Signals(received[0]).name}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
