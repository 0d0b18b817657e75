"""Two imports at once: serialised by the warehouse's write lock (none lost) or refused clearly; the import page
loads only what it checked against the current version."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from dashboard.importing import check_files, load_checked
from data.warehouse import ROOT, WAIT_ENV, current_version, write_lock
from i18n import Translator
from queries.runner import clear_caches
from tests.ingest.conftest import checksum, review_rows, write_csv
from tests.warehouse.locking import hold_lock

YEAR = 2024
LIVENESS = 120  # seconds: a bound for waits on conditions, never a measure of speed
vi = Translator("vi")


def _count(db: Path, prefix: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM reviews WHERE household_id LIKE $p || '%' AND year = $year",
                           {"p": prefix, "year": YEAR}).fetchall()[0][0]
    finally:
        con.close()


def _cli(path: Path, db: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "data.ingest", str(path), "--db", str(db)], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)



def test_two_command_line_imports_at_once_both_load_one_after_the_other(demo_db: Path, tmp_path: Path) -> None:
    """Both commands start while a third writer holds the lock, say they wait, and once it is free each loads onto
    the other's version: 300 + 200 new reviews, none lost (without the lock both would copy the same version and the
    later switch would drop the earlier one's rows)."""
    first = write_csv(tmp_path / "xa_a.csv", review_rows(300, prefix="A", year=YEAR))
    second = write_csv(tmp_path / "xa_b.csv", review_rows(200, prefix="B", year=YEAR))
    with write_lock(demo_db):
        procs = [_cli(first, demo_db), _cli(second, demo_db)]
        for proc in procs:  # each says it waits (its first line), read however slow the machine is
            assert proc.stderr.readline().strip() == vi("ingest.waiting")
    outputs = [proc.communicate(timeout=LIVENESS) for proc in procs]
    assert [proc.returncode for proc in procs] == [0, 0], outputs
    assert (_count(demo_db, "A"), _count(demo_db, "B")) == (300, 200)


def test_a_command_line_import_that_cannot_wait_is_refused_clearly_and_changes_nothing(demo_db: Path,
                                                                                    tmp_path: Path) -> None:
    path = write_csv(tmp_path / "xa.csv", review_rows(50, prefix="R", year=YEAR))
    before = checksum(demo_db)
    holder = hold_lock(demo_db)
    try:
        out, err = _cli(path, demo_db, **{WAIT_ENV: "0"}).communicate(timeout=LIVENESS)
    finally:
        holder.kill()
        holder.wait()
    assert err.splitlines() == [vi("ingest.waiting"), vi("ingest.busy")] and out == ""
    assert checksum(demo_db) == before


@pytest.fixture
def served(demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo warehouse as the app's ($POVERTY_DB), for the import page's functions, on a server whose operator
    allows importing (`data.access`)."""
    monkeypatch.setenv("POVERTY_DB", str(demo_db))
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "1")
    clear_caches()
    yield demo_db
    clear_caches()


def test_the_page_loads_nothing_checked_against_an_older_version_then_loads_after_checking_again(
        served: Path, tmp_path: Path, run_ingest) -> None:
    page_file = write_csv(tmp_path / "trang.csv", review_rows(40, prefix="P", year=YEAR))
    files = [(page_file.name, page_file.read_bytes())]
    checks = check_files(files, None)
    assert checks.version == current_version(served)
    # The command line imports another file between the page's check and its load.
    code, _, _ = run_ingest(write_csv(tmp_path / "dong_lenh.csv", review_rows(30, prefix="C", year=YEAR)),
                            "--db", served)
    assert code == 0 and current_version(served) != checks.version
    outcome = load_checked(checks, accept_valid=False)
    assert (outcome.status, outcome.results) == ("changed", [])
    assert (_count(served, "P"), _count(served, "C")) == (0, 30)
    # What the page does next: check again (against the new version), then load.
    again = check_files(files, None)
    assert again.version == current_version(served)
    # A report the analyst read before the change does not count for the new check either.
    assert load_checked(again, accept_valid=False, seen=checks.version).status == "changed"
    loaded = load_checked(again, accept_valid=False, seen=again.version)
    assert loaded.status == "loaded" and [r.rows_loaded for r in loaded.results] == [40]
    assert loaded.version == current_version(served) != again.version
    assert (_count(served, "P"), _count(served, "C")) == (40, 30)


def test_the_page_says_busy_when_another_writer_keeps_the_lock(served: Path, tmp_path: Path) -> None:
    page_file = write_csv(tmp_path / "trang.csv", review_rows(10, prefix="P", year=YEAR))
    checks = check_files([(page_file.name, page_file.read_bytes())], None)
    told: list[str] = []
    holder = hold_lock(served)
    try:
        outcome = load_checked(checks, accept_valid=False, on_wait=lambda: told.append("waiting"), wait=0)
    finally:
        holder.kill()
        holder.wait()
    assert (outcome.status, outcome.results, told) == ("busy", [], ["waiting"])
    assert _count(served, "P") == 0
    assert load_checked(checks, accept_valid=False).status == "loaded"  # once the other writer is gone
    assert _count(served, "P") == 10
