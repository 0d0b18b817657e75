"""Who may import, in Chromium: the server decides, never the address the browser used.

- A hosted dashboard (no POVERTY_ALLOW_IMPORT) opened as http://localhost:PORT, as a port forwarder on a visitor's
  machine does, or as http://127.0.0.1:PORT: no import page in the menu, and its address shows no uploader.
- With sign-in configured against a real OpenID Connect provider started here (`oidc-provider-mock` on loopback,
  `[auth]` written by `deploy.auth_secrets`): an analyst on POVERTY_WRITERS signs in through the provider's form and
  imports a file; a signed-in user not on the list gets neither the menu entry nor the page, and is told why.
"""

from __future__ import annotations

import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from deploy import auth_secrets
from i18n import Translator
from tests.browser.conftest import AppServer
from tests.browser.server import free_port, oidc_provider, start_streamlit, stop, wait_healthy
from tests.browser.ui import open_link, settle
from tests.ingest.conftest import review_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

tr = Translator("vi")
YEAR = 2025
NEW = 30
JOIN = "\u2060"  # the invisible word joiner `dashboard.importing.literal` puts before an e-mail's `@`
ANALYST = ("phan.tich", {"email": "Phan.Tich@SoLDTBXH.baclieu.gov.vn", "email_verified": True,
                         "name": "Trần Phân Tích"})
OUTSIDER = ("khach", {"email": "khach@gmail.com", "email_verified": True, "name": "Khách Xem"})
WRITERS = "phan.tich@soldtbxh.baclieu.gov.vn, group:poverty-analysts"


def _menu(page: Page) -> list[str]:
    links = page.get_by_test_id("stSidebarNav").get_by_role("link")
    expect(links.first).to_be_visible()
    return [link.get_by_test_id("stMarkdownContainer").inner_text().strip() for link in links.all()]


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1"])
def test_a_hosted_dashboard_reached_as_localhost_offers_no_import(app: AppServer, page: Page, host: str) -> None:
    base = app.url.replace("127.0.0.1", host)
    open_link(page, f"{base}/")
    assert _menu(page) == [tr(k) for k in ("page.overview", "page.trajectories", "page.map", "page.ranking",
                                           "page.flows", "page.drivers", "page.commune", "page.compare",
                                           "page.method")]
    open_link(page, f"{base}/import_data")
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text(tr("page.import"))
    expect(main.get_by_text(tr("import.not_available"))).to_be_visible()
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert main.get_by_role("heading", name=tr("import.title")).count() == 0
    assert page.get_by_test_id("stSidebar").get_by_role("button", name=tr("account.sign_in")).count() == 0  # no [auth]
    assert tr("page.import") not in _menu(page)


def test_the_import_address_as_a_fresh_servers_first_request_is_refused_too(
    browser_warehouse: Path, tmp_path: Path, new_context: Callable[[], BrowserContext]
) -> None:
    """Before `st.navigation` first runs, Streamlit serves `/import_data` from the file pages/import_data.py itself
    (the `pages/` folder); that run too must end in the refusal, never the uploader."""
    log = tmp_path / "server.log"
    process, url = start_streamlit(browser_warehouse, log)
    try:
        wait_healthy(process, url, log)
        page = new_context().new_page()
        open_link(page, f"{url.replace('127.0.0.1', 'localhost')}/import_data")
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text(tr("import.not_available"))).to_be_visible()
        expect(main.locator("h1").first).to_have_text(tr("page.import"))
        assert page.get_by_test_id("stFileUploader").count() == 0
        assert tr("page.import") not in _menu(page)
    finally:
        stop(process)


@pytest.fixture(scope="module")
def signin_server(browser_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A provider with two accounts, and a server of its own (own warehouse copy) whose sign-in points at it."""
    folder = tmp_path_factory.mktemp("signin")
    db = folder / "baclieu.duckdb"
    shutil.copy(browser_warehouse, db)
    with oidc_provider([ANALYST, OUTSIDER]) as provider:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        secrets_file = folder / "auth.toml"
        assert auth_secrets.write({
            auth_secrets.METADATA_URL: f"{provider}/.well-known/openid-configuration",
            auth_secrets.REDIRECT_URI: f"{url}/oauth2callback",
            auth_secrets.CLIENT_ID: "poverty-dashboard",
            auth_secrets.CLIENT_SECRET: secrets.token_urlsafe(16),
            auth_secrets.COOKIE_SECRET: secrets.token_urlsafe(32),
        }, secrets_file)
        log = folder / "server.log"
        process, url = start_streamlit(db, log, port=port, env={"STREAMLIT_SECRETS_FILES": str(secrets_file),
                                                                "POVERTY_WRITERS": WRITERS})
        try:
            wait_healthy(process, url, log)
            yield url, db
        finally:
            stop(process)


def _sign_in(page: Page, url: str, sub: str) -> None:
    """Sign in as the provider's user `sub` through its authorization form, back on the overview."""
    open_link(page, f"{url}/")
    assert tr("page.import") not in _menu(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name=tr("account.sign_in")).click()
    page.wait_for_url(re.compile(r"/oauth2/authorize\?"))
    page.locator('input[name="sub"]').fill(sub)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{url}/**")
    expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
    settle(page)


def _signed_in_as(page: Page) -> str:
    caption = page.get_by_test_id("stSidebar").get_by_test_id("stCaptionContainer").filter(
        has_text=tr("account.signed_in_as", who=""))
    expect(caption).to_have_count(1)
    return caption.inner_text().replace(JOIN, "").strip()


def _reviews(db: Path, prefix: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute("SELECT count(*) FROM reviews WHERE household_id LIKE $p AND year = $year",
                               {"p": f"{prefix}%", "year": YEAR}).fetchall()[0][0])
    finally:
        con.close()


def test_an_analyst_on_the_list_signs_in_and_imports(
    signin_server: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    url, db = signin_server
    page = new_context().new_page()
    _sign_in(page, url, ANALYST[0])
    assert _signed_in_as(page) == tr("account.signed_in_as", who="Trần Phân Tích (Phan.Tich@SoLDTBXH.baclieu.gov.vn)")
    assert _menu(page)[-1] == tr("page.import")  # the address on the list, matched without regard to case

    page.get_by_test_id("stSidebarNav").get_by_role("link", name=tr("page.import"), exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1")).to_have_text(tr("import.title"))
    settle(page)
    good = write_csv(tmp_path / "xa_dang_nhap.csv", review_rows(NEW, prefix="S", year=YEAR))
    page.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(str(good))
    expect(main.get_by_text(tr("import.file_counts", rows=str(NEW), problems="0"))).to_be_visible()
    settle(page)
    assert _reviews(db, "S") == 0
    main.get_by_role("button", name=tr("import.load", n=1)).click()
    expect(main.get_by_test_id("stAlertContentSuccess")).to_contain_text(
        f"xa_dang_nhap.csv: đã nạp — đọc {NEW} dòng, nạp {NEW}, loại 0; hộ mới {NEW}")
    assert _reviews(db, "S") == NEW

    # Signing out (through the provider's end-session page) takes the import page away again.
    page.get_by_test_id("stSidebar").get_by_role("button", name=tr("account.sign_out")).click()
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{url}/**")
    expect(page.get_by_test_id("stSidebar").get_by_role("button", name=tr("account.sign_in"))).to_be_visible()
    settle(page)
    assert tr("page.import") not in _menu(page)


def test_a_signed_in_user_not_on_the_list_cannot_import(
    signin_server: tuple[str, Path], new_context: Callable[[], BrowserContext]
) -> None:
    url, db = signin_server
    page = new_context().new_page()
    _sign_in(page, url, OUTSIDER[0])
    assert _signed_in_as(page) == tr("account.signed_in_as", who="Khách Xem (khach@gmail.com)")
    assert tr("page.import") not in _menu(page)
    open_link(page, f"{url}/import_data")  # a new session on the same cookie: still signed in, still refused
    main = page.get_by_test_id("stMain")
    expect(main.locator("h1").first).to_have_text(tr("page.import"))
    explanation = main.get_by_test_id("stAlertContentInfo").filter(has_text="Khách Xem")  # (the demo notice too)
    expect(explanation).to_have_count(1)
    shown = explanation.get_by_test_id("stMarkdownContainer").inner_text()
    assert shown.replace(JOIN, "").strip() == tr("import.not_on_list",
                                                                      who="Khách Xem (khach@gmail.com)")
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert main.get_by_role("button").count() == 0
    assert tr("page.import") not in _menu(page)


def test_the_annual_report_downloads_for_an_analyst_and_is_refused_to_others(
    signin_server: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    """The flows page's annual report lists every commune's figures, small ones included: a signed-in analyst on the
    list downloads it (a real XLSX whose province row of table 02 is the warehouse's accounting), a signed-in user
    off the list and an anonymous viewer read why they cannot."""
    import openpyxl

    url, db = signin_server
    link = f"{url}/flows?year=2024&units=former"
    button = tr("flows.report_download")
    for who in (None, OUTSIDER[0]):
        page = new_context().new_page()
        if who:
            _sign_in(page, url, who)
        open_link(page, link)
        main = page.get_by_test_id("stMain")
        expect(main.get_by_text(tr("flows.report_sign_in"))).to_be_visible()
        assert main.get_by_role("button", name=button).count() == 0
    page = new_context().new_page()
    _sign_in(page, url, ANALYST[0])
    open_link(page, link)
    with page.expect_download() as download:
        page.get_by_test_id("stMain").get_by_role("button", name=button).click()
    assert download.value.suggested_filename == "bao_cao_ra_soat_2024_former.xlsx"
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved)["02 Biến động hộ nghèo"]
    total = next(row for row in sheet.iter_rows(values_only=True) if row[1] == tr("report.row.total"))
    con = duckdb.connect(str(db), read_only=True)
    try:
        start, end = con.execute(
            "SELECT count(*) FILTER (start_status = 'poor'), count(*) FILTER (end_status = 'poor') "
            "FROM transitions_rows WHERE year = 2024").fetchone()
    finally:
        con.close()
    numbers = [v for v in total[2:] if isinstance(v, int)]
    assert (numbers[0], numbers[-1]) == (start, end)
