"""Bạc Liêu's commune-level units in both unit sets, and the crosswalk between them, read from `vietnamadminunits`.

- **former** (`unit_set = 'former'`): the 64 units of Tỉnh Bạc Liêu (province code 95) in 7 districts, in force
  until 30 June 2025 (the package's legacy table).
- **current** (`unit_set = 'current'`): the 25 units (20 xã, 5 phường) of Tỉnh Cà Mau (code 96) that the former
  64 became on 1 July 2025 (Resolution 1655/NQ-UBTVQH15); no districts (the package's current table).
- **crosswalk**: each former unit → the current unit it lies in, from the package's 2025 converter. Every former
  unit maps whole into one current unit (none is split), so figures carry from former to current units exactly by
  summing; `load_crosswalk` raises if the package ever says otherwise.

A code may mean one unit in one set and another in the other (31834: Xã Vĩnh Trạch, then Phường Vĩnh Trạch), so a
unit is named by (`unit_set`, `commune_code`). The dates each set is in force are law, not package data:
`data/reference/unit_sets.csv`.
"""

from __future__ import annotations

import functools

import pandas as pd

# `vietnamadminunits` is imported where it is read (≈0.3–0.5 s): only the build reads the package; the running app
# reads the units and the crosswalk from the warehouse (`units`, `unit_crosswalk`) and imports this module for its
# constants alone (data.warehouse does).

FORMER: str = "former"
CURRENT: str = "current"
UNIT_SETS: tuple[str, str] = (FORMER, CURRENT)

_TYPES = {"Phường": "phường", "Thị trấn": "thị trấn", "Xã": "xã"}
_AREA = {"phường": "urban", "thị trấn": "urban", "xã": "rural"}
FORMER_PROVINCE_CODE = "95"  # Tỉnh Bạc Liêu
CURRENT_PROVINCE_CODE = "96"  # Tỉnh Cà Mau (which Bạc Liêu merged into)

# The package's own SQL; province codes are constants of this module, never user input.
_FORMER_SQL = """
SELECT DISTINCT wardCode, ward, wardType, districtCode, district, wardLat, wardLon, provinceKey, districtKey, wardKey
FROM admin_units_legacy WHERE provinceCode = '95' ORDER BY wardCode
"""
_CURRENT_SQL = """
SELECT DISTINCT wardCode, ward, wardType, wardLat, wardLon, wardKey
FROM admin_units WHERE provinceCode = '96' ORDER BY wardCode
"""

UNIT_COLUMNS = ["unit_set", "commune_code", "commune_name", "commune_type", "area", "district_code", "district_name"]


def _types(raw: pd.DataFrame) -> pd.Series:
    unknown = set(raw["wardType"]) - set(_TYPES)
    if unknown:
        raise RuntimeError(f"unexpected commune types in vietnamadminunits: {sorted(unknown)}")
    return raw["wardType"].map(_TYPES)


_QUERIES = {FORMER: (_FORMER_SQL, "95 (Bạc Liêu)"), CURRENT: (_CURRENT_SQL, "96 (Cà Mau)")}


@functools.lru_cache(maxsize=2)
def _raw(unit_set: str) -> pd.DataFrame:
    """The package's rows of one unit set (read once per process). Raises `RuntimeError` when it has none."""
    from vietnamadminunits.database import query

    sql, province = _QUERIES[unit_set]
    raw = pd.DataFrame(query(sql))
    if raw.empty:
        raise RuntimeError(f"vietnamadminunits returned no units for province {province}")
    return raw


def former_units() -> pd.DataFrame:
    """The 64 former units: `units` contract columns (`unit_set` = 'former') plus `lat`/`lon` of each centre
    (degrees, WGS 84) and `current_code` (the current unit it lies in, `load_crosswalk`), sorted by code."""
    raw = _raw(FORMER)
    units = pd.DataFrame(
        {
            "unit_set": FORMER,
            "commune_code": raw["wardCode"].astype(str).str.zfill(5),
            "commune_name": raw["ward"].astype(str),
            "commune_type": _types(raw),
            "district_code": raw["districtCode"].astype(str).str.zfill(3),
            "district_name": raw["district"].astype(str),
            "lat": raw["wardLat"].astype(float),
            "lon": raw["wardLon"].astype(float),
        }
    )
    units.insert(4, "area", units["commune_type"].map(_AREA))
    units["current_code"] = units["commune_code"].map(dict(zip(*load_crosswalk().T.to_numpy(), strict=True)))
    return units.sort_values("commune_code").reset_index(drop=True)


def current_units() -> pd.DataFrame:
    """The 25 current units the former 64 became: same columns as `former_units` (`unit_set` = 'current',
    `district_code` / `district_name` empty: districts were abolished), sorted by code.

    Raises `RuntimeError` when the package's converter and unit table disagree (a unit missing from either)."""
    walk = load_crosswalk()
    raw = _raw(CURRENT)
    raw = raw[raw["wardCode"].astype(str).str.zfill(5).isin(set(walk["current_code"]))]
    if len(raw) != walk["current_code"].nunique():
        raise RuntimeError("vietnamadminunits' converter names current units its unit table does not hold")
    units = pd.DataFrame(
        {
            "unit_set": CURRENT,
            "commune_code": raw["wardCode"].astype(str).str.zfill(5),
            "commune_name": raw["ward"].astype(str),
            "commune_type": _types(raw),
            "district_code": pd.Series([None] * len(raw), dtype="object", index=raw.index),
            "district_name": pd.Series([None] * len(raw), dtype="object", index=raw.index),
            "lat": raw["wardLat"].astype(float),
            "lon": raw["wardLon"].astype(float),
        }
    )
    units.insert(4, "area", units["commune_type"].map(_AREA))
    return units.sort_values("commune_code").reset_index(drop=True)


def load_units() -> pd.DataFrame:
    """Both unit sets, one row per (`unit_set`, `commune_code`): 64 former rows, then 25 current rows."""
    return pd.concat([former_units(), current_units()], ignore_index=True)


@functools.lru_cache(maxsize=1)
def _crosswalk() -> pd.DataFrame:
    from vietnamadminunits.converter.converter_2025 import (
        DICT_PROVINCE,
        DICT_PROVINCE_WARD_DIVIDED,
        DICT_PROVINCE_WARD_NO_DIVIDED,
    )

    raw = _raw(FORMER)
    by_key = {f"{p}_{d}_{w}": str(code).zfill(5)
              for p, d, w, code in zip(raw["provinceKey"], raw["districtKey"], raw["wardKey"], raw["wardCode"],
                                       strict=True)}
    current = _raw(CURRENT)
    current_code = {str(k): str(c).zfill(5) for k, c in zip(current["wardKey"], current["wardCode"], strict=True)}
    province_key = next(k for k, olds in DICT_PROVINCE.items() if any(k2 == str(raw["provinceKey"].iloc[0])
                                                                        for k2 in olds))
    rows: list[tuple[str, str]] = []
    for new_key, olds in DICT_PROVINCE_WARD_NO_DIVIDED[province_key].items():
        for old in olds:
            if old in by_key:
                if new_key not in current_code:
                    raise RuntimeError(f"vietnamadminunits' converter names an unknown current unit {new_key!r}")
                rows.append((by_key[old], current_code[new_key]))
    split = [old for old in DICT_PROVINCE_WARD_DIVIDED.get(province_key, {}) if old in by_key]
    if split:
        raise RuntimeError(f"former units split between current units, which the dashboard cannot sum: {split}")
    walk = pd.DataFrame(rows, columns=["former_code", "current_code"]).drop_duplicates()
    if walk["former_code"].duplicated().any() or set(walk["former_code"]) != set(by_key.values()):
        missing = sorted(set(by_key.values()) - set(walk["former_code"]))
        raise RuntimeError(f"former units without exactly one current unit in vietnamadminunits: {missing}")
    return walk.sort_values("former_code").reset_index(drop=True)


def load_crosswalk() -> pd.DataFrame:
    """The former → current crosswalk: one row per former unit (`former_code`, `current_code`), 64 rows.

    Raises `RuntimeError` if a former unit is missing, split, or mapped to a unit the package does not list."""
    return _crosswalk().copy()
