"""The 25 current units' boundaries, dissolved from the former communes per the crosswalk: codes, areas, containment,
no overlaps beyond the source's own; and the same strict reading of the communes file behind them."""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, box, shape

from data.units import current_units, former_units, load_crosswalk
from geo import Boundaries, BoundaryError, commune_centres, load_boundaries
from geo.boundaries import COMMUNES_FILE, DECIMALS, DEFAULT_TOLERANCE, SLIVER_MAX_KM2

from .conftest import ORIGIN, SIZE, SYNTHETIC_COMMUNES, write

# Synthetic crosswalk: the 2×2 block's bottom row becomes 20001, its top row 20003 (a current code that reuses none of
# the former ones, and one per row).
SYNTHETIC_WALK = {"10001": "20001", "10002": "20001", "10003": "20003", "10004": "20003"}
CURRENT = ["20001", "20003"]


def _shapes(layer: dict[str, Any]) -> dict[str, shapely.Geometry]:
    return {f["id"]: shape(f["geometry"]) for f in layer["features"]}


def _km2(geometries: list[shapely.Geometry]) -> np.ndarray:
    """Areas in km² in the EASE-Grid 2.0 equal-area projection (independent of geo's own measurements)."""
    return gpd.GeoSeries(geometries, crs="EPSG:4326").to_crs("EPSG:6933").area.to_numpy() / 1e6


@pytest.fixture(scope="module")
def parts(raw_reference: dict[str, Any]) -> dict[str, shapely.Geometry]:
    """The former communes as written in the reference file, by code."""
    return {f["properties"]["ma_xa"]: shape(f["geometry"]) for f in raw_reference[COMMUNES_FILE]["features"]}


@pytest.fixture(scope="module")
def members() -> dict[str, list[str]]:
    """current code → its former codes."""
    walk = load_crosswalk()
    return {code: sorted(group["former_code"]) for code, group in walk.groupby("current_code")}


# --- the reference: 25 units -------------------------------------------------------------------------------------


def test_dissolve_gives_the_25_current_units(current_reference: Boundaries, current_codes: list[str]) -> None:
    ids = [f["id"] for f in current_reference.communes["features"]]
    assert len(ids) == 25 and ids == sorted(current_codes)
    assert current_reference.unit_set == "current" and current_reference.districts is None
    assert current_reference.district_bytes() == 0
    for f in current_reference.communes["features"]:
        assert f["properties"] == {"commune_code": f["id"]}
        geometry = shape(f["geometry"])
        assert geometry.geom_type in ("Polygon", "MultiPolygon") and geometry.is_valid and not geometry.is_empty
        polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
        assert all(p.exterior.is_ccw for p in polygons), f["id"]
        assert all(round(v, DECIMALS) == v for v in shapely.get_coordinates(geometry).ravel())


def test_the_former_set_is_unchanged_beside_it(reference: Boundaries) -> None:
    assert reference.unit_set == "former" and len(reference.communes["features"]) == 64
    assert reference.districts is not None and len(reference.districts["features"]) == 7


def test_each_unit_has_the_area_of_its_former_parts(
    current_reference: Boundaries, parts: dict[str, shapely.Geometry], members: dict[str, list[str]]
) -> None:
    """|area − Σ parts| ≤ the parts' overlaps among themselves + what simplification may change, per unit.

    - overlaps: the source's own slivers between former neighbours of one unit count once in the union, twice in the
      sum (their pairwise intersections bound the difference, by inclusion–exclusion);
    - simplification: `coverage_simplify` removes vertices whose triangle (with its two neighbours) is under
      tolerance² (Visvalingam–Whyatt; GEOS' default corner weighting is plain area), each removal changing the area by
      that triangle: ≤ removed vertices × tolerance²; snapping to the 1e-5° grid moves each vertex by < 1e-5°, changing
      the area by < perimeter × 1e-5°. In degrees², converted at 12,200 km² per square degree (≥ the 12,150 at
      Bạc Liêu's latitude). Measured: at most 0.84 of this bound (Phường Vĩnh Trạch, whose former parts overlap by
      0.30 km²), every unit within 0.7 % of its parts' sum;
    - filled slivers: holes of the union under `SLIVER_MAX_KM2` (gaps the source left between the unit's own former
      communes) are filled, adding their area.
    """
    simplified = _shapes(current_reference.communes)
    km2_per_square_degree = 12_200
    for code, geometry in simplified.items():
        geometries = [parts[c] for c in members[code]]
        total = _km2(geometries).sum()
        overlaps = sum(_km2([a.intersection(b) for a, b in itertools.combinations(geometries, 2)]), 0.0)
        union = shapely.union_all(geometries)
        removed = max(len(shapely.get_coordinates(union)) - len(shapely.get_coordinates(geometry)), 0)
        simplification = (removed * DEFAULT_TOLERANCE**2 + union.length * 10.0**-DECIMALS) * km2_per_square_degree
        polygons = union.geoms if union.geom_type == "MultiPolygon" else [union]
        holes = _km2([shapely.Polygon(r) for p in polygons for r in p.interiors]) if any(
            p.interiors for p in polygons) else np.array([])
        slivers = holes[holes < SLIVER_MAX_KM2].sum()
        area = _km2([geometry])[0]
        assert abs(area - total) <= overlaps + simplification + slivers, (code, area, total, overlaps, simplification)
        assert abs(area / total - 1) < 0.01, code


def test_phuong_bac_lieu_holds_the_former_city_wards(
    current_reference: Boundaries, parts: dict[str, shapely.Geometry]
) -> None:
    # Found by name in the former unit list, not through the crosswalk: Phường 1, 2, 3, 7, 8 of TP Bạc Liêu.
    former = former_units()
    wards = former[(former["district_code"] == "954")
                   & former["commune_name"].isin(["Phường 1", "Phường 2", "Phường 3", "Phường 7", "Phường 8"])]
    assert len(wards) == 5
    simplified = _shapes(current_reference.communes)
    for code in wards["commune_code"]:
        centroid = parts[code].centroid
        assert [c for c, g in simplified.items() if g.contains(centroid)] == ["31825"], code


def test_hoa_binh_takes_long_thanh_across_a_former_district_border(
    current_reference: Boundaries, parts: dict[str, shapely.Geometry]
) -> None:
    former, current = former_units(), current_units()
    [long_thanh] = former.loc[(former["commune_name"] == "Xã Long Thạnh")
                              & (former["district_name"] == "Huyện Vĩnh Lợi"), "commune_code"]
    [hoa_binh] = current.loc[current["commune_name"] == "Xã Hòa Bình", "commune_code"]
    # the unit's other former parts lie in Huyện Hòa Bình: the current unit does not nest in a former district
    walk = load_crosswalk()
    others = set(walk.loc[walk["current_code"] == hoa_binh, "former_code"]) - {long_thanh}
    assert set(former.loc[former["commune_code"].isin(others), "district_name"]) == {"Huyện Hòa Bình"}
    unit, part = _shapes(current_reference.communes)[hoa_binh], parts[long_thanh]
    assert unit.contains(part.centroid) and unit.contains(part.representative_point())
    assert unit.intersection(part).area > 0.99 * part.area  # the rest: ~1 m of snapping and simplified borders


def test_no_overlap_between_units_beyond_the_sources_own(
    current_reference: Boundaries, parts: dict[str, shapely.Geometry]
) -> None:
    """Between any two current units: no more overlap than between their former parts in the source (slivers of
    0.001–0.19 km²), plus 0.01 km² for simplification; measured at most 0.0017 km² more."""
    walk = dict(zip(*load_crosswalk()[["former_code", "current_code"]].T.to_numpy(), strict=True))
    own: dict[tuple[str, str], float] = {}
    for a, b in itertools.combinations(sorted(parts), 2):
        pair = tuple(sorted((walk[a], walk[b])))
        if pair[0] != pair[1] and parts[a].intersects(parts[b]):
            own[pair] = own.get(pair, 0.0) + _km2([parts[a].intersection(parts[b])])[0]
    simplified = _shapes(current_reference.communes)
    overlaps = {
        (a, b): _km2([simplified[a].intersection(simplified[b])])[0]
        for a, b in itertools.combinations(sorted(simplified), 2)
        if simplified[a].intersects(simplified[b])
    }
    for pair, area in overlaps.items():
        assert area <= own.get(pair, 0.0) + 0.01, (pair, area, own.get(pair, 0.0))
    assert 2.0 < sum(own.values()) < 3.0  # the source's own overlaps between current units, ~2.45 km²
    assert sum(overlaps.values()) <= sum(own.values()) + 0.05


def test_no_gap_opened(current_reference: Boundaries, parts: dict[str, shapely.Geometry]) -> None:
    before = _km2([shapely.union_all(list(parts.values()))])[0]
    after = _km2([shapely.union_all(list(_shapes(current_reference.communes).values()))])[0]
    assert abs(after - before) < 0.01 * before and 2400 < before < 2550


def test_the_current_set_is_smaller_for_the_browser(current_reference: Boundaries, reference: Boundaries) -> None:
    assert 15_000 < current_reference.commune_bytes() < 0.8 * reference.commune_bytes()  # measured 24,427 / 37,488


def test_current_centres_fall_in_their_units(current_reference: Boundaries, current_codes: list[str]) -> None:
    centres = commune_centres("current")
    assert list(centres.columns) == ["commune_code", "lat", "lon"]
    assert list(centres["commune_code"]) == sorted(current_codes)
    outlines = _shapes(current_reference.communes)
    assert all(outlines[r.commune_code].contains(Point(r.lon, r.lat)) for r in centres.itertuples())


# --- synthetic: the dissolve itself, and refusals ------------------------------------------------------------------


def test_synthetic_rows_dissolve_into_rectangles(synthetic: Path) -> None:
    boundaries = load_boundaries(CURRENT, synthetic, unit_set="current", crosswalk=SYNTHETIC_WALK)
    assert boundaries is not None and boundaries.districts is None and boundaries.source == synthetic
    assert [f["id"] for f in boundaries.communes["features"]] == CURRENT
    x, y = ORIGIN
    rows = {"20001": box(x, y, x + 2 * SIZE, y + SIZE), "20003": box(x, y + SIZE, x + 2 * SIZE, y + 2 * SIZE)}
    for code, geometry in _shapes(boundaries.communes).items():
        assert geometry.geom_type == "Polygon" and len(geometry.exterior.coords) == 5  # the inner border is gone
        assert geometry.symmetric_difference(rows[code]).area < 1e-12, code
        assert math.isclose(geometry.area, 2 * SIZE * SIZE)


def test_former_code_missing_from_the_crosswalk(synthetic: Path) -> None:
    walk = {k: v for k, v in SYNTHETIC_WALK.items() if k != "10004"}
    with pytest.raises(BoundaryError, match=r"ma_xa codes do not match the crosswalk's former units .*"
                                            r"missing \[\], unexpected \['10004'\]") as caught:
        load_boundaries(CURRENT, synthetic, unit_set="current", crosswalk=walk)
    assert str(synthetic / COMMUNES_FILE) in str(caught.value)


def test_current_codes_must_match_the_current_unit_list(synthetic: Path) -> None:
    with pytest.raises(BoundaryError, match=r"current codes do not match the current unit list \(2 dissolved, 2 "
                                            r"expected\): missing \['20002'\], unexpected \['20003'\]"):
        load_boundaries(["20001", "20002"], synthetic, unit_set="current", crosswalk=SYNTHETIC_WALK)


@pytest.mark.parametrize(
    ("data", "pattern"),
    [
        ({"type": "Feature", "properties": {"ma_xa": "10001", "ma_huyen": "901"},
          "geometry": {"type": "Polygon", "coordinates": [[[105.5, 9.3], [105.6, 9.3], [105.6, 9.4], [105.5, 9.3]]]}},
         "its top level is a Feature"),
        ({"type": "FeatureCollection", "features": [],
          "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32648"}}},
         r"EPSG::32648.*is not WGS84"),
    ],
)
def test_the_current_set_reads_the_communes_as_strictly(synthetic: Path, data: dict[str, Any], pattern: str) -> None:
    write(synthetic / COMMUNES_FILE, data)
    with pytest.raises(BoundaryError, match=pattern):
        load_boundaries(CURRENT, synthetic, unit_set="current", crosswalk=SYNTHETIC_WALK)


def test_unit_set_and_crosswalk_are_checked(synthetic: Path) -> None:
    with pytest.raises(ValueError, match="unit_set must be one of"):
        load_boundaries(list(SYNTHETIC_COMMUNES), synthetic, unit_set="2025")
    with pytest.raises(ValueError, match="crosswalk only applies to the current"):
        load_boundaries(list(SYNTHETIC_COMMUNES), synthetic, crosswalk=SYNTHETIC_WALK)
    with pytest.raises(ValueError, match="unit_set must be one of"):
        commune_centres("new")


def test_unit_set_names_agree_with_the_unit_list() -> None:
    import data.units
    import geo.boundaries

    assert geo.boundaries.UNIT_SETS == data.units.UNIT_SETS


def test_sliver_gaps_inside_a_unit_are_filled(current_reference: Boundaries,
                                              parts: dict[str, shapely.Geometry],
                                              members: dict[str, list[str]]) -> None:
    """The source leaves thin gaps between neighbouring former communes; inside one current unit they would be holes
    drawn as stray lines. Each is filled unless it touches another unit."""
    simplified = _shapes(current_reference.communes)
    raw_holes = 0
    for code, geometry in simplified.items():
        union = shapely.union_all([parts[c] for c in members[code]])
        raw_holes += sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
        others = shapely.union_all([g for c, g in simplified.items() if c != code])
        for polygon in getattr(geometry, "geoms", [geometry]):
            for ring in polygon.interiors:
                hole = shapely.Polygon(ring)
                assert _km2([hole])[0] >= SLIVER_MAX_KM2 or hole.intersects(others), code
    assert raw_holes >= 10  # measured: 25 in the reference boundaries; the test would otherwise prove nothing
