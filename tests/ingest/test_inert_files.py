"""Nothing executable leaves: every CSV and XLSX the project writes holds formula-like text as inert text.

The payload is a household code `=HYPERLINK("http://x","y")` (and friends in other columns), followed through every
writer: the rejected-rows file beside the input and the import page's download of it, the `--report` CSV, the export
command (CSV and XLSX), the page downloads (`dashboard.download`) and the blank template. An XLSX is read back with
openpyxl (no cell is a formula); a CSV with the csv module (no cell starts like a formula, the payload starts `'`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from dashboard.download import csv_bytes, xlsx_bytes
from dashboard.importing import rejected_file
from data import export
from data.cells import FORMULA_START, neutralise, neutralise_frame
from data.ingest import check, import_file, rejected_path
from data.template import template_bytes
from tests.ingest.conftest import LAYOUT, review_rows, write_csv

PAYLOAD = '=HYPERLINK("http://x","y")'
ROW = "Dòng (row)"
CR_PAYLOAD = "Kinh\r@SUM(1+1)*cmd|' /C calc'!A0"


def _risky(value: object) -> bool:
    """A text cell a spreadsheet would run: starts like a formula and is not a plain signed number."""
    return isinstance(value, str) and neutralise(value) != value


def _csv_cells(data: bytes, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def _xlsx_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_inert_xlsx(data: bytes) -> list[object]:
    cells = _xlsx_cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert [c.value for c in cells if _risky(c.value)] == []
    return [c.value for c in cells]


@pytest.mark.parametrize(("value", "written"), [
    (PAYLOAD, "'" + PAYLOAD), ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"), ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("＝1+1", "'＝1+1"), ("-x", "'-x"),
    ("-1", "-1"), ("+2", "+2"), ("-1.234,5", "-1.234,5"), ("1.400.000", "1.400.000"), ("a=b", "a=b"),
    ("'=already", "'=already"), ("", ""), (-1.5, -1.5), (-3, -3), (None, None),
])
def test_neutralise_touches_formula_like_text_only(value: object, written: object) -> None:
    assert neutralise(value) == written
    assert neutralise(written) == written  # once is enough


def test_a_frame_keeps_numbers_and_dtypes_and_neutralises_text_and_headers() -> None:
    frame = pd.DataFrame({"=h": [PAYLOAD, "ok"], "n": [-1.5, 2.0], "i": [-3, 4],
                          "mixed": pd.Series(["-x", 5], dtype=object)})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=h", "n", "i", "mixed"]
    assert out["'=h"].tolist() == ["'" + PAYLOAD, "ok"]
    assert out["mixed"].tolist() == ["'-x", 5]
    assert out["n"].tolist() == [-1.5, 2.0] and out["i"].dtype == frame["i"].dtype
    assert frame.columns[0] == "=h" and frame["=h"][0] == PAYLOAD  # the input is left as it was


def _file_with_payloads(tmp_path: Path) -> Path:
    """Five households; row 3 has the payload as its code and no members; row 4 a formula for members and an
    ethnicity `@SUM(A1)`; row 5 an ethnicity with a carriage return before a formula: the three rows are rejected,
    quoting what was typed."""
    rows = review_rows(5, prefix="P", year=2025)
    rows[1][LAYOUT["household_id"]] = PAYLOAD
    rows[1][LAYOUT["members"]] = 0
    rows[2][LAYOUT["members"]] = "=1+2"
    rows[2][LAYOUT["ethnicity"]] = "@SUM(A1)"
    rows[3][LAYOUT["ethnicity"]] = CR_PAYLOAD  # a carriage return inside the cell: a new record to a spreadsheet
    return write_csv(tmp_path / "xa_p.csv", rows)


def test_the_rejected_rows_file_and_its_page_download_are_inert(tmp_path: Path, empty_db: Path) -> None:
    path = _file_with_payloads(tmp_path)
    con = duckdb.connect(str(empty_db))
    try:
        result = import_file(path, con, accept_valid=True)
        checked = check(path.read_bytes(), path.name, con)
    finally:
        con.close()
    assert result.status == "loaded_partly" and result.rows_rejected == 3
    written = rejected_path(path).read_bytes()
    cells = _csv_cells(written)
    header = cells[0]
    by_row = {row[header.index(ROW)]: row for row in cells[1:]}
    assert by_row["3"][header.index(LAYOUT["household_id"])] == "'" + PAYLOAD
    assert by_row["4"][header.index(LAYOUT["members"])] == "'=1+2"
    assert by_row["4"][header.index(LAYOUT["ethnicity"])] == "'@SUM(A1)"
    assert by_row["5"][header.index(LAYOUT["ethnicity"])] == CR_PAYLOAD  # one cell, quoted
    assert [c for row in cells for c in row if _risky(c)] == []
    assert {len(row) for row in cells} == {len(header)}
    # The page offers the same bytes, in its language, under the file's name.
    data, name = rejected_file(checked, "vi")
    assert (data, name) == (written, "xa_p.rejected.csv")


def test_the_problem_report_is_inert(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    path = _file_with_payloads(tmp_path)
    report = tmp_path / "report.csv"
    code, _, _ = run_ingest(path, "--db", empty_db, "--report", report)
    assert code == 1
    cells = _csv_cells(report.read_bytes())
    values = [row[cells[0].index("Value")] for row in cells[1:]]
    assert "'=1+2" in values and "'@SUM(A1)" in values and CR_PAYLOAD in values
    assert [c for row in cells for c in row if _risky(c)] == []
    assert {len(row) for row in cells} == {len(cells[0])}


def test_the_export_command_writes_inert_csv_and_xlsx(tmp_path: Path, empty_db: Path) -> None:
    """A household stored with the payload as its code (by an older import, or by hand): exported, it is text.
    (Stored directly: whether the importer accepts such a code is the importer's rule, not this test's.)"""
    con = duckdb.connect(str(empty_db))
    try:
        con.execute("INSERT INTO households VALUES (1, $id, '31834', '31834', 'kinh')", {"id": PAYLOAD})
        con.execute("INSERT INTO households VALUES (2, $id, '31834', '31834', 'kinh')", {"id": "X\r=1+1"})
        con.execute("INSERT INTO review_rows VALUES (2, 2025, 2, 1500000, false, false, false, false, false, false, "
                    "false, false, false, false, false, false, false)")
        con.execute("INSERT INTO review_rows VALUES (1, 2025, 3, 1200000, false, true, true, true, false, false, "
                    "false, false, false, false, false, false, false)")
    finally:
        con.close()
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"nam_2025{suffix}"
        assert export.main([str(out), "--year", "2025", "--db", str(empty_db)]) == 0
        if suffix == ".csv":
            cells = _csv_cells(out.read_bytes())
            assert [c for row in cells for c in row if _risky(c)] == []
            assert {len(row) for row in cells} == {len(cells[0])} and len(cells) == 3
            assert {row[cells[0].index(LAYOUT["household_id"])] for row in cells[1:]} == {"'" + PAYLOAD, "X\r=1+1"}
            assert cells[1][cells[0].index(LAYOUT["income_per_capita"])] == "1200000"  # numbers stay numbers
        else:
            values = _assert_inert_xlsx(out.read_bytes())
            assert "'" + PAYLOAD in values and 1200000 in values


def test_page_downloads_are_inert() -> None:
    frame = pd.DataFrame({"Mã hộ": [PAYLOAD, "H1"], "Thay đổi (điểm %)": [-1.25, 0.5]})
    cells = _csv_cells(csv_bytes(frame, {"Thay đổi (điểm %)": "pts"}, "vi"), ";")
    assert cells[1] == ["'" + PAYLOAD, "-1,25"]
    values = _assert_inert_xlsx(xlsx_bytes(frame, "bang", {"Thay đổi (điểm %)": "pts"}))
    assert "'" + PAYLOAD in values and -1.25 in values


def test_the_blank_template_is_inert() -> None:
    values = _assert_inert_xlsx(template_bytes())
    assert not any(isinstance(v, str) and v.startswith(FORMULA_START) for v in values)
