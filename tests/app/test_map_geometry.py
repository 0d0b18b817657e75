"""The map's geometry per unit set: 64 former communes with district outlines, or 25 current units without; each set
cached on its own and falling back to its own centres."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from shapely.geometry import LinearRing

import data.units
from dashboard import geometry
from data.units import current_units, former_units, load_crosswalk
from geo.boundaries import COMMUNES_FILE, ENV_VAR

SHARED_GEO = Path(__file__).resolve().parents[2].parent / "shared" / "geo"


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    geometry.map_geometry.clear()
    yield
    geometry.map_geometry.clear()


def codes(units) -> tuple[str, ...]:
    return tuple(units["commune_code"])


def test_each_unit_set_has_its_own_map(monkeypatch: pytest.MonkeyPatch, warehouse: Path) -> None:
    if not (SHARED_GEO / COMMUNES_FILE).is_file():
        pytest.skip(f"reference boundaries not found at {SHARED_GEO}")
    monkeypatch.setenv(ENV_VAR, str(SHARED_GEO))
    former = geometry.map_geometry(codes(former_units()))
    current = geometry.map_geometry(codes(current_units()), "current")
    assert former.boundaries is not None and former.boundaries.unit_set == "former"
    assert len(former.communes["features"]) == 64 and len(former.outlines) == 7
    assert current.boundaries is not None and current.boundaries.unit_set == "current"
    assert current.error is None and current.centres is None and current.outlines == {}
    assert [f["id"] for f in current.communes["features"]] == list(codes(current_units()))
    # plotly's `geo` winding (exterior rings clockwise), as for the former communes
    first = current.communes["features"][0]["geometry"]
    exterior = first["coordinates"][0] if first["type"] == "Polygon" else first["coordinates"][0][0]
    assert not LinearRing(exterior).is_ccw
    assert geometry.map_geometry(codes(current_units()), "current") is current  # cached per set
    assert geometry.map_geometry(codes(former_units()), "former") is not current


def test_the_current_units_are_dissolved_by_the_warehouse_crosswalk(monkeypatch: pytest.MonkeyPatch,
                                                                     warehouse: Path) -> None:
    """The running app reads the crosswalk the build stored (`units.current_code`), never `vietnamadminunits`."""
    if not (SHARED_GEO / COMMUNES_FILE).is_file():
        pytest.skip(f"reference boundaries not found at {SHARED_GEO}")
    package = load_crosswalk()
    assert geometry.warehouse_crosswalk() == dict(zip(package["former_code"], package["current_code"], strict=True))
    wanted = codes(current_units())
    monkeypatch.setattr(data.units, "load_crosswalk", lambda: pytest.fail("the map read the package's crosswalk"))
    monkeypatch.setenv(ENV_VAR, str(SHARED_GEO))
    current = geometry.map_geometry(wanted, "current")
    assert current.error is None and [f["id"] for f in current.communes["features"]] == list(wanted)


def test_without_boundaries_the_current_set_falls_back_to_its_centres(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path))  # set but without the file: a configuration error
    current = geometry.map_geometry(codes(current_units()), "current")
    assert current.boundaries is None and current.error == COMMUNES_FILE
    assert current.centres is not None and list(current.centres["commune_code"]) == list(codes(current_units()))
    former = geometry.map_geometry(codes(former_units()))
    assert former.centres is not None and len(former.centres) == 64
