"""Commune and district boundaries of Bạc Liêu: find them, validate them against the unit list, simplify them, and
derive the current units' boundaries from the former communes'.

The boundary files are reference data kept outside the repository (see ../shared/geo/SOURCES.md): this module reads
them from a configured folder, checks them strictly and returns small GeoJSON ready for the browser. Nothing is cached
here; the Streamlit page wraps `load_boundaries` in `st.cache_resource`.

Two unit sets (data/units.py): the 64 **former** communes (in 7 districts) are the features of the communes file; the
25 **current** units (no districts) are not in any file, they are derived by dissolving the former communes per the
former → current crosswalk (every former commune lies whole in one current unit).

Reading goes through geopandas (pyogrio, GDAL). GDAL accepts files this module must refuse, so what it would let
through is checked explicitly, on the file's own JSON before GDAL reads it and on GDAL's result after:

- the file is a GeoJSON FeatureCollection whose features are all Feature objects (GDAL reads a lone Feature as a
  one-feature layer, and skips array members that are not Features); GDAL must return one row per feature;
- its CRS is WGS84 lon/lat: no `crs` member (RFC 7946), or one naming CRS84 / EPSG:4326. Any other CRS is rejected,
  never reprojected (GDAL silently reads an unknown `crs` name as EPSG:4326), and the CRS GDAL reports must be WGS84;
- every feature carries its code (`ma_xa` for communes, plus `ma_huyen`; `ma_huyen` for districts) as a string of
  digits. Integers are accepted and zero-padded, and so are whole numbers written as floats by shapefile conversions
  (`31813.0`, a number or a string, is `31813`); `31813.5`, a name, a boolean or a null are refused. Codes are read
  from the file's JSON, not from GDAL's columns, which convert a value that does not fit its column's type;
- no code appears twice; the commune codes equal the unit list exactly (missing and unexpected codes are both listed);
  the district codes equal the districts the communes name;
- every geometry is a non-empty, valid Polygon or MultiPolygon. A geometry GDAL cannot read (which it turns into a
  null, with a warning) is reported as unreadable, not as missing. Invalid geometries are rejected, not repaired:
  `make_valid` can silently turn a commune into a GeometryCollection or drop part of its area, and a broken boundary
  file should be fixed once at its source (e.g. `ogr2ogr -makevalid`), not patched on every page load;
- every coordinate lies in Bạc Liêu's rough bounding box, which also catches projected coordinates (VN-2000 metres)
  written without a `crs` member, and swapped lat/lon.

The current units: the former communes file is validated as above against the crosswalk's 64 former codes, dissolved
(`GeoDataFrame.dissolve`) into one geometry per current code, and checked: exactly the current unit list, every
geometry a valid (Multi)Polygon, the same area covered as the former communes (no gap opened) and no more overlap
between units than between the former communes (the source's own slivers, ~2.4 km² between current units). Then the
sliver gaps the source left between former communes of one current unit, now holes inside it, are filled
(`SLIVER_MAX_KM2`; a hole touching another unit is kept). No district outlines are returned for the current set:
districts were abolished.

Simplification (both sets, one pipeline): `shapely.coverage_simplify` (shared borders between neighbours are
simplified once, identically, so simplifying opens no new gaps or overlaps), then coordinates are snapped to a 1e-5°
grid (~1 m) with `shapely.set_precision`, which keeps geometries valid, and exterior rings are oriented
counter-clockwise (RFC 7946). A feature that simplification would leave invalid or empty falls back to its
unsimplified, rounded outline.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib
import json
import math
import os
import pathlib
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd


class _OnFirstUse:
    """A module imported when one of its attributes is first read. geopandas, pyproj and shapely take ≈0.1–0.2 s to
    import and only loading boundaries needs them: `import geo` (the pages' and the brief's constants, `Boundaries`)
    stays cheap, and a page that draws no map never imports them."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(importlib.import_module(self._name), attr)


gpd: Any = _OnFirstUse("geopandas")
pyproj: Any = _OnFirstUse("pyproj")
shapely: Any = _OnFirstUse("shapely")

COMMUNES_FILE = "baclieu_communes.geojson"
DISTRICTS_FILE = "baclieu_districts.geojson"
COMMUNE_KEY = "ma_xa"
DISTRICT_KEY = "ma_huyen"
ENV_VAR = "BOUNDARIES_DIR"

# The unit sets, named as in data/units.py (not imported from there at module level: vietnamadminunits is slow to
# import and only needed for the default crosswalk and the centres).
FORMER = "former"
CURRENT = "current"
UNIT_SETS = (FORMER, CURRENT)

# Degrees. At Bạc Liêu's latitude 0.001° is ~110 m: about one pixel when the province fills a 700 px map.
DEFAULT_TOLERANCE = 0.001
# Decimals kept in the output coordinates: 5 decimals is ~1.1 m, far below what simplification removes.
DECIMALS = 5

# (min lon, min lat, max lon, max lat): the province (105.23–105.86 E, 9.01–9.64 N) padded by roughly 15 km.
BAC_LIEU_BBOX = (105.0, 8.85, 106.05, 9.8)

# The equal-area projection areas are measured in (WGS 84 / NSIDC EASE-Grid 2.0 Global), and how far the dissolved
# units' areas may differ from the former communes' (km²): their float noise is ~1e-12 km², the smallest former
# commune ~0.8 km².
EQUAL_AREA = "EPSG:6933"
AREA_SLACK_KM2 = 1e-6
# A hole in a dissolved current unit smaller than this (km²) that touches no other unit is a sliver gap the source
# left between two former communes of that unit (measured: 0.0002–0.13 km², 25 of them); it is filled, or the map would
# draw it as a stray line inside the unit. Far under the smallest former commune (~0.8 km²), so no unit is ever
# swallowed; a larger hole, or one holding any part of another unit, is kept.
SLIVER_MAX_KM2 = 0.5

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


@functools.cache
def _wgs84() -> Any:
    """pyproj's EPSG:4326 (a `pyproj.CRS`), made on first use."""
    return pyproj.CRS("EPSG:4326")


# A code as a string: digits, optionally `.0` from a number that went through a float (shapefile conversions).
_CODE = re.compile(r"(\d+)(\.0+)?")

# The repository root; the default boundary folders are found relative to it.
_REPO_ROOT = pathlib.Path(__file__).resolve().parents[1]


class BoundaryError(ValueError):
    """A boundary file or folder is missing, malformed, or does not match the unit list."""


@dataclasses.dataclass(frozen=True)
class Boundaries:
    """Simplified WGS84 boundaries keyed by code, ready for plotly (`featureidkey="id"`).

    `communes`: a FeatureCollection with one feature per unit of `unit_set`, `id` = its 5-digit code, properties
    `commune_code` (and `district_code` for the former set). `districts`: the district outlines (former set only, when
    the districts file exists), else None. The dicts are shared by every session when the page caches this object:
    treat them as read-only.
    """

    communes: dict[str, Any]
    districts: dict[str, Any] | None
    source: pathlib.Path
    unit_set: str = FORMER

    def commune_bytes(self) -> int:
        """Size in bytes of the compact JSON of the communes (what goes to the browser)."""
        return _json_bytes(self.communes)

    def district_bytes(self) -> int:
        """Size in bytes of the compact JSON of the districts; 0 when there are none."""
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
    unit_set: str = FORMER,
    crosswalk: Mapping[str, str] | None = None,
) -> Boundaries | None:
    """Read, validate and simplify the boundaries of the units of `unit_set` in `directory`.

    `unit_codes` are the commune codes of that set's unit list; the result holds exactly these. For `unit_set`
    'former' they are the features of the communes file, with the district outlines when the districts file exists.
    For 'current' they are dissolved from the former communes per `crosswalk` (former code → current code; default:
    `data.units.load_crosswalk()`), whose former codes the communes file must hold exactly; no districts.
    `directory` defaults to `boundaries_dir()`; None is returned only when that finds no folder at all. `tolerance`
    is in degrees (0 keeps every vertex). Raises BoundaryError on anything the module docstring lists, ValueError on
    an unknown unit set or a negative tolerance.
    """
    if unit_set not in UNIT_SETS:
        raise ValueError(f"unit_set must be one of {UNIT_SETS}, got {unit_set!r}")
    if crosswalk is not None and unit_set != CURRENT:
        raise ValueError("a crosswalk only applies to the current unit set")
    if isinstance(unit_codes, str):
        raise TypeError("unit_codes must be an iterable of codes, not a single string")
    if tolerance < 0:
        raise ValueError(f"tolerance must be >= 0 degrees, got {tolerance}")
    if directory is None:
        directory = boundaries_dir()
        if directory is None:
            return None
    directory = pathlib.Path(directory)
    expected = {_code(c, 5, "unit_codes", "the unit list") for c in unit_codes}

    communes_path = directory / COMMUNES_FILE
    if not communes_path.is_file():
        raise BoundaryError(f"{communes_path}: file not found (expected the commune boundaries in {directory})")
    communes = _read_layer(communes_path, COMMUNE_KEY, 5, extra_key=DISTRICT_KEY)

    if unit_set == CURRENT:
        walk = _crosswalk(crosswalk)
        _check_codes(communes_path, COMMUNE_KEY, list(communes["code"]), set(walk), "the crosswalk's former units")
        current = _dissolve(communes_path, communes, walk)
        _check_codes(communes_path, "current", list(current.index), expected, "the current unit list", "dissolved")
        collection = _collection(communes_path, current.geometry, {"commune_code": current.index}, tolerance)
        return Boundaries(communes=collection, districts=None, source=directory, unit_set=CURRENT)

    _check_codes(communes_path, COMMUNE_KEY, list(communes["code"]), expected, "the unit list")
    district_collection: dict[str, Any] | None = None
    districts_path = directory / DISTRICTS_FILE
    if districts_path.is_file():
        districts = _read_layer(districts_path, DISTRICT_KEY, 3)
        named = set(communes["district"])
        _check_codes(
            districts_path, DISTRICT_KEY, list(districts["code"]), named, f"the districts in {COMMUNES_FILE}"
        )
        district_collection = _collection(
            districts_path, _by_code(districts), {"district_code": districts["code"].to_numpy()}, tolerance
        )
    commune_collection = _collection(
        communes_path,
        _by_code(communes),
        {"commune_code": communes["code"].to_numpy(), "district_code": communes["district"].to_numpy()},
        tolerance,
    )
    return Boundaries(communes=commune_collection, districts=district_collection, source=directory, unit_set=FORMER)


def commune_centres(unit_set: str = FORMER) -> pd.DataFrame:
    """commune_code, lat, lon (degrees, WGS84) of the units' centres from `vietnamadminunits`, sorted by code: 64 for
    'former', 25 for 'current'. The map's fallback without boundaries.

    Note: the package's centres for 31969 (Xã Tân Thạnh, Giá Rai) and 31981 (Xã Long Điền, Đông Hải) lie 19 km and
    3.6 km outside those communes' outlines in the reference boundaries (tests/geo pins this).
    """
    if unit_set not in UNIT_SETS:
        raise ValueError(f"unit_set must be one of {UNIT_SETS}, got {unit_set!r}")
    # imported here: vietnamadminunits is slow to import and only needed here
    from data.units import current_units, former_units

    units = former_units() if unit_set == FORMER else current_units()
    return units[["commune_code", "lat", "lon"]].reset_index(drop=True)


# --- internals ---------------------------------------------------------------------------------------------------


def _json_bytes(collection: dict[str, Any]) -> int:
    return len(json.dumps(collection, separators=(",", ":")).encode("utf-8"))


def _code(value: object, width: int, path: object, where: str) -> str:
    """Normalise a code to a string of digits. Numbers (GSO codes that lost their leading zeros, or went through a
    float: 31813.0) are zero-padded to `width`; a string is taken as written, less a `.0` float tail (padded then)."""
    if isinstance(value, int | np.integer) and not isinstance(value, bool) and value >= 0:
        return str(int(value)).zfill(width)
    if isinstance(value, float | np.floating) and math.isfinite(value) and value >= 0 and float(value).is_integer():
        return str(int(value)).zfill(width)
    if isinstance(value, str) and (match := _CODE.fullmatch(value.strip())):
        return match[1].zfill(width) if match[2] else match[1]
    raise BoundaryError(
        f"{path}: {where} has code {value!r}; expected a string of digits such as {'3' * width} (or a whole number)"
    )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _read_document(path: pathlib.Path) -> list[dict[str, Any]]:
    """The checks GDAL would skip, on the file's own JSON: a FeatureCollection of Features in WGS84. Returns the
    features as parsed (to tell a missing geometry from one GDAL could not read)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"{path}: cannot read as GeoJSON ({exc})") from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        kind = data.get("type") if isinstance(data, dict) else None
        found = (
            "its features are not a list" if kind == "FeatureCollection"
            else f"its top level is a {kind}" if isinstance(kind, str)
            else "its top level is not a GeoJSON object"
        )
        raise BoundaryError(
            f"{path}: {found} (expected a GeoJSON FeatureCollection with a list of features; "
            "GDAL would read a lone Feature as a one-feature layer)"
        )
    _check_crs(path, data.get("crs"))
    for index, feature in enumerate(data["features"]):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise BoundaryError(
                f"{path}: feature #{index} is not a GeoJSON Feature object "
                f"(expected {{\"type\": \"Feature\", \"properties\": …, \"geometry\": …}}; GDAL would skip it)"
            )
    return data["features"]


def _read_frame(path: pathlib.Path, expected_rows: int) -> tuple[gpd.GeoDataFrame, list[str]]:
    """GDAL's reading of the file's geometries (geopandas via pyogrio) and the warnings it gave; one row per feature,
    in order."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            # on_invalid="warn": a geometry GDAL cannot turn into valid WKB (an unclosed ring) becomes a null that
            # is reported per feature, instead of one exception for the whole file.
            frame = gpd.read_file(path, engine="pyogrio", columns=[], on_invalid="warn")
        except Exception as exc:  # pyogrio and GEOS raise several types for a file GDAL cannot read
            raise BoundaryError(f"{path}: GDAL cannot read it as GeoJSON ({exc})") from exc
    gdal = [str(w.message) for w in caught]
    if len(frame) != expected_rows:
        raise BoundaryError(
            f"{path}: GDAL read {len(frame)} features of the {expected_rows} in the file (expected all of them)"
        )
    _check_read_crs(path, frame.crs)
    return frame, gdal


def _read_layer(path: pathlib.Path, key: str, width: int, extra_key: str | None = None) -> gpd.GeoDataFrame:
    """One boundary layer, validated: a GeoDataFrame (index: feature number) with `code`, `district` (when
    `extra_key` is given) and `geometry` in WGS84.

    GDAL reads the geometries; the codes are taken from the file's own JSON, because GDAL types a property column by
    its values and converts the odd value out (True → 1 among numbers, "1e4" → 10000.0 among floats, "09999" → 9999
    among integers), which would turn a wrong code into a plausible one."""
    raw = _read_document(path)
    frame, gdal = _read_frame(path, len(raw))

    codes: list[str] = []
    districts: list[str | None] = []
    for index, feature in enumerate(raw):
        props = feature.get("properties")
        props = props if isinstance(props, dict) else {}
        if _missing(props.get(key)):
            raise BoundaryError(f"{path}: feature #{index} has no property {key!r} (or it is null; expected its code)")
        code = _code(props[key], width, path, f"feature #{index} property {key!r}")
        codes.append(code)
        if extra_key is None:
            districts.append(None)
            continue
        label = f"feature #{index} ({key}={code})"
        if _missing(props.get(extra_key)):
            raise BoundaryError(
                f"{path}: {label} has no property {extra_key!r} (or it is null; expected its district code)"
            )
        districts.append(_code(props[extra_key], 3, path, f"{label} property {extra_key!r}"))

    problems = _geometry_problems(frame.geometry, [f.get("geometry") for f in raw])
    listed = [f"feature #{i} ({key}={codes[i]}): {problem}" for i, problem in enumerate(problems) if problem]
    if listed:
        said = f" — GDAL said: {' | '.join(gdal)}" if gdal and "unreadable" in " ".join(listed) else ""
        raise BoundaryError(f"{path}: invalid geometries — " + "; ".join(listed) + said)
    layer = gpd.GeoDataFrame(
        {"code": pd.Series(codes, dtype=object), "district": pd.Series(districts, dtype=object)},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    _check_bbox(path, key, layer)
    return layer


def _check_crs(path: pathlib.Path, crs: object) -> None:
    if crs is None:
        return  # RFC 7946: GeoJSON without a crs member is WGS84 lon/lat
    name = crs.get("properties", {}).get("name") if isinstance(crs, dict) and crs.get("type") == "name" else None
    if not isinstance(name, str) or name.strip().lower() not in _WGS84_NAMES:
        raise BoundaryError(
            f"{path}: CRS {json.dumps(crs, ensure_ascii=False)} is not WGS84 lon/lat; "
            "expected no crs member, or urn:ogc:def:crs:OGC:1.3:CRS84 / EPSG:4326 (reproject: ogr2ogr -t_srs)"
        )


def _check_read_crs(path: pathlib.Path, crs: pyproj.CRS | None) -> None:
    """After reading: the CRS GDAL assigned must be WGS84 too (it is never reprojected)."""
    if crs is None or not _wgs84().equals(crs, ignore_axis_order=True):
        shown = "none" if crs is None else crs.to_string()
        raise BoundaryError(f"{path}: GDAL reads the CRS as {shown}; expected WGS84 lon/lat (EPSG:4326 / CRS84)")


def _geometry_problems(geometries: gpd.GeoSeries, raw: list[object] | None = None) -> list[str | None]:
    """What is wrong with each geometry (None: a non-empty, valid Polygon or MultiPolygon). `raw`: the features'
    geometries as written, to tell a missing geometry from one GDAL turned into a null because it could not read it."""
    kinds = geometries.geom_type.to_numpy()
    empty = geometries.is_empty.to_numpy()
    valid = geometries.is_valid.to_numpy()
    problems: list[str | None] = []
    for i, geometry in enumerate(geometries):
        if geometry is None:
            written = None if raw is None else raw[i]
            problems.append(
                f"unreadable geometry ({json.dumps(written)[:80]}; expected a Polygon or MultiPolygon)"
                if written
                else "no geometry (expected a Polygon or MultiPolygon)"
            )
        elif kinds[i] not in ("Polygon", "MultiPolygon"):
            problems.append(f"{kinds[i]} geometry (expected a Polygon or MultiPolygon)")
        elif empty[i]:
            problems.append("empty geometry (expected a non-empty Polygon or MultiPolygon)")
        elif not valid[i]:
            reason = shapely.is_valid_reason(geometry)
            problems.append(f"invalid geometry: {reason} (expected a valid polygon; not repaired)")
        else:
            problems.append(None)
    return problems


def _check_bbox(path: pathlib.Path, key: str, layer: gpd.GeoDataFrame) -> None:
    x0, y0, x1, y1 = BAC_LIEU_BBOX
    bounds = layer.geometry.bounds
    beyond = (bounds["minx"] < x0) | (bounds["miny"] < y0) | (bounds["maxx"] > x1) | (bounds["maxy"] > y1)
    outside = [
        f"{key}={code} spans ({b.minx:.5g}, {b.miny:.5g}, {b.maxx:.5g}, {b.maxy:.5g})"
        for code, b in zip(layer["code"][beyond], bounds[beyond].itertuples(), strict=True)
    ]
    if outside:
        raise BoundaryError(
            f"{path}: coordinates outside Bạc Liêu's box (lon {x0}–{x1}, lat {y0}–{y1}): {'; '.join(outside[:5])}"
            f"{' …' if len(outside) > 5 else ''} — expected WGS84 lon/lat (projected metres, or lat/lon swapped?)"
        )


def _check_codes(
    path: pathlib.Path, key: str, codes: list[str], expected: set[str], against: str, counted: str = "in file"
) -> None:
    duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
    if duplicates:
        raise BoundaryError(f"{path}: duplicate {key} codes {duplicates} (expected each code once)")
    missing, unexpected = sorted(expected - set(codes)), sorted(set(codes) - expected)
    if missing or unexpected:
        raise BoundaryError(
            f"{path}: {key} codes do not match {against} ({len(codes)} {counted}, {len(expected)} expected): "
            f"missing {missing}, unexpected {unexpected}"
        )


def _crosswalk(crosswalk: Mapping[str, str] | None) -> dict[str, str]:
    """former code → current code, both normalised to 5 digits; by default the package's (data.units)."""
    if crosswalk is None:
        from data.units import load_crosswalk  # imported here: vietnamadminunits is slow to import

        walk = load_crosswalk()
        crosswalk = dict(zip(walk["former_code"], walk["current_code"], strict=True))
    return {
        _code(former, 5, "crosswalk", "a former unit"): _code(current, 5, "crosswalk", f"former unit {former}")
        for former, current in crosswalk.items()
    }


def _dissolve(path: pathlib.Path, former: gpd.GeoDataFrame, walk: dict[str, str]) -> gpd.GeoDataFrame:
    """The former communes dissolved into current units (index: current code, sorted), checked: valid (Multi)Polygons,
    the area the former communes cover, and no more overlap between units than between the former communes."""
    current = former.assign(current=former["code"].map(walk))[["current", "geometry"]].dissolve(by="current")
    problems = _geometry_problems(current.geometry)
    listed = [f"current={code}: {problem}" for code, problem in zip(current.index, problems, strict=True) if problem]
    if listed:
        raise BoundaryError(f"{path}: dissolving into current units gave invalid geometries — " + "; ".join(listed))
    # Unions in WGS84, where the units were dissolved (a union of projected polygons nodes their crossings
    # differently); areas in km² of an equal-area projection.
    unions = gpd.GeoSeries([former.geometry.union_all(), current.geometry.union_all()], crs=former.crs)
    former_union, current_union = _km2(unions)
    former_overlap = _km2(former.geometry).sum() - former_union
    current_overlap = _km2(current.geometry).sum() - current_union
    if abs(current_union - former_union) > AREA_SLACK_KM2:
        raise BoundaryError(
            f"{path}: the dissolved current units cover {current_union:.6g} km² instead of the former communes' "
            f"{former_union:.6g} km² (expected the same area: no gap opened, none closed)"
        )
    if current_overlap > former_overlap + AREA_SLACK_KM2:
        raise BoundaryError(
            f"{path}: the dissolved current units overlap by {current_overlap:.4g} km², more than the former communes "
            f"do ({former_overlap:.4g} km²; expected no overlap beyond the source's own)"
        )
    return current.set_geometry(_fill_slivers(current.geometry))


def _fill_slivers(units: gpd.GeoSeries) -> gpd.GeoSeries:
    """`units` with each interior ring under `SLIVER_MAX_KM2` that no other unit intersects filled."""
    filled = []
    for code, geometry in units.items():
        others = units.drop(index=code).union_all()
        polygons = list(geometry.geoms) if isinstance(geometry, shapely.MultiPolygon) else [geometry]
        kept = []
        for polygon in polygons:
            holes = [ring for ring in polygon.interiors
                     if _km2(gpd.GeoSeries([shapely.Polygon(ring)], crs=units.crs))[0] >= SLIVER_MAX_KM2
                     or shapely.Polygon(ring).intersection(others).area > 0]
            kept.append(shapely.Polygon(polygon.exterior, holes))
        filled.append(kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept))
    return gpd.GeoSeries(filled, index=units.index, crs=units.crs)


def _km2(geometries: gpd.GeoSeries) -> np.ndarray:
    """Areas in km², measured in the equal-area projection."""
    return geometries.to_crs(EQUAL_AREA).area.to_numpy() / 1e6


def _by_code(layer: gpd.GeoDataFrame) -> gpd.GeoSeries:
    return gpd.GeoSeries(layer.geometry.to_numpy(), index=layer["code"].to_numpy(), crs=layer.crs)


def _collection(
    path: pathlib.Path,
    geometries: gpd.GeoSeries,
    properties: Mapping[str, Iterable[str | None]],
    tolerance: float = DEFAULT_TOLERANCE,
) -> dict[str, Any]:
    """Simplify a coverage (`geometries` indexed by code) and write it as a FeatureCollection sorted by code: `id` the
    code, `properties` the given columns (aligned with `geometries`)."""
    columns = {name: list(values) for name, values in properties.items()}
    order = np.argsort(geometries.index.to_numpy(), kind="stable")
    codes = [str(c) for c in geometries.index.to_numpy()[order]]
    original = gpd.GeoSeries(geometries.to_numpy()[order], index=codes, crs=geometries.crs)
    grid = 10.0**-DECIMALS
    rounded = _finish(original, grid)
    simplified = _finish(original.simplify_coverage(tolerance), grid) if tolerance > 0 else rounded
    result = simplified.where(simplified.is_valid & ~simplified.is_empty, rounded)
    for code, geometry in result.items():
        if geometry.is_empty or not geometry.is_valid:  # the feature is smaller than the grid: a data problem
            raise BoundaryError(f"{path}: code {code}: geometry vanishes at {DECIMALS} decimals (expected a real area)")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {name: values[i] for name, values in columns.items()},
                "geometry": _mapping(geometry),
            }
            for code, i, geometry in zip(codes, order, result, strict=True)
        ],
    }


def _finish(geometries: gpd.GeoSeries, grid: float) -> gpd.GeoSeries:
    """Snap to the output grid (validity-preserving), orient exterior rings counter-clockwise (RFC 7946)."""
    return geometries.set_precision(grid).orient_polygons(exterior_cw=False)


def _mapping(geometry: shapely.Geometry) -> dict[str, Any]:
    """GeoJSON geometry with coordinates printed at DECIMALS (the grid values, without float noise)."""
    rounded = shapely.transform(geometry, lambda xy: np.round(xy, DECIMALS))
    return json.loads(json.dumps(shapely.geometry.mapping(rounded)))
