"""The deployment as README "Deployment" starts it: its two commands, read from the README and run as written, with
this run's warehouse path and a free port — the demo warehouse, then `python -m deploy.serve --replicas 2` (viewer
replicas, the analyst replica and Debian's caddy on loopback).

Every test here is in the xdist group "deploy": one worker starts the topology once and runs them all.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from deploy import auth_secrets
from tests.browser.server import REPO, free_port, oidc_provider, stop

README = REPO / "README.md"
LB_SECRET = "test-sticky-cookie-key"
# The provider's accounts (sub, ID token claims) and the analyst replica's allow-list.
SIGN_IN_USERS = [("analyst", {"email": "analyst@soldtbxh.baclieu.gov.vn", "email_verified": True, "name": "Phân Tích"}),
                 ("partner", {"email": "partner@example.org", "email_verified": True, "name": "Đối Tác"})]
WRITERS = "@soldtbxh.baclieu.gov.vn"  # CADDY_LB_SECRET for this run: lets a test read which replica a cookie names


def readme_commands() -> dict[str, list[str]]:
    """The commands of the first ```bash block of README's "Deployment" section that start with `python -m`, by
    module: {"data.build": argv, "deploy.serve": argv}."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Deployment\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README's Deployment section has no ```bash block"
    commands = {}
    for line in block.group(1).splitlines():
        argv = line.split("#", 1)[0].split()
        if argv[:2] == ["python", "-m"]:
            commands[argv[2]] = argv
    return commands


def as_run(argv: list[str], **values: str) -> list[str]:
    """`argv` with `python` → this interpreter and each `--name value` given in `values` replaced."""
    out = [sys.executable if argv[0] == "python" else argv[0], *argv[1:]]
    for name, value in values.items():
        flag = f"--{name}"
        assert flag in out, f"{' '.join(argv)} has no {flag}"
        out[out.index(flag) + 1] = value
    return out


def cookie_for(port: int, secret: str = LB_SECRET) -> str:
    """The value of Caddy's sticky cookie that names the upstream 127.0.0.1:`port` (HMAC-SHA256 of the address)."""
    return hmac.new(secret.encode(), f"127.0.0.1:{port}".encode(), hashlib.sha256).hexdigest()


@dataclass
class Replica:
    role: str
    port: int
    pid: int


@dataclass
class Deployment:
    url: str
    process: subprocess.Popen[bytes]
    output: Path
    db: Path

    def replicas(self) -> list[Replica]:
        """The replica processes `deploy.serve` runs now (role and port from their environment)."""
        found = []
        for child in psutil.Process(self.process.pid).children():
            try:
                env = child.environ()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            if "POVERTY_REPLICA_ROLE" in env and child.status() != psutil.STATUS_ZOMBIE:
                found.append(Replica(env["POVERTY_REPLICA_ROLE"], int(env["STREAMLIT_SERVER_PORT"]), child.pid))
        return found

    def viewers(self) -> list[Replica]:
        return sorted((r for r in self.replicas() if r.role == "viewer"), key=lambda r: r.port)

    def log(self) -> str:
        return self.output.read_text(encoding="utf-8", errors="replace")


def start_serve(argv: list[str], output: Path, timeout: float = 180.0,
                extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `deploy.serve` (its own process group) with `extra_env` added, and wait for its "ready" line."""
    env = {**os.environ, "CADDY_LB_SECRET": LB_SECRET, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    env.pop("BOUNDARIES_DIR", None)
    with output.open("wb") as out:
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = output.read_text(encoding="utf-8", errors="replace")
        if "\nready http" in "\n" + text:
            return process
        if process.poll() is not None:
            raise RuntimeError(f"deploy.serve exited with {process.returncode}:\n{text}")
        time.sleep(0.3)
    stop(process)
    raise RuntimeError(f"deploy.serve not ready after {timeout:.0f} s:\n{output.read_text()}")


@pytest.fixture(scope="session")
def deploy_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """README's build command (20,000 households) into a temporary file."""
    db = tmp_path_factory.mktemp("deploy-warehouse") / "poverty.duckdb"
    subprocess.run(as_run(readme_commands()["data.build"], db=str(db)), cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    return db


@pytest.fixture(scope="session")
def deployment(deploy_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    """README's `python -m deploy.serve --replicas 2 …`, on a free port, with sign-in on the analyst replica against a
    real OpenID Connect provider on loopback (`oidc-provider-mock`, users `SIGN_IN_USERS`; the variables of README's
    table, `deploy.auth_secrets`); stopped at the end of the session."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    output = tmp_path_factory.mktemp("deploy-serve") / "serve.out"
    argv = as_run(readme_commands()["deploy.serve"], db=str(deploy_warehouse), port=str(port))
    with oidc_provider(SIGN_IN_USERS) as provider:
        process = start_serve(argv, output, extra_env={
            auth_secrets.METADATA_URL: f"{provider}/.well-known/openid-configuration",
            auth_secrets.REDIRECT_URI: f"{url}/analyst/oauth2callback",
            auth_secrets.CLIENT_ID: "poverty-dashboard",
            auth_secrets.CLIENT_SECRET: secrets.token_urlsafe(16),
            auth_secrets.COOKIE_SECRET: secrets.token_urlsafe(32),
            "POVERTY_WRITERS": WRITERS,
        })
        try:
            yield Deployment(url=url, process=process, output=output, db=deploy_warehouse)
        finally:
            stop(process)
