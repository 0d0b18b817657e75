"""Boundaries of Bạc Liêu's communes and districts (former units) and of the current units dissolved from them:
loading, validation, simplification, joined on codes."""

from geo.boundaries import Boundaries, BoundaryError, boundaries_dir, commune_centres, load_boundaries

__all__ = ["Boundaries", "BoundaryError", "boundaries_dir", "commune_centres", "load_boundaries"]
