"""Tests read households by their code: `classified` and `transitions_rows` carry `household_key` only (the
warehouse's own key, data/schema.sql), so `connect` adds temporary views naming each row's `household_id` too."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

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


def add_household(con: duckdb.DuckDBPyConnection, household_id: str, commune_code: str | None, current_code: str,
                  ethnicity: str = "kinh") -> int:
    """Store a household under the next key (max + 1, as the importer does) unless its code is stored already;
    return its key."""
    con.execute("INSERT INTO households SELECT (SELECT coalesce(max(household_key), 0) + 1 FROM households), $id, "
                "$commune, $current, $ethnicity WHERE NOT EXISTS (SELECT 1 FROM households WHERE household_id = $id)",
                {"id": household_id, "commune": commune_code, "current": current_code, "ethnicity": ethnicity})
    return con.execute("SELECT household_key FROM households WHERE household_id = $id",
                       {"id": household_id}).fetchall()[0][0]


def add_reviews(con: duckdb.DuckDBPyConnection, reviews: pd.DataFrame) -> None:
    """Append reviews given by household code (`household_id`, `year`, … : the columns of the view `reviews`) to
    `review_rows`, keyed on their stored households."""
    con.register("_added_reviews", reviews)
    try:
        con.execute("INSERT INTO review_rows BY NAME SELECT h.household_key, r.* EXCLUDE (household_id) "
                    "FROM _added_reviews AS r JOIN households AS h USING (household_id)")
    finally:
        con.unregister("_added_reviews")
