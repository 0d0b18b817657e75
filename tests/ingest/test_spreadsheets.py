"""Spreadsheets as communes lay them out, read with a maintained library: the shared samples and siblings of each kind.

Each loadable file is imported into a copy of the demo warehouse and the stored values and classes are compared with
the file's values and the Decree 07/2021 rule computed here; each refusal is asserted word for word, with the
warehouse unchanged.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from data.ingest import layout, normalise, xlsx
from tests import keyed
from tests.ingest.conftest import INDICATOR_HEADERS, LAYOUT, checksum, review_rows, write_csv
from tests.ingest.sample_files import FORMER_BY_CODE, FORMER_BY_NAME, formers_stored

DATA = Path(__file__).parent / "data"
INDICATORS = [f for f in LAYOUT if f.startswith("d_")]

# The six households of the shared samples (2025 reviews naming former units): the current unit each is read in,
# ethnicity, members, income, social protection, deprivations.
SAMPLE = {
    "HT26-001": ("31834", "kinh", 4, 1_400_000, False, {"d_employment", "d_health_insurance", "d_floor_area"}),
    "HT26-002": ("31834", "khmer", 5, 1_900_000, False, {"d_dependants", "d_latrine"}),
    "HT26-003": ("31849", "kinh", 3, 1_200_000, True, {"d_employment", "d_dependants", "d_nutrition",
                                                        "d_health_insurance"}),
    "HT26-004": ("31849", "khmer", 6, 2_600_000, False, set()),
    "HT26-005": ("31894", "hoa", 2, 1_000_000, False, {"d_adult_education", "d_child_schooling",
                                                        "d_housing_quality"}),
    "HT26-006": ("31894", "kinh", 4, 3_500_000, False, {"d_nutrition"}),
}


def expected_status(area: str, income: int, deprived: int) -> str:
    """Decree 07/2021 (2022–2025): VND per person per month; poor needs 3 of the 12 indicators."""
    line, average = (2_000_000, 3_000_000) if area == "urban" else (1_500_000, 2_250_000)
    if income <= line:
        return "poor" if deprived >= 3 else "near_poor"
    return "average" if income <= average else "above"


def _query(db: Path, sql: str, params: dict | None = None) -> list[tuple]:
    con = keyed.connect(db)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def _stored(db: Path, codes: list[str], unit: str = "commune_code") -> dict[str, tuple]:
    """household → (commune, ethnicity, members, income, social protection, deprived set, status, area); the commune
    as `unit` gives it: the former commune (`commune_code`) or the current unit (`current_code`)."""
    flags = ", ".join(INDICATORS)
    column = {"commune_code": "commune_code", "current_code": "current_code"}[unit]
    rows = _query(db, f"SELECT household_id, {column}, ethnicity, members, income_per_capita, "  # noqa: S608
                      f"social_protection, status, area, {flags} FROM classified_ids WHERE household_id IN "
                      f"(SELECT unnest($codes))", {"codes": codes})
    return {r[0]: (*r[1:6], {f for f, v in zip(INDICATORS, r[8:], strict=True) if v}, r[6], r[7]) for r in rows}


def _assert_sample_stored(db: Path) -> None:
    stored = _stored(db, list(SAMPLE), unit="current_code")
    assert set(stored) == set(SAMPLE)
    for code, (commune, ethnicity, members, income, social, deprived) in SAMPLE.items():
        got = stored[code]
        assert got[:6] == (commune, ethnicity, members, income, social, deprived), code
        assert got[6] == expected_status(got[7], income, len(deprived)), code


def _assert_rows_stored(db: Path, rows: list[dict[str, object]], year: int = 2024) -> None:
    """The generated rows (conftest.review_rows) are stored with their values and the right class."""
    codes = [str(r[LAYOUT["household_id"]]) for r in rows]
    stored = _stored(db, codes)
    assert set(stored) == set(codes)
    for row in rows:
        got = stored[str(row[LAYOUT["household_id"]])]
        deprived = {f for f in INDICATORS if row[LAYOUT[f]] == "x"}
        assert got[0] == row[LAYOUT["commune_code"]]
        assert got[2:6] == (row[LAYOUT["members"]], row[LAYOUT["income_per_capita"]],
                            row[LAYOUT["social_protection"]] == "x", deprived)
        assert got[6] == expected_status(got[7], int(row[LAYOUT["income_per_capita"]]), len(deprived))
    assert _query(db, "SELECT DISTINCT year FROM reviews WHERE household_id IN (SELECT unnest($c))",
                  {"c": codes}) == [(year,)]


def _notes(out: str) -> list[str]:
    return [line.strip().removeprefix("note: ") for line in out.splitlines() if line.strip().startswith("note:")]


# --- the shared samples ---------------------------------------------------------------------------------------------

# The note of a 2025 sample giving codes: 31846 and 31912 are former codes only (31834 is reused: the current unit).
CODES_NOTE = ("4 row(s) name former units (before 1 July 2025); read as the current units that contain them: Xã Ninh "
              "Quới (31846, Huyện Hồng Dân) → Xã Ninh Quới (31849), Xã Châu Thới (31912, Huyện Vĩnh Lợi) → Xã Châu "
              "Thới (31894)")


@pytest.mark.parametrize("sample", ["merged_commune_cells.xlsx", "one_sheet_per_commune.xlsx",
                                    "sharedstrings_nonstandard_path.xlsx", "csv_header_cells_with_line_breaks.csv"])
def test_shared_samples_load_every_household_with_its_values(sample: str, demo_db: Path, run_ingest) -> None:
    code, out, _ = run_ingest(DATA / sample, "--db", demo_db)
    assert code == 0, out
    assert f"{sample}: loaded — rows read 6, loaded 6, rejected 0; households new 6" in out
    _assert_sample_stored(demo_db)
    by_name = sample == "merged_commune_cells.xlsx"  # the others give codes
    assert formers_stored(demo_db) == (FORMER_BY_NAME if by_name else FORMER_BY_CODE)
    if sample == "one_sheet_per_commune.xlsx":
        assert _notes(out) == ["3 sheet(s) read: 'Xã 31834', 'Xã 31846', 'Xã 31912'", CODES_NOTE]


def test_shared_sample_statuses_follow_the_rule(demo_db: Path, run_ingest) -> None:
    """2025: HT26-002 (1,900,000 đồng, 2 deprivations) was in rural Xã Vĩnh Trạch, now in urban Phường Vĩnh Trạch,
    whose poor line is 2,000,000: near-poor, where in 2024 it would have been average."""
    assert run_ingest(DATA / "merged_commune_cells.xlsx", "--db", demo_db)[0] == 0
    stored = _stored(demo_db, list(SAMPLE))
    assert {c: s[6] for c, s in stored.items()} == {
        "HT26-001": "poor", "HT26-002": "near_poor", "HT26-003": "poor", "HT26-004": "above", "HT26-005": "poor",
        "HT26-006": "above"}
    assert {c: s[7] for c, s in stored.items()} == {
        "HT26-001": "urban", "HT26-002": "urban", "HT26-003": "rural", "HT26-004": "rural", "HT26-005": "rural",
        "HT26-006": "rural"}


MEMBERS_EN = "the number of household members, a whole number ≥ 1"
FORMULA_EN = "a value, but the formula has no computed value: open and save the file in Excel"
FORMULA_VI = "một giá trị, nhưng công thức chưa có giá trị tính sẵn: hãy mở tệp bằng Excel rồi lưu lại"


def test_formulas_without_a_computed_value_are_refused_cell_by_cell(demo_db: Path, run_ingest) -> None:
    before = checksum(demo_db)
    sample = DATA / "formula_mark_without_cached_value.xlsx"
    code, out, _ = run_ingest(sample, "--db", demo_db)
    assert code == 1
    name = "formula_mark_without_cached_value.xlsx"
    lines = [f"  {name}, row {r}, column 'Bảo hiểm y tế' → expected {FORMULA_EN}" for r in range(2, 8)]
    assert [line for line in out.splitlines() if line.startswith(f"  {name}")] == lines
    assert checksum(demo_db) == before
    code, out, _ = run_ingest(sample, "--db", demo_db, lang=None)
    assert f"  {name}, dòng 2, cột 'Bảo hiểm y tế' → yêu cầu: {FORMULA_VI}" in out
    assert checksum(demo_db) == before


# --- workbooks written here -----------------------------------------------------------------------------------------

def _save(path: Path, sheets: list[dict]) -> Path:
    """Write a workbook: each sheet a dict of `name`, `rows` (lists, None for empty), optional `merges` (A1 ranges),
    `state` (visible/hidden/veryHidden) and `at` (the top-left cell of `rows`)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        sheet = book.create_sheet(spec["name"])
        row0, col0 = openpyxl.utils.cell.coordinate_to_tuple(spec.get("at", "A1"))
        for i, row in enumerate(spec["rows"]):
            for j, value in enumerate(row):
                if value is not None and value != "":
                    sheet.cell(row0 + i, col0 + j, value)
        for merge in spec.get("merges", []):
            sheet.merge_cells(merge)
        sheet.sheet_state = spec.get("state", "visible")
    book.save(path)
    return path


def _values(row: dict[str, object], fields: list[str]) -> list[object]:
    return [row[LAYOUT[f]] for f in fields]


HOUSEHOLD = ["household_id", "commune_code", "ethnicity", "year", "members", "social_protection"]


def test_layout_as_communes_print_it(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """A merged title; a two-row header (`Thông tin hộ` over six columns, `Chỉ số thiếu hụt` over the twelve
    indicators, the others merged over both rows, one header with a line break); a row of column numbers; a total row;
    a signature block; a hidden sheet holding other figures for the same households; a sheet of instructions."""
    rows = review_rows(9, prefix="L")
    width = 2 + len(HOUSEHOLD) + 1 + len(INDICATOR_HEADERS)  # STT, name, household, income, indicators
    grid: list[list[object]] = [["DANH SÁCH HỘ RÀ SOÁT NĂM 2024"], [],
                                ["STT", "Họ và tên chủ hộ", "Thông tin hộ", *[None] * 5,
                                 "Thu nhập bình quân đầu người\n(đồng/tháng)", "Chỉ số thiếu hụt"],
                                [None, None, *[LAYOUT[f] for f in HOUSEHOLD], None, *INDICATOR_HEADERS],
                                [f"({k + 1})" for k in range(width)]]
    for i, row in enumerate(rows):
        grid.append([i + 1, "Nguyễn Văn A", *_values(row, HOUSEHOLD), row[LAYOUT["income_per_capita"]],
                     *[row[h] for h in INDICATOR_HEADERS]])
    grid += [["Tổng cộng", None, None, None, None, None, 30, None, 99_999_999],
             [],
             [None, "Người lập biểu", *[None] * 10, "Vĩnh Trạch, ngày 15 tháng 12 năm 2024"],
             [None, "(Ký, ghi rõ họ tên)", *[None] * 10, "TM. UBND XÃ"],
             [None, None, *[None] * 10, "CHỦ TỊCH"],
             [None, "Trần Thị Bảy", *[None] * 10, "Lê Văn Tám"]]
    total = 6 + len(rows)
    merges = ["A1:V1", "A3:A4", "B3:B4", "C3:H3", "I3:I4", "J3:U3", f"A{total}:B{total}"]
    old = [[LAYOUT[f] for f in HOUSEHOLD] + [LAYOUT["income_per_capita"]] + INDICATOR_HEADERS]
    old += [[*_values(r, HOUSEHOLD), 100, *["x"] * 12] for r in rows]  # last year's figures: all deprived
    path = _save(tmp_path / "layout.xlsx", [
        {"name": "Danh sách", "rows": grid, "merges": merges},
        {"name": "Năm trước", "rows": old, "state": "hidden"},
        {"name": "Hướng dẫn", "rows": [["Ghi x vào ô có thiếu hụt"]]},
    ])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert "layout.xlsx: loaded — rows read 9, loaded 9, rejected 0" in out
    assert _notes(out) == [
        "1 sheet(s) read: 'Danh sách'",
        "hidden sheets ignored, not read: 'Năm trước'",
        "sheets without the households' header, not read: 'Hướng dẫn'",
        "a header written over several rows, read as one: rows 3–4",
        "row of column numbers skipped: row 5",
        f"total rows skipped: rows {total}",
        f"signature block skipped: rows {total + 2}–{total + 5}",
        "personal-data columns dropped, never read: Họ và tên chủ hộ",
        "columns not used: STT",
    ]
    _assert_rows_stored(demo_db, rows)
    assert "Nguyễn Văn A" not in out and "Trần Thị Bảy" not in out


def test_three_row_header_starting_off_the_first_column(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """`Chỉ số thiếu hụt` over dimensions (`Việc làm` over employment and dependants …) over the indicators; the
    household columns merged over the three rows; the table starts at C3, so merged ranges are not at column A."""
    rows = review_rows(5, prefix="R")
    fields = [*HOUSEHOLD, "income_per_capita"]
    dimensions = ["Việc làm", "Y tế", "Giáo dục", "Nhà ở", "Nước sạch và vệ sinh", "Thông tin"]
    top = [LAYOUT[f] for f in fields] + ["Chỉ số thiếu hụt"]
    middle = [LAYOUT[f] for f in fields] + [d if k % 2 == 0 else None for k, d in
                                            enumerate(x for d in dimensions for x in (d, d))]
    bottom = [LAYOUT[f] for f in fields] + INDICATOR_HEADERS
    grid = [top, middle, bottom] + [[*_values(r, fields), *[r[h] for h in INDICATOR_HEADERS]] for r in rows]
    columns = [openpyxl.utils.get_column_letter(3 + k) for k in range(len(bottom))]
    merges = [f"{c}3:{c}5" for c in columns[:len(fields)]]
    merges.append(f"{columns[len(fields)]}3:{columns[-1]}3")
    merges += [f"{columns[len(fields) + 2 * k]}4:{columns[len(fields) + 2 * k + 1]}4" for k in range(6)]
    path = _save(tmp_path / "three.xlsx", [{"name": "Sheet1", "rows": grid, "merges": merges, "at": "C3"}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert _notes(out) == ["a header written over several rows, read as one: rows 3–5"]
    _assert_rows_stored(demo_db, rows)


def test_merged_cells_fill_every_row_they_cover(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """A commune code merged over three households, a year merged over all of them."""
    rows = review_rows(6, prefix="M")
    for i, row in enumerate(rows):
        row[LAYOUT["commune_code"]] = "31834" if i < 3 else "31912"
    header = list(rows[0])
    grid = [header] + [[r[h] if (k != 1 or i % 3 == 0) and (k != 6 or i == 0) else None
                        for k, h in enumerate(header)] for i, r in enumerate(rows)]
    assert header[1] == LAYOUT["commune_code"] and header[6] == LAYOUT["year"]
    path = _save(tmp_path / "merged.xlsx", [{"name": "A", "rows": grid, "merges": ["B2:B4", "B5:B7", "G2:G7"]}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    _assert_rows_stored(demo_db, rows)


def test_every_visible_sheet_with_the_header_is_read_and_problems_name_the_sheet(tmp_path: Path, demo_db: Path,
                                                                                   run_ingest) -> None:
    first, second = review_rows(4, prefix="P"), review_rows(3, prefix="Q")
    second[1][LAYOUT["members"]] = "ba"
    first[3][LAYOUT["members"]] = 0

    def table(rows: list[dict]) -> list[list[object]]:
        return [list(rows[0])] + [list(r.values()) for r in rows]

    path = _save(tmp_path / "two.xlsx", [{"name": "Xã B", "rows": table(second)},
                                          {"name": "Xã A", "rows": table(first)}])
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db, "--report", tmp_path / "report.csv")
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("  two.xlsx")] == [
        f"  two.xlsx [Xã B], row 3, column 'Số nhân khẩu': 'ba' → expected {MEMBERS_EN}",
        f"  two.xlsx [Xã A], row 5, column 'Số nhân khẩu': '0' → expected {MEMBERS_EN}",
    ]
    assert checksum(demo_db) == before
    code, out, _ = run_ingest(path, "--db", demo_db, "--accept-valid")
    assert code == 1
    assert "two.xlsx: loaded partly — rows read 7, loaded 5, rejected 2" in out
    rejected = (tmp_path / "two.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert [line.split(",")[:3] for line in rejected[1:]] == [["Xã B", "3", "Q00001"], ["Xã A", "5", "P00003"]]
    assert rejected[0].startswith("Trang tính (sheet),Dòng (row),Mã hộ")
    _assert_rows_stored(demo_db, [first[0], first[1], first[2], second[0], second[2]])


def test_sheets_read_together_must_have_the_same_columns(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    rows = review_rows(3)
    full = [list(rows[0])] + [list(r.values()) for r in rows]
    without_water = [[v for k, v in enumerate(r) if k != list(rows[0]).index(LAYOUT["d_water"])] for r in full]
    unit = [list(full[0])] + full[1:]
    unit[0][list(rows[0]).index(LAYOUT["income_per_capita"])] = "Thu nhập bình quân đầu người (nghìn đồng/tháng)"
    before = checksum(demo_db)
    path = _save(tmp_path / "differ.xlsx", [{"name": "A", "rows": full}, {"name": "B", "rows": without_water}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert ("  differ.xlsx → expected the same columns on every sheet listing households: sheets 'B' and 'A' "
            "differ in 'Nguồn nước sinh hoạt'") in out.splitlines()
    path = _save(tmp_path / "unit.xlsx", [{"name": "A", "rows": full}, {"name": "B", "rows": unit}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert ("  unit.xlsx → expected the same header on every sheet: sheet 'B' writes 'Thu nhập bình quân đầu người "
            "(nghìn đồng/tháng)' where sheet 'A' writes 'Thu nhập bình quân đầu người (đồng/tháng)'") in out
    assert checksum(demo_db) == before


def test_codes_and_years_stored_as_numbers_read_as_written(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    rows = review_rows(3, prefix="N")
    grid = [list(rows[0])] + [list(r.values()) for r in rows]
    for i, line in enumerate(grid[1:]):
        line[0] = float(7001 + i)  # a household code typed as a number: 7001.0 in the cell
        line[1] = float(line[1])  # 31834.0
        line[6] = 2024.0
    path = _save(tmp_path / "numbers.xlsx", [{"name": "A", "rows": grid}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert _query(demo_db, "SELECT household_id, commune_code FROM households WHERE household_id IN "
                           "('7001', '7002', '7003') ORDER BY 1") == [
        ("7001", rows[0][LAYOUT["commune_code"]]), ("7002", rows[1][LAYOUT["commune_code"]]),
        ("7003", rows[2][LAYOUT["commune_code"]])]


# --- formulas -------------------------------------------------------------------------------------------------------

def _rewrite(data: bytes, change: dict[str, object]) -> bytes:
    """The package with some parts changed: name → new bytes, a function of the old bytes, or None to drop it."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for name in source.namelist():
            new = change.get(name, source.read(name))
            if callable(new):
                new = new(source.read(name))
            if new is not None:
                dest.writestr(name, new)
        for name, new in change.items():
            if name not in source.namelist() and isinstance(new, bytes):
                dest.writestr(name, new)
    return out.getvalue()


def test_formula_siblings_refuse_only_cells_without_a_value(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """openpyxl writes formulas without values; three cells are then given what Excel writes: a computed "x", an
    empty-string result (`t="str"`, empty `<v>`), and a shared formula without a value."""
    rows = review_rows(8, prefix="F")
    header = list(rows[0])
    water = header.index(LAYOUT["d_water"])
    grid = [header] + [list(r.values()) for r in rows]
    for i in range(1, 6):
        grid[i + 1][water] = f'=IF(E{i + 2}>3,"x","")'  # spreadsheet rows 3–7
    path = _save(tmp_path / "f.xlsx", [{"name": "A", "rows": grid}])
    letter = openpyxl.utils.get_column_letter(water + 1)

    def cached(xml: bytes) -> bytes:
        xml = re.sub(rf'<c r="{letter}3"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?'.encode(),
                     rf'<c r="{letter}3"\1 t="str"><f>\2</f><v>x</v>'.encode(), xml)
        xml = re.sub(rf'<c r="{letter}4"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?'.encode(),
                     rf'<c r="{letter}4"\1 t="str"><f>\2</f><v></v>'.encode(), xml)
        return re.sub(rf'<c r="{letter}5"([^>]*)><f>[^<]*</f><v\s*/?>(</v>)?'.encode(),
                      rf'<c r="{letter}5"\1><f t="shared" si="0"/>'.encode(), xml)

    data = _rewrite(path.read_bytes(), {"xl/worksheets/sheet1.xml": cached})
    (tmp_path / "f.xlsx").write_bytes(data)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert sheet.count(b't="str"><f>') == 2 and sheet.count(b'<f t="shared" si="0"/>') == 1
    before = checksum(demo_db)
    code, out, _ = run_ingest(tmp_path / "f.xlsx", "--db", demo_db)
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("  f.xlsx")] == [
        f"  f.xlsx, row {r}, column 'Nguồn nước sinh hoạt' → expected {FORMULA_EN}" for r in (5, 6, 7)]
    assert checksum(demo_db) == before
    code, out, _ = run_ingest(tmp_path / "f.xlsx", "--db", demo_db, "--accept-valid")
    assert "f.xlsx: loaded partly — rows read 8, loaded 5, rejected 3" in out
    rows[1][LAYOUT["d_water"]] = "x"  # the computed value
    rows[2][LAYOUT["d_water"]] = ""  # the empty-string result
    _assert_rows_stored(demo_db, [rows[k] for k in (0, 1, 2, 6, 7)])


def test_excel_error_values_are_refused_never_read_as_empty(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """An error typed in a mark cell (`#N/A`: openpyxl writes it as `t="e"`) and a formula whose saved result is an
    error (`#REF!`) are both read by calamine as empty, i.e. "not deprived": each is refused, row and column named."""
    rows = review_rows(6, prefix="E")
    header = list(rows[0])
    water, btxh = header.index(LAYOUT["d_water"]), header.index(LAYOUT["social_protection"])
    grid = [header] + [list(r.values()) for r in rows]
    grid[2][water] = "#N/A"  # spreadsheet row 3
    grid[4][btxh] = "=VLOOKUP(A5,B:B,2,0)"  # spreadsheet row 5, given a cached #REF! below
    path = _save(tmp_path / "e.xlsx", [{"name": "A", "rows": grid}])
    letter = openpyxl.utils.get_column_letter(btxh + 1)

    def error_result(xml: bytes) -> bytes:
        return re.sub(rf'<c r="{letter}5"([^>]*)><f>([^<]*)</f><v\s*/?>(</v>)?'.encode(),
                      rf'<c r="{letter}5"\1 t="e"><f>\2</f><v>#REF!</v>'.encode(), xml)

    data = _rewrite(path.read_bytes(), {"xl/worksheets/sheet1.xml": error_result})
    (tmp_path / "e.xlsx").write_bytes(data)
    assert zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").count(b't="e"') == 2
    before = checksum(demo_db)
    code, out, _ = run_ingest(tmp_path / "e.xlsx", "--db", demo_db)
    expected = "a value, but the cell holds an Excel error (#N/A, #REF!, #DIV/0! …): fix the formula or type the value"
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("  e.xlsx")] == [
        f"  e.xlsx, row 3, column 'Nguồn nước sinh hoạt' → expected {expected}",
        f"  e.xlsx, row 5, column 'Hộ BTXH' → expected {expected}"]
    assert checksum(demo_db) == before


# --- packages -------------------------------------------------------------------------------------------------------

STRICT = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
          b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              b"http://purl.oclc.org/ooxml/officeDocument/relationships",
          b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main"}


def _broken(xml: bytes) -> bytes:
    """A sheet whose XML no parser accepts: a closing tag that closes nothing."""
    return xml.replace(b"<sheetData>", b"<sheetData></x>", 1)


def _missing_string(xml: bytes) -> bytes:
    """A sheet whose first cell points at a shared string that does not exist."""
    return xml.replace(b"<sheetData>", b'<sheetData><row r="1"><c r="Z1" t="s"><v>999</v></c></row>', 1)


def _shared_strings(data: bytes) -> bytes:
    """The workbook with its text cells in a shared-strings table, as Excel writes them (openpyxl writes them
    inline)."""
    table: dict[bytes, int] = {}

    def share(xml: bytes) -> bytes:
        def cell(match: re.Match[bytes]) -> bytes:
            index = table.setdefault(match.group(3), len(table))
            return b'<c %s t="s"%s><v>%d</v></c>' % (match.group(1), match.group(2), index)

        return re.sub(rb'<c ([^>]*?) ?t="inlineStr"([^>]*)><is><t[^>]*>(.*?)</t></is></c>', cell, xml)

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    data = _rewrite(data, {n: share for n in names if n.startswith("xl/worksheets/")})
    strings = b"".join(b"<si><t>%s</t></si>" % s for s in table)
    return _rewrite(data, {
        "xl/sharedStrings.xml": b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" '
                                b'uniqueCount="%d">%s</sst>' % (len(table), len(table), strings),
        "[Content_Types].xml": lambda xml: xml.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" '
                                                       b'ContentType="application/vnd.openxmlformats-officedocument.'
                                                       b'spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>", b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    })


def _strict(data: bytes) -> bytes:
    """The Strict Open XML flavour of a workbook: its namespaces and relationship types, `conformance="strict"`."""
    def convert(xml: bytes) -> bytes:
        for old, new in STRICT.items():
            xml = xml.replace(old, new)
        return xml.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)

    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return _rewrite(data, {n: convert for n in names if n.endswith((".xml", ".rels"))})


def _two_communes(tmp_path: Path) -> tuple[Path, list[dict]]:
    rows = review_rows(6, prefix="S")
    for i, row in enumerate(rows):
        row[LAYOUT["commune_code"]] = "31834" if i < 3 else "31846"
    header = list(rows[0])
    grid_a = [header] + [[v if (k != 1 or i == 0) else None for k, v in enumerate(r.values())]
                         for i, r in enumerate(rows[:3])]
    grid_b = [header] + [list(r.values()) for r in rows[3:]]
    path = _save(tmp_path / "plain.xlsx", [{"name": "Xã A", "rows": grid_a, "merges": ["B2:B4"]},
                                            {"name": "Xã B", "rows": grid_b},
                                            {"name": "Cũ", "rows": grid_b, "state": "hidden"}])
    return path, rows


def test_strict_open_xml_workbook_loads(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    path, rows = _two_communes(tmp_path)
    strict = tmp_path / "strict.xlsx"
    strict.write_bytes(_strict(path.read_bytes()))
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("xl/workbook.xml")
    code, out, _ = run_ingest(strict, "--db", demo_db)
    assert code == 0, out
    assert _notes(out) == ["2 sheet(s) read: 'Xã A', 'Xã B'", "hidden sheets ignored, not read: 'Cũ'"]
    _assert_rows_stored(demo_db, rows)


def test_unreadable_strict_workbook_is_refused_naming_the_flavour(tmp_path: Path, demo_db: Path,
                                                                  run_ingest) -> None:
    path, _ = _two_communes(tmp_path)
    broken = _rewrite(_strict(path.read_bytes()), {"xl/worksheets/sheet1.xml": _missing_string})
    (tmp_path / "broken.xlsx").write_bytes(broken)
    before = checksum(demo_db)
    code, out, err = run_ingest(tmp_path / "broken.xlsx", "--db", demo_db)
    assert code == 1 and "Traceback" not in err
    line = next(line for line in out.splitlines() if line.startswith("  broken.xlsx"))
    assert line == ("  broken.xlsx → expected a standard .xlsx workbook; a Strict Open XML workbook that cannot be "
                    "read: save it again as 'Excel Workbook (.xlsx)'")  # never the library's own words
    assert checksum(demo_db) == before


def test_parts_at_unusual_names_are_found_by_their_relationships(tmp_path: Path, demo_db: Path,
                                                                 run_ingest) -> None:
    """The workbook at `book/main.xml`, a sheet outside `xl/` reached with `..`, shared strings and styles under other
    names, a part name in other letter case than its relationship says."""
    path, rows = _two_communes(tmp_path)
    data = _shared_strings(path.read_bytes())
    (tmp_path / "shared.xlsx").write_bytes(data)
    code, out, _ = run_ingest(tmp_path / "shared.xlsx", "--db", demo_db)  # the package before moving its parts
    assert code == 0 and "rows read 6, loaded 6" in out, out
    rels = zipfile.ZipFile(io.BytesIO(data)).read("xl/_rels/workbook.xml.rels").decode()
    rels = (rels.replace('Target="/xl/worksheets/sheet1.xml"', 'Target="../data/first.xml"')
                .replace('Target="/xl/worksheets/sheet2.xml"', 'Target="/xl/worksheets/SHEET2.XML"')
                .replace('Target="styles.xml"', 'Target="look/Styles.xml"'))
    rels = rels.replace('Target="sharedStrings.xml"', 'Target="text/strings1.xml"')
    assert "../data/first.xml" in rels and "look/Styles.xml" in rels
    moved = _rewrite(data, {
        "xl/workbook.xml": None, "book/main.xml": zipfile.ZipFile(io.BytesIO(data)).read("xl/workbook.xml"),
        "xl/_rels/workbook.xml.rels": None, "book/_rels/main.xml.rels": rels
        .replace('Target="look/', 'Target="../xl/look/').replace('Target="text/', 'Target="../xl/text/').encode(),
        "_rels/.rels": lambda xml: xml.replace(b"xl/workbook.xml", b"book/main.xml"),
        "xl/worksheets/sheet1.xml": None, "data/first.xml": zipfile.ZipFile(io.BytesIO(data)).read(
            "xl/worksheets/sheet1.xml"),
        "xl/styles.xml": None, "xl/look/Styles.xml": zipfile.ZipFile(io.BytesIO(data)).read("xl/styles.xml"),
        "xl/sharedStrings.xml": None, "xl/text/strings1.xml": zipfile.ZipFile(io.BytesIO(data)).read(
            "xl/sharedStrings.xml"),
    })
    assert "xl/workbook.xml" not in zipfile.ZipFile(io.BytesIO(moved)).namelist()
    (tmp_path / "moved.xlsx").write_bytes(moved)
    code, out, _ = run_ingest(tmp_path / "moved.xlsx", "--db", demo_db, "--force")
    assert code == 0 and "rows read 6, loaded 6" in out, out
    _assert_rows_stored(demo_db, rows)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dest:
        for name, data in parts.items():
            dest.writestr(name, data)
    return out.getvalue()


NOT_XLSX = ("a readable .xlsx workbook; this one is damaged or another kind of file renamed: open it in Excel and "
            "save it as .xlsx")


@pytest.mark.parametrize(("kind", "expected"), [
    ("truncated", NOT_XLSX),
    ("encrypted", "an .xlsx workbook without a password; the workbook is password-protected or an old .xls "
                  "renamed: open it in Excel, remove the password and save it as .xlsx"),
    ("no_workbook", NOT_XLSX),
    ("bad_workbook_xml", NOT_XLSX),
    ("no_header", "no header row found in any sheet: the first rows name none of the expected columns"),
    ("bad_sheet_xml", NOT_XLSX),
    ("hidden_only", "only hidden sheets carry the households' header ('Cũ'): unhide the sheet to import and save the "
                    "file"),
])
def test_unreadable_workbooks_are_file_problems(kind: str, expected: str, tmp_path: Path, demo_db: Path,
                                                run_ingest) -> None:
    path, _ = _two_communes(tmp_path)
    good = path.read_bytes()
    data = {
        "truncated": good[: len(good) // 2],
        "encrypted": layout_ole(),
        "no_workbook": _zip({"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<x/>"}),
        "bad_workbook_xml": _rewrite(good, {"xl/workbook.xml": b"<workbook><sheets><sheet"}),
        "no_header": _save(tmp_path / "n.xlsx", [{"name": "A", "rows": [["Báo cáo"], [1, 2, 3]]}]).read_bytes(),
        "bad_sheet_xml": _rewrite(good, {"xl/worksheets/sheet2.xml": _broken}),
        "hidden_only": _save(tmp_path / "h.xlsx", [{"name": "Ghi chú", "rows": [["Xem trang Cũ"]]},
                                                    {"name": "Cũ", "rows": [list(LAYOUT.values())], "state": "hidden"}
                                                    ]).read_bytes(),
    }[kind]
    (tmp_path / "bad.xlsx").write_bytes(data)
    before = checksum(demo_db)
    code, out, err = run_ingest(tmp_path / "bad.xlsx", "--db", demo_db)
    assert code == 1 and "Traceback" not in err
    assert any(line.startswith(f"  bad.xlsx → expected {expected}") for line in out.splitlines()), out
    assert "bad.xlsx: rejected — rows read 0, loaded 0" in out
    assert checksum(demo_db) == before


def layout_ole() -> bytes:
    """The first bytes of an OLE compound file: what Excel writes for a password-protected .xlsx."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


# --- CSV ------------------------------------------------------------------------------------------------------------

def test_csv_laid_out_like_a_printed_form(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """A title, a group row above the names, a header split over two rows, a header cell with a line break, the
    column numbers `1 2 3 …`, a total row and a signature block: the same treatment as a workbook."""
    rows = review_rows(7, prefix="C")
    fields = [*HOUSEHOLD, "income_per_capita"]
    names = [LAYOUT[f] for f in fields]
    names[fields.index("members")] = "Số nhân\nkhẩu"
    names[fields.index("income_per_capita")] = "đầu người (đồng/tháng)"
    group = ["Thông tin hộ", *[""] * (len(fields) - 2), "Thu nhập bình quân", "Chỉ số thiếu hụt"]
    lines = [["DANH SÁCH HỘ RÀ SOÁT"], group + [""] * 11, names + INDICATOR_HEADERS,
             [str(k + 1) for k in range(len(names) + 12)]]
    lines += [[str(v) for v in _values(r, fields)] + [r[h] for h in INDICATOR_HEADERS] for r in rows]
    lines += [["Cộng", "", "", "", "", "", "", "10000000"], [""], ["", "", "Người lập biểu", "", "Thủ trưởng đơn vị"],
              ["", "", "(Ký, ghi rõ họ tên)"], ["", "", "Nguyễn Thị Chín"]]
    path = tmp_path / "form.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(lines)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert _notes(out) == ["a header written over several rows, read as one: rows 2–3",
                           "row of column numbers skipped: row 4", "total rows skipped: rows 12",
                           "signature block skipped: rows 14–16"]
    _assert_rows_stored(demo_db, rows)


def test_csv_header_with_line_breaks_keeps_record_numbers(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    rows = review_rows(3, prefix="B")
    headers = [h.replace(" ", "\n", 1) for h in rows[0]]
    rows[2][LAYOUT["members"]] = "0"
    path = write_csv(tmp_path / "breaks.csv", [dict(zip(headers, r.values(), strict=True)) for r in rows])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert f"  breaks.csv, row 4, column 'Số nhân khẩu': '0' → expected {MEMBERS_EN}" in out


# --- the layout rules on their own ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Tổng cộng", "TỔNG CỘNG:", "Tổng số", "Tổng", "Cộng", "Cộng:", "Total",
                                  "Tong cong", "tổng cộng xã Vĩnh Trạch"])
def test_total_labels(text: str) -> None:
    assert layout.is_total(text)


@pytest.mark.parametrize("text", ["Công", "Tống Văn Hai", "HT26-001", "Kinh", "Tổngthể", "Cộngđồng"])
def test_not_total_labels(text: str) -> None:
    assert not layout.is_total(text)


@pytest.mark.parametrize("text", ["Người lập biểu", "NGƯỜI LẬP BIỂU", "Thủ trưởng đơn vị", "Chủ tịch UBND xã",
                                  "Ngày … tháng … năm …", "Bạc Liêu, ngày 05 tháng 12 năm 2024",
                                  "(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)", "TM. UBND XÃ"])
def test_signature_labels(text: str) -> None:
    assert layout.is_signature(text)


@pytest.mark.parametrize("text", ["Kinh", "Nguyễn Văn A", "Xã Vĩnh Trạch", "x", "Ghi chú"])
def test_not_signature_labels(text: str) -> None:
    assert not layout.is_signature(text)


@pytest.mark.parametrize(("cells", "numbers"), [
    (["(1)", "(2)", "(3)", "(4)"], True), (["1", "2", "3"], True), (["1", "", "3", "4"], True),
    (["[1]", "[2]", "[3]"], True), (["1", "2"], False), (["1", "3", "2"], False), (["HT1", "2", "3"], False),
    (["(1)", "(2)", "Kinh"], False),
])
def test_numbers_rows(cells: list[str], numbers: bool) -> None:
    assert layout.is_numbers_row(cells) is numbers


def test_tidy_never_drops_a_household_for_what_another_column_says() -> None:
    frame = pd.DataFrame({
        "_c0": ["1", "2", "Tổng cộng", "", "", "3"],
        "household_id": ["H1", "H2", "", "", "", "H3"],
        "ethnicity": ["Tổng", "Kinh", "", "Người lập biểu", "", "Kinh"],
        "members": ["3", "ngày 1 tháng 2 năm 2024", "9", "", "Nguyễn B", "2"],
        "income_per_capita": ["1", "2", "3", "", "", "4"],
    })
    keep, skipped = layout.tidy(frame, np.arange(2, 8), fields=["ethnicity", "members", "income_per_capita"])
    # H1 and H2 carry words of totals and signatures in other columns: kept. H3 after the signature: kept.
    assert keep.tolist() == [True, True, False, False, False, True]
    assert (skipped.totals, skipped.signature, skipped.numbers) == ([4], [5, 6], [])


def test_header_bands() -> None:
    mapping = normalise.header_map()
    grid = [["DANH SÁCH"], ["Mã hộ", "Dân tộc", "Số nhân khẩu"], ["(1)", "(2)", "(3)"], ["H1", "Kinh", "3"]]
    band = layout.find_header(grid, mapping)
    assert (band.first, band.last, band.written) == (1, 1, ["Mã hộ", "Dân tộc", "Số nhân khẩu"])
    split = [["Mã", "Dân tộc", "Thu nhập bình quân"], ["hộ", "", "(nghìn đồng/tháng)"], ["H1", "Kinh", "1400"]]
    band = layout.find_header(split, mapping)
    assert (band.first, band.last) == (0, 1)
    assert band.written == ["Mã hộ", "Dân tộc", "Thu nhập bình quân (nghìn đồng/tháng)"]
    assert layout.find_header([["a", "b"], ["1", "2"]], mapping) is None


def test_formula_cells_without_a_reference_refuse_the_sheet(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """Cells may omit `r` (their place is then their order); a formula without a value there is refused for the
    sheet, since its row and column cannot be named from the XML."""
    data = _rewrite((DATA / "formula_mark_without_cached_value.xlsx").read_bytes(),
                    {"xl/worksheets/sheet1.xml": lambda xml: re.sub(rb'<c r="K\d+">', b"<c>", xml)})
    (tmp_path / "noref.xlsx").write_bytes(data)
    before = checksum(demo_db)
    code, out, _ = run_ingest(tmp_path / "noref.xlsx", "--db", demo_db)
    assert code == 1
    assert ("  noref.xlsx → expected sheet 'Dữ liệu' holds formulas with no computed value: open and save the file "
            "in Excel") in out.splitlines()
    assert checksum(demo_db) == before


@pytest.mark.parametrize(("value", "text"), [
    (31813.0, "31813"), (31813, "31813"), (1.5, "1.5"), (0.1 + 0.2, "0.3"), (1e16, "10000000000000000"),
    (True, "1"), (False, "0"), ("  x ", "x"), (None, ""),
    (dt.date(2024, 3, 5), "2024-03-05"), (dt.datetime(2024, 3, 5), "2024-03-05"),
    (dt.datetime(2024, 3, 5, 10, 30), "2024-03-05T10:30:00"),
])
def test_cells_read_as_a_person_sees_them(value: object, text: str) -> None:
    assert xlsx.cell_text(value) == text


def test_a_household_on_two_sheets_is_named_with_both_sheets(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """A summary sheet that repeats a commune's sheet: every household is there twice, and the report says where."""
    rows = review_rows(2, prefix="S")
    grid = [list(rows[0])] + [list(r.values()) for r in rows]
    path = _save(tmp_path / "s.xlsx", [{"name": "Tổng hợp", "rows": grid}, {"name": "VT", "rows": grid}])
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    twice = "expected each household once per year in a file; it is in rows 'Tổng hợp' 2, 'VT' 2"
    assert f"  s.xlsx [Tổng hợp], row 2, column 'Mã hộ': 'S00000' → {twice}" in out.splitlines(), out
    assert checksum(demo_db) == before


def test_a_cell_refused_for_its_formula_is_reported_once(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """An income or a household code whose formula has no value is refused for that, once: not also as "not a
    number" or "no household code", which only describe the empty text calamine reads."""
    rows = review_rows(3, prefix="W")
    header = list(rows[0])
    grid = [header] + [list(r.values()) for r in rows]
    grid[1][header.index(LAYOUT["income_per_capita"])] = "=B2*1000"  # spreadsheet row 2
    grid[2][header.index(LAYOUT["household_id"])] = '="W"&ROW()'  # spreadsheet row 3
    path = _save(tmp_path / "w.xlsx", [{"name": "A", "rows": grid}])
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert [line for line in out.splitlines() if line.startswith("  w.xlsx")] == [
        f"  w.xlsx, row 2, column '{LAYOUT['income_per_capita']}' → expected {FORMULA_EN}",
        f"  w.xlsx, row 3, column 'Mã hộ' → expected {FORMULA_EN}"]
