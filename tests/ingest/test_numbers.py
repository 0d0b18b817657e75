"""Incomes as communes write them: Vietnamese and English separators, currency, `triệu`/`nghìn`, units in the
header, and implausible monthly figures flagged rather than stored."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from data.ingest import check, normalise
from tests.ingest.conftest import checksum
from tests.ingest.sample_files import (
    EXPECTED,
    FORMER_BY_CODE,
    THOUSAND_SAMPLE,
    VI_LOCALE_SAMPLE,
    csv_text,
    formers_stored,
    sample_table,
    stored,
    write_xlsx,
)

INCOME = 6  # the income column of the samples
# Notes on the units the samples name (2025 rows under former units, a district column), tested in test_unit_sets.py
UNIT_NOTES = ("ingest.note_former_units", "ingest.note_district_unused")


def _income_notes(checked) -> list[str]:
    """The notes of a checked file but those on its units, in English."""
    return [n.text("en") for n in checked.notes if n.key not in UNIT_NOTES]
# 1,400,000 đồng as written, without a multiplier word and with one.
PLAIN = ["1.400.000", "1.400.000,00", "1,400,000.00", "1,400,000", "1 400 000", "1\u00a0400\u00a0000", "1400000",
         "1400000.0", "1400000,00", "1.400.000 ₫", "₫1.400.000", "1.400.000 đồng", "1.400.000đ", "1.400.000 VNĐ",
         "1.400.000 vnd", unicodedata.normalize("NFD", "1.400.000 đồng"), "1.400.000 đ/tháng"]
SCALED = ["1,4 triệu", "1.4 triệu", "1,4 tr", "1,4 triệu đồng", "1,4TRIỆU", "1400 nghìn", "1400 ngàn", "1.400 nghìn",
          "1400k", "1.400 triệu"]


@pytest.mark.parametrize("written", PLAIN + SCALED)
def test_every_spelling_of_one_million_four_hundred_thousand(written: str) -> None:
    assert normalise.parse_amount(written) == (1_400_000.0, written in SCALED)


@pytest.mark.parametrize(("written", "value"), [
    ("1.400", 1400.0), ("1,5", 1.5), ("1.5", 1.5), ("-5", -5.0), ("2025", 2025.0), ("4.0", 4.0), ("0", 0.0),
    ("1,234,567.89", 1234567.89), ("1.234.567,89", 1234567.89), ("2,5 triệu", 2_500_000.0),
])
def test_separators(written: str, value: float) -> None:
    assert normalise.parse_amount(written)[0] == pytest.approx(value)


@pytest.mark.parametrize("written", ["1.2.3", "một triệu", "", "1,40,000", "1.400.000,0,0", "abc", "1.400.000 usd",
                                     "1.400,000.5", "x", "1e6", "1.400.000.00,5"])
def test_not_numbers(written: str) -> None:
    assert normalise.parse_amount(written) is None


@pytest.mark.parametrize(("header", "factor"), [
    ("Thu nhập bình quân đầu người (nghìn đồng/tháng)", 1_000), ("Thu nhập BQ (ngàn đồng)", 1_000),
    ("Thu nhập bình quân (1000đ)", 1_000), ("Thu nhập (1.000 đồng/người/tháng)", 1_000),
    ("Thu nhập BQ đầu người (triệu đồng)", 1_000_000), ("Thu nhập (tr.đ)", 1_000_000),
    ("Income per capita (thousand VND)", 1_000), ("Thu nhập bình quân đầu người (đồng/tháng)", 1),
    ("Thu nhập BQ", 1), ("Thu nhập (VNĐ)", 1),
])
def test_unit_in_the_income_header(header: str, factor: int) -> None:
    assert normalise.income_unit(header) == factor


def _file(income_header: str | None = None, incomes: list[str] | None = None) -> bytes:
    header, rows = sample_table()
    if income_header is not None:
        header[INCOME] = income_header
    for row, income in zip(rows, incomes or [], strict=False):
        row[INCOME] = income
    return csv_text(header, rows).encode("utf-8")


def test_spellings_mixed_in_one_file_store_the_same_values(warehouse) -> None:
    con, ctx = warehouse
    checked = check(_file(incomes=["1,4 triệu", "1.900.000,00", "1,200,000.00", "2.600.000 ₫", "1000 nghìn",
                                   "3.5tr"]), "f.csv", con, context=ctx)
    assert checked.ok, checked.problems
    assert checked.reviews["income_per_capita"].tolist() == [r[2] for r in EXPECTED]


@pytest.mark.parametrize(("income", "ok"), [
    (str(normalise.INCOME_MIN), True), (str(normalise.INCOME_MIN - 1), False),
    (str(normalise.INCOME_MAX), True), (str(normalise.INCOME_MAX + 1), False),
    ("1.400", False), ("0", False), ("1.400.000.000", False),
])
def test_implausible_incomes_are_row_problems(warehouse, income: str, ok: bool) -> None:
    con, ctx = warehouse
    checked = check(_file(incomes=[income]), "f.csv", con, context=ctx)
    problems = checked.problems
    if ok:
        assert checked.ok and checked.reviews["income_per_capita"].iloc[0] == int(income)
    else:
        assert problems[["row", "column", "value"]].values.tolist() == [
            [2, "Thu nhập bình quân đầu người (đồng/tháng)", income]]
        assert problems["expected_en"].iloc[0] == (
            "income in VND per person per month between 50,000 and 200,000,000; this looks like thousand đồng or a "
            "household's or a year's income: check the unit")
        assert len(checked.reviews) == 5 and "HT26-001" not in set(checked.reviews["household_id"])


def test_the_header_unit_applies_to_plain_values_only(warehouse) -> None:
    """In a `nghìn đồng` column, 1400 is 1,400,000; `1,9 triệu` says its own unit; `2.600.000` (đồng written in a
    thousand-đồng column) would be 2.6 billion a month: flagged, not stored."""
    con, ctx = warehouse
    incomes = ["1400", "1,9 triệu", "1.200", "2.600.000", "1000", "3500"]
    checked = check(_file("Thu nhập BQ (nghìn đồng/tháng)", incomes), "f.csv", con, context=ctx)
    assert checked.problems[["row", "value"]].values.tolist() == [[5, "2.600.000"]]
    assert dict(zip(checked.reviews["household_id"], checked.reviews["income_per_capita"], strict=True)) == {
        "HT26-001": 1_400_000, "HT26-002": 1_900_000, "HT26-003": 1_200_000, "HT26-005": 1_000_000,
        "HT26-006": 3_500_000}
    assert _income_notes(checked) == [
        "column 'Thu nhập BQ (nghìn đồng/tháng)' gives incomes in units of 1,000 đồng: each value was multiplied by "
        "1,000"]


# --- the shared samples and siblings, into a demo warehouse ---------------------------------------------------------

def test_vi_locale_sample_reads_two_decimals(demo_db: Path, run_ingest) -> None:
    code, out, _ = run_ingest(VI_LOCALE_SAMPLE, "--db", demo_db)
    assert code == 0, out
    assert "rows read 6, loaded 6, rejected 0" in out
    assert stored(demo_db) == EXPECTED
    assert formers_stored(demo_db) == FORMER_BY_CODE


def test_thousand_dong_sample_is_multiplied_with_a_note(demo_db: Path, run_ingest) -> None:
    code, out, _ = run_ingest(THOUSAND_SAMPLE, "--db", demo_db, lang=None)
    assert code == 0, out
    assert "  ghi chú: cột 'Thu nhập bình quân đầu người (nghìn đồng/tháng)' ghi thu nhập theo đơn vị 1.000 đồng: " \
           "mỗi số đã được nhân với 1.000" in out
    assert stored(demo_db) == EXPECTED
    assert formers_stored(demo_db) == FORMER_BY_CODE


def test_million_dong_header_workbook(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    header, rows = sample_table()
    header[INCOME] = "Thu nhập bình quân đầu người (triệu đồng/tháng)"
    for row, expected in zip(rows, EXPECTED, strict=True):
        row[INCOME] = expected[2] / 1_000_000  # a number cell: 1.4, 1.9, …
    path = write_xlsx(tmp_path / "trieu.xlsx", header, rows)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0, out
    assert "gives incomes in units of 1,000,000 đồng: each value was multiplied by 1,000,000" in out
    assert stored(demo_db) == EXPECTED


def test_thousand_dong_without_a_unit_is_refused_not_stored(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """The same workbook with the unit dropped from the header: every income is implausible, nothing loads."""
    header, rows = sample_table()
    for row, expected in zip(rows, EXPECTED, strict=True):
        row[INCOME] = expected[2] // 1000
    path = write_xlsx(tmp_path / "no_unit.xlsx", header, rows)
    before = checksum(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert "no_unit.xlsx, row 2, column 'Thu nhập bình quân đầu người (đồng/tháng)': '1400' → expected income in " \
           "VND per person per month between 50,000 and 200,000,000" in out
    assert "rows read 6, loaded 0, rejected 6" in out
    assert checksum(demo_db) == before


def test_numbers_parse_once_per_distinct_value() -> None:
    values, bad, scaled = normalise.parse_amounts(pd.Series(["1,4 triệu", "1.400.000", "1,4 triệu", "?"]))
    assert values.tolist()[:3] == [1_400_000.0] * 3 and bad.tolist() == [False, False, False, True]
    assert scaled.tolist() == [True, False, True, False]


@given(st.lists(st.text(alphabet="0123456789.,- ", min_size=1, max_size=14), min_size=1, max_size=30))
def test_the_column_reader_agrees_with_the_one_value_reader(written: list[str]) -> None:
    """`parse_amounts` reads plain numbers in one vectorised step: it must give what `parse_amount` gives."""
    values, bad, _ = normalise.parse_amounts(pd.Series(written))
    for one, value, is_bad in zip(written, values, bad, strict=True):
        parsed = normalise.parse_amount(one)
        assert is_bad == (parsed is None)
        if parsed is not None:
            assert value == parsed[0]


@pytest.mark.parametrize(("header", "period"), [
    ("Thu nhập bình quân đầu người (đồng/năm)", 12), ("Thu nhập BQ/người/năm (nghìn đồng)", 12),
    ("Annual income per capita", 12), ("Thu nhập bình quân đầu người năm 2024 (đồng/tháng)", 1),
    ("Thu nhập bình quân (đồng Việt Nam)", 1), ("Thu nhập bình quân đầu người (đồng/tháng)", 1),
    ("Thu nhập năm 2024", 1),
])
def test_a_yearly_income_header(header: str, period: int) -> None:
    assert normalise.income_period(header) == period


def test_yearly_incomes_in_thousand_dong_become_monthly_dong(warehouse) -> None:
    con, ctx = warehouse
    checked = check(_file("Thu nhập BQ/người/năm (nghìn đồng)", [str(r[2] * 12 // 1000) for r in EXPECTED]),
                    "f.csv", con, context=ctx)
    assert checked.ok, checked.problems
    assert checked.reviews["income_per_capita"].tolist() == [r[2] for r in EXPECTED]
    notes = _income_notes(checked)
    assert notes[0] == ("headers read by similarity (check them): 'Thu nhập BQ/người/năm (nghìn đồng)' → Thu nhập "
                        "bình quân đầu người (đồng/tháng) (90 %)")
    assert notes[1:] == [
        "column 'Thu nhập BQ/người/năm (nghìn đồng)' gives incomes in units of 1,000 đồng: each value was multiplied "
        "by 1,000", "column 'Thu nhập BQ/người/năm (nghìn đồng)' gives yearly incomes: each value was divided by 12 "
        "for the monthly figure"]


def test_a_file_of_yearly_incomes_without_a_unit_is_refused_whole(warehouse) -> None:
    """Every row within the row bounds, but the file's median (12 × a monthly figure) is beyond any commune's: the
    file is refused naming the median and the limit; the same incomes per month load."""
    con, ctx = warehouse
    yearly = [str(r[2] * 12) for r in EXPECTED]
    checked = check(_file(incomes=yearly), "y.csv", con, context=ctx)
    median = round(pd.Series([r[2] * 12 for r in EXPECTED]).median())
    assert median > normalise.INCOME_MEDIAN_MAX
    assert checked.fatal
    assert checked.problems["expected_en"].tolist() == [
        f"income per person per month: the file's median is {median:,} đồng, over 15,000,000 — probably yearly or "
        "household incomes; state the unit in the header (e.g. 'đồng/năm') or correct the figures"]
    assert check(_file(incomes=[str(r[2]) for r in EXPECTED]), "m.csv", con, context=ctx).ok
