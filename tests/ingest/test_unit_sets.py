"""Import either unit set (issue 10): the review year decides which units its codes and names mean.

Up to the 2024 review the 64 former units (7 districts) are used, from the 2025 review on the 25 current ones
(`review_unit_set` in the warehouse). A reused code reads by year (31834: Xã Vĩnh Trạch, rural, in 2024; Phường Vĩnh
Trạch, urban, in 2025). A former unit in a current-set year is read as the current unit it lies in whole, telling the
household's former commune, with a note per file; a current unit in a former-set year is refused naming the former
units it was formed from. A household is one household under its former commune and the current unit containing it;
under another former commune or another current unit it moved, and a move is refused with nothing written. The report
names the set each year used; export and template write each year in its units; the shared samples load as shipped.
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
from i18n import Translator
from tests import keyed
from tests.ingest.conftest import INDICATOR_HEADERS, LAYOUT, checksum, write_csv
from tests.ingest.sample_files import (
    BY_CODE,
    BY_NAME,
    DATA,
    EXPECTED,
    FORMER_BY_CODE,
    FORMER_BY_NAME,
    formers_stored,
    stored,
)

HEADERS = list(LAYOUT.values())
FORMER = former_units().set_index("commune_code")
CURRENT = current_units().set_index("commune_code")
CROSSWALK = dict(load_crosswalk().itertuples(index=False))
HOA_BINH_TOWN = FORMER.index[FORMER["commune_name"] == "Thị trấn Hòa Bình"][0]  # a former township
UNITS_2024_EN = "2024 — units: the 64 former communes, wards and townships (until 30 June 2025)"
UNITS_2025_EN = "2025 — units: the 25 current communes and wards (from 1 July 2025)"
UNITS_2025_VI = "năm 2025 — đơn vị hành chính: 25 xã, phường sau sắp xếp (từ 1/7/2025)"


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
    con = keyed.connect(db)
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
    assert query(empty_db, "SELECT household_id, year, area FROM classified_ids ORDER BY 1, 2") == [
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
    # 31834 is a code of both sets (Xã Vĩnh Trạch, then Phường Vĩnh Trạch); Phường Bạc Liêu is a current unit only.
    rows = [row(f"Y{y % 10}", y, code="31834") for y in (2023, 2024, 2025)]
    rows += [row(f"N{y % 10}", y, name="Phường Bạc Liêu") for y in (2023, 2024, 2025)]
    buffer = io.StringIO()
    pd.DataFrame(rows).to_csv(buffer, index=False)
    checked = check(buffer.getvalue().encode(), "y.csv", con)
    con.close()
    assert checked.unit_sets == sets
    problems = {int(r.row): r.expected_en for r in checked.problems.itertuples(index=False)}
    read = {h: (s, f, c) for h, s, f, c in checked.households[["household_id", "unit_set", "commune_code",
                                                               "current_code"]].itertuples(index=False)}
    for line, year in enumerate((2023, 2024, 2025), start=2):
        code_row, name_row = f"Y{year % 10}", f"N{year % 10}"
        if sets.get(year) == "former":  # Xã Vĩnh Trạch; a current unit cannot be split back into former ones
            assert read[code_row] == ("former", "31834", "31834")
            last = max(y for y, s in sets.items() if s == "former")
            assert problems[line + 3].startswith(f"one of the 64 former communes, wards and townships: reviews up to "
                                                 f"{last} are filed under the units in force until ")
        elif sets.get(year) == "current":  # Phường Vĩnh Trạch: the former commune is not told by a reused code
            assert (read[code_row][0], pd.isna(read[code_row][1]), read[code_row][2]) == ("current", True, "31834")
            assert read[name_row][0] == "current" and read[name_row][2] == "31825" and line + 3 not in problems
        else:
            assert problems[line] == problems[line + 3] == "a review year with administrative units in force"


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
                          "FROM classified_ids ORDER BY 1, 2")
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

def test_every_code_of_both_sets_lies_in_the_current_unit_of_that_code() -> None:
    """What reading a reused code as the current unit relies on: whichever set the sender meant, 31834 (or any code
    both sets have) lies in the current unit of that code, so a code in a current-set year resolves to one current
    unit; and every former unit lies in exactly one current unit."""
    reused = set(FORMER.index) & set(CURRENT.index)
    assert len(reused) == 25 and {"31834", "31825", "31849"} <= reused
    assert {c: CROSSWALK[c] for c in reused} == {c: c for c in reused}
    assert set(CROSSWALK) == set(FORMER.index) and set(CROSSWALK.values()) == set(CURRENT.index)


FORMER_NOTE_EN = ("4 row(s) name former units (before 1 July 2025); read as the current units that contain them: "
                  "Phường 5 (31819, Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834), Xã Vĩnh Trạch (31834, Thành phố "
                  "Bạc Liêu) → Phường Vĩnh Trạch (31834), Xã Ninh Quới (31846, Huyện Hồng Dân) → Xã Ninh Quới "
                  "(31849), Phường 1 (31942, Thị xã Giá Rai) → Phường Giá Rai (31942)")
FORMER_NOTE_VI = ("4 dòng ghi đơn vị cũ (trước 1/7/2025); đã đọc theo đơn vị hiện nay chứa chúng: Phường 5 (31819, "
                  "Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834), Xã Vĩnh Trạch (31834, Thành phố Bạc Liêu) → "
                  "Phường Vĩnh Trạch (31834), Xã Ninh Quới (31846, Huyện Hồng Dân) → Xã Ninh Quới (31849), Phường 1 "
                  "(31942, Thị xã Giá Rai) → Phường Giá Rai (31942)")


def test_former_units_in_a_2025_file_are_read_as_the_current_units_containing_them(tmp_path: Path, empty_db: Path,
                                                                                   run_ingest) -> None:
    """A former-only code or name is read as the current unit it lies in, its former commune stored; a reused code
    or a name both sets have is the current unit (the year decides), no former commune learnt from it."""
    rows = [row("R1", 2025, name="Xã Vĩnh Trạch", district="Thành phố Bạc Liêu"),  # a former name only
            row("R2", 2025, name="P.1", district="TX Giá Rai"),  # a repeated former name, told by its district
            row("R3", 2025, code="31846"),  # former Xã Ninh Quới: not a current code
            row("R4", 2025, code="31819"),  # former Phường 5, now in Phường Vĩnh Trạch
            row("R5", 2025, code="31825"),  # reused: Phường Bạc Liêu (and former Phường 1 of Bạc Liêu)
            row("R6", 2025, name="Xã Phong Thạnh")]  # a current name; the former one lies in Phường Giá Rai
    assert [CROSSWALK[c] for c in ("31834", "31942", "31846", "31819")] == ["31834", "31942", "31849", "31834"]
    path = write(tmp_path, "cu.csv", rows)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 0, out
    assert "cu.csv: loaded — rows read 6, loaded 6, rejected 0; households new 6" in out
    assert f"  note: {FORMER_NOTE_EN}" in out.splitlines()
    assert "  note: 'Xã Phong Thạnh' read as Xã Phong Thạnh (31957), a current unit; Xã Phong Thạnh (31960, Thị xã " \
           "Giá Rai), the former unit of that name, is now part of Phường Giá Rai (31942)" in out.splitlines()
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("R1", "31834", "31834"), ("R2", "31942", "31942"), ("R3", "31846", "31849"), ("R4", "31819", "31834"),
        ("R5", None, "31825"), ("R6", None, "31957")]
    # Classified in the current set with the current unit's area; the former commune (and district) where known.
    assert query(empty_db, "SELECT household_id, unit_set, area, commune_code, district_code FROM classified_ids "
                           "ORDER BY 1") == [
        ("R1", "current", "urban", "31834", "954"), ("R2", "current", "urban", "31942", "959"),
        ("R3", "current", "rural", "31846", "956"), ("R4", "current", "urban", "31819", "954"),
        ("R5", "current", "urban", None, None), ("R6", "current", "rural", None, None)]
    assert query(empty_db, STALE) == [(0, 0)]
    # Importing the file again changes nothing (skipped, or loaded again with --force); the note in Vietnamese.
    before = query(empty_db, "SELECT * FROM classified_ids ORDER BY household_id")
    code, out, _ = run_ingest(path, "--db", empty_db, lang=None)
    assert code == 0 and "cu.csv: bỏ qua" in out, out
    code, out, _ = run_ingest(path, "--db", empty_db, "--force", lang=None)
    assert code == 0, out
    assert "hộ mới 0, cập nhật 0; kết quả rà soát mới 0, thay thế 0" in out, out
    assert f"  ghi chú: {FORMER_NOTE_VI}" in out.splitlines()
    assert query(empty_db, "SELECT * FROM classified_ids ORDER BY household_id") == before


def test_a_former_unit_in_2025_tells_the_former_commune_of_a_household_known_only_by_its_current_unit(
        tmp_path: Path, empty_db: Path, run_ingest) -> None:
    """K1 is first filed under Phường Bạc Liêu (31825: no former commune); its 2025 row under former Phường 2 (31813,
    in Phường Bạc Liêu) is the same household and tells its former commune; K2 under a reused code keeps none."""
    first = [row("K1", 2025, code="31825"), row("K2", 2025, code="31825")]
    assert run_ingest(write(tmp_path, "a.csv", first), "--db", empty_db)[0] == 0
    again = [row("K1", 2025, name="Phường 2", district="Thành phố Bạc Liêu", income=1_000_000, deprived=3),
             row("K2", 2025, code="31825", income=1_000_000, deprived=3)]
    code, out, _ = run_ingest(write(tmp_path, "b.csv", again), "--db", empty_db)
    assert code == 0, out
    assert "households new 0, updated 1; reviews new 0, replaced 2" in out
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households ORDER BY 1") == [
        ("K1", "31813", "31825"), ("K2", None, "31825")]
    assert query(empty_db, "SELECT household_id, commune_code, status FROM classified_ids ORDER BY 1") == [
        ("K1", "31813", "poor"), ("K2", None, "poor")]


def test_another_former_commune_in_the_same_current_unit_is_a_move(tmp_path: Path, empty_db: Path,
                                                                   run_ingest) -> None:
    """Stored under former Phường 2 (31813); a 2025 row under former-only Phường 3 (31816), which lies in the same
    Phường Bạc Liêu, names another commune: a move, refused with nothing written (the same current unit by its
    reused code, or Phường 2 by name, is fine)."""
    assert CROSSWALK["31813"] == CROSSWALK["31816"] == "31825" and "31816" not in CURRENT.index
    assert run_ingest(write(tmp_path, "2024.csv", [row("V1", 2024, code="31813"), row("V2", 2024, code="31813")]),
                      "--db", empty_db)[0] == 0
    before = checksum(empty_db)
    path = write(tmp_path, "2025.csv", [row("V1", 2025, code="31816"),
                                        row("V2", 2025, name="Phường 2", district="TP Bạc Liêu")])
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert lines(out, "2025.csv") == [
        "2025.csv, row 2, column 'Mã xã': '31816' → expected Phường 2 (31813, Thành phố Bạc Liêu), where this "
        "household is already registered: a household that moved needs a new household code (moving it would "
        "rewrite its past years)"]
    assert checksum(empty_db) == before
    code, out, _ = run_ingest(path, "--db", empty_db, lang=None)
    assert lines(out, "2025.csv") == [
        "2025.csv, dòng 2, cột 'Mã xã': '31816' → yêu cầu: Phường 2 (31813, Thành phố Bạc Liêu), nơi hộ này đã được "
        "đăng ký: hộ chuyển đi cần mã hộ mới (chuyển hộ sẽ làm thay đổi các năm trước của hộ)"]
    assert checksum(empty_db) == before
    # In one file too: a household's rows under two former communes are refused, whatever their years.
    both = [row("V3", 2024, code="31813"), row("V3", 2025, code="31816")]
    code, out, _ = run_ingest(write(tmp_path, "one.csv", both), "--db", empty_db)
    assert code == 1
    assert "same place in every row of this household: rows 2, 3 give Phường 2 (31813, Thành phố Bạc Liêu); " \
           "Phường 3 (31816, Thành phố Bạc Liêu), which do not match" in out
    assert checksum(empty_db) == before


def test_a_repeated_former_name_without_its_district_is_refused_naming_both(tmp_path: Path, empty_db: Path,
                                                                           run_ingest) -> None:
    path = write(tmp_path, "p1.csv", [row("A1", 2025, name="Phường 1"), row("A2", 2025, name="Phường 1",
                                                                             district="Huyện Hồng Dân")])
    before = checksum(empty_db)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert lines(out, "p1.csv") == [
        "p1.csv, row 2, column 'Tên xã': 'Phường 1' → expected one commune, but the name is ambiguous: Phường 1 "
        "(31825, Thành phố Bạc Liêu), now part of Phường Bạc Liêu (31825) or Phường 1 (31942, Thị xã Giá Rai), now "
        "part of Phường Giá Rai (31942); add the district or the code",
        "p1.csv, row 3, column 'Tên xã': 'Phường 1' → expected a commune of the district given; that name is Phường "
        "1 (31825, Thành phố Bạc Liêu), Phường 1 (31942, Thị xã Giá Rai)"]
    code, out, _ = run_ingest(path, "--db", empty_db, lang=None)
    assert ("p1.csv, dòng 2, cột 'Tên xã': 'Phường 1' → yêu cầu: một xã duy nhất, nhưng tên này bị trùng: Phường 1 "
            "(31825, Thành phố Bạc Liêu), nay thuộc Phường Bạc Liêu (31825) hoặc Phường 1 (31942, Thị xã Giá Rai), "
            "nay thuộc Phường Giá Rai (31942); hãy ghi thêm huyện hoặc mã xã") in lines(out, "p1.csv")
    assert checksum(empty_db) == before


def test_a_code_and_a_name_in_2025_agree_on_the_former_unit_too(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    """The reused code 31834 with the name of former Phường 5 (in Phường Vĩnh Trạch): one place, and the name tells
    the former commune; former code 31846 with the name of former Xã Ninh Quới A (31849, in the same current unit):
    two former communes, refused."""
    rows = [row("B1", 2025, code="31834", name="Phường 5", district="TP Bạc Liêu"),
            row("B2", 2025, code="31846", name="Xã Ninh Quới A")]
    code, out, _ = run_ingest(write(tmp_path, "hai_cot.csv", rows), "--db", empty_db, "--accept-valid")
    assert code == 1
    assert lines(out, "hai_cot.csv") == [
        "hai_cot.csv, row 3, column 'Tên xã': 'Xã Ninh Quới A' → expected the commune of code 31846: Xã Ninh Quới "
        "(31846, Huyện Hồng Dân)"]
    assert query(empty_db, "SELECT household_id, commune_code, current_code FROM households") == [
        ("B1", "31819", "31834")]


def test_a_name_of_no_unit_of_its_year_beside_a_valid_code_is_refused(tmp_path: Path, empty_db: Path,
                                                                      run_ingest) -> None:
    """Found by the fresh-user pass: a code decided alone when its name named no unit of the year's set, so a 2024 row
    `31843, Xã Hồng Dân` (31843 is Thị trấn Ngan Dừa, urban, in 2024; Xã Hồng Dân is a current unit) loaded silently as
    the urban unit, and a 2025 row `31825, Xã Không Có` as Phường Bạc Liêu. Code and name disagree: refused."""
    rows = [row("W1", 2024, code="31843", name="Xã Hồng Dân", income=1_800_000),
            row("W2", 2025, code="31825", name="Xã Không Có")]
    code, out, _ = run_ingest(write(tmp_path, "lech.csv", rows), "--db", empty_db, "--accept-valid")
    assert code == 1
    problems = lines(out, "lech.csv")
    assert len(problems) == 2
    assert problems[0].startswith("lech.csv, row 2, column 'Tên xã': 'Xã Hồng Dân' → expected one of the 64 former")
    assert "Xã Hồng Dân (31843) is a current unit" in problems[0]
    assert problems[1].startswith("lech.csv, row 3, column 'Tên xã': 'Xã Không Có' → expected the name of one of the "
                                  "25 current")
    assert query(empty_db, "SELECT count(*) FROM households") == [(0,)]
    assert query(empty_db, "SELECT count(*) FROM reviews") == [(0,)]


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
    assert "  note: districts were abolished on 1 July 2025: in the rows of 2025 the district column is read only " \
           "beside a former unit's name" in out.splitlines()
    assert "name former units" not in out


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
    assert query(empty_db, "SELECT household_id, year, commune_code, current_code FROM classified_ids "
                           "ORDER BY 1, 2") == [
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
    # The same in a 2025 row naming a former unit that lies elsewhere (former Xã Ninh Quới, now in Xã Ninh Quới).
    code, out, _ = run_ingest(write(tmp_path, "2025b.csv", [row("Z1", 2025, code="31846")]), "--db", empty_db)
    assert code == 1
    assert lines(out, "2025b.csv") == [
        "2025b.csv, row 2, column 'Mã xã': '31846' → expected a former unit of Phường Bạc Liêu (31825), where this "
        "household is already registered (Phường 2 (31813, Thành phố Bạc Liêu) or Phường 3 (31816, Thành phố Bạc "
        "Liêu) or Phường 7 (31822, Thành phố Bạc Liêu) or Phường 1 (31825, Thành phố Bạc Liêu) or Phường 8 (31828, "
        "Thành phố Bạc Liêu)); Xã Ninh Quới (31846, Huyện Hồng Dân) is now part of Xã Ninh Quới (31849): a "
        "household that moved needs a new household code (moving it would rewrite its past years)"]
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

NAMES_NOTE_EN = ("2 row(s) name former units (before 1 July 2025); read as the current units that contain them: Xã "
                 "Vĩnh Trạch (31834, Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834)")
CODES_NOTE_EN = ("4 row(s) name former units (before 1 July 2025); read as the current units that contain them: Xã "
                 "Ninh Quới (31846, Huyện Hồng Dân) → Xã Ninh Quới (31849), Xã Châu Thới (31912, Huyện Vĩnh Lợi) → Xã "
                 "Châu Thới (31894)")


@pytest.mark.parametrize("sample", [*BY_NAME, *BY_CODE])
def test_the_shipped_samples_read_their_former_units_as_current_ones(warehouse, sample: str) -> None:
    """Each sample as shipped (2025, under former units) gives the README's outcome: the six households, each in
    the current unit containing its former commune (the former commune kept where the row names a former unit only),
    with one note for the file; the formula sample refuses exactly its six uncalculated cells."""
    con, ctx = warehouse
    checked = check((DATA / sample).read_bytes(), sample, con, context=ctx)
    assert checked.unit_sets == {2025: "current"}
    notes = [n.text("en") for n in checked.notes if n.key == "ingest.note_former_units"]
    assert notes == [NAMES_NOTE_EN if sample in BY_NAME else CODES_NOTE_EN]
    if sample == "formula_mark_without_cached_value.xlsx":
        assert list(zip(checked.problems["row"], checked.problems["column"], strict=True)) == [
            (r, "Bảo hiểm y tế") for r in range(2, 8)]
        assert checked.reviews.empty
        return
    assert checked.ok, checked.problems
    got = checked.households.set_index("household_id")
    assert got["current_code"].to_dict() == {h: c for h, c, *_ in EXPECTED}
    formers = FORMER_BY_NAME if sample in BY_NAME else FORMER_BY_CODE
    assert {h: None if pd.isna(f) else f for h, f in got["commune_code"].items()} == formers
    assert set(got["unit_set"]) == {"current"}


def test_a_shipped_sample_through_the_command(demo_db: Path, run_ingest) -> None:
    """The NFD sample as shipped loads its six households (issue 8's outcome), the report in Vietnamese saying the
    year's units and which former unit was read as which current one."""
    code, out, _ = run_ingest(DATA / "nfd_macos_income_dong_suffix.csv", "--db", demo_db, lang=None)
    assert code == 0, out
    assert "nfd_macos_income_dong_suffix.csv: đã nạp — đọc 6 dòng, nạp 6, loại 0; hộ mới 6" in out
    assert "  " + UNITS_2025_VI in out.splitlines()
    assert ("  ghi chú: 2 dòng ghi đơn vị cũ (trước 1/7/2025); đã đọc theo đơn vị hiện nay chứa chúng: Xã Vĩnh "
            "Trạch (31834, Thành phố Bạc Liêu) → Phường Vĩnh Trạch (31834)") in out.splitlines()
    assert stored(demo_db) == EXPECTED
    assert formers_stored(demo_db) == FORMER_BY_NAME


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
    with 2024 imported too, every `classified` row of both years equals the demo's, former communes included (but for
    households away at the 2024 review, whose former commune no imported file gives)."""
    con = keyed.connect(demo_template)
    frames = {y: export.reviews_frame(con, y) for y in (2024, 2025)}
    expected = {y: con.execute("SELECT * FROM classified_ids WHERE year = ? ORDER BY household_id", [y]).df()
                for y in (2024, 2025)}
    con.close()
    path = tmp_path / "nam_2025.xlsx"
    export.write(frames[2025].head(3000), path)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 0, out
    assert f"  {UNITS_2025_EN}" in out.splitlines()
    con = keyed.connect(empty_db)
    got = con.execute("SELECT * FROM classified_ids WHERE year = 2025 ORDER BY household_id").df()
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
    con = keyed.connect(both)
    # a household reviewed in 2025 but away at the 2024 review (the demo has some) has its former commune in no
    # file imported here: the 2025 file carries only the current unit
    away = ~expected[2025]["household_id"].isin(frames[2024]["Mã hộ"])
    assert 0 < away.sum() < 0.05 * len(away)
    expected[2025].loc[away, ["commune_code", "district_code"]] = None
    for year in (2024, 2025):
        got = con.execute("SELECT * FROM classified_ids WHERE year = ? ORDER BY household_id", [year]).df()
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
    assert [r[1] for r in guide if r[0] == "Huyện"] == ["chỉ khi tên cũ trùng"]


# --- the import page ---------------------------------------------------------------------------------------------

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
