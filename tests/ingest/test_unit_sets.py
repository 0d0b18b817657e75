"""Import either unit set (issue 10): the review year decides which units its codes and names mean.

Up to the 2024 review the 64 former units (7 districts) are used, from the 2025 review on the 25 current ones
(`review_unit_set` in the warehouse). A reused code reads by year (31834: Xã Vĩnh Trạch, rural, in 2024; Phường Vĩnh
Trạch, urban, in 2025), a unit of the other set is refused with where it now lies, a household is one household under
its former commune and the current unit containing it, and a move across current units is refused with nothing
written. The report names the set each year used; export and template write each year in its units.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.importing import template_file, units_used
from data import export
from data.ingest import check
from data.template import template_bytes, units_for_year
from data.units import current_units, former_units, load_crosswalk
from data.warehouse import ROOT
from i18n import Translator
from queries.runner import clear_caches
from tests.ingest.conftest import INDICATOR_HEADERS, LAYOUT, checksum, write_csv
from tests.ingest.sample_files import DATA

HEADERS = list(LAYOUT.values())
FORMER = former_units().set_index("commune_code")
CURRENT = current_units().set_index("commune_code")
CROSSWALK = dict(load_crosswalk().itertuples(index=False))
HOA_BINH_TOWN = FORMER.index[FORMER["commune_name"] == "Thị trấn Hòa Bình"][0]  # a former township
UNITS_2024_EN = "2024 — units: the 64 former communes, wards and townships (until 30 June 2025)"
UNITS_2025_EN = "2025 — units: the 25 current communes and wards (from 1 July 2025)"
UNITS_2025_VI = "năm 2025 — đơn vị hành chính: 25 xã, phường sau sắp xếp (từ 1/7/2025)"
SINCE_EN = "one of the 25 current communes and wards: from the 2025 review on, reviews are filed under the units in " \
           "force from 1 July 2025; "
SINCE_VI = "một trong 25 xã, phường sau sắp xếp: từ kỳ rà soát năm 2025, kết quả rà soát ghi theo các đơn vị hành " \
           "chính có hiệu lực từ 1/7/2025; "


def row(household: str, year: int, code: str = "", name: str = "", district: str = "", income: int = 3_500_000,
        deprived: int = 0, ethnicity: str = "Kinh") -> dict[str, object]:
    """One review in the import layout; the first `deprived` indicators are marked."""
    out: dict[str, object] = {h: "" for h in HEADERS}
    out.update({LAYOUT["household_id"]: household, LAYOUT["commune_code"]: code, LAYOUT["commune_name"]: name,
                LAYOUT["district"]: district, LAYOUT["ethnicity"]: ethnicity, LAYOUT["year"]: year,
                LAYOUT["members"]: 3, LAYOUT["income_per_capita"]: income, LAYOUT["social_protection"]: ""})
    for header in INDICATOR_HEADERS[:deprived]:
        out[header] = "x"
    return out


def write(tmp_path: Path, name: str, rows: list[dict[str, object]]) -> Path:
    return write_csv(tmp_path / name, rows, headers=HEADERS)


def query(db: Path, sql: str, params: list | dict | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def lines(out: str, file: str) -> list[str]:
    """The report's problem lines of `file`."""
    return [line.strip() for line in out.splitlines() if line.startswith(f"  {file}, ")]


STALE = """SELECT (SELECT count(*) FROM (SELECT * FROM classified_live EXCEPT ALL SELECT * FROM classified)),
                  (SELECT count(*) FROM (SELECT * FROM classified EXCEPT ALL SELECT * FROM classified_live))"""


# --- the two sets, each in its years ------------------------------------------------------------------------------

def test_a_2025_file_in_current_codes_and_names_imports(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = [row("C1", 2025, code="31825"), row("C2", 2025, code="31849"), row("C3", 2025, name="Phường Bạc Liêu"),
            row("C4", 2025, name="Xã Hồng Dân"), row("C5", 2025, name="xa hoa binh"),
            row("C6", 2025, code="31891", name="Xã Hòa Bình")]
    code, out, _ = run_ingest(write(tmp_path, "hien_tai.csv", rows), "--db", empty_db)
    assert code == 0, out
    assert "hien_tai.csv: loaded — rows read 6, loaded 6, rejected 0; households new 6" in out
    assert f"  {UNITS_2025_EN}" in out.splitlines()
    # Known only under the current units: no former commune, the current unit as given.
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("C1", None, "31825"), ("C2", None, "31849"), ("C3", None, "31825"), ("C4", None, "31843"),
        ("C5", None, "31891"), ("C6", None, "31891")]
    assert query(empty_db, "SELECT DISTINCT unit_set, area FROM classified WHERE current_code = '31825'") == [
        ("current", "urban")]
    code, out, _ = run_ingest(write(tmp_path, "lai.csv", rows), "--db", empty_db, lang=None)
    assert "  " + UNITS_2025_VI in out.splitlines()


def test_a_2024_file_in_former_codes_and_names_imports(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = [row("F1", 2024, code="31813"), row("F2", 2024, code="31846"), row("F3", 2024, code="31837"),
            row("F4", 2024, name="Phường 1", district="TX Giá Rai"), row("F5", 2024, name="Xã Long Thạnh"),
            row("F6", 2024, name="TT Hòa Bình")]
    code, out, _ = run_ingest(write(tmp_path, "truoc.csv", rows), "--db", empty_db)
    assert code == 0, out
    assert f"  {UNITS_2024_EN}" in out.splitlines()
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("F1", "31813", "31825"), ("F2", "31846", "31849"), ("F3", "31837", "31840"), ("F4", "31942", "31942"),
        ("F5", "31921", "31891"), ("F6", HOA_BINH_TOWN, CROSSWALK[HOA_BINH_TOWN])]
    assert query(empty_db, "SELECT DISTINCT unit_set FROM classified") == [("former",)]


def test_the_same_household_across_the_sets_is_one_household(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    """Each former commune, then the current unit containing it: Phường 2 → Phường Bạc Liêu, Xã Ninh Quới →
    Xã Ninh Quới (31849, another code), Xã Long Thạnh of former Vĩnh Lợi district → Xã Hòa Bình (not nested)."""
    pairs = [("31813", "31825"), ("31846", "31849"), ("31921", "31891"), ("31834", "31834")]
    assert all(CROSSWALK[f] == c for f, c in pairs)  # the crosswalk the test relies on, independently
    before = [row(f"H{i}", 2024, code=f) for i, (f, _) in enumerate(pairs)]
    after = [row(f"H{i}", 2025, code=c) for i, (_, c) in enumerate(pairs)]
    assert run_ingest(write(tmp_path, "2024.csv", before), "--db", empty_db)[0] == 0
    code, out, _ = run_ingest(write(tmp_path, "2025.csv", after), "--db", empty_db)
    assert code == 0, out
    assert "2025.csv: loaded — rows read 4, loaded 4, rejected 0; households new 0, updated 0" in out
    assert query(empty_db, "SELECT count(*) FROM households") == [(4,)]
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        (f"H{i}", f, c) for i, (f, c) in enumerate(pairs)]
    # Both years classified, the former commune kept on the 2025 rows too.
    assert query(empty_db, "SELECT year, unit_set, count(*), count(commune_code) FROM classified GROUP BY ALL "
                           "ORDER BY 1") == [(2024, "former", 4, 4), (2025, "current", 4, 4)]
    assert query(empty_db, STALE) == [(0, 0)]


def test_a_former_file_after_a_current_one_tells_the_former_commune(tmp_path: Path, empty_db: Path,
                                                                     run_ingest) -> None:
    """A household known only under Phường Bạc Liêu (2025 first), then its 2024 review under Phường 2, which lies
    in it: the same household, its former commune now known, and its 2025 row reclassified with it."""
    assert run_ingest(write(tmp_path, "2025.csv", [row("K1", 2025, code="31825")]), "--db", empty_db)[0] == 0
    assert query(empty_db, "SELECT commune_code, district_code FROM classified") == [(None, None)]
    code, out, _ = run_ingest(write(tmp_path, "2024.csv", [row("K1", 2024, name="Phường 2", district="TP Bạc Liêu")]),
                              "--db", empty_db)
    assert code == 0, out
    assert "households new 0, updated 1" in out
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households") == [
        ("K1", "31813", "31825")]
    assert query(empty_db, "SELECT year, commune_code, district_code FROM classified ORDER BY 1") == [
        (2024, "31813", "954"), (2025, "31813", "954")]
    assert query(empty_db, STALE) == [(0, 0)]
    # Importing either file again changes nothing.
    before = checksum(empty_db)
    assert "skipped" in run_ingest(tmp_path / "2024.csv", "--db", empty_db)[1]
    assert "skipped" in run_ingest(tmp_path / "2025.csv", "--db", empty_db)[1]
    assert checksum(empty_db) == before


def test_a_file_with_both_sets_reads_each_year_in_its_own(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = [row("M1", 2024, code="31819"), row("M1", 2025, code="31834"),  # Phường 5 → Phường Vĩnh Trạch
            row("M2", 2024, code="31834"), row("M2", 2025, code="31834")]  # Xã Vĩnh Trạch → Phường Vĩnh Trạch
    code, out, _ = run_ingest(write(tmp_path, "hai_nam.csv", rows), "--db", empty_db)
    assert code == 0, out
    assert [line.strip() for line in out.splitlines() if " — units: " in line] == [UNITS_2024_EN, UNITS_2025_EN]
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("M1", "31819", "31834"), ("M2", "31834", "31834")]
    assert query(empty_db, "SELECT household_id, year, area FROM classified ORDER BY 1, 2") == [
        ("M1", 2024, "urban"), ("M1", 2025, "urban"), ("M2", 2024, "rural"), ("M2", 2025, "urban")]


@pytest.mark.parametrize(("former_to", "current_from", "sets"), [
    ("2024-06-30", "2024-07-01", {2023: "former", 2024: "current", 2025: "current"}),  # the law a year earlier
    ("2025-06-30", "2026-01-01", {2023: "former", 2024: "former"}),  # a gap: 2025 has no units in force
])
def test_the_dates_in_the_warehouse_decide_the_set_not_the_code(former_to: str, current_from: str,
                                                                 sets: dict[int, str]) -> None:
    """The year → unit set rule is the warehouse's `review_unit_set` over `unit_sets`' dates, nothing in the code."""
    from data.warehouse import create_schema, load_reference

    con = duckdb.connect()
    create_schema(con)
    load_reference(con)
    con.execute("UPDATE unit_sets SET in_force_to = $d WHERE unit_set = 'former'", {"d": former_to})
    con.execute("UPDATE unit_sets SET in_force_from = $d WHERE unit_set = 'current'", {"d": current_from})
    rows = [row("Y3", 2023, code="31846"), row("Y4", 2024, code="31846"), row("Y5", 2025, code="31846")]
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False)
    checked = check(buffer.getvalue().encode(), "y.csv", con)
    con.close()
    assert checked.unit_sets == sets
    problems = {int(r.row): r.expected_en for r in checked.problems.itertuples(index=False)}
    for year, line in ((2023, 2), (2024, 3), (2025, 4)):
        if sets.get(year) == "former":
            assert line not in problems  # 31846 is a former unit (Xã Ninh Quới)
        elif sets.get(year) == "current":
            assert problems[line].startswith("one of the 25 current communes and wards: from the 2024 review on")
        else:
            assert problems[line] == "a review year with administrative units in force"


# --- reused codes and the poverty line ------------------------------------------------------------------------------

def _lines(db: Path, year: int) -> tuple[int, int, int]:
    """(rural line, urban line, minimum deprivations) of the standard in force in `year`, from the warehouse."""
    return query(db, "SELECT rural_poverty_line, urban_poverty_line, min_deprivations FROM standards "
                     "WHERE $y BETWEEN first_year AND last_year", {"y": year})[0]


def test_a_reused_code_reads_by_year_and_the_area_decides_the_line(tmp_path: Path, empty_db: Path,
                                                                     run_ingest) -> None:
    """31834 in 2024 is Xã Vĩnh Trạch (rural), in 2025 Phường Vĩnh Trạch (urban); Thị trấn Hòa Bình (urban) is in
    2025 part of Xã Hòa Bình (rural). 1,800,000 đồng a person a month with exactly 3 deprivations lies between the
    rural (1,500,000) and the urban (2,000,000) line: poor only where the unit in force is urban."""
    assert FORMER.loc["31834", "commune_name"] == "Xã Vĩnh Trạch" and FORMER.loc["31834", "area"] == "rural"
    assert CURRENT.loc["31834", "commune_name"] == "Phường Vĩnh Trạch" and CURRENT.loc["31834", "area"] == "urban"
    town_now = CROSSWALK[HOA_BINH_TOWN]
    assert FORMER.loc[HOA_BINH_TOWN, "area"] == "urban"
    assert (CURRENT.loc[town_now, "commune_name"], CURRENT.loc[town_now, "area"]) == ("Xã Hòa Bình", "rural")
    income = 1_800_000
    rows = [row("VT", 2024, code="31834", income=income, deprived=3),
            row("VT", 2025, code="31834", income=income, deprived=3),
            row("HB", 2024, code=HOA_BINH_TOWN, income=income, deprived=3),
            row("HB", 2025, code=town_now, income=income, deprived=3)]
    code, out, _ = run_ingest(write(tmp_path, "doi_vung.csv", rows), "--db", empty_db)
    assert code == 0, out
    got = query(empty_db, "SELECT household_id, year, current_code, unit_set, area, deprivation_count, status "
                          "FROM classified ORDER BY 1, 2")
    assert got == [("HB", 2024, town_now, "former", "urban", 3, "poor"),
                   ("HB", 2025, town_now, "current", "rural", 3, "average"),
                   ("VT", 2024, "31834", "former", "rural", 3, "average"),
                   ("VT", 2025, "31834", "current", "urban", 3, "poor")]
    # The same classes from the standard's own lines, computed here.
    for household, year, _, _, area, deprived, status in got:
        rural, urban, minimum = _lines(empty_db, year)
        line = urban if area == "urban" else rural
        assert (status == "poor") == (income <= line and deprived >= minimum), (household, year)
    assert _lines(empty_db, 2024)[:2] == _lines(empty_db, 2025)[:2] == (1_500_000, 2_000_000)
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("HB", HOA_BINH_TOWN, town_now), ("VT", "31834", "31834")]


# --- units of the other set, and moves -----------------------------------------------------------------------------

def test_former_units_in_a_2025_file_are_refused_with_the_current_unit(tmp_path: Path, empty_db: Path,
                                                                         run_ingest) -> None:
    rows = [row("R1", 2025, name="Xã Vĩnh Trạch", district="Thành phố Bạc Liêu"),
            row("R2", 2025, name="Phường 1"),
            row("R3", 2025, name="P.1", district="TX Giá Rai"),
            row("R4", 2025, code="31846"),
            row("R5", 2025, code="31825")]  # a current code: fine
    path = write(tmp_path, "cu.csv", rows)
    before = checksum(empty_db)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert lines(out, "cu.csv") == [
        f"cu.csv, row 2, column 'Tên xã': 'Xã Vĩnh Trạch' → expected {SINCE_EN}Xã Vĩnh Trạch (31834, Thành phố "
        "Bạc Liêu) is a former unit, now part of Phường Vĩnh Trạch (31834)",
        f"cu.csv, row 3, column 'Tên xã': 'Phường 1' → expected {SINCE_EN}this names former units: Phường 1 (31825, "
        "Thành phố Bạc Liêu), now part of Phường Bạc Liêu (31825) or Phường 1 (31942, Thị xã Giá Rai), now part of "
        "Phường Giá Rai (31942)",
        f"cu.csv, row 4, column 'Tên xã': 'P.1' → expected {SINCE_EN}Phường 1 (31942, Thị xã Giá Rai) is a former "
        "unit, now part of Phường Giá Rai (31942)",
        f"cu.csv, row 5, column 'Mã xã': '31846' → expected {SINCE_EN}Xã Ninh Quới (31846, Huyện Hồng Dân) is a "
        "former unit, now part of Xã Ninh Quới (31849)"]
    assert "nothing loaded from this file" in out
    assert checksum(empty_db) == before
    code, out, _ = run_ingest(path, "--db", empty_db, lang=None)
    assert (f"cu.csv, dòng 2, cột 'Tên xã': 'Xã Vĩnh Trạch' → yêu cầu: {SINCE_VI}Xã Vĩnh Trạch (31834, Thành phố "
            "Bạc Liêu) là đơn vị cũ, nay thuộc Phường Vĩnh Trạch (31834)") in lines(out, "cu.csv")
    assert checksum(empty_db) == before
    # With --accept-valid the current unit's row loads, the others are written back with their reasons.
    code, out, _ = run_ingest(path, "--db", empty_db, "--accept-valid")
    assert query(empty_db, "SELECT household_id, current_code FROM households") == [("R5", "31825")]
    rejected = pd.read_csv(tmp_path / "cu.rejected.csv", dtype=str, encoding="utf-8-sig")
    assert list(rejected["Mã hộ"]) == ["R1", "R2", "R3", "R4"]
    assert rejected["Lý do (reasons)"].str.contains("now part of").all()  # reasons in the language asked


def test_a_current_unit_in_a_2024_file_is_refused_naming_its_former_units(tmp_path: Path, empty_db: Path,
                                                                            run_ingest) -> None:
    code, out, _ = run_ingest(write(tmp_path, "moi.csv", [row("N1", 2024, name="Phường Bạc Liêu")]), "--db",
                              empty_db)
    assert code == 1
    assert lines(out, "moi.csv") == [
        "moi.csv, row 2, column 'Tên xã': 'Phường Bạc Liêu' → expected one of the 64 former communes, wards and "
        "townships: reviews up to 2024 are filed under the units in force until 30 June 2025; Phường Bạc Liêu "
        "(31825) is a current unit, formed from Phường 2 (31813, Thành phố Bạc Liêu), Phường 3 (31816, Thành phố "
        "Bạc Liêu), Phường 7 (31822, Thành phố Bạc Liêu), Phường 1 (31825, Thành phố Bạc Liêu), Phường 8 (31828, "
        "Thành phố Bạc Liêu)"]
    assert query(empty_db, "SELECT count(*) FROM households") == [(0,)]


def test_a_current_name_a_former_unit_elsewhere_also_had_is_read_with_a_note(tmp_path: Path, empty_db: Path,
                                                                               run_ingest) -> None:
    """`Xã Phước Long` in 2025 is the current Xã Phước Long (former TT Phước Long and Xã Vĩnh Phú Đông); the former
    Xã Phước Long is now in Xã Vĩnh Phước: the year decides, and the report says so. A district is not read."""
    rows = [row("P1", 2025, name="Xã Phước Long", district="Huyện Phước Long")]
    code, out, _ = run_ingest(write(tmp_path, "phuoc_long.csv", rows), "--db", empty_db)
    assert code == 0, out
    assert query(empty_db, "SELECT current_code FROM households") == [("31867",)]
    assert "  note: 'Xã Phước Long' read as Xã Phước Long (31867), a current unit; Xã Phước Long (31876, Huyện Phước " \
           "Long), the former unit of that name, is now part of Xã Vĩnh Phước (31876)" in out.splitlines()
    assert "  note: districts were abolished on 1 July 2025: the district column is not used for the rows of 2025" \
           in out.splitlines()


def test_a_move_across_current_units_is_refused_and_nothing_is_written(tmp_path: Path, empty_db: Path,
                                                                         run_ingest) -> None:
    """Stored in former Xã Vĩnh Trạch (now in Phường Vĩnh Trạch); a 2025 row under Phường Bạc Liêu is a move."""
    stay = [row("S1", 2024, code="31834"), row("S2", 2024, code="31813")]
    assert run_ingest(write(tmp_path, "2024.csv", stay), "--db", empty_db)[0] == 0
    before = checksum(empty_db)
    moved = [row("S1", 2025, code="31825"), row("S2", 2025, code="31825")]  # S2: Phường 2 lies in Phường Bạc Liêu
    path = write(tmp_path, "chuyen.csv", moved)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert lines(out, "chuyen.csv") == [
        "chuyen.csv, row 2, column 'Mã xã': '31825' → expected Phường Vĩnh Trạch (31834), the current unit "
        "containing Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu), where this household is already registered; Phường "
        "Bạc Liêu (31825) does not contain it: a household that moved needs a new household code (moving it would "
        "rewrite its past years)"]
    assert "nothing loaded from this file" in out
    assert checksum(empty_db) == before
    code, out, _ = run_ingest(path, "--db", empty_db, lang=None)
    assert ("chuyen.csv, dòng 2, cột 'Mã xã': '31825' → yêu cầu: Phường Vĩnh Trạch (31834), đơn vị sau sắp xếp bao "
            "gồm Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu), nơi hộ này đã được đăng ký; Phường Bạc Liêu (31825) "
            "không bao gồm nơi đó: hộ chuyển đi cần mã hộ mới (chuyển hộ sẽ làm thay đổi các năm trước của hộ)"
            ) in lines(out, "chuyen.csv")
    assert checksum(empty_db) == before
    # The household that stayed loads with --accept-valid; the one that moved keeps its place and has no 2025 row.
    assert run_ingest(path, "--db", empty_db, "--accept-valid")[0] == 1
    assert query(empty_db, "SELECT household_id, year, commune_code, current_code FROM classified ORDER BY 1, 2") == [
        ("S1", 2024, "31834", "31834"), ("S2", 2024, "31813", "31825"), ("S2", 2025, "31813", "31825")]


def test_a_former_row_for_a_household_known_only_under_another_current_unit_is_a_move(tmp_path: Path,
                                                                                       empty_db: Path,
                                                                                       run_ingest) -> None:
    assert run_ingest(write(tmp_path, "2025.csv", [row("Z1", 2025, code="31825")]), "--db", empty_db)[0] == 0
    before = checksum(empty_db)
    code, out, _ = run_ingest(write(tmp_path, "2024.csv", [row("Z1", 2024, code="31834")]), "--db", empty_db)
    assert code == 1
    assert lines(out, "2024.csv") == [
        "2024.csv, row 2, column 'Mã xã': '31834' → expected a former unit of Phường Bạc Liêu (31825), where this "
        "household is already registered (Phường 2 (31813, Thành phố Bạc Liêu) or Phường 3 (31816, Thành phố Bạc "
        "Liêu) or Phường 7 (31822, Thành phố Bạc Liêu) or Phường 1 (31825, Thành phố Bạc Liêu) or Phường 8 (31828, "
        "Thành phố Bạc Liêu)); Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu) is now part of Phường Vĩnh Trạch (31834): "
        "a household that moved needs a new household code (moving it would rewrite its past years)"]
    assert checksum(empty_db) == before


def test_rows_of_one_household_in_two_places_in_one_file_are_refused(tmp_path: Path, empty_db: Path,
                                                                      run_ingest) -> None:
    rows = [row("D1", 2024, code="31834"), row("D1", 2025, code="31825"), row("D2", 2025, code="31843")]
    before = checksum(empty_db)
    code, out, _ = run_ingest(write(tmp_path, "lech.csv", rows), "--db", empty_db)
    assert code == 1
    expected = ("the same place in every row of this household: rows 2, 3 give Phường Bạc Liêu (31825); Xã Vĩnh "
                "Trạch (31834, Thành phố Bạc Liêu), which do not match")
    assert lines(out, "lech.csv") == [f"lech.csv, row 2, column 'Mã xã': '31834' → expected {expected}",
                                      f"lech.csv, row 3, column 'Mã xã': '31825' → expected {expected}"]
    assert checksum(empty_db) == before


# --- the shared samples as shipped: 2025 reviews in the former units ------------------------------------------------

NOW_VINH_TRACH = f"{SINCE_EN}Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu) is a former unit, now part of Phường Vĩnh " \
                 "Trạch (31834)"
NOW_NINH_QUOI = f"{SINCE_EN}Xã Ninh Quới (31846, Huyện Hồng Dân) is a former unit, now part of Xã Ninh Quới (31849)"
NOW_CHAU_THOI = f"{SINCE_EN}Xã Châu Thới (31912, Huyện Vĩnh Lợi) is a former unit, now part of Xã Châu Thới (31894)"


@pytest.mark.parametrize(("sample", "refused"), [
    # by name and district: Xã Vĩnh Trạch is a former name only; Xã Ninh Quới and Xã Châu Thới are current names too
    ("nfd_macos_income_dong_suffix.csv", {"HT26-001": NOW_VINH_TRACH, "HT26-002": NOW_VINH_TRACH}),
    ("tcvn3_vntime_values_only.xlsx", {"HT26-001": NOW_VINH_TRACH, "HT26-002": NOW_VINH_TRACH}),
    ("merged_commune_cells.xlsx", {"HT26-001": NOW_VINH_TRACH, "HT26-002": NOW_VINH_TRACH}),
    ("dup_upload_xa_vinh_trach.csv", {"HT26-001": NOW_VINH_TRACH, "HT26-002": NOW_VINH_TRACH}),
    # by code: 31834 is also a current code (Phường Vĩnh Trạch); 31846 and 31912 are former codes only
    *[(name, {"HT26-003": NOW_NINH_QUOI, "HT26-004": NOW_NINH_QUOI, "HT26-005": NOW_CHAU_THOI,
              "HT26-006": NOW_CHAU_THOI})
      for name in ("one_sheet_per_commune.xlsx", "sharedstrings_nonstandard_path.xlsx",
                   "csv_header_cells_with_line_breaks.csv", "vi_locale_income_two_decimals.csv",
                   "income_in_thousand_dong.xlsx")],
])
def test_the_shipped_samples_name_former_units_in_2025(warehouse, sample: str, refused: dict[str, str]) -> None:
    """The samples' kinds are tested on their 2024 twins (sample_files.in_year); as shipped, each 2025 file names
    former units, and exactly those rows are refused with the current unit each now lies in."""
    con, ctx = warehouse
    checked = check((DATA / sample).read_bytes(), sample, con, context=ctx)
    assert checked.unit_sets == {2025: "current"}
    problems = checked.problems[checked.problems["column"].isin(["Mã xã", "Tên xã"])]
    rejected = checked.rejected.set_index("Dòng (row)")
    assert len(problems) == len(refused)
    for problem in problems.itertuples(index=False):
        household = rejected.loc[problem.row, "Mã hộ"] if problem.row in rejected.index else None
        if isinstance(household, pd.Series):  # a workbook of several sheets repeats row numbers
            household = next(h for h in household if refused.get(h) == problem.expected_en)
        assert refused[household] == problem.expected_en, (sample, problem)
    assert set(checked.reviews["household_id"]) == {f"HT26-00{i}" for i in range(1, 7)} - set(refused)
    assert set(checked.households["current_code"]) <= {"31834", "31849", "31894"}  # the rows read: current units


def test_a_shipped_sample_through_the_command(demo_db: Path, run_ingest) -> None:
    before = checksum(demo_db)
    code, out, _ = run_ingest(DATA / "nfd_macos_income_dong_suffix.csv", "--db", demo_db, lang=None)
    assert code == 1
    assert "  " + UNITS_2025_VI in out.splitlines()
    assert ("nfd_macos_income_dong_suffix.csv, dòng 2, cột 'Tên xã': 'Xã Vĩnh Trạch' → yêu cầu: "
            f"{SINCE_VI}Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu) là đơn vị cũ, nay thuộc Phường Vĩnh Trạch (31834)"
            ) in lines(out, "nfd_macos_income_dong_suffix.csv")
    assert checksum(demo_db) == before


# --- export, round trip, template ----------------------------------------------------------------------------------

def test_export_writes_each_year_in_its_units(demo_template: Path) -> None:
    con = duckdb.connect(str(demo_template), read_only=True)
    try:
        former, current = export.reviews_frame(con, 2024), export.reviews_frame(con, 2025)
        stored = con.execute("SELECT count(*) FILTER (year = 2024), count(*) FILTER (year = 2025) FROM reviews"
                             ).fetchall()[0]
    finally:
        con.close()
    assert (len(former), len(current)) == stored
    assert set(former["Mã xã"]) <= set(FORMER.index) and former["Huyện"].notna().all()
    assert set(zip(former["Mã xã"], former["Tên xã"], strict=True)) <= set(FORMER["commune_name"].to_dict().items())
    assert set(current["Mã xã"]) == set(CURRENT.index) and current["Huyện"].isna().all()
    assert set(zip(current["Mã xã"], current["Tên xã"], strict=True)) == set(CURRENT["commune_name"].to_dict().items())


def test_export_then_import_gives_the_same_rows_in_both_sets(tmp_path: Path, demo_template: Path, empty_db: Path,
                                                             run_ingest) -> None:
    """2025 alone comes back with every review column and its current unit (no former commune: the file has none);
    with 2024 imported too, every `classified` row of both years equals the demo's, former communes included."""
    con = duckdb.connect(str(demo_template), read_only=True)
    frames = {y: export.reviews_frame(con, y) for y in (2024, 2025)}
    expected = {y: con.execute("SELECT * FROM classified WHERE year = ? ORDER BY household_id", [y]).df()
                for y in (2024, 2025)}
    con.close()
    path = tmp_path / "nam_2025.xlsx"
    export.write(frames[2025].head(3000), path)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 0, out
    assert f"  {UNITS_2025_EN}" in out.splitlines()
    con = duckdb.connect(str(empty_db), read_only=True)
    got = con.execute("SELECT * FROM classified WHERE year = 2025 ORDER BY household_id").df()
    again = export.reviews_frame(con, 2025)
    con.close()
    kept = expected[2025][expected[2025]["household_id"].isin(frames[2025].head(3000)["Mã hộ"])]
    assert len(got) == 3000
    pd.testing.assert_frame_equal(got.drop(columns=["commune_code", "district_code"]),
                                  kept.drop(columns=["commune_code", "district_code"]).reset_index(drop=True))
    assert got["commune_code"].isna().all()
    pd.testing.assert_frame_equal(again, frames[2025].head(3000))  # export → import → export: the same file

    both = tmp_path / "both.duckdb"
    shutil.copy(empty_db, both)
    for year in (2025, 2024):  # in either order
        export.write(frames[year], tmp_path / f"nam_{year}.csv")
        code, out, _ = run_ingest(tmp_path / f"nam_{year}.csv", "--db", both, "--force")
        assert code == 0, out
    con = duckdb.connect(str(both), read_only=True)
    for year in (2024, 2025):
        got = con.execute("SELECT * FROM classified WHERE year = ? ORDER BY household_id", [year]).df()
        pd.testing.assert_frame_equal(got, expected[year])
    assert con.execute("SELECT count(*) FROM households").fetchall() == [
        (len(set(frames[2024]["Mã hộ"]) | set(frames[2025]["Mã hộ"])),)]
    con.close()


def _sheet(data: bytes, name: str) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(book[name].iter_rows(values_only=True))


def test_the_template_lists_the_units_of_the_year(warehouse) -> None:
    con, _ = warehouse
    current = _sheet(template_bytes(units=units_for_year(con, 2025)), "Đơn vị hành chính")
    assert current[0][0] == ("25 xã, phường sau sắp xếp (từ 1/7/2025) / the 25 current communes and wards (from 1 "
                             "July 2025)")
    assert current[1] == ("Mã xã (code)", "Tên xã (name)", "Loại (type)")
    assert [(c, n) for c, n, _ in current[2:]] == list(CURRENT["commune_name"].to_dict().items())
    former = _sheet(template_bytes(units=units_for_year(con, 2024)), "Đơn vị hành chính")
    assert former[1] == ("Mã xã (code)", "Tên xã (name)", "Loại (type)", "Huyện (district)")
    assert sorted((c, n, d) for c, n, _, d in former[2:]) == sorted(
        zip(FORMER.index, FORMER["commune_name"], FORMER["district_name"], strict=True))
    assert len(units_for_year(con, None)) == 25  # without a year: the newest set
    guide = _sheet(template_bytes(units=units_for_year(con, 2025)), "Hướng dẫn")
    assert [r[1] for r in guide if r[0] == "Huyện"] == ["không dùng"]


# --- the import page ---------------------------------------------------------------------------------------------

@pytest.fixture
def page(empty_db: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("POVERTY_DB", str(empty_db))
    monkeypatch.setenv("POVERTY_ALLOW_IMPORT", "1")
    clear_caches()
    at = AppTest.from_file(str(ROOT / "pages" / "import_data.py"), default_timeout=120).run()
    assert not at.exception
    yield at
    clear_caches()


def test_the_page_says_which_units_each_year_used_and_offers_the_years_template(page: AppTest, tmp_path: Path,
                                                                                 warehouse) -> None:
    tr = Translator("vi")
    [button] = page.get("download_button")  # no year typed: the newest set's units
    assert button.proto.help == tr("import.template_units", units="25 xã, phường sau sắp xếp (từ 1/7/2025)")
    page.number_input[0].set_value(2024).run()
    [button] = page.get("download_button")
    assert button.proto.help == tr("import.template_units",
                                   units="64 xã, phường, thị trấn trước sắp xếp (đến 30/6/2025)")
    template = template_file(2025, "en")
    assert (template.name, template.units) == ("mau_ra_soat_ho_ngheo_2025.xlsx",
                                               "the 25 current communes and wards (from 1 July 2025)")
    assert len(_sheet(template.data, "Đơn vị hành chính")) == 27  # title, header, 25 units

    page.number_input[0].set_value(None).run()
    rows = [row("G1", 2024, code="31813"), row("G1", 2025, code="31825")]
    data = write(tmp_path, "g.csv", rows).read_bytes()
    page.file_uploader[0].set_value([("g.csv", data, "text/csv")]).run()
    assert not page.exception
    units = [c.value.replace("\\", "") for c in page.caption if "đơn vị hành chính" in c.value]
    assert units == ["năm 2024 — đơn vị hành chính: 64 xã, phường, thị trấn trước sắp xếp (đến 30/6/2025)",
                     UNITS_2025_VI]
    page.button[0].click().run()
    assert not page.exception
    [success] = page.success
    assert UNITS_2025_VI in success.value.replace("\\", "")
    con, ctx = warehouse
    assert units_used(check(data, "g.csv", con, context=ctx), "en") == [UNITS_2024_EN, UNITS_2025_EN]
