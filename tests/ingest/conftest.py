"""Fixtures for the importer's tests: small warehouses in tmp_path and review files written by hand."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from data.build import build
from data.ingest import Context, create_empty, normalise
from data.template import indicator_labels
from data.warehouse import ROOT, create_schema, load_reference
from queries.runner import clear_caches

LAYOUT = normalise.layout(indicator_labels())  # field → canonical Vietnamese header
INDICATOR_HEADERS = [h for f, h in LAYOUT.items() if f.startswith("d_")]
# Codes both unit sets hold, each former unit lying in the current unit of its code: valid in any review year.
COMMUNES = ["31834", "31840", "31843", "31942", "31825", "31876"]


def review_rows(n: int, prefix: str = "T", year: int | None = 2024, poor_every: int = 4) -> list[dict[str, object]]:
    """`n` valid rows in the import layout; every `poor_every`-th household is poor (low income, 3 deprivations)."""
    rows = []
    for i in range(n):
        poor = i % poor_every == 0
        row: dict[str, object] = {
            LAYOUT["household_id"]: f"{prefix}{i:05d}",
            LAYOUT["commune_code"]: COMMUNES[i % len(COMMUNES)],
            LAYOUT["ethnicity"]: ["Kinh", "Khmer", "Hoa", "Chăm"][i % 4],
            LAYOUT["members"]: 1 + i % 6,
            LAYOUT["income_per_capita"]: 900_000 if poor else 3_500_000 + i,
            LAYOUT["social_protection"]: "x" if i % 10 == 0 else "",
        }
        if year is not None:
            row[LAYOUT["year"]] = year
        for j, header in enumerate(INDICATOR_HEADERS):
            row[header] = "x" if poor and j < 3 else ""
        rows.append(row)
    return rows


def write_csv(path: Path, rows: list[dict[str, object]], delimiter: str = ",", encoding: str = "utf-8",
              headers: list[str] | None = None) -> Path:
    headers = headers or list(rows[0])
    with path.open("w", newline="", encoding=encoding) as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


def write_xlsx(path: Path, rows: list[dict[str, object]], title_rows: int = 0) -> Path:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    for i in range(title_rows):
        sheet.append([f"DANH SÁCH HỘ RÀ SOÁT — dòng tiêu đề {i + 1}"])
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append([None if v == "" else v for v in row.values()])
    book.save(path)
    return path


def checksum(path: Path) -> dict[str, tuple[int, str]]:
    """(row count, md5 over the rows in order) for every table of the warehouse."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [t for (t,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name").fetchall()]
        out = {}
        for table in tables:
            out[table] = con.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR), '')) "  # noqa: S608
                f"FROM {table} AS t").fetchall()[0]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def warehouse() -> Iterator[tuple[duckdb.DuckDBPyConnection, Context]]:
    """An in-memory warehouse with the schema and reference data only, and its validation context."""
    con = duckdb.connect()
    create_schema(con)
    load_reference(con)
    yield con, Context.of(con)
    con.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-household demo warehouse, built once per worker; tests copy it."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build(path, households=20_000, log=lambda _m: None)
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    create_empty(path)
    return path


@pytest.fixture
def empty_db(empty_template: Path, tmp_path: Path) -> Path:
    """Schema and reference data only: what `python -m data.ingest` creates for a missing warehouse."""
    path = tmp_path / "empty.duckdb"
    shutil.copy(empty_template, path)
    return path


@pytest.fixture
def run_ingest(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the command in-process; return (exit code, stdout, stderr).

    The report is asserted in English (`--lang en`) unless `lang` says otherwise; `lang=None` runs the command as an
    analyst does, without `--lang` (Vietnamese).
    """
    from data.ingest.__main__ import main

    def run(*args: object, lang: str | None = "en") -> tuple[int, str, str]:
        code = main([str(a) for a in args] + (["--lang", lang] if lang else []))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


@pytest.fixture
def page(empty_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The import page on a warehouse with reference data only, importing allowed."""
    monkeypatch.setenv("POVERTY_DB", str(empty_db))
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "1")
    clear_caches()
    at = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=120).run()
    assert not at.exception
    yield at
    clear_caches()
