"""Both unit sets and the crosswalk come from vietnamadminunits and match domain.md §3 and §6; reused codes are read by
the review year; a review is classified with the area of the unit in force at it."""

import duckdb
import pytest

from data.units import current_units, former_units, load_crosswalk, load_units
from tests.keyed import add_household

EXPECTED = {  # district: (phường, thị trấn, xã), domain.md §3
    "954": (7, 0, 3), "956": (0, 1, 8), "957": (0, 1, 7), "958": (0, 1, 7),
    "959": (3, 0, 7), "960": (0, 1, 10), "961": (0, 1, 7),
}


def test_sixty_four_former_units_in_seven_districts():
    units = former_units()
    assert len(units) == 64 and units["commune_code"].is_unique
    assert units["commune_code"].str.fullmatch(r"3\d{4}").all()
    counts = units.groupby(["district_code", "commune_type"]).size().unstack(fill_value=0)
    for code, (phuong, thi_tran, xa) in EXPECTED.items():
        row = counts.loc[code]
        assert (row.get("phường", 0), row.get("thị trấn", 0), row.get("xã", 0)) == (phuong, thi_tran, xa), code


def test_twenty_five_current_units_without_districts():
    units = current_units()
    assert len(units) == 25 and units["commune_code"].is_unique
    assert (units["commune_type"] == "phường").sum() == 5 and (units["commune_type"] == "xã").sum() == 20
    assert units["district_code"].isna().all() and units["district_name"].isna().all()
    assert (units["unit_set"] == "current").all()
    both = load_units()
    assert len(both) == 89 and not both.duplicated(["unit_set", "commune_code"]).any()


def test_area_follows_the_unit_type():
    for units, urban in ((former_units(), 15), (current_units(), 5)):
        assert (units.loc[units.commune_type == "xã", "area"] == "rural").all()
        assert (units.loc[units.commune_type != "xã", "area"] == "urban").all()
        assert (units["area"] == "urban").sum() == urban
    names = dict(zip(former_units().commune_code, former_units().commune_name, strict=True))
    assert names["31837"] == "Xã Vĩnh Trạch Đông" and names["31843"] == "Thị trấn Ngan Dừa"
    assert former_units().loc[former_units().commune_code == "31942", "district_name"].item() == "Thị xã Giá Rai"


def test_crosswalk_maps_every_former_unit_whole_into_one_current_unit():
    walk = load_crosswalk()
    former, current = former_units(), current_units()
    assert len(walk) == 64 and walk["former_code"].is_unique
    assert set(walk["former_code"]) == set(former["commune_code"])
    assert set(walk["current_code"]) == set(current["commune_code"])
    parts = walk.groupby("current_code")["former_code"].apply(set)
    # domain.md §6: the reused codes and what they now cover
    assert parts["31825"] == {"31825", "31813", "31816", "31822", "31828"}  # Phường Bạc Liêu = former P. 1, 2, 3, 7, 8
    assert parts["31834"] == {"31834", "31819"}  # Phường Vĩnh Trạch = former Xã Vĩnh Trạch + Phường 5
    # new units do not nest in former districts: Xã Hòa Bình takes Xã Long Thạnh from the former Vĩnh Lợi district
    by_name = former.set_index("commune_name")
    long_thanh = by_name.loc["Xã Long Thạnh"]
    assert long_thanh["district_name"] == "Huyện Vĩnh Lợi"
    hoa_binh = current.set_index("commune_name").loc["Xã Hòa Bình", "commune_code"]
    assert walk.set_index("former_code").loc[long_thanh["commune_code"], "current_code"] == hoa_binh
    # five former thị trấn are now (parts of) xã
    current_type = current.set_index("commune_code")["commune_type"]
    became = former.assign(now=former["current_code"].map(current_type))
    assert (became.loc[became.commune_type == "thị trấn", "now"] == "xã").sum() == 5


def _labels(con, unit_set: str = "former") -> dict[str, str]:
    from queries.sql import execute

    units = execute(con, "units")
    units = units[units["unit_set"] == unit_set]
    return dict(zip(units["commune_code"], units["commune_label"], strict=True))


def test_every_unit_has_one_label_and_the_two_phuong_1_name_their_district(empty_warehouse):
    labels = _labels(empty_warehouse)
    assert len(labels) == 64 and len(set(labels.values())) == 64
    assert labels["31825"] == "Phường 1 (TP Bạc Liêu)"
    assert labels["31942"] == "Phường 1 (TX Giá Rai)"
    # Every other unit keeps its official name: it is unique in the province (counted here in pandas).
    units = former_units()
    unique = units[~units["commune_name"].duplicated(keep=False)]
    assert len(unique) == 62
    assert all(labels[code] == name for code, name in zip(unique["commune_code"], unique["commune_name"], strict=True))
    # the same code in the current set is another unit, with its own name
    assert _labels(empty_warehouse, "current")["31825"] == "Phường Bạc Liêu"


def test_a_warehouse_made_by_the_importer_has_the_labels_too(tmp_path):
    from data.ingest import create_empty

    path = tmp_path / "w.duckdb"
    create_empty(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert _labels(con)["31942"] == "Phường 1 (TX Giá Rai)"
        assert con.execute("SELECT count(*) FROM unit_crosswalk").fetchone() == (64,)
    finally:
        con.close()


@pytest.mark.parametrize(("year", "unit_set"), [(2021, "former"), (2024, "former"), (2025, "current"),
                                                (2026, "current")])
def test_the_review_year_decides_the_unit_set(empty_warehouse, year, unit_set):
    """Reviews run from 1 September; the current units are in force from 1 July 2025 (unit_sets.csv)."""
    assert empty_warehouse.execute("SELECT review_unit_set(?)", [year]).fetchone() == (unit_set,)


@pytest.mark.parametrize(("code", "year", "name", "area"), [
    ("31834", 2024, "Xã Vĩnh Trạch", "rural"), ("31834", 2025, "Phường Vĩnh Trạch", "urban"),
    ("31825", 2024, "Phường 1", "urban"), ("31825", 2025, "Phường Bạc Liêu", "urban"),
])
def test_a_reused_code_is_read_by_the_year(empty_warehouse, code, year, name, area):
    got = empty_warehouse.execute(
        "SELECT commune_name, area FROM units WHERE unit_set = review_unit_set(?) AND commune_code = ?",
        [year, code]).fetchone()
    assert got == (name, area)


def _household(con, household_id: str, former: str, year: int, income: int) -> None:
    current = con.execute("SELECT current_code FROM unit_crosswalk WHERE former_code = ?", [former]).fetchone()[0]
    key = add_household(con, household_id, former, current)
    deprived = [True, True, True] + [False] * 9  # exactly 3 of the 12 deprivations
    con.execute("INSERT INTO review_rows VALUES (?, ?, 4, ?, false, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [key, year, income, *deprived])


@pytest.mark.parametrize(("former", "status_2024", "status_2025"), [
    # former Xã Vĩnh Trạch (rural) is now part of Phường Vĩnh Trạch (urban): rural line 1,500,000 in 2024, urban
    # line 2,000,000 in 2025 (Decree 07/2021/NĐ-CP)
    ("31834", "average", "poor"),
    # former Thị trấn Hòa Bình (urban) is now part of Xã Hòa Bình (rural): the other way round
    ("31891", "poor", "average"),
])
def test_the_same_household_is_classified_by_the_area_in_force(empty_warehouse, former, status_2024, status_2025):
    con = empty_warehouse
    name = con.execute("SELECT commune_name FROM units WHERE unit_set = 'former' AND commune_code = ?",
                       [former]).fetchone()[0]
    assert name in {"Xã Vĩnh Trạch", "Thị trấn Hòa Bình"}
    _household(con, "H1", former, 2024, 1_800_000)
    con.execute("INSERT INTO review_rows SELECT * REPLACE (2025 AS year) FROM review_rows WHERE household_key = "
                "(SELECT household_key FROM households WHERE household_id = 'H1')")
    from data.warehouse import refresh_classified

    refresh_classified(con)
    got = dict(con.execute("SELECT year, status FROM classified_ids WHERE household_id = 'H1'").fetchall())
    assert got == {2024: status_2024, 2025: status_2025}
    areas = dict(con.execute("SELECT year, area FROM classified_ids WHERE household_id = 'H1'").fetchall())
    assert areas[2024] != areas[2025]
