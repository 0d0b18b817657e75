"""Streamlit's `[auth]` secrets (sign-in through OpenID Connect, `st.login`) written from the environment.

Streamlit 1.67 reads `[auth]` only from secrets TOML files (config `secrets.files`: the environment variable
STREAMLIT_SECRETS_FILES or `--secrets.files`), so a deployment that keeps its secrets in the environment writes one
when it starts, readable by its own user only (mode 0600):

    python -m deploy.auth_secrets /run/poverty/auth.toml
    STREAMLIT_SECRETS_FILES=/run/poverty/auth.toml streamlit run app.py …

Variables (blank counts as unset):

- POVERTY_OIDC_CLIENT_ID, POVERTY_OIDC_CLIENT_SECRET: the dashboard's client at the provider.
- POVERTY_OIDC_METADATA_URL: the provider's discovery document, `https://…/.well-known/openid-configuration`.
- POVERTY_OIDC_REDIRECT_URI: the dashboard's own address + `/oauth2callback` (behind `server.baseUrlPath=analyst`:
  `https://host/analyst/oauth2callback`), registered at the provider; `https`, or `http` on a loopback address
  (or anywhere with AUTHLIB_INSECURE_TRANSPORT set, Authlib's own switch, for tests on a private network only).
- POVERTY_AUTH_COOKIE_SECRET: signs the identity cookie; at least 32 random characters
  (`python -c "import secrets; print(secrets.token_urlsafe(32))"`), the same on every replica sharing sign-in.
- POVERTY_OIDC_SCOPES (optional): default `openid email profile groups`; `groups` asks for the claim that
  `POVERTY_WRITERS`' `group:` entries match. Drop it for a provider that refuses a scope it does not know.

None of the five required ones set: sign-in stays off, nothing is written and the command exits 0. Some but not all:
an error naming the missing ones (exit 2), never a half-configured sign-in. Who may write once signed in is
`POVERTY_WRITERS` (`data.access`).
"""

from __future__ import annotations

import ipaddress
import json
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

CLIENT_ID = "POVERTY_OIDC_CLIENT_ID"
CLIENT_SECRET = "POVERTY_OIDC_CLIENT_SECRET"
METADATA_URL = "POVERTY_OIDC_METADATA_URL"
REDIRECT_URI = "POVERTY_OIDC_REDIRECT_URI"
COOKIE_SECRET = "POVERTY_AUTH_COOKIE_SECRET"
SCOPES = "POVERTY_OIDC_SCOPES"
REQUIRED = (REDIRECT_URI, COOKIE_SECRET, CLIENT_ID, CLIENT_SECRET, METADATA_URL)
INSECURE = "AUTHLIB_INSECURE_TRANSPORT"
DEFAULT_SCOPES = "openid email profile groups"
MIN_COOKIE_SECRET = 32  # characters
CALLBACK = "/oauth2callback"  # Streamlit's route for the provider's answer
HEADER = "# Written by `python -m deploy.auth_secrets` from POVERTY_OIDC_* and POVERTY_AUTH_COOKIE_SECRET."


class AuthConfigError(ValueError):
    """The sign-in variables are incomplete or wrong; the message names the variable."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(name: str, value: str, *, callback: bool = False, insecure_ok: bool = False) -> None:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise AuthConfigError(f"{name} must be an absolute http(s) URL, not {value!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname) and not insecure_ok:
        raise AuthConfigError(f"{name} must use https (plain http only on a loopback address): {value!r}")
    if callback and not parts.path.endswith(CALLBACK):
        raise AuthConfigError(f"{name} must end with {CALLBACK} (Streamlit's sign-in callback): {value!r}")


def auth_section(env: Mapping[str, str]) -> dict[str, object] | None:
    """The `[auth]` table from `env`: None when none of the required variables is set; `AuthConfigError` when some
    are missing or a value is unusable."""
    values = {name: env.get(name, "").strip() for name in (*REQUIRED, SCOPES)}
    present = [name for name in REQUIRED if values[name]]
    if not present:
        return None
    missing = [name for name in REQUIRED if not values[name]]
    if missing:
        raise AuthConfigError(f"sign-in is half configured: {', '.join(missing)} not set "
                              f"(set all of {', '.join(REQUIRED)}, or none)")
    insecure_ok = bool(env.get(INSECURE, "").strip())  # Authlib's own switch for tests on a private network
    _check_url(METADATA_URL, values[METADATA_URL], insecure_ok=insecure_ok)
    _check_url(REDIRECT_URI, values[REDIRECT_URI], callback=True, insecure_ok=insecure_ok)
    if len(values[COOKIE_SECRET]) < MIN_COOKIE_SECRET:
        raise AuthConfigError(f"{COOKIE_SECRET} must be at least {MIN_COOKIE_SECRET} random characters")
    scopes = " ".join(values[SCOPES].split()) or DEFAULT_SCOPES
    if "openid" not in scopes.split():
        raise AuthConfigError(f"{SCOPES} must include openid: {scopes!r}")
    return {
        "redirect_uri": values[REDIRECT_URI],
        "cookie_secret": values[COOKIE_SECRET],
        "client_id": values[CLIENT_ID],
        "client_secret": values[CLIENT_SECRET],
        "server_metadata_url": values[METADATA_URL],
        "client_kwargs": {"scope": scopes},
    }


def to_toml(section: Mapping[str, object]) -> str:
    """`[auth]` (and `[auth.client_kwargs]`) as TOML; strings as JSON strings, which are valid TOML basic strings."""
    lines = [HEADER, "[auth]"]
    tables: list[tuple[str, Mapping[str, object]]] = []
    for key, value in section.items():
        if isinstance(value, Mapping):
            tables.append((key, value))
        else:
            lines.append(f"{key} = {json.dumps(str(value))}")
    for name, table in tables:
        lines += ["", f"[auth.{name}]", *(f"{key} = {json.dumps(str(value))}" for key, value in table.items())]
    return "\n".join(lines) + "\n"


def write(env: Mapping[str, str], path: str | os.PathLike[str]) -> bool:
    """Write `[auth]` from `env` to `path` (mode 0600, replaced atomically); return whether a file was written.

    Nothing is written (False) when no sign-in variable is set, and a file this function wrote earlier at `path` is
    removed, so sign-in switched off stays off; raises `AuthConfigError` when the set is incomplete or a value is
    unusable (an earlier file is then left as it was)."""
    section = auth_section(env)
    if section is None:
        _remove_own(Path(path))
        return False
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(to_toml(section))
        os.chmod(temporary, 0o600)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _remove_own(path: Path) -> None:
    try:
        with path.open(encoding="utf-8") as existing:
            ours = existing.readline().rstrip("\n") == HEADER
    except (FileNotFoundError, UnicodeDecodeError, IsADirectoryError):
        return
    if ours:
        path.unlink()


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m deploy.auth_secrets OUT.toml`: 0 written or nothing to write, 2 on a configuration error."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1 or args[0].startswith("-"):
        print("usage: python -m deploy.auth_secrets OUT.toml", file=sys.stderr)
        return 2
    try:
        written = write(os.environ, args[0])
    except AuthConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"sign-in secrets written to {args[0]}" if written else f"sign-in not configured ({CLIENT_ID} and the "
          "other POVERTY_OIDC_* variables unset): nothing written", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
