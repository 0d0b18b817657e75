"""The import page end to end in Chromium: a bad file is reported in Vietnamese and cannot be loaded; a good file
loads, and the overview's figures then include its households.

The test writes the warehouse, so it runs its own server on its own copy (the session's server and warehouse, shared
by the other browser tests, are never touched). It runs as `make run` does, with the operator setting
POVERTY_ALLOW_IMPORT=1 on a server bound to 127.0.0.1 (`data.access`).
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from data.access import ALLOW_ENV
from i18n import Translator
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import open_link, settle
from tests.ingest.conftest import LAYOUT, review_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

YEAR = 2025  # the demo warehouse's latest year: the overview opens on it
NEW = 40  # households in the good file; every 4th is poor (income under the line and 3 deprivations)
tr = Translator("vi")


def _province(db: Path, year: int) -> tuple[int, int, int]:
    """(households reviewed, poor, near-poor) in `year`, read straight from the warehouse file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*), count(*) FILTER (status = 'poor'), count(*) FILTER (status = 'near_poor') "
                           "FROM classified WHERE year = $year", {"year": year}).fetchall()[0]
    finally:
        con.close()


@pytest.fixture
def import_server(browser_warehouse: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Its own server on its own copy of the warehouse; importing allowed by the operator setting, as `make run`."""
    db = tmp_path / "baclieu.duckdb"
    shutil.copy(browser_warehouse, db)
    log = tmp_path / "server.log"
    process, url = start_streamlit(db, log, env={ALLOW_ENV: "1"})
    try:
        wait_healthy(process, url, log)
        yield url, db
    finally:
        stop(process)


def _upload(page: Page, path: Path) -> None:
    page.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(str(path))
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=path.name)).to_be_visible()
    settle(page)


def test_bad_file_is_reported_in_vietnamese_then_a_good_file_loads_and_the_overview_counts_it(
    import_server: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    url, db = import_server
    before = _province(db, YEAR)

    bad_rows = review_rows(12, prefix="X", year=YEAR)
    bad_rows[2][LAYOUT["members"]] = 0  # sheet row 4 (the header is row 1)
    bad = write_csv(tmp_path / "xa_loi.csv", bad_rows)
    good = write_csv(tmp_path / "xa_moi.csv", review_rows(NEW, prefix="M", year=YEAR))

    # As an analyst does: open the app, then the import page from the menu (listed: the operator allows importing here).
    page = new_context().new_page()
    open_link(page, f"{url}/")
    nav = page.get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=tr("page.import"), exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1")).to_have_text(tr("import.title"))
    settle(page)

    # A file with a bad row: the report names the row, the column and the expectation, in Vietnamese.
    _upload(page, bad)
    expect(main.get_by_text(tr("import.file_counts", rows="12", problems="1"))).to_be_visible()
    tables = main.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(2)  # the report, then how the headers were read (folded away: all read exactly)
    report = tables.first
    grid = report.locator('table[role="grid"]')
    header = grid.locator("thead")
    for key in ("col.row", "col.column", "col.value", "col.expected"):
        expect(header).to_contain_text(tr(key))
    expect(header).not_to_contain_text(tr("col.file"))  # the file is named above the table: room on a phone
    cells = grid.locator("tbody tr").first.locator("td")
    expect(cells).to_have_text(["4", LAYOUT["members"], "0", "số nhân khẩu của hộ, số nguyên ≥ 1"])
    # Loading is not offered: by default a file with any problem loads nothing.
    expect(main.get_by_text(tr("import.nothing_loadable"))).to_be_visible()
    load = main.get_by_role("button", name=re.compile(r"^Nạp \d+ tệp"))
    expect(load).to_have_count(0)

    # A good file beside it: only that one can be loaded.
    _upload(page, good)
    expect(main.get_by_text(tr("import.file_counts", rows=str(NEW), problems="0"))).to_be_visible()
    expect(load).to_have_text(tr("import.load", n=1))
    load.click()
    success = main.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text(f"xa_moi.csv: đã nạp — đọc {NEW} dòng, nạp {NEW}, loại 0; hộ mới {NEW}, "
                                    "cập nhật 0")
    settle(page)

    # The overview now counts the new households: the figures are the warehouse's before plus the file's.
    nav.get_by_role("link", name=tr("page.overview"), exact=True).click()
    expect(main.locator("h1")).to_have_text(tr("page.overview"))
    expect(main.get_by_test_id("stMetricLabel").first).to_contain_text(
        tr("overview.poor_rate_year", year=YEAR))  # the latest year
    households, poor, near = before[0] + NEW, before[1] + NEW // 4, before[2]
    line = tr("overview.households_line", poor=tr.num(poor), total=tr.num(households))
    expect(main.get_by_text(line)).to_be_visible()
    expect(main.get_by_text(re.compile(rf"^{re.escape(tr.num(near))} hộ cận nghèo;"))).to_be_visible()
    assert _province(db, YEAR) == (households, poor, near)  # the file itself agrees, read after the load


def test_headers_read_by_similarity_are_shown_for_checking(
    import_server: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    rows = [{("tinh trang di hoc tre em" if k == "Tình trạng đi học của trẻ em" else k): v for k, v in r.items()}
            for r in review_rows(8, prefix="H", year=YEAR)]
    renamed = write_csv(tmp_path / "tieu_de_khac.csv", rows)
    url, _ = import_server
    page = new_context().new_page()
    open_link(page, f"{url}/")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("page.import"), exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1")).to_have_text(tr("import.title"))
    settle(page)
    _upload(page, renamed)
    expander = main.get_by_test_id("stExpander")
    expect(expander).to_contain_text(tr("import.headers"))
    # Opened by itself, since a header was read by similarity; the header shows as written, as text.
    table = expander.get_by_test_id("stDataFrame").locator('table[role="grid"]')
    expect(table.locator("thead")).to_contain_text(tr("col.how"))
    row = table.locator("tbody tr").filter(has_text="tinh trang di hoc tre em")
    expect(row.locator("td")).to_have_text(["tinh trang di hoc tre em", "Tình trạng đi học của trẻ em",
                                            "gần giống 92 %"])
    expect(main.get_by_text("tiêu đề được hiểu theo độ giống (hãy kiểm tra): 'tinh trang di hoc tre em' → Tình "
                            "trạng đi học của trẻ em (92 %)")).to_be_visible()


def test_the_same_file_twice_and_markup_in_headers_are_shown_as_typed(
    import_server: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    """The issue's sample uploaded twice (the copy renamed) next to a good file whose name and extra headers carry
    Markdown and HTML: the copy is named a duplicate, the sample and the good file are loaded once each, and Chromium
    draws the name and the headers as typed (no bold, link, image, emoji or code element)."""
    url, db = import_server
    sample = Path(__file__).resolve().parents[1] / "ingest" / "data" / "dup_upload_xa_vinh_trach.csv"
    markup = ["**đậm**", "<img src=x onerror=alert(1)>", "Ghi chú [a](javascript:alert(1))", ":smile: $x^2$",
              "http://example.com"]
    rows = review_rows(6, prefix="K", year=YEAR)
    for row in rows:
        row.update({header: "v" for header in markup})
    good = write_csv(tmp_path / "good.csv", rows).read_bytes()
    name = "**xã** <img src=x> [mới](javascript:x).csv"
    page = new_context().new_page()
    open_link(page, f"{url}/import_data")
    main = page.get_by_test_id("stMain")
    page.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files([
        {"name": sample.name, "mimeType": "text/csv", "buffer": sample.read_bytes()},
        {"name": "ban_sao.csv", "mimeType": "text/csv", "buffer": sample.read_bytes()},
        {"name": name, "mimeType": "text/csv", "buffer": good},
    ])
    # What Chromium draws: the name as typed, with an invisible word joiner where a link or emoji code would start.
    drawn = name.replace("javascript:", "javascript:\u2060")
    for heading in (sample.name, "ban_sao.csv", drawn):
        expect(main.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(main.get_by_test_id("stAlertContentWarning").filter(
        has_text=tr("import.duplicate", first=sample.name))).to_have_count(1)
    settle(page)
    assert page.get_by_test_id("stException").count() == 0
    notes = main.get_by_test_id("stCaptionContainer").filter(has_text="Ghi chú")
    expect(notes).to_have_count(1)
    shown = notes.inner_text().replace("\u2060", "")
    assert all(header in shown for header in markup), shown
    assert notes.locator("strong, em, a, img, code, span.katex").count() == 0
    assert main.locator("h3 strong, h3 em, h3 img").count() == 0  # (each heading has its own anchor link)
    load = main.get_by_role("button", name=re.compile(r"^Nạp \d+ tệp"))
    expect(load).to_have_text(tr("import.load", n=2))  # the sample and the good file; never the copy
    load.click()
    success = main.get_by_test_id("stAlertContentSuccess")
    expect(success).to_have_count(2)
    expect(success.first).to_contain_text(f"{sample.name}: đã nạp — đọc 6 dòng, nạp 6")
    expect(success.last).to_contain_text(f"{drawn}: đã nạp — đọc 6 dòng, nạp 6")
    assert success.last.locator("strong, em, a, img, i").count() == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        loaded = con.execute("SELECT count(*) FROM reviews WHERE household_id LIKE 'K%' AND year = $year",
                             {"year": YEAR}).fetchall()[0][0]
        imports = con.execute("SELECT count(*) FROM imports WHERE file_name = $file", {"file": name}).fetchall()[0][0]
    finally:
        con.close()
    assert (loaded, imports) == (6, 1)
