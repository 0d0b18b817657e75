"""A page that fails, in Chromium: the viewer reads a short message with a reference, nothing internal; the server's
log has the traceback under that reference.

The failure is a real one: in a copy of the warehouse the `indicators` table (the method page's) is replaced by a view
over a CSV file in a private folder of the server, then the file is removed, so DuckDB's error names a server path.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, expect

from dashboard.navigation import PUBLIC_PAGES
from i18n import Translator
from tests.browser.conftest import AppServer
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import open_link, query, settle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]



@pytest.fixture
def broken_server(browser_warehouse: Path, tmp_path: Path) -> Iterator[tuple[str, Path, str]]:
    """(URL, server log, the private path DuckDB's error names)."""
    db = tmp_path / "baclieu.duckdb"
    shutil.copy(browser_warehouse, db)
    private = tmp_path / "srv-private" / "indicators_2021.csv"
    private.parent.mkdir()
    private.write_text("standard_id,position,indicator,dimension,label_vi,label_en\n", encoding="utf-8")
    con = duckdb.connect(str(db))
    try:
        con.execute("DROP TABLE indicators")
        con.execute(f"CREATE VIEW indicators AS SELECT * FROM read_csv('{private}')")  # noqa: S608 (our own path)
    finally:
        con.close()
    private.unlink()
    log = tmp_path / "server.log"
    process, url = start_streamlit(db, log)
    try:
        wait_healthy(process, url, log)
        yield url, log, str(private)
    finally:
        stop(process)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_failing_page_shows_a_reference_and_the_log_has_the_traceback(
    broken_server: tuple[str, Path, str], new_context: Callable[[], BrowserContext], lang: str
) -> None:
    url, log, secret = broken_server
    tr = Translator(lang)  # type: ignore[arg-type]
    page = new_context().new_page()
    open_link(page, f"{url}/method?lang={lang}")
    main = page.get_by_test_id("stMain")
    error = main.get_by_test_id("stAlertContentError")
    expect(error).to_have_count(1)
    settle(page)
    shown = error.get_by_test_id("stMarkdownContainer").inner_text().strip()
    [reference] = re.findall(r"\b[0-9a-f]{8}\b", shown)
    assert shown == tr("app.error", ref=reference)
    everything = page.locator("body").inner_text()
    for leak in (secret, "srv-private", "indicators_2021", "IO Error", "IOException", "Traceback", "duckdb",
                 "read_csv", "No files found"):
        assert leak not in everything
    assert page.get_by_test_id("stException").count() == 0
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link")).to_have_count(len(PUBLIC_PAGES))  # still usable

    # The operator finds the reference in the server's log, with the traceback and what DuckDB said.
    text = log.read_text(encoding="utf-8", errors="replace")
    at = text.index(f"error {reference} on page method")
    entry = text[at:at + 6000]
    assert "Traceback (most recent call last)" in entry and secret in entry and "pages/method.py" in entry


def test_a_link_to_no_page_opens_the_overview_with_a_translated_notice(
    app: AppServer, new_context: Callable[[], BrowserContext]
) -> None:
    """Streamlit's own English "Page not found" dialog never shows: the overview opens with a notice in Vietnamese,
    and the link's filters are kept."""
    page = new_context().new_page()
    open_link(page, f"{app.url}/bao_cao_cu?year=2023")
    tr = Translator("vi")
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text(tr("page.overview"))
    expect(main.get_by_text(tr("app.page_not_found"))).to_be_visible()
    assert query(page.url)["year"] == ["2023"]
    assert page.get_by_role("dialog").count() == 0
    assert "Page not found" not in page.locator("body").inner_text()


@pytest.mark.parametrize("path", ["/", "/import_data", "/overview?year=2024"])
def test_without_a_warehouse_every_address_shows_the_message_and_no_menu(
    tmp_path: Path, new_context: Callable[[], BrowserContext], path: str
) -> None:
    """A server started before its warehouse exists: whatever address is opened, the translated message alone —
    no menu listing the `pages/` folder (the import page's file among them), no uploader, no English dialog.
    (An address that names no page at all, on a fresh server's first request, still gets Streamlit's own "page not
    found" dialog: it is sent before app.py runs, in Streamlit's old-style `pages/` mode.)"""
    missing = tmp_path / "nowhere" / "baclieu.duckdb"
    log = tmp_path / "server.log"
    process, url = start_streamlit(missing, log)
    try:
        wait_healthy(process, url, log)
        page = new_context().new_page()
        page.goto(f"{url}{path}")
        expect(page.get_by_test_id("stAlertContentError")).to_have_text(  # its Markdown code ticks not shown
            Translator("vi")("app.no_warehouse").replace("`", ""))
        settle(page)
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert page.get_by_test_id("stFileUploader").count() == 0
        assert page.get_by_role("dialog").count() == 0
        assert str(tmp_path) not in page.get_by_test_id("stApp").inner_text()
    finally:
        stop(process)
