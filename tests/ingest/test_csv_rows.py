"""CSV records as written: a record with more or fewer values than its header is a row problem (never loaded shifted),
a UTF-8 file with a stray byte is refused naming its line, CR-only line endings read, a file without rows refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import openpyxl
import pandas as pd

from data.ingest import validate
from data.ingest.validate import Checked
from tests.ingest.conftest import checksum, review_rows


def _csv_lines(rows: list[dict[str, object]]) -> list[str]:
    """The header and the records as comma-separated lines (no value holds a comma or a quote)."""
    return [",".join(rows[0]), *(",".join(str(v) for v in row.values()) for row in rows)]


def _check(con: duckdb.DuckDBPyConnection, data: bytes, name: str = "xa.csv") -> Checked:
    return validate.check(data, name, con, None)


def _problems(checked: Checked) -> list[tuple[object, str, str, str]]:
    p = checked.problems
    return [(None if pd.isna(r) else int(r), c, e, v) for r, c, e, v in
            zip(p["row"], p["column"], p["expected_en"], p["expected_vi"], strict=True)]


def test_a_record_with_one_value_more_is_a_row_problem(warehouse, tmp_path: Path, empty_db: Path,
                                                       run_ingest) -> None:
    con, _ = warehouse
    rows = review_rows(8)
    lines = _csv_lines(rows)
    width = len(rows[0])
    values = lines[6].split(",")
    lines[6] = ",".join([*values[:8], "x", *values[8:]])  # a mark typed one column too far: 21 values
    data = "\n".join(lines).encode() + b"\n"
    checked = _check(con, data)
    assert _problems(checked) == [(7, "Mã hộ", f"{width} values, as the header has {width} columns, but the row has "
                                   f"{width + 1} values (its values are shifted: check the separators or quotes in "
                                   "its cells)",
                                   f"đúng {width} giá trị như tiêu đề, nhưng dòng này có {width + 1} giá trị (các giá "
                                   "trị bị lệch cột: kiểm tra dấu phân cách hoặc dấu ngoặc kép trong các ô)")]
    assert checked.rejected["Mã hộ"].tolist() == [rows[5]["Mã hộ"]]
    assert len(checked.reviews) == 7
    path = tmp_path / "xa.csv"
    path.write_bytes(data)
    before = checksum(empty_db)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1 and "nothing loaded from this file" in out
    assert checksum(empty_db) == before


def test_a_short_record_is_a_row_problem_also_when_quoted_and_cr_only(warehouse) -> None:
    con, _ = warehouse
    rows = review_rows(6)
    for row in rows:
        row["Ghi chú"] = ""
    rows[0]["Ghi chú"] = "xem lại, gấp"  # a quoted value with the delimiter: the csv module counts the records
    lines = [",".join(f'"{v}"' if "," in str(v) else str(v) for v in r) for r in [rows[0].keys()]]
    lines += [",".join(f'"{v}"' if "," in str(v) else str(v) for v in row.values()) for row in rows]
    width = len(rows[0])
    lines[4] = lines[4].rsplit(",", 1)[0]  # the last (empty) value left out: one value short
    for ending in ("\n", "\r", "\r\n"):
        checked = _check(con, ending.join(lines).encode() + ending.encode())
        assert [(r, c, e) for r, c, e, _ in _problems(checked)] == [
            (5, "Mã hộ", f"{width} values, as the header has {width} columns, but the row has {width - 1} values "
                         "(its values are shifted: check the separators or quotes in its cells)")], repr(ending)
        assert len(checked.reviews) == 5


def test_empty_values_beyond_the_header_are_a_problem_unless_the_header_has_them(warehouse) -> None:
    con, _ = warehouse
    rows = review_rows(5)
    width = len(rows[0])
    lines = _csv_lines(rows)
    lines[2] += ","  # an empty value beyond the header: the row may be shifted (a value typed twice, the last empty)
    lines.insert(4, "")  # a wholly blank line: no problem
    lines.insert(5, "," * (width - 1))  # a record of empty values: no problem
    checked = _check(con, "\n".join(lines).encode())
    assert [(r, e) for r, _, e, _ in _problems(checked)] == [
        (3, f"{width} values, as the header has {width} columns, but the row has {width + 1} values (its values are "
            "shifted: check the separators or quotes in its cells)")]
    # Excel pads every record to its widest row, the header too: records between its last name and its width pass.
    padded = [lines[0] + ",,", lines[1] + ",,", lines[2] + ",", lines[3]]
    checked = _check(con, "\n".join(padded).encode())
    assert checked.problems.empty
    assert len(checked.reviews) == 3


def test_cr_only_line_endings_read_with_right_row_numbers(warehouse) -> None:
    con, _ = warehouse
    rows = review_rows(6)
    rows[3]["Số nhân khẩu"] = "nhiều"  # a bad value on spreadsheet row 5
    checked = _check(con, "\r".join(_csv_lines(rows)).encode("utf-8-sig"))
    assert [(r, c) for r, c, _, _ in _problems(checked)] == [(5, "Số nhân khẩu")]
    assert len(checked.reviews) == 5


def test_utf8_with_one_stray_cp1252_byte_is_refused_naming_its_line(warehouse, tmp_path: Path, empty_db: Path,
                                                                     run_ingest) -> None:
    con, _ = warehouse
    rows = review_rows(6)
    rows[2]["Dân tộc"] = "Kinh–Hoa"  # the en dash typed in cp1252 (0x96) on line 4 of a UTF-8 file
    lines = _csv_lines(rows)
    data = "\r\n".join(lines).encode("utf-8").replace("–".encode(), "–".encode("cp1252"))
    checked = _check(con, data)
    assert _problems(checked) == [(None, "", "a valid UTF-8 CSV file; line 4 holds byte 0x96, which is not UTF-8 "
                                   "(perhaps a cell pasted from another encoding): fix that cell or save the file "
                                   "again as 'CSV UTF-8'",
                                   "tệp CSV UTF-8 hợp lệ; dòng 4 có byte 0x96 không thuộc UTF-8 (có thể một ô được dán "
                                   "từ bảng mã khác): hãy sửa ô đó hoặc lưu lại dưới dạng 'CSV UTF-8'")]
    assert checked.reviews is None or checked.reviews.empty
    path = tmp_path / "xa.csv"
    path.write_bytes(data)
    before = checksum(empty_db)
    assert run_ingest(path, "--db", empty_db)[0] == 1
    assert checksum(empty_db) == before


def test_a_file_without_household_rows_is_a_file_problem(warehouse, tmp_path: Path, empty_db: Path,
                                                         run_ingest) -> None:
    con, _ = warehouse
    rows = review_rows(3)
    csv_path = tmp_path / "only_header.csv"
    csv_path.write_text(_csv_lines(rows)[0] + "\n\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.append(list(rows[0]))
    book.active.append(["Tổng cộng"])  # a total row is not a household: nothing is left under the header
    xlsx_path = tmp_path / "only_total.xlsx"
    book.save(xlsx_path)
    for path in (csv_path, xlsx_path):
        checked = _check(con, path.read_bytes(), path.name)
        assert _problems(checked) == [(None, "", "household rows under the header; this file has none",
                                       "các dòng hộ dưới tiêu đề; tệp này không có dòng nào")], path.name
        assert checked.fatal
        before = checksum(empty_db)
        code, out, _ = run_ingest(path, "--db", empty_db)
        assert code == 1 and "expected household rows under the header; this file has none" in out
        assert checksum(empty_db) == before
