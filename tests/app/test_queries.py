"""The SQL behind the figures, checked against pandas computations on the base tables (not the `classified` view)."""

from __future__ import annotations

import pandas as pd
import pytest

from queries.runner import run

ALL = {"district": [], "area": "all", "group": "all"}


def rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by)
    return pd.DataFrame({
        "households": grouped.size(),
        "poor_rate": 100 * grouped["status"].apply(lambda s: (s == "poor").mean()),
        "near_poor_rate": 100 * grouped["status"].apply(lambda s: (s == "near_poor").mean()),
    }).reset_index()


def path_steps(raw: dict[str, pd.DataFrame]) -> pd.Series:
    steps = raw["targets"].query("scope == 'province' and kind == 'reduction_points'").set_index("year")["value"]
    return steps.sort_index().cumsum()


def test_calibrated_province_figures(warehouse):
    total = run("poor_rate_progress", level="total", **ALL).set_index("year")
    assert round(total.loc[2021, "poor_rate"], 2) == 5.09
    assert round(total.loc[2021, "near_poor_rate"], 2) == 6.54
    assert round(total.loc[2022, "poor_rate"], 2) == 3.19


def test_province_rates_match_pandas(classified_pd):
    expected = rates(classified_pd, ["year"]).set_index("year")
    total = run("poor_rate_progress", level="total", **ALL).set_index("year")
    pd.testing.assert_series_equal(total["poor_rate"], expected["poor_rate"], check_names=False)
    pd.testing.assert_series_equal(total["near_poor_rate"], expected["near_poor_rate"], check_names=False)
    assert (total["households"] == expected["households"]).all()


@pytest.mark.parametrize("params", [
    ALL,
    {"district": ["956", "958"], "area": "all", "group": "all"},
    {"district": [], "area": "rural", "group": "khmer"},
    {"district": ["954"], "area": "urban", "group": "minority"},
    {"district": [], "area": "all", "group": "kinh"},
])
def test_district_progress_matches_pandas(classified_pd, raw, params):
    frame = classified_pd
    if params["district"]:
        frame = frame[frame["district_code"].isin(params["district"])]
    if params["area"] != "all":
        frame = frame[frame["area"] == params["area"]]
    group = params["group"]
    if group == "kinh":
        frame = frame[frame["ethnicity"] == "kinh"]
    elif group == "minority":
        frame = frame[frame["ethnicity"] != "kinh"]
    elif group == "khmer":
        frame = frame[frame["ethnicity"] == "khmer"]
    expected = rates(frame, ["district_code", "year"])
    got = run("poor_rate_progress", level="district", **params)
    merged = got.merge(expected, left_on=["unit_code", "year"], right_on=["district_code", "year"],
                       suffixes=("", "_pd"))
    assert len(merged) == len(got) == len(expected)
    assert (merged["poor_rate"] - merged["poor_rate_pd"]).abs().max() < 1e-9
    assert (merged["households"] == merged["households_pd"]).all()
    # The path: each district's own 2021 rate minus the cumulative reduction, never below zero.
    cumulative = path_steps(raw)
    baseline = merged[merged["year"] == 2021].set_index("unit_code")["poor_rate_pd"]
    for row in merged[merged["year"] > 2021].itertuples():
        want = max(0.0, baseline[row.unit_code] - cumulative.loc[:row.year].iloc[-1])
        assert row.path_rate == pytest.approx(want)
        required = baseline[row.unit_code] - want
        achieved = baseline[row.unit_code] - row.poor_rate_pd
        if required > 0:
            assert row.progress_ratio == pytest.approx(achieved / required)


def test_one_districts_rate_by_hand(classified_pd):
    # Hồng Dân (956), 2023, straight from the base tables.
    part = classified_pd[(classified_pd["district_code"] == "956") & (classified_pd["year"] == 2023)]
    want = 100 * (part["status"] == "poor").sum() / len(part)
    got = run("poor_rate_progress", level="district", **ALL)
    assert got.set_index(["unit_code", "year"]).loc[("956", 2023), "poor_rate"] == pytest.approx(want)


def test_commune_level_covers_every_commune(raw):
    got = run("poor_rate_progress", level="commune", **ALL)
    assert set(got["unit_code"]) == set(raw["units"]["commune_code"])
    assert got["unit_name"].notna().all() and got["district_name"].notna().all()


def test_final_goal_is_the_path_end_or_the_province_ceiling(raw):
    ceiling = raw["targets"].query("scope == 'province' and kind == 'rate_below'")["value"].max()
    total_reduction = path_steps(raw).iloc[-1]
    got = run("poor_rate_progress", level="district", **ALL)
    for row in got.itertuples():
        assert row.final_target == pytest.approx(max(0.0, row.baseline_rate - total_reduction, ceiling))
        # "under 1 %" is met only strictly below it; a path end higher than the ceiling is met at or below it
        assert row.final_target_strict == (row.baseline_rate - total_reduction <= ceiling)


def test_other_targets_match_pandas(classified_pd):
    got = run("other_targets_progress", **ALL).set_index(["scope", "year"])
    for area in ("urban", "rural"):
        part = classified_pd[classified_pd["area"] == area]
        for year, rows in part.groupby("year"):
            want = 100 * ((rows["status"] == "poor") & ~rows["social_protection"]).sum() / len(rows)
            assert got.loc[(area, year), "value"] == pytest.approx(want)
    minority = classified_pd[classified_pd["ethnicity"] != "kinh"]
    for year, rows in minority.groupby("year"):
        assert got.loc[("ethnic_minority", year), "value"] == pytest.approx(100 * (rows["status"] == "poor").mean())
    near = classified_pd[classified_pd["status"] == "near_poor"]
    for year, rows in near.groupby("year"):
        want = 100 * (~rows["d_health_insurance"]).mean()
        assert got.loc[("health_insurance_near_poor", year), "value"] == pytest.approx(want)
    cohort = set(classified_pd.query("year == 2021 and status == 'poor'")["household_id"])
    followed = classified_pd[classified_pd["household_id"].isin(cohort)]
    for year, rows in followed.groupby("year"):
        want = (rows["income_per_capita"] / rows["poverty_line"]).mean()
        assert got.loc[("income_poor", year), "value"] == pytest.approx(want)


def test_other_targets_paths_come_from_the_targets_table(raw):
    got = run("other_targets_progress", **ALL).set_index(["scope", "year"])
    targets = raw["targets"].set_index(["scope", "year", "kind"])["value"]
    rural_base = got.loc[("rural", 2021), "value"]
    # Straight line from the 2021 value to the 2025 ceiling: a quarter of the way in 2022.
    goal = targets[("rural", 2025, "rate_below")]
    assert got.loc[("rural", 2022), "path_value"] == pytest.approx(rural_base + (goal - rural_base) / 4)
    assert got.loc[("rural", 2025), "final_target"] == goal
    assert got.loc[("rural", 2025), "final_target_strict"] and got.loc[("urban", 2025), "final_target_strict"]
    assert not got.loc[("health_insurance_near_poor", 2025), "final_target_strict"]
    minority_base = got.loc[("ethnic_minority", 2021), "value"]
    assert got.loc[("ethnic_minority", 2023), "path_value"] == pytest.approx(minority_base - 2.0)
    assert got.loc[("health_insurance_near_poor", 2025), "final_target"] == 100.0
    assert (got.xs("health_insurance_near_poor")["direction"] == -1).all()


def test_deprivation_breakdown_matches_pandas(classified_pd):
    got = run("commune_deprivation_breakdown", commune="31837", year=2024, area="all", group="all")
    assert len(got) == 12 and list(got["position"]) == list(range(1, 13))
    part = classified_pd[(classified_pd["commune_code"] == "31837") & (classified_pd["year"] == 2024)]
    poor = part[part["status"] == "poor"]
    for row in got.itertuples():
        assert row.deprived_share_all == pytest.approx(100 * part[f"d_{row.indicator}"].mean())
        if len(poor):
            assert row.deprived_share_poor == pytest.approx(100 * poor[f"d_{row.indicator}"].mean())


def test_text_meant_to_break_a_query_is_only_a_value(warehouse):
    hostile = "956') OR 1=1; DROP TABLE units; --"
    got = run("poor_rate_progress", level="district", district=[hostile], area="all", group="all")
    assert got.empty
    got = run("poor_rate_progress", level="total", district=[], area="x' OR '1'='1", group="all")
    assert got.empty
    assert len(run("units")) == 64
