"""The reference boundaries in ../shared/geo load, join on codes and shrink for the browser without losing shape."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import shape

from data.units import former_units
from geo import Boundaries, load_boundaries
from geo.boundaries import BAC_LIEU_BBOX, COMMUNES_FILE, DISTRICTS_FILE

DISTRICT_CODES = {"954", "956", "957", "958", "959", "960", "961"}


def _geometries(layer: dict[str, Any], key: str = "id") -> dict[str, shapely.Geometry]:
    return {(f[key] if key == "id" else f["properties"][key]): shape(f["geometry"]) for f in layer["features"]}


def _coordinates(layer: dict[str, Any]) -> list[float]:
    return [float(v) for f in layer["features"] for v in shapely.get_coordinates(shape(f["geometry"])).ravel()]


def test_every_unit_has_exactly_one_commune_outline(reference: Boundaries, unit_codes: list[str]) -> None:
    ids = [f["id"] for f in reference.communes["features"]]
    assert len(ids) == 64
    assert sorted(ids) == ids == sorted(unit_codes)


def test_seven_district_outlines(reference: Boundaries) -> None:
    assert reference.districts is not None
    assert [f["id"] for f in reference.districts["features"]] == sorted(DISTRICT_CODES)


def test_features_carry_codes_only(reference: Boundaries) -> None:
    assert reference.districts is not None
    for f in reference.communes["features"]:
        assert f["type"] == "Feature"
        assert set(f["properties"]) == {"commune_code", "district_code"}
        assert f["properties"]["commune_code"] == f["id"]
        assert f["properties"]["district_code"] in DISTRICT_CODES
    for f in reference.districts["features"]:
        assert f["properties"] == {"district_code": f["id"]}
    assert "crs" not in reference.communes  # RFC 7946: WGS84 is implied


def test_district_of_each_commune_agrees_with_the_unit_list(reference: Boundaries) -> None:
    units = former_units().set_index("commune_code")["district_code"]
    in_file = {f["id"]: f["properties"]["district_code"] for f in reference.communes["features"]}
    assert in_file == units.to_dict()


def test_each_commune_lies_in_the_district_outline_with_its_code(reference: Boundaries) -> None:
    # Two independent sources (vietnam63 communes, GIS-portal districts) joined on codes only.
    assert reference.districts is not None
    districts = _geometries(reference.districts)
    for f in reference.communes["features"]:
        commune = shape(f["geometry"])
        outline = districts[f["properties"]["district_code"]]
        assert commune.intersection(outline).area > 0.8 * commune.area, f["id"]


def test_both_layers_together_are_well_under_150_kb(reference: Boundaries, shared_geo: Path) -> None:
    communes, districts = reference.commune_bytes(), reference.district_bytes()
    assert communes + districts < 150_000
    assert communes < 45_000 and districts < 25_000  # measured 37,488 and 19,291 at the default tolerance
    assert communes < (shared_geo / COMMUNES_FILE).stat().st_size
    assert districts < (shared_geo / DISTRICTS_FILE).stat().st_size / 4
    assert communes == len(json.dumps(reference.communes, separators=(",", ":")).encode())


def test_simplification_removes_district_vertices(reference: Boundaries, raw_reference: dict[str, Any]) -> None:
    assert reference.districts is not None
    before = sum(len(shapely.get_coordinates(shape(f["geometry"]))) for f in raw_reference[DISTRICTS_FILE]["features"])
    after = sum(len(shapely.get_coordinates(shape(f["geometry"]))) for f in reference.districts["features"])
    assert before == 2760
    assert after < before / 2


def test_every_simplified_geometry_is_a_valid_polygon(reference: Boundaries) -> None:
    assert reference.districts is not None
    for layer in (reference.communes, reference.districts):
        for f in layer["features"]:
            geometry = shape(f["geometry"])
            assert geometry.geom_type in ("Polygon", "MultiPolygon"), f["id"]
            assert geometry.is_valid and not geometry.is_empty, (f["id"], shapely.is_valid_reason(geometry))


def test_exterior_rings_are_counter_clockwise(reference: Boundaries) -> None:
    assert reference.districts is not None
    for layer in (reference.communes, reference.districts):
        for f in layer["features"]:
            geometry = shape(f["geometry"])
            polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
            assert all(p.exterior.is_ccw for p in polygons), f["id"]


def test_district_borders_stay_shared(reference: Boundaries, raw_reference: dict[str, Any]) -> None:
    # The district outlines form a clean coverage; simplifying must not open gaps or overlaps between neighbours.
    assert reference.districts is not None
    original = list(_geometries(raw_reference[DISTRICTS_FILE], "ma_huyen").values())
    assert shapely.coverage_is_valid(original)
    assert shapely.coverage_is_valid(list(_geometries(reference.districts).values()))


def test_areas_survive_simplification(reference: Boundaries, raw_reference: dict[str, Any]) -> None:
    # Relative change of planar area in degrees²: at this size the lat/lon scale is constant to well under 0.1 %.
    assert reference.districts is not None
    pairs = [
        (_geometries(raw_reference[COMMUNES_FILE], "ma_xa"), _geometries(reference.communes)),
        (_geometries(raw_reference[DISTRICTS_FILE], "ma_huyen"), _geometries(reference.districts)),
    ]
    for before, after in pairs:
        assert before.keys() == after.keys()
        for code, geometry in before.items():
            assert abs(after[code].area / geometry.area - 1) < 0.01, code


def test_coordinates_are_rounded_and_inside_bac_lieu(reference: Boundaries) -> None:
    assert reference.districts is not None
    x0, y0, x1, y1 = BAC_LIEU_BBOX
    for layer in (reference.communes, reference.districts):
        coordinates = _coordinates(layer)
        assert all(round(v, 5) == v for v in coordinates)
        bounds = shapely.total_bounds([shape(f["geometry"]) for f in layer["features"]])
        assert x0 < bounds[0] < bounds[2] < x1 and y0 < bounds[1] < bounds[3] < y1


def test_tolerance_zero_only_rounds(shared_geo: Path, unit_codes: list[str], raw_reference: dict[str, Any]) -> None:
    exact = load_boundaries(unit_codes, shared_geo, tolerance=0)
    assert exact is not None and exact.districts is not None
    raw = _geometries(raw_reference[DISTRICTS_FILE], "ma_huyen")
    for code, geometry in _geometries(exact.districts).items():
        assert geometry.hausdorff_distance(raw[code]) < 1e-5, code


def test_each_load_builds_fresh_objects(reference: Boundaries, shared_geo: Path, unit_codes: list[str]) -> None:
    # Nothing cached at module level: the page owns caching (st.cache_resource).
    again = load_boundaries(iter(unit_codes), shared_geo)
    assert again == reference
    assert again is not reference and again.communes is not reference.communes
    assert again.source == shared_geo
