"""Fixtures for the report tests: one small demo warehouse per test worker and the workbooks built from it.

The demo generator calibrates the province rates at any size (tests/app/conftest.py), so 20,000 households give
every table real figures: several districts and units, every flow category of a year pair, poor and near-poor
households in most communes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import openpyxl
import pytest

from data.build import build
from reports.annual import annual_workbook, connection_runner

HOUSEHOLDS = 20_000


@pytest.fixture(scope="session")
def report_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 20,000-household demo warehouse, built once per worker."""
    path = tmp_path_factory.mktemp("reports") / "demo.duckdb"
    build(path, households=HOUSEHOLDS, log=lambda _m: None)
    return path


@pytest.fixture(scope="session")
def con(report_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = duckdb.connect(str(report_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def workbook(con: duckdb.DuckDBPyConnection) -> Callable[..., openpyxl.Workbook]:
    """`workbook(year, units=None, lang="vi")`: the annual report built on the demo warehouse, opened with openpyxl
    (each one built once per worker)."""
    cache: dict[tuple[int, str | None, str], openpyxl.Workbook] = {}

    def get(year: int, units: str | None = None, lang: str = "vi") -> openpyxl.Workbook:
        key = (year, units, lang)
        if key not in cache:
            data = annual_workbook(connection_runner(con), year, units, lang)  # type: ignore[arg-type]
            cache[key] = openpyxl.load_workbook(io.BytesIO(data))
        return cache[key]

    return get
