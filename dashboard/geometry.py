"""Boundaries for the map, loaded once per process: the `geo` API wrapped in `st.cache_resource`, plus the district
outlines turned into line coordinates so no geometry work happens on a rerun."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st

from geo import Boundaries, BoundaryError, commune_centres, load_boundaries


@dataclass(frozen=True)
class MapGeometry:
    """What the map page draws with. `boundaries` None → proportional symbols at `centres`; `error` says why if the
    files were there but wrong."""

    boundaries: Boundaries | None
    error: str | None
    centres: pd.DataFrame | None
    outlines: dict[str, tuple[list[float | None], list[float | None]]] = field(default_factory=dict)
    # commune code → (min lon, min lat, max lon, max lat), to fit the map view to the communes shown
    bounds: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)

    def boxes(self, codes: Iterable[str]) -> list[tuple[float, float, float, float]]:
        """Bounding boxes of these communes (points when only centres are known)."""
        wanted = set(codes)
        if self.bounds:
            return [box for code, box in self.bounds.items() if code in wanted]
        if self.centres is None:
            return []
        rows = self.centres[self.centres["commune_code"].isin(wanted)]
        return [(lon, lat, lon, lat) for lon, lat in zip(rows["lon"], rows["lat"], strict=True)]


def _bounds(collection: dict[str, Any]) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    for feature in collection["features"]:
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        lons = [point[0] for polygon in polygons for point in polygon[0]]
        lats = [point[1] for polygon in polygons for point in polygon[0]]
        out[str(feature["id"])] = (min(lons), min(lats), max(lons), max(lats))
    return out


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


@st.cache_resource(show_spinner=False)
def map_geometry(unit_codes: tuple[str, ...]) -> MapGeometry:
    """Load, validate and simplify the boundaries for these commune codes; fall back to commune centres."""
    try:
        boundaries = load_boundaries(list(unit_codes))
    except BoundaryError as exc:
        return MapGeometry(boundaries=None, error=str(exc), centres=commune_centres())
    if boundaries is None:
        return MapGeometry(boundaries=None, error=None, centres=commune_centres())
    return MapGeometry(boundaries=boundaries, error=None, centres=None,
                       outlines=_outline_coordinates(boundaries.districts), bounds=_bounds(boundaries.communes))
