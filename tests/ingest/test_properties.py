"""Property-based tests: malformed files never crash the importer and every bad cell is named by row and column."""

from __future__ import annotations

import csv
import io
import unicodedata

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data.ingest import check, normalise, report, text
from tests.ingest.conftest import LAYOUT, review_rows
from tests.ingest.sample_files import cp1258

# No deadline and no too-slow health check: the profile of tests/conftest.py (no test depends on wall-clock speed).
SETTINGS = settings(max_examples=60,
                    suppress_health_check=[*settings().suppress_health_check, HealthCheck.function_scoped_fixture])
LETTERS = st.text(alphabet="abcdeghiklmnopqrstuvyàáảãạăâđêôơưýỳ ?!", min_size=1, max_size=12)


def _csv(rows: list[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _not_a_mark(value: str) -> bool:
    """Neither a yes nor a no mark: `o` (an empty box as Wingdings draws it) and `ý` (a crossed box) are marks."""
    folded, written = normalise.fold(value), value.strip()
    if written in normalise.TICKS or written.lower() in normalise.EMPTY_BOXES:
        return False
    unknown = folded not in normalise.FALSE_MARKS or (folded == "" and written)
    return bool(folded not in normalise.TRUE_MARKS and unknown)


@st.composite
def malformed(draw: st.DrawFn) -> tuple[str, str]:
    """(field, a value that field must reject)."""
    field = draw(st.sampled_from(["members", "income_per_capita", "d_water", "social_protection", "commune_code",
                                  "year"]))
    if field in ("members", "income_per_capita", "year"):
        value = draw(LETTERS.filter(lambda v: v.strip() and not any(c.isdigit() for c in v)))
    elif field == "commune_code":
        value = draw(st.integers(0, 99999).map(lambda n: f"{n:05d}").filter(lambda c: not c.startswith("31")))
    else:
        value = draw(LETTERS.filter(_not_a_mark))
    return field, value


@SETTINGS
@given(bad=st.lists(st.tuples(st.integers(0, 29), malformed()), min_size=1, max_size=6))
def test_every_malformed_cell_is_reported_at_its_row_and_column(warehouse, bad) -> None:
    con, ctx = warehouse
    rows = review_rows(30)
    expected = set()
    for index, (field, value) in bad:
        rows[index][LAYOUT[field]] = value
        expected.add((index + 2, LAYOUT[field]))
    checked = check(_csv(rows), "f.csv", con, context=ctx)
    reported = set(zip(checked.problems["row"].astype(int), checked.problems["column"], strict=True))
    assert expected <= reported
    assert {r for r, _ in reported} == {r for r, _ in expected}  # no other row blamed
    assert len(checked.reviews) == 30 - len({i for i, _ in bad})
    assert not checked.fatal


@SETTINGS
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(warehouse, data: bytes) -> None:
    con, ctx = warehouse
    checked = check(data, "junk.csv", con, context=ctx)
    assert checked.fatal or checked.reviews.empty or not checked.problems.empty or len(checked.reviews) >= 0
    assert list(checked.problems.columns) == ["file", "row", "column", "value", "expected_vi", "expected_en"]
    assert list(report(checked.problems, "vi").columns) == ["file", "row", "column", "value", "expected"]


@SETTINGS
@given(rows=st.lists(st.lists(st.text(max_size=8), min_size=1, max_size=25), min_size=1, max_size=8),
       header_cut=st.integers(0, 20))
def test_files_with_missing_columns_and_ragged_rows_report_instead_of_crashing(warehouse, rows, header_cut) -> None:
    con, ctx = warehouse
    header = list(review_rows(1)[0])[header_cut:]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    checked = check(buffer.getvalue().encode(), "r.csv", con, context=ctx)
    if header_cut > 0:  # the household code (first column) is missing at least
        assert checked.fatal and len(checked.reviews) == 0
    assert set(checked.problems["file"]) <= {"r.csv"}


CELLS = st.one_of(
    st.none(), st.sampled_from(list(LAYOUT.values())), LETTERS, st.integers(-5, 40_000_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(["x", "Tổng cộng", "Cộng", "(1)", "(2)", "Người lập biểu", "ngày 5 tháng 3 năm 2024", "31834",
                     "=1+1", "=A1", '=IF(B2>1,"x","")', "#N/A", "=SUM(", "Chỉ số thiếu hụt", "Thông tin hộ"]),
)


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    """A workbook of one to three sheets (some hidden), each a few rows of mixed cells, often starting with the
    import header, with merged ranges anywhere (overlapping ones too)."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    header = list(LAYOUT.values())
    for k in range(draw(st.integers(1, 3))):
        sheet = book.create_sheet(f"Trang {k}")
        rows = draw(st.lists(st.lists(CELLS, max_size=24), max_size=8))
        if draw(st.booleans()):
            rows.insert(draw(st.integers(0, len(rows))), header[draw(st.integers(0, 3)):])
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                if value is not None:
                    sheet.cell(i + 1, j + 1, value)
        for _ in range(draw(st.integers(0, 4))):
            r0, c0 = draw(st.integers(1, 10)), draw(st.integers(1, 22))
            sheet.merge_cells(start_row=r0, start_column=c0, end_row=r0 + draw(st.integers(0, 4)),
                              end_column=c0 + draw(st.integers(0, 4)))
        sheet.sheet_state = draw(st.sampled_from(["visible", "visible", "hidden"]))
    if all(s.sheet_state != "visible" for s in book.worksheets):
        book.worksheets[0].sheet_state = "visible"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@SETTINGS
@given(data=workbooks())
def test_malformed_workbooks_with_merged_cells_and_sheets_never_crash(warehouse, data: bytes) -> None:
    con, ctx = warehouse
    checked = check(data, "w.xlsx", con, context=ctx)
    assert list(checked.problems.columns) == ["file", "row", "column", "value", "expected_vi", "expected_en"]
    assert all(f == "w.xlsx" or f.startswith("w.xlsx [Trang ") for f in checked.problems["file"])
    assert checked.fatal or checked.rows_read == len(checked.reviews) + len(checked.rejected)


@SETTINGS
@given(cuts=st.lists(st.tuples(st.integers(0, 10_000), st.binary(min_size=0, max_size=6)), min_size=1, max_size=4))
def test_damaged_workbooks_never_crash(warehouse, cuts: list[tuple[int, bytes]]) -> None:
    """A valid workbook with bytes overwritten or cut: read, or refused as a file problem."""
    con, ctx = warehouse
    data = bytearray(_workbook_bytes())
    for at, patch in cuts:
        at %= len(data)
        data[at:at + max(len(patch), 1)] = patch
    checked = check(bytes(data), "d.xlsx", con, context=ctx)
    assert checked.fatal or not checked.problems.empty or len(checked.reviews) == 6


_WORKBOOK: list[bytes] = []


def _workbook_bytes() -> bytes:
    """Six valid households in a workbook, the first two in one commune written once in a merged cell (made once)."""
    if not _WORKBOOK:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        rows = review_rows(6)
        rows[1][LAYOUT["commune_code"]] = ""
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([None if v == "" else v for v in row.values()])
        sheet.merge_cells("B2:B3")
        out = io.BytesIO()
        book.save(out)
        _WORKBOOK.append(out.getvalue())
    return _WORKBOOK[0]


@given(n=st.integers(0, 2_000_000_000), style=st.sampled_from([".", ",", " ", ""]), suffix=st.sampled_from(
    ["", " đ", "đ", " VND"]))
def test_numbers_written_with_thousand_separators_parse_back(n: int, style: str, suffix: str) -> None:
    text = f"{n:,}".replace(",", style) + suffix
    values, bad = normalise.parse_numbers(pd.Series([text]))
    assert not bad[0] and values[0] == n


# --- encodings -----------------------------------------------------------------------------------------------------

VIETNAMESE_LETTERS = "".join(sorted({unicodedata.normalize("NFC", v + t) for v in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
                                     for t in ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]} | set("đĐ")))
VIETNAMESE_TEXT = st.text(alphabet=VIETNAMESE_LETTERS + "bcghklmnpqrstvx -,.0123456789", max_size=40)
ENCODERS = {
    "tcvn3": lambda s: text.to_tcvn3(s).encode("cp1252"),
    "vni": lambda s: text.to_vni(s).encode("cp1252"),
    "cp1258": cp1258,
    "utf-16": lambda s: s.encode("utf-16"),
}


@SETTINGS
@given(words=VIETNAMESE_TEXT)
def test_tcvn3_and_vni_round_trip(words: str) -> None:
    assert text.from_vni(text.to_vni(words)) == words
    # TCVN3 has no capital toned letters: they come back in lower case, everything else as it was.
    lowered = "".join(c.lower() if c not in "ĂÂÊÔƠƯĐ" and not c.isascii() else c for c in words)
    assert text.from_tcvn3(text.to_tcvn3(words)) == lowered


@SETTINGS
@given(data=st.binary(max_size=300), encoding=st.sampled_from(["tcvn3", "vni", "cp1258", "utf-16"]))
def test_random_bytes_in_a_legacy_encoding_never_crash(warehouse, data: bytes, encoding: str) -> None:
    """A real header in the encoding, then any bytes valid in it: a report, never a crash."""
    con, ctx = warehouse
    header = ",".join(LAYOUT.values()) + "\n"
    if encoding in ("tcvn3", "vni"):
        legacy = text.to_tcvn3 if encoding == "tcvn3" else text.to_vni
        body = (legacy(header) + data.decode("cp1252", errors="ignore")).encode("cp1252", errors="ignore")
    elif encoding == "cp1258":
        body = cp1258(header) + data.decode("cp1258", errors="ignore").encode("cp1258", errors="ignore")
    else:
        body = (header + data.decode("utf-16-le", errors="ignore")).encode("utf-16", errors="surrogatepass")
    checked = check(body, "noise.csv", con, context=ctx)
    assert list(checked.problems.columns) == ["file", "row", "column", "value", "expected_vi", "expected_en"]
    assert checked.fatal or len(checked.reviews) + len(checked.rejected) == checked.rows_read


@settings(SETTINGS, max_examples=25)
@given(cells=st.lists(st.tuples(st.integers(0, 11), st.sampled_from(["ethnicity", "d_water", "social_protection"]),
                                st.sampled_from(["Khơ-me", "Chăm", "Tày", "Ê-đê", "có", "không", "thiếu hụt", "Có",
                                                 "Không", "x", "Hoa", "Kinh", "Mường", "Xơ-đăng"])),
                      max_size=8),
       encoding=st.sampled_from(sorted(ENCODERS)))
def test_a_file_in_any_vietnamese_encoding_reads_as_in_utf8(warehouse, cells, encoding: str) -> None:
    con, ctx = warehouse
    rows = review_rows(12)
    for index, field, value in cells:
        rows[index][LAYOUT[field]] = value
    content = _csv(rows).decode("utf-8")
    reference = check(content.encode("utf-8"), "f.csv", con, context=ctx)
    converted = check(ENCODERS[encoding](content), "f.csv", con, context=ctx)
    pd.testing.assert_frame_equal(converted.reviews, reference.reviews)
    pd.testing.assert_frame_equal(converted.households, reference.households)
    where = ["row", "column"]
    assert converted.problems[where].values.tolist() == reference.problems[where].values.tolist()


@given(n=st.integers(0, 999_999_999), cents=st.integers(0, 99), style=st.sampled_from(["vi", "en"]))
def test_numbers_with_decimals_in_either_convention_parse_back(n: int, cents: int, style: str) -> None:
    english = f"{n:,}.{cents:02d}"
    written = english if style == "en" else english.replace(",", " ").replace(".", ",").replace(" ", ".")
    value, scaled = normalise.parse_amount(written)
    assert not scaled and value == pytest.approx(n + cents / 100)
