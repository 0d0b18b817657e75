"""One dashboard replica: `python -m deploy.replica` — the command of every container (compose) and of every replica
process `python -m deploy.serve` starts, so the two topologies run the same thing.

    python -m deploy.replica            start Streamlit for the role in $POVERTY_REPLICA_ROLE (viewer by default)
    python -m deploy.replica --check    exit 0 when this container's replica answers its health check (Dockerfile)

What a replica is, from its environment:

- `POVERTY_REPLICA_ROLE` — `viewer` (default) or `analyst`.
  Both: `POVERTY_ALLOW_IMPORT=0` whatever the environment says (the operator setting is for `make run` on loopback).
  viewer: served at `/`; the writers' and readers' lists and the sign-in secrets are removed from its environment: a
  viewer never writes and never holds a secret.
  analyst: served at `/analyst/` (Streamlit `server.baseUrlPath`); the only replica that writes the warehouse;
  `POVERTY_WRITERS`, `POVERTY_READERS` and the sign-in secrets (`POVERTY_OIDC_*`, `POVERTY_AUTH_COOKIE_SECRET`)
  pass through, and `deploy.auth_secrets` turns them into the `[auth]` secrets file Streamlit reads.
- `POVERTY_PUBLIC_URL` — the address people open (`https://host` or, locally, `http://127.0.0.1:8080`): the only
  origin allowed cross-origin requests (CORS), the only host accepted on a websocket, the address Streamlit prints.
- `POVERTY_DB` — the warehouse (read-only for viewers; compose mounts its volume read-only there).
- `STREAMLIT_SERVER_PORT` (default 8501), `STREAMLIT_SERVER_ADDRESS` (default every interface).
- the production Streamlit settings of `deploy/streamlit.env` (compose reads the same file as `env_file`);
  `server.maxUploadSize` is set here to the importer's file limit (`POVERTY_IMPORT_MAX_FILE_MB`, default 64).
"""

from __future__ import annotations

import os
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from data.ingest.limits import Limits
from deploy import auth_secrets

ROOT = Path(__file__).resolve().parents[1]
SETTINGS_FILE = Path(__file__).with_name("streamlit.env")
ROLES = ("viewer", "analyst")
ANALYST_BASE_PATH = "analyst"
DEFAULT_PORT = 8501
# Variables only the analyst replica may hold: who may write, and the sign-in secrets.
SECRET_VARIABLES = (
    "POVERTY_WRITERS",
    "POVERTY_READERS",
    "POVERTY_OIDC_METADATA_URL",
    "POVERTY_OIDC_CLIENT_ID",
    "POVERTY_OIDC_CLIENT_SECRET",
    "POVERTY_OIDC_REDIRECT_URI",
    "POVERTY_AUTH_COOKIE_SECRET",
    "POVERTY_OIDC_SCOPES",
)


def read_env_file(path: Path = SETTINGS_FILE) -> dict[str, str]:
    """`KEY=VALUE` lines of an env file as compose reads them (`#` comments and blank lines skipped, no quoting)."""
    settings = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier() or value != value.strip() or value[:1] in {'"', "'"}:
            raise ValueError(f"{path.name}, line {number}: expected KEY=value without quotes or spaces: {line!r}")
        settings[key.strip()] = value
    return settings


def public_origin(url: str) -> tuple[str, str, int]:
    """`https://Host:443/` → ("https://host", "host", 443): the origin a browser sends, its host name and port.

    Raises ValueError for anything but an http(s) origin (no path, query, user or fragment).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.path.strip("/") or parts.query \
            or parts.fragment or parts.username or parts.password:
        raise ValueError(f"POVERTY_PUBLIC_URL={url!r}: expected an origin such as https://dashboard.example.vn")
    default = 443 if parts.scheme == "https" else 80
    port = parts.port or default
    host = parts.hostname
    netloc = f"[{host}]" if ":" in host else host
    origin = f"{parts.scheme}://{netloc}" + ("" if port == default else f":{port}")
    return origin, host, port


def role_of(env: Mapping[str, str]) -> str:
    role = env.get("POVERTY_REPLICA_ROLE", "viewer").strip() or "viewer"
    if role not in ROLES:
        raise ValueError(f"POVERTY_REPLICA_ROLE={role!r}: expected one of {', '.join(ROLES)}")
    return role


def replica_environment(env: Mapping[str, str]) -> dict[str, str]:
    """The environment Streamlit runs with for the replica `env` describes (see the module docstring).

    Order of precedence: the role's fixed settings and what is derived from `POVERTY_PUBLIC_URL` and the importer's
    limit, over `deploy/streamlit.env`, over `env`; so an operator's stray variable cannot relax them.
    """
    role = role_of(env)
    if not env.get("POVERTY_PUBLIC_URL"):
        raise ValueError("POVERTY_PUBLIC_URL is not set: the address people open, e.g. https://dashboard.example.vn")
    origin, host, port = public_origin(env["POVERTY_PUBLIC_URL"])
    out = {**env, **read_env_file()}
    out.update({
        "POVERTY_PUBLIC_URL": origin,
        "STREAMLIT_SERVER_CORS_ALLOWED_ORIGINS": origin,
        "STREAMLIT_SERVER_ALLOWED_HOSTS": host,
        "STREAMLIT_BROWSER_SERVER_ADDRESS": host,
        "STREAMLIT_BROWSER_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE": str(Limits.from_env(env).file_mb),
        "STREAMLIT_SERVER_PORT": env.get("STREAMLIT_SERVER_PORT", str(DEFAULT_PORT)),
        "POVERTY_REPLICA_ROLE": role,
    })
    # The operator setting opens imports to everyone who reaches the server: never in a hosted topology, whatever
    # the launcher's environment says (the analyst imports by sign-in, `POVERTY_WRITERS`).
    out["POVERTY_ALLOW_IMPORT"] = "0"
    if role == "viewer":
        out.pop("STREAMLIT_SERVER_BASE_URL_PATH", None)
        for name in SECRET_VARIABLES:
            out.pop(name, None)
    else:
        out["STREAMLIT_SERVER_BASE_URL_PATH"] = ANALYST_BASE_PATH
    return out


def streamlit_command(python: str = sys.executable) -> list[str]:
    """The command a replica runs; every setting travels in its environment (`replica_environment`)."""
    return [python, "-m", "streamlit", "run", str(ROOT / "app.py")]


def health_url(env: Mapping[str, str]) -> str:
    """The replica's own health check, on loopback: `http://127.0.0.1:PORT[/analyst]/_stcore/health`."""
    base = "/" + ANALYST_BASE_PATH if role_of(env) == "analyst" else ""
    return f"http://127.0.0.1:{env.get('STREAMLIT_SERVER_PORT', DEFAULT_PORT)}{base}/_stcore/health"


def write_auth_secrets(env: dict[str, str], directory: Path | None = None) -> Path | None:
    """Analyst only: write Streamlit's `[auth]` secrets file from the sign-in variables (`deploy.auth_secrets`) and
    point Streamlit at it (`STREAMLIT_SECRETS_FILES`). Returns the file, or None when sign-in is not configured.
    Raises `deploy.auth_secrets.AuthConfigError` (naming the variable) when it is configured wrongly."""
    directory = directory or Path(tempfile.mkdtemp(prefix="poverty-auth-"))
    path = directory / "auth_secrets.toml"
    if not auth_secrets.write(env, path):
        return None
    env["STREAMLIT_SECRETS_FILES"] = str(path)
    return path


def check(env: Mapping[str, str], timeout: float = 5.0) -> bool:
    """Whether the replica answers "ok" on its health check."""
    try:
        with urllib.request.urlopen(health_url(env), timeout=timeout) as response:
            return response.status == 200 and response.read().strip() == b"ok"
    except (urllib.error.URLError, OSError):
        return False


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--check"]:
        return 0 if check(os.environ) else 1
    if argv:
        print("usage: python -m deploy.replica [--check]", file=sys.stderr)
        return 2
    env = replica_environment(os.environ)
    if env["POVERTY_REPLICA_ROLE"] == "analyst":
        try:
            write_auth_secrets(env)
        except auth_secrets.AuthConfigError as error:
            print(f"deploy.replica: {error}", file=sys.stderr)
            return 2
    command = streamlit_command()
    os.chdir(ROOT)  # Streamlit also reads .streamlit/config.toml from here
    os.execvpe(command[0], command, env)  # the replica *is* Streamlit: signals reach it directly


if __name__ == "__main__":
    raise SystemExit(main())
