"""Start and stop the dashboard's Streamlit server and Debian's Chromium: shared by the browser tests and the
page benchmark (bench/bench_pages.py). Nothing here imports pytest."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from playwright.sync_api import Browser, Playwright

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "apt-get install chromium (or run `bash .ci/run`, which installs it)"


class ChromiumMissing(RuntimeError):
    """Debian's Chromium is not installed (Playwright's own browsers are never used)."""


def chromium_path() -> Path:
    """Debian's Chromium: $CHROMIUM_PATH, else `chromium` on the PATH, else /usr/bin/chromium."""
    configured = os.environ.get("CHROMIUM_PATH", "").strip()
    candidates = [configured] if configured else [shutil.which("chromium") or "", "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    where = f"$CHROMIUM_PATH={configured}" if configured else "`chromium` on the PATH or /usr/bin/chromium"
    raise ChromiumMissing(f"Chromium not found ({where}). The browser tests need Debian's Chromium: {INSTALL_HINT}.")


def launch_chromium(playwright: Playwright) -> Browser:
    """Chromium with the flags the sandboxed CI needs; never a Playwright-downloaded browser."""
    return playwright.chromium.launch(executable_path=str(chromium_path()), args=CHROMIUM_ARGS, headless=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_streamlit(db: Path, log: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` on the warehouse `db` in its own process group; return it and its base URL.

    BOUNDARIES_DIR is removed from the environment so the app finds ../shared/geo as a fresh checkout would.
    """
    port = port or free_port()
    env = {**os.environ, "POVERTY_DB": str(db), "PYTHONUNBUFFERED": "1"}
    env.pop("BOUNDARIES_DIR", None)
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    return process, f"http://127.0.0.1:{port}"


def wait_healthy(process: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 60.0) -> None:
    """Poll /_stcore/health until it answers "ok"; fail with the server's log if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode} before it was healthy:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"streamlit not healthy at {url} after {timeout:.0f} s:\n{_tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate the process group started for `process` (SIGTERM, then SIGKILL after 10 s)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def _tail(log: Path, lines: int = 40) -> str:
    try:
        return "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
