"""Browser fixtures: a small demo warehouse, the app served by `streamlit run`, and Debian's Chromium via Playwright.

Every test here is marked `browser` and sits in the xdist group "browser", so one worker runs them all and the
warehouse, the server and the browser are started once. Chromium is never downloaded by Playwright: it is Debian's
(`apt-get install chromium`, done by `.ci/run`), found at $CHROMIUM_PATH, on the PATH, or at /usr/bin/chromium.
A missing Chromium is a test failure, not a skip.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from data.build import build
from tests.browser.server import ChromiumMissing, launch_chromium, start_streamlit, stop, wait_healthy

HOUSEHOLDS = 20_000
# Auto-waiting assertions: the first run of a fresh session builds figures and loads boundaries. The bounds are for
# liveness only (a passing check returns as soon as it holds): generous, since CI shares two cores with other jobs and
# one run at a load average of 10 did exceed 20 s.
expect.set_options(timeout=60_000)


@dataclass(frozen=True)
class AppServer:
    url: str
    db: Path
    log: Path
    pages: dict[str, str] = field(default_factory=dict)

    def link(self, title: str, query: str = "") -> str:
        """The address of the page titled `title` (Vietnamese, as in the navigation), with `query` appended."""
        return self.pages[title] + (f"?{query}" if query else "")


@pytest.fixture(scope="session")
def browser_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo warehouse (20,000 households): every page has data, and it builds in about a second."""
    path = tmp_path_factory.mktemp("browser-warehouse") / "baclieu.duckdb"
    build(path, households=HOUSEHOLDS, log=lambda _m: None)
    return path


@pytest.fixture(scope="session")
def app_server(browser_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """The dashboard served by `streamlit run app.py` on a free port; killed at the end of the session."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    process, url = start_streamlit(browser_warehouse, log)
    try:
        wait_healthy(process, url, log)
        yield AppServer(url=url, db=browser_warehouse, log=log)
    finally:
        stop(process)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except ChromiumMissing as missing:
            pytest.fail(str(missing), pytrace=False)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def app(app_server: AppServer, browser: Browser) -> AppServer:
    """The served app after one throwaway visit, so the tests meet a server past its first session.

    The first session after start-up is special in Streamlit (the `pages/` folder is treated as an old-style
    multipage app until `st.navigation` runs) and is tested on its own in test_first_session.py.
    """
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(app_server.url + "/")
        expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
        links = page.get_by_test_id("stSidebarNav").get_by_role("link")
        expect(links.first).to_be_visible()
        pages = {link.get_by_test_id("stMarkdownContainer").inner_text().strip(): str(link.get_attribute("href"))
                 for link in links.all()}
    finally:
        context.close()
    return replace(app_server, pages=pages)


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[[], BrowserContext]]:
    """Make fresh browser contexts (no cookies, no storage: a colleague opening a link); all closed afterwards."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="vi-VN",
                                      accept_downloads=True)
        context.set_default_timeout(60_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[[], BrowserContext]) -> Page:
    return new_context().new_page()


def _units(db: Path, unit_set: str) -> list[tuple[str, str, str, str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT commune_code, commune_name, district_code, district_name FROM units WHERE unit_set = $set "
            "ORDER BY commune_code", {"set": unit_set}
        ).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="session")
def warehouse_units(browser_warehouse: Path) -> list[tuple[str, str, str, str]]:
    """(commune_code, commune_name, district_code, district_name) of every FORMER unit (the 64 communes in 7
    districts), read straight from the warehouse."""
    return _units(browser_warehouse, "former")


@pytest.fixture(scope="session")
def current_units(browser_warehouse: Path) -> list[tuple[str, str, str, str]]:
    """(commune_code, commune_name, None, None) of every CURRENT unit (25, no districts), from the warehouse."""
    return _units(browser_warehouse, "current")
