"""The DuckDB warehouse: where it lives, its schema, and the reference data every build loads."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from data.units import UNIT_COLUMNS, load_units

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "baclieu.duckdb"
SCHEMA = Path(__file__).parent / "schema.sql"
REFERENCE_DIR = Path(__file__).parent / "reference"


def db_path() -> Path:
    """The warehouse file: `POVERTY_DB` if set, else `data/baclieu.duckdb` in the checkout."""
    value = os.environ.get("POVERTY_DB")
    return Path(value).expanduser().resolve() if value else DEFAULT_DB


def connect_readonly(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    path = path or db_path()
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: build it with `python -m data.build`")
    return duckdb.connect(str(path), read_only=True)


def schema_digest() -> str:
    """SHA-256 of `schema.sql`: stored in `meta` as `schema` by `create_schema`, so the app can tell a warehouse made
    by an older version (other tables, views or macro signatures) from a current one."""
    return hashlib.sha256(SCHEMA.read_bytes()).hexdigest()


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the contract's tables, views and macros, and record which schema made them (`meta.schema`)."""
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    con.execute("INSERT INTO meta VALUES ('schema', $digest)", {"digest": schema_digest()})


def load_reference(con: duckdb.DuckDBPyConnection, reference_dir: Path = REFERENCE_DIR,
                   units: pd.DataFrame | None = None) -> None:
    """Fill `units`, `standards`, `indicators`, `targets` and `settings` from the package and the files in
    `reference_dir`."""
    units = load_units() if units is None else units
    insert_frame(con, "units", units[UNIT_COLUMNS])
    standards = pd.read_csv(reference_dir / "standards.csv")
    indicators = pd.read_csv(reference_dir / "indicators.csv").sort_values(["standard_id", "position"])
    missing = set(standards["standard_id"]) - set(indicators["standard_id"])
    if missing:
        raise ValueError(f"indicators.csv lists no indicators for standard(s) {sorted(missing)}")
    lists = indicators.groupby("standard_id", sort=False)["indicator"].agg(list)
    insert_frame(con, "standards", standards.assign(indicators=standards["standard_id"].map(lists)))
    _check_standards_do_not_overlap(con)
    insert_frame(con, "indicators", indicators)
    insert_frame(con, "targets", pd.read_csv(reference_dir / "targets.csv"))
    insert_frame(con, "settings", pd.read_csv(reference_dir / "settings.csv"))


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Append `frame` to `table`, matching columns by name (`table` is one of the schema's, never user input)."""
    view = f"_frame_{table}"
    con.register(view, frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {view}")  # noqa: S608
    finally:
        con.unregister(view)


def _check_standards_do_not_overlap(con: duckdb.DuckDBPyConnection) -> None:
    clash = con.execute(
        """SELECT a.standard_id, b.standard_id FROM standards a JOIN standards b
           ON a.standard_id < b.standard_id AND a.first_year <= b.last_year AND b.first_year <= a.last_year"""
    ).fetchall()
    if clash:
        raise ValueError(f"standards in force in the same year: {clash}; each year needs exactly one standard")


def refresh_classified(con: duckdb.DuckDBPyConnection, years: Sequence[int] | None = None) -> None:
    """Recompute the stored classification (`classified_rows`) from the rule (`classified_live`).

    `years=None` recomputes every year; otherwise only those years. Call it inside the transaction that changed
    `reviews`, `households` or `standards`, so readers never see reviews and their classes out of step.
    """
    if years is None:
        con.execute("DELETE FROM classified_rows")
        con.execute("INSERT INTO classified_rows SELECT * FROM classified_live ORDER BY year, district_code, "
                    "commune_code")
        return
    params = {"years": sorted({int(y) for y in years})}
    con.execute("DELETE FROM classified_rows WHERE list_contains($years, year)", params)
    con.execute("INSERT INTO classified_rows SELECT * FROM classified_live WHERE list_contains($years, year) "
                "ORDER BY year, district_code, commune_code", params)


@contextmanager
def atomic_file(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; move it over `target` only if the block finishes.

    A failed or interrupted build leaves the previous warehouse untouched (`os.replace` is atomic on one
    filesystem), and a leftover temporary file from a killed build is removed by the next one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    for stale in target.parent.glob(f"{target.name}.tmp-*"):
        stale.unlink(missing_ok=True)
    try:
        yield tmp
        os.replace(tmp, target)
        Path(f"{target}.wal").unlink(missing_ok=True)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)
