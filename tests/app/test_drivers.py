"""Deprivation drivers (issue 12, item 1): the SQL (queries/deprivation_drivers.sql, deprivation_combinations.sql)
against an independent pandas computation over the base tables (`classified_pd`: reviews and households classified
in pandas), for several scopes; then the logic of dashboard/drivers.py and the page."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.warehouse import refresh_classified
from queries.runner import clear_caches, run


def sql_params(units: str = "former", level: str = "total", year: int = 2024, district: tuple[str, ...] = (),
               area: str = "all", group: str = "all", commune: str | None = None) -> dict[str, object]:
    return {"units": units, "level": level, "year": year, "district": list(district), "area": area, "group": group,
            "commune": commune}


def standard_indicators(raw: dict[str, pd.DataFrame], year: int) -> list[str]:
    """The indicators of the standard in force in `year`, in position order, from the base tables."""
    standards = raw["standards"]
    [standard_id] = standards.loc[(standards["first_year"] <= year) & (year <= standards["last_year"]), "standard_id"]
    ind = raw["indicators"]
    return list(ind[ind["standard_id"] == standard_id].sort_values("position")["indicator"])


def selection(classified_pd: pd.DataFrame, p: dict[str, object]) -> pd.DataFrame:
    """The reviews a query's parameters select, with `unit_code` the row's unit (restating `in_selection` and the
    levels: in the current set both levels are the current unit; a former unit unknown counts in the total only)."""
    rows = classified_pd[classified_pd["year"] == p["year"]].copy()
    current = p["units"] == "current"
    commune = rows["current_code"] if current else rows["commune_code"]
    district = rows["current_code"] if current else rows["district_code"]
    keep = pd.Series(True, index=rows.index)
    if p["district"]:
        keep &= district.isin(p["district"])
    if p["area"] != "all":
        keep &= rows["area"] == p["area"]
    keep &= {"all": rows["ethnicity"].notna(), "kinh": rows["ethnicity"] == "kinh",
             "minority": rows["ethnicity"] != "kinh", "khmer": rows["ethnicity"] == "khmer"}[p["group"]]
    if p["level"] != "total":
        keep &= commune.notna()
    if p["commune"] is not None:
        keep &= commune == p["commune"]
    rows["unit_code"] = {"total": pd.Series("total", index=rows.index), "district": district,
                         "commune": commune}[p["level"]]
    return rows[keep]


def expected_drivers(classified_pd: pd.DataFrame, raw: dict[str, pd.DataFrame], p: dict[str, object]) -> pd.DataFrame:
    """The drivers of every unit computed in pandas from the definitions (OPHI): censored headcount = poor and
    deprived ÷ all households; share among poor = ÷ poor; contribution = ÷ all deprivations of the poor in the
    standard's indicators; intensity = mean count of those deprivations among the poor."""
    indicators = standard_indicators(raw, int(p["year"]))
    rows = selection(classified_pd, p)
    out = []
    for unit, part in rows.groupby("unit_code"):
        poor = part[part["status"] == "poor"]
        deprived = {name: int(poor[f"d_{name}"].sum()) for name in indicators}
        total = sum(deprived.values())
        count = poor[[f"d_{name}" for name in indicators]].sum(axis=1)
        for position, name in enumerate(indicators, start=1):
            out.append({
                "unit_code": unit, "indicator": name, "position": position, "households": len(part),
                "poor_households": len(poor), "deprived_poor": deprived[name],
                "censored_headcount": 100 * deprived[name] / len(part),
                "share_among_poor": 100 * deprived[name] / len(poor) if len(poor) else float("nan"),
                "contribution": 100 * deprived[name] / total if total else float("nan"),
                "intensity": count.mean() if len(poor) else float("nan"),
            })
    return pd.DataFrame(out)


def expected_combinations(classified_pd: pd.DataFrame, raw: dict[str, pd.DataFrame],
                          p: dict[str, object]) -> pd.DataFrame:
    indicators = standard_indicators(raw, int(p["year"]))
    poor = selection(classified_pd, p)
    poor = poor[poor["status"] == "poor"]
    combos = poor[[f"d_{name}" for name in indicators]].apply(
        lambda r: tuple(name for name in indicators if r[f"d_{name}"]), axis=1)
    counted = (pd.DataFrame({"unit_code": poor["unit_code"], "combination": combos})
               .groupby(["unit_code", "combination"]).size().rename("households").reset_index())
    counted["share_of_poor"] = 100 * counted["households"] / counted.groupby("unit_code")["households"].transform("sum")
    return counted


SCOPES = {
    "province": sql_params(),
    "district": sql_params(level="district", district=("956",)),
    "communes of a district": sql_params(level="commune", district=("958",)),
    "one commune": sql_params(level="commune", commune="31858"),
    "rural": sql_params(level="district", area="rural"),
    "khmer": sql_params(group="khmer"),
    "rural khmer communes": sql_params(level="commune", area="rural", group="khmer", year=2022),
    "current units 2025": sql_params(units="current", level="commune", year=2025),
    "current total 2025": sql_params(units="current", year=2025),
    "former communes 2025": sql_params(level="commune", year=2025),
    "a former commune in 2025": sql_params(level="commune", year=2025, commune="31858"),
    "baseline 2021": sql_params(year=2021, level="district"),
}


@pytest.mark.parametrize("scope", SCOPES)
def test_drivers_match_pandas(classified_pd, raw, scope):
    p = SCOPES[scope]
    got = run("deprivation_drivers", **p)
    expected = expected_drivers(classified_pd, raw, p)
    assert len(expected) > 0
    assert list(got["unit_code"]) == sorted(got["unit_code"]) and not got.empty
    columns = ["unit_code", "indicator", "position", "households", "poor_households", "deprived_poor"]
    merged = got.merge(expected, on=["unit_code", "indicator"], how="outer", suffixes=("", "_pd"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"]
    for column in columns[2:]:
        assert (merged[column].astype("int64") == merged[f"{column}_pd"].astype("int64")).all(), column
    for column in ("censored_headcount", "share_among_poor", "contribution", "intensity"):
        pd.testing.assert_series_equal(merged[column].astype("float64"), merged[f"{column}_pd"].astype("float64"),
                                       check_names=False, rtol=1e-9)
    assert (got["year"] == p["year"]).all()


@pytest.mark.parametrize("scope", ["province", "communes of a district", "current units 2025"])
def test_contributions_add_to_100_and_intensity_counts_the_deprivations(scope):
    got = run("deprivation_drivers", **SCOPES[scope])
    with_poor = got[got["poor_households"] > 0]
    assert not with_poor.empty
    sums = with_poor.groupby("unit_code")["contribution"].sum()
    assert ((sums - 100).abs() < 1e-9).all()
    units = with_poor.groupby("unit_code").agg(deprived=("deprived_poor", "sum"), poor=("poor_households", "first"),
                                               intensity=("intensity", "first"))
    assert ((units["deprived"] - units["intensity"] * units["poor"]).abs() < 1e-6).all()
    # the standard needs 3 deprivations to be poor: no poor household has fewer
    assert (units["intensity"] >= 3).all()
    no_poor = got[got["poor_households"] == 0]
    assert no_poor["share_among_poor"].isna().all() and no_poor["contribution"].isna().all()
    assert no_poor["intensity"].isna().all() and (no_poor["censored_headcount"] == 0).all()


def test_the_list_and_labels_are_the_standards(raw):
    got = run("deprivation_drivers", **SCOPES["province"])
    ind = raw["indicators"].sort_values("position")
    assert list(got["indicator"]) == list(ind["indicator"]) == standard_indicators(raw, 2024)
    assert list(got["label_vi"]) == list(ind["label_vi"]) and list(got["label_en"]) == list(ind["label_en"])
    assert list(got["position"]) == list(range(1, len(ind) + 1))
    assert (got["standard_id"] == "2022-2025").all()
    named = run("deprivation_drivers", **SCOPES["communes of a district"])
    units = raw["units"].query("unit_set == 'former'").set_index("commune_code")["commune_name"]
    assert all(str(name).startswith(units[code]) for code, name in zip(named["unit_code"], named["unit_name"],
                                                                         strict=True))
    assert (named["district_code"] == "958").all()


@pytest.mark.parametrize("scope", ["province", "district", "rural khmer communes", "current units 2025",
                                   "a former commune in 2025"])
def test_combinations_match_pandas(classified_pd, raw, scope):
    p = SCOPES[scope]
    expected = expected_combinations(classified_pd, raw, p)
    limit = 10
    got = run("deprivation_combinations", **p, limit=limit)
    assert not got.empty
    # the top `limit` of each unit, households desc then the combination's order
    ordered = sorted(expected.itertuples(index=False), key=lambda r: (r.unit_code, -r.households, r.combination))
    top = pd.DataFrame(ordered).groupby("unit_code").head(limit)
    assert [tuple(c) for c in got["combination"]] == list(top["combination"])
    assert list(got["unit_code"]) == list(top["unit_code"])
    assert list(got["households"]) == list(top["households"])
    assert ((got["share_of_poor"] - top["share_of_poor"].to_numpy()).abs() < 1e-9).all()
    # a poor household has at least the standard's minimum of deprivations
    assert got["combination"].map(len).min() >= 3
    drivers = run("deprivation_drivers", **p)
    poor = drivers.groupby("unit_code")["poor_households"].first()
    assert (got["poor_households"] == got["unit_code"].map(poor)).all()


def test_all_combinations_add_up_to_the_poor():
    p = SCOPES["district"]
    got = run("deprivation_combinations", **p, limit=100_000)
    drivers = run("deprivation_drivers", **p)
    assert got["households"].sum() == drivers["poor_households"].iloc[0]
    assert abs(got["share_of_poor"].sum() - 100) < 1e-9
    # the deprivations the combinations hold are the drivers' deprived poor households
    counts = got.explode("combination").groupby("combination")["households"].sum()
    assert (drivers.set_index("indicator")["deprived_poor"] == counts.reindex(drivers["indicator"]).fillna(0)).all()


# --- a standard with other indicators: a data-only 2027–2030 standard of 11 indicators (keep last: it repoints the
# app at another warehouse) ---------------------------------------------------------------------------------------

NEW_STANDARD = "2027-2030"
NEW_YEAR = 2027
DROPPED = "info_devices"  # Decree 351/2025/NĐ-CP drops it (and adds waste handling, which the reviews do not carry)


@pytest.fixture(scope="module")
def standard_2027(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The test warehouse plus, as data only, a standard '2027-2030' (first_year 2027) listing 11 of the 12
    indicators (not `DROPPED`), in another order of positions than 2022–2025's, with its own lines, and the 2025
    reviews filed again as 2027's (same households, same answers), classified by it; the app pointed at it."""
    path = tmp_path_factory.mktemp("standard2027") / "standard2027.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        con.execute(
            """INSERT INTO standards
               SELECT $standard, 'Chuẩn nghèo đa chiều giai đoạn 2026–2030 (thử nghiệm)', 'Nghị định 351/2025/NĐ-CP',
                      $year, 2030, 2200000, 2800000, 3300000, 4200000, 3,
                      (SELECT list(indicator ORDER BY dimension <> 'information', position) FROM indicators
                       WHERE standard_id = '2022-2025' AND indicator <> $dropped)""",
            {"standard": NEW_STANDARD, "year": NEW_YEAR, "dropped": DROPPED})
        con.execute(
            """INSERT INTO indicators
               SELECT $standard, indicator, dimension,
                      -- the information dimension first: the page must follow the standard's positions
                      row_number() OVER (ORDER BY dimension <> 'information', position),
                      label_vi || ' (2027)', label_en || ' (2027)'
               FROM indicators WHERE standard_id = '2022-2025' AND indicator <> $dropped""",
            {"standard": NEW_STANDARD, "dropped": DROPPED})
        con.execute("INSERT INTO reviews SELECT * REPLACE ($year AS year) FROM reviews WHERE year = 2025",
                    {"year": NEW_YEAR})
        refresh_classified(con, [NEW_YEAR])
        con.execute("COMMIT")
    finally:
        con.close()
    previous = os.environ["POVERTY_DB"]
    os.environ["POVERTY_DB"] = str(path)
    clear_caches()
    yield path
    os.environ["POVERTY_DB"] = previous
    clear_caches()


@pytest.fixture(scope="module")
def classified_2027(standard_2027: Path, classified_pd: pd.DataFrame) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The 2027 warehouse's base tables and its reviews classified in pandas (the 2025 rows' households under the
    2027 standard's lines and list), beside the earlier years' `classified_pd`."""
    con = duckdb.connect(str(standard_2027), read_only=True)
    try:
        tables = {name: con.execute(f"SELECT * FROM {name}").df()  # noqa: S608 (fixed table names)
                  for name in ("standards", "indicators")}
    finally:
        con.close()
    standard = tables["standards"].set_index("standard_id").loc[NEW_STANDARD]
    rows = classified_pd[classified_pd["year"] == 2025].copy()
    rows["year"] = NEW_YEAR
    columns = [f"d_{name}" for name in standard["indicators"]]
    rows["deprivation_count"] = rows[columns].sum(axis=1)
    line = rows["area"].map({"urban": standard["urban_poverty_line"], "rural": standard["rural_poverty_line"]})
    under = rows["income_per_capita"] <= line
    rows["status"] = "other"
    rows.loc[under, "status"] = "near_poor"
    rows.loc[under & (rows["deprivation_count"] >= standard["min_deprivations"]), "status"] = "poor"
    return tables, pd.concat([classified_pd, rows], ignore_index=True)


def test_a_2027_standard_of_11_indicators_gives_its_own_list(classified_2027):
    tables, classified = classified_2027
    own = tables["indicators"].query("standard_id == @NEW_STANDARD").sort_values("position")
    assert len(own) == 11 and DROPPED not in set(own["indicator"])
    for scope in ("current units 2025", "current total 2025"):
        p = {**SCOPES[scope], "year": NEW_YEAR}
        got = run("deprivation_drivers", **p)
        assert (got["standard_id"] == NEW_STANDARD).all()
        for _, unit in got.groupby("unit_code"):
            assert list(unit["indicator"]) == list(own["indicator"])
            assert list(unit["label_en"]) == list(own["label_en"])
        expected = expected_drivers(classified, tables, p)
        merged = got.merge(expected, on=["unit_code", "indicator"], suffixes=("", "_pd"))
        assert len(merged) == len(got) == len(expected)
        assert (merged["deprived_poor"] == merged["deprived_poor_pd"]).all()
        assert (merged["poor_households"] == merged["poor_households_pd"]).all()
        for column in ("censored_headcount", "contribution", "intensity"):
            pd.testing.assert_series_equal(merged[column], merged[f"{column}_pd"], check_names=False, rtol=1e-9)
        combos = run("deprivation_combinations", **p, limit=10)
        assert not combos.empty and not any(DROPPED in c for c in combos["combination"])
        order = list(own["indicator"])
        assert all(list(c) == sorted(c, key=order.index) for c in combos["combination"])
    # the higher lines of the new standard make more households poor than the same answers in 2025
    total = run("deprivation_drivers", **{**SCOPES["current total 2025"], "year": NEW_YEAR})
    before = run("deprivation_drivers", **SCOPES["current total 2025"])
    assert total["poor_households"].iloc[0] > before["poor_households"].iloc[0]
    assert len(before) == 12
