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
import plotly.graph_objects as go
import pytest

from dashboard import disclosure, drivers
from dashboard.disclosure import COMPLEMENT, SMALL, Rule
from data.warehouse import refresh_classified
from i18n import Translator
from queries.runner import clear_caches, run

from .conftest import open_app
from .test_coverage import PARTIAL_YEAR, partial_warehouse  # noqa: F401 (a fixture, used last in this file)
from .test_pages import array, charts, texts


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
def test_contributions_add_to_100_and_intensity_counts_the_deprivations(warehouse, scope):
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


def test_all_combinations_add_up_to_the_poor(warehouse):
    p = SCOPES["district"]
    got = run("deprivation_combinations", **p, limit=100_000)
    drivers = run("deprivation_drivers", **p)
    assert got["households"].sum() == drivers["poor_households"].iloc[0]
    assert abs(got["share_of_poor"].sum() - 100) < 1e-9
    # the deprivations the combinations hold are the drivers' deprived poor households
    counts = got.explode("combination").groupby("combination")["households"].sum()
    assert (drivers.set_index("indicator")["deprived_poor"] == counts.reindex(drivers["indicator"]).fillna(0)).all()



# --- dashboard/drivers.py: protection, the baseline, the reader's tables ---------------------------------------------

RULE = Rule(10, active=True)
OPEN = Rule(10, active=False)
VI, EN = Translator("vi"), Translator("en")


def _frame(units: dict[str, tuple[int, int]], indicators: tuple[str, ...] = ("water", "latrine", "telecom"),
           deprived: int = 3) -> pd.DataFrame:
    """A hand-made drivers frame: per unit (households, poor households) and indicator, `deprived` poor households
    deprived in each (capped at the poor), figures from the SQL's definitions."""
    rows = []
    for unit, (households, poor) in units.items():
        d = min(deprived, poor)
        for position, name in enumerate(indicators, start=1):
            rows.append({"unit_code": unit, "unit_name": f"Xã {unit}", "district_code": "954", "year": 2024,
                         "indicator": name, "position": position, "dimension": "housing",
                         "label_vi": f"{name} vi", "label_en": f"{name} en", "households": households,
                         "poor_households": poor, "deprived_poor": d, "censored_headcount": 100 * d / households,
                         "share_among_poor": 100 * d / poor if poor else float("nan"),
                         "contribution": 100 / len(indicators) if d else float("nan"),
                         "intensity": float(len(indicators)) if d else float("nan")})
    return pd.DataFrame(rows)


def test_protect_hides_a_hidden_cell_whole_and_the_deprivations_of_few_poor_households():
    frame = _frame({"A": (8, 3), "B": (400, 5), "C": (300, 0), "D": (900, 50), "E": (500, 40)})
    cells = {"A": SMALL, "B": None, "C": None, "D": None}  # E: not judged (another warehouse version) → hidden
    out = drivers.protect(frame, RULE, cells).set_index(["unit_code", "indicator"])
    a, b, c, d, e = (out.xs(u, level="unit_code") for u in "ABCDE")
    assert (a["hidden"] == SMALL).all() and (a["hidden_poor"] == SMALL).all()
    assert a[list(drivers.CELL_FIGURES + drivers.POOR_FIGURES)].isna().all().all()
    # 5 poor households in a shown cell of 400: the cell's counts stay, every figure of the poor's deprivations goes
    assert b["hidden"].isna().all() and (b["hidden_poor"] == SMALL).all()
    assert (b["households"] == 400).all() and (b["poor_households"] == 5).all()
    assert b[list(drivers.POOR_FIGURES)].isna().all().all()
    # no poor household: nothing to hide (a 0 % censored headcount, no share)
    assert c["hidden_poor"].isna().all() and (c["censored_headcount"] == 0).all()
    assert d["hidden_poor"].isna().all() and (d["deprived_poor"] == 3).all()
    assert (d["share_among_poor"] == 6).all()
    assert (e["hidden"] == COMPLEMENT).all() and e["households"].isna().all()
    # a signed-in viewer sees everything
    same = drivers.protect(frame, OPEN, cells)
    assert same["hidden"].isna().all() and same["hidden_poor"].isna().all()
    pd.testing.assert_frame_equal(same[frame.columns], frame)


def test_the_change_since_the_baseline_covers_the_indicators_both_standards_count():
    now = drivers.protect(_frame({"A": (1000, 40), "B": (400, 5)}, deprived=20), RULE, {"A": None, "B": None})
    base = drivers.protect(_frame({"A": (1000, 80), "B": (400, 30)}, ("water", "latrine", "info_devices"), 30),
                           RULE, {"A": None, "B": None})
    out = drivers.with_baseline(now, base).set_index(["unit_code", "indicator"])
    assert out.loc[("A", "water"), "in_baseline"] and not out.loc[("A", "telecom"), "in_baseline"]
    assert out.loc[("A", "water"), "censored_change"] == pytest.approx(100 * 20 / 1000 - 100 * 30 / 1000)
    assert out.loc[("A", "latrine"), "share_change"] == pytest.approx(100 * 20 / 40 - 100 * 30 / 80)
    assert pd.isna(out.loc[("A", "telecom"), "censored_change"]) and pd.isna(out.loc[("A", "telecom"),
                                                                                     "hidden_change"])
    # B's poor households in the view's year are few: its change is hidden with them
    assert out.loc[("B", "water"), "hidden_change"] == SMALL and pd.isna(out.loc[("B", "water"), "censored_change"])
    # the indicator table: the change column with its header, the marker where hidden, "—" where not counted
    table, formats = drivers.indicator_table(out.reset_index().query("unit_code == 'B'"), EN, RULE, 2021)
    change = "Poor and deprived: change since 2021 (pts)"
    assert formats[change] == "pts" and set(table[change]) == {"≤9 households — hidden"}
    table, _ = drivers.indicator_table(out.reset_index().query("unit_code == 'A'"), VI, RULE, 2021)
    assert list(table["Chỉ số thiếu hụt"]) == ["water vi", "latrine vi", "telecom vi"]
    assert table["Hộ nghèo và thiếu hụt: thay đổi từ 2021 (điểm %)"].tolist()[:2] == pytest.approx([-1.0, -1.0])
    assert pd.isna(table["Hộ nghèo và thiếu hụt: thay đổi từ 2021 (điểm %)"].iloc[2])
    # no baseline at all: no change anywhere
    none = drivers.with_baseline(now, None)
    assert not none["in_baseline"].any() and none["censored_change"].isna().all()


def test_the_baseline_state(warehouse):
    years = [2021, 2022, 2023, 2024, 2025]
    assert drivers.baseline_year() == 2021
    assert drivers.baseline_state(2021, 2021, years) == "same_year"
    assert drivers.baseline_state(2024, 2021, years) == "same_standard"
    assert drivers.baseline_state(2024, 2021, years[1:]) == "no_data"
    assert drivers.baseline_state(2020, 2021, years) == "before"


def test_headline_and_top_indicator():
    frame = _frame({"D": (900, 50)})
    frame.loc[frame["indicator"] == "latrine", "contribution"] = 50.0
    shown = drivers.protect(frame, RULE, {"D": None})
    assert drivers.top_indicator(shown) == "latrine"
    head = drivers.headline(shown, VI, RULE)
    assert head == {"poor": "50", "households": "900", "intensity": "3,00 / 3", "top": "latrine vi",
                    "top_share": "50,0 %"}
    marker = "≤9 households — hidden"
    few = drivers.headline(drivers.protect(_frame({"B": (4000, 5)}), RULE, {"B": None}), EN, RULE)
    assert few == {"poor": "5", "households": "4,000", "intensity": marker, "top": marker, "top_share": marker}
    hidden = drivers.headline(drivers.protect(_frame({"A": (8, 3)}), RULE, {"A": SMALL}), EN, RULE)
    assert set(hidden.values()) == {marker}
    none = drivers.headline(drivers.protect(_frame({"C": (300, 0)}), RULE, {"C": None}), EN, RULE)
    assert none == {"poor": "0", "households": "300", "intensity": "—", "top": "—", "top_share": "—"}


@pytest.mark.parametrize("units,level,year", [("former", "commune", 2024), ("current", "commune", 2025),
                                              ("former", "district", 2022)])
def test_unit_drivers_hide_as_the_progress_cells_and_few_poor_households(warehouse, units, level, year):
    params = {"units": units, "district": [], "area": "all", "group": "all", "year": year}
    raw_rows = run("deprivation_drivers", level=level, commune=None, **params)
    anonymous = drivers.unit_drivers(params, RULE, level)
    cells = disclosure.progress(level, {k: v for k, v in params.items() if k != "year"}, RULE)
    states = cells[cells["year"] == year].set_index("unit_code")["hidden"]
    assert list(anonymous["unit_code"]) == list(raw_rows["unit_code"])
    for unit, part in anonymous.groupby("unit_code"):
        raw_part = raw_rows[raw_rows["unit_code"] == unit]
        cell = states.get(unit)
        poor = int(raw_part["poor_households"].iloc[0])
        # a unit of 10 or more poor households may be hidden as a complement (`disclosure.poor_states`)
        allowed = {cell} if isinstance(cell, str) else ({SMALL} if 0 < poor < 10 else {"shown", COMPLEMENT})
        [state] = set(part["hidden_poor"].fillna("shown"))
        assert state in allowed, unit
        if state == "shown":
            pd.testing.assert_series_equal(part["censored_headcount"], raw_part["censored_headcount"],
                                           check_names=False)
        else:
            assert part[list(drivers.POOR_FIGURES)].isna().all().all()
    if level == "commune":  # the demo's communes have both (its districts have many poor households each)
        assert anonymous["hidden_poor"].notna().any() and anonymous["hidden_poor"].isna().any()
    signed = drivers.unit_drivers(params, OPEN, level)
    pd.testing.assert_frame_equal(signed[raw_rows.columns], raw_rows)


@pytest.mark.parametrize("year,area", [(2023, "all"), (2024, "all"), (2024, "rural")])
def test_no_hidden_communes_deprivations_come_back_by_subtraction(warehouse, year, area):
    """The fresh-user pass's attack: a district's deprived poor households less those of its communes shown gives a
    lone hidden commune's. Now a district whose communes' drivers are shown has none or at least two hidden (and
    the hidden ones together hold N or more poor households), and so has the province over its districts."""
    params = {"units": "former", "district": [], "area": area, "group": "all", "year": year}
    communes = drivers.unit_drivers(params, RULE, "commune").drop_duplicates("unit_code")
    districts = drivers.unit_drivers(params, RULE, "district").drop_duplicates("unit_code")
    raw = run("deprivation_drivers", level="commune", commune=None, **params).drop_duplicates("unit_code")
    poor = raw.set_index("unit_code")["poor_households"]
    hidden_somewhere = 0
    for parent, children in [*((d, communes[communes["district_code"] == d]) for d in districts["unit_code"]),
                             ("total", districts)]:
        shown_parent = parent == "total" or districts.set_index("unit_code").loc[parent, "hidden_poor"] is None
        with_poor = children[children["unit_code"].map(poor if parent != "total" else
                                                        districts.set_index("unit_code")["poor_households"]) > 0]
        hidden = with_poor[with_poor["hidden_poor"].notna()]
        hidden_somewhere += len(hidden)
        if shown_parent and len(hidden):
            assert len(hidden) >= 2, (parent, list(hidden["unit_code"]))
            if parent != "total":
                assert poor[hidden["unit_code"]].sum() >= 10, (parent, list(hidden["unit_code"]))
    assert hidden_somewhere, "the small warehouse has communes of few poor households: the check is not empty"


def test_unit_drivers_of_one_commune_and_its_district(warehouse):
    params = {"units": "former", "district": [], "area": "all", "group": "all", "year": 2024}
    commune = drivers.unit_drivers(params, OPEN, "commune", "31858")
    assert set(commune["unit_code"]) == {"31858"} and len(commune) == 12
    district = drivers.unit_drivers({**params, "district": ["958"]}, OPEN, "district")
    assert set(district["unit_code"]) == {"958"}
    assert (district["households"] > commune["households"].iloc[0]).all()
    with pytest.raises(ValueError):
        drivers.unit_drivers(params, OPEN, "district", "31858")
    with pytest.raises(ValueError):
        drivers.unit_drivers({k: v for k, v in params.items() if k != "year"}, OPEN, "total")


def test_combinations_of_few_households_are_hidden(warehouse):
    params = {"units": "former", "district": [], "area": "all", "group": "all", "year": 2021}
    signed = drivers.unit_combinations(params, OPEN, "total", limit=40)
    anonymous = drivers.unit_combinations(params, RULE, "total", limit=40)
    assert signed["hidden"].isna().all()
    small = signed["households"] < 10
    assert small.any() and (~small).any(), "the test needs both kinds of combinations"
    assert (anonymous["hidden"].notna() == small).all()
    assert anonymous.loc[small.to_numpy(), "households"].isna().all()
    assert (anonymous.loc[~small.to_numpy(), "households"] == signed.loc[~small, "households"]).all()
    labels = {"employment": "Việc làm"}
    table, _ = drivers.combination_table(anonymous, VI, labels)
    assert len(table) == int((~small).sum()) and (table["Hộ nghèo"] >= 10).all()
    # a commune with few poor households: every combination hidden with them
    few = drivers.unit_combinations({**params, "year": 2024}, RULE, "commune", "31843")
    assert not few.empty and few["hidden"].notna().all()


# --- the page --------------------------------------------------------------------------------------------------------


def shown_number(text: str) -> float:
    """A number as the page shows it in Vietnamese ("1.234,5") back to a float."""
    return float(text.replace(".", "").replace(",", "."))


def figures(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def map_figure(at) -> go.Figure:
    return next(f for f in charts(at) if any(t.type == "choropleth" for t in f.data))


def test_the_default_view_shows_the_years_figures_as_the_sql_gives_them(app):
    at = app("drivers", signed_in=True)
    assert not at.exception
    assert at.query_params["year"] == "2025" and at.query_params["units"] == "current"
    assert at.title[0].value == "Nguyên nhân nghèo: các thiếu hụt của hộ nghèo năm 2025"
    sql = run("deprivation_drivers", **sql_params(units="current", year=2025))
    first = sql.iloc[0]
    shown = figures(at)
    assert shown["Hộ nghèo"] == VI.num(first["poor_households"])
    assert shown["Hộ được rà soát"] == VI.num(first["households"])
    assert shown["Thiếu hụt bình quân / hộ nghèo"] == f"{VI.num(first['intensity'], 2)} / 12"
    top = sql.loc[sql["contribution"].idxmax()]
    assert (f"**Đóng góp nhiều nhất:** {top['label_vi']} ({VI.pct(top['contribution'], 1)} tổng số thiếu hụt của "
            "hộ nghèo).") in texts(at)
    table = at.dataframe[0].value
    assert list(table["Chỉ số thiếu hụt"]) == list(sql["label_vi"])
    for column, source in (("Hộ nghèo và thiếu hụt (% mọi hộ)", "censored_headcount"),
                           ("% hộ nghèo thiếu hụt", "share_among_poor"),
                           ("Đóng góp vào thiếu hụt của hộ nghèo (%)", "contribution")):
        assert [shown_number(v) for v in table[column]] == [round(v, 2) for v in sql[source]], column
    base = run("deprivation_drivers", **sql_params(units="current", year=2021))
    change = table["Hộ nghèo và thiếu hụt: thay đổi từ 2021 (điểm %)"]
    expected = (sql["censored_headcount"] - base["censored_headcount"]).round(2)
    assert [shown_number(v.replace(" điểm %", "").replace("+", "")) for v in change] == list(expected)
    assert "Thay đổi: điểm phần trăm so với năm gốc 2021 của kế hoạch." in texts(at)
    # the map: the default indicator is the largest contributor, in the link; its colours are the SQL's
    assert at.query_params["indicator"] == top["indicator"]
    assert at.selectbox(key="filter_indicator").value == top["indicator"]
    communes = run("deprivation_drivers", **sql_params(units="current", level="commune", year=2025))
    rows = communes[communes["indicator"] == top["indicator"]].set_index("unit_code")
    trace = next(t for t in map_figure(at).data if t.type == "choropleth" and t.showscale is not False)
    assert len(trace.locations) == 25
    assert array(trace.z) == pytest.approx(list(rows.loc[list(trace.locations), "censored_headcount"]))
    # per commune: every unit, its poor households and each indicator's censored headcount
    units = at.dataframe[-1].value
    assert len(units) == 25 and list(units["Mã"]) == sorted(rows.index)
    assert [int(shown_number(v)) for v in units["Hộ nghèo"]] == list(rows.sort_index()["poor_households"])


def test_an_anonymous_viewer_sees_the_marker_where_few_poor_households_are(app):
    at = app("drivers", year="2024", units="former")
    assert not at.exception
    sql = run("deprivation_drivers", **sql_params(level="commune", year=2024))
    per_unit = sql.drop_duplicates("unit_code").set_index("unit_code")
    units = at.dataframe[-1].value.set_index("Mã")
    few = per_unit[(per_unit["poor_households"] > 0) & (per_unit["poor_households"] < 10)].index
    many = per_unit[per_unit["poor_households"] >= 10].index
    assert len(few) and len(many)
    assert (units.loc[few, "Thiếu hụt bình quân của hộ nghèo"] == "≤9 hộ — ẩn").all()
    assert (units.loc[many, "Thiếu hụt bình quân của hộ nghèo"] != "≤9 hộ — ẩn").all()
    # the map draws those units violet, with no value
    figure = map_figure(at)
    hidden = next(t for t in figure.data if t.name == "Ẩn để bảo vệ số liệu ít hộ")
    coloured = next(t for t in figure.data if t.type == "choropleth" and t.showscale is not False)
    assert set(few) <= set(hidden.locations) and not set(few) & set(coloured.locations)
    assert "Số liệu từ dưới 10 hộ được ẩn" in texts(at)


def test_an_indicator_from_the_link_and_a_link_reproduces_the_view(app):
    link = {"units": "former", "district": "958", "area": "rural", "group": "all", "year": "2023", "lang": "en",
            "indicator": "water"}
    at = app("drivers", signed_in=True, **link)
    assert not at.exception
    assert {k: at.query_params[k] for k in link} == link
    assert at.selectbox(key="filter_indicator").value == "water"
    assert ("Colour: the share of the unit's households reviewed that are poor and deprived in Domestic water."
            in texts(at))
    sql = run("deprivation_drivers", **sql_params(level="commune", year=2023, district=("958",), area="rural"))
    rows = sql[sql["indicator"] == "water"].set_index("unit_code")
    trace = next(t for t in map_figure(at).data if t.type == "choropleth" and t.showscale is not False)
    assert array(trace.z) == pytest.approx(list(rows.loc[list(trace.locations), "censored_headcount"]))
    again = app("drivers", signed_in=True, **dict(at.query_params))
    assert [d.value.to_dict() for d in again.dataframe] == [d.value.to_dict() for d in at.dataframe]
    # another indicator picked on the page is written to the address at once; other pages drop it
    at.selectbox(key="filter_indicator").set_value("latrine").run()
    assert at.query_params["indicator"] == "latrine"
    at.switch_page("pages/overview.py").run()
    assert "indicator" not in at.query_params and at.query_params["year"] == "2023"


def test_a_bad_indicator_is_dropped_with_a_notice(app):
    at = app("drivers", year="2024", indicator="waste")  # a code of the right form, of no standard in 2024
    assert not at.exception
    notice = " ".join(w.value for w in at.warning)
    assert "Chỉ số `waste` không thuộc chuẩn nghèo áp dụng năm 2024" in notice
    assert at.query_params["indicator"] == at.selectbox(key="filter_indicator").value != "waste"
    at = app("drivers", year="2024", lang="en", indicator="<b>x</b>")
    assert not at.exception
    assert "`indicator` = `<b>x</b>`" in " ".join(w.value for w in at.warning)
    assert at.query_params["indicator"] in set(run("deprivation_drivers", **sql_params())["indicator"])


def test_english_current_units_and_one_commune_chosen(app):
    at = app("drivers", signed_in=True, lang="en", units="current", year="2025")
    assert not at.exception
    assert at.title[0].value == "Deprivation drivers: what poor households lack, 2025"
    assert list(at.dataframe[0].value["Deprivation indicator"])[:2] == ["Employment", "Dependants"]
    scope = at.selectbox(key="filter_commune")
    assert len(scope.options) == 26  # the selection and its 25 units (no districts in the current set)
    at.selectbox(key="filter_commune").set_value("31864").run()
    assert not at.exception
    assert at.query_params["commune"] == "31864", "the chosen unit travels in the link (as on the profile)"
    again = app("drivers", signed_in=True, lang="en", units="current", year="2025", commune="31864")
    assert figures(again) == figures(at), "the link reopens the same view"
    sql = run("deprivation_drivers", **sql_params(units="current", level="commune", year=2025, commune="31864"))
    first = sql.iloc[0]
    shown = figures(at)
    assert shown["Poor households"] == EN.num(first["poor_households"])
    assert shown["Households reviewed"] == EN.num(first["households"])
    assert shown["Deprivations per poor household"] == f"{EN.num(first['intensity'], 2)} / 12"
    assert "Xã Ninh Thạnh Lợi: deprivations by indicator, 2025" in [s.value for s in at.subheader]
    combos = run("deprivation_combinations", **sql_params(units="current", level="commune", year=2025,
                                                          commune="31864"), limit=10)
    table = next(d.value for d in at.dataframe if "Deprivations together" in d.value.columns)
    labels = dict(zip(sql["indicator"], sql["label_en"], strict=True))
    assert list(table["Deprivations together"]) == [" + ".join(labels[c] for c in combo)
                                                    for combo in combos["combination"]]
    assert [int(v) for v in table["Poor households"]] == list(combos["households"])


def test_the_baseline_year_says_there_is_no_change(app):
    at = app("drivers", year="2021", units="former", lang="en", signed_in=True)
    assert not at.exception
    assert "2021 is the plan's baseline year: there is no change to compare yet." in texts(at)
    assert not any("change since" in c for c in at.dataframe[0].value.columns)


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
        con.execute("INSERT INTO review_rows SELECT * REPLACE ($year AS year) FROM review_rows WHERE year = 2025",
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


def test_the_page_lists_the_2027_standards_own_indicators(standard_2027, classified_2027):
    tables, _ = classified_2027
    own = tables["indicators"].query("standard_id == @NEW_STANDARD").sort_values("position")
    at = open_app("drivers", year=str(NEW_YEAR), lang="en", signed_in=True, indicator=DROPPED)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Deprivation indicator"]) == list(own["label_en"])
    assert at.selectbox(key="filter_indicator").options == list(own["label_en"])
    assert figures(at)["Deprivations per poor household"].endswith(" / 11")
    # the link's indicator is one the 2027 standard no longer counts: dropped, said
    assert (f"`{DROPPED}` is no indicator of the poverty standard in force in {NEW_YEAR}"
            in " ".join(w.value for w in at.warning))
    assert at.query_params["indicator"] in set(own["indicator"])
    # the change since 2021, under another standard, for the 11 indicators both count
    assert ("The baseline year 2021 used another poverty standard than 2027: the change is shown for the 11 of 11 "
            "indicators both standards count" in texts(at))
    units = at.dataframe[-1].value
    assert [c for c in units.columns if c.endswith("(% of all households)")] == [
        f"{label} (% of all households)" for label in own["label_en"]]


# --- a partial year (the test warehouse plus five 2026 reviews: the fixture of test_coverage.py; keep last) ----------


def test_a_partial_year_shows_its_coverage(partial_warehouse):  # noqa: F811
    at = open_app("drivers", year=str(PARTIAL_YEAR), signed_in=True)
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "Năm 2026 chưa đủ dữ liệu" in warning and "1 / 25 đơn vị cấp xã" in warning
