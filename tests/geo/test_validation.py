"""Boundary files that do not match the unit list, or are not clean WGS84 polygons, are refused clearly."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyproj
import pytest
from shapely.geometry import LinearRing

from geo import BoundaryError, load_boundaries
from geo.boundaries import COMMUNES_FILE, DISTRICTS_FILE, _check_read_crs

from .conftest import SYNTHETIC_COMMUNES, collection, feature, square, write

Edit = Callable[[Path, Callable[[dict[str, Any]], None]], None]
CODES = list(SYNTHETIC_COMMUNES)


def _refused(directory: Path, pattern: str, codes: list[str] = CODES, file: str = COMMUNES_FILE) -> str:
    with pytest.raises(BoundaryError) as caught:
        load_boundaries(codes, directory)
    message = str(caught.value)
    assert str(directory / file) in message  # every message names the file
    assert re.search(pattern, message), message
    return message


def _commune(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(f for f in data["features"] if f["properties"]["ma_xa"] == code)


def test_valid_synthetic_layers_load(synthetic: Path) -> None:
    boundaries = load_boundaries(reversed(CODES), synthetic)
    assert boundaries is not None and boundaries.districts is not None
    assert [f["id"] for f in boundaries.communes["features"]] == CODES
    assert boundaries.communes["features"][2]["properties"] == {"commune_code": "10003", "district_code": "902"}
    assert [f["properties"] for f in boundaries.districts["features"]] == [
        {"district_code": "901"},
        {"district_code": "902"},
    ]
    assert boundaries.commune_bytes() > 0 and boundaries.district_bytes() > 0


def test_boundary_error_is_a_value_error() -> None:
    assert issubclass(BoundaryError, ValueError)


def test_missing_commune_is_named(synthetic: Path) -> None:
    _refused(synthetic, r"missing \['10005'\], unexpected \[\]", CODES + ["10005"])


def test_unexpected_commune_is_named(synthetic: Path) -> None:
    _refused(synthetic, r"missing \[\], unexpected \['10004'\]", CODES[:3])


def test_missing_and_unexpected_are_reported_together(synthetic: Path) -> None:
    _refused(synthetic, r"missing \['10009'\], unexpected \['10004'\]", CODES[:3] + ["10009"])


def test_duplicate_code(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10004")["properties"].update(ma_xa="10001"))
    _refused(synthetic, r"duplicate ma_xa codes \['10001'\]")


def test_self_intersecting_geometry_is_refused_not_repaired(synthetic: Path, edit_layer: Edit) -> None:
    bowtie = {
        "type": "Polygon",
        "coordinates": [[[105.5, 9.3], [105.55, 9.35], [105.55, 9.3], [105.5, 9.35], [105.5, 9.3]]],
    }
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002").update(geometry=bowtie))
    _refused(synthetic, r"ma_xa=10002\): invalid geometry: Self-intersection")


@pytest.mark.parametrize(
    ("geometry", "pattern"),
    [
        (None, "no geometry"),
        ({"type": "Polygon", "coordinates": []}, "empty geometry"),
        ({"type": "Point", "coordinates": [105.5, 9.3]}, "Point geometry"),
        ({"type": "Polygon", "coordinates": [[[105.5]]]}, "unreadable geometry"),
    ],
)
def test_geometry_must_be_a_polygon(synthetic: Path, edit_layer: Edit, geometry: Any, pattern: str) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10003").update(geometry=geometry))
    _refused(synthetic, rf"ma_xa=10003\): {pattern}")


def test_all_bad_geometries_are_listed(synthetic: Path, edit_layer: Edit) -> None:
    def break_two(data: dict[str, Any]) -> None:
        _commune(data, "10001")["geometry"] = None
        _commune(data, "10004")["geometry"] = {"type": "Polygon", "coordinates": []}

    edit_layer(synthetic / COMMUNES_FILE, break_two)
    _refused(synthetic, r"ma_xa=10001.*ma_xa=10004")


def test_projected_crs_is_refused(synthetic: Path, edit_layer: Edit) -> None:
    vn2000 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3405"}}
    edit_layer(synthetic / COMMUNES_FILE, lambda d: d.update(crs=vn2000))
    _refused(synthetic, r"EPSG::3405.*not WGS84")


@pytest.mark.parametrize(
    "crs",
    [
        {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}},  # UTM 48N: GDAL reads it as such
        {"type": "name", "properties": {"name": "urn:x-local:crs:vn2000-baclieu"}},  # GDAL reads EPSG:4326 instead
        {"type": "link", "properties": {"href": "https://example.org/vn2000.prj", "type": "proj4"}},  # likewise
        {"type": "EPSG", "properties": {"code": 3405}},  # the 2008 spec's form; likewise
    ],
)
def test_any_other_crs_is_refused_even_where_gdal_would_read_wgs84(
    synthetic: Path, edit_layer: Edit, crs: dict[str, Any]
) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: d.update(crs=crs))
    message = _refused(synthetic, r"is not WGS84 lon/lat; expected no crs member, or .*CRS84 / EPSG:4326")
    assert json.dumps(crs, ensure_ascii=False) in message


def test_gdal_reading_another_crs_is_refused_after_reading(tmp_path: Path) -> None:
    # The second line of defence, for a file whose crs member names WGS84 but which GDAL reads otherwise.
    path = tmp_path / COMMUNES_FILE
    with pytest.raises(BoundaryError, match=rf"{path}: GDAL reads the CRS as EPSG:3405; expected WGS84"):
        _check_read_crs(path, pyproj.CRS("EPSG:3405"))
    with pytest.raises(BoundaryError, match="GDAL reads the CRS as none"):
        _check_read_crs(path, None)
    _check_read_crs(path, pyproj.CRS("OGC:CRS84"))  # lon/lat order: the same WGS84


@pytest.mark.parametrize("crs", [None, "EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84"])
def test_wgs84_spellings_are_accepted(synthetic: Path, edit_layer: Edit, crs: str | None) -> None:
    def set_crs(data: dict[str, Any]) -> None:
        data.pop("crs", None)
        if crs:
            data["crs"] = {"type": "name", "properties": {"name": crs}}

    edit_layer(synthetic / COMMUNES_FILE, set_crs)
    assert load_boundaries(CODES, synthetic) is not None


def test_projected_coordinates_without_crs_are_refused(synthetic: Path) -> None:
    # VN-2000 / UTM 48N metres written as if they were degrees.
    metres = [
        feature({"ma_xa": code, "ma_huyen": d}, {"type": "Polygon", "coordinates": [[[x, y] for x, y in ring]]})
        for code, (d, col, row) in SYNTHETIC_COMMUNES.items()
        for ring in [
            [
                (555_000 + col * 5000, 1_025_000 + row * 5000),
                (560_000 + col * 5000, 1_025_000 + row * 5000),
                (560_000 + col * 5000, 1_030_000 + row * 5000),
                (555_000 + col * 5000, 1_025_000 + row * 5000),
            ]
        ]
    ]
    write(synthetic / COMMUNES_FILE, collection(metres, crs=None))
    _refused(synthetic, r"outside Bạc Liêu's box.*ma_xa=10001.*projected metres")


def test_swapped_lat_lon_is_refused(synthetic: Path, edit_layer: Edit) -> None:
    def swap(data: dict[str, Any]) -> None:
        for f in data["features"]:
            f["geometry"]["coordinates"] = [[[y, x] for x, y in ring] for ring in f["geometry"]["coordinates"]]

    edit_layer(synthetic / COMMUNES_FILE, swap)
    _refused(synthetic, r"outside Bạc Liêu's box.*lat/lon swapped")


def test_code_property_is_required(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002")["properties"].pop("ma_xa"))
    _refused(synthetic, r"feature #1 has no property 'ma_xa'")


def test_district_code_of_a_commune_is_required(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002")["properties"].pop("ma_huyen"))
    _refused(synthetic, r"ma_xa=10002\) has no property 'ma_huyen'")


def test_names_are_not_codes(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002")["properties"].update(ma_xa="P.1"))
    _refused(synthetic, r"code 'P.1'; expected a string of digits")


def test_integer_codes_are_read_as_zero_padded_strings(synthetic: Path, edit_layer: Edit) -> None:
    def to_int(data: dict[str, Any]) -> None:
        for f in data["features"]:
            f["properties"]["ma_xa"] = int(f["properties"]["ma_xa"])
        _commune(data, 10001)["properties"]["ma_xa"] = 9999  # a GSO code that lost its leading zero

    edit_layer(synthetic / COMMUNES_FILE, to_int)
    boundaries = load_boundaries(["09999", *CODES[1:]], synthetic)
    assert boundaries is not None
    assert [f["id"] for f in boundaries.communes["features"]] == ["09999", *CODES[1:]]


def test_codes_written_as_floats_are_read_as_integers(synthetic: Path, edit_layer: Edit) -> None:
    # Shapefile conversions write codes as 31813.0: GDAL reads an all-number column as float64.
    def to_float(data: dict[str, Any]) -> None:
        for f in data["features"]:
            f["properties"]["ma_xa"] = float(f["properties"]["ma_xa"])
            f["properties"]["ma_huyen"] = float(f["properties"]["ma_huyen"])
        _commune(data, 10001.0)["properties"]["ma_xa"] = 9999.0  # and lost its leading zero

    edit_layer(synthetic / COMMUNES_FILE, to_float)
    boundaries = load_boundaries(["09999", *CODES[1:]], synthetic)
    assert boundaries is not None
    assert [f["properties"] for f in boundaries.communes["features"]][:2] == [
        {"commune_code": "09999", "district_code": "901"},
        {"commune_code": "10002", "district_code": "901"},
    ]


def test_codes_written_as_float_strings_are_read_as_integers(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002")["properties"].update(ma_xa="10002.0"))
    boundaries = load_boundaries(CODES, synthetic)
    assert boundaries is not None and [f["id"] for f in boundaries.communes["features"]] == CODES


@pytest.mark.parametrize("value", [10002.5, "10002.5", True, -10002, "1e4", "", [10002]])
def test_codes_that_are_not_whole_numbers_are_refused(synthetic: Path, edit_layer: Edit, value: object) -> None:
    # Read from the file's JSON: GDAL would have turned True into 1 and "1e4" into 10000.0 in a column of numbers.
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002")["properties"].update(ma_xa=value))
    _refused(synthetic, rf"feature #1 property 'ma_xa' has code {re.escape(repr(value))}; expected a string of digits")


@pytest.mark.parametrize(("number", "value"), [(int, True), (float, "1e4")])
def test_gdal_column_conversions_make_no_code(synthetic: Path, edit_layer: Edit, number: type, value: object) -> None:
    # In a column of numbers GDAL reads True as 1 and "1e4" as 10000.0: plausible codes made from wrong ones.
    def put(data: dict[str, Any]) -> None:
        for f in data["features"]:
            f["properties"]["ma_xa"] = number(f["properties"]["ma_xa"])
        _commune(data, number("10002"))["properties"]["ma_xa"] = value

    edit_layer(synthetic / COMMUNES_FILE, put)
    _refused(synthetic, rf"feature #1 property 'ma_xa' has code {value!r}; expected a string of digits")


def test_a_null_code_is_a_missing_code(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10003")["properties"].update(ma_xa=None))
    _refused(synthetic, r"feature #2 has no property 'ma_xa' \(or it is null; expected its code\)")


def test_district_codes_must_match_the_communes(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / DISTRICTS_FILE, lambda d: d["features"][1]["properties"].update(ma_huyen="903"))
    _refused(synthetic, r"ma_huyen codes do not match .*missing \['902'\], unexpected \['903'\]", file=DISTRICTS_FILE)


def test_district_layer_is_validated_like_the_communes(synthetic: Path, edit_layer: Edit) -> None:
    edit_layer(synthetic / DISTRICTS_FILE, lambda d: d["features"][0].update(geometry=None))
    _refused(synthetic, r"ma_huyen=901\): no geometry", file=DISTRICTS_FILE)


def test_missing_district_file_gives_communes_only(synthetic: Path) -> None:
    (synthetic / DISTRICTS_FILE).unlink()
    boundaries = load_boundaries(CODES, synthetic)
    assert boundaries is not None
    assert boundaries.districts is None and boundaries.district_bytes() == 0
    assert len(boundaries.communes["features"]) == 4


def test_explicit_folder_without_communes_file(tmp_path: Path) -> None:
    _refused(tmp_path, "file not found")


@pytest.mark.parametrize(
    ("content", "pattern"),
    [("{not json", "cannot read as GeoJSON"), ('{"type": "Feature"}', "expected a GeoJSON FeatureCollection")],
)
def test_file_must_be_a_feature_collection(tmp_path: Path, content: str, pattern: str) -> None:
    (tmp_path / COMMUNES_FILE).write_text(content, encoding="utf-8")
    _refused(tmp_path, pattern)


def test_a_lone_feature_is_refused_though_gdal_reads_it(tmp_path: Path) -> None:
    lone = feature({"ma_xa": "10001", "ma_huyen": "901"}, square(0, 0))
    write(tmp_path / COMMUNES_FILE, lone)
    _refused(tmp_path, r"its top level is a Feature \(expected a GeoJSON FeatureCollection", ["10001"])


@pytest.mark.parametrize("member", [{"properties": {"ma_xa": "10002", "ma_huyen": "901"}}, "10002", None])
def test_every_member_of_features_must_be_a_feature(synthetic: Path, edit_layer: Edit, member: Any) -> None:
    # GDAL skips such members silently: a feature without "type" would just vanish from the map.
    def replace(data: dict[str, Any]) -> None:
        if isinstance(member, dict):
            member["geometry"] = square(1, 0)
        data["features"][1] = member

    edit_layer(synthetic / COMMUNES_FILE, replace)
    _refused(synthetic, r"feature #1 is not a GeoJSON Feature object")


def test_a_geometry_gdal_cannot_read_is_unreadable_not_missing(synthetic: Path, edit_layer: Edit) -> None:
    unclosed = {"type": "Polygon", "coordinates": [[[105.55, 9.3], [105.6, 9.3], [105.6, 9.35], [105.55, 9.35]]]}
    edit_layer(synthetic / COMMUNES_FILE, lambda d: _commune(d, "10002").update(geometry=unclosed))
    message = _refused(synthetic, r"ma_xa=10002\): unreadable geometry \(\{\"type\": \"Polygon\"")
    assert "GDAL said:" in message and "closed" in message


def test_a_single_string_is_not_a_list_of_codes(synthetic: Path) -> None:
    with pytest.raises(TypeError):
        load_boundaries("10001", synthetic)


def test_square_fixture_is_preserved_up_to_rounding(synthetic: Path) -> None:
    # Squares have nothing to simplify: the output is the input outline at 5 decimals, counter-clockwise.
    boundaries = load_boundaries(CODES, synthetic)
    assert boundaries is not None
    ring = boundaries.communes["features"][0]["geometry"]["coordinates"][0]
    expected = [(round(x, 5), round(y, 5)) for x, y in square(0, 0)["coordinates"][0][:-1]]
    assert sorted(map(tuple, ring[:-1])) == sorted(expected)
    assert ring[0] == ring[-1] and LinearRing(ring).is_ccw
