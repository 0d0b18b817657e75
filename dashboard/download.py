"""Download buttons: every table the app shows can be saved as CSV (UTF-8 with BOM, so Excel reads Vietnamese
correctly) and XLSX, with exactly the rows shown."""

from __future__ import annotations

import io

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from dashboard.i18n import Translator
from dashboard.theme import STATUS_BACKGROUNDS

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV, UTF-8 with a byte-order mark, no index."""
    return frame.to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    """The frame as an XLSX workbook with one sheet, no index."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31], index=False)
    return buffer.getvalue()


def download_buttons(frame: pd.DataFrame, name: str, tr: Translator, *, key: str | None = None) -> None:
    """CSV and XLSX buttons side by side for `frame`; files are named `<name>.csv` / `<name>.xlsx`.

    The bytes are produced lazily (callables), so a rerun that shows the table does not build the files.
    """
    key = key or name
    row = st.container(horizontal=True, gap="small")
    row.download_button(tr("download.csv"), lambda: csv_bytes(frame), file_name=f"{name}.csv", mime="text/csv",
                         key=f"{key}_csv", icon=":material/download:", on_click="ignore")
    row.download_button(tr("download.xlsx"), lambda: xlsx_bytes(frame, name), file_name=f"{name}.xlsx",
                          mime=XLSX_MIME, key=f"{key}_xlsx", icon=":material/download:", on_click="ignore")


def show_table(frame: pd.DataFrame, name: str, tr: Translator, *, formats: dict[str, str] | None = None,
               shown: pd.DataFrame | None = None, key: str | None = None, height: int | str = "auto",
               narrow: tuple[str, ...] = ()) -> None:
    """Show `frame` (columns already labelled for the reader) with numbers in the language's format, and offer the
    same rows, unformatted, as CSV and XLSX.

    `formats` maps a column to `"int"`, `"pct"` (percent, 2 decimals), `"pts"` (signed points), `"ratio"`
    (2 decimals) or `"num1"` (1 decimal); other columns are shown as they are.
    `narrow` names long text columns to show at medium width (so the next columns stay visible on a phone).
    `shown`, when given, is the display form of `frame` (same rows, same order), used instead of `formats`.
    """
    if shown is None:
        shown = format_frame(frame, formats or {}, tr)
    elif len(shown) != len(frame):
        raise ValueError("the shown table and the downloadable table must have the same rows")
    config = {column: st.column_config.TextColumn(width="medium") for column in narrow}
    st.dataframe(_status_colours(shown, tr), hide_index=True, width="stretch", height=height,
                 column_config=config or None, key=f"{key}_table" if key else None)  # key: a stable hook (st-key-…)
    download_buttons(frame, name, tr, key=key)


def _status_colours(shown: pd.DataFrame, tr: Translator) -> pd.DataFrame | Styler:
    """Colour the status column's cells (pale green → red) when the table has one."""
    column = tr("col.status")
    if column not in shown.columns:
        return shown
    backgrounds = {tr.status(status): colour for status, colour in STATUS_BACKGROUNDS.items()}
    return shown.style.map(lambda v: f"background-color: {backgrounds[v]}" if v in backgrounds else "",
                           subset=[column])


def format_frame(frame: pd.DataFrame, formats: dict[str, str], tr: Translator) -> pd.DataFrame:
    """A copy of `frame` with the columns in `formats` turned into text in the language's number format."""
    shown = frame.copy()
    for column, kind in (formats or {}).items():
        if column in shown:
            shown[column] = shown[column].map(lambda v, k=kind: format_cell(v, k, tr)).astype(object)
    return shown


def format_cell(value: object, kind: str, tr: Translator) -> str:
    """One table cell in the language's number format."""
    if kind == "int":
        return tr.num(value)  # type: ignore[arg-type]
    if kind == "pct":
        return tr.num(value, 2)  # type: ignore[arg-type]
    if kind == "pts":
        text = tr.num(value, 2)  # type: ignore[arg-type]
        return f"+{text}" if text[:1].isdigit() and text.strip("0.,") else text
    if kind == "ratio":
        return tr.num(value, 2)  # type: ignore[arg-type]
    if kind == "num1":
        return tr.num(value, 1)  # type: ignore[arg-type]
    raise ValueError(f"unknown cell format {kind!r}")
