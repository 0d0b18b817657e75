"""`python -m reports.annual`: the annual report workbook, the review's summary tables of one year.

    python -m reports.annual --year Y OUT.xlsx [--db PATH] [--units former|current] [--lang vi|en]

One sheet per table, in Vietnamese by default (`--lang en`: English), each with its table number, title, notes,
headers merged over one to three rows and a row of column numbers (1), (2), …:

- 01 results: households reviewed, poor and near-poor households and their rates;
- 02 / 03 changes in poor / near-poor households between the reviews of Y−1 and Y: the households at the start,
  each category out (escaped to near-poor or above the near-poor line, left), each category in (from near-poor,
  fell back, newly poor, joined), the households at the end. Counted by queries/poverty_flows.sql (the one
  definition, `flow_categories`), never here;
- 04a / 04b the indicators of the standard in force: households deprived in each and their rate, for poor and for
  near-poor households;
- 05 poor and near-poor households by the head's ethnic group (Kinh, Khmer, Hoa, other) and by social-protection status.

Rows: in the former units (up to 2024 the set in force), each district's subtotal row (I, II, …) followed by its
communes (1, 2, …), then the province total; in the current units (from 2025; no districts) the 25 units, then the
total. `--units` defaults to the set the year was filed in (the warehouse's `review_unit_set`). A former-units report
of a year filed in the current units has a row for the households whose former commune is unknown, which count in
the total only (as in every view). Every other figure comes from named queries (queries/report_households.sql,
queries/report_deprivations.sql); this module only lays them out.

Numbers are numbers: counts with the format `#,##0`, rates as fractions with `0.00%`, so Excel shows them in its own
locale (1.234 and 5,09% in Vietnamese). Print-ready: A4 landscape, fitted to the page width, the header rows repeated
on every page, panes frozen under the header and right of the unit names. The workbook carries a marker
(`data.ingest.xlsx.REPORT_MARKER`, a hidden defined name and a keyword) by which the importer refuses it, and its
headers name no column of a review file.

Exit codes: 0 written (for a year whose previous year has no review, or when either review is partial, the changes
tables say so instead of counting, and so does a note on stderr; the other tables are complete); 1 no review for the
year in the warehouse (nothing written); 2 no warehouse (or a file that is not one of this version), an output name
not ending in .xlsx, or a file that cannot be written.

Library use: `annual_workbook(run, year, units, lang)` → the workbook's bytes, where `run(name, **params)` runs a named
query (`queries.runner.run` in the app; `connection_runner(con)` on a connection).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import math
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from i18n import LANGS, Lang, Translator
from queries.sql import execute
from reports.command import folder_ready, open_warehouse, write_file

QueryRun = Callable[..., pd.DataFrame]  # run(name, **params) → the named query's result, as queries.runner.run
UNIT_SETS = ("former", "current")
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
CLASSES = ("poor", "near_poor")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")

# Each column of a changes table: the categories of `flow_categories` it adds up (class, side, flow). The
# `reclassified_*` categories only arise under an area filter, which the report never sets; they are listed with
# "left" / "joined" so the accounting holds whatever the query returns.
FLOW_COLUMNS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "poor": [
        ("escaped_to_near_poor", ("escaped_to_near_poor",)),
        ("escaped_above", ("escaped_above",)),
        ("left", ("left", "reclassified_out")),
        ("from_near_poor", ("from_near_poor",)),
        ("fell_back", ("fell_back",)),
        ("newly_poor", ("newly_poor",)),
        ("joined", ("joined", "reclassified_in")),
    ],
    "near_poor": [
        ("became_poor", ("became_poor",)),
        ("escaped_above", ("escaped_above",)),
        ("left", ("left", "reclassified_out")),
        ("from_poor", ("from_poor",)),
        ("fell_back", ("fell_back",)),
        ("newly_near_poor", ("newly_near_poor",)),
        ("joined", ("joined", "reclassified_in")),
    ],
}
OUT_FLOWS = {"poor": ("escaped_to_near_poor", "escaped_above", "left"),
             "near_poor": ("became_poor", "escaped_above", "left")}


class NoReviews(Exception):
    """The warehouse holds no review of the requested year: there is nothing to report."""

    def __init__(self, year: int, years: list[int]) -> None:
        super().__init__(f"no review for {year} in the warehouse (years held: {years})")
        self.year = year
        self.years = years

    def text(self, lang: Lang) -> str:
        """The message in `lang`, naming the year and the years the warehouse holds."""
        return Translator(lang)("report.no_reviews", year=self.year,
                                years=", ".join(str(y) for y in self.years) or "—")


@dataclass(frozen=True)
class AnnualReport:
    """A built workbook and what the caller may want to say about it."""

    data: bytes  # the .xlsx file
    year: int
    units: str  # 'former' or 'current'
    previous_missing: bool  # no review of year − 1: the changes tables say so instead of counting
    sheets: tuple[str, ...]  # sheet names, in order
    partial: tuple[int, ...] = ()  # year − 1 and / or year when partial: the changes tables say so instead of counting


def connection_runner(con: duckdb.DuckDBPyConnection) -> QueryRun:
    """A `QueryRun` on one connection (the command's read-only one): `run(name, **params)` → DataFrame."""

    def run(name: str, **params: Any) -> pd.DataFrame:
        return execute(con, name, params)

    return run


def annual_workbook(run: QueryRun, year: int, units: str | None = None, lang: Lang = "vi") -> bytes:
    """The annual report workbook of review year `year` as .xlsx bytes.

    `run(name, **params)` runs a named query of queries/ (`queries.runner.run`, or `connection_runner(con)`);
    `units` is 'former' or 'current', None for the set the year was filed in; `lang` the language of the sheets
    (Vietnamese, the forms' language, by default). Raises `NoReviews` when the warehouse holds no review of `year`.
    """
    return build_report(run, year, units, lang).data


def build_report(run: QueryRun, year: int, units: str | None = None, lang: Lang = "vi") -> AnnualReport:
    """`annual_workbook` with what was built: the unit set used, whether the previous review is missing, sheets."""
    year = int(year)
    coverage = run("review_coverage")
    years = sorted(int(y) for y in coverage["year"])
    if year not in years:
        raise NoReviews(year, years)
    in_force = dict(zip(coverage["year"].astype(int), coverage["unit_set"], strict=True))
    units = units or str(in_force[year])
    if units not in UNIT_SETS:
        raise ValueError(f"unknown unit set {units!r}: 'former' or 'current'")
    complete = {int(y): bool(c) for y, c in zip(coverage["year"], coverage["complete"], strict=True)}
    # the flows need both reviews complete: a household a partial review has not reached yet would count as having
    # left (or joined) the review, as the flows page refuses too
    partial = tuple(y for y in (year - 1, year) if not complete.get(y, True))
    data = _Data.read(run, year, units, previous=year - 1 in years and not partial)
    tr = Translator(lang)
    book = _Book(tr, year, units, data, complete[year], partial)
    sheets = book.write()
    return AnnualReport(book.bytes(), year, units, year - 1 not in years, tuple(sheets), partial)


# --- the figures -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One row of every table: a place of the unit set (or the unknown-commune row, or the total)."""

    level: str  # 'district', 'commune', 'unknown' or 'total'
    code: str  # the unit's code; 'unknown' / 'total'
    number: str  # the TT cell: I, II, … for districts, 1, 2, … for communes
    name: str


Key = tuple[str, str]  # (level, code)


@dataclass
class _Data:
    """The query results of one report, indexed by row."""

    rows: list[Row]
    households: dict[Key, dict[str, Any]]  # a row of queries/report_households.sql
    deprivations: dict[tuple[str, str, str, str], tuple[int, float | None]]  # (level, code, class, indicator) →
    #                                                                            (deprived, rate as a fraction)
    indicators: pd.DataFrame  # indicator, position, dimension, label_vi, label_en
    flows: dict[Key, dict[tuple[str, str, str], int]] | None  # None: no previous review
    provinces: dict[str, str]
    demo: bool
    districts: int = 0
    communes: int = 0
    unknown: bool = False

    @classmethod
    def read(cls, run: QueryRun, year: int, units: str, previous: bool) -> _Data:
        households = run("report_households", units=units, year=year)
        deprivations = run("report_deprivations", units=units, year=year)
        flows = _flows(run, year, units) if previous else None
        meta = run("dataset_meta")
        provinces = run("unit_set_provinces")
        rows = _rows(households)
        if flows is not None and units == "former" and not (households["level"] == "unknown").any():
            residual = flows.get(("unknown", "unknown"), {})
            if any(residual.values()):  # households reviewed only the year before, their former commune unknown
                rows.insert(len(rows) - 1, Row("unknown", "unknown", "", ""))
        indicators = (deprivations[["indicator", "position", "dimension", "label_vi", "label_en"]]
                      .drop_duplicates().sort_values("position").reset_index(drop=True))
        return cls(
            rows=rows,
            households={(r["level"], r["unit_code"]): r for r in households.to_dict("records")},
            deprivations={(r["level"], r["unit_code"], r["class"], r["indicator"]):
                          (int(r["deprived"]), _fraction(r["deprived_rate"])) for r in deprivations.to_dict("records")},
            indicators=indicators,
            flows=flows,
            provinces=dict(zip(provinces["unit_set"], provinces["province_name"], strict=True)),
            demo=bool(((meta["key"] == "dataset") & (meta["value"] == "demo")).any()),
            districts=sum(r.level == "district" for r in rows),
            communes=sum(r.level == "commune" for r in rows),
            unknown=any(r.level == "unknown" for r in rows),
        )

    def count(self, row: Row, column: str) -> int:
        """A count of queries/report_households.sql for the row (0 where the row has none)."""
        values = self.households.get((row.level, row.code))
        return 0 if values is None else int(values[column])

    def rate(self, row: Row, column: str) -> float | None:
        """A rate of queries/report_households.sql as a fraction (None without households)."""
        values = self.households.get((row.level, row.code))
        return None if values is None else _fraction(values[column])

    def deprived(self, row: Row, cls: str, indicator: str) -> tuple[int, float | None]:
        """(households deprived, rate as a fraction) of `cls` in `indicator` for the row; (0, None) without any."""
        return self.deprivations.get((row.level, row.code, cls, indicator), (0, None))

    def flow(self, row: Row, cls: str, side: str | None = None, flows: Iterable[str] = ()) -> int:
        """Households of the row's accounting of `cls` (queries/poverty_flows.sql): every category of `side`
        ('out': the class at the start, 'in': at the end), or else the categories `flows` (no name but 'stayed' is
        on both sides, and 'stayed' is never asked for)."""
        assert self.flows is not None
        counts = self.flows.get((row.level, row.code), {})
        wanted = set(flows)
        return sum(n for (c, s, f), n in counts.items() if c == cls and (s == side if side else f in wanted))


def _fraction(percent: object) -> float | None:
    """A percent from SQL as the fraction a `0.00%` cell holds; None for a missing rate."""
    if pd.isna(percent):
        return None
    return float(percent) / 100.0


def _rows(households: pd.DataFrame) -> list[Row]:
    """The rows in the query's order (each district's subtotal, then its communes; the total last), numbered."""
    rows: list[Row] = []
    district = commune = 0
    for r in households.itertuples(index=False):
        if r.level == "district":
            district += 1
            commune = 0
            rows.append(Row("district", r.unit_code, ROMAN[district - 1] if district <= len(ROMAN) else str(district),
                            str(r.unit_name)))
        elif r.level == "commune":
            commune += 1
            rows.append(Row("commune", r.unit_code, str(commune), str(r.unit_name)))
        else:
            rows.append(Row(r.level, r.unit_code, "", ""))
    return rows


def _flows(run: QueryRun, year: int, units: str) -> dict[Key, dict[tuple[str, str, str], int]]:
    """Households per row and (class, side, category), from queries/poverty_flows.sql at each level (no filter).

    Communes come from its commune level, subtotals from its district level, the total from its total level. In the
    former units, households whose former commune is unknown count in its total only: their row is the total less
    the districts (arithmetic on the query's figures, so every row's accounting still holds)."""
    out: dict[Key, dict[tuple[str, str, str], int]] = {}
    levels = ("commune", "district", "total") if units == "former" else ("commune", "total")
    for level in levels:
        frame = run("poverty_flows", units=units, level=level, district=[], area="all", group="all", year=year)
        for code, cls, side, flow, households in zip(frame["unit_code"], frame["class"], frame["side"],
                                                     frame["flow"], frame["households"], strict=True):
            out.setdefault((level, str(code)), {})[(cls, side, flow)] = int(households)
    if units == "former":
        residual = dict(out.get(("total", "total"), {}))
        for (level, _), counts in out.items():
            if level == "district":
                for key, n in counts.items():
                    residual[key] = residual.get(key, 0) - n
        out[("unknown", "unknown")] = {k: n for k, n in residual.items() if n}
    return out


# --- the workbook ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table: its header texts top to bottom (merged with neighbours sharing them), its width and
    how a row's cell is filled ('text', 'count' or 'rate')."""

    path: tuple[str, ...]
    value: Callable[[Row], object]
    kind: str = "count"
    width: float = 10.0


@dataclass(frozen=True)
class Table:
    sheet: str
    number: str
    title: str
    notes: tuple[str, ...]
    columns: tuple[Column, ...]
    empty_note: str | None = None  # instead of rows: why the table cannot be filled
    warning: str | None = None  # above the notes, in red (demo data)


class _Book:
    """Lays the figures out as the workbook's sheets."""

    def __init__(self, tr: Translator, year: int, units: str, data: _Data, complete: bool,
                 partial: tuple[int, ...] = ()) -> None:
        import openpyxl

        self.tr = tr
        self.year = year
        self.units = units
        self.data = data
        self.complete = complete
        self.partial = partial  # partial review years among year − 1 and year: no flows
        self.book = openpyxl.Workbook()
        self.book.remove(self.book.active)

    # the tables ------------------------------------------------------------------------------------------------

    def tables(self) -> list[Table]:
        tr, data = self.tr, self.data
        common = [tr("report.note.self"), tr("report.note.form")]
        if not self.complete:
            common.append(tr("report.note.partial", year=self.year))
        if data.unknown:
            common.append(tr("report.note.unknown", row=tr("report.row.unknown")))
        tables = [
            self._results(common),
            self._flows("poor", "02", common),
            self._flows("near_poor", "03", common),
            self._deprivations("poor", "04a", common),
            self._deprivations("near_poor", "04b", common),
            self._groups(common),
        ]
        warning = tr("report.note.demo") if data.demo else None
        return [dataclasses.replace(t, warning=warning) for t in tables]

    def _leading(self) -> list[Column]:
        tr = self.tr
        return [Column((tr("report.col.number"),), lambda r: r.number, "text", 5),
                Column((tr("report.col.unit"),), self._name, "text", 30)]

    def _name(self, row: Row) -> str:
        if row.level == "total":
            return self.tr("report.row.total")
        if row.level == "unknown":
            return self.tr("report.row.unknown")
        return row.name

    def _results(self, notes: list[str]) -> Table:
        tr, d = self.tr, self.data
        poor, near = tr("report.col.poor"), tr("report.col.near_poor")
        count, rate = tr("report.col.count"), tr("report.col.rate")
        columns = [
            *self._leading(),
            Column((tr("report.col.households"),), lambda r: d.count(r, "households"), width=13),
            Column((poor, count), lambda r: d.count(r, "poor")),
            Column((poor, rate), lambda r: d.rate(r, "poor_rate"), "rate"),
            Column((near, count), lambda r: d.count(r, "near_poor")),
            Column((near, rate), lambda r: d.rate(r, "near_poor_rate"), "rate"),
        ]
        return Table(tr("report.sheet.results"), "01", tr("report.title.results", year=self.year),
                     (*notes, tr("report.note.rates")), tuple(columns))

    def _flows(self, cls: str, number: str, notes: list[str]) -> Table:
        tr, d = self.tr, self.data
        key = "" if cls == "poor" else "near_poor_"
        title = tr(f"report.title.flows_{cls}", year=self.year, previous=self.year - 1)
        sheet = tr(f"report.sheet.flows_{cls}")
        decrease, increase = tr(f"report.col.{key or 'poor_'}decrease"), tr(f"report.col.{key or 'poor_'}increase")
        total = tr("report.col.total")
        labels = {
            "escaped_to_near_poor": (decrease, tr("report.col.escaped"), tr("report.col.escaped_to_near_poor")),
            "escaped_above": ((decrease, tr("report.col.escaped"), tr("report.col.escaped_above")) if cls == "poor"
                              else (decrease, tr("report.col.escaped_near_poor"))),
            "became_poor": (decrease, tr("report.col.became_poor")),
            "left": (decrease, tr("report.col.left")),
            "from_near_poor": (increase, tr("report.col.from_near_poor")),
            "from_poor": (increase, tr("report.col.from_poor")),
            "fell_back": (increase, tr("report.col.fell_back" if cls == "poor" else "report.col.fell_back_near_poor")),
            "newly_poor": (increase, tr("report.col.newly_poor")),
            "newly_near_poor": (increase, tr("report.col.newly_near_poor")),
            "joined": (increase, tr("report.col.joined")),
        }
        start = tr(f"report.col.{key or 'poor_'}start")
        end = tr(f"report.col.{key or 'poor_'}end")
        outs = [(name, flows) for name, flows in FLOW_COLUMNS[cls] if name in OUT_FLOWS[cls]]
        ins = [(name, flows) for name, flows in FLOW_COLUMNS[cls] if name not in OUT_FLOWS[cls]]
        out_all = tuple(f for _, flows in outs for f in flows)
        in_all = tuple(f for _, flows in ins for f in flows)

        def flow(flows: tuple[str, ...]) -> Callable[[Row], int]:
            return lambda r: d.flow(r, cls, flows=flows)

        columns = [
            *self._leading(),
            Column((start,), lambda r: d.flow(r, cls, side="out"), width=12),
            Column((decrease, total), flow(out_all)),
            *[Column(labels[name], flow(flows), width=11) for name, flows in outs],
            Column((increase, total), flow(in_all)),
            *[Column(labels[name], flow(flows), width=11) for name, flows in ins],
            Column((end,), lambda r: d.flow(r, cls, side="in"), width=12),
        ]
        if d.flows is None:
            why = (tr("report.note.flows_partial", years=", ".join(str(y) for y in self.partial)) if self.partial
                   else tr("report.note.no_previous", previous=self.year - 1))
            return Table(sheet, number, title, tuple(notes), tuple(columns), why)
        numbers = {"start": 3, "decrease": 4, "increase": 4 + len(outs) + 1, "end": len(columns)}
        flow_note = tr("report.note.flows", previous=self.year - 1, year=self.year, **numbers)
        return Table(sheet, number, title, (*notes, flow_note), tuple(columns))

    def _deprivations(self, cls: str, number: str, notes: list[str]) -> Table:
        tr, d = self.tr, self.data
        count, rate = tr("report.col.count"), tr("report.col.rate")
        columns = [*self._leading(),
                   Column((tr(f"report.col.class_households.{cls}"),), lambda r: d.count(r, cls), width=11)]
        for ind in d.indicators.itertuples(index=False):
            name = tr(f"dimension.{ind.dimension}")
            dimension = tr("report.col.dimension", name=name.lower() if tr.lang == "vi" else name)
            label = tr("report.col.indicator", position=ind.position, label=tr.label(ind._asdict()))
            columns += [
                Column((dimension, label, count), lambda r, i=ind.indicator: d.deprived(r, cls, i)[0], width=9),
                Column((dimension, label, rate), lambda r, i=ind.indicator: d.deprived(r, cls, i)[1], "rate", 9),
            ]
        return Table(tr(f"report.sheet.deprivations_{cls}"), number, tr(f"report.title.deprivations_{cls}",
                                                                          year=self.year),
                     (*notes, tr("report.note.deprivations")), tuple(columns))

    def _groups(self, notes: list[str]) -> Table:
        tr, d = self.tr, self.data
        columns = self._leading()
        ethnic, protection = tr("report.col.by_ethnicity"), tr("report.col.by_protection")
        for cls in CLASSES:
            head = tr(f"report.col.{cls}")
            columns += [
                Column((head, tr("report.col.total")), lambda r, c=cls: d.count(r, c)),
                *[Column((head, ethnic, tr(f"report.col.{label}")), lambda r, k=f"{cls}_{group}": d.count(r, k),
                         width=9)
                  for group, label in (("kinh", "kinh"), ("khmer", "khmer"), ("hoa", "hoa"),
                                       ("other", "other_ethnicity"))],
                Column((head, protection, tr("report.col.protected")), lambda r, k=f"{cls}_sp": d.count(r, k),
                       width=12),
                Column((head, protection, tr("report.col.not_protected")), lambda r, k=f"{cls}_not_sp": d.count(r, k),
                       width=12),
            ]
        return Table(tr("report.sheet.groups"), "05", tr("report.title.groups", year=self.year), tuple(notes),
                     tuple(columns))

    # writing ---------------------------------------------------------------------------------------------------

    def scope(self) -> str:
        d = self.data
        if self.units == "former":
            return self.tr("report.scope.former", province=d.provinces.get("former", ""), n=d.communes, d=d.districts)
        return self.tr("report.scope.current", province=d.provinces.get("current", ""), n=d.communes,
                       former=d.provinces.get("former", ""))

    def write(self) -> list[str]:
        from openpyxl.workbook.defined_name import DefinedName

        # imported here: `data.ingest` is the importer (≈0.15 s), which the pages importing this module through the
        # brief (reports.brief) never need
        from data.ingest.xlsx import REPORT_MARKER

        tables = self.tables()
        _register_styles(self.book)
        for table in tables:
            _write_table(self.book, table, self.scope(), self.data.rows, self.tr)
        props = self.book.properties
        props.title = tables[0].title
        props.subject = self.scope()
        props.creator = self.tr("app.tab_title")
        props.keywords = f"{REPORT_MARKER} annual-report {self.year} {self.units}"
        props.description = self.tr("report.note.self")
        self.book.defined_names[REPORT_MARKER] = DefinedName(
            REPORT_MARKER, attr_text=f'"annual report {self.year} {self.units}"', hidden=True)
        return [t.sheet for t in tables]

    def bytes(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


WEIGHTS = {"district": "bold", "total": "bold", "commune": "normal", "unknown": "italic"}


def _register_styles(book: Any) -> None:
    """The workbook's cell styles, registered once: a cell then takes one by name (`cell.style = "report count
    bold"`), far cheaper than a font, a border and a format set on each of thousands of cells."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for weight in ("normal", "bold", "italic"):
        font = Font(bold=weight == "bold", italic=weight == "italic")
        for kind, number_format, alignment in (
                ("count", COUNT_FORMAT, Alignment(vertical="center")),
                ("rate", RATE_FORMAT, Alignment(vertical="center")),
                ("number", "General", Alignment(horizontal="center", vertical="center")),
                ("text", "General", Alignment(horizontal="left", vertical="center"))):
            book.add_named_style(NamedStyle(f"report {kind} {weight}", font=font, border=border,
                                            number_format=number_format, alignment=alignment))
    wrap_center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    book.add_named_style(NamedStyle("report header", font=Font(bold=True), border=border, alignment=wrap_center))
    book.add_named_style(NamedStyle("report column number", font=Font(italic=True, size=9), border=border,
                                    alignment=wrap_center))


def _write_table(book: Any, table: Table, scope: str, rows: list[Row], tr: Translator) -> None:
    """One sheet: table number, title, scope and notes; the merged header; the column numbers; the rows; print setup."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws = book.create_sheet(table.sheet)
    columns = table.columns
    width = len(columns)
    last = get_column_letter(width)
    total_width = sum(c.width for c in columns)

    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width

    def banner(row: int, text: str, font: Font, align: str = "center") -> None:
        ws.cell(row, 1, text).font = font
        ws.cell(row, 1).alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        ws.merge_cells(f"A{row}:{last}{row}")
        size = font.size or 11  # a character is about one unit of column width at 11 points
        lines = max(1, math.ceil(len(text) * size / 11 / max(total_width, 1)))
        ws.row_dimensions[row].height = 1.4 * size * lines + 2

    ws.cell(1, 1, tr("report.form", number=table.number)).font = Font(bold=True)
    banner(2, table.title, Font(bold=True, size=13))
    banner(3, scope, Font(italic=True))
    row = 4
    if table.warning:
        banner(row, table.warning, Font(bold=True, color="C00000"), align="left")
        row += 1
    for note in table.notes:
        banner(row, note, Font(italic=True, size=9), align="left")
        row += 1
    row += 1  # a blank row before the header

    # the header: each level's neighbours sharing their texts so far are merged; a path ending above the last level
    # is merged down to it
    first_header = row
    depth = max(len(c.path) for c in columns)
    for level in range(depth):
        j = 0
        while j < width:
            path = columns[j].path
            if len(path) <= level:
                j += 1
                continue
            k = j
            while k + 1 < width and len(columns[k + 1].path) > level and columns[k + 1].path[:level + 1] == \
                    path[:level + 1]:
                k += 1
            ends = all(len(columns[m].path) == level + 1 for m in range(j, k + 1))
            top, bottom = row + level, row + (depth - 1 if ends else level)
            ws.cell(top, j + 1, path[level])
            for r in range(top, bottom + 1):
                for c in range(j + 1, k + 2):
                    ws.cell(r, c).style = "report header"
            if bottom > top or k > j:
                ws.merge_cells(start_row=top, start_column=j + 1, end_row=bottom, end_column=k + 1)
            if bottom == top:  # a one-row cell: its row is as high as its text needs
                span = sum(columns[m].width for m in range(j, k + 1))
                lines = max(1, math.ceil(len(path[level]) * 1.15 / max(span, 1)))
                current = ws.row_dimensions[top].height or 15
                ws.row_dimensions[top].height = max(current, 15 * lines + 3)
            j = k + 1
    numbers = first_header + depth
    for i in range(width):
        ws.cell(numbers, i + 1, f"({i + 1})").style = "report column number"

    first_data = numbers + 1
    if table.empty_note is not None:
        banner(first_data, table.empty_note, Font(bold=True, color="C00000"))
    else:
        styles = [f"report {'number' if i == 0 else column.kind} " for i, column in enumerate(columns)]
        for offset, data_row in enumerate(rows):
            r = first_data + offset
            weight = WEIGHTS[data_row.level]
            for i, column in enumerate(columns):
                ws.cell(r, i + 1, _cell_value(column.value(data_row))).style = styles[i] + weight

    ws.freeze_panes = f"C{first_data}"
    ws.print_title_rows = f"{first_header}:{numbers}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.oddFooter.center.text = tr("report.page")


def _cell_value(value: object) -> object:
    """A Python number or text for openpyxl (NumPy scalars unwrapped; a missing rate left empty)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# --- the command -----------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.annual", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT.xlsx", help="the workbook to write")
    parser.add_argument("--year", type=int, required=True, help="the review year")
    parser.add_argument("--db", type=Path, help="warehouse (default: $POVERTY_DB or data/baclieu.duckdb)")
    parser.add_argument("--units", choices=UNIT_SETS, help="rows in the former units (64 communes in 7 districts) or "
                        "the current ones (25, no districts); default: the set the year was filed in")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="language of the workbook and the messages: "
                        "vi (Vietnamese, the default) or en (English)")
    args = parser.parse_args(argv)
    tr = Translator(args.lang)
    if args.out.suffix.lower() != ".xlsx":
        print(tr("report.not_xlsx", path=args.out), file=sys.stderr)
        return 2
    if not folder_ready(args.out, tr):
        return 2
    opened = open_warehouse(args.db, tr)
    if opened is None:
        return 2
    con, path = opened
    try:
        report = build_report(connection_runner(con), args.year, args.units, args.lang)
    except NoReviews as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return 1
    except duckdb.Error:  # a DuckDB file without this version's tables and queries
        print(tr("report.not_warehouse", path=path), file=sys.stderr)
        return 2
    finally:
        con.close()
    if report.partial:
        print(tr("report.flows_partial", years=", ".join(str(y) for y in report.partial)), file=sys.stderr)
    elif report.previous_missing:
        print(tr("report.no_previous", previous=report.year - 1), file=sys.stderr)
    if not write_file(args.out, report.data, tr):
        return 2
    print(tr("report.written", year=report.year, units=tr(f"units.name.{report.units}"), path=args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
