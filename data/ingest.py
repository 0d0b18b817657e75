"""`python -m data.ingest`: load communes' annual review files (CSV or XLSX) into the warehouse, validated and atomic.

    python -m data.ingest FILE... [--year Y] [--db PATH] [--accept-valid] [--force] [--report CSV] [--lang vi|en]

Each file is one import: read, validated against the warehouse (units, standards, households already stored), then
written in one DuckDB transaction (households inserted or their ethnicity updated, reviews upserted on
(household_id, year), one `imports` row per year, `meta` updated) — or not at all. A file with any problem loads
nothing unless `--accept-valid` is given; then its valid rows load and the rejected ones are written, with reasons,
to `<file>.rejected.csv` beside it. Re-importing a file already loaded (same SHA-256) is skipped; `--force` loads it
again (the result is the same rows). Columns with personal data (names, ID numbers, addresses, phones) are never
read: only their headers are seen, and only the header is ever reported.

The report (each problem's file, row, column, value and expectation), the notes, the summary and the rejected rows'
reasons are in Vietnamese by default, in English with `--lang en`. Validation records each expectation as a
`data.messages.Message` (a key of `dashboard.i18n.TEXT` and its values) and keeps it written in both languages;
`report(problems, lang)` picks one, `Checked.rejected_rows(lang)` gives the rejected rows with reasons in one.

Library use (the import page): `check(data, name, con, year)` → `Checked` (the validation report, nothing written);
`load(con, checked, accept_valid)` → `ImportResult`; `import_file(path, db, …)` does both on a file.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import hashlib
import io
import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree

import duckdb
import numpy as np
import pandas as pd

from dashboard.i18n import Translator
from data import reading
from data.demo import INDICATORS, REVIEW_COLUMNS
from data.messages import LANGS, Lang, Message, msg, texts
from data.reading import Gazetteer, Headers
from data.warehouse import (
    atomic_file,
    create_schema,
    db_path,
    load_reference,
    refresh_classified,
)
from queries.sql import load_sql

# A report in one language (`report(problems, lang)`).
PROBLEM_COLUMNS = ["file", "row", "column", "value", "expected"]
# How `Checked.problems` keeps them: the expectation in both languages.
STORED_PROBLEM_COLUMNS = [*PROBLEM_COLUMNS[:-1], *(f"expected_{lang}" for lang in LANGS)]
HOUSEHOLD_COLUMNS = ["household_id", "commune_code", "ethnicity"]
HEADER_SEARCH_ROWS = 20  # title rows a sheet may have above its header
PROGRESS_EVERY = 50_000
HOLD_ENV = "POVERTY_INGEST_HOLD_BEFORE_COMMIT"  # test hook: seconds to wait inside the transaction before COMMIT
MAX_INCOME = 2_000_000_000  # INTEGER column; VND per person per month
MAX_MEMBERS = 100
HIDDEN = "(ẩn / hidden)"  # shown instead of a value that looks like an ID number

ROW, REASONS = "Dòng (row)", "Lý do (reasons)"  # the rejected-rows file

Log = Callable[[str], None]


def _silent(_: str) -> None:
    pass


# --- reading ------------------------------------------------------------------------------------------------------

@dataclass
class Raw:
    """The kept columns of a file as text, with the spreadsheet row number of every data row."""

    headers: Headers
    frame: pd.DataFrame  # one column per recognised field, values as text ("" for empty)
    rows: np.ndarray  # spreadsheet row numbers (the header row is the row above the first data row)


class FileError(Exception):
    """The file cannot be read at all (not CSV/XLSX, not UTF-8, no header row)."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.text("en"))
        self.message = message


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _pick(best: tuple[int, int, list] | None, score: int, index: int, row: list) -> tuple[int, int, list] | None:
    return (score, index, row) if score > 0 and (best is None or score > best[0]) else best


def _read_csv(data: bytes, mapping: dict[str, str]) -> tuple[list, int, pd.DataFrame]:
    try:
        head = data[:65536].decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data[:65532].decode("utf-8-sig")  # a multi-byte character cut at the boundary is fine
        except UnicodeDecodeError as exc:
            raise FileError(msg("ingest.not_utf8")) from exc
        head = data[:65532].decode("utf-8-sig")
    lines = head.splitlines()[:HEADER_SEARCH_ROWS]
    best, delimiter = None, ","
    for sep in (",", ";", "\t"):
        for index, row in enumerate(csv.reader(lines, delimiter=sep)):
            before = best
            best = _pick(best, reading.header_score(row, mapping), index, row)
            if best is not before:
                delimiter = sep
    if best is None:
        raise FileError(msg("ingest.no_header"))
    _, header_index, written = best
    headers = reading.classify_headers(written, mapping)
    keep = [i for i, f in enumerate(headers.fields) if f is not None]
    try:
        frame = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, skiprows=header_index + 1, usecols=keep,
                            names=list(range(len(written))),
                            dtype=str, keep_default_na=False, na_filter=False, skip_blank_lines=False,
                            encoding="utf-8-sig", engine="c")
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=keep)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise FileError(msg("ingest.unreadable_rows", delimiter=repr(delimiter), detail=str(exc)[:200])) from exc
    frame = frame.reindex(columns=keep, fill_value="")
    frame.columns = [headers.fields[i] for i in keep]
    return written, header_index, frame


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _column_index(ref: str) -> int:
    index = 0
    for ch in ref:
        if ch.isdigit():
            break
        index = index * 26 + ord(ch.upper()) - 64
    return index - 1


def _xlsx_sheets(book: zipfile.ZipFile) -> list[str]:
    """Paths of the workbook's worksheets, in tab order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out = []
    for sheet in workbook.iter(f"{_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        out.append(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
    return out


def _xlsx_rows(book: zipfile.ZipFile, path: str, shared: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cell texts) for every row of a worksheet, streamed with iterparse.

    openpyxl's read-only mode builds a Python object per cell (≈ 20 µs); a province file has ≈ 5 million cells.
    Here a cell is a few dictionary look-ups: shared strings by index, inline strings, booleans, numbers (written
    without a trailing `.0` when whole, as a person reads them in Excel).
    """
    with book.open(path) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            if element.tag != f"{_NS}row":
                continue
            cells: list[str] = []
            for cell in element:
                ref = cell.get("r")
                index = _column_index(ref) if ref else len(cells)
                if index > len(cells):
                    cells.extend([""] * (index - len(cells)))
                kind = cell.get("t")
                value = cell.find(f"{_NS}v")
                if kind == "s":
                    text = shared[int(value.text)] if value is not None and value.text else ""
                elif kind == "inlineStr":
                    text = "".join(t.text or "" for t in cell.iter(f"{_NS}t"))
                elif value is None or value.text is None:
                    text = ""
                elif kind == "b":
                    text = "1" if value.text == "1" else "0"
                elif kind in ("str", "e"):
                    text = value.text
                else:
                    raw = value.text
                    try:
                        text = raw if raw.isdigit() else _cell_text(float(raw))
                    except ValueError:
                        text = raw
                cells.append(text.strip())
            yield int(element.get("r") or 0), cells
            element.clear()


def _read_xlsx(data: bytes, mapping: dict[str, str], log: Log, name: str) -> tuple[list, int, pd.DataFrame]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        sheets = _xlsx_sheets(book)
        shared: list[str] = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{_NS}t")) for si in root.iter(f"{_NS}si")]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise FileError(msg("ingest.not_xlsx", error=type(exc).__name__)) from exc
    best, sheet = None, None
    for path in sheets:
        for index, (_, row) in enumerate(_xlsx_rows(book, path, shared)):
            if index >= HEADER_SEARCH_ROWS:
                break
            before = best
            best = _pick(best, reading.header_score(row, mapping), index, row)
            if best is not before:
                sheet = path
    if best is None or sheet is None:
        raise FileError(msg("ingest.no_header_sheet"))
    _, header_index, written = best
    headers = reading.classify_headers(written, mapping)
    keep = [i for i, f in enumerate(headers.fields) if f is not None]
    columns: list[list[str]] = [[] for _ in keep]
    numbers: list[int] = []
    started = time.perf_counter()
    header_number = None
    for index, (number, row) in enumerate(_xlsx_rows(book, sheet, shared)):
        if index == header_index:
            header_number = number
        if index <= header_index:
            continue
        width = len(row)
        for out, i in zip(columns, keep, strict=True):
            out.append(row[i] if i < width else "")
        numbers.append(number)
        if len(numbers) % PROGRESS_EVERY == 0:
            log(f"  {name}: {len(numbers):,} rows read ({time.perf_counter() - started:.1f} s)")
    frame = pd.DataFrame({headers.fields[i]: col for i, col in zip(keep, columns, strict=True)}, dtype=str)
    # Rows missing from the XML are empty rows in Excel; the row numbers say where each data row really is.
    frame.attrs["rows"] = np.asarray(numbers, dtype=np.int64)
    frame.attrs["header_row"] = header_number
    return written, header_index, frame


def read_raw(data: bytes, name: str, mapping: dict[str, str], log: Log = _silent) -> Raw:
    """Read the recognised columns of a CSV or XLSX file; personal and unknown columns are never read."""
    if data[:4] == b"PK\x03\x04" or name.lower().endswith((".xlsx", ".xlsm")):
        written, header_index, frame = _read_xlsx(data, mapping, log, name)
    elif name.lower().endswith(".xls"):
        raise FileError(msg("ingest.old_xls"))
    else:
        written, header_index, frame = _read_csv(data, mapping)
    headers = reading.classify_headers(written, mapping)
    rows = frame.attrs.get("rows")
    frame = frame.fillna("").astype(str)
    if rows is None:
        rows = np.arange(len(frame)) + header_index + 2  # spreadsheet numbering: the header is row header_index + 1
    nonblank = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    return Raw(headers, frame[nonblank].reset_index(drop=True), rows[nonblank])


# --- validating ---------------------------------------------------------------------------------------------------

@dataclass
class Checked:
    """One file read and validated against the warehouse; nothing written yet."""

    name: str
    sha256: str
    rows_read: int
    problems: pd.DataFrame  # STORED_PROBLEM_COLUMNS; row is <NA> for problems of the whole file
    households: pd.DataFrame  # valid rows: HOUSEHOLD_COLUMNS
    reviews: pd.DataFrame  # valid rows: REVIEW_COLUMNS
    rejected: pd.DataFrame  # rejected rows: their row and the kept columns as written (reasons: `rejected_rows`)
    fatal: bool  # a problem of the whole file: nothing can load, even with accept_valid
    notes: list[Message] = field(default_factory=list)
    households_updated: int = 0
    reasons: dict[str, np.ndarray] = field(default_factory=dict)  # lang → each rejected row's reasons

    def rejected_rows(self, lang: Lang = "vi") -> pd.DataFrame:
        """The rejected rows with their reasons in `lang`: the file written beside the input (or downloaded)."""
        return self.rejected.assign(**{REASONS: self.reasons[lang]})

    @property
    def ok(self) -> bool:
        return self.problems.empty

    @property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.reviews["year"].unique())


class _Problems:
    def __init__(self, name: str, raw: Raw) -> None:
        self.name, self.raw = name, raw
        self.parts: list[pd.DataFrame] = []
        self.bad = np.zeros(len(raw.frame), dtype=bool)
        self.reasons: dict[Lang, list[pd.Series]] = {lang: [] for lang in LANGS}
        self.fatal = False

    def whole_file(self, column: str, value: str, expected: Message) -> None:
        self.fatal = True
        row = [self.name, pd.NA, column, value, *(expected.text(lang) for lang in LANGS)]
        self.parts.append(pd.DataFrame([row], columns=STORED_PROBLEM_COLUMNS))

    def rows(self, mask: np.ndarray | pd.Series, column: str, expected: Message | pd.Series,
             values: pd.Series | str | None = None) -> None:
        """Rows where `mask` holds have a problem in `column` (a field); `expected` (a `Message`, or a Series of
        them) may differ per row. Each distinct expectation is written once per language."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if not count:
            return
        if values is None:
            shown = self.raw.frame[column].to_numpy(dtype=object)[mask]
        elif isinstance(values, str):
            shown = np.full(count, values, dtype=object)
        else:
            shown = values.to_numpy(dtype=object)[mask]
        written = self.raw.headers.column_of(column) if column in self.raw.headers.fields else column
        expected_rows = {}
        for lang in LANGS:
            if isinstance(expected, pd.Series):
                expected_rows[lang] = np.asarray(texts(expected.to_numpy(dtype=object)[mask], lang), dtype=object)
            else:
                expected_rows[lang] = np.full(count, expected.text(lang), dtype=object)
            reason = np.full(len(mask), "", dtype=object)
            reason[mask] = f"{written}: " + expected_rows[lang]
            self.reasons[lang].append(pd.Series(reason, index=self.raw.frame.index))
        self.parts.append(pd.DataFrame({
            "file": self.name, "row": self.raw.rows[mask], "column": written,
            "value": pd.Series(shown, dtype=object).astype(str).str.slice(0, 80).to_numpy(),
            **{f"expected_{lang}": expected_rows[lang] for lang in LANGS},
        }))
        self.bad |= mask

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=STORED_PROBLEM_COLUMNS)
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        return out.sort_values(["row", "column"], na_position="first", kind="stable").reset_index(drop=True)


@dataclass
class Context:
    """What validation needs from the warehouse, read once per connection."""

    gazetteer: Gazetteer
    mapping: dict[str, str]
    standards: pd.DataFrame
    layout: dict[str, str]

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> Context:
        units = con.execute("SELECT * FROM units ORDER BY commune_code").df()
        labels = con.execute("SELECT indicator, position, label_vi, label_en FROM indicators").df()
        standards = con.execute("SELECT standard_id, first_year, last_year, indicators FROM standards").df()
        return cls(Gazetteer(units), reading.header_map(labels), standards, reading.layout(labels))

    def standard_years(self) -> str:
        return ", ".join(f"{r.first_year}–{r.last_year}" for r in self.standards.itertuples(index=False))

    def indicators_in_force(self, years: set[int]) -> set[str]:
        out: set[str] = set()
        for r in self.standards.itertuples(index=False):
            if any(r.first_year <= y <= r.last_year for y in years):
                out |= set(r.indicators)
        return out

    def in_force(self, years: pd.Series) -> pd.Series:
        ok = pd.Series(False, index=years.index)
        for r in self.standards.itertuples(index=False):
            ok |= years.between(r.first_year, r.last_year)
        return ok


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check(data: bytes, name: str, con: duckdb.DuckDBPyConnection, year: int | None = None, log: Log = _silent,
          context: Context | None = None) -> Checked:
    """Read and validate one review file (its bytes and its name); report every problem, write nothing."""
    started = time.perf_counter()
    ctx = context or Context.of(con)
    digest = sha256(data)
    try:
        raw = read_raw(data, name, ctx.mapping, log)
    except FileError as exc:
        empty = Raw(reading.classify_headers([], ctx.mapping), pd.DataFrame(), np.zeros(0, dtype=int))
        problems = _Problems(name, empty)
        problems.whole_file("", "", exc.message)
        return _result(name, digest, empty, problems, None, None, [])
    log(f"  {name}: {len(raw.frame):,} rows read ({time.perf_counter() - started:.1f} s)")
    problems = _Problems(name, raw)
    notes = []
    if raw.headers.personal:
        notes.append(msg("ingest.note_personal", columns=", ".join(raw.headers.personal)))
    if raw.headers.ignored:
        notes.append(msg("ingest.note_ignored", columns=", ".join(raw.headers.ignored)))
    households, reviews = _validate(raw, problems, ctx, year)
    if households is not None and not problems.fatal:
        updated = _check_against_warehouse(con, raw, problems, households, ctx)
    else:
        updated = 0
    log(f"  {name}: validated, {int(problems.bad.sum()):,} rows with problems"
        f" ({time.perf_counter() - started:.1f} s)")
    checked = _result(name, digest, raw, problems, households, reviews, notes)
    checked.households_updated = updated
    return checked


def _result(name: str, digest: str, raw: Raw, problems: _Problems, households: pd.DataFrame | None,
            reviews: pd.DataFrame | None, notes: list[Message]) -> Checked:
    good = ~problems.bad
    if problems.fatal or households is None or reviews is None:
        households = pd.DataFrame(columns=HOUSEHOLD_COLUMNS)
        reviews = pd.DataFrame(columns=REVIEW_COLUMNS)
        good = np.zeros(len(raw.frame), dtype=bool)
    else:
        households = households[good].reset_index(drop=True)
        reviews = reviews[good].reset_index(drop=True)
    rejected = raw.frame[~good].copy()
    rejected.columns = [raw.headers.column_of(c) for c in rejected.columns]
    rejected.insert(0, ROW, raw.rows[~good])
    reasons = {}
    for lang in LANGS:
        if problems.reasons[lang]:
            joined = pd.concat(problems.reasons[lang], axis=1).agg(lambda r: "; ".join(x for x in r if x), axis=1)
            reasons[lang] = joined[~good].to_numpy(dtype=object)
        else:
            reasons[lang] = np.full(int((~good).sum()), msg("ingest.cannot_load").text(lang), dtype=object)
    return Checked(name, digest, len(raw.frame), problems.frame(), households, reviews,
                   rejected.reset_index(drop=True), problems.fatal, notes, reasons=reasons)


def _validate(raw: Raw, problems: _Problems, ctx: Context, year: int | None
              ) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    headers, frame = raw.headers, raw.frame
    for f, written in headers.duplicated.items():
        problems.whole_file(" / ".join(written), "", msg("ingest.duplicate_columns", field=ctx.layout.get(f, f),
                                                         count=len(written)))
    required = ["household_id", "ethnicity", "members", "income_per_capita", "social_protection"]
    for f in required:
        if not headers.has(f):
            problems.whole_file(ctx.layout[f], "", msg("ingest.required_column", header=ctx.layout[f]))
    if not headers.has("commune_code") and not headers.has("commune_name"):
        problems.whole_file(f"{ctx.layout['commune_code']} / {ctx.layout['commune_name']}", "",
                            msg("ingest.commune_column"))

    # The year: from the file's column, or --year, and a standard must be in force.
    if headers.has("year"):
        years_num, bad = reading.parse_numbers(frame["year"])
        empty = frame["year"] == ""
        if year is not None:
            years_num = years_num.where(~empty, float(year))
            problems.rows(~empty & ~bad & (years_num != year), "year", msg("ingest.year_given", year=str(year)))
        else:
            problems.rows(empty, "year", msg("ingest.year_empty"))
        bad = ~empty & (bad | (years_num % 1 != 0))
        problems.rows(bad, "year", msg("ingest.year_bad"))
        years_num = years_num.where(~bad & years_num.notna(), -1)
        years = years_num.astype(int)
        out_of_force = ~ctx.in_force(years) & (years != -1)
        problems.rows(out_of_force, "year", msg("ingest.year_no_standard", years=ctx.standard_years()))
    elif year is not None:
        years = pd.Series(year, index=frame.index, dtype=int)
        if not ctx.in_force(pd.Series([year])).iloc[0]:
            problems.whole_file("--year", str(year), msg("ingest.year_no_standard", years=ctx.standard_years()))
    else:
        problems.whole_file(ctx.layout["year"], "", msg("ingest.year_column", header=ctx.layout["year"]))
        years = pd.Series(-1, index=frame.index, dtype=int)

    counted = ctx.indicators_in_force(set(years.unique()) - {-1}) or set(INDICATORS)
    for indicator in INDICATORS:
        f = f"d_{indicator}"
        if indicator in counted and not headers.has(f):
            problems.whole_file(ctx.layout[f], "", msg("ingest.indicator_column", header=ctx.layout[f]))
    if problems.fatal:
        return None, None

    # Household code: present, not an ID card number, once per year in the file.
    hid = frame["household_id"]
    problems.rows(hid == "", "household_id", msg("ingest.household_empty"))
    id_like = hid.str.fullmatch(r"\d{9}|\d{12}")
    problems.rows(id_like, "household_id", msg("ingest.household_id_number"), values=HIDDEN)
    key = pd.DataFrame({"h": hid, "y": years})
    dup = key.duplicated(keep=False) & (hid != "") & ~id_like
    if dup.any():
        rows = pd.Series(raw.rows, index=frame.index)[dup]
        where = rows.groupby([hid[dup], years[dup]]).transform(lambda s: ", ".join(str(r) for r in s))
        expected = pd.Series(None, index=frame.index, dtype=object)
        expected[dup] = [msg("ingest.household_twice", rows=w) for w in where.astype(str)]
        problems.rows(dup, "household_id", expected)

    # Commune: by code, else by name (with the district when the name repeats).
    commune = _resolve_communes(raw, problems, ctx)

    ethnicity, bad = reading.parse_ethnicity(frame["ethnicity"])
    problems.rows(bad, "ethnicity", reading.ETHNICITY_EXPECTED)

    members, bad = reading.parse_numbers(frame["members"])
    problems.rows(bad, "members", msg("ingest.members"))
    problems.rows(~bad & ((members % 1 != 0) | (members < 1)), "members", msg("ingest.members"))
    problems.rows(~bad & (members > MAX_MEMBERS), "members", msg("ingest.members_max", limit=MAX_MEMBERS))

    income, bad = reading.parse_numbers(frame["income_per_capita"])
    problems.rows(bad, "income_per_capita", msg("ingest.income_nan"))
    problems.rows(~bad & (income < 0), "income_per_capita", msg("ingest.income_negative"))
    problems.rows(~bad & (income > MAX_INCOME), "income_per_capita", msg("ingest.income_max", limit=MAX_INCOME))

    marks = {}
    for f in ["social_protection", *(f"d_{i}" for i in INDICATORS)]:
        if headers.has(f):
            marks[f], bad = reading.parse_marks(frame[f])
            problems.rows(bad, f, reading.MARKS_EXPECTED)
        else:
            marks[f] = pd.Series(False, index=frame.index)  # an indicator the standard in force does not count

    households = pd.DataFrame({"household_id": hid, "commune_code": commune, "ethnicity": ethnicity})
    reviews = pd.DataFrame({
        "household_id": hid,
        "year": years.astype(np.int32),
        "members": members.fillna(0).clip(0, MAX_MEMBERS).round().astype(np.int32),
        "income_per_capita": income.fillna(0).clip(0, MAX_INCOME).round().astype(np.int64),
        **{f: marks[f].astype(bool) for f in REVIEW_COLUMNS[4:]},
    })[REVIEW_COLUMNS]
    return households, reviews


def _resolve_communes(raw: Raw, problems: _Problems, ctx: Context) -> pd.Series:
    frame, headers, gaz = raw.frame, raw.headers, ctx.gazetteer
    n = len(frame)
    codes = pd.Series([None] * n, index=frame.index, dtype=object)
    has_code = frame["commune_code"] != "" if headers.has("commune_code") else pd.Series(False, index=frame.index)
    if headers.has("commune_code"):
        lookup = {v: gaz.code(v) for v in frame.loc[has_code, "commune_code"].unique()}
        matches = frame.loc[has_code, "commune_code"].map(lookup)
        codes[has_code] = matches.map(lambda m: m.code)
        bad = pd.Series(False, index=frame.index)
        bad[has_code] = matches.map(lambda m: m.code is None).astype(bool)
        problems.rows(bad, "commune_code", msg("ingest.commune_code"))
    if headers.has("commune_name"):
        district = frame["district"] if headers.has("district") else pd.Series("", index=frame.index)
        pairs = pd.DataFrame({"name": frame["commune_name"], "district": district})
        lookup = {(a, b): gaz.name(a, b) for a, b in pairs.drop_duplicates().itertuples(index=False, name=None)
                  if a != ""}
        match = pd.Series([lookup.get((a, b)) for a, b in zip(pairs["name"], pairs["district"], strict=True)],
                          index=frame.index, dtype=object)
        by_name = match.map(lambda m: None if m is None else m.code)
        named = frame["commune_name"] != ""
        # A name only decides the commune where there is no code; where both are given they must agree.
        use = named & ~has_code
        unresolved = use & by_name.isna()
        problems.rows(unresolved, "commune_name", match.map(lambda m: None if m is None else m.problem))
        disagree = named & has_code & codes.notna() & by_name.notna() & (by_name != codes)
        if disagree.any():
            expected = codes[disagree].map(lambda c: msg("ingest.commune_disagree", code=c, commune=gaz.label(c)))
            full = pd.Series(None, index=frame.index, dtype=object)
            full[disagree] = expected
            problems.rows(disagree, "commune_name", full)
        codes[use] = by_name[use]
        missing = ~named & ~has_code
    else:
        missing = ~has_code
    problems.rows(missing, "commune_code" if headers.has("commune_code") else "commune_name",
                  msg("ingest.commune_empty"))
    return codes


def _check_against_warehouse(con: duckdb.DuckDBPyConnection, raw: Raw, problems: _Problems,
                             households: pd.DataFrame, ctx: Context) -> int:
    """Households already stored in another commune are rejected; return how many change ethnicity."""
    valid = households[~problems.bad & households["commune_code"].notna()]
    cursor = con.cursor()
    try:
        cursor.register("incoming", valid.assign(_i=valid.index))
        moved = cursor.execute(
            "SELECT i._i, h.commune_code FROM incoming AS i JOIN households AS h USING (household_id) "
            "WHERE h.commune_code <> i.commune_code").fetchall()
        updated = cursor.execute(
            "SELECT count(DISTINCT household_id) FROM incoming AS i JOIN households AS h USING (household_id) "
            "WHERE h.commune_code = i.commune_code AND h.ethnicity <> i.ethnicity").fetchall()[0][0]
        cursor.unregister("incoming")
    finally:
        cursor.close()
    if moved:
        index = [i for i, _ in moved]
        mask = np.zeros(len(raw.frame), dtype=bool)
        mask[index] = True
        expected = pd.Series(None, index=raw.frame.index, dtype=object)
        expected[index] = [msg("ingest.household_moved", commune=ctx.gazetteer.label(code)) for _, code in moved]
        column = "commune_code" if raw.headers.has("commune_code") else "commune_name"
        problems.rows(mask, column, expected)
    return int(updated)


# --- loading ------------------------------------------------------------------------------------------------------

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


_UPSERT_HOUSEHOLDS = """
INSERT INTO households (household_id, commune_code, ethnicity)
SELECT household_id, commune_code, ethnicity FROM staged_households
ON CONFLICT (household_id) DO UPDATE SET ethnicity = excluded.ethnicity
"""
_UPSERT_REVIEWS = """
INSERT OR REPLACE INTO reviews BY NAME SELECT * FROM staged_reviews
"""
_COUNT_NEW_HOUSEHOLDS = """
SELECT count(*) FROM staged_households AS s WHERE NOT EXISTS
    (SELECT 1 FROM households AS h WHERE h.household_id = s.household_id)
"""
_COUNT_REVIEWS = """
SELECT count(*) FILTER (r.household_id IS NULL),
       count(*) FILTER (r.household_id IS NOT NULL AND
           (s.members, s.income_per_capita, s.social_protection, s.d_employment, s.d_dependants, s.d_nutrition,
            s.d_health_insurance, s.d_adult_education, s.d_child_schooling, s.d_housing_quality, s.d_floor_area,
            s.d_water, s.d_latrine, s.d_telecom, s.d_info_devices)
           IS DISTINCT FROM
           (r.members, r.income_per_capita, r.social_protection, r.d_employment, r.d_dependants, r.d_nutrition,
            r.d_health_insurance, r.d_adult_education, r.d_child_schooling, r.d_housing_quality, r.d_floor_area,
            r.d_water, r.d_latrine, r.d_telecom, r.d_info_devices))
FROM staged_reviews AS s LEFT JOIN reviews AS r USING (household_id, year)
"""


def load(con: duckdb.DuckDBPyConnection, checked: Checked, accept_valid: bool = False, force: bool = False,
         log: Log = _silent) -> ImportResult:
    """Write a checked file's valid rows in one transaction, or nothing (problems without `accept_valid`)."""
    rejected = len(checked.rejected)
    result = ImportResult(checked.name, "rejected", checked.rows_read, 0, rejected if not checked.fatal else
                          checked.rows_read, problems=checked.problems, notes=list(checked.notes))
    if checked.fatal or (not checked.ok and not accept_valid):
        return result
    if checked.reviews.empty:
        result.status = "rejected" if rejected else "loaded"
        return result
    started = time.perf_counter()
    households = checked.households.drop_duplicates("household_id", keep="last")
    con.execute("BEGIN TRANSACTION")
    try:
        seen = con.execute("SELECT min(loaded_at) FROM imports WHERE sha256 = $sha", {"sha": checked.sha256}
                           ).fetchall()[0][0]
        if seen is not None and not force:
            con.execute("ROLLBACK")
            result.status = "skipped"
            result.rows_rejected = 0
            result.notes.append(msg("ingest.note_skipped", when=f"{seen:%Y-%m-%d %H:%M}"))
            return result
        con.register("staged_households", households)
        con.register("staged_reviews", checked.reviews)
        result.households_new = con.execute(_COUNT_NEW_HOUSEHOLDS).fetchall()[0][0]
        result.households_updated = checked.households_updated
        result.reviews_new, result.reviews_replaced = con.execute(_COUNT_REVIEWS).fetchall()[0]
        log(f"  {checked.name}: writing {len(checked.reviews):,} reviews in one transaction")
        con.execute(_UPSERT_HOUSEHOLDS)
        con.execute(_UPSERT_REVIEWS)
        per_year = checked.reviews.groupby("year").size()
        # A changed ethnicity reclassifies the household's other years too; otherwise only the years loaded change.
        refresh_classified(con, None if result.households_updated else [int(y) for y in per_year.index])
        now = datetime.now(UTC).replace(tzinfo=None)
        for year, rows in per_year.items():
            con.execute("INSERT OR REPLACE INTO imports VALUES ($sha, $year, $file, $read, $rows, $rejected, $new, "
                        "$updated, $at)",
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
    log(f"  {checked.name}: committed ({time.perf_counter() - started:.1f} s)")
    result.status = "loaded" if checked.ok else "loaded_partly"
    result.rows_loaded = len(checked.reviews)
    result.rates = year_rates(con, checked.years)
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
    """A warehouse with the schema and reference data only (no demo rows), written atomically."""
    with atomic_file(path) as tmp:
        con = duckdb.connect(str(tmp))
        try:
            create_schema(con)
            load_reference(con)
            now = datetime.now(UTC).isoformat(timespec="seconds")
            con.executemany("INSERT INTO meta VALUES (?, ?)", [("dataset", "reviews"), ("created_by", "data.ingest"),
                                                             ("built_at", now)])
            con.execute("CHECKPOINT")
        finally:
            con.close()


def rejected_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejected.csv")


def import_file(path: Path, con: duckdb.DuckDBPyConnection, year: int | None = None, accept_valid: bool = False,
                force: bool = False, log: Log = _silent, context: Context | None = None,
                lang: Lang = "vi") -> ImportResult:
    """Check and load one file on an open read-write connection; write the rejected rows beside it if asked, with
    their reasons in `lang`."""
    checked = check(path.read_bytes(), path.name, con, year, log, context)
    result = load(con, checked, accept_valid, force, log)
    if accept_valid and not checked.fatal and not checked.rejected.empty and result.status != "skipped":
        out = rejected_path(path)
        checked.rejected_rows(lang).to_csv(out, index=False, encoding="utf-8-sig")
        result.rejected_path = out
    return result


# --- the report and the command -----------------------------------------------------------------------------------

def report(problems: pd.DataFrame, lang: Lang = "vi") -> pd.DataFrame:
    """The problems of `Checked.problems` / `ImportResult.problems` with the expectation in `lang` (PROBLEM_COLUMNS)."""
    return problems.rename(columns={f"expected_{lang}": "expected"})[PROBLEM_COLUMNS]


def _format_problems(problems: pd.DataFrame, limit: int, lang: Lang) -> list[str]:
    tr = Translator(lang)
    lines = []
    for p in report(problems.head(limit), lang).itertuples(index=False):
        where = p.file if pd.isna(p.row) else tr("ingest.where_row", file=p.file, row=p.row)
        column = tr("ingest.where_column", column=p.column) if p.column else ""
        value = f": '{p.value}'" if p.value else ""
        lines.append(f"  {where}{column}{value}{tr('ingest.then_expected', expected=p.expected)}")
    if len(problems) > limit:
        lines.append("  " + tr("ingest.more", n=tr.num(len(problems) - limit)))
    return lines


def summary_lines(result: ImportResult, lang: Lang = "vi") -> list[str]:
    """The end-of-import summary for one file in `lang`, as printed by the command and shown by the import page."""
    tr = Translator(lang)
    out = [tr("ingest.summary", file=result.name, status=tr(f"ingest.status.{result.status}"),
              read=tr.num(result.rows_read), loaded=tr.num(result.rows_loaded), rejected=tr.num(result.rows_rejected),
              new=tr.num(result.households_new), updated=tr.num(result.households_updated),
              reviews_new=tr.num(result.reviews_new), reviews_replaced=tr.num(result.reviews_replaced))]
    out += ["  " + tr("ingest.note", note=note.text(lang)) for note in result.notes]
    for year, households, poor, near in result.rates:
        out.append("  " + tr("ingest.year_after", year=year, households=tr.num(households), poor=tr.pct(poor),
                             near=tr.pct(near)))
    if result.rejected_path:
        out.append("  " + tr("ingest.rejected_file", path=result.rejected_path))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="review files (.csv or .xlsx)")
    parser.add_argument("--year", type=int, help="the review year, for files without a year column (Năm)")
    parser.add_argument("--db", type=Path, help="warehouse (default: $POVERTY_DB or data/baclieu.duckdb); "
                        "created with the schema and reference data if missing")
    parser.add_argument("--accept-valid", action="store_true", help="load the valid rows of a file with problems "
                        "and write the rejected ones, with reasons, to FILE.rejected.csv beside it")
    parser.add_argument("--force", action="store_true", help="load a file again even if it was already imported")
    parser.add_argument("--report", type=Path, help="write every problem found to this CSV file")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="language of the report, the summary and the "
                        "rejected rows' reasons: vi (Vietnamese, the default) or en (English)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    path = (args.db or db_path()).resolve()
    missing = [f for f in args.files if not f.is_file()]
    if missing:
        print(f"error: no such file: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    if not path.exists():
        log(f"No warehouse at {path}: creating one with the schema and reference data only")
        create_empty(path)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        print(f"error: cannot open {path} for writing ({exc}); is the dashboard or another import using it?",
              file=sys.stderr)
        return 2
    results = []
    try:
        context = Context.of(con)
        for file in args.files:
            log(f"Importing {file}")
            results.append(import_file(file, con, args.year, args.accept_valid, args.force, log, context,
                                       args.lang))
    finally:
        con.close()
    problems = pd.concat([r.problems for r in results], ignore_index=True)
    tr = Translator(args.lang)
    if args.report is not None:
        written = report(problems, args.lang)
        written.rename(columns={c: tr(f"col.{c}") for c in PROBLEM_COLUMNS}).to_csv(args.report, index=False,
                                                                                   encoding="utf-8-sig")
    for result in results:
        if not result.problems.empty:
            print(tr("ingest.problem_count", file=result.name, n=tr.num(len(result.problems)))
                  + (tr("ingest.nothing_loaded") if result.status == "rejected" else ""))
            print("\n".join(_format_problems(result.problems, 50, args.lang)))
        print("\n".join(summary_lines(result, args.lang)))
    return 1 if not problems.empty else 0


if __name__ == "__main__":
    raise SystemExit(main())
