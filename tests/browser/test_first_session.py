"""The first browser session after the server starts: the first visitor after a deploy must get a working sidebar.

Streamlit treats an app with a `pages/` folder as an old-style multipage app until `st.navigation` first runs in the
process; the other browser tests visit once before they start (fixture `app`), so this one runs its own server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from dashboard.navigation import PUBLIC_PAGES
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import Sidebar, open_link, query

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def fresh_server(browser_warehouse: Path, tmp_path: Path) -> Iterator[str]:
    log = tmp_path / "server.log"
    process, url = start_streamlit(browser_warehouse, log, env={"POVERTY_ALLOW_IMPORT": "1"})  # as `make run`
    try:
        wait_healthy(process, url, log)
        yield url
    finally:
        stop(process)


@pytest.mark.parametrize(("link", "year", "area"), [
    ("/", None, "Tất cả"),
    # a shared link to another page, with filters, as the very first request the server gets
    ("/ranking?year=2023&area=rural", "2023", "Nông thôn"),
    # an overview link by name, from before the overview moved to `/` (it opens at `/`, see app.py)
    ("/overview?year=2022&area=urban", "2022", "Thành thị"),
], ids=["root", "page-with-filters", "overview-by-name"])
def test_first_visitor_after_start_keeps_the_other_filters_when_picking_a_place(
    fresh_server: str, new_context: Callable[[], BrowserContext], link: str, year: str | None, area: str
) -> None:
    page: Page = new_context().new_page()
    open_link(page, fresh_server + link)
    year = year or query(page.url)["year"][0]
    sidebar = Sidebar(page)
    if query(page.url)["units"] == ["current"]:  # the latest year is filed in the current units: no districts
        sidebar.add_unit("Xã Hồng Dân", "31843")  # near the top of the list (a long list draws what is in view)
    else:
        sidebar.add_district("Huyện Vĩnh Lợi", "958")
    assert query(page.url)["year"] == [year]
    assert sidebar.checked_segment("filter.area") == area
    assert sidebar.checked_segment("filter.lang") == "Tiếng Việt"


def test_a_bookmarked_import_link_as_first_request_gets_the_whole_app(
    fresh_server: str, new_context: Callable[[], BrowserContext]
) -> None:
    """The import page works without filters, but it must still run inside the app: sidebar and titled menu."""
    page: Page = new_context().new_page()
    open_link(page, fresh_server + "/import_data")
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text("Nhập kết quả rà soát hằng năm")
    menu = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(menu).to_have_count(len(PUBLIC_PAGES) + 1)  # and the import page
    expect(menu.last).to_contain_text("Nhập dữ liệu")
    expect(Sidebar(page).radiogroup("filter.lang")).to_be_visible()
