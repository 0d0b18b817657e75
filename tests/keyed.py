"""Tests read households by their code: `classified` and `transitions_rows` carry `household_key` only (the
warehouse's own key, data/schema.sql), so `connect` adds temporary views naming each row's `household_id` too."""

from __future__ import annotations

from pathlib import Path

import duckdb

# `classified` with the household's code first and no key: the columns the view had before keys (a temporary view,
# so it also works on a read-only connection and never enters the warehouse).
VIEWS = """
CREATE TEMP VIEW IF NOT EXISTS classified_ids AS
SELECT h.household_id, c.* EXCLUDE (household_key) FROM classified AS c JOIN households AS h USING (household_key);
CREATE TEMP VIEW IF NOT EXISTS transitions_ids AS
SELECT h.household_id, t.* EXCLUDE (household_key)
FROM transitions_rows AS t JOIN households AS h USING (household_key);
"""


def with_ids(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` with the temporary views `classified_ids` and `transitions_ids` (household_id instead of the key)."""
    con.execute(VIEWS)
    return con


def connect(db: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse file `db` with `with_ids`' views."""
    return with_ids(duckdb.connect(str(db), read_only=read_only))
