"""The drivers page in Chromium (issue 12): both languages draw the indicator chart, the map of the indicator the link
names and the tables; a link copied from the address bar, the map's indicator included, opens the same view in a
fresh browser; on a phone (390 px) and a laptop (1366 px) the chart's labels stay apart and nothing scrolls
sideways."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bench.bench_pages import PHONE
from i18n import Lang, Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import commune_layer, expect_param, open_link, pick, query, settle, shown_cells, shown_rows

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

TITLE = "Nguyên nhân nghèo"  # the page's name in the navigation (Vietnamese, as `AppServer.pages` holds it)
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
FORMER_COMMUNES = 64


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def the_map(page: Page) -> Locator:
    """The drivers map's plotly graph (the chart keyed `drivers_map`)."""
    return page.locator(".st-key-drivers_map .js-plotly-plot")


def coloured(page: Page) -> dict[str, float]:
    """The map's coloured communes (those with a value shown to this viewer): code → the value its colour draws."""
    return the_map(page).evaluate("""gd => Object.fromEntries(gd._fullData
        .filter(t => t.type === 'choropleth' && t.showscale)
        .flatMap(t => Array.from(t.locations).map((code, i) => [code, t.z[i]])))""")


def indicator_box(page: Page, tr: Translator) -> Locator:
    return main(page).get_by_role("combobox", name=tr("drivers.map_indicator"))


def table(page: Page, header: str) -> Locator:
    """The page's table whose header holds `header`."""
    return main(page).get_by_test_id("stDataFrame").filter(has_text=header).first


def labels(db: Path, lang: Lang) -> dict[str, str]:
    """Indicator code → label of the 2022–2025 standard, read straight from the warehouse."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute(f"SELECT indicator, label_{lang} FROM indicators WHERE standard_id = '2022-2025' "  # noqa: S608
                                "ORDER BY position").fetchall())
    finally:
        con.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_page_draws_its_chart_map_and_tables_in_both_languages(app: AppServer, page: Page, lang: Lang) -> None:
    tr = Translator(lang)
    names = labels(app.db, lang)
    open_link(page, app.link(TITLE, f"lang={lang}&units=former&year=2024&indicator=water"))
    expect(main(page).locator("h1").first).to_have_text(tr("drivers.title", year=2024))
    expect(indicator_box(page, tr)).to_have_value(names["water"])
    layer = commune_layer(page, FORMER_COMMUNES, the_map(page))
    assert sorted(layer["locations"]) == sorted(set(layer["locations"])) and len(layer["locations"]) == 64
    expect(main(page).get_by_text(tr("drivers.map_note", indicator=names["water"]))).to_be_visible()
    # the indicator chart: one bar label per indicator of the standard
    chart = main(page).get_by_test_id("stPlotlyChart").first.locator(".js-plotly-plot")
    expect(chart.locator(".ytick")).to_have_count(12)
    indicators = table(page, tr("drivers.col.censored_headcount"))
    assert shown_rows(indicators) == 12
    headers, rows = shown_cells(indicators)
    assert headers[0] == tr("col.indicator") and [r[0] for r in rows] == list(names.values())
    assert shown_rows(table(page, tr("drivers.col.intensity"))) == FORMER_COMMUNES
    expect(page.get_by_test_id("stException")).to_have_count(0)
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name=tr("page.drivers"), exact=True)).to_be_visible()


def test_a_link_reproduces_the_view_the_maps_indicator_included(
        app: AppServer, page: Page, new_context: Callable[[], BrowserContext],
        warehouse_units: list[tuple[str, str, str, str]]) -> None:
    tr = Translator("vi")
    drawn = sum(1 for unit in warehouse_units if unit[2] == "958")  # Huyện Vĩnh Lợi's communes
    names = labels(app.db, "vi")
    open_link(page, app.link(TITLE, "units=former&district=958&year=2023"))
    default = commune_layer(page, drawn, the_map(page))  # drawn: the page's layout no longer moves
    box = indicator_box(page, tr)
    expect(box).not_to_have_value(names["water"])  # the default is the largest contributor, another one
    pick(page, box, names["water"])
    expect_param(page, "indicator", "water")
    expect(main(page).get_by_text(tr("drivers.map_note", indicator=names["water"]))).to_be_visible()
    layer = commune_layer(page, drawn, the_map(page))
    values = coloured(page)
    assert values, "no commune coloured: the comparison would be empty"
    assert sorted(layer["locations"]) == sorted(default["locations"])
    assert query(page.url) == {"units": ["former"], "district": ["958"], "area": ["all"], "group": ["all"],
                               "year": ["2023"], "lang": ["vi"], "indicator": ["water"]}
    figures = shown_cells(table(page, tr("drivers.col.censored_headcount")))
    communes = shown_cells(table(page, tr("drivers.col.intensity")))

    colleague = new_context().new_page()
    open_link(colleague, page.url)
    expect(indicator_box(colleague, tr)).to_have_value(names["water"])
    assert commune_layer(colleague, drawn, the_map(colleague)) == layer
    assert coloured(colleague) == values
    assert query(colleague.url) == query(page.url)
    assert shown_cells(table(colleague, tr("drivers.col.censored_headcount"))) == figures
    assert shown_cells(table(colleague, tr("drivers.col.intensity"))) == communes


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            wide = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
            high = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
            if wide > 1 and high > 1:
                out.append((a["text"], b["text"]))
    return out


_LABEL_BOXES = """(root, selector) => Array.from(root.querySelectorAll(selector)).map(e => {
    const r = e.getBoundingClientRect(); return {text: e.textContent, x: r.x, y: r.y, width: r.width, height: r.height};
})"""


@pytest.mark.parametrize(("screen", "lang"), [(PHONE, "vi"), (PHONE, "en"), (LAPTOP, "vi")],
                         ids=["phone-vi", "phone-en", "laptop-vi"])
def test_a_phone_and_a_laptop_read_the_chart_and_the_map(app: AppServer, browser: Browser, screen: dict, lang: Lang,
                                                          tmp_path: Path) -> None:
    """The chart's indicator names stay apart, the map is drawn whole, the page fits the screen's width; the
    screenshot (in the test's temporary folder) is what was looked at."""
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        tr = Translator(lang)
        open_link(page, app.link(TITLE, f"lang={lang}&units=current&year=2025&indicator=housing_quality"))
        chart = main(page).get_by_test_id("stPlotlyChart").first.locator(".js-plotly-plot")
        expect(chart.locator(".ytick")).to_have_count(12)
        boxes = [b for b in chart.evaluate(_LABEL_BOXES, ".ytick text") if b["width"]]
        assert len(boxes) >= 12 and not _overlaps(boxes), _overlaps(boxes)
        the_map(page).scroll_into_view_if_needed()
        commune_layer(page, 25, the_map(page))
        settle(page)
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]
        expect(indicator_box(page, tr)).to_be_visible()
        page.screenshot(path=str(tmp_path / f"drivers-{screen['viewport']['width']}-{lang}.png"), full_page=True)
    finally:
        context.close()
