"""`deploy.auth_secrets`: Streamlit's `[auth]` section written from the environment, as Streamlit 1.67 checks it."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from streamlit import auth_util, config
from streamlit.auth_util import generate_default_provider_section
from streamlit.runtime.secrets import Secrets

from deploy import auth_secrets
from deploy.auth_secrets import AuthConfigError, write

ROOT = Path(__file__).resolve().parents[2]
ENV = {
    "POVERTY_OIDC_CLIENT_ID": "poverty-dashboard",
    "POVERTY_OIDC_CLIENT_SECRET": 'se"cr\\et with = and # and \u00e9',
    "POVERTY_OIDC_METADATA_URL": "https://login.baclieu.gov.vn/realms/so/.well-known/openid-configuration",
    "POVERTY_OIDC_REDIRECT_URI": "https://ngheo.baclieu.gov.vn/analyst/oauth2callback",
    "POVERTY_AUTH_COOKIE_SECRET": "k" * 40,
}


def test_writes_what_streamlit_requires(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run" / "auth.toml"
    assert write(ENV, out) is True
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    auth = tomllib.loads(out.read_text(encoding="utf-8"))["auth"]
    assert auth == {
        "redirect_uri": ENV["POVERTY_OIDC_REDIRECT_URI"],
        "cookie_secret": ENV["POVERTY_AUTH_COOKIE_SECRET"],
        "client_id": "poverty-dashboard",
        "client_secret": ENV["POVERTY_OIDC_CLIENT_SECRET"],  # quotes, backslash and non-ASCII survive
        "server_metadata_url": ENV["POVERTY_OIDC_METADATA_URL"],
        "client_kwargs": {"scope": "openid email profile groups"},
    }
    # Streamlit reads the file through `secrets.files` and finds it complete for its default provider
    monkeypatch.setattr(config, "get_option", lambda key, real=config.get_option: [str(out)]
                        if key == "secrets.files" else real(key))
    secrets = Secrets()
    monkeypatch.setattr(auth_util, "secrets_singleton", secrets)
    auth_util.validate_auth_credentials("default")  # raises StreamlitAuthError naming what is missing
    assert generate_default_provider_section(auth_util.get_secrets_auth_section()) == {
        "client_id": "poverty-dashboard", "client_secret": ENV["POVERTY_OIDC_CLIENT_SECRET"],
        "server_metadata_url": ENV["POVERTY_OIDC_METADATA_URL"],
        "client_kwargs": {"scope": "openid email profile groups"}}


def test_an_existing_file_is_replaced_and_tightened(tmp_path: Path) -> None:
    out = tmp_path / "auth.toml"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    write({**ENV, "POVERTY_OIDC_SCOPES": "openid  email"}, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert tomllib.loads(out.read_text(encoding="utf-8"))["auth"]["client_kwargs"] == {"scope": "openid email"}
    assert [p.name for p in tmp_path.iterdir()] == ["auth.toml"]  # no temporary file left


def test_nothing_configured_writes_nothing_and_removes_its_own_old_file(tmp_path: Path) -> None:
    out = tmp_path / "auth.toml"
    assert write({"POVERTY_OIDC_CLIENT_ID": "  "}, out) is False
    assert not out.exists()
    write(ENV, out)
    assert write({}, out) is False
    assert not out.exists()  # sign-in switched off stays off
    out.write_text("[auth]\nredirect_uri = 'by hand'\n", encoding="utf-8")
    write({}, out)
    assert out.exists()  # a file this module did not write is left alone


@pytest.mark.parametrize(("change", "named"), [
    ({"POVERTY_OIDC_CLIENT_SECRET": ""}, "POVERTY_OIDC_CLIENT_SECRET"),
    ({"POVERTY_OIDC_CLIENT_ID": ""}, "POVERTY_OIDC_CLIENT_ID"),
    ({"POVERTY_AUTH_COOKIE_SECRET": " ", "POVERTY_OIDC_METADATA_URL": ""}, "POVERTY_OIDC_METADATA_URL"),
    ({"POVERTY_AUTH_COOKIE_SECRET": "short"}, "POVERTY_AUTH_COOKIE_SECRET"),
    ({"POVERTY_OIDC_REDIRECT_URI": "https://ngheo.baclieu.gov.vn/analyst/"}, "oauth2callback"),
    ({"POVERTY_OIDC_REDIRECT_URI": "http://ngheo.baclieu.gov.vn/oauth2callback"}, "POVERTY_OIDC_REDIRECT_URI"),
    ({"POVERTY_OIDC_METADATA_URL": "login.baclieu.gov.vn"}, "POVERTY_OIDC_METADATA_URL"),
    ({"POVERTY_OIDC_SCOPES": "email groups"}, "POVERTY_OIDC_SCOPES"),
])
def test_incomplete_or_wrong_settings_are_refused_by_name(tmp_path: Path, change: dict[str, str], named: str
                                                          ) -> None:
    out = tmp_path / "auth.toml"
    with pytest.raises(AuthConfigError, match=named):
        write({**ENV, **change}, out)
    assert not out.exists()


def test_plain_http_on_loopback_for_tests() -> None:
    section = auth_secrets.auth_section({**ENV, "POVERTY_OIDC_REDIRECT_URI": "http://127.0.0.1:8601/oauth2callback",
                                         "POVERTY_OIDC_METADATA_URL": "http://localhost:9000/.well-known/x"})
    assert section is not None and section["redirect_uri"] == "http://127.0.0.1:8601/oauth2callback"


def _command(out: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("POVERTY_OIDC_", "POVERTY_AUTH_"))}
    return subprocess.run([sys.executable, "-m", "deploy.auth_secrets", str(out)], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=60, check=False)


def test_the_command(tmp_path: Path) -> None:
    out = tmp_path / "auth.toml"
    unset = _command(out, {})
    assert (unset.returncode, out.exists()) == (0, False)
    assert "nothing written" in unset.stderr
    half = _command(out, {"POVERTY_OIDC_CLIENT_ID": "x"})
    assert half.returncode == 2 and "POVERTY_OIDC_CLIENT_SECRET" in half.stderr and not out.exists()
    done = _command(out, ENV)
    assert done.returncode == 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert ENV["POVERTY_OIDC_CLIENT_SECRET"] not in done.stderr + done.stdout
