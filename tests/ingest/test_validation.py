"""Each kind of bad input is reported with file, row, column, value and expectation, and loads nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.conftest import LAYOUT, checksum, review_rows, write_csv


def _bad_file(tmp_path: Path, edit) -> Path:
    rows = review_rows(30)
    edit(rows)
    return write_csv(tmp_path / "xa_vinh_trach.csv", rows)


CASES = [
    # (what, edit the rows, row in the sheet, column as written, value shown, fragment of the expectation)
    ("unknown commune code", lambda r: r[4].update({LAYOUT["commune_code"]: "12345"}), 6, "Mã xã", "12345",
     "5-digit GSO commune code"),
    ("household size below 1", lambda r: r[0].update({LAYOUT["members"]: 0}), 2, "Số nhân khẩu", "0",
     "whole number ≥ 1"),
    ("income not a number", lambda r: r[9].update({LAYOUT["income_per_capita"]: "một triệu"}), 11,
     LAYOUT["income_per_capita"], "một triệu", "a number such as 1.450.000"),
    ("negative income", lambda r: r[2].update({LAYOUT["income_per_capita"]: "-1.000"}), 4,
     LAYOUT["income_per_capita"], "-1.000", "not negative"),
    ("indicator not recognisable", lambda r: r[7].update({"Nguồn nước sinh hoạt": "chắc có"}), 9,
     "Nguồn nước sinh hoạt", "chắc có", "x, 1, có or thiếu hụt"),
    ("year with no standard", lambda r: r[3].update({"Năm": 2019}), 5, "Năm", "2019",
     "a year with a poverty standard in force (2021–2026)"),
    ("ethnicity missing", lambda r: r[1].update({"Dân tộc": ""}), 3, "Dân tộc", "", "Kinh, Khmer, Hoa"),
    ("ethnicity misspelt", lambda r: r[8].update({"Dân tộc": "Kihn"}), 10, "Dân tộc", "Kihn",
     "54 ethnic groups"),
    ("ID card number as household code", lambda r: r[5].update({"Mã hộ": "079123456789"}), 7, "Mã hộ",
     "(hidden: looks like an ID card number)", "not a CMND/CCCD number"),
]


@pytest.mark.parametrize(("what", "edit", "row", "column", "value", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_value_is_reported_and_nothing_loads(tmp_path: Path, demo_db: Path, run_ingest, what, edit, row, column,
                                                 value, expected) -> None:
    before = checksum(demo_db)
    path = _bad_file(tmp_path, edit)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 1
    assert f"xa_vinh_trach.csv, row {row}, column '{column}'" in out
    if value:
        assert f": '{value}'" in out
    assert expected in out
    assert "nothing loaded from this file" in out
    assert checksum(demo_db) == before


def test_same_household_twice_names_both_rows(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = review_rows(10)
    rows[6][LAYOUT["household_id"]] = rows[2][LAYOUT["household_id"]]
    before = checksum(empty_db)
    code, out, _ = run_ingest(write_csv(tmp_path / "dup.csv", rows), "--db", empty_db)
    assert code == 1
    assert "dup.csv, row 4, column 'Mã hộ': 'T00002' → expected each household once per year in a file; it is in " \
           "rows 4, 8" in out
    assert "dup.csv, row 8, column 'Mã hộ'" in out
    assert checksum(empty_db) == before


def test_year_given_on_the_command_line_without_a_standard(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    path = write_csv(tmp_path / "no_year.csv", review_rows(5, year=None))
    code, out, _ = run_ingest(path, "--db", empty_db, "--year", "2019")
    assert code == 1
    assert "no_year.csv, column '--year': '2019' → expected a year with a poverty standard in force (2021–2026)" in out


def test_year_missing_everywhere(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    path = write_csv(tmp_path / "no_year.csv", review_rows(5, year=None))
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert "column 'Năm' → expected a column headed 'Năm' or the year given with --year" in out


@pytest.mark.parametrize("dropped", ["Số nhân khẩu", "Hộ BTXH", "Nhà tiêu hợp vệ sinh", "Mã hộ"])
def test_required_column_missing(tmp_path: Path, empty_db: Path, run_ingest, dropped: str) -> None:
    rows = review_rows(5)
    headers = [h for h in rows[0] if h != dropped]
    before = checksum(empty_db)
    code, out, _ = run_ingest(write_csv(tmp_path / "f.csv", rows, headers=headers), "--db", empty_db)
    assert code == 1
    assert f"f.csv, column '{dropped}' → expected a column headed '{dropped}'" in out
    assert checksum(empty_db) == before


def test_commune_by_name_ambiguous_and_unknown(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = review_rows(4)
    for row in rows:
        del row[LAYOUT["commune_code"]]
        row["Tên xã"] = "Xa Vinh Trach Dong"
    rows[1]["Tên xã"] = "P.1"
    rows[2]["Tên xã"] = "Xã Không Tồn Tại"
    code, out, _ = run_ingest(write_csv(tmp_path / "names.csv", rows), "--db", empty_db)
    assert code == 1
    assert ("names.csv, row 3, column 'Tên xã': 'P.1' → expected one commune, but the name is ambiguous: Phường 1 "
            "(31825, Thành phố Bạc Liêu) or Phường 1 (31942, Thị xã Giá Rai)") in out
    assert "names.csv, row 4, column 'Tên xã': 'Xã Không Tồn Tại' → expected the name of one of Bạc Liêu's 64" in out


def test_accept_valid_loads_the_rest_and_writes_rejections_beside_the_input(tmp_path: Path, empty_db: Path,
                                                                           run_ingest) -> None:
    rows = review_rows(20)
    rows[3][LAYOUT["members"]] = "-2"
    rows[11]["Dinh dưỡng"] = "???"
    path = write_csv(tmp_path / "xa.csv", rows)
    code, out, _ = run_ingest(path, "--db", empty_db, "--accept-valid")
    assert code == 1
    assert "loaded partly — rows read 20, loaded 18, rejected 2" in out
    rejected = (tmp_path / "xa.rejected.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rejected) == 3
    assert rejected[1].startswith("5,T00003,") and "Số nhân khẩu: the number of household members" in rejected[1]
    assert rejected[2].startswith("13,T00011,") and "Dinh dưỡng: x, 1, có or thiếu hụt" in rejected[2]
    import duckdb
    con = duckdb.connect(str(empty_db), read_only=True)
    assert con.execute("SELECT count(*) FROM reviews").fetchall() == [(18,)]
    con.close()


def test_not_a_spreadsheet(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    path = tmp_path / "notes.csv"
    path.write_bytes("xin chào\n".encode("utf-16"))
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 1
    assert "not UTF-8" in out


def test_moving_a_stored_household_to_another_commune_is_refused(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = review_rows(6)
    assert run_ingest(write_csv(tmp_path / "a.csv", rows), "--db", empty_db)[0] == 0
    before = checksum(empty_db)
    rows[1][LAYOUT["commune_code"]] = "31843"
    code, out, _ = run_ingest(write_csv(tmp_path / "b.csv", rows), "--db", empty_db)
    assert code == 1
    assert "b.csv, row 3, column 'Mã xã': '31843' → expected Xã Vĩnh Trạch Đông (31837, Thành phố Bạc Liêu), " \
           "where this household is already registered" in out
    assert checksum(empty_db) == before
