"""Download buttons: every table the app shows can be saved as CSV and XLSX, with exactly the rows shown and the
numbers the page shows.

What a download holds (README, "Downloads"):
- Numbers are rounded to the decimals the page shows (`FORMATS`) and stay numbers; a missing value is an empty cell.
- A figure hidden from a viewer who is not signed in (`dashboard.disclosure`) reaches the table as its marker text
  ("≤9 hộ — ẩn"): the file holds that text, never the number and never an empty cell (which would read as missing).
  The tables are protected before they are shown, so the page and its files hold the same figures.
- XLSX: each number carries a number format that displays it as the page does (`#,##0`, `#,##0.00`,
  `+#,##0.00;-#,##0.00;0.00`, …; Excel and LibreOffice show it with the reader's own separators); bold header row,
  frozen; columns wide enough for their contents.
- CSV: UTF-8 with a byte-order mark. In Vietnamese `;`-separated with a decimal comma and no thousands separator
  (what Excel with Vietnamese regional settings opens as numbers); in English `,`-separated with a decimal point.
- Text cells beginning with `=`, `+`, `-`, `@`, a tab or a carriage return get a leading `'` (OWASP's advice against
  CSV/formula injection; `data.cells.neutralise`, shared by every file the project writes), in both files; numbers
  are never touched.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.figure_cache import per_process
from dashboard.theme import STATUS_BACKGROUNDS
from data.cells import neutralise
from i18n import MISSING, Lang, Translator, is_missing

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class CellFormat:
    """How a kind of number is shown: `decimals` after the point, the XLSX number format that displays it the same
    way (invariant `,`/`.` in the code; the spreadsheet shows the reader's separators), and a sign or unit."""

    decimals: int
    excel: str
    signed: bool = False
    suffix: str = ""


# The kinds a table column (or one cell) can have; `show_table`'s `formats` maps columns to these names.
FORMATS: dict[str, CellFormat] = {
    "int": CellFormat(0, "#,##0"),  # households, VND
    "pct": CellFormat(2, "#,##0.00"),  # percent in a column whose header says (%)
    "pts": CellFormat(2, "+#,##0.00;-#,##0.00;0.00", signed=True),  # percentage points, signed
    "ratio": CellFormat(2, "#,##0.00"),  # the progress ratio R
    "num1": CellFormat(1, "#,##0.0"),
    "percent": CellFormat(2, '#,##0.00" %"', suffix=" %"),  # percent, unit in the cell (rows of mixed units)
    "times": CellFormat(2, '#,##0.00"×"', suffix="×"),  # a multiple, e.g. income ÷ poverty line
}

Formats = Mapping[str, str | Sequence[str]]
"""Column → kind (a `FORMATS` name) for every row, or a list with one kind per row (tables whose rows differ)."""

_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_CELL_ID = re.compile(r"row(\d+)_col(\d+)")  # a Styler body cell's id: its row and column in the data


def round_cell(value: object, kind: str) -> int | float | None:
    """`value` rounded as the page shows it (`kind` in `FORMATS`): an int for 0 decimals, None when missing.

    Rounds like the page's text (Python's correctly rounded `round`), so the file's number prints as the page does.
    """
    if is_missing(value):
        return None
    decimals = FORMATS[kind].decimals
    number = round(float(value), decimals)  # type: ignore[arg-type]
    return int(number) if decimals == 0 else number + 0.0  # + 0.0: no "-0.00"


def format_cell(value: object, kind: str, tr: Translator) -> str:
    """One table cell in the language's number format, e.g. `1.234`, `5,09`, `+0,50`, `5,09 %`, `2,10×`; a text in a
    number column (a hidden figure's marker, `dashboard.disclosure`) is shown as it is."""
    fmt = FORMATS.get(kind)
    if fmt is None:
        raise ValueError(f"unknown cell format {kind!r}")
    if isinstance(value, str):
        return value
    if is_missing(value):
        return MISSING
    text = tr.num(value, fmt.decimals)  # type: ignore[arg-type]
    if fmt.signed and text[:1].isdigit() and text.strip("0.,"):
        text = "+" + text
    return text + fmt.suffix


def _kinds(formats: Formats | None, column: str, rows: int) -> list[str | None]:
    kind = (formats or {}).get(column)
    if kind is None or isinstance(kind, str):
        return [kind] * rows
    if len(kind) != rows:
        raise ValueError(f"column {column!r}: {len(kind)} formats for {rows} rows")
    return list(kind)


def format_frame(frame: pd.DataFrame, formats: Formats, tr: Translator) -> pd.DataFrame:
    """A copy of `frame` with the columns in `formats` turned into text in the language's number format."""
    shown = frame.copy()
    for column in formats or {}:
        if column in shown:
            kinds = _kinds(formats, column, len(shown))
            shown[column] = pd.Series([format_cell(v, k, tr) if k else v for v, k in zip(shown[column], kinds,
                                                                                        strict=True)],
                                      index=shown.index, dtype=object)
    return shown


def _cells(frame: pd.DataFrame, formats: Formats | None) -> list[list[tuple[object, str | None]]]:
    """Every cell as (value for a file, its kind): numbers rounded, missing → None, text neutralised (a text in a
    number column, a hidden figure's marker, stays text)."""
    columns = [_kinds(formats, str(c), len(frame)) for c in frame.columns]
    rows = []
    for i, record in enumerate(frame.itertuples(index=False, name=None)):
        row = []
        for value, kinds in zip(record, columns, strict=True):
            kind = kinds[i]
            if kind is not None and isinstance(value, str):
                row.append((neutralise(value), None))
            elif kind is not None:
                row.append((round_cell(value, kind), kind))
            elif is_missing(value):
                row.append((None, None))
            elif isinstance(value, str):
                row.append((neutralise(value), None))
            elif hasattr(value, "item"):  # numpy scalars → Python numbers
                row.append((value.item(), None))
            else:
                row.append((value, None))
        rows.append(row)
    return rows


def _csv_number(value: int | float, decimals: int | None, lang: Lang) -> str:
    if isinstance(value, bool):
        return str(value)
    text = str(value) if decimals is None else f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang == "vi" else text


def csv_bytes(frame: pd.DataFrame, formats: Formats | None = None, lang: Lang = "vi") -> bytes:
    """The frame as CSV, UTF-8 with a byte-order mark, no index, numbers rounded as `formats` says.

    `lang="vi"`: `;`-separated, decimal comma; `lang="en"`: `,`-separated, decimal point. Never a thousands
    separator; a signed change is written `-0,50` / `0,50` (a leading `+` would read as a formula).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if lang == "vi" else ",", lineterminator="\r\n")
    writer.writerow([neutralise(str(c)) for c in frame.columns])
    for row in _cells(frame, formats):
        out = []
        for value, kind in row:
            if value is None:
                out.append("")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                out.append(_csv_number(value, FORMATS[kind].decimals if kind else None, lang))
            else:
                out.append(str(value))
        writer.writerow(out)
    return buffer.getvalue().encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data", formats: Formats | None = None) -> bytes:
    """The frame as an XLSX workbook with one sheet, no index: numbers rounded as `formats` says and carrying the
    matching number format, a bold and frozen header row, columns sized to their contents."""
    # imported here (≈0.15 s): only a click on an XLSX button builds a workbook
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = _SHEET_NAME_BAD.sub("_", sheet)[:31] or "data"
    headers = [neutralise(str(c)) for c in frame.columns]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    tr = Translator("en")  # only for the width of what a cell displays
    for r, row in enumerate(_cells(frame, formats), start=2):
        for c, (value, kind) in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            if kind is not None and value is not None:
                cell.number_format = FORMATS[kind].excel
                shown = format_cell(value, kind, tr)
            else:
                shown = "" if value is None else str(value)
            widths[c - 1] = max(widths[c - 1], len(shown))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(max(width + 2, 8), 60)
    ws.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame, name: str, tr: Translator, *, formats: Formats | None = None,
                     key: str | None = None) -> None:
    """CSV and XLSX buttons side by side for `frame`; files are named `<name>.csv` / `<name>.xlsx`.

    `formats` as in `show_table` (numbers rounded and formatted as the page shows them); the CSV follows `tr`'s
    language. The bytes are produced lazily (callables), so a rerun that shows the table does not build the files.
    """
    key = key or name
    row = st.container(horizontal=True, gap="small")
    row.download_button(tr("download.csv"), lambda: csv_bytes(frame, formats, tr.lang), file_name=f"{name}.csv",
                        mime="text/csv", key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    row.download_button(tr("download.xlsx"), lambda: xlsx_bytes(frame, name, formats), file_name=f"{name}.xlsx",
                        mime=XLSX_MIME, key=f"{key}_xlsx", icon=":material/download:", on_click="ignore")


# A static table on screen: cells at least this wide (the first, the unit's or target's name, wider and kept in view
# while the rest scrolls), so on a 390 px phone the table scrolls sideways inside its box rather than wrapping every
# word onto its own line. In print: no sidebar, no minimum widths and a smaller type, so every column fits the paper.
_STATIC_TABLE_CSS = (
    "<style>.st-key-{hook} th, .st-key-{hook} td { min-width: 5.5em; }"
    ".st-key-{hook} th:first-child, .st-key-{hook} td:first-child { min-width: 10em; position: sticky; left: 0;"
    " z-index: 1; background: #fff; }"
    "@media print { section[data-testid='stSidebar'] { display: none !important; }"
    " .st-key-{hook} th, .st-key-{hook} td { min-width: 0 !important; font-size: 8pt; padding: 2px 4px; }"
    " .st-key-{hook} th:first-child, .st-key-{hook} td:first-child { position: static; }"
    " .st-key-{hook} * { overflow: visible !important; } }</style>")


def show_table(frame: pd.DataFrame, name: str, tr: Translator, *, formats: Formats | None = None,
               key: str | None = None, height: int | str = "auto", narrow: tuple[str, ...] = (),
               links: Sequence[str | None] | None = None, static: bool = False) -> None:
    """Show `frame` (columns already labelled for the reader) with numbers in the language's format, and offer the
    same rows, with the same rounding, as CSV and XLSX.

    `static`: a plain table (`st.table`: the rows as text, printed as shown, no sorting, no links) instead of the
    interactive grid. The overview's short tables are static: read at a glance and printed, and the grid's scripts
    (1.3 MB, loaded in the browser beside plotly's) are what kept the overview's first chart from the one-chart floor
    (issue 13, `python -m bench scale --browser`); the ranking and the other pages keep the grid for sorting.

    `formats` maps a column to a kind of `FORMATS`: `"int"`, `"pct"` (percent, 2 decimals), `"pts"` (signed points,
    2 decimals), `"ratio"` (2 decimals), `"num1"` (1 decimal), `"percent"` / `"times"` (2 decimals with ` %` / `×`
    in the cell), or to a list of kinds, one per row, where rows hold different units; other columns are shown as
    they are. `narrow` names long text columns to show at medium width (so the next columns stay visible on a phone).
    `links`: one address per row (None: no link), shown as a narrow link column right after the first column (the
    unit's name) that opens the row's unit in the commune profile (`Filters.profile_url`; in a new tab, as Streamlit
    opens a table's links); the downloads never hold it.
    """
    config = {column: st.column_config.TextColumn(width="medium") for column in narrow}
    shown = frame
    if links is not None:
        column = tr("profile.link_column")
        shown = frame.copy()
        shown.insert(min(1, len(frame.columns)), column, pd.Series(list(links), index=frame.index, dtype=object))
        # a fixed text (no parentheses: Streamlit would read them as a pattern to cut out of the address)
        config[column] = st.column_config.LinkColumn(column, display_text=tr("profile.link_text"), width="small")
    view = _table_view(shown, json.dumps(formats or {}, sort_keys=True), tr,
                       tr("profile.link_column") if links is not None else None)
    if static:
        if links is not None:
            raise ValueError("a static table has no link column")
        hook = f"{key}_table" if key else None
        with st.container(key=hook):  # the same hook (st-key-…) as the grid's
            if hook:  # on a phone the columns keep a readable width and the table scrolls, not one word a line
                st.html(_STATIC_TABLE_CSS.replace("{hook}", hook))
            st.table(view, hide_index=True)
        download_buttons(frame, name, tr, formats=formats, key=key)
        return
    # a row without a link (a district on the compare page): "—" as every missing figure, never Streamlit's "None"
    st.dataframe(view, hide_index=True, width="stretch", height=height, column_config=config or None,
                 placeholder="—" if links is not None else None,
                 key=f"{key}_table" if key else None)  # key: a stable hook (st-key-…)
    download_buttons(frame, name, tr, formats=formats, key=key)


@per_process  # every visitor of a view is shown the same table: prepared once per process (issue 9)
def _table_view(frame: pd.DataFrame, formats: str, tr: Translator,
                link_column: str | None = None) -> pd.DataFrame | Styler:
    """What `show_table` hands to `st.dataframe`, shared between sessions and never changed: the formatted frame
    coloured by `_status_colours`, the Styler's styles computed once (`_computed_once`). `formats` as JSON text, so
    the cache compares it by value. `link_column`: a column of addresses whose missing cells (a row without a link)
    stay empty, never the text "None" a Styler would show."""
    view = _status_colours(format_frame(frame, json.loads(formats), tr), tr)
    if link_column is not None and isinstance(view, Styler):
        view = view.format(na_rep="", subset=[link_column])
    return _computed_once(view) if isinstance(view, Styler) else view


def _computed_once(styler: Styler) -> Styler:
    """`styler` with its styles computed and translated now, once: Streamlit asks a Styler for them on every
    `st.dataframe` (`_compute`, `_translate`: ~25 ms for the 64 communes, most of a table's cost), and a shared
    Styler must not be recomputed by two sessions at once. The instance's own `_compute` and `_translate` then
    return that result; the object stays a `Styler` (Streamlit checks the exact type)."""
    styler._compute()
    translated = styler._translate(False, False)  # the arguments Streamlit's `marshall_styler` passes
    # Streamlit replaces each cell of `data.astype(str)` by its display value, one column assignment at a time
    # (~30 ms on the communes' table); where the two are already equal (every cell here: the frame holds the text
    # shown) the cell's id is left out, so nothing is replaced and the result is the same.
    text = styler.data.astype(str)
    body = []
    for row in translated.get("body", []):
        cells = []
        for cell in row:
            place = _CELL_ID.fullmatch(str(cell.get("id", "")))
            if place and str(cell.get("display_value")) == text.iat[int(place[1]), int(place[2])]:
                cell = {key: value for key, value in cell.items() if key != "id"}
            cells.append(cell)
        body.append(cells)
    translated = {**translated, "body": body}
    styler._compute = lambda: styler  # type: ignore[method-assign]
    styler._translate = lambda *_args, **_kwargs: translated  # type: ignore[method-assign]
    return styler


def _status_colours(shown: pd.DataFrame, tr: Translator) -> pd.DataFrame | Styler:
    """Colour the status column's cells (pale green → red) when the table has one."""
    column = tr("col.status")
    if column not in shown.columns:
        return shown
    backgrounds = {tr.status(status): colour for status, colour in STATUS_BACKGROUNDS.items()}
    return shown.style.map(lambda v: f"background-color: {backgrounds[v]}" if v in backgrounds else "",
                           subset=[column])

