"""Loading: idempotent, newer files replace, round trip through export, formats, and no personal data stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from data import export
from data.ingest import year_rates
from data.warehouse import current_version
from tests import keyed
from tests.ingest.conftest import LAYOUT, checksum, review_rows, write_csv, write_xlsx


def _query(db: Path, sql: str) -> list[tuple]:
    con = keyed.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_summary_counts_and_rates(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    code, out, err = run_ingest(write_csv(tmp_path / "x.csv", review_rows(40)), "--db", empty_db)
    assert code == 0
    assert "x.csv: loaded — rows read 40, loaded 40, rejected 0; households new 40, updated 0" in out
    # Every 4th household is poor (10 of 40); the others are above the line.
    assert "2024 after the load: 40 households reviewed, poor 25.00 %, near-poor 0.00 %" in out
    assert "rows read" in err and "committed" in err
    assert _query(empty_db, "SELECT status, count(*) FROM classified GROUP BY ALL ORDER BY 1") == [
        ("above", 30), ("poor", 10)]
    assert _query(empty_db, "SELECT value FROM meta WHERE key = 'dataset'") == [("reviews",)]


def test_reimport_changes_nothing(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    path = write_csv(tmp_path / "x.csv", review_rows(50))
    assert run_ingest(path, "--db", demo_db)[0] == 0
    after_first = checksum(demo_db)
    version = current_version(demo_db)
    code, out, _ = run_ingest(path, "--db", demo_db)
    assert code == 0 and "skipped" in out
    assert checksum(demo_db) == after_first
    # an import that writes nothing publishes no version: viewers keep theirs (fresh-user pass)
    assert current_version(demo_db) == version
    # Forcing the same file again writes the same rows: only the import's timestamp moves.
    assert run_ingest(path, "--db", demo_db, "--force")[0] == 0
    again = checksum(demo_db)
    assert {k: v for k, v in again.items() if k not in ("imports", "meta")} == \
           {k: v for k, v in after_first.items() if k not in ("imports", "meta")}
    assert _query(demo_db, "SELECT value FROM meta WHERE key = 'dataset'") == [("demo",)]
    assert _query(demo_db, "SELECT value FROM meta WHERE key = 'imported_years'") == [("2024",)]


def test_newer_file_replaces_the_same_households_rows(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = review_rows(12)
    assert run_ingest(write_csv(tmp_path / "v1.csv", rows), "--db", empty_db)[0] == 0
    rows[1][LAYOUT["income_per_capita"]] = "1.200.000"  # now under the line: near-poor
    rows[1]["Việc làm"] = "x"
    rows[2][LAYOUT["ethnicity"]] = "Khmer"  # was Hoa
    code, out, _ = run_ingest(write_csv(tmp_path / "v2.csv", rows), "--db", empty_db)
    assert code == 0
    assert "households new 0, updated 1; reviews new 0, replaced 1" in out
    assert _query(empty_db, "SELECT income_per_capita, d_employment, status FROM classified_ids "
                            "WHERE household_id = 'T00001'") == [(1_200_000, True, "near_poor")]
    assert _query(empty_db, "SELECT ethnicity FROM households WHERE household_id = 'T00002'") == [("khmer",)]
    assert _query(empty_db, "SELECT count(*) FROM reviews") == [(12,)]
    assert _query(empty_db, "SELECT count(*) FROM imports") == [(2,)]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_into_empty_warehouse_reproduces_classified(tmp_path: Path, demo_template: Path,
                                                                      empty_db: Path, run_ingest,
                                                                      suffix: str) -> None:
    con = keyed.connect(demo_template)
    frame = export.reviews_frame(con, 2023)
    expected = con.execute("SELECT * FROM classified_ids WHERE year = 2023 ORDER BY household_id").fetchall()
    con.close()
    if suffix == ".xlsx":
        frame = frame.head(3000)
        kept = set(frame["Mã hộ"])
        expected = [r for r in expected if r[0] in kept]
    path = tmp_path / f"export{suffix}"
    export.write(frame, path)
    code, out, _ = run_ingest(path, "--db", empty_db)
    assert code == 0, out
    got = _query(empty_db, "SELECT * FROM classified_ids WHERE year = 2023 ORDER BY household_id")
    assert len(got) == len(expected) > 1000
    assert got == expected


def test_export_command_writes_the_import_layout(tmp_path: Path, demo_template: Path) -> None:
    out = tmp_path / "2025.csv"
    assert export.main(["--year", "2025", str(out), "--db", str(demo_template)]) == 0
    header = out.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert header[:9] == list(LAYOUT.values())[:9] and len(header) == 21


def test_semicolon_csv_with_bom_and_xlsx_with_title_rows(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = review_rows(8, prefix="S")
    code, out, _ = run_ingest(write_csv(tmp_path / "s.csv", rows, delimiter=";", encoding="utf-8-sig"),
                              "--db", empty_db)
    assert code == 0, out
    rows = review_rows(8, prefix="X")
    rows[2][LAYOUT["income_per_capita"]] = "1.450.000"
    code, out, _ = run_ingest(write_xlsx(tmp_path / "x.xlsx", rows, title_rows=2), "--db", empty_db)
    assert code == 0, out
    assert _query(empty_db, "SELECT income_per_capita FROM reviews WHERE household_id = 'X00002'") == [(1_450_000,)]
    # Row numbers count the title rows: the header is row 3, so the first household is row 4.
    rows[0][LAYOUT["members"]] = 0
    code, out, _ = run_ingest(write_xlsx(tmp_path / "y.xlsx", rows, title_rows=2), "--db", empty_db)
    assert "y.xlsx, row 4, column 'Số nhân khẩu': '0'" in out


def test_headers_typed_loosely_and_communes_by_name(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = []
    for i, (name, district) in enumerate([("P.1", "TX Giá Rai"), ("TT Ngan Dừa", ""), ("Xa Vinh Trach Dong", ""),
                                          ("Phường 01", "TP Bạc Liêu")]):
        rows.append({"ma ho": f"N{i}", "TEN XA": name, "huyen": district, "dan toc chu ho": "kinh",
                     "so nhan khau": 3, "Thu nhập BQ": "2.500.000", "btxh": "không", "Nam": 2022,
                     **{h.upper(): "" for h in LAYOUT.values() if h in
                        [v for f, v in LAYOUT.items() if f.startswith("d_")]}})
    code, out, _ = run_ingest(write_csv(tmp_path / "loose.csv", rows), "--db", empty_db)
    assert code == 0, out
    assert _query(empty_db, "SELECT household_id, commune_code FROM households ORDER BY 1") == [
        ("N0", "31942"), ("N1", "31843"), ("N2", "31837"), ("N3", "31825")]


PERSONAL = {"Họ và tên chủ hộ": "Nguyễn Thị Bé Ba", "Số CCCD": "079301234567", "Địa chỉ": "Ấp Cù Lao, khóm 9",
            "Số điện thoại": "0912 345 678"}


def test_personal_data_is_never_stored_or_echoed(tmp_path: Path, empty_db: Path, run_ingest) -> None:
    rows = [{**PERSONAL, **row} for row in review_rows(10)]
    rows[4][LAYOUT["members"]] = "không rõ"  # an error on a row carrying personal data
    code, out, err = run_ingest(write_csv(tmp_path / "p.csv", rows), "--db", empty_db, "--accept-valid")
    assert code == 1
    assert "personal-data columns dropped, never read: Họ và tên chủ hộ, Số CCCD, Địa chỉ, Số điện thoại" in out
    rejected = (tmp_path / "p.rejected.csv").read_text(encoding="utf-8-sig")
    for value in PERSONAL.values():
        assert value not in out + err + rejected
    con = duckdb.connect(str(empty_db), read_only=True)
    columns = con.execute("SELECT table_name, column_name, data_type FROM duckdb_columns() "
                          "WHERE NOT internal AND schema_name = 'main'").fetchall()
    # names of places and standards (reference data, never a person's), and of the file imported
    allowed = {("standards", "name"), ("imports", "file_name"), ("unit_sets", "province_name"),
               ("places", "unit_name"), ("places", "district_name")}
    assert not [(t, c) for t, c, _ in columns if any(w in c.lower() for w in ("name", "cccd", "phone", "address"))
                and t != "units" and (t, c) not in allowed]
    for table, column, dtype in columns:
        if dtype == "VARCHAR":
            hits = con.execute(f'SELECT count(*) FROM "{table}" WHERE list_contains($values, "{column}") '  # noqa: S608
                               f'OR "{column}" LIKE \'%079301234567%\'',
                               {"values": list(PERSONAL.values())}).fetchall()[0][0]
            assert hits == 0, (table, column)
    assert con.execute("SELECT count(*) FROM reviews").fetchall() == [(9,)]
    con.close()


def test_rates_come_from_the_classified_view(demo_template: Path, tmp_path: Path) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_template, path)
    con = duckdb.connect(str(path), read_only=True)
    (year, households, poor, near), = year_rates(con, [2021])
    con.close()
    assert (year, round(poor, 2), round(near, 2)) == (2021, 5.09, 6.54) and households > 19_000


STALE_ROWS = """SELECT (SELECT count(*) FROM (SELECT * FROM classified_live EXCEPT ALL SELECT * FROM classified)),
                       (SELECT count(*) FROM (SELECT * FROM classified EXCEPT ALL SELECT * FROM classified_live))"""


def test_the_stored_classification_follows_every_import(tmp_path: Path, demo_db: Path, run_ingest) -> None:
    """`classified` is stored for speed; after an import it must equal the live rule for every year."""
    rows = review_rows(40, year=2023)
    assert run_ingest(write_csv(tmp_path / "a.csv", rows), "--db", demo_db)[0] == 0
    assert _query(demo_db, STALE_ROWS) == [(0, 0)]
    # The same households a year later, one of them now recorded as Khmer: its 2023 row changes ethnicity too.
    later = review_rows(40, year=2024)
    later[0][LAYOUT["ethnicity"]] = "Khmer"  # was Kinh
    assert run_ingest(write_csv(tmp_path / "b.csv", later), "--db", demo_db)[0] == 0
    assert _query(demo_db, STALE_ROWS) == [(0, 0)]
    assert _query(demo_db, "SELECT year, ethnicity FROM classified_ids WHERE household_id = 'T00000' ORDER BY year") \
        == [(2023, "khmer"), (2024, "khmer")]
