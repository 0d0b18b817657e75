"""Load a named `.sql` file from this folder and run it, with parameters, on the newest version of the warehouse.

Pages call `run("poor_rate_progress_by_district", district=[...], area="all", group="all")`. Filter values only ever
travel as DuckDB `$named` parameters; the SQL text comes from a file in this folder, never from user input.

Versions (`data.warehouse`): writers never touch the file readers have open; they write a new version and switch the
warehouse's name to it. Before each query this module compares the current version (`current_version()`: one stat,
no file opened) with the one its read-only connection is on; when it changed, the next query opens the new version
and the old connection is closed as soon as the last query running on it ends (a count of users per connection).
Nobody has to clear anything after a write, in this process or another: a viewer's next interaction after an import
or a build commits shows the new data, and a query never sees a connection closed under it.

Caching: `run()` caches each result in this process by query name, parameters and warehouse version, so a page
that reruns with the same filters runs no SQL at all, and a new version misses the cache by itself (the entries of
older versions are dropped when a newer one is first seen). Each caller gets a shallow copy of the cached frame
(`DataFrame.copy(deep=False)`): with pandas' Copy-on-Write a caller that adds a column or assigns into its copy
changes only its copy, and no pickle round trip is paid per call (`st.cache_data` unpickled every hit: most of
a warm session's query time under load, issue 9). At most `MAX_RESULTS` results, the least recently used dropped
first. Each query runs on its own cursor (DuckDB connections are not thread-safe; Streamlit runs each session in
its own thread).
Memory: the reader connection is opened with DuckDB's `memory_limit` at `READER_MEMORY_LIMIT` (1 GB; DuckDB's
default is 80 % of the machine's RAM, for every process serving the app): a page process stays under issue 13's
2 GB at 100×, and a query needing more spills to DuckDB's temporary directory or fails rather than taking the machine.
Every page query runs within it at 10× (bench/bench_queries.py --memory-limit 1GB).
`clear_caches()` forgets the results and the connection (tests that point $POVERTY_DB elsewhere may call it; the
version key alone already keeps results of different files apart).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import duckdb
import pandas as pd

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
READER_MEMORY_LIMIT = "1GB"  # DuckDB's buffer for all the queries of this process (a 10^9 bytes; DuckDB shows MiB)


def _configured(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` with the reader's settings (a DuckDB setting is the database instance's: every cursor shares it)."""
    con.execute(f"SET memory_limit = '{READER_MEMORY_LIMIT}'")
    return con


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
            _reader = _Reader(_configured(con), version)
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


MAX_RESULTS = 512
_Key = tuple[str, tuple[tuple[str, Any], ...], Version]
_results: OrderedDict[_Key, pd.DataFrame] = OrderedDict()
_results_guard = threading.Lock()
_newest: Version | None = None  # the version of the stored results: storing one of another drops them
_generation = 0  # counts `clear_caches()`: caches of work derived from results key on it (`generation()`)


def _cached(key: _Key) -> pd.DataFrame | None:
    with _results_guard:
        frame = _results.get(key)
        if frame is not None:
            _results.move_to_end(key)
    return frame


def _store(key: _Key, frame: pd.DataFrame) -> None:
    global _newest
    version = key[2]
    with _results_guard:
        if _newest != version:  # results of another version are never asked for again (or, rarely, once more)
            for old in [k for k in _results if k[2] != version]:
                del _results[old]
            _newest = version
        _results[key] = frame
        while len(_results) > MAX_RESULTS:
            _results.popitem(last=False)


def run(name: str, **params: Any) -> pd.DataFrame:
    """Run `queries/<name>.sql` with `params` as DuckDB named parameters on the newest warehouse version; return the
    result as a DataFrame.

    Results are cached by (name, params, version) in this process. Lists and tuples are both accepted for list
    parameters. Each call gets its own shallow copy of the frame: changing it (a new column, an assignment) never
    reaches the cache or another caller (pandas' Copy-on-Write). Raises `FileNotFoundError` without a warehouse.
    """
    frozen = tuple(sorted((key, tuple(value) if isinstance(value, list) else value) for key, value in params.items()))
    hit = _cached((name, frozen, current_version(db_path())))
    if hit is None:
        with _using() as reader:  # the version may have moved on since the look-up: key on the reader's
            key = (name, frozen, reader.version)
            hit = _cached(key)
            if hit is None:
                hit = execute(reader.con, name, {k: _normalise(value) for k, value in frozen})
                _store(key, hit)
    return hit.copy(deep=False)


def generation() -> int:
    """How many times `clear_caches()` ran in this process: a cache of work derived from query results keys on it
    beside the warehouse version (`dashboard.figure_cache`), so clearing the results clears that work too."""
    return _generation


def clear_caches() -> None:
    """Forget every cached result (and the work derived from them, see `generation()`) and the connection (closed
    once no query uses it)."""
    global _reader, _generation
    _clear_results()
    _generation += 1
    with _guard:
        if _reader is not None:
            _retire(_reader)
            _reader = None


def _clear_results() -> None:
    global _newest
    with _results_guard:
        _results.clear()
        _newest = None


run.clear = _clear_results  # type: ignore[attr-defined]
