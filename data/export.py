"""`python -m data.export`: write one year's reviews in the import layout (the template's headers), CSV or XLSX.

    python -m data.export --year Y OUT.csv|OUT.xlsx [--db PATH]

Each year is written in the units in force at its review (`review_unit_set`): up to 2024 the former commune's code
and name with its district, from 2025 the current unit's code and name and no district (districts were abolished).
Importing the file into a warehouse that holds only the schema and reference data reproduces the same `classified`
rows: every column the view depends on is written (household code, commune code and name, district, ethnicity, year,
size, income, social protection, the 12 indicators as `x` or empty). A current-set year carries no former commune, so
its households' former communes come back only with the former-set years' files (import those too, in any order). A
text cell a spreadsheet would run as a formula (a household code `=HYPERLINK(…)`) is written with a leading `'`
(`data.cells.neutralise`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb
import pandas as pd

from data.cells import csv_bytes, neutralise_frame
from data.ingest import normalise
from data.sqlfiles import load_sql
from data.warehouse import absolute, connect_readonly, db_path

MARK = {True: "x", False: ""}


def reviews_frame(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """One year's reviews with Vietnamese headers, values as a commune would type them, in the units of that year
    (`reviews_for_export.sql`): one row per review, the import layout's columns (`normalise.layout`)."""
    labels = con.execute("SELECT indicator, position, label_vi, label_en FROM indicators").df()
    headers = normalise.layout(labels)
    frame = con.execute(load_sql("reviews_for_export"), {"year": int(year)}).df()
    frame["ethnicity"] = frame["ethnicity"].map(normalise.ETHNICITY_LABELS)
    for column in frame.columns:
        if column == "social_protection" or column.startswith("d_"):
            frame[column] = frame[column].map(MARK)
    return frame[list(headers)].rename(columns=headers)


def write(frame: pd.DataFrame, out: Path) -> None:
    """CSV (UTF-8 with BOM, so Excel shows the diacritics) or XLSX (streamed with openpyxl's write-only mode); text
    cells neutralised (`data.cells`), numbers written as numbers."""
    suffix = out.suffix.lower()
    if suffix == ".csv":
        out.write_bytes(csv_bytes(frame))
    elif suffix == ".xlsx":
        write_xlsx(frame, out)
    else:
        raise ValueError(f"unknown format {suffix!r}: write .csv or .xlsx")


def write_xlsx(frame: pd.DataFrame, out: Path, sheet: str = "Dữ liệu") -> None:
    """The frame as one sheet; no cell is ever a formula (text neutralised, `data.cells`)."""
    import openpyxl

    frame = neutralise_frame(frame)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    ws.append(list(frame.columns))
    columns = [frame[c].tolist() for c in frame.columns]
    for row in zip(*columns, strict=True):
        ws.append([None if v == "" else (v.item() if hasattr(v, "item") else v) for v in row])
    book.save(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.export", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT", help="output file, .csv or .xlsx")
    parser.add_argument("--year", type=int, required=True)
    parser.add_argument("--db", type=Path, help="warehouse (default: $POVERTY_DB or data/baclieu.duckdb)")
    args = parser.parse_args(argv)
    con = connect_readonly(absolute(args.db) if args.db else db_path())
    try:
        frame = reviews_frame(con, args.year)
    finally:
        con.close()
    if frame.empty:
        print(f"error: no reviews for {args.year} in the warehouse", file=sys.stderr)
        return 1
    write(frame, args.out)
    print(f"{len(frame):,} reviews of {args.year} written to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
