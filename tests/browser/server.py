"""Start and stop the dashboard's Streamlit server and Debian's Chromium: shared by the browser tests and the
page benchmark (bench/bench_pages.py). Nothing here imports pytest."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
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


# Settings a developer's shell may carry that would change who may write: a test server starts without them (a
# hosted viewer's server) unless the test passes them in `env`.
ACCESS_SETTINGS = ("POVERTY_ALLOW_IMPORT", "POVERTY_WRITERS", "STREAMLIT_SECRETS_FILES")


def start_streamlit(db: Path, log: Path, port: int | None = None, env: Mapping[str, str] | None = None,
                    script: str = "app.py") -> tuple[subprocess.Popen[bytes], str]:
    """Start `streamlit run app.py` (or another `script` of the repository, such as the bench's floor page) on the
    warehouse `db` in its own process group; return it and its base URL.

    BOUNDARIES_DIR and the access settings (`ACCESS_SETTINGS`) are removed from the inherited environment, so the
    app finds ../shared/geo as a fresh checkout would and nobody may write; `env` adds variables on top.
    """
    port = port or free_port()
    inherited = {k: v for k, v in os.environ.items() if k not in ACCESS_SETTINGS and k != "BOUNDARIES_DIR"}
    env = {**inherited, "POVERTY_DB": str(db), "PYTHONUNBUFFERED": "1", **(env or {})}
    command = [
        sys.executable, "-m", "streamlit", "run", script,
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


@contextmanager
def oidc_provider(users: Sequence[tuple[str, dict[str, object]]]) -> Iterator[str]:
    """A real OpenID Connect provider (PyPI `oidc-provider-mock`) on a free loopback port, in a thread of this process;
    yields its base URL (discovery document at `/.well-known/openid-configuration`).

    `users` are (sub, ID token claims) offered on its authorization form; any client id and secret are accepted.
    """
    import oidc_provider_mock
    import werkzeug.serving

    accounts = [oidc_provider_mock.User(sub=sub, claims=dict(claims)) for sub, claims in users]
    app = oidc_provider_mock.app(user_claims=accounts)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


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
