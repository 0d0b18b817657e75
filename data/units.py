"""The 64 commune-level units of Bạc Liêu (before July 2025), read from `vietnamadminunits`' legacy table."""

from __future__ import annotations

import pandas as pd
from vietnamadminunits.database import query

_TYPES = {"Phường": "phường", "Thị trấn": "thị trấn", "Xã": "xã"}
_AREA = {"phường": "urban", "thị trấn": "urban", "xã": "rural"}

# The package's own SQL; the province code is a constant of this module, never user input.
_SQL = """
SELECT DISTINCT wardCode, ward, wardType, districtCode, district, wardLat, wardLon
FROM admin_units_legacy WHERE provinceCode = '95' ORDER BY wardCode
"""


def load_units() -> pd.DataFrame:
    """Return one row per commune: the `units` contract columns plus `lat`/`lon` of its centre."""
    raw = pd.DataFrame(query(_SQL))
    if raw.empty:
        raise RuntimeError("vietnamadminunits returned no units for province 95 (Bạc Liêu)")
    unknown = set(raw["wardType"]) - set(_TYPES)
    if unknown:
        raise RuntimeError(f"unexpected commune types in vietnamadminunits: {sorted(unknown)}")
    units = pd.DataFrame(
        {
            "commune_code": raw["wardCode"].astype(str).str.zfill(5),
            "commune_name": raw["ward"].astype(str),
            "commune_type": raw["wardType"].map(_TYPES),
            "district_code": raw["districtCode"].astype(str).str.zfill(3),
            "district_name": raw["district"].astype(str),
            "lat": raw["wardLat"].astype(float),
            "lon": raw["wardLon"].astype(float),
        }
    )
    units.insert(3, "area", units["commune_type"].map(_AREA))
    return units.sort_values("commune_code").reset_index(drop=True)


UNIT_COLUMNS = ["commune_code", "commune_name", "commune_type", "area", "district_code", "district_name"]
