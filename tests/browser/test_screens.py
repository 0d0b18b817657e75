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
