"""The commune profile and the compare page in Chromium (issue 12): a link opens them in either language with their
unit(s), the address keeps the choice and reproduces the view in a fresh browser, a row of the ranking table opens
that row's profile with the ranking's filters, and on a phone the pages do not scroll sideways."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from bench.bench_pages import PHONE
from i18n import Lang, Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import expect_param, open_link, pick, query, scope_line, settle, shown_cells

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

PROFILE = "Hồ sơ xã"  # the pages' names in the navigation (Vietnamese, as `AppServer.pages` holds them)
COMPARE = "So sánh địa bàn"
LAPTOP = {"viewport": {"width": 1366, "height": 900}}


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def metrics(page: Page, count: int) -> dict[str, str]:
    """The page's metrics, label → value, once all `count` of them are drawn."""
    values = main(page).get_by_test_id("stMetric")
    expect(values).to_have_count(count)
    expect(values.last.get_by_test_id("stMetricValue")).to_be_visible()
    out = {}
    for metric in values.all():
        out[metric.get_by_test_id("stMetricLabel").inner_text().strip()] = \
            metric.get_by_test_id("stMetricValue").inner_text().strip()
    return out


def charts_drawn(page: Page, count: int) -> None:
    """Wait until `count` plotly charts have drawn their traces."""
    expect(main(page).locator(".js-plotly-plot")).to_have_count(count)
    for i in range(count):
        expect(main(page).locator(".js-plotly-plot").nth(i).locator(".trace").first).to_be_attached()


def legend(page: Page, index: int) -> list[str]:
    return [t.strip() for t in main(page).locator(".js-plotly-plot").nth(index).locator(".legendtext")
            .all_text_contents()]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_link_opens_the_profile_of_its_unit(app: AppServer, page: Page, lang: Lang) -> None:
    tr = Translator(lang)
    open_link(page, app.link(PROFILE, f"units=former&year=2024&commune=31834&lang={lang}"))
    expect(main(page).locator("h1").first).to_have_text(tr("profile.title", name="Xã Vĩnh Trạch"))
    shown = metrics(page, 7)  # households (3), ranks (3), the poor's deprivations (1)
    for key in ("col.households", "col.poor_households", "col.near_poor_households", "profile.rank.selection",
                "drivers.metric.intensity"):
        assert tr(key) in shown
    assert shown[tr("profile.rank.district", district="Thành phố Bạc Liêu")]
    charts_drawn(page, 3)  # the trajectory, the flows' waterfall, the drivers
    assert tr("pace.legend") in legend(page, 0)
    for heading in (tr("profile.trajectory_h"), tr("profile.rank_h", year=2024),
                    tr("profile.flows_h", start=2023, end=2024), tr("profile.drivers_h", year=2024)):
        expect(main(page).get_by_role("heading", name=heading)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert query(page.url)["commune"] == ["31834"] and query(page.url)["lang"] == [lang]
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name=tr("page.commune"), exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name=tr("page.compare"), exact=True)).to_be_visible()


def test_the_profile_link_reproduces_the_view(app: AppServer, page: Page,
                                              new_context: Callable[[], BrowserContext]) -> None:
    tr = Translator("vi")
    open_link(page, app.link(PROFILE, "units=current&year=2025&area=urban"))
    expect(main(page).locator("h1").first).to_have_text(tr("page.commune"))
    box = main(page).get_by_role("combobox", name=tr("profile.pick"))
    pick(page, box, "Phường Vĩnh Trạch")
    expect_param(page, "commune", "31834")
    expect(main(page).locator("h1").first).to_have_text(tr("profile.title", name="Phường Vĩnh Trạch"))
    figures, scope = metrics(page, 6), scope_line(page, tr)  # no district: two ranks
    assert query(page.url) == {"units": ["current"], "area": ["urban"], "group": ["all"], "year": ["2025"],
                               "lang": ["vi"], "commune": ["31834"]}

    colleague = new_context().new_page()
    open_link(colleague, page.url)
    expect(main(colleague).locator("h1").first).to_have_text(tr("profile.title", name="Phường Vĩnh Trạch"))
    assert metrics(colleague, 6) == figures and scope_line(colleague, tr) == scope
    assert query(colleague.url) == query(page.url)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_compare_link_draws_its_places_and_reproduces_the_view(app: AppServer, page: Page, lang: Lang,
                                                                 new_context: Callable[[], BrowserContext]) -> None:
    tr = Translator(lang)
    open_link(page, app.link(COMPARE, f"units=former&year=2024&compare=956&compare=31834&lang={lang}"))
    expect(main(page).locator("h1").first).to_have_text(tr("page.compare"))
    charts_drawn(page, 2)  # trajectories and drivers
    assert {"Huyện Hồng Dân", "Xã Vĩnh Trạch", tr("scope.province")} <= set(legend(page, 0))
    assert legend(page, 1)[:2] == ["Huyện Hồng Dân", "Xã Vĩnh Trạch"]
    assert query(page.url)["compare"] == ["956", "31834"]
    table = main(page).get_by_test_id("stDataFrame").filter(has_text=tr("profile.link_column")).first
    headers, rows = shown_cells(table)
    assert headers[:2] == [tr("compare.col_unit"), tr("profile.link_column")]
    assert [r[0] for r in rows] == ["Huyện Hồng Dân", "Xã Vĩnh Trạch"]
    assert rows[0][1] == "", "a district has no profile: an empty cell"
    assert query(rows[1][1])["commune"] == ["31834"] and rows[1][1].startswith("commune?")
    colleague = new_context().new_page()
    open_link(colleague, page.url)
    charts_drawn(colleague, 2)
    assert shown_cells(main(colleague).get_by_test_id("stDataFrame").filter(
        has_text=tr("profile.link_column")).first) == (headers, rows)
    assert query(colleague.url) == query(page.url)


def test_a_ranking_row_opens_its_profile_with_the_rankings_filters(app: AppServer, page: Page) -> None:
    """The ranking's link column: a row's link (opened from the grid's cell, as a reader's click or Enter does)
    leads to that row's unit, in a new tab, with the ranking's filters."""
    tr = Translator("en")
    open_link(page, app.link("Xếp hạng thi đua", "units=former&year=2024&group=minority&lang=en"))
    table = main(page).get_by_test_id("stDataFrame").last
    table.scroll_into_view_if_needed()
    headers, rows = shown_cells(table)
    assert headers[:2] == [tr("col.commune"), tr("profile.link_column")]
    first = rows[0][0]
    settle(page)
    link = page.locator("a.gdg-link-area")
    for _ in range(3):  # a click landing while the grid redraws (a rerun's last message) selects nothing: again
        box = table.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 30, box["y"] + 36 + 17)  # the first row's name cell
        page.keyboard.press("ArrowRight")  # its link cell
        page.keyboard.press("Enter")
        try:
            expect(link).to_have_count(1, timeout=10_000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    expect(link).to_have_count(1)
    assert link.get_attribute("href", timeout=5_000).startswith("commune?")
    with page.context.expect_page() as opened:
        link.click()
    profile = opened.value
    expect(main(profile).locator("h1").first).to_have_text(tr("profile.title", name=first))
    settle(profile)
    params = query(profile.url)
    assert {k: params[k] for k in ("units", "area", "group", "year", "lang")} == {
        "units": ["former"], "area": ["all"], "group": ["minority"], "year": ["2024"], "lang": ["en"]}
    assert profile.url.split("?")[0] == app.url + "/commune"


def test_the_maps_link_opens_the_chosen_communes_profile_in_the_same_tab(app: AppServer, page: Page) -> None:
    tr = Translator("vi")
    open_link(page, app.link("Bản đồ xã", "units=former&year=2024&area=rural"))
    box = main(page).get_by_role("combobox", name=tr("map.select_commune"))
    pick(page, box, "Xã Vĩnh Trạch – Thành phố Bạc Liêu")
    settle(page)
    main(page).get_by_role("link", name=tr("profile.open", name="Xã Vĩnh Trạch")).click()
    expect(main(page).locator("h1").first).to_have_text(tr("profile.title", name="Xã Vĩnh Trạch"))
    settle(page)
    params = query(page.url)
    assert params["commune"] == ["31834"] and params["area"] == ["rural"] and params["year"] == ["2024"]


@pytest.mark.parametrize(("screen", "lang"), [(PHONE, "vi"), (PHONE, "en"), (LAPTOP, "vi")],
                         ids=["phone-vi", "phone-en", "laptop-vi"])
def test_neither_page_scrolls_sideways(app: AppServer, browser: Browser, screen: dict, lang: Lang) -> None:
    context = browser.new_context(**screen)
    try:
        page = context.new_page()
        for title, link, drawn in ((PROFILE, "units=former&year=2024&commune=31846", 3),
                                   (COMPARE, "units=former&year=2024&compare=956&compare=31834&compare=31846", 2)):
            open_link(page, app.link(title, f"{link}&lang={lang}"))
            charts_drawn(page, drawn)
            assert page.evaluate("document.documentElement.scrollWidth") <= screen["viewport"]["width"]
    finally:
        context.close()
