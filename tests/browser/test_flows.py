"""The flows page in Chromium (issue 11): both languages draw the waterfall, the Sankey and the tables; a link copied
from the address bar, page controls included, opens the same view in a fresh browser; on a phone nothing of the
charts overlaps and the page does not scroll sideways."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bench.bench_pages import PHONE
from i18n import Lang, Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import Sidebar, expect_param, open_link, query, scope_line, settle, shown_cells

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Biến động hộ nghèo"  # the page's name in the navigation (Vietnamese, as `AppServer.pages` holds it)
LAPTOP = {"viewport": {"width": 1366, "height": 900}}


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def charts_drawn(page: Page) -> None:
    """Wait until the waterfall's bars and the Sankey's nodes are on screen."""
    expect(main(page).locator(".js-plotly-plot .waterfalllayer .point").first).to_be_visible()
    expect(main(page).locator(".js-plotly-plot .sankey-node").first).to_be_visible()


def control(page: Page, tr: Translator, name: str) -> Locator:
    """The page's own segmented control (`class` or `count`), by its translated label."""
    return main(page).get_by_role("radiogroup", name=tr(f"filter.flow_{name}"), exact=True)


def checked(page: Page, tr: Translator, name: str) -> str:
    return control(page, tr, name).locator('[role="radio"][aria-checked="true"]').inner_text().strip()


def accounting_table(page: Page, tr: Translator) -> tuple[list[str], list[list[str]]]:
    """The selection's accounting table (category, households, people) as the grid shows it."""
    table = main(page).get_by_test_id("stDataFrame").filter(has_text=tr("flows.col.category")).first
    return shown_cells(table)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_draws_its_charts_and_tables_in_both_languages(app: AppServer, page: Page, lang: Lang) -> None:
    tr = Translator(lang)
    open_link(page, app.link(TITLE, f"lang={lang}&units=former&year=2024"))
    expect(main(page).locator("h1").first).to_have_text(tr("flows.title", start=2023, end=2024))
    charts_drawn(page)
    poor = re.compile(rf"^{re.escape(tr('flows.class_short.poor'))}$")
    expect(main(page).locator(".js-plotly-plot .sankey-node .node-label").filter(has_text=poor)).to_have_count(2)
    headers, rows = accounting_table(page, tr)
    assert headers == [tr("flows.col.category"), tr("flows.count.households"), tr("flows.count.people")]
    assert rows[0][0] == tr("flows.total.poor", year=2023) and rows[-1][0] == tr("flows.total.poor", year=2024)
    for title in (tr("flows.districts", start=2023, end=2024), tr("flows.communes", start=2023, end=2024)):
        expect(main(page).get_by_role("heading", name=title)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name=tr("page.flows"), exact=True)).to_be_visible()


def test_a_link_reproduces_the_view_page_controls_included(app: AppServer, page: Page,
                                                           new_context: Callable[[], BrowserContext]) -> None:
    open_link(page, app.link("Tổng quan", "units=former&year=2024"))
    sidebar = Sidebar(page)
    sidebar.add_district("Huyện Hồng Dân", "956")
    sidebar.area("rural")
    sidebar.go_to(TITLE)
    settle(page)
    expect_param(page, "class", "poor")
    tr = sidebar.tr
    control(page, tr, "class").get_by_role("radio", name=tr("flows.class.near_poor"), exact=True).click()
    expect_param(page, "class", "near_poor")
    control(page, tr, "count").get_by_role("radio", name=tr("flows.count.people"), exact=True).click()
    expect_param(page, "count", "people")
    charts_drawn(page)
    assert query(page.url) == {"units": ["former"], "district": ["956"], "area": ["rural"], "group": ["all"],
                               "year": ["2024"], "lang": ["vi"], "class": ["near_poor"], "count": ["people"]}
    expect(main(page).get_by_role("heading", name=tr("flows.accounting.near_poor", start=2023, end=2024)))\
        .to_be_visible()
    figures, scope = accounting_table(page, tr), scope_line(page, tr)

    colleague = new_context().new_page()
    open_link(colleague, page.url)
    charts_drawn(colleague)
    assert query(colleague.url) == query(page.url)
    assert checked(colleague, tr, "class") == tr("flows.class.near_poor")
    assert checked(colleague, tr, "count") == tr("flows.count.people")
    assert scope_line(colleague, tr) == scope
    assert accounting_table(colleague, tr) == figures
    # the page's own parameters stay with the page
    Sidebar(colleague).go_to("Tổng quan")
    expect(main(colleague).locator("h1").first).to_have_text("Tổng quan")
    settle(colleague)
    assert "class" not in query(colleague.url) and query(colleague.url)["district"] == ["956"]


def _overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    """Pairs of boxes (x, y, width, height) that share more than a pixel each way."""
    out = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[i + 1:], start=i + 1):
            wide = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            high = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            if wide > 1 and high > 1:
                out.append((i, j))
    return out


_LABEL_BOXES = """(root, selector) => Array.from(root.querySelectorAll(selector)).map(e => {
    const r = e.getBoundingClientRect(); return {text: e.textContent, x: r.x, y: r.y, width: r.width, height: r.height};
})"""


@pytest.mark.parametrize(("screen", "lang"), [(PHONE, "vi"), (PHONE, "en"), (LAPTOP, "vi")],
                         ids=["phone-vi", "phone-en", "laptop-vi"])
def test_nothing_on_the_charts_overlaps_and_a_phone_does_not_scroll_sideways(
        app: AppServer, browser: Browser, screen: dict, lang: Lang) -> None:
    """The waterfall's category names and the Sankey's class names each stay apart (a name that overlaps another
    cannot be read), including the area-change categories of an area filter; the page fits the screen's width."""
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        for link in (f"lang={lang}", f"lang={lang}&units=former&year=2025&area=urban&class=near_poor&count=people"):
            open_link(page, app.link(TITLE, link))
            charts_drawn(page)
            graphs = main(page).locator(".js-plotly-plot")
            for graph, selector in ((graphs.nth(0), ".ytick text"), (graphs.nth(1), ".sankey-node .node-label")):
                boxes = [b for b in graph.evaluate(_LABEL_BOXES, selector) if b["width"]]
                assert len(boxes) >= 5, (selector, boxes)
                assert not _overlaps(boxes), [(boxes[i]["text"], boxes[j]["text"]) for i, j in _overlaps(boxes)]
            assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]
    finally:
        context.close()
