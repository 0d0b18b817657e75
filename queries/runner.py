"""Load a named `.sql` file from this folder and run it, with parameters, on the read-only warehouse.

Pages call `run("poor_rate_progress_by_district", district=[...], area="all", group="all")`. Filter values only ever
travel as DuckDB `$named` parameters; the SQL text comes from a file in this folder, never from user input.

Caching: `connection()` is one read-only connection per process (`st.cache_resource`); `run()` caches each result
by query name, parameters and warehouse path (`st.cache_data`), so a page that reruns with the same filters runs no
SQL at all. Whoever replaces the warehouse file (the import page) or points $POVERTY_DB elsewhere in a running
process clears both: `connection.clear(); run.clear()` (or `clear_caches()`).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from data.warehouse import connect_readonly, db_path
from queries.sql import execute


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """The warehouse at `data.warehouse.db_path()`, opened read-only, shared by every session of this process.

    Cached with `st.cache_resource`: code that rewrites the warehouse (the import page) must call
    `connection.clear()` (and `run.clear()`) afterwards so the next query opens the new file.
    Queries never use this connection directly; each runs on its own cursor (DuckDB connections are not thread-safe).
    """
    return connect_readonly(db_path())


def _normalise(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return value


@st.cache_data(show_spinner=False, max_entries=512)
def _run_cached(name: str, params: tuple[tuple[str, Any], ...], database: str) -> pd.DataFrame:
    return execute(connection(), name, {key: _normalise(value) for key, value in params})


def run(name: str, **params: Any) -> pd.DataFrame:
    """Run `queries/<name>.sql` with `params` as DuckDB named parameters; return the result as a DataFrame.

    Results are cached by (name, params, warehouse path). Lists and tuples are both accepted for list parameters.
    Each call gets its own copy of the frame (`st.cache_data` semantics).
    """
    frozen = tuple(sorted((key, tuple(value) if isinstance(value, list) else value) for key, value in params.items()))
    return _run_cached(name, frozen, str(db_path()))


def clear_caches() -> None:
    """Forget the connection and every cached result (after the warehouse file has been replaced)."""
    _run_cached.clear()
    connection.clear()


run.clear = _run_cached.clear  # type: ignore[attr-defined]
