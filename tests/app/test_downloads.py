"""Downloads equal what the page shows: numbers rounded as displayed, XLSX number formats that display them the same
way, CSV that Excel reads as those numbers in the page's language, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import io
import json
import math
import re

import openpyxl
import pandas as pd
import pytest

from dashboard.download import FORMATS, csv_bytes, format_frame, round_cell, xlsx_bytes
from dashboard.tables import other_targets_table, progress_table
from i18n import Translator

VI, EN = Translator("vi"), Translator("en")


def _progress_rows() -> pd.DataFrame:
    """Three communes with the awkward numbers real rates have (4.3478260869565215 is 100 / 23)."""
    return pd.DataFrame({
        "unit_code": ["31825", "31942", "31837"],
        "unit_name": ["Phường 1 (TP Bạc Liêu)", "Phường 1 (TX Giá Rai)", "=HYPERLINK(\"http://x\")"],
        "district_name": ["Thành phố Bạc Liêu", "Thị xã Giá Rai", "-Huyện Vĩnh Lợi"],
        "status": ["on_track", "getting_worse", None],
        "poor_rate": [100 / 23, 0.125, 12.3456],
        "progress_ratio": [0.9549999, -1.005, None],
        "poor_change_since_baseline": [-1.234567, -0.004, 0.5],
        "path_rate": [3.999, 2.0, None],
        "baseline_rate": [5.09, 1.0 / 3, 11.0],
        "reduction_required": [1.5, 1.5, 0.0],
        "reduction_achieved": [0.75555, -0.0049, 1.0],
        "households": [1234, 987654, 12],
        "poor_households": [54, 1235, 0],
        "measure": ["poor_rate"] * 3,
        "measure_value": [100 / 23, 0.125, 12.3456],
        "goal_value": [1.0, 1.0, 1.0], "goal_strict": [True, True, True], "goal_year": [2025, 2025, 2025],
        "goal_status": ["goal_not_met", "goal_met", None],
        "unreliable": [False, False, True],
    })


def _targets_rows() -> pd.DataFrame:
    """Two of the plan's other targets: a rate (percent) and the income multiple (×)."""
    return pd.DataFrame({
        "label_vi": ["Tỷ lệ nghèo thành thị", "Thu nhập hộ nghèo ÷ chuẩn nghèo"],
        "label_en": ["Urban poor rate", "Poor households' income ÷ line"],
        "status": ["on_track", "needs_acceleration"], "kind": ["rate_below", "ratio_min"],
        "value": [0.98765, 1.456789], "baseline_value": [2.5, 1.2], "path_value": [1.0, 1.8],
        "goal_value": [1.0, 2.0], "goal_strict": [True, False], "goal_status": ["goal_met", "goal_not_met"],
        "direction": [1, -1], "target_year": [2025, 2025],
        "progress_ratio": [1.234, 0.3333], "population": [45678, 3210], "unreliable": [False, False],
    })


def _excel_display(code: str, value: float) -> str:
    """What a spreadsheet shows for `value` under the number format `code`, with English separators (an independent
    reading of the codes used here: sections `positive;negative;zero`, a literal sign, `#,##0.00`, a quoted unit)."""
    sections = code.split(";")
    if len(sections) == 3:
        section = sections[0] if value > 0 else sections[1] if value < 0 else sections[2]
    else:
        section = sections[0]
    match = re.fullmatch(r'([+-]?)(#,##)?0(?:\.(0+))?(?:"([^"]*)")?', section)
    assert match, code
    sign, grouping, decimals, unit = match.groups()
    text = f"{abs(value):{',' if grouping else ''}.{len(decimals or '')}f}"
    if len(sections) == 1 and value < 0:
        sign = "-"
    return f"{sign}{text}{unit or ''}"


def _sheet(frame: pd.DataFrame, formats: dict) -> openpyxl.worksheet.worksheet.Worksheet:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(frame, "communes_2024", formats)))
    return book.active


@pytest.mark.parametrize("table", ["progress", "targets"])
def test_xlsx_holds_numbers_rounded_as_shown_with_formats_that_display_as_the_page(table):
    frame, formats = (progress_table(_progress_rows(), EN, unit_column="col.commune", with_district=True)
                      if table == "progress" else other_targets_table(_targets_rows(), EN, 2024))
    sheet = _sheet(frame, formats)
    shown = format_frame(frame, formats, EN)  # the page's text, in English (the format codes' separators)
    assert [c.value for c in sheet[1]] == list(frame.columns)
    checked = 0
    for column, kinds in formats.items():
        j = list(frame.columns).index(column)
        for i in range(len(frame)):
            kind = kinds if isinstance(kinds, str) else kinds[i]
            cell = sheet.cell(row=i + 2, column=j + 1)
            if pd.isna(frame.iloc[i, j]):
                assert cell.value is None
                continue
            assert cell.data_type == "n", (column, cell.value)
            assert cell.number_format == FORMATS[kind].excel
            assert cell.value == round(float(frame.iloc[i, j]), FORMATS[kind].decimals)
            assert _excel_display(cell.number_format, cell.value) == shown.iloc[i, j], (column, i)
            checked += 1
    assert checked >= 20 if table == "progress" else checked == 12


def test_xlsx_rounds_to_what_the_page_shows():
    frame, formats = progress_table(_progress_rows(), VI, unit_column="col.commune", with_district=True)
    sheet = _sheet(frame, formats)
    column = {c.value: c.column for c in sheet[1]}
    rate = sheet.cell(row=2, column=column[VI("col.poor_rate")])
    assert rate.value == 4.35 and rate.number_format == "#,##0.00"  # the page: 4,35
    change = sheet.cell(row=3, column=column[VI("col.change_since_baseline")])
    assert change.value == 0  # -0.004 points: "0,00" on the page, so a zero, never a negative zero ("-0,00")
    assert round_cell(-0.004, "pts") == 0 and math.copysign(1, round_cell(-0.004, "pts")) == 1
    assert change.number_format == "+#,##0.00;-#,##0.00;0.00"
    households = sheet.cell(row=3, column=column[VI("col.households")])
    assert households.value == 987654 and households.number_format == "#,##0"
    ratio = sheet.cell(row=2, column=column[VI("col.ratio")])
    assert ratio.value == 0.95 and ratio.number_format == "#,##0.00"


def test_xlsx_header_is_bold_and_frozen_columns_fit_and_text_stays_text():
    frame, formats = progress_table(_progress_rows(), VI, unit_column="col.commune", with_district=True)
    sheet = _sheet(frame, formats)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "communes_2024"
    for cell in sheet[1]:
        width = sheet.column_dimensions[cell.column_letter].width
        longest = max(len(str(c.value or "")) for c in sheet[cell.column_letter])
        assert min(longest, 58) + 2 <= width <= 60, (cell.value, width)
    column = {c.value: c.column for c in sheet[1]}
    statuses = [sheet.cell(row=r, column=column[VI("col.status")]) for r in (2, 3, 4)]
    assert [c.value for c in statuses] == [VI.status("on_track"), VI.status("getting_worse"), VI.status(None)]
    assert all(c.data_type == "s" for c in statuses)
    codes = [sheet.cell(row=r, column=column[VI("col.code")]) for r in (2, 3, 4)]
    assert [c.value for c in codes] == ["31825", "31942", "31837"] and all(c.data_type == "s" for c in codes)


def test_other_targets_cells_carry_their_own_unit():
    frame, formats = other_targets_table(_targets_rows(), VI, 2024)
    sheet = _sheet(frame, formats)
    column = {c.value: c.column for c in sheet[1]}
    rate, income = (sheet.cell(row=r, column=column[VI("col.value")]) for r in (2, 3))
    assert (rate.value, rate.number_format) == (0.99, '#,##0.00" %"')
    assert (income.value, income.number_format) == (1.46, '#,##0.00"×"')
    shown = format_frame(frame, formats, VI)
    assert list(shown[VI("col.value")]) == ["0,99 %", "1,46×"]
    assert list(shown[VI("col.population")]) == ["45.678", "3.210"]


@pytest.mark.parametrize(("lang", "sep", "decimal"), [("vi", ";", ","), ("en", ",", ".")])
def test_csv_read_with_the_languages_separators_gives_back_the_page_text(lang, sep, decimal):
    tr = Translator(lang)
    frame, formats = progress_table(_progress_rows(), tr, unit_column="col.commune", with_district=True)
    data = csv_bytes(frame, formats, lang)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].split(sep)[:3] == list(frame.columns[:3])
    back = pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal, dtype={tr("col.code"): str})
    assert back.shape == frame.shape
    shown = format_frame(frame, formats, tr)  # what the page shows
    for column, kind in formats.items():
        assert pd.api.types.is_numeric_dtype(back[column]), column  # read as numbers, not text
        again = format_frame(back[[column]], {column: kind}, tr)[column]
        assert list(again) == list(shown[column]), column
    assert list(back[tr("col.status")]) == list(shown[tr("col.status")])
    # No thousands separator: 987,654 households are written 987654.
    assert f"{sep}987654{sep}" in text


def test_csv_vietnamese_numbers_are_plain_decimal_comma_and_signs_only_for_negatives():
    frame, formats = progress_table(_progress_rows(), VI, unit_column="col.commune", with_district=True)
    rows = csv_bytes(frame, formats, "vi").decode("utf-8-sig").splitlines()
    first = rows[1].split(";")
    header = rows[0].split(";")
    assert first[header.index(VI("col.poor_rate"))] == "4,35"
    assert first[header.index(VI("col.change_since_baseline"))] == "-1,23"
    third = rows[3].split(";")
    assert third[header.index(VI("col.change_since_baseline"))] == "0,50"  # the page's "+0,50", without the "+"
    assert third[header.index(VI("col.ratio"))] == ""  # no R: an empty cell (the page shows —)


def test_text_that_a_spreadsheet_would_run_is_neutralised_and_numbers_are_not():
    frame = pd.DataFrame({"name": ["=1+2", "+x", "-y", "@SUM(A1)", "\tz", "\rw", "Phường 1", "a=b"],
                          "change": [-1.5, 2.0, -0.25, 0.0, 1.0, -3.0, 0.125, 7.0]})
    expected = ["'=1+2", "'+x", "'-y", "'@SUM(A1)", "'\tz", "'\rw", "Phường 1", "a=b"]
    sheet = _sheet(frame, {"change": "pts"})
    # (XML turns a stored carriage return into a line feed when the file is read.)
    assert [sheet.cell(row=r, column=1).value for r in range(2, 10)] == [e.replace("\r", "\n") for e in expected]
    assert all(sheet.cell(row=r, column=1).data_type == "s" for r in range(2, 10))  # never a formula
    assert [sheet.cell(row=r, column=2).value for r in range(2, 10)] == [-1.5, 2.0, -0.25, 0.0, 1.0, -3.0, 0.12, 7.0]
    back = pd.read_csv(io.BytesIO(csv_bytes(frame, {"change": "pts"}, "vi")), sep=";", decimal=",",
                       encoding="utf-8-sig", keep_default_na=False)
    assert list(back["name"]) == expected
    assert list(back["change"]) == [-1.5, 2.0, -0.25, 0.0, 1.0, -3.0, 0.12, 7.0]
    headers = pd.DataFrame({"-risky": [1], "=sum": ["x"]})
    assert csv_bytes(headers).decode("utf-8-sig").splitlines()[0] == "'-risky;'=sum"
    assert [c.value for c in _sheet(headers, {})[1]] == ["'-risky", "'=sum"]


def _marshalled(view: object) -> tuple[list, list, str]:
    """What `st.dataframe` sends for a frame or a Styler: the data's rows, the display values' rows, the CSS (with
    the Styler's random id replaced)."""
    import pyarrow as pa
    from streamlit import dataframe_util
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    proto = ArrowData()
    marshall_styler(proto, view, "x")  # type: ignore[arg-type]
    data = dataframe_util.convert_pandas_df_to_arrow_bytes(dataframe_util.convert_anything_to_pandas_df(view))
    rows = pa.ipc.open_stream(data).read_all()
    shown = pa.ipc.open_stream(proto.styler.display_values).read_all()
    return [rows.schema, rows.to_pylist()], [shown.schema, shown.to_pylist()], \
        proto.styler.styles.replace(proto.styler.uuid, "U")


@pytest.mark.parametrize("tr", [VI, EN])
def test_the_table_shared_between_sessions_sends_what_a_fresh_styler_sends(tr: Translator) -> None:
    """`show_table` hands every session one Styler computed once (`_table_view`); Streamlit must get from it, on
    every use, exactly the data, display values and status colours a Styler made for the session would give."""
    from dashboard.download import _status_colours, _table_view

    rows = _progress_rows().assign(status=["on_track", "getting_worse", "limited_progress"])
    table, formats = progress_table(rows, tr, unit_column="col.commune", with_district=True)
    fresh = _marshalled(_status_colours(format_frame(table, formats, tr), tr))
    shared = _table_view(table, json.dumps(formats, sort_keys=True), tr)
    reordered = json.dumps(dict(reversed(formats.items())), sort_keys=True)
    assert _table_view(table.copy(deep=False), reordered, tr) is shared
    assert _marshalled(shared) == fresh == _marshalled(shared)
    assert fresh[1][1][1][tr("col.status")] == tr.status("getting_worse")  # a status cell, shown as text
    assert "background-color" in fresh[2] and fresh[2].count("background-color") == 3
