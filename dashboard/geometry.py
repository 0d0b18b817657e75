"""Boundaries for the map, loaded once per process: the `geo` API wrapped in `st.cache_resource`, the communes with
their rings wound for plotly's `geo` maps, and the district outlines turned into line coordinates, so no geometry work
happens on a rerun."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from geo import Boundaries, BoundaryError, boundaries_dir, commune_centres, load_boundaries
from geo.boundaries import COMMUNES_FILE, CURRENT, FORMER
from queries.runner import run

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MapGeometry:
    """What the map page draws with. `boundaries` None → proportional symbols at `centres`; `error` names the
    boundary file (its name only, never a path) when the files were configured but could not be used; what was wrong
    is in the server's log."""

    boundaries: Boundaries | None
    error: str | None
    centres: pd.DataFrame | None
    outlines: dict[str, tuple[list[float | None], list[float | None]]] = field(default_factory=dict)
    # the commune boundaries as plotly's `geo` (d3-geo) draws them: exterior rings clockwise
    communes: dict[str, Any] | None = None


def clockwise(collection: dict[str, Any]) -> dict[str, Any]:
    """A copy of a GeoJSON FeatureCollection of (Multi)Polygons with exterior rings clockwise and holes
    counter-clockwise, the winding d3-geo (plotly's `geo` maps) reads as "inside the ring".

    RFC 7946 GeoJSON (what `geo.load_boundaries` returns) winds the other way; d3-geo takes such a ring for the whole
    globe minus the commune, so one commune would paint the whole map. Coordinates are kept as they are.
    """
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        wound = [[_wound(ring, clockwise=i == 0) for i, ring in enumerate(polygon)] for polygon in polygons]
        coordinates = wound[0] if geometry["type"] == "Polygon" else wound
        features.append({**feature, "geometry": {"type": geometry["type"], "coordinates": coordinates}})
    return {**collection, "features": features}


def _wound(ring: list[list[float]], *, clockwise: bool) -> list[list[float]]:
    # shoelace formula in lon/lat: positive twice-area = counter-clockwise
    area = sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))
    return ring[::-1] if (area > 0) == clockwise else ring


def _outline_coordinates(collection: dict[str, Any] | None) -> dict[str, tuple[list[float | None], list[float | None]]]:
    """district code → (lons, lats) of its rings, rings separated by None (one plotly line trace per selection)."""
    outlines: dict[str, tuple[list[float | None], list[float | None]]] = {}
    for feature in (collection or {}).get("features", []):
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        lons: list[float | None] = []
        lats: list[float | None] = []
        for polygon in polygons:
            for ring in polygon:
                lons.extend(point[0] for point in ring)
                lats.extend(point[1] for point in ring)
                lons.append(None)
                lats.append(None)
        outlines[str(feature["id"])] = (lons, lats)
    return outlines


def warehouse_crosswalk() -> dict[str, str]:
    """Former commune code → the current unit's code (5 digits each, 64 entries) from the warehouse
    (`queries/units.sql`, `current_code`): the build read them from `vietnamadminunits` once, so the running app never
    imports it."""
    units = run("units")
    former = units[units["unit_set"] == FORMER]
    return dict(zip(former["commune_code"], former["current_code"], strict=True))


@st.cache_resource(show_spinner=False)
def map_geometry(unit_codes: tuple[str, ...], unit_set: str = FORMER) -> MapGeometry:
    """Load, validate and simplify the boundaries of these commune codes of `unit_set` ('former': the 64 communes
    with district outlines; 'current': the 25 units dissolved from them, no outlines); fall back to the set's commune
    centres. Cached per (codes, set)."""
    try:
        # the crosswalk only where there are boundaries to dissolve (none: the centres are drawn)
        walk = warehouse_crosswalk() if unit_set == CURRENT and boundaries_dir() is not None else None
        boundaries = load_boundaries(list(unit_codes), unit_set=unit_set, crosswalk=walk)
    except BoundaryError as exc:  # the details (paths, what is wrong) go to the server's log, never to a viewer
        _log.warning("boundaries not used, drawing commune centres instead: %s", exc)
        return MapGeometry(boundaries=None, error=COMMUNES_FILE, centres=commune_centres(unit_set))
    if boundaries is None:
        return MapGeometry(boundaries=None, error=None, centres=commune_centres(unit_set))
    return MapGeometry(boundaries=boundaries, error=None, centres=None,
                       outlines=_outline_coordinates(boundaries.districts), communes=clockwise(boundaries.communes))
