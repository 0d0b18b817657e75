"""Fixtures for the boundary tests: the reference files in ../shared/geo, and small synthetic layers in tmp_path.

The reference files are read in place and never copied into the repository; error cases use synthetic squares.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from data.units import current_units, former_units
from geo import Boundaries, load_boundaries
from geo.boundaries import COMMUNES_FILE, DISTRICTS_FILE, ENV_VAR

REPO = Path(__file__).resolve().parents[2]
SHARED_GEO = REPO.parent / "shared" / "geo"

# Synthetic layers: four 0.05° squares in a 2×2 block inside Bạc Liêu, two communes per district.
SYNTHETIC_COMMUNES = {"10001": ("901", 0, 0), "10002": ("901", 1, 0), "10003": ("902", 0, 1), "10004": ("902", 1, 1)}
ORIGIN, SIZE = (105.5, 9.3), 0.05


@pytest.fixture(autouse=True)
def _no_configured_boundaries(monkeypatch: pytest.MonkeyPatch) -> None:
    """A developer's own $BOUNDARIES_DIR must not leak into the tests."""
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.fixture(scope="session")
def shared_geo() -> Path:
    if not (SHARED_GEO / COMMUNES_FILE).is_file():
        pytest.skip(f"reference boundaries not found at {SHARED_GEO}")
    return SHARED_GEO


@pytest.fixture(scope="session")
def unit_codes() -> list[str]:
    return list(former_units()["commune_code"])


@pytest.fixture(scope="session")
def reference(shared_geo: Path, unit_codes: list[str]) -> Boundaries:
    boundaries = load_boundaries(unit_codes, shared_geo)
    assert boundaries is not None
    return boundaries


@pytest.fixture(scope="session")
def current_codes() -> list[str]:
    return list(current_units()["commune_code"])


@pytest.fixture(scope="session")
def current_reference(shared_geo: Path, current_codes: list[str]) -> Boundaries:
    """The 25 current units dissolved from the reference communes, at the default tolerance."""
    boundaries = load_boundaries(current_codes, shared_geo, unit_set="current")
    assert boundaries is not None
    return boundaries


@pytest.fixture(scope="session")
def raw_reference(shared_geo: Path) -> dict[str, dict[str, Any]]:
    """The reference files as they are on disk, for comparing before and after simplification."""
    return {
        name: json.loads((shared_geo / name).read_text(encoding="utf-8")) for name in (COMMUNES_FILE, DISTRICTS_FILE)
    }


def square(col: float, row: float, size: float = SIZE) -> dict[str, Any]:
    x, y = ORIGIN[0] + col * size, ORIGIN[1] + row * size
    ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(features: list[dict[str, Any]], crs: str | None = "urn:ogc:def:crs:OGC:1.3:CRS84") -> dict[str, Any]:
    data: dict[str, Any] = {"type": "FeatureCollection", "features": features}
    if crs is not None:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    return data


def write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    """A folder with valid synthetic commune and district layers (codes in SYNTHETIC_COMMUNES)."""
    communes = [
        feature({"ma_xa": code, "ma_huyen": district, "ten_xa": f"Xã {code}"}, square(col, row))
        for code, (district, col, row) in SYNTHETIC_COMMUNES.items()
    ]
    districts = [
        feature({"ma_huyen": "901"}, {"type": "Polygon", "coordinates": [_rect(0, 0, 2, 1)]}),
        feature({"ma_huyen": "902"}, {"type": "Polygon", "coordinates": [_rect(0, 1, 2, 1)]}),
    ]
    write(tmp_path / COMMUNES_FILE, collection(communes))
    write(tmp_path / DISTRICTS_FILE, collection(districts))
    return tmp_path


def _rect(col: float, row: float, width: float, height: float) -> list[list[float]]:
    x, y = ORIGIN[0] + col * SIZE, ORIGIN[1] + row * SIZE
    w, h = width * SIZE, height * SIZE
    return [[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]]


@pytest.fixture
def edit_layer() -> Callable[[Path, Callable[[dict[str, Any]], None]], None]:
    """Rewrite a GeoJSON file in place through a function that mutates its parsed content."""

    def edit(path: Path, change: Callable[[dict[str, Any]], None]) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        write(path, data)

    return edit
