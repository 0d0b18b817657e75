"""Imports never disturb viewers: three viewers in Chromium reload dashboard pages while a province-year file is
imported from the import page and another from the command line at the same time, and while `python -m data.build`
rebuilds the served warehouse. No viewer ever shows an error element, and afterwards every viewer shows the new
counts without a restart of the server (data.warehouse versions, queries.runner following them).

Each test runs its own server on its own copy of the warehouse (the session's server is never touched), with
`POVERTY_ALLOW_IMPORT=1` (the operator setting that shows the import page). Nothing waits for a fixed time: the two
imports are made to overlap by holding the warehouse's write lock from the test until both say they wait.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from playwright.sync_api import BrowserContext, Page, expect

from data.warehouse import ROOT, current_version, write_lock
from i18n import Translator
from tests.browser.server import start_streamlit, stop, wait_healthy
from tests.browser.ui import open_link, settle
from tests.ingest.conftest import INDICATOR_HEADERS, LAYOUT, review_rows, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

YEAR = 2025  # the demo warehouse's latest year: the overview opens on it
ROWS = 20_000  # a province year at the test warehouse's size (20,000 households)
LIVENESS = 600  # seconds: a bound for the whole loop of reloads, never a measure of speed
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
VIEWER_PATHS = ["/", "/ranking", "/"]  # what each viewer reloads while the warehouse changes
tr = Translator("vi")


@pytest.fixture
def served(browser_warehouse: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Its own server on its own copy of the warehouse (a plain file, as an older checkout has it), import allowed."""
    db = tmp_path / "baclieu.duckdb"
    shutil.copyfile(current_version(browser_warehouse).file, db)
    log = tmp_path / "server.log"
    process, url = start_streamlit(db, log, env={"POVERTY_ALLOW_IMPORT": "1"})  # as `make run`
    try:
        wait_healthy(process, url, log)
        yield url, db
    finally:
        stop(process)


def _province(db: Path) -> tuple[int, int]:
    """(households reviewed, poor) in YEAR, read straight from the warehouse's current version."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*), count(*) FILTER (status = 'poor') FROM classified WHERE year = $year",
                           {"year": YEAR}).fetchall()[0]
    finally:
        con.close()


def _poor_in_file(path: Path) -> int:
    """Households of the file that are poor by Decree 07/2021 as the file states them: income under both lines
    (1,500,000 ₫ rural, 2,000,000 ₫ urban, 2022–2025) and at least 3 of the 12 deprivations marked."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    marks = (frame[INDICATOR_HEADERS] == "x").sum(axis=1)
    return int(((frame[LAYOUT["income_per_capita"]].astype(int) < 1_500_000) & (marks >= 3)).sum())


def _line(households: int, poor: int) -> str:
    return tr("overview.households_line", poor=tr.num(poor), total=tr.num(households))


class Viewers:
    """Three colleagues with the dashboard open, reloading it; every error element any of them ever shows is kept."""

    def __init__(self, url: str, new_context: Callable[[], BrowserContext]) -> None:
        self.url = url
        self.pages = [new_context().new_page() for _ in VIEWER_PATHS]
        self.errors: list[str] = []
        self.reloads = 0
        for page, path in zip(self.pages, VIEWER_PATHS, strict=True):
            open_link(page, url + path)

    def reload_all(self) -> None:
        for page in self.pages:
            page.reload()
            expect(page.get_by_test_id("stMain").locator("h1").first).to_be_visible()
            settle(page)
            self._collect(page)
            self.reloads += 1

    def _collect(self, page: Page) -> None:
        shown = page.locator(ERRORS)
        self.errors += [f"{page.url}: {text}" for text in shown.all_inner_texts()]

    def expect_overview_line(self, line: str) -> None:
        """Each viewer's next visit to the overview shows `line` (no restart, no cache cleared by anyone)."""
        for page in self.pages:
            open_link(page, self.url + "/")
            expect(page.get_by_test_id("stMain").get_by_text(line)).to_be_visible()
            self._collect(page)


def _cli(path: Path, db: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "data.ingest", str(path), "--db", str(db)], cwd=ROOT,
                            env={**os.environ}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_viewers_see_no_error_while_the_page_and_the_command_line_import_at_once_then_see_both(
    served: tuple[str, Path], new_context: Callable[[], BrowserContext], tmp_path: Path
) -> None:
    url, db = served
    households, poor = _province(db)
    page_file = write_csv(tmp_path / "tinh_trang.csv", review_rows(ROWS, prefix="P", year=YEAR))
    cli_file = write_csv(tmp_path / "tinh_dong_lenh.csv", review_rows(ROWS, prefix="C", year=YEAR))
    new_poor = _poor_in_file(page_file) + _poor_in_file(cli_file)
    assert new_poor == 2 * ROWS // 4  # every 4th household of review_rows is poor: the file says so too

    viewers = Viewers(url, new_context)
    viewers.expect_overview_line(_line(households, poor))

    # The analyst checks the page's file.
    analyst = new_context().new_page()
    open_link(analyst, f"{url}/import_data")
    main = analyst.get_by_test_id("stMain")
    analyst.get_by_test_id("stFileUploader").locator('input[type="file"]').set_input_files(str(page_file))
    expect(main.get_by_text(tr("import.file_counts", rows=tr.num(ROWS), problems="0"))).to_be_visible()
    settle(analyst)
    load = main.get_by_role("button", name=tr("import.load", n=1))
    success = main.get_by_test_id("stAlertContentSuccess")
    changed = main.get_by_test_id("stAlertContentInfo").filter(has_text=tr("import.changed"))

    # Both imports start while another writer holds the lock, and both say they wait for it.
    with write_lock(db):
        cli = _cli(cli_file, db)
        assert cli.stderr.readline().strip() == tr("ingest.waiting")
        load.click()
        expect(main.get_by_test_id("stAlertContentInfo").filter(has_text=tr("import.waiting"))).to_be_visible()
        viewers.reload_all()
    # Now they run one after the other, in either order, while the viewers keep reloading. The command line is
    # paused (SIGSTOP) as soon as it says it writes inside its transaction, while the viewers reload once more. A
    # page import that finds the warehouse changed since its check loads nothing, checks again and says so: the
    # analyst loads again.
    progress: list[str] = []
    paused = threading.Event()

    def watch() -> None:
        for line in cli.stderr:
            progress.append(line)
            if "writing" in line and not paused.is_set():
                cli.send_signal(signal.SIGSTOP)
                paused.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    resumed = False
    deadline = time.monotonic() + LIVENESS
    while cli.poll() is None or success.count() == 0:
        assert time.monotonic() < deadline, "the imports did not finish"
        if paused.is_set() and not resumed:
            try:
                viewers.reload_all()  # a write stopped half-way: the viewers read the current version, whole
            finally:
                cli.send_signal(signal.SIGCONT)
                resumed = True
        viewers.reload_all()
        if changed.count() and success.count() == 0:
            settle(analyst)  # the page has checked the file again against the new version
            load.click()
            expect(changed).to_have_count(0)  # the run that loads has replaced the notice
    watcher.join(LIVENESS)
    assert cli.wait() == 0, (cli.stdout.read(), progress)
    assert resumed and any("committed" in line for line in progress), progress
    expect(success).to_contain_text(f"tinh_trang.csv: đã nạp — đọc {tr.num(ROWS)} dòng, nạp {tr.num(ROWS)}")
    assert analyst.locator(ERRORS).count() == 0

    expected = (households + 2 * ROWS, poor + new_poor)
    viewers.expect_overview_line(_line(*expected))
    assert viewers.errors == [] and viewers.reloads >= 2 * len(VIEWER_PATHS)
    assert _province(db) == expected  # the warehouse itself agrees


def test_viewers_see_no_error_while_the_warehouse_is_rebuilt_then_see_the_new_build(
    served: tuple[str, Path], new_context: Callable[[], BrowserContext]
) -> None:
    url, db = served
    households, poor = _province(db)
    viewers = Viewers(url, new_context)
    viewers.expect_overview_line(_line(households, poor))

    build = subprocess.Popen([sys.executable, "-m", "data.build", "--db", str(db), "--households", "15000",
                              "--seed", "7"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Paused once it has written every year into its new version (its progress lines say so): the viewers reload
    # in the middle of the build, and still see the current version, whole.
    progress = []
    for line in build.stderr:
        progress.append(line)
        if "classified: stored" in line:
            break
    assert build.poll() is None, progress
    build.send_signal(signal.SIGSTOP)
    try:
        viewers.reload_all()
        viewers.expect_overview_line(_line(households, poor))
    finally:
        build.send_signal(signal.SIGCONT)
    deadline = time.monotonic() + LIVENESS
    while build.poll() is None:  # and while it finishes and switches
        assert time.monotonic() < deadline, "the build did not finish"
        viewers.reload_all()
    out, err = build.communicate()
    assert build.returncode == 0, (out, err)

    rebuilt = _province(db)  # read from the new version's file, not through the app
    assert rebuilt != (households, poor) and rebuilt[0] > 14_000
    viewers.expect_overview_line(_line(*rebuilt))
    assert viewers.errors == []
