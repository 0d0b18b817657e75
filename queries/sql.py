"""The named SQL files of this folder: load one by name and run it with parameters. No Streamlit here.

The app runs them through `queries.runner` (cached, on its read-only connection); the importer and the export
command call `load_sql`/`execute` directly on their own connection. A name is a file stem written in code, checked
against a strict pattern; values only ever travel as DuckDB `$named` parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from data.sqlfiles import read_sql

QUERY_DIR = Path(__file__).resolve().parent


def load_sql(name: str) -> str:
    """The text of `queries/<name>.sql` (read through `data.sqlfiles`, the one loader)."""
    return read_sql(QUERY_DIR, name)


def execute(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run `queries/<name>.sql` on a fresh cursor of `con` (connections are not thread-safe); return a DataFrame."""
    cursor = con.cursor()
    try:
        return cursor.execute(load_sql(name), dict(params or {})).df()
    finally:
        cursor.close()
