"""Load a named `.sql` file from this folder and run it, with parameters, on the newest version of the warehouse.

Pages call `run("poor_rate_progress_by_district", district=[...], area="all", group="all")`. Filter values only ever
travel as DuckDB `$named` parameters; the SQL text comes from a file in this folder, never from user input.

Versions (`data.warehouse`): writers never touch the file readers have open; they write a new version and switch the
warehouse's name to it. Before each query this module compares the current version (`current_version()`: one stat,
no file opened) with the one its read-only connection is on; when it changed, the next query opens the new version
and the old connection is closed as soon as the last query running on it ends (a count of users per connection).
Nobody has to clear anything after a write, in this process or another: a viewer's next interaction after an import
or a build commits shows the new data, and a query never sees a connection closed under it.

Caching: `run()` caches each result by query name, parameters and warehouse version (`st.cache_data`), so a page
that reruns with the same filters runs no SQL at all, and a new version misses the cache by itself. Each query runs
on its own cursor (DuckDB connections are not thread-safe; Streamlit runs each session in its own thread).
`clear_caches()` forgets the results and the connection (tests that point $POVERTY_DB elsewhere may call it; the
version key alone already keeps results of different files apart).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from data.warehouse import Version, current_version, db_path, open_current
from queries.sql import execute


class _Reader:
    """One read-only connection to one version, and how many queries are using it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, version: Version) -> None:
        self.con = con
        self.version = version
        self.users = 0
        self.retired = False  # a newer version is current: close when the last user is done


_guard = threading.Lock()
_reader: _Reader | None = None


def _retire(reader: _Reader) -> None:
    reader.retired = True
    if reader.users == 0:
        reader.con.close()


def _acquire() -> _Reader:
    """The reader on the current version (opened if the version changed), with one more user."""
    global _reader
    with _guard:  # the stat inside: a thread that looked earlier never moves the process back to an older version
        version = current_version(db_path())
        if _reader is None or _reader.version != version:
            if _reader is not None:
                _retire(_reader)
                _reader = None
            con, version = open_current(db_path())
            _reader = _Reader(con, version)
        _reader.users += 1
        return _reader


def _release(reader: _Reader) -> None:
    with _guard:
        reader.users -= 1
        if reader.retired and reader.users == 0:
            reader.con.close()


@contextmanager
def _using() -> Iterator[_Reader]:
    reader = _acquire()
    try:
        yield reader
    finally:
        _release(reader)


@contextmanager
def reading() -> Iterator[tuple[duckdb.DuckDBPyConnection, Version]]:
    """A cursor on the newest version of the warehouse, and that version, for a reader that needs more than one
    named query on the same data (the import page validates files on it). The version stays open until the block
    ends, whatever writers do meanwhile."""
    with _using() as reader:
        cursor = reader.con.cursor()
        try:
            yield cursor, reader.version
        finally:
            cursor.close()


def _normalise(value: Any) -> Any:
    if isinstance(value, tuple | set | frozenset):
        return sorted(value) if isinstance(value, set | frozenset) else list(value)
    return value


@st.cache_data(show_spinner=False, max_entries=512)
def _run_cached(name: str, params: tuple[tuple[str, Any], ...], version: Version, _reader: _Reader) -> pd.DataFrame:
    # `version` is the key; `_reader` (not hashed, leading underscore) is the open connection to that version
    return execute(_reader.con, name, {key: _normalise(value) for key, value in params})


def run(name: str, **params: Any) -> pd.DataFrame:
    """Run `queries/<name>.sql` with `params` as DuckDB named parameters on the newest warehouse version; return the
    result as a DataFrame.

    Results are cached by (name, params, version). Lists and tuples are both accepted for list parameters. Each call
    gets its own copy of the frame (`st.cache_data` semantics). Raises `FileNotFoundError` without a warehouse.
    """
    frozen = tuple(sorted((key, tuple(value) if isinstance(value, list) else value) for key, value in params.items()))
    with _using() as reader:
        return _run_cached(name, frozen, reader.version, reader)


def clear_caches() -> None:
    """Forget every cached result and the connection (closed once no query uses it)."""
    global _reader
    _run_cached.clear()
    with _guard:
        if _reader is not None:
            _retire(_reader)
            _reader = None


run.clear = _run_cached.clear  # type: ignore[attr-defined]
