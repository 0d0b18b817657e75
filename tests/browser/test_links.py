"""Filters travel in the link: set them in the sidebar, copy the address, open it elsewhere, find the same view;
move between pages and keep them; a broken link is cleaned up with a notice and the page still renders."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from i18n import Translator
from tests.browser.conftest import AppServer
from tests.browser.ui import Sidebar, expect_param, headline, open_link, query, scope_line, settle

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

VINH_LOI, HONG_DAN = ("958", "Huyện Vĩnh Lợi"), ("956", "Huyện Hồng Dân")


def test_filters_set_in_the_sidebar_reopen_as_the_same_view_in_a_fresh_browser(
    app: AppServer, page: Page, new_context: Callable[[], BrowserContext]
) -> None:
    open_link(page, app.link("Tổng quan"))
    assert query(page.url)["lang"] == ["vi"]  # the defaults are written to the address at once
    assert query(page.url)["units"] == ["current"]  # the latest year, 2025, is filed in the current units
    sidebar = Sidebar(page)
    sidebar.units("former", 64)
    sidebar.add_district(VINH_LOI[1], VINH_LOI[0])
    sidebar.area("rural")
    sidebar.group("khmer")
    sidebar.year(2023)
    sidebar.language("en")

    assert query(page.url) == {"units": ["former"], "district": [VINH_LOI[0]], "area": ["rural"],
                               "group": ["khmer"], "year": ["2023"], "lang": ["en"]}
    tr = Translator("en")
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Overview")
    shown = sidebar.state()
    assert shown == {"units": tr("units.former", n=64), "districts": [VINH_LOI[1]], "area": "Rural",
                     "group": "Khmer", "year": "2023", "lang": "English"}
    figures, scope = headline(page), scope_line(page, tr)
    assert scope == (f"Scope: {VINH_LOI[1]} · Rural · Khmer · 2023\n"
                     "In the former units (64 communes, wards and townships in 7 districts).")

    link = page.url
    colleague = new_context().new_page()
    open_link(colleague, link)
    Sidebar(colleague, "en").expect_districts([VINH_LOI[1]])
    assert Sidebar(colleague, "en").state() == shown
    assert headline(colleague) == figures
    assert scope_line(colleague, tr) == scope
    assert query(colleague.url) == query(link)


def test_filters_persist_when_moving_between_pages(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Tổng quan", f"district={HONG_DAN[0]}&district={VINH_LOI[0]}&area=urban&year=2024"))
    sidebar = Sidebar(page)
    sidebar.expect_districts([HONG_DAN[1], VINH_LOI[1]])
    expected = {"units": ["former"], "district": [HONG_DAN[0], VINH_LOI[0]], "area": ["urban"], "group": ["all"],
                "year": ["2024"], "lang": ["vi"]}
    assert query(page.url) == expected
    state = sidebar.state()
    assert state["districts"] == [HONG_DAN[1], VINH_LOI[1]]
    scope = scope_line(page, sidebar.tr)

    for title, extra in (("Xu hướng", {}), ("Bản đồ xã", {"metric": ["poor_rate"]}), ("Xếp hạng thi đua", {}),
                         ("Tổng quan", {})):
        sidebar.go_to(title)
        expect(page).to_have_url(re.compile(rf"^{re.escape(app.pages[title])}\?"))
        settle(page)
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
        assert query(page.url) == {**expected, **extra}, title
        assert sidebar.state() == state, title
        assert scope_line(page, sidebar.tr) == scope, title


def test_a_link_straight_to_a_page_other_than_the_first_reproduces_the_view(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Xếp hạng thi đua", f"district={VINH_LOI[0]}&group=kinh&year=2022&lang=en"))
    expect(page.get_by_test_id("stMain").locator("h1").first).to_contain_text("2022")
    Sidebar(page, "en").expect_districts([VINH_LOI[1]])
    assert Sidebar(page, "en").state() == {"units": "Former (64 units)", "districts": [VINH_LOI[1]],
                                           "area": "All", "group": "Kinh", "year": "2022", "lang": "English"}
    assert query(page.url) == {"units": ["former"], "district": [VINH_LOI[0]], "area": ["all"], "group": ["kinh"],
                               "year": ["2022"], "lang": ["en"]}


def test_bad_link_parameters_are_dropped_with_a_notice_and_the_page_still_renders(app: AppServer,
                                                                                   page: Page) -> None:
    injection = "x'; DROP TABLE reviews; --"
    open_link(page, app.link("Tổng quan", f"district=999&district={VINH_LOI[0]}&year=1900&area=moon"
                    f"&group={injection.replace(' ', '%20').replace(';', '%3B')}&foo=bar"))
    notice = page.get_by_test_id("stAlertContentWarning")
    expect(notice).to_have_count(1)
    for fragment in ("999", "1900", "moon", "DROP TABLE", "foo"):
        expect(notice).to_contain_text(fragment)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_test_id("stMain").locator("h1")).to_have_text("Tổng quan")
    assert headline(page)  # the figures are drawn for what was left of the link
    # What survived is kept, the rest falls back to the defaults, and the address says so.
    latest = Sidebar(page).select_box("filter.year").input_value()
    # a district in a link without `units`: the former units, whatever the year
    assert query(page.url) == {"units": ["former"], "district": [VINH_LOI[0]], "area": ["all"], "group": ["all"],
                               "year": [latest], "lang": ["vi"]}
    assert Sidebar(page).selected_districts() == [VINH_LOI[1]]


def test_a_bad_metric_on_the_map_page_is_dropped_and_the_map_still_draws(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Bản đồ xã", "metric=%3Cscript%3E&lang=en"))
    expect(page.get_by_test_id("stAlertContentWarning")).to_contain_text("metric")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    expect_param(page, "metric", "poor_rate")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _active_menu_entry(page: Page) -> Locator:
    """The navigation link Streamlit marks as the current page (aria-current="page")."""
    return page.get_by_test_id("stSidebarNav").locator('a[aria-current="page"]')


@pytest.mark.parametrize(("path", "lang", "year"), [("/", "vi", None), ("/?year=2024&lang=en", "en", "2024")],
                         ids=["root", "root-with-filters"])
def test_the_app_root_is_the_overview_with_its_menu_entry_highlighted(app: AppServer, page: Page, path: str,
                                                                      lang: str, year: str | None) -> None:
    open_link(page, app.url + path)
    tr = Translator(lang)  # type: ignore[arg-type]
    expect(page.get_by_test_id("stMain").locator("h1").first).to_have_text(tr("page.overview"))
    active = _active_menu_entry(page)
    expect(active).to_have_count(1)
    expect(active).to_contain_text(tr("page.overview"))
    assert active.get_attribute("href") == app.url + "/"
    shown_year = Sidebar(page, lang).select_box("filter.year").input_value()  # type: ignore[arg-type]
    if year:
        assert shown_year == year
    assert query(page.url)["lang"] == [lang] and query(page.url)["year"] == [shown_year]
    expect(page.get_by_test_id("stMain").get_by_test_id("stMetricLabel").first).to_contain_text(
        tr("overview.poor_rate_year", year=shown_year))


def test_an_overview_link_by_name_opens_the_root_with_the_same_view(app: AppServer, page: Page,
                                                                    new_context: Callable[[], BrowserContext]) -> None:
    """Links shared as `/overview?…` keep working: the overview at `/`, highlighted, with the link's filters."""
    open_link(page, f"{app.url}/overview?district={VINH_LOI[0]}&area=rural&year=2023&lang=en")
    expect(page).to_have_url(re.compile(rf"^{re.escape(app.url)}/\?"))
    assert query(page.url) == {"units": ["former"], "district": [VINH_LOI[0]], "area": ["rural"], "group": ["all"],
                               "year": ["2023"], "lang": ["en"]}
    expect(_active_menu_entry(page)).to_contain_text("Overview")
    expect(page.get_by_role("dialog")).to_have_count(0)  # no "page not found"
    figures = headline(page)
    same = new_context().new_page()
    open_link(same, f"{app.url}/?district={VINH_LOI[0]}&area=rural&year=2023&lang=en")
    assert headline(same) == figures


def test_another_page_keeps_its_own_path_and_highlight(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Xếp hạng thi đua", "year=2022"))
    expect(_active_menu_entry(page)).to_contain_text("Xếp hạng thi đua")
    assert page.url.startswith(app.pages["Xếp hạng thi đua"] + "?")
    Sidebar(page).go_to("Tổng quan")
    expect(page).to_have_url(re.compile(rf"^{re.escape(app.url)}/\?"))
    expect(_active_menu_entry(page)).to_contain_text("Tổng quan")
    assert query(page.url)["year"] == ["2022"]


@pytest.mark.parametrize(("link", "units", "place"), [
    ("", "current", None),  # the default view: 2025, filed in the current units
    ("units=former&district=956", "former", ("district", "956")),
    ("units=current&unit=31843&year=2023", "current", ("unit", "31843")),  # Xã Hồng Dân, its former communes summed
], ids=["default", "former", "current-2023"])
def test_links_keep_the_unit_set_across_pages(app: AppServer, page: Page, link: str, units: str,
                                              place: tuple[str, str] | None) -> None:
    """Moving through the menu keeps `units=` (and its place) in the address, and every page says the set."""
    open_link(page, app.link("Tổng quan", link))
    sidebar = Sidebar(page)
    expect_param(page, "units", units)
    first = query(page.url)
    if place:
        assert first[place[0]] == [place[1]]
    unit_line = sidebar.tr(f"scope.units.{units}", n=64 if units == "former" else 25, d=7)
    for title in ("Xu hướng", "Bản đồ xã", "Xếp hạng thi đua", "Phương pháp & dữ liệu", "Tổng quan"):
        sidebar.go_to(title)
        expect(page).to_have_url(re.compile(rf"^{re.escape(app.pages[title])}\?"))
        settle(page)
        expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
        now = query(page.url)
        now.pop("metric", None)  # the map adds its metric
        assert now == first, title
        if title != "Phương pháp & dữ liệu":
            assert scope_line(page, sidebar.tr).endswith(unit_line), title


def test_the_set_follows_the_year_and_the_places_are_cleared_with_a_notice(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Tổng quan", f"district={HONG_DAN[0]}&year=2024"))
    sidebar = Sidebar(page)
    assert query(page.url)["units"] == ["former"]
    sidebar.year(2025)
    expect_param(page, "units", "current")
    assert "district" not in query(page.url)
    expect(page.get_by_test_id("stAlertContentInfo").filter(has_text="bỏ chọn")).to_contain_text(
        "Đang xem theo đơn vị hiện nay, nên đã bỏ chọn Huyện Hồng Dân (địa bàn theo đơn vị trước sáp nhập).")
    expect(sidebar.unit_box()).to_be_visible()
    assert sidebar.selected_districts() == []
