"""The annual report workbook (`python -m reports.annual`), read back with openpyxl.

Every table's total row equals the dashboard's own figures (queries/poor_rate_progress.sql for the results, the
total level of queries/poverty_flows.sql for the changes); every row's accounting holds (end = start − out + in);
every subtotal is the sum of its communes and the total the sum of the subtotals; the deprivation and group tables
match a pandas count over the `classified` view; headers are merged as laid out and the sheets are set up for print.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest

from i18n import TEXT
from queries.runner import clear_caches
from queries.runner import run as runner_run
from queries.sql import execute
from reports.annual import NoReviews, annual_workbook, connection_runner, main

SHEETS = ["01 Kết quả rà soát", "02 Biến động hộ nghèo", "03 Biến động hộ cận nghèo", "04a Thiếu hụt - hộ nghèo",
          "04b Thiếu hụt - hộ cận nghèo", "05 Dân tộc, bảo trợ xã hội"]
RESULTS, FLOWS_POOR, FLOWS_NEAR, DEPRIVED_POOR, DEPRIVED_NEAR, GROUPS = SHEETS
TOTAL = TEXT["report.row.total"]["vi"]
UNKNOWN = TEXT["report.row.unknown"]["vi"]
ROMAN = {"I", "II", "III", "IV", "V", "VI", "VII"}
# The changes tables' columns (the column numbers the sheet prints): start, out total, out categories, in total, in
# categories, end; each category the `flow_categories` rows it shows.
FLOW_COLUMNS = {
    "poor": {3: "start", 4: "out", 5: ["escaped_to_near_poor"], 6: ["escaped_above"], 7: ["left", "reclassified_out"],
             8: "in", 9: ["from_near_poor"], 10: ["fell_back"], 11: ["newly_poor"], 12: ["joined", "reclassified_in"],
             13: "end"},
    "near_poor": {3: "start", 4: "out", 5: ["became_poor"], 6: ["escaped_above"], 7: ["left", "reclassified_out"],
                  8: "in", 9: ["from_poor"], 10: ["fell_back"], 11: ["newly_near_poor"],
                  12: ["joined", "reclassified_in"], 13: "end"},
}
FLOW_SHEET = {"poor": FLOWS_POOR, "near_poor": FLOWS_NEAR}
COUNT_COLUMNS = {RESULTS: [3, 4, 6], FLOWS_POOR: list(range(3, 14)), FLOWS_NEAR: list(range(3, 14)),
                 DEPRIVED_POOR: [3, *range(4, 28, 2)], DEPRIVED_NEAR: [3, *range(4, 28, 2)], GROUPS: list(range(3, 17))}
RATE_COLUMNS = {RESULTS: [5, 7], DEPRIVED_POOR: list(range(5, 28, 2)), DEPRIVED_NEAR: list(range(5, 28, 2))}
ETHNIC = ["kinh", "khmer", "hoa", "other"]


@dataclass
class Line:
    row: int  # spreadsheet row
    level: str  # 'district', 'commune', 'unknown', 'total'
    name: str
    district: str | None  # the subtotal row's name a commune sits under
    cells: dict[int, object]  # column number → value


@dataclass
class Sheet:
    numbers_row: int
    width: int
    lines: list[Line]

    def total(self) -> Line:
        (line,) = [x for x in self.lines if x.level == "total"]
        return line

    def of(self, level: str) -> list[Line]:
        return [x for x in self.lines if x.level == level]


def parse(ws: openpyxl.worksheet.worksheet.Worksheet) -> Sheet:
    """The rows under the row of column numbers, each with its level read from the TT cell and the name."""
    numbers_row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "(1)")
    width = 0
    while ws.cell(numbers_row, width + 1).value == f"({width + 1})":
        width += 1
    lines, district = [], None
    for r in range(numbers_row + 1, ws.max_row + 1):
        number, name = ws.cell(r, 1).value, ws.cell(r, 2).value
        if name is None:
            continue
        if name == TOTAL:
            level = "total"
        elif name == UNKNOWN:
            level = "unknown"
        elif number in ROMAN:
            level, district = "district", name
        else:
            level = "commune"
        lines.append(Line(r, level, name, district if level == "commune" else None,
                          {c: ws.cell(r, c).value for c in range(1, width + 1)}))
    return Sheet(numbers_row, width, lines)


@pytest.fixture(scope="module")
def sheets(workbook: Callable[..., openpyxl.Workbook]) -> Callable[..., dict[str, Sheet]]:
    def get(year: int, units: str | None = None) -> dict[str, Sheet]:
        book = workbook(year, units)
        return {name: parse(book[name]) for name in book.sheetnames}

    return get


def classified(con: duckdb.DuckDBPyConnection, year: int, units: str) -> pd.DataFrame:
    """One year's reviews from the `classified` view, with the unit (and group) of the report's unit set."""
    frame = con.execute("SELECT * FROM classified WHERE year = ?", [year]).df()
    if units == "current":
        frame["commune_code"] = frame["current_code"]
    return frame


def unit_names(con: duckdb.DuckDBPyConnection, units: str) -> dict[str, str]:
    """Display label → unit code (the names the report's rows carry)."""
    rows = con.execute("SELECT unit_name, unit_code FROM places WHERE unit_set = ? AND level = 'commune'",
                       [units]).fetchall()
    return dict(rows)


# --- the whole province: the dashboard's own figures ---------------------------------------------------------------

@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "current"), (2025, "former")])
def test_results_total_is_the_dashboards_figures(year: int, units: str, sheets, con) -> None:
    total = sheets(year, units)[RESULTS].total().cells
    progress = execute(con, "poor_rate_progress", {"units": units, "level": "total", "district": [], "area": "all",
                                                   "group": "all"})
    expected = progress[progress["year"] == year].iloc[0]
    assert (total[3], total[4], total[6]) == (expected["households"], expected["poor_households"],
                                              expected["near_poor_households"])
    assert total[5] == pytest.approx(expected["poor_rate"] / 100, abs=1e-12)
    assert total[7] == pytest.approx(expected["near_poor_rate"] / 100, abs=1e-12)
    assert expected["households"] > 10_000 and expected["poor_households"] > 50  # real figures, not an empty year


@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "current"), (2025, "former")])
@pytest.mark.parametrize("cls", ["poor", "near_poor"])
def test_changes_total_is_poverty_flows_at_level_total(cls: str, year: int, units: str, sheets, con) -> None:
    total = sheets(year, units)[FLOW_SHEET[cls]].total().cells
    flows = execute(con, "poverty_flows", {"units": units, "level": "total", "district": [], "area": "all",
                                           "group": "all", "year": year})
    flows = flows[flows["class"] == cls]
    households = dict(zip(zip(flows["side"], flows["flow"], strict=True), flows["households"], strict=True))
    assert total[3] == flows.loc[flows["side"] == "out", "households"].sum()
    assert total[13] == flows.loc[flows["side"] == "in", "households"].sum()
    for column, categories in FLOW_COLUMNS[cls].items():
        if isinstance(categories, list):
            assert total[column] == sum(households.get((side, c), 0) for side in ("out", "in") for c in categories), \
                column
    assert total[4] == flows.loc[(flows["side"] == "out") & (flows["sign"] == -1), "households"].sum()
    assert total[8] == flows.loc[(flows["side"] == "in") & (flows["sign"] == 1), "households"].sum()
    assert total[4] > 0 and total[8] > 0


# --- every row ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("year", "units"), [(2023, "former"), (2024, "former"), (2025, "current"), (2025, "former")])
@pytest.mark.parametrize("cls", ["poor", "near_poor"])
def test_accounting_holds_in_every_row(cls: str, year: int, units: str, sheets) -> None:
    """end = start − out + in, and each total is the sum of its categories: communes, subtotals, unknown, total."""
    sheet = sheets(year, units)[FLOW_SHEET[cls]]
    assert len(sheet.lines) > 25
    for line in sheet.lines:
        c = line.cells
        assert c[4] == c[5] + c[6] + c[7], line.name
        assert c[8] == c[9] + c[10] + c[11] + c[12], line.name
        assert c[13] == c[3] - c[4] + c[8], line.name


@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "former")])
@pytest.mark.parametrize("sheet_name", SHEETS)
def test_subtotals_are_the_sums_of_their_communes(sheet_name: str, year: int, units: str, sheets) -> None:
    sheet = sheets(year, units)[sheet_name]
    districts = sheet.of("district")
    assert len(districts) == 7 and len(sheet.of("commune")) == 64
    for district in districts:
        communes = [x for x in sheet.of("commune") if x.district == district.name]
        assert communes, district.name
        for column in COUNT_COLUMNS[sheet_name]:
            assert district.cells[column] == sum(x.cells[column] for x in communes), (district.name, column)
    for column in COUNT_COLUMNS[sheet_name]:  # the total: the districts and the households of no known commune
        assert sheet.total().cells[column] == sum(x.cells[column] for x in [*districts, *sheet.of("unknown")])


def test_a_former_units_report_of_2025_has_the_unknown_commune_row(sheets, con) -> None:
    """Households known only under the current units count in the total only, on their own row."""
    unknown = {name: sheet.of("unknown") for name, sheet in sheets(2025, "former").items()}
    assert all(len(lines) == 1 for lines in unknown.values())
    reviews = con.execute("SELECT count(*) FROM classified WHERE year = 2025 AND commune_code IS NULL").fetchone()[0]
    assert reviews > 0 and unknown[RESULTS][0].cells[3] == reviews
    assert all(not sheet.of("unknown") for sheet in sheets(2024, "former").values())


@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "current")])
def test_the_changes_end_where_the_results_stand_and_start_where_last_year_stood(year: int, units: str,
                                                                                sheets) -> None:
    """Without filters the poor (near-poor) at the end of the changes are the year's poor (near-poor), row by row,
    and those at the start the previous year's, in the same units."""
    now, before = sheets(year, units), sheets(year - 1, units)
    results = {x.name: x.cells for x in now[RESULTS].lines}
    previous = {x.name: x.cells for x in before[RESULTS].lines}
    for cls, column in (("poor", 4), ("near_poor", 6)):
        for line in now[FLOW_SHEET[cls]].lines:
            assert line.cells[13] == results[line.name][column], (cls, line.name)
            assert line.cells[3] == previous[line.name][column], (cls, line.name)


def test_rates_are_their_counts_over_the_households(sheets) -> None:
    for line in sheets(2024, "former")[RESULTS].lines:
        c = line.cells
        assert c[5] == pytest.approx(c[4] / c[3]) and c[7] == pytest.approx(c[6] / c[3]), line.name


# --- the deprivation and group tables against pandas -------------------------------------------------------------

@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "current")])
@pytest.mark.parametrize("cls", ["poor", "near_poor"])
def test_deprivations_match_a_count_in_pandas(cls: str, year: int, units: str, sheets, con) -> None:
    sheet = sheets(year, units)[DEPRIVED_POOR if cls == "poor" else DEPRIVED_NEAR]
    indicators = con.execute("SELECT indicator FROM indicators ORDER BY position").df()["indicator"].tolist()
    reviews = classified(con, year, units)
    reviews = reviews[reviews["status"] == cls]
    by_unit = reviews.groupby("commune_code")
    codes = unit_names(con, units)
    checked = 0
    for line in sheet.of("commune"):
        code = codes[line.name]
        group = by_unit.get_group(code) if code in by_unit.groups else reviews.iloc[:0]
        assert line.cells[3] == len(group), line.name
        for k, indicator in enumerate(indicators):
            deprived = int(group[f"d_{indicator}"].sum())
            assert line.cells[4 + 2 * k] == deprived, (line.name, indicator)
            assert line.cells[5 + 2 * k] == (pytest.approx(deprived / len(group)) if len(group) else None)
            checked += deprived
    total = sheet.total().cells
    assert total[3] == len(reviews)
    assert [total[4 + 2 * k] for k in range(12)] == [int(reviews[f"d_{i}"].sum()) for i in indicators]
    assert checked > 100


@pytest.mark.parametrize(("year", "units"), [(2024, "former"), (2025, "current")])
def test_groups_match_a_count_in_pandas(year: int, units: str, sheets, con) -> None:
    sheet = sheets(year, units)[GROUPS]
    reviews = classified(con, year, units)
    codes = unit_names(con, units)
    for line in [*sheet.of("commune"), sheet.total()]:
        mine = reviews if line.level == "total" else reviews[reviews["commune_code"] == codes[line.name]]
        for cls, first in (("poor", 3), ("near_poor", 10)):
            of_class = mine[mine["status"] == cls]
            expected = [len(of_class), *[int((of_class["ethnicity"] == e).sum()) for e in ETHNIC],
                        int(of_class["social_protection"].sum()), int((~of_class["social_protection"]).sum())]
            assert [line.cells[first + k] for k in range(7)] == expected, (line.name, cls)
    total = sheet.total().cells
    assert total[5] > 0 and total[8] > 0  # Khmer poor households and poor beneficiaries exist in the demo


# --- the current units -----------------------------------------------------------------------------------------------

def test_2025_defaults_to_the_current_units_without_districts(workbook, sheets, con) -> None:
    book = workbook(2025)
    assert book.sheetnames == SHEETS
    scope = book[RESULTS].cell(3, 1).value
    assert "25 xã, phường" in scope and "không có dòng cộng huyện" in scope
    for name, sheet in sheets(2025).items():
        assert not sheet.of("district") and not sheet.of("unknown"), name
        assert len(sheet.of("commune")) == 25, name
        assert {x.name for x in sheet.of("commune")} == set(unit_names(con, "current")), name
        for column in COUNT_COLUMNS[name]:
            assert sheet.total().cells[column] == sum(x.cells[column] for x in sheet.of("commune")), (name, column)
    assert workbook(2024)[RESULTS].cell(3, 1).value.startswith("Tỉnh Bạc Liêu: 64 xã, phường, thị trấn trong 7 ")


# --- layout and print ------------------------------------------------------------------------------------------------

def merged(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    """Merged ranges below the title block, by the text of their top-left cell."""
    return {str(ws.cell(r.min_row, r.min_col).value): r.coord for r in ws.merged_cells.ranges if r.min_row > 5}


def test_headers_are_merged_as_laid_out(workbook) -> None:
    book = workbook(2024)
    flows = book[FLOWS_POOR]
    top = parse(flows).numbers_row - 3
    ranges = merged(flows)
    assert ranges["TT"] == f"A{top}:A{top + 2}"
    assert ranges["Đơn vị hành chính"] == f"B{top}:B{top + 2}"
    assert ranges["Số hộ nghèo đầu kỳ"] == f"C{top}:C{top + 2}"
    assert ranges["Số hộ nghèo giảm"] == f"D{top}:G{top}"
    assert ranges["Thoát nghèo"] == f"E{top + 1}:F{top + 1}"
    assert ranges["Ra khỏi địa bàn, không còn rà soát"] == f"G{top + 1}:G{top + 2}"
    assert ranges["Số hộ nghèo tăng"] == f"H{top}:L{top}"
    assert ranges["Hộ tái nghèo"] == f"J{top + 1}:J{top + 2}"
    assert ranges["Số hộ nghèo cuối kỳ"] == f"M{top}:M{top + 2}"
    assert flows.cell(top + 2, 5).value == "Trở thành hộ cận nghèo"
    assert [flows.cell(top + 3, c).value for c in range(1, 14)] == [f"({c})" for c in range(1, 14)]
    results = book[RESULTS]
    top = parse(results).numbers_row - 2
    assert merged(results)["Hộ nghèo"] == f"D{top}:E{top}"
    assert [results.cell(top + 1, c).value for c in (4, 5)] == ["Số hộ", "Tỷ lệ"]
    deprived = book[DEPRIVED_POOR]
    top = parse(deprived).numbers_row - 3
    ranges = merged(deprived)
    assert ranges["Chiều việc làm"] == f"D{top}:G{top}"
    assert ranges["Thiếu hụt chỉ số 1: Việc làm"] == f"D{top + 1}:E{top + 1}"
    assert ranges["Thiếu hụt chỉ số 12: Phương tiện phục vụ tiếp cận thông tin"] == f"Z{top + 1}:AA{top + 1}"
    groups = book[GROUPS]
    top = parse(groups).numbers_row - 3
    assert merged(groups)["Hộ nghèo"] == f"C{top}:I{top}" and merged(groups)["Hộ cận nghèo"] == f"J{top}:P{top}"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_sheet_is_print_ready(lang: str, workbook) -> None:
    book = workbook(2024, lang=lang)
    assert len(book.sheetnames) == 6 and all(len(name) <= 31 for name in book.sheetnames)
    for ws in book.worksheets:
        sheet = parse(ws)
        header_top = next(r for r in range(1, sheet.numbers_row) if ws.cell(r, 1).value in ("TT", "No."))
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${header_top}:${sheet.numbers_row}"  # the header and its column numbers
        assert ws.freeze_panes == f"C{sheet.numbers_row + 1}"
        assert ws.oddFooter.center.text


def test_numbers_are_numbers_with_display_formats(workbook) -> None:
    book = workbook(2024)
    for name, columns in COUNT_COLUMNS.items():
        ws = book[name]
        sheet = parse(ws)
        for line in sheet.lines:
            for column in columns:
                cell = ws.cell(line.row, column)
                assert isinstance(cell.value, int) and cell.number_format == "#,##0", (name, cell.coordinate)
    for name, columns in RATE_COLUMNS.items():
        ws = book[name]
        for line in parse(ws).lines:
            for column in columns:
                cell = ws.cell(line.row, column)
                assert cell.number_format == "0.00%", (name, cell.coordinate)
                assert cell.value is None or (isinstance(cell.value, int | float) and 0 <= cell.value <= 1)


def test_the_workbook_says_what_it_is(workbook) -> None:
    book = workbook(2024)
    assert "PovertyDashboardReport" in book.defined_names
    assert "PovertyDashboardReport" in book.properties.keywords.split()
    ws = book[RESULTS]
    texts = [ws.cell(r, 1).value for r in range(1, 9)]
    assert texts[:2] == ["Biểu số 01", "KẾT QUẢ RÀ SOÁT HỘ NGHÈO, HỘ CẬN NGHÈO NĂM 2024"]
    assert "DỮ LIỆU MINH HỌA, KHÔNG PHẢI SỐ LIỆU THẬT." in texts  # the demo warehouse is said to be one
    assert any(t and "Chưa đối chiếu được với mẫu chính thức" in t for t in texts)


# --- a year without a previous review, the command -----------------------------------------------------------------

def test_a_year_without_a_previous_review_keeps_every_other_table(workbook, sheets) -> None:
    book = workbook(2021)
    for name in (FLOWS_POOR, FLOWS_NEAR):
        sheet = parse(book[name])
        assert sheet.lines == []
        assert book[name].cell(sheet.numbers_row + 1, 1).value == (
            "Kho dữ liệu không có kết quả rà soát năm 2020 nên không lập được biểu diễn biến so với kỳ trước.")
    results = sheets(2021)[RESULTS].total().cells
    assert results[5] == pytest.approx(0.0509, abs=5e-5)  # the published baseline rate, 5.09 %


def test_the_command_writes_the_workbook(report_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "bao_cao_2024.xlsx"
    assert main(["--year", "2024", str(out), "--db", str(report_db)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == f"Đã ghi báo cáo năm 2024 (đơn vị trước sáp nhập) vào {out}"
    assert captured.err == ""
    assert openpyxl.load_workbook(out).sheetnames == SHEETS


@pytest.mark.parametrize(("lang", "message"), [
    ("vi", "Lỗi: kho dữ liệu không có kết quả rà soát năm 2019 (các năm có: 2021, 2022, 2023, 2024, 2025); không "
           "ghi tệp nào."),
    ("en", "error: the warehouse holds no review for 2019 (years held: 2021, 2022, 2023, 2024, 2025); nothing "
           "written."),
])
def test_the_command_refuses_a_year_without_reviews(lang: str, message: str, report_db: Path, tmp_path: Path,
                                                    capsys) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["--year", "2019", str(out), "--db", str(report_db), "--lang", lang]) == 1
    captured = capsys.readouterr()
    assert captured.err.strip() == message and captured.out == ""
    assert not out.exists()


def test_the_command_notes_a_missing_previous_review(report_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.xlsx"
    assert main(["--year", "2021", str(out), "--db", str(report_db), "--lang", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.err.strip() == ("note: there is no 2020 review; tables 02 and 03 (changes) say the previous "
                                    "review is missing, the other tables are complete.")
    assert out.exists()


def test_the_command_refuses_a_missing_warehouse_and_a_wrong_name(tmp_path: Path, report_db: Path, capsys) -> None:
    missing = tmp_path / "none.duckdb"
    assert main(["--year", "2024", str(tmp_path / "r.xlsx"), "--db", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == (f"Lỗi: không có kho dữ liệu ở {missing}: hãy tạo bằng lệnh python -m "
                                               "data.build.")
    assert main(["--year", "2024", str(tmp_path / "r.csv"), "--db", str(report_db)]) == 2
    assert capsys.readouterr().err.strip() == f"Lỗi: tệp báo cáo phải có đuôi .xlsx: {tmp_path / 'r.csv'}"
    assert not (tmp_path / "r.csv").exists()


def test_the_command_refuses_a_file_that_is_no_warehouse_and_an_unwritable_path(tmp_path: Path, report_db: Path,
                                                                                capsys) -> None:
    """No traceback and no library or system message: what went wrong in the reader's language."""
    fake = tmp_path / "fake.duckdb"
    fake.write_bytes(b"not a database" * 100)
    for db in (fake, tmp_path):
        assert main(["--year", "2024", str(tmp_path / "r.xlsx"), "--db", str(db)]) == 2
        err = capsys.readouterr().err.strip()
        assert err == (f"Lỗi: {db} không phải kho dữ liệu của phiên bản này: hãy chỉ đến kho do lệnh python -m "
                       "data.build tạo ra.")
    out = tmp_path / "no_such_folder" / "r.xlsx"
    assert main(["--year", "2024", str(out), "--db", str(report_db), "--lang", "en"]) == 2
    assert capsys.readouterr().err.strip() == (f"error: cannot write {out} (no such folder, no permission to write, "
                                               "or a folder).")


def test_a_partial_year_has_no_changes_tables(report_db: Path, tmp_path: Path, capsys) -> None:
    """A 2025 review of one unit only: its households reached would be all, the others would read as having left.
    Tables 02 and 03 say why there are none (as the flows page does); table 01 still counts the unit's households."""
    from data.warehouse import refresh_classified

    partial = tmp_path / "partial.duckdb"
    shutil.copy(report_db, partial)
    with duckdb.connect(str(partial)) as con:
        kept = con.execute("SELECT min(current_code) FROM classified WHERE year = 2025").fetchone()[0]
        con.execute("DELETE FROM review_rows WHERE year = 2025 AND household_key IN "
                    "(SELECT household_key FROM households WHERE current_code <> $kept)", {"kept": kept})
        refresh_classified(con, [2025])
        reviewed = con.execute("SELECT count(*) FROM classified WHERE year = 2025").fetchone()[0]
    out = tmp_path / "r.xlsx"
    assert main(["--year", "2025", str(out), "--db", str(partial)]) == 0
    assert capsys.readouterr().err.strip() == ("Lưu ý: kết quả rà soát năm 2025 chưa đủ; biểu 02 và 03 (diễn biến) ghi "
                                               "rõ lý do không lập, các biểu khác vẫn có.")
    book = openpyxl.load_workbook(out)
    for name in SHEETS[1:3]:
        text = [str(v) for row in book[name].iter_rows(values_only=True) for v in row if v is not None]
        assert any(t.startswith("Kết quả rà soát năm 2025 chưa đủ") for t in text), name
        assert not [v for row in book[name].iter_rows(values_only=True) for v in row
                    if isinstance(v, (int, float))], name
    totals = [row for row in book[SHEETS[0]].iter_rows(values_only=True) if row[1] == "Tổng cộng"]
    assert totals and totals[0][2] == reviewed


def test_the_library_raises_for_a_year_without_reviews(con) -> None:
    with pytest.raises(NoReviews) as caught:
        annual_workbook(connection_runner(con), 2030)
    assert caught.value.years == [2021, 2022, 2023, 2024, 2025]


def test_the_pages_runner_builds_the_same_tables(report_db: Path, workbook, monkeypatch) -> None:
    """The flows page calls it with `queries.runner.run` (cached, on the app's read-only connection)."""
    monkeypatch.setenv("POVERTY_DB", str(report_db))
    clear_caches()
    try:
        book = openpyxl.load_workbook(io.BytesIO(annual_workbook(runner_run, 2024)))
    finally:
        clear_caches()
    mine = workbook(2024)
    for name in SHEETS:
        size = {"max_row": book[name].max_row, "max_col": book[name].max_column, "values_only": True}
        assert list(book[name].iter_rows(**size)) == list(mine[name].iter_rows(**size)), name
