from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from data.build import build
from data.warehouse import create_schema, load_reference
from tests.keyed import with_ids


@pytest.fixture(scope="session")
def province_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full-size demo warehouse (≈226,000 households), built once per test worker."""
    path = tmp_path_factory.mktemp("province") / "baclieu.duckdb"
    build(path, log=lambda _m: None)
    return path


@pytest.fixture(scope="session")
def province(province_db: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(province_db), read_only=True)
    yield with_ids(con)  # `classified_ids`, `transitions_ids`: with each household's code
    con.close()


@pytest.fixture
def empty_warehouse() -> duckdb.DuckDBPyConnection:
    """Schema and reference data only, in memory: for hand-made households."""
    con = duckdb.connect()
    create_schema(con)
    load_reference(con)
    yield with_ids(con)  # `classified_ids`: classified with each household's code
    con.close()
