"""Pace to the goal in Chromium (issue 12, item 3): /trajectories?year=2023 draws the projection at the current pace
(its legend entry, long-dashed lines) and the pace table with every header marked as a projection, in both
languages; the ranking's tables carry the projection columns; on a phone and a laptop the page does not scroll
sideways (screenshots of both are saved in the test's tmp_path to be looked at)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from bench.bench_pages import PHONE
from i18n import Lang, Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import open_link, shown_cells

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LAPTOP = {"viewport": {"width": 1366, "height": 900}}


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def chart(page: Page) -> Locator:
    graph = main(page).locator(".js-plotly-plot").first
    expect(graph.locator(".scatterlayer .trace").first).to_be_attached()
    return graph


def pace_table(page: Page, tr: Translator) -> Locator:
    # by a header the grid draws on any screen (its first projection column)
    return main(page).get_by_test_id("stDataFrame").filter(has_text=tr("pace.col.projected_rate", year=2025)).first


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_trajectories_show_the_projection_and_its_table(app: AppServer, page: Page, lang: Lang) -> None:
    tr = Translator(lang)
    open_link(page, f"{app.url}/trajectories?year=2023&lang={lang}")
    graph = chart(page)
    # the legend names the projection once; its lines are drawn long-dashed (plotly writes the dash into the path)
    expect(graph.locator(".legend .legendtext").filter(has_text=tr("pace.legend"))).to_have_count(1)
    dashes = graph.evaluate("""(g, name) => g.data.filter(t => (t.name || '').includes(name) && t.x[0] !== null)
                                   .map(t => [t.line.dash, Math.min(...t.y), t.x[0], t.x[t.x.length - 1]])""",
                            tr("pace.legend"))
    assert len(dashes) == 8 and all(d == ["longdash", d[1], 2023, 2025] and d[1] >= 0 for d in dashes), dashes
    expect(main(page).get_by_text(tr("pace.chart_note", year=2023, goal_year=2025))).to_be_visible()
    # the pace table below: seven districts and the province, every projection header marked as one
    expect(main(page).get_by_role("heading", name=tr("pace.title", year=2023))).to_be_visible()
    headers, rows = shown_cells(pace_table(page, tr))
    assert headers[0] == tr("col.district")
    assert headers[1:3] == [tr("pace.col.projected_rate", year=2025), tr("pace.col.reach_year")]
    assert all(h.startswith(tr("pace.col.basis").split(":")[0]) for h in headers[1:])
    assert len(rows) == 8 and rows[-1][0] == tr("scope.province")
    assert all(row[1] and row[2] for row in rows)  # a projected rate and a year (or why none) for every row
    expect(main(page).get_by_text(tr("pace.method", window=3, horizon=2050))).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_the_ranking_shows_the_projection_columns(app: AppServer, browser: Browser) -> None:
    """On a screen wide enough for the grid to lay out every column, the district ranking's header has the three
    projection columns, and the page says what they are."""
    tr = Translator("en")
    context = browser.new_context(viewport={"width": 4000, "height": 1200})
    try:
        page = context.new_page()
        open_link(page, f"{app.url}/ranking?year=2023&lang=en")
        districts = main(page).get_by_test_id("stDataFrame").filter(has_text=tr("col.rank")).nth(0)
        headers, rows = shown_cells(districts)
        wanted = [tr("pace.col.projected_rate", year=2025), tr("pace.col.reach_year"),
                  tr("pace.col.households_per_year")]
        assert all(w in headers for w in wanted), headers
        at = headers.index(wanted[1])
        assert all(r[at].isdigit() or r[at].startswith("not") for r in rows), rows
        expect(main(page).get_by_text(tr("pace.ranking_note"), exact=False)).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize(("screen", "name"), [(PHONE, "phone-390"), (LAPTOP, "laptop-1366")])
def test_the_projection_fits_the_screen(app: AppServer, browser: Browser, tmp_path: Path, screen: dict,
                                        name: str) -> None:
    """The chart with its projection legend and the pace table fit a 390 px phone and a 1366 px laptop without
    sideways scrolling; the screenshots are kept for a reader to look at."""
    tr = Translator("en")
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        open_link(page, f"{app.url}/trajectories?year=2023&lang=en")
        graph = chart(page)
        legend = graph.locator(".legend .legendtext").filter(has_text=tr("pace.legend"))
        expect(legend).to_have_count(1)
        box, plot = legend.bounding_box(), graph.bounding_box()
        assert box and plot and box["x"] + box["width"] <= plot["x"] + plot["width"] + 1  # inside the chart
        graph.screenshot(path=str(tmp_path / f"{name}-chart.png"))
        table = pace_table(page, tr)
        table.scroll_into_view_if_needed()
        expect(table).to_be_visible()
        page.screenshot(path=str(tmp_path / f"{name}-page.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]
    finally:
        context.close()
