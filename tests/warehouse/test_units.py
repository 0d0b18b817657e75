"""The unit list comes from vietnamadminunits and matches domain.md §3."""

from data.units import load_units

EXPECTED = {  # district: (phường, thị trấn, xã), domain.md §3
    "954": (7, 0, 3), "956": (0, 1, 8), "957": (0, 1, 7), "958": (0, 1, 7),
    "959": (3, 0, 7), "960": (0, 1, 10), "961": (0, 1, 7),
}


def test_sixty_four_units_in_seven_districts():
    units = load_units()
    assert len(units) == 64 and units["commune_code"].is_unique
    assert units["commune_code"].str.fullmatch(r"3\d{4}").all()
    counts = units.groupby(["district_code", "commune_type"]).size().unstack(fill_value=0)
    for code, (phuong, thi_tran, xa) in EXPECTED.items():
        row = counts.loc[code]
        assert (row.get("phường", 0), row.get("thị trấn", 0), row.get("xã", 0)) == (phuong, thi_tran, xa), code


def test_area_follows_the_unit_type():
    units = load_units()
    assert (units.loc[units.commune_type == "xã", "area"] == "rural").all()
    assert (units.loc[units.commune_type != "xã", "area"] == "urban").all()
    assert (units["area"] == "urban").sum() == 15
    names = dict(zip(units.commune_code, units.commune_name, strict=True))
    assert names["31837"] == "Xã Vĩnh Trạch Đông" and names["31843"] == "Thị trấn Ngan Dừa"
    assert units.loc[units.commune_code == "31942", "district_name"].item() == "Thị xã Giá Rai"


def _labels(con) -> dict[str, str]:
    from queries.sql import execute

    units = execute(con, "units")
    return dict(zip(units["commune_code"], units["commune_label"], strict=True))


def test_every_unit_has_one_label_and_the_two_phuong_1_name_their_district(empty_warehouse):
    labels = _labels(empty_warehouse)
    assert len(labels) == 64 and len(set(labels.values())) == 64
    assert labels["31825"] == "Phường 1 (TP Bạc Liêu)"
    assert labels["31942"] == "Phường 1 (TX Giá Rai)"
    # Every other unit keeps its official name: it is unique in the province (counted here in pandas).
    units = load_units()
    unique = units[~units["commune_name"].duplicated(keep=False)]
    assert len(unique) == 62
    assert all(labels[code] == name for code, name in zip(unique["commune_code"], unique["commune_name"], strict=True))


def test_a_warehouse_made_by_the_importer_has_the_labels_too(tmp_path):
    import duckdb

    from data.ingest import create_empty

    path = tmp_path / "w.duckdb"
    create_empty(path)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert _labels(con)["31942"] == "Phường 1 (TX Giá Rai)"
    finally:
        con.close()
