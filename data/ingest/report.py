"""The import report and summary, in Vietnamese or English, as the command prints them and the page shows them."""

from __future__ import annotations

import pandas as pd

from data.ingest.load import ImportResult
from data.ingest.messages import Lang, Message
from data.ingest.validate import PROBLEM_COLUMNS
from i18n import MISSING, Translator


def report(problems: pd.DataFrame, lang: Lang = "vi") -> pd.DataFrame:
    """The problems of `Checked.problems` / `ImportResult.problems` with the expectation in `lang` (PROBLEM_COLUMNS)."""
    return problems.rename(columns={f"expected_{lang}": "expected"})[PROBLEM_COLUMNS]


def header_table(headers: pd.DataFrame, lang: Lang = "vi") -> pd.DataFrame:
    """`Checked.headers` / `ImportResult.headers` for display: header as written, the field it was read as (its
    template header), and how, in `lang`."""
    return headers.rename(columns={f"how_{lang}": "how"})[["header", "field", "how"]]


def header_lines(name: str, headers: pd.DataFrame, lang: Lang = "vi") -> list[str]:
    """How every header of file `name` was read, one line each, as the command prints it."""
    tr = Translator(lang)
    lines = [tr("ingest.headers", file=name)]
    for row in header_table(headers, lang).itertuples(index=False):
        lines.append("  " + tr("ingest.header_line", header=row.header, field=row.field or MISSING, how=row.how))
    return lines


def needs_review(headers: pd.DataFrame) -> bool:
    """Whether some header was read by similarity, or refused as ambiguous: the command then lists every header."""
    return bool(headers["kind"].isin(["similar", "ambiguous"]).any()) if "kind" in headers else False


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


def units_lines(units_used: list[Message], lang: Lang = "vi") -> list[str]:
    """Which unit set each review year of a file was read in (`Checked.units_used` / `ImportResult.units_used`), one
    indented line each: `  năm 2025 — đơn vị hành chính: 25 xã, phường sau sắp xếp (từ 1/7/2025)`."""
    return ["  " + message.text(lang) for message in units_used]


def summary_lines(result: ImportResult, lang: Lang = "vi") -> list[str]:
    """The end-of-import summary for one file in `lang`, as printed by the command and shown by the import page."""
    tr = Translator(lang)
    out = [tr("ingest.summary", file=result.name, status=tr(f"ingest.status.{result.status}"),
              read=tr.num(result.rows_read), loaded=tr.num(result.rows_loaded), rejected=tr.num(result.rows_rejected),
              new=tr.num(result.households_new), updated=tr.num(result.households_updated),
              reviews_new=tr.num(result.reviews_new), reviews_replaced=tr.num(result.reviews_replaced))]
    out += units_lines(result.units_used, lang)
    out += ["  " + tr("ingest.note", note=note.text(lang)) for note in result.notes]
    for year, households, poor, near in result.rates:
        out.append("  " + tr("ingest.year_after", year=year, households=tr.num(households), poor=tr.pct(poor),
                             near=tr.pct(near)))
    if result.rejected_path:
        out.append("  " + tr("ingest.rejected_file", path=result.rejected_path))
    return out
