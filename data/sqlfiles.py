"""Named SQL files: load one by name from its folder. The ground floor of the query layers (no Streamlit, no app).

Two folders hold them: `data/sql/` (what the importer and the export command run on their own connection) and
`queries/` (what the app's pages run, through `queries.runner`). A name is a file stem written in code, checked
against a strict pattern; values only ever travel as DuckDB `$named` parameters, never formatted into the text.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

DATA_SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@cache
def read_sql(folder: Path, name: str) -> str:
    """The text of `<folder>/<name>.sql`.

    Raises ValueError for a name that is not a lower-case identifier, FileNotFoundError when there is no such file.
    """
    if not _NAME.match(name):
        raise ValueError(f"not a query name: {name!r}")
    path = folder / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"no query file {path}")
    return path.read_text(encoding="utf-8")


def load_sql(name: str) -> str:
    """The text of `data/sql/<name>.sql` (the importer's and the export's statements)."""
    return read_sql(DATA_SQL_DIR, name)
