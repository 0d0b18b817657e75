"""The named SQL files of this folder: load one by name and run it with parameters. No Streamlit here.

The app runs them through `queries.runner` (cached, on its read-only connection); the importer and the export
command call `load_sql`/`execute` directly on their own connection. A name is a file stem written in code, checked
against a strict pattern; values only ever travel as DuckDB `$named` parameters.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

QUERY_DIR = Path(__file__).resolve().parent
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@cache
def load_sql(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    if not _NAME.match(name):
        raise ValueError(f"not a query name: {name!r}")
    path = QUERY_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run `queries/<name>.sql` on a fresh cursor of `con` (connections are not thread-safe); return a DataFrame."""
    cursor = con.cursor()
    try:
        return cursor.execute(load_sql(name), dict(params or {})).df()
    finally:
        cursor.close()
