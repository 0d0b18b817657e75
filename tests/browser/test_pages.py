"""What a reader sees on the pages: the map with every unit of the set (64 former communes, 25 current units), the
English switch, CSV downloads."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import AppServer
from tests.browser.ui import Sidebar, commune_layer, headline, open_link, shown_cells, shown_rows

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.mark.parametrize("units", ["former", "current"])
def test_the_map_draws_every_unit_of_the_set(app: AppServer, page: Page, units: str,
                                             warehouse_units: list[tuple[str, str, str, str]],
                                             current_units: list[tuple[str, str, str, str]]) -> None:
    """`?units=former`: the 64 former communes; `?units=current`: the 25 current units (the same year, 2025)."""
    expected = sorted(code for code, *_ in (warehouse_units if units == "former" else current_units))
    assert len(expected) == {"former": 64, "current": 25}[units]
    open_link(page, app.link("Bản đồ xã", f"metric=poor_rate&units={units}"))
    layer = commune_layer(page, len(expected))  # paths drawn on screen
    assert sorted(layer["locations"]) == expected
    assert layer["values"] == len(expected)


def test_map_of_one_district_draws_only_its_communes(app: AppServer, page: Page,
                                                     warehouse_units: list[tuple[str, str, str, str]]) -> None:
    codes = sorted(code for code, _, district, _ in warehouse_units if district == "958")
    open_link(page, app.link("Bản đồ xã", "district=958&metric=poor_households&year=2024"))
    assert sorted(commune_layer(page, len(codes))["locations"]) == codes


def test_english_switch_changes_the_labels(app: AppServer, page: Page) -> None:
    open_link(page, app.link("Tổng quan"))
    main, sidebar = page.get_by_test_id("stMain"), Sidebar(page)
    nav = page.get_by_test_id("stSidebarNav")
    expect(main.locator("h1")).to_have_text("Tổng quan")
    expect(nav.get_by_role("link", name="Bản đồ xã")).to_be_visible()
    vi_figure = headline(page)[0]
    assert "," in vi_figure and "." not in vi_figure, vi_figure  # 3,19 %

    sidebar.language("en")

    expect(main.locator("h1")).to_have_text("Overview")
    for title in ("Overview", "Trajectories", "Commune map", "Emulation ranking", "Method & data"):
        expect(nav.get_by_role("link", name=title, exact=True)).to_be_visible()
    # 2025 is filed in the current units: the place filter offers their communes and wards
    expect(sidebar.root.get_by_role("combobox", name="Commune or ward", exact=True)).to_be_visible()
    expect(sidebar.root.get_by_role("combobox", name="Review year", exact=True)).to_be_visible()
    expect(sidebar.root.get_by_role("radiogroup", name="Area", exact=True)).to_be_visible()
    expect(main.get_by_test_id("stMetricLabel").first).to_contain_text("Poor rate")
    expect(main.get_by_test_id("stAlertContentInfo").first).to_contain_text("Demo data")
    en_figure = headline(page)[0]
    assert en_figure == vi_figure.replace(",", "."), (vi_figure, en_figure)
    expect(page.get_by_text("Tổng quan", exact=True)).to_have_count(0)


def test_csv_download_has_a_bom_exactly_the_rows_shown_and_the_numbers_the_page_shows(
    app: AppServer, page: Page, warehouse_units: list[tuple[str, str, str, str]]
) -> None:
    open_link(page, app.link("Bản đồ xã", "district=956&year=2023"))
    tables = page.get_by_test_id("stMain").get_by_test_id("stDataFrame")
    expect(tables).to_have_count(1)  # no commune picked: the commune figures are the only table
    rows = shown_rows(tables.first)
    assert rows == sum(1 for *_, district, _ in warehouse_units if district == "956")
    headers, cells = shown_cells(tables.first)

    with page.expect_download() as download:
        page.locator(".st-key-map_communes_csv").get_by_role("button").click()
    saved = download.value
    assert saved.suggested_filename == "communes_2023_former.csv"  # the year and the unit set
    raw = saved.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]
    # The page is in Vietnamese: `;`-separated, decimal comma, no thousands separator (README, "Downloads").
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(records) - 1 == rows
    names = {name for _, name, district, _ in warehouse_units if district == "956"}
    assert any(names & set(record) for record in records[1:])  # Vietnamese names survive the round trip intact
    # Every cell the page draws is in the file, as the same number: "1.234" → 1234, "+0,50" → 0,50, "—" → empty.
    assert len(cells) >= 5 and len(headers) >= 5, (headers, cells)
    # the profile link column ("Hồ sơ") is the page's alone: a download never holds it (dashboard/download.py)
    link = headers.index("Hồ sơ")
    cells = [row[:link] + row[link + 1:] for row in cells]
    headers = headers[:link] + headers[link + 1:]
    columns = [records[0].index(h) for h in headers]
    compared = 0
    for shown, record in zip(cells, records[1:], strict=False):
        for text, j in zip(shown, columns, strict=True):
            expected = "" if text == "—" else text
            if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*(,\d+)?", text):
                expected = text.replace(".", "").lstrip("+")
                compared += 1
            assert record[j] == expected, (records[0][j], text, record[j])
    assert compared >= 3 * len(cells)  # the rate, the households and R at least, on every row shown
