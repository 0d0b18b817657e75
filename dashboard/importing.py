"""What the import page does with the files an analyst uploads: check them, then load the loadable ones.

Plain functions over `data.ingest` so the page stays thin and tests reach the logic without a browser. The app's
cached read-only connection keeps DuckDB from opening the warehouse for writing, so `load_checked` releases it,
writes on its own read-write connection, and clears every cache after.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from data import ingest
from data.warehouse import db_path
from queries.runner import clear_caches, connection


def check_files(files: Sequence[tuple[str, bytes]], year: int | None) -> list[ingest.Checked]:
    """Each (file name, bytes) read and validated against the warehouse on a cursor of the app's connection.

    Returns one `Checked` per file, in upload order; nothing is written.
    """
    cursor = connection().cursor()
    try:
        return [ingest.check(data, name, cursor, year) for name, data in files]
    finally:
        cursor.close()


def load_checked(checked: Sequence[ingest.Checked], accept_valid: bool) -> list[ingest.ImportResult]:
    """Load each checked file in its own transaction (`data.ingest.load`); return one result per file."""
    connection().close()
    clear_caches()
    con = duckdb.connect(str(db_path()))
    try:
        return [ingest.load(con, c, accept_valid) for c in checked]
    finally:
        con.close()
        clear_caches()
