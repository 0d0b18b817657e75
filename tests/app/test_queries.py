"""The SQL behind the figures, checked against pandas computations on the base tables (not the `classified` view)."""

from __future__ import annotations

import pandas as pd
import pytest

from queries.runner import run

ALL = {"units": "former", "district": [], "area": "all", "group": "all"}


def rates(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(by)
    return pd.DataFrame({
        "households": grouped.size(),
        "poor_rate": 100 * grouped["status"].apply(lambda s: (s == "poor").mean()),
        "near_poor_rate": 100 * grouped["status"].apply(lambda s: (s == "near_poor").mean()),
    }).reset_index()


def path_steps(raw: dict[str, pd.DataFrame], scope: str = "province") -> pd.Series:
    steps = raw["targets"].query("scope == @scope and kind == 'reduction_points'").set_index("year")["value"]
    return steps.sort_index().cumsum()


def expected_scope(params: dict) -> str:
    """Which of the plan's targets judges a selection (the rule of data/schema.sql's `plan_scope`, restated)."""
    if params["group"] in ("minority", "khmer"):
        return "ethnic_minority"
    return params["area"] if params["area"] in ("urban", "rural") else "province"


def expected_path(raw: dict[str, pd.DataFrame], scope: str, baseline: float, year: int) -> float:
    """The target path, restated from the plan: reduction steps below the baseline but never below the plan's end
    goal (the province's "under 1 %"), nor above the baseline; or a straight line from the 2021 baseline to the
    scope's 2025 ceiling."""
    if scope in ("province", "ethnic_minority"):
        floor = raw["targets"].query("scope == 'province' and kind == 'rate_below'")["value"].max()
        return min(baseline, max(floor, baseline - path_steps(raw, scope).loc[:year].iloc[-1]))
    ceiling = raw["targets"].query("scope == @scope and kind == 'rate_below'").iloc[0]
    if baseline <= ceiling["value"]:
        return baseline
    return baseline + (ceiling["value"] - baseline) * min(1.0, (year - 2021) / (ceiling["year"] - 2021))


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
    {"units": "former", "district": ["956", "958"], "area": "all", "group": "all"},
    {"units": "former", "district": [], "area": "rural", "group": "khmer"},
    {"units": "former", "district": ["954"], "area": "urban", "group": "minority"},
    {"units": "former", "district": [], "area": "all", "group": "kinh"},
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
    # The measure: the poor rate, or for the urban / rural targets the rate without poor social-protection
    # households (they stay in the denominator).
    scope = expected_scope(params)
    assert (merged["target_scope"] == scope).all()
    excl = frame.assign(counted=(frame["status"] == "poor") & ~frame["social_protection"])
    measure = (100 * excl.groupby(["district_code", "year"])["counted"].mean() if scope in ("urban", "rural")
               else merged.set_index(["unit_code", "year"])["poor_rate_pd"])
    # The path: each district's own 2021 value on the scope's path; R = achieved ÷ required.
    for row in merged[merged["year"] > 2021].itertuples():
        base, now = measure[(row.unit_code, 2021)], measure[(row.unit_code, row.year)]
        want = expected_path(raw, scope, base, row.year)
        assert row.measure_value == pytest.approx(now)
        assert row.path_rate == pytest.approx(want)
        if base - want > 0:
            assert row.progress_ratio == pytest.approx((base - now) / (base - want))


def test_one_districts_rate_by_hand(classified_pd):
    # Hồng Dân (956), 2023, straight from the base tables.
    part = classified_pd[(classified_pd["district_code"] == "956") & (classified_pd["year"] == 2023)]
    want = 100 * (part["status"] == "poor").sum() / len(part)
    got = run("poor_rate_progress", level="district", **ALL)
    assert got.set_index(["unit_code", "year"]).loc[("956", 2023), "poor_rate"] == pytest.approx(want)


def test_commune_level_covers_every_commune(raw):
    got = run("poor_rate_progress", level="commune", **ALL)
    assert set(got["unit_code"]) == set(raw["units"].query("unit_set == 'former'")["commune_code"])
    assert got["unit_name"].notna().all() and got["district_name"].notna().all()


@pytest.mark.parametrize(("params", "goal", "strict"), [
    (ALL, lambda base: 1.0, True),  # the province's "under 1 %" for every unit, whatever its own path says
    ({"units": "former", "district": [], "area": "rural", "group": "all"}, lambda base: 2.0, True),
    ({"units": "former", "district": [], "area": "all", "group": "khmer"}, lambda base: min(base, max(1.0, base - 4.0)),
     False),
])
def test_the_end_goal_is_the_plans_and_separate_from_the_path(warehouse, params, goal, strict):
    got = run("poor_rate_progress", level="district", **params)
    base = got[got["year"] == 2021].set_index("unit_code")["measure_value"]
    for row in got.itertuples():
        assert row.goal_value == pytest.approx(goal(base[row.unit_code]))
        assert row.goal_strict == strict
        assert row.goal_year == 2025


def test_small_counts_and_complete_years_are_flagged(classified_pd):
    got = run("poor_rate_progress", level="commune", units="former", district=[], area="all", group="khmer")
    counts = classified_pd[classified_pd["ethnicity"] == "khmer"].groupby(["commune_code", "year"]).size()
    flagged = got.set_index(["unit_code", "year"])["unreliable"]
    assert (flagged == (counts.reindex(flagged.index) < 50)).all()
    assert flagged.any() and not flagged.all()
    assert got["year_complete"].all()


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
    assert got.loc[("rural", 2025), "goal_value"] == goal
    assert got.loc[("rural", 2025), "goal_strict"] and got.loc[("urban", 2025), "goal_strict"]
    assert not got.loc[("health_insurance_near_poor", 2025), "goal_strict"]
    minority_base = got.loc[("ethnic_minority", 2021), "value"]
    assert got.loc[("ethnic_minority", 2023), "path_value"] == pytest.approx(minority_base - 2.0)
    assert got.loc[("health_insurance_near_poor", 2025), "goal_value"] == 100.0
    assert got.loc[("ethnic_minority", 2025), "goal_value"] == pytest.approx(minority_base - 4.0)
    assert (got.xs("health_insurance_near_poor")["direction"] == -1).all()


def test_deprivation_breakdown_matches_pandas(classified_pd):
    got = run("commune_deprivation_breakdown", units="former", commune="31837", year=2024, area="all", group="all")
    assert len(got) == 12 and list(got["position"]) == list(range(1, 13))
    part = classified_pd[(classified_pd["commune_code"] == "31837") & (classified_pd["year"] == 2024)]
    poor = part[part["status"] == "poor"]
    for row in got.itertuples():
        assert row.deprived_share_all == pytest.approx(100 * part[f"d_{row.indicator}"].mean())
        if len(poor):
            assert row.deprived_share_poor == pytest.approx(100 * poor[f"d_{row.indicator}"].mean())


def test_text_meant_to_break_a_query_is_only_a_value(warehouse):
    hostile = "956') OR 1=1; DROP TABLE units; --"
    got = run("poor_rate_progress", level="district", units="former", district=[hostile], area="all", group="all")
    assert got.empty
    got = run("poor_rate_progress", level="total", units="former", district=[], area="x' OR '1'='1", group="all")
    assert got.empty
    run("poor_rate_progress", level="total", units="current'; DROP TABLE units; --", district=[], area="all",
        group="all")
    assert len(run("units")) == 64 + 25


@pytest.mark.parametrize(("params", "scope"), [
    ({"units": "former", "district": [], "area": "all", "group": "khmer"}, "ethnic_minority"),
    ({"units": "former", "district": [], "area": "all", "group": "minority"}, "ethnic_minority"),
    ({"units": "former", "district": [], "area": "urban", "group": "all"}, "urban"),
    ({"units": "former", "district": [], "area": "rural", "group": "all"}, "rural"),
])
def test_the_headline_and_the_targets_table_share_one_path(warehouse, params, scope):
    """The overview's headline (`poor_rate_progress`, total) and its targets table (`other_targets_progress`) judge the
    same selection by the same target: same value, path, goal and R every year."""
    total = run("poor_rate_progress", level="total", **params).set_index("year")
    row = run("other_targets_progress", **params).query("scope == @scope").set_index("year")
    pd.testing.assert_series_equal(total["measure_value"], row["value"], check_names=False)
    pd.testing.assert_series_equal(total["path_rate"], row["path_value"], check_names=False)
    pd.testing.assert_series_equal(total["goal_value"], row["goal_value"], check_names=False)
    pd.testing.assert_series_equal(total["progress_ratio"], row["progress_ratio"], check_names=False)
    assert (total["path_rate"] > 0).all(), "no selection is given an impossible 0 % path"


def test_a_caller_changing_its_result_leaves_the_next_callers_alone(warehouse):
    """`run` hands each caller a shallow copy of the result it cached for the process: a new column, an assignment
    into a column or a cell, and a dropped column stay in the caller's frame (pandas' Copy-on-Write)."""
    first = run("poor_rate_progress", level="district", units="former", district=[], area="all", group="all")
    rates = first["poor_rate"].tolist()
    first["extra"] = 1
    first["poor_rate"] = -1.0
    first.loc[first.index[0], "households"] = -5
    del first["unit_name"]
    again = run("poor_rate_progress", level="district", units="former", district=[], area="all", group="all")
    assert "extra" not in again.columns and "unit_name" in again.columns
    assert again["poor_rate"].tolist() == rates and min(rates) >= 0
    assert (again["households"] > 0).all()
    assert again is not first


def test_the_readers_duckdb_memory_is_limited(warehouse):
    """The app's reader runs every query under a 1 GB DuckDB memory limit (10^9 bytes, which DuckDB shows in MiB),
    not DuckDB's default of 80 % of the machine's RAM in every process serving the app (issue 13: a page process
    stays under 2 GB); the limit holds for each cursor a page opens."""
    from queries.runner import reading

    run("review_years")
    with reading() as (con, _version):
        limit = con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert limit == "953.6 MiB"
