"""Validating a file read against the warehouse: every problem found, in both languages; nothing written.

Each row's commune is read in the unit set of its review year (`data.ingest.places`: the warehouse's
`review_unit_set`), so a file — or each year of a file carrying several — uses the former 64 units before the
reorganisation of 1 July 2025 and the current 25 from the first review after it. A former unit written in a
current-set year is read as the current unit it lies in whole (exact: no former unit is split), and it tells the
household's former commune; a current unit written in a former-set year is an error naming the former units it was
formed from. A household keeps one place: stored under a former commune, it is the same household under the current
unit that contains it; under another former commune or anywhere else it moved, and a move is refused.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from data.demo import INDICATORS, REVIEW_COLUMNS
from data.ingest import normalise
from data.ingest.messages import LANGS, Lang, Message, OneOf, msg, texts
from data.ingest.normalise import Match
from data.ingest.places import CURRENT, FORMER, Places
from data.ingest.read import FileError, Log, Raw, _silent, read_raw
from data.sqlfiles import load_sql

# A report in one language (`report(problems, lang)`).
PROBLEM_COLUMNS = ["file", "row", "column", "value", "expected"]
# How `Checked.problems` keeps them: the expectation in both languages.
STORED_PROBLEM_COLUMNS = [*PROBLEM_COLUMNS[:-1], *(f"expected_{lang}" for lang in LANGS)]
# Valid rows' households: `commune_code` the former commune (a row of a former-set year, or one of a current-set year
# naming a former unit; else None), `current_code` the current unit (the crosswalk's image of the former commune),
# `unit_set` the set the row was read in.
HOUSEHOLD_COLUMNS = ["household_id", "commune_code", "current_code", "ethnicity", "unit_set"]
# How each header was read (`Checked.headers`): as written, the field's header in the template ("" for none), how
# (`normalise.HOW`), the similarity (0–100, <NA> unless similar or ambiguous), and how in words in both languages.
HEADER_COLUMNS = ["header", "field", "kind", "score", *(f"how_{lang}" for lang in LANGS)]
MAX_MEMBERS = 100
HIDDEN = "(ẩn / hidden)"  # shown instead of a value that looks like an ID number
ROW, REASONS = "Dòng (row)", "Lý do (reasons)"  # the rejected-rows file
SHEET = "Trang tính (sheet)"  # the rejected-rows file of a workbook read from several sheets


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
    headers: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HEADER_COLUMNS))
    households_updated: int = 0
    reasons: dict[str, np.ndarray] = field(default_factory=dict)  # lang → each rejected row's reasons
    unit_sets: dict[int, str] = field(default_factory=dict)  # review year → the unit set its rows were read in
    units_used: list[Message] = field(default_factory=list)  # per year, the unit set used (`ingest.units_used`)

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
        self.settled: dict[str, np.ndarray] = {}  # field → cells already refused as written (`settle`)

    def settle(self, column: str, mask: np.ndarray) -> None:
        """The cells of `mask` in `column` are refused for what they are (an Excel error, a formula without a value):
        what parsing their empty text would say about them (not a number, no code) is not reported again."""
        self.settled[column] = self.settled.get(column, np.zeros(len(mask), dtype=bool)) | mask

    def whole_file(self, column: str, value: str, expected: Message) -> None:
        self.fatal = True
        row = [self.name, pd.NA, column, value, *(expected.text(lang) for lang in LANGS), -1]
        self.parts.append(pd.DataFrame([row], columns=[*STORED_PROBLEM_COLUMNS, "_sheet"]))

    def rows(self, mask: np.ndarray | pd.Series, column: str, expected: Message | pd.Series,
             values: pd.Series | str | None = None) -> None:
        """Rows where `mask` holds have a problem in `column` (a field); `expected` (a `Message`, or a Series of
        them) may differ per row. Each distinct expectation is written once per language."""
        mask = np.asarray(mask, dtype=bool)
        if column in self.settled:
            mask = mask & ~self.settled[column]
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
            "file": self.raw.files(self.name, mask), "row": self.raw.rows[mask], "column": written,
            "value": pd.Series(shown, dtype=object).astype(str).str.slice(0, 80).to_numpy(),
            **{f"expected_{lang}": expected_rows[lang] for lang in LANGS},
            "_sheet": self.raw.order(mask),
        }))
        self.bad |= mask

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=STORED_PROBLEM_COLUMNS)
        out = pd.concat(self.parts, ignore_index=True)
        out["row"] = out["row"].astype("Int64")
        out = out.sort_values(["_sheet", "row", "column"], na_position="first", kind="stable")  # sheets in tab order
        return out[STORED_PROBLEM_COLUMNS].reset_index(drop=True)


@dataclass
class Context:
    """What validation needs from the warehouse, read once per connection."""

    places: Places
    mapping: dict[str, str]
    standards: pd.DataFrame
    layout: dict[str, str]
    year_sets: dict[int, str | None] = field(default_factory=dict)  # cache of `review_unit_set` by year

    @classmethod
    def of(cls, con: duckdb.DuckDBPyConnection) -> Context:
        labels = con.execute("SELECT indicator, position, label_vi, label_en FROM indicators").df()
        standards = con.execute("SELECT standard_id, first_year, last_year, indicators FROM standards").df()
        return cls(Places.of(con), normalise.header_map(labels), standards, normalise.layout(labels))

    def unit_sets_of(self, con: duckdb.DuckDBPyConnection, years: Iterable[int]) -> dict[int, str | None]:
        """Review year → the unit set it is filed in (`review_unit_set` in the warehouse; None when none is in
        force), for `years`."""
        missing = sorted({int(y) for y in years} - set(self.year_sets))
        if missing:
            self.year_sets.update(con.execute(load_sql("review_unit_sets"), {"years": missing}).fetchall())
        return {int(y): self.year_sets[int(y)] for y in years}

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


def _refused(name: str, digest: str, ctx: Context, message: Message) -> Checked:
    """A file refused as a whole, before any row was read: one problem, nothing to load."""
    empty = Raw(normalise.classify_headers([], ctx.mapping), pd.DataFrame(), np.zeros(0, dtype=int))
    problems = _Problems(name, empty)
    problems.whole_file("", "", message)
    return _result(name, digest, empty, problems, None, None, [])


def check(data: bytes, name: str, con: duckdb.DuckDBPyConnection, year: int | None = None, log: Log = _silent,
          context: Context | None = None) -> Checked:
    """Read and validate one review file (its bytes and its name); report every problem, write nothing.

    Never raises for a file's content: a file that cannot be read is a problem of the whole file (`FileError`), and
    any other error while checking it is one too (`ingest.check_failed`), so neither the command nor the import page
    shows a traceback and the other files of the same upload are still reported.
    """
    ctx = context or Context.of(con)
    digest = sha256(data)
    try:
        return _check(data, name, con, year, log, ctx, digest)
    except FileError as exc:
        return _refused(name, digest, ctx, exc.message)
    except Exception as exc:  # a defect of the importer, not of the file: still a report, never a traceback
        log(f"  {name}: checking failed ({type(exc).__name__})")
        return _refused(name, digest, ctx, msg("ingest.check_failed"))


def _check(data: bytes, name: str, con: duckdb.DuckDBPyConnection, year: int | None, log: Log, ctx: Context,
           digest: str) -> Checked:
    started = time.perf_counter()
    raw = read_raw(data, name, ctx.mapping, log)
    log(f"  {name}: {len(raw.frame):,} rows read ({time.perf_counter() - started:.1f} s)")
    problems = _Problems(name, raw)
    notes = list(raw.notes)
    similar = [f"'{h}' → {ctx.layout.get(f, f)} ({score} %)" for h, f, (how, score)
               in zip(raw.headers.written, raw.headers.fields, raw.headers.how, strict=False) if how == "similar"]
    if similar:
        notes.append(msg("ingest.note_similar", headers="; ".join(similar)))
    if raw.headers.personal:
        notes.append(msg("ingest.note_personal", columns=", ".join(raw.headers.personal)))
    if raw.headers.ignored:
        notes.append(msg("ingest.note_ignored", columns=", ".join(raw.headers.ignored)))
    households, reviews = _validate(raw, problems, ctx, year, notes, con)
    if households is not None and not problems.fatal:
        updated = _check_against_warehouse(con, raw, problems, households, ctx)
    else:
        updated = 0
    years = [] if reviews is None else [int(y) for y in reviews["year"].unique() if y > 0]  # -1: no year read
    unit_sets = {y: s for y, s in ctx.unit_sets_of(con, years).items() if s is not None}
    log(f"  {name}: validated, {int(problems.bad.sum()):,} rows with problems"
        f" ({time.perf_counter() - started:.1f} s)")
    checked = _result(name, digest, raw, problems, households, reviews, notes)
    checked.households_updated = updated
    checked.headers = header_table(raw.headers, ctx.layout)
    checked.unit_sets = dict(sorted(unit_sets.items()))
    checked.units_used = [msg("ingest.units_used", year=str(y), units=ctx.places.sets[s].describe())
                          for y, s in checked.unit_sets.items()]
    return checked


def _how(how: str, score: int | None, other: tuple[str, str] | None) -> Message:
    if how == "similar":
        return msg("ingest.how_similar", score=str(score))
    if how == "ambiguous" and other is not None:
        return msg("ingest.how_ambiguous", first=other[0], second=other[1])
    return {"exact": msg("ingest.how_exact"), "alias": msg("ingest.how_alias"), "personal": msg("ingest.how_personal"),
            "duplicate": msg("ingest.how_duplicate")}.get(how, msg("ingest.how_ignored"))


def header_table(headers: normalise.Headers, layout: dict[str, str]) -> pd.DataFrame:
    """How every non-empty header of a file was read (HEADER_COLUMNS): written header → the field's template header
    (`layout`), and how (exact, alias, similar N %, personal, ignored, duplicate, ambiguous) in both languages."""
    rows = []
    candidates = headers.candidates or [None] * len(headers.written)
    for written, name, (how, score), candidate in zip(headers.written, headers.fields, headers.how, candidates,
                                                      strict=False):
        if how == "empty":
            continue
        shown = name or (candidate if how in ("duplicate", "ambiguous") else None)
        pair = headers.ambiguous.get(written)
        other = (layout.get(pair[0], pair[0]), layout.get(pair[1], pair[1])) if pair else None
        message = _how(how, score, other)
        rows.append([written, layout.get(shown, shown) if shown else "", how, score,
                     *(message.text(lang) for lang in LANGS)])
    out = pd.DataFrame(rows, columns=HEADER_COLUMNS)
    out["score"] = out["score"].astype("Int64")
    return out


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
    if raw.sheet is not None:
        rejected.insert(0, SHEET, np.asarray(raw.sheets, dtype=object)[raw.sheet[~good]])
    reasons = {}
    for lang in LANGS:
        if problems.reasons[lang]:
            joined = pd.concat(problems.reasons[lang], axis=1).agg(lambda r: "; ".join(x for x in r if x), axis=1)
            reasons[lang] = joined[~good].to_numpy(dtype=object)
        else:
            reasons[lang] = np.full(int((~good).sum()), msg("ingest.cannot_load").text(lang), dtype=object)
    return Checked(name, digest, len(raw.frame), problems.frame(), households, reviews,
                   rejected.reset_index(drop=True), problems.fatal, notes, reasons=reasons)


def _validate(raw: Raw, problems: _Problems, ctx: Context, year: int | None, notes: list[Message],
              con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    headers, frame = raw.headers, raw.frame
    if frame.empty:  # a header with nothing under it (or only blank, total or signature rows): nothing to load
        problems.whole_file("", "", msg("ingest.no_rows"))
    for written, (first, second) in headers.ambiguous.items():
        problems.whole_file(written, "", msg("ingest.header_ambiguous", first=ctx.layout.get(first, first),
                                             second=ctx.layout.get(second, second)))
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
        years_num, bad = normalise.parse_numbers(frame["year"])
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

    for f, mask, problem in raw.cells:  # cells the reader could not take as written (a formula without a value)
        problems.rows(mask, f, problem)
        problems.settle(f, mask)

    # Household code: present, not an ID card number, of letters, digits and - _ . / only (NFC and trimmed at read
    # time, so one code typed in NFC and in NFD is one household), once per year in the file.
    hid, bad_char = normalise.household_codes(frame["household_id"])
    problems.rows(hid == "", "household_id", msg("ingest.household_empty"))
    id_like = hid.str.fullmatch(r"\d{9}|\d{12}")
    problems.rows(id_like, "household_id", msg("ingest.household_id_number"), values=HIDDEN)
    odd = bad_char.notna() & ~id_like
    if odd.any():
        expected = bad_char.map(lambda ch: None if ch is None else
                                msg("ingest.household_chars", char=normalise.describe_char(ch)))
        problems.rows(odd, "household_id", expected)
    key = pd.DataFrame({"h": hid, "y": years})
    dup = key.duplicated(keep=False) & (hid != "") & ~id_like
    if dup.any():
        rows = _row_names(raw)[dup]
        where = rows.groupby([hid[dup], years[dup]]).transform(lambda s: ", ".join(str(r) for r in s))
        expected = pd.Series(None, index=frame.index, dtype=object)
        expected[dup] = [msg("ingest.household_twice", rows=w) for w in where.astype(str)]
        problems.rows(dup, "household_id", expected)

    # Commune: by code, else by name (with the district when a former name repeats), in the unit set of the row's
    # review year; rows whose year could not be read are checked against either set.
    year_sets = ctx.unit_sets_of(con, [int(y) for y in years.unique() if y > 0])
    row_sets = years.map(year_sets).astype(object)
    row_sets = row_sets.where(row_sets.notna(), None)  # None: no year read, or no unit set in force that year
    problems.rows((years > 0) & row_sets.isna(), "year", msg("ingest.year_no_units"))
    commune, named_former = _resolve_communes(raw, problems, ctx, years, row_sets, notes)

    ethnicity, bad = normalise.parse_ethnicity(frame["ethnicity"])
    problems.rows(bad, "ethnicity", normalise.ETHNICITY_EXPECTED)

    members, bad = normalise.parse_numbers(frame["members"])
    problems.rows(bad, "members", msg("ingest.members"))
    problems.rows(~bad & ((members % 1 != 0) | (members < 1)), "members", msg("ingest.members"))
    problems.rows(~bad & (members > MAX_MEMBERS), "members", msg("ingest.members_max", limit=MAX_MEMBERS))

    # Income: as written (`1.400.000 đồng`, `1,4 triệu`, …), times the unit the header states (`nghìn đồng`) for
    # values written without their own multiplier, and plausible for a monthly figure per person.
    income, bad, scaled = normalise.parse_amounts(frame["income_per_capita"])
    header = headers.column_of("income_per_capita")
    factor = normalise.income_unit(header)
    if factor != 1:
        income = income.where(scaled, income * factor)
        notes.append(msg("ingest.note_income_unit", header=header, factor=factor))
    if normalise.income_period(header) == 12:
        income = income / 12
        notes.append(msg("ingest.note_income_year", header=header))
    problems.rows(bad, "income_per_capita", msg("ingest.income_nan"))
    problems.rows(~bad & (income < 0), "income_per_capita", msg("ingest.income_negative"))
    implausible = ~bad & (income >= 0) & ((income < normalise.INCOME_MIN) | (income > normalise.INCOME_MAX))
    plausible = income[~bad & ~implausible & (income >= 0)]
    if len(plausible) >= normalise.INCOME_MEDIAN_ROWS and plausible.median() > normalise.INCOME_MEDIAN_MAX:
        problems.whole_file(header, str(round(plausible.median())),
                            msg("ingest.income_median", limit=normalise.INCOME_MEDIAN_MAX,
                                median=round(plausible.median())))
    problems.rows(implausible, "income_per_capita", msg("ingest.income_implausible", low=normalise.INCOME_MIN,
                                                           high=normalise.INCOME_MAX))

    marks = {}
    for f in ["social_protection", *(f"d_{i}" for i in INDICATORS)]:
        if headers.has(f):
            marks[f], bad = normalise.parse_marks(frame[f])
            if raw.symbol_font:  # a lone letter other than x may be a mark drawn by a symbol font: never guessed
                drawn = frame[f].str.fullmatch(r"[A-WYZa-wyz]").fillna(False).astype(bool).to_numpy()
                problems.rows(drawn, f, msg("ingest.mark_symbol_font"))
                bad = bad & ~drawn
            problems.rows(bad, f, normalise.MARKS_EXPECTED)
        else:
            marks[f] = pd.Series(False, index=frame.index)  # an indicator the standard in force does not count

    known = commune.notna() & row_sets.notna()
    in_former, in_current = known & (row_sets == FORMER), known & (row_sets == CURRENT)
    former = commune.astype(object).where(in_former, None)
    former[in_current] = named_former[in_current]  # a former unit a row of a current-set year named, else None
    current = commune.astype(object).where(in_current, None)
    current[in_former] = commune[in_former].map(ctx.places.crosswalk)  # the current unit each former one lies in
    households = pd.DataFrame({"household_id": hid, "commune_code": former, "current_code": current,
                               "ethnicity": ethnicity, "unit_set": row_sets.where(known, None)})
    reviews = pd.DataFrame({
        "household_id": hid,
        "year": years.astype(np.int32),
        "members": members.fillna(0).clip(0, MAX_MEMBERS).round().astype(np.int32),
        "income_per_capita": income.fillna(0).clip(0, normalise.INCOME_MAX).round().astype(np.int64),
        **{f: marks[f].astype(bool) for f in REVIEW_COLUMNS[4:]},
    })[REVIEW_COLUMNS]
    return households, reviews


def _row_names(raw: Raw) -> pd.Series:
    """Each row as the report names it: its row number, or in a workbook read from several sheets `'Xã A' 2`."""
    if raw.sheet is None:
        return pd.Series(raw.rows, index=raw.frame.index)
    names = np.array([f"'{sheet}' " for sheet in raw.sheets], dtype=object)
    return pd.Series(names[raw.sheet] + raw.rows.astype(str).astype(object), index=raw.frame.index)


def _in_set(places: Places, unit_set: str | None, code: Callable[[Places, str], Match]) -> Match:
    """A lookup in `unit_set`; for a row without a usable year (already refused for it), in either set: only a
    value neither set knows is reported (in the former set's words)."""
    if unit_set is not None:
        return code(places, unit_set)
    found = code(places, FORMER)
    other = code(places, CURRENT)
    return other if found.code is None and other.code is not None else found


def _resolve_communes(raw: Raw, problems: _Problems, ctx: Context, years: pd.Series, row_sets: pd.Series,
                      notes: list[Message]) -> tuple[pd.Series, pd.Series]:
    """Each row's commune code in the unit set of its year (`row_sets`), by code, else by name, and the former unit a
    row of a current-set year names (by a former-only code, or a former name; None otherwise: a code or name of the
    current set means the current unit). Problems are reported; rows naming former units are noted once per file."""
    frame, headers, places = raw.frame, raw.headers, ctx.places
    n = len(frame)
    sets = row_sets.to_numpy(dtype=object)
    codes = pd.Series([None] * n, index=frame.index, dtype=object)
    formers = pd.Series([None] * n, index=frame.index, dtype=object)
    has_code = frame["commune_code"] != "" if headers.has("commune_code") else pd.Series(False, index=frame.index)
    if headers.has("commune_code"):
        # Each distinct (code, unit set) pair is resolved once; rows take their pair's match by position.
        pair_of, pairs = pd.MultiIndex.from_arrays([frame["commune_code"], row_sets.fillna("")]).factorize()
        found = np.array([_in_set(places, u or None, lambda p, s, v=v: p.code(v, s)) if v != "" else None
                          for v, u in pairs], dtype=object)
        matches = pd.Series(found[pair_of], index=frame.index, dtype=object)
        codes[has_code] = matches[has_code].map(lambda m: m.code)
        formers[has_code] = matches[has_code].map(lambda m: m.former)
        bad = has_code & codes.isna()
        problems.rows(bad, "commune_code", matches.map(lambda m: None if m is None else m.problem))
    named = pd.Series(False, index=frame.index)
    name_former = pd.Series([None] * n, index=frame.index, dtype=object)
    if headers.has("commune_name"):
        district = frame["district"] if headers.has("district") else pd.Series("", index=frame.index)
        # Each distinct (name, district, unit set) is resolved once; rows take their match by position.
        pair_of, pairs = pd.MultiIndex.from_arrays([frame["commune_name"], district, row_sets.fillna("")]).factorize()
        found = np.array([_in_set(places, u or None, lambda p, s, a=a, b=b: p.name(a, b, s)) if a != "" else None
                          for a, b, u in pairs], dtype=object)
        match = pd.Series(found[pair_of], index=frame.index, dtype=object)
        by_name = match.map(lambda m: None if m is None else m.code)
        name_former = match.map(lambda m: None if m is None else m.former).astype(object)
        named = frame["commune_name"] != ""
        # A name only decides the commune where there is no code; where both are given they must agree: on the
        # current unit, and on the former one when both name one. A name that names no unit of its year's set is
        # refused even beside a code (`Xã Hồng Dân`, a current unit, in a 2024 row coded 31843, which in 2024 is
        # Thị trấn Ngan Dừa): the two disagree about the place, and the code alone would load it silently elsewhere.
        use = named & ~has_code
        unresolved = named & by_name.isna()
        problems.rows(unresolved, "commune_name", match.map(lambda m: None if m is None else m.problem))
        both = named & has_code & codes.notna() & by_name.notna()
        disagree = both & ((by_name != codes) | (formers.notna() & name_former.notna() & (formers != name_former)))
        if disagree.any():
            full = pd.Series(None, index=frame.index, dtype=object)
            full[disagree] = [msg("ingest.commune_disagree", code=c if pd.isna(f) else f,  # the code as written
                                  commune=places.label(c, u) if pd.isna(f) else places.label(f, FORMER))
                              for c, f, u in zip(codes[disagree], formers[disagree], sets[disagree.to_numpy()],
                                                 strict=True)]
            problems.rows(disagree, "commune_name", full)
        codes[use] = by_name[use]
        formers[use] = name_former[use]
        # A current code the name agrees with (31834, `Xã Vĩnh Trạch`): the name tells the former unit.
        told = both & ~disagree & formers.isna() & name_former.notna()
        formers[told] = name_former[told]
        # A current unit read by a name a former unit elsewhere also had (`Xã Phước Long`): said in a note.
        current_named = use & by_name.notna() & name_former.isna() & (row_sets == CURRENT)
        for (name, written_district, code), _ in pd.DataFrame({"n": frame["commune_name"], "d": district,
                                                               "c": by_name})[current_named].groupby(
                ["n", "d", "c"], sort=True):
            note = places.reused_name_note(name, written_district, code)
            if note is not None and note not in notes:
                notes.append(note)
        missing = ~named & ~has_code
    else:
        missing = ~has_code
    problems.rows(missing, "commune_code" if headers.has("commune_code") else "commune_name",
                  msg("ingest.commune_empty"))
    formers = formers.where(codes.notna() & (row_sets == CURRENT), None)
    through = formers.notna()
    if through.any():  # rows of current-set years naming former units, read as the current units containing them
        notes.append(places.former_note(zip(formers[through], codes[through], strict=True), int(through.sum())))
    if headers.has("district"):  # the current set has no districts: a district is read beside a former name only
        unused = (row_sets == CURRENT) & (frame["district"] != "") & ~(named & name_former.notna())
        if unused.any():
            notes.append(msg("ingest.note_district_unused", since=places.sets[CURRENT].in_force_from,
                             years=", ".join(str(y) for y in sorted(set(years[unused])))))
    return codes, formers


def _check_against_warehouse(con: duckdb.DuckDBPyConnection, raw: Raw, problems: _Problems,
                             households: pd.DataFrame, ctx: Context) -> int:
    """A household keeps one place. Rows of one household in the file must agree with each other, and with where
    the warehouse holds it: under its former commune, or (known only under the current units) under its current unit.
    A row of a current-set year under the current unit that contains the stored former commune is the same household,
    and a row naming a former commune (of a former-set year, or a former unit in a current-set one) lying in the
    stored current unit tells its former commune; anything else (another former commune, even in the same current
    unit, or another current unit) is a move, refused. Return how many stored households change (ethnicity, or
    former commune learned).
    """
    places = ctx.places
    column = "commune_code" if raw.headers.has("commune_code") else "commune_name"
    valid = households[~problems.bad & households["current_code"].notna()]
    # Within the file: one former commune at most and one current unit per household.
    spread = valid.groupby("household_id").agg(formers=("commune_code", "nunique"),
                                               currents=("current_code", "nunique"))
    split = spread.index[(spread["formers"] > 1) | (spread["currents"] > 1)]
    if len(split):
        mask = valid["household_id"].isin(split)
        names = _row_names(raw)
        expected = pd.Series(None, index=raw.frame.index, dtype=object)
        for _, rows in valid[mask].groupby("household_id"):
            units = sorted({places.label(f, FORMER) if f is not None else places.label(c, CURRENT)
                            for f, c in zip(rows["commune_code"], rows["current_code"], strict=True)})
            message = msg("ingest.household_units_differ", rows=", ".join(str(r) for r in names[rows.index]),
                          units="; ".join(units))
            expected[rows.index] = [message] * len(rows)
        flagged = np.zeros(len(raw.frame), dtype=bool)
        flagged[raw.frame.index.get_indexer(valid.index[mask])] = True
        problems.rows(flagged, column, expected)
        valid = valid[~mask]
    cursor = con.cursor()
    try:
        cursor.register("incoming", valid.assign(_i=valid.index))
        moved = cursor.execute(load_sql("incoming_moved")).fetchall()
        updated = cursor.execute(load_sql("incoming_updated")).fetchall()[0][0]
        cursor.unregister("incoming")
    finally:
        cursor.close()
    if moved:
        index = [i for i, *_ in moved]
        mask = np.zeros(len(raw.frame), dtype=bool)
        mask[raw.frame.index.get_indexer(index)] = True
        expected = pd.Series(None, index=raw.frame.index, dtype=object)
        expected[index] = [_moved(places, row, former, current) for row, former, current
                           in zip(valid.loc[index].itertuples(index=False), (f for _, f, _ in moved),
                                  (c for *_, c in moved), strict=True)]
        problems.rows(mask, column, expected)
    return int(updated)


def _moved(places: Places, row: object, former: str | None, current: str) -> Message:
    """Why a row places a stored household elsewhere, naming both places in their unit sets: the stored former
    commune `former` (None when unknown) and current unit `current`, and the row's unit."""
    given = row.commune_code  # type: ignore[attr-defined]
    if given is not None and not pd.isna(given):  # a former commune (a former-set year, or named in a current one)
        if former is not None:
            return msg("ingest.household_moved", commune=places.label(former, FORMER))
        options = OneOf(tuple(places.label(c, FORMER) for c in places.formers_of.get(current, [])))
        return msg("ingest.household_moved_former", registered=places.label(current, CURRENT), options=options,
                   given=places.label(given, FORMER), given_current=places.label(places.crosswalk[given], CURRENT))
    given = row.current_code  # type: ignore[attr-defined]
    if former is not None:
        return msg("ingest.household_moved_current", expected=places.label(current, CURRENT),
                   former=places.label(former, FORMER), given=places.label(given, CURRENT))
    return msg("ingest.household_moved", commune=places.label(current, CURRENT))
