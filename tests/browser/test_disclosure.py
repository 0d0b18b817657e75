"""In Chromium, as a viewer who is not signed in: a commune with fewer than 10 households in the selection is drawn in
the "hidden" violet with its legend entry, and hovering it shows the marker ("≤9 hộ — ẩn"), never a figure."""

from __future__ import annotations

import re

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer
from tests.browser.ui import open_link

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

HIDDEN_FILL = "rgb(163, 147, 207)"  # theme.SUPPRESSED, #a393cf
NO_DATA_FILL = "rgb(191, 191, 191)"  # theme.NO_DATA

# A point inside a commune's outline (plotly's geo map takes the pointer on a layer above the paths), and its fill.
_POINT_JS = """(gd, code) => {
    const path = Array.from(gd.querySelectorAll('path.choroplethlocation')).find(p => p.__data__.loc === code);
    if (!path) return null;
    const r = path.getBoundingClientRect(), toPath = path.getScreenCTM().inverse();
    for (let i = 6; i > 0; i--) for (let j = 1; j < 12; j++) {
        const x = r.left + r.width * (i % 2 ? 6 + i / 2 : 6 - i / 2) / 12, y = r.top + r.height * j / 12;
        if (path.isPointInFill(new DOMPoint(x, y).matrixTransform(toPath)))
            return {x, y, fill: getComputedStyle(path).fill};
    }
    return null;
}"""


def test_hovering_a_hidden_commune_shows_the_marker(app: AppServer, page: Page) -> None:
    con = duckdb.connect(str(app.db), read_only=True)
    try:
        small = con.execute(
            """SELECT commune_code, any_value(commune_name), count(*) AS n,
                      count(*) FILTER (status = 'poor') AS poor
               FROM classified JOIN units USING (commune_code, district_code)
               WHERE year = 2024 AND ethnicity = 'khmer' AND district_code = '960'
               GROUP BY commune_code HAVING count(*) < 10 ORDER BY poor DESC, commune_code""").fetchall()
    finally:
        con.close()
    assert small, "Đông Hải has communes with fewer than 10 Khmer households at this size"
    code, name, households, poor = small[0]
    assert poor > 0, "a hidden commune with a poor household: its rate would not be 0"
    rate = f"{100 * poor / households:.2f}".replace(".", ",")

    open_link(page, app.link("Bản đồ xã", "district=960&group=khmer&year=2024"))
    graph = page.get_by_test_id("stPlotlyChart").locator(".js-plotly-plot").first
    expect(graph.locator("path.choroplethlocation").first).to_be_attached()
    graph.scroll_into_view_if_needed()
    page.wait_for_function(f"gd => ({_POINT_JS})(gd, '{code}') !== null", arg=graph.element_handle())
    point = graph.evaluate(_POINT_JS, code)
    assert point["fill"] == HIDDEN_FILL != NO_DATA_FILL
    expect(graph.locator("g.legend")).to_contain_text("Ẩn để bảo vệ số liệu ít hộ")

    page.mouse.move(point["x"], point["y"])
    label = graph.locator("g.hoverlayer g.hovertext")
    expect(label).to_contain_text("≤9 hộ — ẩn")
    shown = label.text_content() or ""
    assert name in shown
    assert not re.search(r"\d", shown.replace("≤9", "")), shown  # no rate, no household count
    assert rate not in page.get_by_test_id("stMain").inner_text()
