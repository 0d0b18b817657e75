"""The commune map on a phone and on a laptop: every commune inside the plot and the screen, colour bars titled with
their unit, grey "no data" communes, a click picking a commune; the trajectories plot tall enough on a phone.

Positions are read from the SVG plotly draws for a `geo` subplot: one `path.choroplethlocation` per commune (its
datum's `loc` is the commune code) inside the subplot's background rectangle, the frame the map is fitted to.
"""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest
from playwright.sync_api import Browser, Page, expect

from i18n import Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import open_link, settle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
NO_DATA_FILL = "rgb(191, 191, 191)"  # theme.NO_DATA, #bfbfbf

# Every commune's box on screen, the map frame (the geo subplot's background), the plot and the window's width.
_GEOMETRY_JS = """gd => {
    const box = e => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
    const paths = Array.from(gd.querySelectorAll('path.choroplethlocation'));
    return {
        communes: paths.map(p => ({code: p.__data__.loc, fill: getComputedStyle(p).fill, ...box(p)})),
        frame: box(gd.querySelector('g.geo .bglayer rect, g.geo .bg rect')),
        plot: box(gd.querySelector('svg.main-svg')),
        window: window.innerWidth,
    };
}"""


@pytest.fixture(params=[PHONE, LAPTOP], ids=["phone", "laptop"])
def sized_page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=request.param, locale="vi-VN")
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def _map(page: Page, communes: int) -> dict:
    graph = page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot").first
    expect(graph).to_be_visible()
    expect(graph.locator("path.choroplethlocation")).to_have_count(communes)
    graph.scroll_into_view_if_needed()
    return graph.evaluate(_GEOMETRY_JS)


def _inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (inner["l"] >= outer["l"] - slack and inner["t"] >= outer["t"] - slack
            and inner["r"] <= outer["r"] + slack and inner["b"] <= outer["b"] + slack)


def test_every_commune_is_inside_the_map_and_the_screen(app: AppServer, sized_page: Page,
                                                        warehouse_units: list[tuple[str, str, str, str]]) -> None:
    open_link(sized_page, app.link("Bản đồ xã", "metric=poor_rate&units=former"))
    seen = _map(sized_page, 64)
    assert sorted(c["code"] for c in seen["communes"]) == sorted(code for code, *_ in warehouse_units)
    screen = {"l": 0, "t": float("-inf"), "r": seen["window"], "b": float("inf")}
    assert _inside(seen["frame"], seen["plot"]) and _inside(seen["frame"], screen), seen["frame"]
    outside = [c for c in seen["communes"] if not (_inside(c, seen["frame"]) and _inside(c, screen))]
    assert not outside, f"communes cut off: {outside} (frame {seen['frame']}, window {seen['window']})"
    # fitted, not merely inside: the province spans most of the frame's width or height (plotly keeps a small margin)
    west, east = min(c["l"] for c in seen["communes"]), max(c["r"] for c in seen["communes"])
    north, south = min(c["t"] for c in seen["communes"]), max(c["b"] for c in seen["communes"])
    frame = seen["frame"]
    assert max((east - west) / (frame["r"] - frame["l"]), (south - north) / (frame["b"] - frame["t"])) > 0.85
    # large on a laptop, the whole width on a phone
    if seen["window"] < 500:
        assert east - west > 0.8 * seen["window"], (west, east)
    else:
        assert south - north > 380, (north, south)


def test_change_map_has_a_titled_colour_bar_in_the_page_language(app: AppServer, sized_page: Page) -> None:
    for lang in ("vi", "en"):
        open_link(sized_page, app.link("Bản đồ xã", f"metric=change_since_baseline&lang={lang}&units=former"))
        _map(sized_page, 64)
        title = sized_page.get_by_test_id("stPlotlyChart").first.locator(".cbtitle text").first
        expect(title).to_have_text(Translator(lang)("map.scale.change_since_baseline"))
        expect(title).to_contain_text("(điểm %)" if lang == "vi" else "(pts)")


def test_communes_without_data_are_drawn_grey_and_named(app: AppServer, page: Page) -> None:
    """Urban households only: the rural communes have no data in the selection; they stay on the map, in grey."""
    con = duckdb.connect(str(app.db), read_only=True)
    try:
        rural = {code for (code,) in con.execute(
            "SELECT commune_code FROM units WHERE area = 'rural' AND unit_set = 'former'").fetchall()}
    finally:
        con.close()
    assert 0 < len(rural) < 64
    open_link(page, app.link("Bản đồ xã", "metric=poor_rate&area=urban&year=2024"))  # 2024: the former units
    seen = _map(page, 64)
    grey = {c["code"] for c in seen["communes"] if c["fill"] == NO_DATA_FILL}
    assert grey == rural
    expect(page.get_by_test_id("stPlotlyChart").first.locator("g.legend")).to_have_text("Chưa có dữ liệu")


def test_a_click_on_a_commune_picks_it(app: AppServer, page: Page,
                                       warehouse_units: list[tuple[str, str, str, str]]) -> None:
    code, name, _, district = next(u for u in warehouse_units if u[0] == "31837")
    open_link(page, app.link("Bản đồ xã", "year=2024"))
    _map(page, 64)
    graph = page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot").first
    # a point inside the commune's outline (plotly's geo map takes the pointer on a layer above the paths)
    point = graph.evaluate("""(gd, code) => {
        const path = Array.from(gd.querySelectorAll('path.choroplethlocation')).find(p => p.__data__.loc === code);
        const r = path.getBoundingClientRect(), toPath = path.getScreenCTM().inverse();
        for (let i = 6; i > 0; i--) for (let j = 1; j < 12; j++) {
            const x = r.left + r.width * (i % 2 ? 6 + i / 2 : 6 - i / 2) / 12, y = r.top + r.height * j / 12;
            if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath))) return [x, y];
        }
        return null;
    }""", code)
    assert point, "no clickable point on the commune"
    page.mouse.click(*point)
    settle(page)
    expect(page.locator(".st-key-map_commune").get_by_role("combobox")).to_have_value(f"{name} – {district}")
    expect(page.get_by_test_id("stMain")).to_contain_text(f"{name}: thiếu hụt theo 12 chỉ số, năm 2024")


@pytest.mark.parametrize("units", ["former", "current"])
def test_trajectories_keep_a_tall_plot_on_a_phone(app: AppServer, browser: Browser, units: str) -> None:
    """The 7 districts' legend stays shorter than the plot; the 25 current units' legend is longer (one name a row on
    a phone), and the plot keeps its height under it."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN")
    try:
        page = context.new_page()
        for lang, both in (("vi", "Cả hai"), ("en", "Both")):
            open_link(page, app.link("Xu hướng", f"lang={lang}&units={units}"))
            page.get_by_test_id("stButtonGroup").get_by_role("radio", name=both, exact=True).click()
            settle(page)
            graph = page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot").first
            expect(graph.locator("g.legend")).to_be_visible()
            # the chart is redrawn after the click: wait for the figure with both measures (dotted near-poor lines)
            # to be laid out before measuring it
            page.wait_for_function(
                "() => { const gd = document.querySelector('[data-testid=stPlotlyChart] .js-plotly-plot');"
                " return gd && gd._fullLayout && gd._fullLayout._size && gd.querySelector('g.legend') && gd.data"
                " && gd.data.some(t => t.line && t.line.dash === 'dot'); }")
            size = graph.evaluate("gd => ({plot: gd._fullLayout._size.h, "
                                  "legend: gd.querySelector('g.legend').getBoundingClientRect().height})")
            assert size["plot"] >= 300, size
            if units == "former":
                assert size["legend"] < size["plot"], size
    finally:
        context.close()
