"""Writing a checked file in one DuckDB transaction, or nothing; the warehouse created empty when missing."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from data.cells import csv_bytes
from data.ingest.limits import file_over_limit
from data.ingest.messages import LANGS, AllOf, Lang, Message, msg
from data.ingest.read import Log, _silent
from data.ingest.validate import HEADER_COLUMNS, STORED_PROBLEM_COLUMNS, Checked, Context, check
from data.sqlfiles import load_sql
from data.warehouse import (
    create_schema,
    integrity_breaks,
    integrity_problems,
    load_reference,
    refresh_classified,
    writing,
)

HOLD_ENV = "POVERTY_INGEST_HOLD_BEFORE_COMMIT"  # test hook: seconds to wait inside the transaction before COMMIT

WROTE = ("loaded", "loaded_partly")  # the `ImportResult.status` values of an import that wrote rows


@dataclass
class ImportResult:
    """What one import did (or would not do)."""

    name: str
    status: str  # loaded | loaded_partly | rejected | skipped
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    households_new: int = 0
    households_updated: int = 0
    reviews_new: int = 0
    reviews_replaced: int = 0
    rates: list[tuple[int, int, float, float]] = field(default_factory=list)  # year, households, poor %, near-poor %
    problems: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=STORED_PROBLEM_COLUMNS))
    notes: list[Message] = field(default_factory=list)
    rejected_path: Path | None = None
    headers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HEADER_COLUMNS))  # Checked.headers
    unit_sets: dict[int, str] = field(default_factory=dict)  # Checked.unit_sets: review year → unit set read in
    units_used: list[Message] = field(default_factory=list)  # Checked.units_used: one line per year


def load(con: duckdb.DuckDBPyConnection, checked: Checked, accept_valid: bool = False, force: bool = False,
         log: Log = _silent) -> ImportResult:
    """Write a checked file's valid rows in one transaction, or nothing (problems without `accept_valid`)."""
    rejected = len(checked.rejected)
    result = ImportResult(checked.name, "rejected", checked.rows_read, 0, rejected if not checked.fatal else
                          checked.rows_read, problems=checked.problems, notes=list(checked.notes),
                          headers=checked.headers, unit_sets=dict(checked.unit_sets),
                          units_used=list(checked.units_used))
    if checked.fatal or (not checked.ok and not accept_valid):
        return result
    if checked.reviews.empty:
        result.status = "rejected" if rejected else "loaded"
        return result
    started = time.perf_counter()
    households = staged_households(checked.households)
    con.execute("BEGIN TRANSACTION")
    try:
        seen = con.execute(load_sql("file_loaded_at"), {"sha": checked.sha256}).fetchall()[0][0]
        if seen is not None and not force:
            con.execute("ROLLBACK")
            result.status = "skipped"
            result.rows_rejected = 0
            result.notes.append(msg("ingest.note_skipped", when=f"{seen:%Y-%m-%d %H:%M}"))
            return result
        con.register("staged_households", households)
        con.register("staged_reviews", checked.reviews)
        result.households_new = con.execute(load_sql("count_new_households")).fetchall()[0][0]
        result.households_updated = checked.households_updated
        result.reviews_new, result.reviews_replaced = con.execute(load_sql("count_reviews")).fetchall()[0]
        log(f"  {checked.name}: writing {len(checked.reviews):,} reviews in one transaction")
        con.execute(load_sql("upsert_households"))
        con.execute(load_sql("upsert_reviews"))
        per_year = checked.reviews.groupby("year").size()
        broken = _integrity(con, [int(y) for y in per_year.index])
        if broken:
            con.execute("ROLLBACK")
            for sentence in broken:
                log(f"  {checked.name}: refused, nothing stored: {sentence}")
            # the same rules over what was stored before this file: is the file to blame, or the warehouse?
            before = integrity_breaks(con, [int(y) for y in per_year.index])
            return _refused_inconsistent(result, msg("ingest.integrity_stored", problems=AllOf(tuple(
                _rule_broken(*broken) for broken in before))) if before else msg("ingest.integrity_refused"))
        # A changed household (ethnicity, or its former commune learned) reclassifies its other years too; otherwise
        # only the years loaded change.
        refresh_classified(con, None if result.households_updated else [int(y) for y in per_year.index])
        now = datetime.now(UTC).replace(tzinfo=None)
        for year, rows in per_year.items():
            con.execute(load_sql("record_import"),
                        {"sha": checked.sha256, "year": int(year), "file": Path(checked.name).name,
                         "read": checked.rows_read, "rows": int(rows), "rejected": rejected,
                         "new": result.households_new, "updated": result.households_updated, "at": now})
        _update_meta(con, now)
        hold = float(os.environ.get(HOLD_ENV, "0") or 0)
        if hold:
            log(f"  holding the transaction open for {hold} s ({HOLD_ENV})")
            time.sleep(hold)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for view in ("staged_households", "staged_reviews"):
            with contextlib.suppress(duckdb.Error):
                con.unregister(view)
        with contextlib.suppress(duckdb.Error):
            con.execute("DROP TABLE IF EXISTS temp.staged_keyed")
    log(f"  {checked.name}: committed ({time.perf_counter() - started:.1f} s)")
    result.status = "loaded" if checked.ok else "loaded_partly"
    result.rows_loaded = len(checked.reviews)
    result.rates = year_rates(con, checked.years)
    return result


def staged_households(households: pd.DataFrame) -> pd.DataFrame:
    """One row per household from `Checked.households` (one per valid row), in the order the file first names them
    (`position` 0, 1, …: new households get their keys in that order): its former commune where a row gives it
    (a row of a former-set year, or one of a current-set year naming a former unit; None otherwise), its current unit,
    and the ethnicity of its last row. Validation has refused households whose rows disagree on the place, so the rows
    of one household agree."""
    out = households.groupby("household_id", sort=False).agg(
        commune_code=("commune_code", "first"),  # the first non-null, else null
        current_code=("current_code", "first"), ethnicity=("ethnicity", "last")).reset_index()
    out["commune_code"] = out["commune_code"].astype(object).where(out["commune_code"].notna(), None)
    out["position"] = range(len(out))
    return out


def _integrity(con: duckdb.DuckDBPyConnection, years: list[int]) -> list[str]:
    """What the load just written (inside its transaction) breaks: `integrity_problems` over the households and the
    years written, and staged reviews whose household is neither staged nor stored (`upsert_reviews.sql` could not
    key them). English sentences for the log; empty when the load may commit."""
    problems = integrity_problems(con, years)
    unkeyed, examples = con.execute(
        "SELECT count(*), list(s.household_id ORDER BY s.household_id)[:3] FROM staged_reviews AS s "
        "ANTI JOIN households AS h USING (household_id)").fetchall()[0]
    if unkeyed:
        problems.append(f"{unkeyed:,} review(s) name a household that is neither in the file's households nor stored "
                        f"(households {', '.join(examples)})")
    return problems


def _rule_broken(rule: str, broken: int, examples: list[str]) -> Message:
    """One rule of `integrity_breaks` the stored warehouse breaks, worded in the reader's language."""
    codes = ", ".join(examples)
    if rule == "household_key_twice":
        return msg("ingest.integrity.household_key_twice", broken=broken, examples=codes)
    if rule == "household_id_twice":
        return msg("ingest.integrity.household_id_twice", broken=broken, examples=codes)
    if rule == "review_twice":
        return msg("ingest.integrity.review_twice", broken=broken, examples=codes)
    return msg("ingest.integrity.review_no_household", broken=broken, examples=codes)


def _refused_inconsistent(result: ImportResult, message: Message) -> ImportResult:
    """The result of a load rolled back because it would break the warehouse's integrity: nothing stored, the file
    refused as a whole with `message`: `ingest.integrity_refused` when the file would break it,
    `ingest.integrity_stored` (naming each broken rule of `integrity_breaks`) when the stored warehouse broke a rule
    before the file."""
    problem = _file_problem(result.name, message)
    result.status = "rejected"
    result.rows_loaded = 0
    result.rows_rejected = result.rows_read
    result.households_new = result.households_updated = result.reviews_new = result.reviews_replaced = 0
    result.problems = pd.concat([result.problems, problem], ignore_index=True) if len(result.problems) else problem
    return result


def _update_meta(con: duckdb.DuckDBPyConnection, now: datetime) -> None:
    """`dataset` says `reviews` only for a warehouse without demo rows; a demo build keeps `demo` and lists the
    years that imports touched in `imported_years` (its other rows are still invented)."""
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    years = ",".join(str(y) for (y,) in con.execute("SELECT DISTINCT year FROM imports ORDER BY year").fetchall())
    values = {"imported_years": years, "last_import_at": now.isoformat(timespec="seconds")}
    if meta.get("generator") != "data.demo":
        values["dataset"] = "reviews"
    for key, value in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES ($key, $value)", {"key": key, "value": value})


def year_rates(con: duckdb.DuckDBPyConnection, years: Sequence[int]) -> list[tuple[int, int, float, float]]:
    """(year, households, poor %, near-poor %) from the `classified` view, after a load."""
    sql = load_sql("import_year_rates")
    return [tuple(con.execute(sql, {"year": int(y)}).fetchall()[0]) for y in years]  # type: ignore[misc]


def create_empty(path: Path) -> None:
    """A warehouse with the schema and reference data only (no demo rows), as a new version of the warehouse named
    `path` (`data.warehouse.writing`)."""
    with writing(path, fresh=True) as con:
        fill_empty(con)


def has_schema(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database on `con` has the warehouse's tables (a new version of a missing warehouse is empty)."""
    return bool(con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'meta'").fetchall()[0][0])


def fill_empty(con: duckdb.DuckDBPyConnection) -> None:
    """Give an empty database the schema and reference data, marked as a warehouse of imported reviews."""
    create_schema(con)
    load_reference(con)
    now = datetime.now(UTC).isoformat(timespec="seconds")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [("dataset", "reviews"), ("created_by", "data.ingest"),
                                                     ("built_at", now)])


def rejected_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejected.csv")


def rejected_csv(checked: Checked, lang: Lang = "vi") -> bytes:
    """The rejected rows with their reasons in `lang` as CSV bytes (UTF-8 with BOM), every text cell neutralised
    (`data.cells`): the file written beside the input and the import page's download."""
    return csv_bytes(checked.rejected_rows(lang))


def refused(name: str, problem: Message) -> ImportResult:
    """The result for a file refused before it is read (over a limit of `data.ingest.limits`): nothing loaded."""
    return ImportResult(name, "rejected", 0, 0, 0, problems=_file_problem(name, problem))


def _file_problem(name: str, problem: Message) -> pd.DataFrame:
    """One problem of the whole file (no row), in `STORED_PROBLEM_COLUMNS`."""
    return pd.DataFrame([[name, pd.NA, "", "", *(problem.text(lang) for lang in LANGS)]],
                        columns=STORED_PROBLEM_COLUMNS).astype({"row": "Int64"})


def import_file(path: Path, con: duckdb.DuckDBPyConnection, year: int | None = None, accept_valid: bool = False,
                force: bool = False, log: Log = _silent, context: Context | None = None,
                lang: Lang = "vi") -> ImportResult:
    """Check and load one file on an open read-write connection; write the rejected rows beside it if asked, with
    their reasons in `lang`. A file over the size limit is refused without being read."""
    too_big = file_over_limit(path.stat().st_size)
    if too_big is not None:
        return refused(path.name, too_big)
    checked = check(path.read_bytes(), path.name, con, year, log, context)
    result = load(con, checked, accept_valid, force, log)
    if accept_valid and not checked.fatal and not checked.rejected.empty and result.status != "skipped":
        out = rejected_path(path)
        out.write_bytes(rejected_csv(checked, lang))
        result.rejected_path = out
    return result
