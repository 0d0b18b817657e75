"""The `classified` view against hand-worked cases of Decree 07/2021/NĐ-CP (lines in VND/person/month)."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.demo import INDICATORS
from data.warehouse import REFERENCE_DIR, create_schema, load_reference, refresh_classified
from tests.keyed import add_household, add_reviews, with_ids

RURAL = "31846"  # Xã Ninh Quới (xã → rural)
URBAN = "31825"  # Phường 1, Thành phố Bạc Liêu (phường → urban)
TOWNSHIP = "31843"  # Thị trấn Ngan Dừa (thị trấn → urban)


def add_review(con, household_id: str, commune: str, income: int, deprived: int, year: int = 2022,
               ethnicity: str = "kinh", which: list[str] | None = None) -> None:
    which = which if which is not None else INDICATORS[:deprived]
    current = con.execute("SELECT current_code FROM unit_crosswalk WHERE former_code = ?", [commune]).fetchone()[0]
    add_household(con, household_id, commune, current, ethnicity)
    row = {"household_id": household_id, "year": year, "members": 4, "income_per_capita": income,
           "social_protection": False, **{f"d_{name}": name in which for name in INDICATORS}}
    add_reviews(con, pd.DataFrame([row]))
    refresh_classified(con)  # as the build and the importer do after writing reviews


def status_of(con, household_id: str, year: int = 2022) -> tuple[str, int, str]:
    return con.execute(
        "SELECT status, deprivation_count, area FROM classified_ids WHERE household_id = ? AND year = ?",
        [household_id, year],
    ).fetchone()


@pytest.mark.parametrize(
    ("commune", "income", "deprived", "expected", "why"),
    [
        (RURAL, 1_500_000, 3, "poor", "income exactly at the rural line counts as under it; 3 deprivations → poor"),
        (RURAL, 1_500_000, 2, "near_poor", "at the line with 2 deprivations → near-poor"),
        (RURAL, 1_500_001, 3, "average", "one dong above the rural line is never poor"),
        (RURAL, 1_500_001, 12, "average", "above the line with all 12 deprived is still not poor"),
        (RURAL, 0, 0, "near_poor", "no income and no deprivation → near-poor"),
        (RURAL, 2_250_000, 0, "average", "exactly the rural average-living line is average"),
        (RURAL, 2_250_001, 0, "above", "above the rural average-living line"),
        (RURAL, 1_800_000, 0, "average", "urban poor line does not apply to a xã"),
        (URBAN, 2_000_000, 3, "poor", "exactly the urban line, 3 deprivations → poor"),
        (URBAN, 1_800_000, 2, "near_poor", "under the urban line, 2 deprivations → near-poor"),
        (URBAN, 2_000_001, 9, "average", "above the urban line is never poor"),
        (URBAN, 3_000_000, 0, "average", "exactly the urban average-living line"),
        (URBAN, 3_000_001, 0, "above", "above the urban average-living line"),
        (TOWNSHIP, 1_900_000, 4, "poor", "a thị trấn is urban: 1.9 m is under its 2.0 m line"),
    ],
)
def test_decree_cases(empty_warehouse, commune, income, deprived, expected, why):
    add_review(empty_warehouse, "case", commune, income, deprived)
    status, count, _area = status_of(empty_warehouse, "case")
    assert (status, count) == (expected, deprived), why


def test_area_and_household_columns_come_from_the_unit(empty_warehouse):
    add_review(empty_warehouse, "a", TOWNSHIP, 1_000_000, 3, ethnicity="khmer")
    row = empty_warehouse.execute(
        "SELECT commune_code, district_code, area, ethnicity FROM classified_ids WHERE household_id = 'a'"
    ).fetchone()
    assert row == (TOWNSHIP, "956", "urban", "khmer")


def test_each_indicator_counts_once(empty_warehouse):
    for i, name in enumerate(INDICATORS):
        add_review(empty_warehouse, f"h{i}", RURAL, 1_000_000, 1, which=[name])
    counts = empty_warehouse.execute("SELECT DISTINCT deprivation_count FROM classified").fetchall()
    assert counts == [(1,)]


def test_a_year_without_a_standard_is_not_classified(empty_warehouse):
    add_review(empty_warehouse, "late", RURAL, 1_000_000, 5, year=2030)
    assert empty_warehouse.execute("SELECT count(*) FROM classified").fetchone() == (0,)


def _reference_with_new_standard(tmp_path: Path) -> Path:
    """A copy of the reference data plus a 2027–2030 standard: new lines and 11 indicators (no info devices)."""
    ref = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref)
    # Poverty lines from Decree 351/2025/NĐ-CP; the average-living lines here are made up for the test.
    new = "2027-2030,Chuẩn nghèo 2027–2030,Nghị định 351/2025/NĐ-CP,2027,2030,2200000,2800000,3300000,4200000,3"
    with (ref / "standards.csv").open("a", encoding="utf-8") as f:
        f.write(new + "\n")
    rows = (ref / "indicators.csv").read_text(encoding="utf-8").splitlines()[1:]
    with (ref / "indicators.csv").open("a", encoding="utf-8") as f:
        for row in rows:
            if ",info_devices," not in row:
                f.write(row.replace("2022-2025", "2027-2030", 1) + "\n")
    return ref


def test_a_new_standard_is_a_data_change(tmp_path):
    con = duckdb.connect()
    create_schema(con)
    load_reference(con, _reference_with_new_standard(tmp_path))
    with_ids(con)
    # 2.0 m rural income: above the 2022–2025 line (1.5 m), under the 2027–2030 line (2.2 m).
    add_review(con, "same", RURAL, 2_000_000, 3, year=2026)
    add_review(con, "same", RURAL, 2_000_000, 3, year=2027)
    assert status_of(con, "same", 2026)[0] == "average"
    assert status_of(con, "same", 2027)[0] == "poor"
    # Information devices are not an indicator from 2027: two deprivations plus it make near-poor, not poor.
    which = ["water", "latrine", "info_devices"]
    add_review(con, "devices", RURAL, 1_000_000, 3, year=2026, which=which)
    add_review(con, "devices", RURAL, 1_000_000, 3, year=2027, which=which)
    assert status_of(con, "devices", 2026)[:2] == ("poor", 3)
    assert status_of(con, "devices", 2027)[:2] == ("near_poor", 2)


def test_overlapping_standards_are_refused(tmp_path):
    ref = _reference_with_new_standard(tmp_path)
    text = (ref / "standards.csv").read_text(encoding="utf-8").replace(",2027,2030,", ",2026,2030,")
    (ref / "standards.csv").write_text(text, encoding="utf-8")
    con = duckdb.connect()
    create_schema(con)
    with pytest.raises(ValueError, match="in force in the same year"):
        load_reference(con, ref)
