"""The deployment as it runs: README's `python -m deploy.serve --replicas 2` (two viewer replicas, the analyst
replica, Debian's caddy) on a 20,000-household warehouse, exercised through the proxy with protocol-level clients
(tests/deploy/protocol.py) and with Chromium.

How replicas are told apart without telling viewers: Caddy's sticky cookie is HMAC-SHA256(key, upstream address),
and this run sets the key (CADDY_LB_SECRET), so the test can compute which replica a cookie names; and a Streamlit
session exists only in the process that created it, so reconnecting to a session id shows which process a request
reached.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import psutil
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from data.ingest.limits import Limits
from i18n import TEXT
from tests.browser.server import REPO, free_port, launch_chromium
from tests.browser.ui import settle
from tests.deploy.conftest import Deployment, as_run, cookie_for, readme_commands, start_serve
from tests.deploy.protocol import get_page, in_own_thread, upload, visit_sync
from tests.ingest.conftest import review_rows, write_csv

pytestmark = pytest.mark.xdist_group("deploy")
# Auto-waiting browser assertions: bounds for liveness only (a passing check returns as soon as it holds).
expect.set_options(timeout=60_000)

FOREIGN = "http://evil.example"  # a page of another site (never contacted: only named in an Origin header)
MB = 1 << 20


def jars_on_both_viewers(deployment: Deployment) -> list[dict[str, str]]:
    """Two cookie jars whose sticky cookies name different viewer replicas (new visitors are spread at random)."""
    jars: dict[str, dict[str, str]] = {}
    for _ in range(40):
        jar: dict[str, str] = {}
        status, cookies, _ = get_page(f"{deployment.url}/_stcore/health", jar)
        assert status == 200
        jar.update(cookies)
        jars.setdefault(jar["poverty_lb"], jar)
        if len(jars) == 2:
            return list(jars.values())
    raise AssertionError(f"40 new visitors all landed on one replica: {list(jars)}")


def another_token(jar: dict[str, str]) -> str:
    """The XSRF cookie of `jar` with another token in it (`2|mask|masked token|time`)."""
    version, mask, token, stamp = jar["_streamlit_xsrf"].split("|")
    return "|".join([version, mask, "0" * len(token), stamp])


def served(visit: object) -> bool:
    return getattr(visit, "outcome", None) == "finished" and getattr(visit, "first_chart", None) is not None


def test_the_proxy_answers_for_the_viewers_and_the_analyst(deployment: Deployment) -> None:
    for path in ("/_stcore/health", "/analyst/_stcore/health"):
        status, _, body = get_page(deployment.url + path, {})
        assert (status, body) == (200, b"ok"), path
    assert sorted(r.role for r in deployment.replicas()) == ["analyst", "viewer", "viewer"]


def test_every_process_listens_on_loopback_only(deployment: Deployment) -> None:
    pids = [r.pid for r in deployment.replicas()]
    pids += [c.pid for c in psutil.Process(deployment.process.pid).children() if c.name() == "caddy"]
    assert len(pids) == 4
    for pid in pids:
        listening = {c.laddr.ip for c in psutil.Process(pid).net_connections(kind="inet")
                     if c.status == psutil.CONN_LISTEN}
        assert listening == {"127.0.0.1"}, (psutil.Process(pid).cmdline(), listening)


def test_each_visitor_stays_on_its_own_replica(deployment: Deployment) -> None:
    first, second = jars_on_both_viewers(deployment)
    # the two cookies name the two viewer replicas
    assert {first["poverty_lb"], second["poverty_lb"]} == {cookie_for(v.port) for v in deployment.viewers()}
    a_cookie, b_cookie = first["poverty_lb"], second["poverty_lb"]

    a = visit_sync(f"{deployment.url}/", cookies=first)
    assert served(a), a
    # Reconnecting to that session (as a browser does after a dropped connection) finds it again: the same process.
    again = visit_sync(f"{deployment.url}/trajectories?district=956&year=2024", cookies=first,
                       resume_session=a.session_id)
    assert served(again) and again.session_id == a.session_id
    # The other visitor's requests reach the other process, which never saw that session: a new one is made.
    other = visit_sync(f"{deployment.url}/trajectories?district=956&year=2024", cookies=second,
                       resume_session=a.session_id)
    assert served(other) and other.session_id not in {None, a.session_id}
    # Neither visitor was moved: the proxy set no new cookie.
    assert (first["poverty_lb"], second["poverty_lb"]) == (a_cookie, b_cookie)

    # An upload (the import page's file box) reaches the session's own replica; sent with the other replica's cookie
    # it lands where the session does not exist — what would happen to every upload without sticky sessions.
    def uploads(session_id: str) -> tuple[int, int]:
        return (upload(deployment.url, session_id, first),
                upload(deployment.url, session_id, {**first, "poverty_lb": b_cookie}))

    held = visit_sync(f"{deployment.url}/commune_map?area=rural", cookies=first, while_open=uploads)
    assert served(held) and held.held == (204, 400)


@pytest.mark.browser
def test_a_browser_sees_the_dashboard_and_the_analyst_page_through_the_proxy(deployment: Deployment) -> None:
    def drive() -> None:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN")
                context.set_default_timeout(60_000)
                page = context.new_page()
                page.goto(f"{deployment.url}/?year=2024")
                expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(TEXT["page.overview"]["vi"])
                settle(page)
                expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
                expect(page.get_by_test_id("stException")).to_have_count(0)
                expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
                # The browser reached the server as 127.0.0.1, which on its own would show the import page to anyone
                # (data.access); a viewer replica never lists it.
                nav = page.get_by_test_id("stSidebarNav")
                expect(nav.get_by_role("link").first).to_be_visible()
                titles = nav.get_by_test_id("stMarkdownContainer").all_inner_texts()
                assert TEXT["page.overview"]["vi"] in titles and TEXT["page.import"]["vi"] not in titles

                page.goto(f"{deployment.url}/analyst/")
                expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(TEXT["page.overview"]["vi"])
                settle(page)
                expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
                expect(page.get_by_test_id("stException")).to_have_count(0)
                expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
                assert page.url.startswith(f"{deployment.url}/analyst/?")  # the app writes its filters into the URL
                context.close()
            finally:
                browser.close()

    in_own_thread(drive)  # beside tests/browser's session-wide Playwright


def _sign_in_on_analyst(page: Page, base: str, sub: str) -> None:
    """Through the proxy: the analyst path's sign-in button, the provider's form as `sub`, back on the analyst path."""
    page.goto(f"{base}/analyst/")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name=TEXT["account.sign_in"]["vi"]).click()
    page.wait_for_url(re.compile(r"/oauth2/authorize\?"))
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{base}/analyst/**")
    expect(sidebar.get_by_role("button", name=TEXT["account.sign_out"]["vi"])).to_be_visible()
    settle(page)


def _menu(page: Page) -> list[str]:
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link").first).to_be_visible()
    return nav.get_by_test_id("stMarkdownContainer").all_inner_texts()


@pytest.mark.browser
def test_an_analyst_signs_in_on_the_analyst_path_and_imports_while_viewers_have_no_sign_in(
    deployment: Deployment, tmp_path: Path
) -> None:
    """Sign-in behind the proxy and a base path (`/analyst/oauth2callback`), against the provider the deployment was
    started with: an address of the listed domain imports; another signed-in user gets no import page; the viewer
    replicas offer no sign-in at all (they hold no secrets)."""
    rows = 25
    good = write_csv(tmp_path / "xa_trien_khai.csv", review_rows(rows, prefix="DPL", year=2025))
    def drive() -> None:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                viewer = browser.new_context(locale="vi-VN").new_page()
                viewer.goto(f"{deployment.url}/")
                settle(viewer)
                assert TEXT["page.import"]["vi"] not in _menu(viewer)
                assert viewer.get_by_test_id("stSidebar").get_by_role(
                    "button", name=TEXT["account.sign_in"]["vi"]).count() == 0

                partner = browser.new_context(locale="vi-VN").new_page()
                _sign_in_on_analyst(partner, deployment.url, "partner")
                assert TEXT["page.import"]["vi"] not in _menu(partner)

                analyst = browser.new_context(locale="vi-VN").new_page()
                _sign_in_on_analyst(analyst, deployment.url, "analyst")
                assert _menu(analyst)[-1] == TEXT["page.import"]["vi"]
                analyst.get_by_test_id("stSidebarNav").get_by_role("link", name=TEXT["page.import"]["vi"],
                                                                   exact=True).click()
                main = analyst.get_by_test_id("stMain")
                expect(main.locator("h1")).to_have_text(TEXT["import.title"]["vi"])
                settle(analyst)
                analyst.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(str(good))
                load = main.get_by_role("button", name=TEXT["import.load"]["vi"].format(n=1))
                expect(load).to_be_visible()
                settle(analyst)
                load.click()
                expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"nạp {rows}, loại 0")
            finally:
                browser.close()

    in_own_thread(drive)  # beside tests/browser's session-wide Playwright
    con = duckdb.connect(str(deployment.db), read_only=True)  # the name now points at the version the import made
    try:
        loaded = con.execute("SELECT count(*) FROM reviews WHERE household_id LIKE 'DPL%'").fetchone()[0]
    finally:
        con.close()
    assert loaded == rows


@pytest.mark.browser
def test_every_replica_shows_what_the_command_line_importer_loads_while_serving(
    deployment: Deployment, tmp_path: Path
) -> None:
    """README's one-off importer (`python -m data.ingest FILE --db`) run twice while the deployment serves: every
    replica moves to the newest warehouse version (not only the next one: the first is deleted by the second write)
    and a visitor on each viewer replica, and on the analyst one, sees the province's new households."""
    for i in range(2):
        path = write_csv(tmp_path / f"cli{i}.csv", review_rows(40, prefix=f"CLI{i}-", year=2025))
        done = subprocess.run([sys.executable, "-m", "data.ingest", str(path), "--db", str(deployment.db)],
                              cwd=REPO, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    con = duckdb.connect(str(deployment.db), read_only=True)
    try:
        households, poor = con.execute("SELECT count(*), count(*) FILTER (status = 'poor') FROM classified "
                                       "WHERE year = 2025").fetchone()
        assert con.execute("SELECT count(*) FROM reviews WHERE household_id LIKE 'CLI%'").fetchone()[0] == 80
    finally:
        con.close()
    line = TEXT["overview.households_line"]["vi"].format(poor=f"{poor:,}".replace(",", "."),
                                                          total=f"{households:,}".replace(",", "."))
    def drive() -> None:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                for where, jar in [("/", j) for j in jars_on_both_viewers(deployment)] + [("/analyst/", {})]:
                    context = browser.new_context(locale="vi-VN")
                    if jar:
                        context.add_cookies([{"name": "poverty_lb", "value": jar["poverty_lb"], "url": deployment.url}])
                    page = context.new_page()
                    page.goto(f"{deployment.url}{where}?year=2025")
                    main = page.get_by_test_id("stMain")
                    expect(main.get_by_text(line)).to_be_visible()
                    expect(page.get_by_test_id("stException")).to_have_count(0)
                    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
                    context.close()
            finally:
                browser.close()

    in_own_thread(drive)  # beside tests/browser's session-wide Playwright


def test_the_analyst_path_serves_its_own_replica(deployment: Deployment) -> None:
    analyst = next(r for r in deployment.replicas() if r.role == "analyst")
    status, _, _ = get_page(f"{deployment.url}/analyst", {})
    assert status == 308  # /analyst → /analyst/
    visit = visit_sync(f"{deployment.url}/analyst/trajectories?lang=en", base_path="/analyst")
    assert served(visit) and not visit.errors
    # the analyst's Streamlit knows its base path: its own health check lives under /analyst/
    assert get_page(f"http://127.0.0.1:{analyst.port}/analyst/_stcore/health", {})[2] == b"ok"
    assert get_page(f"http://127.0.0.1:{analyst.port}/_stcore/health", {})[0] == 404


def test_cross_origin_requests_are_refused(deployment: Deployment) -> None:
    # A websocket opened by another site's page: refused by the proxy; the same from the public origin is served.
    refused = visit_sync(f"{deployment.url}/", origin=FOREIGN)
    assert refused.outcome == "refused" and "403" in refused.detail
    jar: dict[str, str] = {}

    def uploads(session_id: str) -> dict[str, int]:
        return {
            "same origin, token": upload(deployment.url, session_id, jar, origin=deployment.url),
            "other site, token": upload(deployment.url, session_id, jar, origin=FOREIGN),
            "same origin, no token": upload(deployment.url, session_id, jar, xsrf=""),
            "same origin, wrong token": upload(deployment.url, session_id, jar, xsrf=another_token(jar)),
        }

    visit = visit_sync(f"{deployment.url}/", cookies=jar, while_open=uploads)
    assert served(visit)
    assert visit.held == {"same origin, token": 204, "other site, token": 403, "same origin, no token": 403,
                          "same origin, wrong token": 403}


def test_each_replica_enforces_cors_xsrf_and_the_upload_limit_itself(deployment: Deployment) -> None:
    """Behind the proxy's check, each replica refuses on its own (a request that reaches it some other way)."""
    viewer = deployment.viewers()[0]
    direct = f"http://127.0.0.1:{viewer.port}"
    # CORS: only the public origin is named in Access-Control-Allow-Origin.
    allowed = {}
    for origin in (deployment.url, FOREIGN):
        conn = http.client.HTTPConnection("127.0.0.1", viewer.port, timeout=30)
        conn.request("GET", "/_stcore/host-config", headers={"Origin": origin})
        response = conn.getresponse()
        response.read()
        allowed[origin] = response.getheader("Access-Control-Allow-Origin")
        conn.close()
    assert allowed == {deployment.url: deployment.url, FOREIGN: None}

    jar: dict[str, str] = {}
    limit = Limits.from_env({}).file_mb * MB

    def uploads(session_id: str) -> tuple[int, int, int]:
        return (upload(direct, session_id, jar), upload(direct, session_id, jar, xsrf=""),
                upload(direct, session_id, jar, declared_length=limit + 1))

    visit = visit_sync(f"{direct}/trajectories", cookies=jar, while_open=uploads)
    # stored; no XSRF token → refused; one byte over the importer's file limit → too large
    assert served(visit) and visit.held == (204, 403, 413)


def test_new_sessions_are_served_while_a_viewer_replica_is_down(deployment: Deployment) -> None:
    victim, survivor = deployment.viewers()
    jar = next(j for j in jars_on_both_viewers(deployment) if j["poverty_lb"] == cookie_for(victim.port))
    assert served(visit_sync(f"{deployment.url}/", cookies=jar))

    os.kill(victim.pid, signal.SIGKILL)
    with contextlib.suppress(psutil.NoSuchProcess):
        psutil.Process(victim.pid).wait(timeout=30)
    # New visitors, and the visitor whose replica died, are all served (by the survivor, or by the replica
    # deploy.serve starts again once it passes its health check).
    fresh = [visit_sync(f"{deployment.url}/trajectories?year={year}") for year in (2022, 2023, 2024, 2025)]
    moved = visit_sync(f"{deployment.url}/", cookies=jar)
    assert all(served(v) and not v.errors for v in [*fresh, moved]), [(v.outcome, v.detail, v.errors)
                                                                      for v in [*fresh, moved]]
    assert all(v.cookies["poverty_lb"] in {cookie_for(victim.port), cookie_for(survivor.port)} for v in fresh)

    # deploy.serve starts the replica again on its port.
    def restarted() -> bool:
        pid = {v.port: v.pid for v in deployment.viewers()}.get(victim.port)
        try:
            return pid not in {None, victim.pid} and get_page(f"http://127.0.0.1:{victim.port}/_stcore/health",
                                                              {})[2] == b"ok"
        except OSError:  # not listening yet
            return False

    deadline = time.monotonic() + 120
    while not restarted():
        assert time.monotonic() < deadline, f"the killed replica did not come back:\n{deployment.log()}"
        time.sleep(0.5)
    assert f"exited with -{int(signal.SIGKILL)}; starting it again" in deployment.log()


def test_serve_stops_every_process_it_started_on_sigterm(deploy_warehouse: Path, tmp_path: Path) -> None:
    argv = as_run(readme_commands()["deploy.serve"], db=str(deploy_warehouse), port=str(free_port()), replicas="1")
    output = tmp_path / "serve.out"
    process = start_serve(argv, output)
    children = psutil.Process(process.pid).children()
    assert sorted(c.name() for c in children).count("caddy") == 1 and len(children) == 3
    os.kill(process.pid, signal.SIGTERM)  # the launcher only: it must pass the signal on
    assert process.wait(timeout=60) == 0
    _, alive = psutil.wait_procs(children, timeout=10)
    assert alive == []
    assert "stopped on signal SIGTERM" in output.read_text()
