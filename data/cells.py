"""Cells the project writes to CSV and XLSX files never run in a spreadsheet (OWASP, "CSV injection").

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return (or their full-width forms `＝ ＋ － ＠`,
which Excel with an East Asian input method also reads as a formula) gets a leading `'`: Excel and LibreOffice then
show it as text and never evaluate it. Used by every writer: page downloads (`dashboard.download`), the export
command (`data.export`), the rejected-rows files and the problem report of the importer (`data.ingest`).

Numbers stay numbers: only text is touched, so a negative change (`-1.5`, a float) is written as a number. A text
that is a plain signed number (`-1`, `+2`, `-1.234,5`, as a commune typed it in a rejected row) is left as it is too:
it cannot hold a formula, and the analyst sees what was typed. Anything else after the sign (`-2+3`, `-x`, `+cmd|…`)
is prefixed.
"""

from __future__ import annotations

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,\s]\d+)*(?:[.,]\d+)?")


def neutralise(value: object) -> object:
    """`value` as a file should hold it: a text a spreadsheet would run gets a leading `'`; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell and every column name passed through `neutralise`.

    Numeric columns are returned as they are; in text (or mixed) columns only the cells that need it are rewritten,
    so a province year (≈ 231,000 rows) costs a vectorised test per column.
    """
    out = frame.copy()
    for position in range(frame.shape[1]):
        series = frame.iloc[:, position]
        if not (pd.api.types.is_object_dtype(series.dtype) or pd.api.types.is_string_dtype(series.dtype)):
            continue  # numbers, dates, booleans: never a formula
        risky = series.str.startswith(FORMULA_START, na=False).to_numpy(dtype=bool) if len(series) else None
        if risky is not None and risky.any():
            values = series.to_numpy(dtype=object).copy()
            values[risky] = [neutralise(v) for v in values[risky]]
            out.isetitem(position, pd.Series(values, index=frame.index, dtype=series.dtype))
    out.columns = [neutralise(c) for c in frame.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """`frame` as the CSV text the project writes: cells neutralised, lines ended `\\r\\n` (RFC 4180).

    With `\\r\\n` as the line end, the csv writer quotes every cell holding a carriage return or a line feed, so a
    cell such as `Xã\\r@SUM(1)` stays one cell; with pandas' default `\\n` a bare `\\r` is written unquoted and a
    spreadsheet starts a new record at it, whose first cell (`@SUM(1)`) it would run.
    """
    return neutralise_frame(frame).to_csv(index=False, lineterminator="\r\n")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """`csv_text` encoded as UTF-8 with a byte-order mark (so Excel reads the Vietnamese letters right)."""
    return csv_text(frame).encode("utf-8-sig")
