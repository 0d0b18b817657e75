"""What a leader sees first: on a phone (390 × 844) and a laptop (1366 × 900) the overview's first screen holds the
province poor rate and both of its judgements (pace on the path, the plan's end goal), without scrolling."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from bench.bench_pages import PHONE
from tests.browser.conftest import AppServer
from tests.browser.ui import open_link

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"viewport": {"width": 1366, "height": 900}}


@pytest.mark.parametrize(("screen", "lang", "pace", "goal"), [
    (PHONE, "vi", "Tiến độ theo lộ trình: Đúng tiến độ", "Đạt mục tiêu dưới 1 % (2025)"),
    (PHONE, "en", "Pace on its path: On track", "Goal met: under 1 % (2025)"),
    (LAPTOP, "vi", "Tiến độ theo lộ trình: Đúng tiến độ", "Đạt mục tiêu dưới 1 % (2025)"),
], ids=["phone-vi", "phone-en", "laptop-vi"])
def test_the_province_rate_and_its_status_are_on_the_first_screen(app: AppServer, browser: Browser, screen: dict,
                                                                   lang: str, pace: str, goal: str) -> None:
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        open_link(page, app.link("Tổng quan", f"lang={lang}"))
        main = page.get_by_test_id("stMain")
        rate = main.get_by_test_id("stMetricValue").first
        expect(rate).to_have_text("0,95 %" if lang == "vi" else "0.95 %")
        height = screen["viewport"]["height"]
        for element in (rate, main.get_by_text(pace).first, main.get_by_text(goal).first):
            expect(element).to_be_visible()
            box = element.bounding_box()
            assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, (element, box)
        # a phone does not scroll sideways to read it
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]
    finally:
        context.close()


def test_the_overviews_tables_print_whole_and_keep_the_place_in_view_on_a_phone(app: AppServer,
                                                                                browser: Browser) -> None:
    """The overview's static tables (fresh-user pass): printed from a laptop, no sidebar and every column within
    the page, the last column's header on paper; on a phone, the table scrolls in its box with the place's name
    kept in view."""
    context = browser.new_context(**LAPTOP)
    try:
        page = context.new_page()
        open_link(page, app.link("Tổng quan", "units=former&year=2024&area=rural&group=minority"))
        tables = [page.locator(f".st-key-overview_{key}_table table") for key in ("districts", "targets")]
        for table in tables:
            expect(table).to_be_visible()
        page.emulate_media(media="print")
        expect(page.get_by_test_id("stSidebar")).to_be_hidden()
        for table in tables:
            box = table.bounding_box()
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= LAPTOP["viewport"]["width"], box
            last = table.locator("th").last.bounding_box()
            assert last is not None and last["x"] + last["width"] <= LAPTOP["viewport"]["width"], last
    finally:
        context.close()
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        open_link(page, app.link("Tổng quan", "units=former&year=2024"))
        table = page.locator(".st-key-overview_districts_table table")
        expect(table).to_be_visible()
        first = table.locator("tbody tr").first.locator("td, th").first
        before = first.bounding_box()
        scrolled = table.evaluate("""t => { let e = t.parentElement;
            while (e && e.scrollWidth <= e.clientWidth) e = e.parentElement;
            if (!e) return 0; e.scrollLeft = 300; return e.scrollLeft; }""")
        assert scrolled > 0, "the table is wider than a phone: it scrolls in its box"
        after = first.bounding_box()
        assert before is not None and after is not None and abs(after["x"] - before["x"]) < 1, (before, after)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    finally:
        context.close()
