"""Commune and district boundaries of Bạc Liêu: find them, validate them against the unit list, simplify them.

The boundary files are reference data kept outside the repository (see ../shared/geo/SOURCES.md): this module reads
them from a configured folder, checks them strictly and returns small GeoJSON ready for the browser. Nothing is cached
here; the Streamlit page wraps `load_boundaries` in `st.cache_resource`.

Validation (every failure is a `BoundaryError` naming the file, the feature or code, and what was expected):

- the file is a GeoJSON FeatureCollection; its CRS is WGS84 lon/lat (no `crs` member, as RFC 7946 wants, or one
  naming CRS84 / EPSG:4326); any other CRS is rejected, never reprojected;
- every feature carries its code (`ma_xa` for communes, plus `ma_huyen`; `ma_huyen` for districts) as a string of
  digits (integers are accepted and zero-padded);
- no code appears twice; the commune codes equal the unit list exactly (missing and unexpected codes are both listed);
  the district codes equal the districts the communes name;
- every geometry is a non-empty, valid Polygon or MultiPolygon. Invalid geometries are rejected, not repaired:
  `make_valid` can silently turn a commune into a GeometryCollection or drop part of its area, and a broken boundary
  file should be fixed once at its source (e.g. `ogr2ogr -makevalid`), not patched on every page load;
- every coordinate lies in Bạc Liêu's rough bounding box, which also catches projected coordinates (VN-2000 metres)
  written without a `crs` member, and swapped lat/lon.

Simplification: `shapely.coverage_simplify` (shared borders between neighbours are simplified once, identically, so
simplifying opens no new gaps or overlaps), then coordinates are snapped to a 1e-5° grid (~1 m) with
`shapely.set_precision`, which keeps geometries valid, and exterior rings are oriented counter-clockwise (RFC 7946).
A feature that simplification would leave invalid or empty falls back to its unsimplified, rounded outline.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pathlib
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from shapely.geometry import mapping, shape

if TYPE_CHECKING:
    import pandas as pd

COMMUNES_FILE = "baclieu_communes.geojson"
DISTRICTS_FILE = "baclieu_districts.geojson"
COMMUNE_KEY = "ma_xa"
DISTRICT_KEY = "ma_huyen"
ENV_VAR = "BOUNDARIES_DIR"

# Degrees. At Bạc Liêu's latitude 0.001° is ~110 m: about one pixel when the province fills a 700 px map.
DEFAULT_TOLERANCE = 0.001
# Decimals kept in the output coordinates: 5 decimals is ~1.1 m, far below what simplification removes.
DECIMALS = 5

# (min lon, min lat, max lon, max lat): the province (105.23–105.86 E, 9.01–9.64 N) padded by roughly 15 km.
BAC_LIEU_BBOX = (105.0, 8.85, 106.05, 9.8)

# Names a legacy GeoJSON `crs` member may use for WGS84 lon/lat. EPSG:4326 is formally lat/lon, but GeoJSON writers
# (GDAL among them) use it for lon/lat files; swapped axes would fail the bounding-box check anyway.
_WGS84_NAMES = frozenset(
    {
        "urn:ogc:def:crs:ogc:1.3:crs84",
        "urn:ogc:def:crs:ogc::crs84",
        "ogc:crs84",
        "crs84",
        "epsg:4326",
        "urn:ogc:def:crs:epsg::4326",
        "urn:ogc:def:crs:epsg:4326",
        "http://www.opengis.net/def/crs/ogc/1.3/crs84",
        "http://www.opengis.net/def/crs/epsg/0/4326",
    }
)

# The repository root; the default boundary folders are found relative to it.
_REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]


class BoundaryError(ValueError):
    """A boundary file or folder is missing, malformed, or does not match the unit list."""


@dataclasses.dataclass(frozen=True)
class Boundaries:
    """Simplified WGS84 boundaries keyed by code, ready for plotly (`featureidkey="id"`).

    The dicts are shared by every session when the page caches this object: treat them as read-only.
    """

    communes: dict[str, Any]
    districts: dict[str, Any] | None
    source: pathlib.Path

    def commune_bytes(self) -> int:
        """Size in bytes of the compact JSON of the communes (what goes to the browser)."""
        return _json_bytes(self.communes)

    def district_bytes(self) -> int:
        """Size in bytes of the compact JSON of the districts; 0 when there is no district file."""
        return 0 if self.districts is None else _json_bytes(self.districts)


def boundaries_dir() -> pathlib.Path | None:
    """Return the folder to read boundaries from, or None when there is none.

    The first of $BOUNDARIES_DIR, <repo>/geo/boundaries/ and <repo>/../shared/geo that contains the communes file.
    A set (non-empty) $BOUNDARIES_DIR whose folder lacks the communes file is a BoundaryError, not a fallback: the
    configuration is wrong and silently showing other boundaries would hide that.
    """
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        folder = pathlib.Path(configured).expanduser()
        if not (folder / COMMUNES_FILE).is_file():
            raise BoundaryError(f"${ENV_VAR} is set to {folder}, but {folder / COMMUNES_FILE} does not exist")
        return folder
    for folder in (_REPO_ROOT / "geo" / "boundaries", _REPO_ROOT.parent / "shared" / "geo"):
        if (folder / COMMUNES_FILE).is_file():
            return folder
    return None


def load_boundaries(
    unit_codes: Iterable[str],
    directory: pathlib.Path | None = None,
    tolerance: float = DEFAULT_TOLERANCE,
) -> Boundaries | None:
    """Read, validate and simplify the commune (and, if present, district) boundaries in `directory`.

    `unit_codes` are the commune codes of the unit list; the communes file must hold exactly these. `directory`
    defaults to `boundaries_dir()`; None is returned only when that finds no folder at all. `tolerance` is in degrees
    (0 keeps every vertex). Raises BoundaryError on anything the module docstring lists.
    """
    if directory is None:
        directory = boundaries_dir()
        if directory is None:
            return None
    directory = pathlib.Path(directory)
    if isinstance(unit_codes, str):
        raise TypeError("unit_codes must be an iterable of codes, not a single string")
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0 degrees, got {tolerance}")
    expected = {_code(c, 5, "unit_codes", "the unit list") for c in unit_codes}

    communes_path = directory / COMMUNES_FILE
    if not communes_path.is_file():
        raise BoundaryError(f"{communes_path}: file not found (expected the commune boundaries in {directory})")
    communes = _read_layer(communes_path, COMMUNE_KEY, 5, extra_key=DISTRICT_KEY)
    _check_codes(communes_path, COMMUNE_KEY, [f.code for f in communes], expected, "the unit list")

    districts: list[_Feature] | None = None
    districts_path = directory / DISTRICTS_FILE
    if districts_path.is_file():
        districts = _read_layer(districts_path, DISTRICT_KEY, 3)
        named = {f.district for f in communes}
        _check_codes(
            districts_path, DISTRICT_KEY, [f.code for f in districts], named, f"the districts in {COMMUNES_FILE}"
        )

    commune_collection = _collection(
        communes_path, communes, tolerance, lambda f: {"commune_code": f.code, "district_code": f.district}
    )
    district_collection = (
        None
        if districts is None
        else _collection(districts_path, districts, tolerance, lambda f: {"district_code": f.code})
    )
    return Boundaries(communes=commune_collection, districts=district_collection, source=directory)


def commune_centres() -> pd.DataFrame:
    """commune_code, lat, lon of the 64 units' centres from `vietnamadminunits`: the map's fallback without boundaries.

    Note: the package's centres for 31969 (Xã Tân Thạnh, Giá Rai) and 31981 (Xã Long Điền, Đông Hải) lie 19 km and
    3.6 km outside those communes' outlines in the reference boundaries (tests/geo pins this).
    """
    from data.units import load_units  # imported here: vietnamadminunits is slow to import and only needed here

    units = load_units()
    return units[["commune_code", "lat", "lon"]].reset_index(drop=True)


# --- internals ---------------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Feature:
    code: str
    district: str | None
    geometry: shapely.Geometry


def _json_bytes(collection: dict[str, Any]) -> int:
    return len(json.dumps(collection, separators=(",", ":")).encode("utf-8"))


def _code(value: object, width: int, path: object, where: str) -> str:
    """Normalise a code to a string of digits; integers are zero-padded to `width` (GSO codes lose leading zeros)."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return str(value).zfill(width)
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    raise BoundaryError(f"{path}: {where} has code {value!r}; expected a string of digits such as {'3' * width}")


def _read_layer(path: pathlib.Path, key: str, width: int, extra_key: str | None = None) -> list[_Feature]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"{path}: cannot read as GeoJSON ({exc})") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise BoundaryError(f"{path}: expected a GeoJSON FeatureCollection with a list of features")
    _check_crs(path, data.get("crs"))

    features: list[_Feature] = []
    problems: list[str] = []
    for index, feature in enumerate(data["features"]):
        props = feature.get("properties") if isinstance(feature, dict) else None
        if not isinstance(props, dict) or key not in props:
            raise BoundaryError(f"{path}: feature #{index} has no property {key!r} (expected its code)")
        code = _code(props[key], width, path, f"feature #{index} property {key!r}")
        label = f"feature #{index} ({key}={code})"
        district = None
        if extra_key is not None:
            if extra_key not in props:
                raise BoundaryError(f"{path}: {label} has no property {extra_key!r} (expected its district code)")
            district = _code(props[extra_key], 3, path, f"{label} property {extra_key!r}")
        geometry, problem = _geometry(feature.get("geometry"))
        if problem:
            problems.append(f"{label}: {problem}")
        else:
            features.append(_Feature(code, district, geometry))
    if problems:
        raise BoundaryError(f"{path}: invalid geometries — " + "; ".join(problems))
    _check_bbox(path, key, features)
    return features


def _check_crs(path: pathlib.Path, crs: object) -> None:
    if crs is None:
        return  # RFC 7946: GeoJSON without a crs member is WGS84 lon/lat
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and crs.get("type") == "name" else None
    if not isinstance(name, str) or name.strip().lower() not in _WGS84_NAMES:
        raise BoundaryError(
            f"{path}: CRS {json.dumps(crs, ensure_ascii=False)} is not WGS84 lon/lat; "
            "expected no crs member, or urn:ogc:def:crs:OGC:1.3:CRS84 / EPSG:4326 (reproject: ogr2ogr -t_srs)"
        )


def _geometry(raw: object) -> tuple[shapely.Geometry | None, str | None]:
    """Parse one feature's geometry; return (geometry, None) or (None, what is wrong with it)."""
    if not raw:
        return None, "no geometry (expected a Polygon or MultiPolygon)"
    try:
        geometry = shape(raw)
    except Exception as exc:  # shapely raises several types for malformed GeoJSON geometry
        return None, f"unreadable geometry ({exc})"
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        return None, f"{geometry.geom_type} geometry (expected a Polygon or MultiPolygon)"
    if geometry.is_empty:
        return None, "empty geometry (expected a non-empty Polygon or MultiPolygon)"
    if not geometry.is_valid:
        return None, f"invalid geometry: {shapely.is_valid_reason(geometry)} (expected a valid polygon; not repaired)"
    return geometry, None


def _check_bbox(path: pathlib.Path, key: str, features: list[_Feature]) -> None:
    x0, y0, x1, y1 = BAC_LIEU_BBOX
    outside = []
    for feature in features:
        fx0, fy0, fx1, fy1 = feature.geometry.bounds
        if fx0 < x0 or fy0 < y0 or fx1 > x1 or fy1 > y1:
            outside.append(f"{key}={feature.code} spans ({fx0:.5g}, {fy0:.5g}, {fx1:.5g}, {fy1:.5g})")
    if outside:
        raise BoundaryError(
            f"{path}: coordinates outside Bạc Liêu's box (lon {x0}–{x1}, lat {y0}–{y1}): {'; '.join(outside[:5])}"
            f"{' …' if len(outside) > 5 else ''} — expected WGS84 lon/lat (projected metres, or lat/lon swapped?)"
        )


def _check_codes(path: pathlib.Path, key: str, codes: list[str], expected: set[str], against: str) -> None:
    duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
    if duplicates:
        raise BoundaryError(f"{path}: duplicate {key} codes {duplicates} (expected each code once)")
    missing, unexpected = sorted(expected - set(codes)), sorted(set(codes) - expected)
    if missing or unexpected:
        raise BoundaryError(
            f"{path}: {key} codes do not match {against} ({len(codes)} in file, {len(expected)} expected): "
            f"missing {missing}, unexpected {unexpected}"
        )


def _collection(
    path: pathlib.Path,
    features: list[_Feature],
    tolerance: float,
    properties: Callable[[_Feature], dict[str, str | None]],
) -> dict[str, Any]:
    features = sorted(features, key=lambda f: f.code)
    original = np.array([f.geometry for f in features], dtype=object)
    grid = 10.0**-DECIMALS
    rounded = _finish(original, grid)
    simplified = _finish(shapely.coverage_simplify(original, tolerance), grid) if tolerance > 0 else rounded
    ok = shapely.is_valid(simplified) & ~shapely.is_empty(simplified)
    result = np.where(ok, simplified, rounded)
    for feature, geometry in zip(features, result, strict=True):
        if geometry.is_empty or not geometry.is_valid:  # the feature is smaller than the grid: a data problem
            raise BoundaryError(
                f"{path}: code {feature.code}: geometry vanishes at {DECIMALS} decimals (expected a real area)"
            )
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": f.code, "properties": properties(f), "geometry": _mapping(g)}
            for f, g in zip(features, result, strict=True)
        ],
    }


def _finish(geometries: np.ndarray, grid: float) -> np.ndarray:
    """Snap to the output grid (validity-preserving), orient exterior rings counter-clockwise (RFC 7946)."""
    snapped = shapely.set_precision(geometries, grid)
    return shapely.orient_polygons(snapped, exterior_cw=False)


def _mapping(geometry: shapely.Geometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates printed at DECIMALS (the grid values, without float noise)."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))
    return json.loads(json.dumps(mapping(rounded)))
