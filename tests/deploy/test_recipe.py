"""compose.yaml and the Dockerfile describe the topology `python -m deploy.serve` starts (which test_topology.py
tests): the same Caddyfile with the same placeholders, the same replica command and Streamlit settings, the warehouse
read-only on the viewers and writable only where something writes. And the replica's settings themselves."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from deploy import replica, serve
from tests.browser.server import REPO
from tests.deploy.conftest import readme_commands
from tests.deploy.yamlish import YamlishError, loads

COMPOSE = loads((REPO / "compose.yaml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]
CADDYFILE = (REPO / "deploy" / "Caddyfile").read_text(encoding="utf-8")
IMAGE_SERVICES = ("viewer", "analyst", "demo", "importer")


def dockerfile() -> dict[str, list[str]]:
    """Dockerfile instructions (continuation lines joined, comments dropped): name → its arguments, in order."""
    text = re.sub(r"\\\n\s*", " ", (REPO / "Dockerfile").read_text(encoding="utf-8"))
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, rest = line.strip().partition(" ")
            out.setdefault(name.upper(), []).append(rest.strip())
    return out


def dockerfile_env() -> dict[str, str]:
    return dict(pair.split("=", 1) for line in dockerfile()["ENV"] for pair in line.split())


def placeholders(text: str) -> dict[str, str | None]:
    """Caddyfile environment placeholders `{$NAME}` / `{$NAME:default}` → their default (None: required)."""
    return {m.group(1): m.group(3) for m in re.finditer(r"\{\$([A-Z0-9_]+)(:([^}]*))?\}", text)}


def compose_command(argv: list[str]) -> list[str]:
    """A command of this machine (`/…/python -m …`) as the image runs it (`python -m …`)."""
    return ["python", *argv[1:]]


def volume(service: str, target: str) -> str:
    """The volume entry of `service` mounted at `target` (`source:target[:mode]`)."""
    entries = [v for v in SERVICES[service]["volumes"] if v.split(":")[1] == target]
    assert len(entries) == 1, (service, target, SERVICES[service]["volumes"])
    return entries[0]


def test_the_replicas_run_the_command_deploy_serve_runs() -> None:
    command = compose_command(serve.replica_command())
    assert SERVICES["viewer"]["command"] == SERVICES["analyst"]["command"] == command
    assert json.loads(dockerfile()["CMD"][-1]) == command
    # the image's health check is the replica's own
    assert dockerfile()["HEALTHCHECK"][-1].split(" CMD ", 1)[1] == json.dumps([*command, "--check"])
    assert SERVICES["viewer"]["environment"]["POVERTY_REPLICA_ROLE"] == "viewer"
    assert SERVICES["analyst"]["environment"]["POVERTY_REPLICA_ROLE"] == "analyst"
    assert {r: serve.replica_env({}, r, 1, Path("/w.duckdb"), "http://x")["POVERTY_REPLICA_ROLE"]
            for r in replica.ROLES} == {r: r for r in replica.ROLES}


def test_the_replicas_read_the_streamlit_settings_deploy_serve_reads() -> None:
    settings_file = str(replica.SETTINGS_FILE.relative_to(REPO))
    assert SERVICES["viewer"]["env_file"] == SERVICES["analyst"]["env_file"] == [settings_file]
    # and nothing in compose.yaml or the Dockerfile sets a Streamlit option beside them
    for service in ("viewer", "analyst"):
        assert not [k for k in SERVICES[service]["environment"] if k.startswith("STREAMLIT_")]
    assert [k for k in dockerfile_env() if k.startswith("STREAMLIT_")] == ["STREAMLIT_SERVER_PORT"]
    assert "--server." not in (REPO / "Dockerfile").read_text(encoding="utf-8")


def test_the_proxy_is_caddy_on_the_same_caddyfile() -> None:
    caddy = SERVICES["caddy"]
    assert caddy["image"].startswith("caddy:2")
    mount = volume("caddy", "/etc/caddy/Caddyfile")
    assert mount == f"./{(serve.CADDYFILE).relative_to(REPO)}:/etc/caddy/Caddyfile:ro"
    assert caddy["command"] == [*serve.caddy_command("caddy")[:3], "/etc/caddy/Caddyfile",
                                *serve.caddy_command("caddy")[4:]]
    # every placeholder without a default is given, by compose and by deploy.serve alike
    required = {name for name, default in placeholders(CADDYFILE).items() if default is None}
    assert required == {"POVERTY_PUBLIC_URL", "VIEWER_UPSTREAMS", "ANALYST_UPSTREAM", "CADDY_LB_SECRET"}
    assert required <= set(caddy["environment"])
    assert required <= set(serve.caddy_env({}, "http://127.0.0.1:1", [2, 3], 4, "k", Path("/tmp")))


def test_caddy_knows_every_viewer_replica_compose_starts() -> None:
    port = dockerfile_env()["STREAMLIT_SERVER_PORT"]
    replicas = SERVICES["viewer"]["deploy"]["replicas"]
    upstreams = SERVICES["caddy"]["environment"]["VIEWER_UPSTREAMS"].split()
    assert upstreams == [f"{COMPOSE['name']}-viewer-{i}:{port}" for i in range(1, replicas + 1)]
    assert SERVICES["caddy"]["environment"]["ANALYST_UPSTREAM"] == f"analyst:{port}"
    assert replicas >= 2


def test_the_warehouse_is_read_only_for_viewers_and_writable_where_something_writes() -> None:
    paths = {s: SERVICES[s]["environment"]["POVERTY_DB"] for s in IMAGE_SERVICES}
    assert set(paths.values()) == {dockerfile_env()["POVERTY_DB"]}
    folder = str(Path(dockerfile_env()["POVERTY_DB"]).parent)
    assert volume("viewer", folder) == f"warehouse:{folder}:ro"
    for writer in ("analyst", "demo", "importer"):
        assert volume(writer, folder) == f"warehouse:{folder}"
    assert "warehouse" in COMPOSE["volumes"]


def test_only_the_analyst_gets_the_writers_list_and_the_sign_in_secrets() -> None:
    assert set(replica.SECRET_VARIABLES) <= set(SERVICES["analyst"]["environment"])
    for service in ("viewer", "caddy", "demo", "importer"):
        assert not set(replica.SECRET_VARIABLES) & set(SERVICES[service].get("environment", {})), service
    for name in replica.SECRET_VARIABLES:  # from .env, never written into the file
        assert SERVICES["analyst"]["environment"][name] == f"${{{name}:-}}"


def test_the_image_runs_as_an_unprivileged_user_on_the_pinned_requirements() -> None:
    instructions = dockerfile()
    assert instructions["FROM"] == ["python:3.11-slim-bookworm"]
    assert any("pip install --no-cache-dir -r requirements.txt" in run for run in instructions["RUN"])
    assert instructions["USER"] and instructions["USER"][-1] not in {"root", "0"}
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".venv", "*.duckdb", ".streamlit/secrets.toml"} <= set(ignored)


def test_the_readme_gives_the_commands_the_tests_run_and_compose_services_it_names() -> None:
    commands = readme_commands()
    assert commands["data.build"][3:] == ["--db", "/tmp/poverty.duckdb", "--households", "20000"]
    assert commands["deploy.serve"][3:5] == ["--replicas", "2"]
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Deployment\n", 1)[1]
    named = set(re.findall(r"docker compose run --rm (\w+)", section))
    assert named == {"demo", "importer"} and named <= set(SERVICES)


def test_the_production_settings_are_those_the_issue_asks_for() -> None:
    settings = replica.read_env_file()
    assert {k: settings[k] for k in (
        "STREAMLIT_SERVER_HEADLESS", "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION",
        "STREAMLIT_SERVER_ENABLE_CORS", "STREAMLIT_SERVER_FILE_WATCHER_TYPE", "STREAMLIT_BROWSER_GATHER_USAGE_STATS",
    )} == {"STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_CLIENT_SHOW_ERROR_DETAILS": "none",
           "STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION": "true", "STREAMLIT_SERVER_ENABLE_CORS": "true",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}


ENV = {"POVERTY_PUBLIC_URL": "https://Dashboard.example.vn/", "POVERTY_ALLOW_IMPORT": "1",
       "POVERTY_WRITERS": "a@x.vn", "POVERTY_OIDC_CLIENT_SECRET": "s", "STREAMLIT_SERVER_ENABLE_CORS": "false",
       "POVERTY_IMPORT_MAX_FILE_MB": "100"}


def test_a_viewer_never_writes_and_never_holds_a_secret_whatever_its_environment() -> None:
    env = replica.replica_environment({**ENV, "POVERTY_REPLICA_ROLE": "viewer"})
    assert env["POVERTY_ALLOW_IMPORT"] == "0"
    assert not set(replica.SECRET_VARIABLES) & set(env)
    assert "STREAMLIT_SERVER_BASE_URL_PATH" not in env
    # the settings file wins over a stray variable, the origin is normalised, the upload limit is the importer's
    assert env["STREAMLIT_SERVER_ENABLE_CORS"] == "true"
    assert env["STREAMLIT_SERVER_CORS_ALLOWED_ORIGINS"] == "https://dashboard.example.vn"
    assert env["STREAMLIT_SERVER_ALLOWED_HOSTS"] == env["STREAMLIT_BROWSER_SERVER_ADDRESS"] == "dashboard.example.vn"
    assert env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"] == "100"
    assert replica.replica_environment({"POVERTY_PUBLIC_URL": "http://127.0.0.1:8080"})[
        "STREAMLIT_SERVER_MAX_UPLOAD_SIZE"] == "64"


def test_the_analyst_is_served_under_its_base_path_with_its_secrets() -> None:
    env = replica.replica_environment({**ENV, "POVERTY_REPLICA_ROLE": "analyst"})
    assert env["STREAMLIT_SERVER_BASE_URL_PATH"] == "analyst"
    assert (env["POVERTY_WRITERS"], env["POVERTY_OIDC_CLIENT_SECRET"]) == ("a@x.vn", "s")
    assert env["POVERTY_ALLOW_IMPORT"] == "0"  # the operator setting would open imports to anyone who reaches it
    assert replica.health_url({"POVERTY_REPLICA_ROLE": "analyst", "STREAMLIT_SERVER_PORT": "9"}) == \
        "http://127.0.0.1:9/analyst/_stcore/health"


@pytest.mark.parametrize(("url", "expected"), [
    ("http://127.0.0.1:8080", ("http://127.0.0.1:8080", "127.0.0.1", 8080)),
    ("https://dashboard.example.vn:443", ("https://dashboard.example.vn", "dashboard.example.vn", 443)),
    ("http://[::1]:81/", ("http://[::1]:81", "::1", 81)),
])
def test_the_public_url_gives_the_origin_a_browser_sends(url: str, expected: tuple[str, str, int]) -> None:
    assert replica.public_origin(url) == expected


@pytest.mark.parametrize("url", ["dashboard.example.vn", "ftp://x.vn", "https://x.vn/analyst", "https://x.vn/?a=1",
                                 "https://user@x.vn"])
def test_a_public_url_that_is_not_an_origin_is_refused(url: str) -> None:
    with pytest.raises(ValueError, match="POVERTY_PUBLIC_URL"):
        replica.public_origin(url)


def test_the_yaml_reader_reads_the_constructs_compose_yaml_uses_and_refuses_the_rest() -> None:
    assert loads("a:\n  b: [\"x\", \"y\"]  # note\n  c:\n    - 'it''s'\n    - k: 1\n      m: true\nd: \"#no\"\n") == \
        {"a": {"b": ["x", "y"], "c": ["it's", {"k": 1, "m": True}]}, "d": "#no"}
    for text in ("a: &x 1\n", "a: *x\n", "a: |\n  t\n", "a: {b: 1}\n", "a: 1\na: 2\n", "a:\n\tb: 1\n"):
        with pytest.raises(YamlishError):
            loads(text)
