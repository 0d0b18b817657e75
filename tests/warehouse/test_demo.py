"""The demo panel at province size: calibration, integrity, panel behaviour, and the stories it must tell."""

from __future__ import annotations

import hashlib

import duckdb
import numpy as np
import pandas as pd
import pytest

from data.build import build
from data.demo import EVENT_KEYS, INDICATORS
from data.warehouse import REFERENCE_DIR

PUBLISHED = {(2021, "poor"): 5.09, (2021, "near_poor"): 6.54, (2022, "poor"): 3.19}


def rates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        """SELECT year, 100.0 * avg((status = 'poor')::INT) AS poor, 100.0 * avg((status = 'near_poor')::INT)
           AS near_poor FROM classified GROUP BY year ORDER BY year"""
    ).df().set_index("year")


@pytest.mark.parametrize(("key", "value"), PUBLISHED.items(), ids=lambda x: str(x))
def test_published_figures_within_five_hundredths_of_a_point(province, key, value):
    year, cls = key
    assert abs(rates(province).loc[year, cls] - value) <= 0.05


def test_assumed_years_follow_the_stored_scenario(province):
    scenario = province.execute("SELECT year, poor_rate, near_poor_rate, kind FROM calibration").df()
    observed = rates(province)
    for row in scenario.itertuples():
        assert abs(observed.loc[row.year, "poor"] - row.poor_rate) <= 0.05
        assert abs(observed.loc[row.year, "near_poor"] - row.near_poor_rate) <= 0.05
    assert set(scenario.loc[scenario.year >= 2023, "kind"]) == {"assumption"}
    assert set(scenario.loc[scenario.year <= 2022, "kind"]) == {"published"}


def test_the_panel_events_behind_the_flows_are_stored_as_assumptions(province):
    """panel_events.csv's rates and sizes (absence, return, shocks, exits, entries) travel into the warehouse beside
    the calibration, each marked as an assumption, so the method page can show them."""
    stored = province.execute("SELECT key, value, kind FROM panel_events ORDER BY key").df()
    csv = pd.read_csv(REFERENCE_DIR / "panel_events.csv").sort_values("key")
    assert stored["key"].tolist() == csv["key"].tolist() and set(stored["key"]) >= set(EVENT_KEYS)
    assert np.allclose(stored["value"], csv["value"])
    assert set(stored["kind"]) == {"assumption"}


def test_view_agrees_with_an_independent_pandas_classification(province):
    """Re-derive every status from the raw tables with pandas and the decree's rule, each review with the area of its
    unit in the set in force on 1 September of its year (the former units until 30 June 2025, then the current)."""
    reviews = province.execute("SELECT * FROM reviews").df()
    households = province.execute("SELECT household_id, commune_code, current_code FROM households").df()
    units = province.execute("SELECT unit_set, commune_code, area FROM units").df()
    std = province.execute("SELECT * FROM standards").df().iloc[0]
    df = reviews.merge(households, on="household_id")
    former = units[units.unit_set == "former"].set_index("commune_code")["area"]
    current = units[units.unit_set == "current"].set_index("commune_code")["area"]
    in_current = df["year"] >= 2025  # reviews run from September; the current units are in force from 1 July 2025
    df["area"] = np.where(in_current, df["current_code"].map(current), df["commune_code"].map(former))
    assert df["area"].notna().all()
    urban = df["area"].eq("urban")
    line = np.where(urban, std.urban_poverty_line, std.rural_poverty_line)
    avg_line = np.where(urban, std.urban_average_line, std.rural_average_line)
    count = df[[f"d_{i}" for i in INDICATORS]].sum(axis=1)
    under = df["income_per_capita"] <= line
    df["expected"] = np.select(
        [under & (count >= std.min_deprivations), under, df["income_per_capita"] <= avg_line],
        ["poor", "near_poor", "average"], default="above",
    )
    view = province.execute("SELECT household_id, year, status, deprivation_count FROM classified_ids").df()
    both = df.merge(view, on=["household_id", "year"], validate="one_to_one")
    assert len(both) == len(reviews) == len(view)
    assert (both["expected"] == both["status"]).all()
    assert (both["deprivation_count"] == count.loc[both.index]).all()


def test_size_and_spread_over_districts(province):
    n2021 = province.execute("SELECT count(*) FROM reviews WHERE year = 2021").fetchone()[0]
    assert n2021 == 226_000
    by_district = province.execute(
        """SELECT district_code, count(*) AS n FROM households JOIN units USING (commune_code)
           JOIN reviews USING (household_id) WHERE year = 2021 AND unit_set = 'former' GROUP BY 1"""
    ).df().set_index("district_code")["n"]
    census = {"954": 147855, "956": 105177, "957": 117700, "958": 98155, "959": 137249, "960": 143590, "961": 106792}
    total = sum(census.values())
    for code, pop in census.items():
        assert abs(by_district[code] / n2021 - pop / total) < 0.001, code
    communes = province.execute("SELECT count(DISTINCT commune_code) FROM households").fetchone()[0]
    assert communes == 64


def test_every_household_references_a_known_unit_and_has_one_review_a_year(province):
    orphans = province.execute(
        """SELECT count(*) FROM households h
           WHERE (h.commune_code IS NOT NULL AND h.commune_code NOT IN
                  (SELECT commune_code FROM units WHERE unit_set = 'former'))
              OR h.current_code NOT IN (SELECT commune_code FROM units WHERE unit_set = 'current')""").fetchone()[0]
    assert orphans == 0
    # a known former commune lies in the household's current unit (the crosswalk), and every review filed in the
    # former units has one
    inconsistent = province.execute(
        """SELECT count(*) FROM households h JOIN unit_crosswalk w ON w.former_code = h.commune_code
           WHERE w.current_code <> h.current_code""").fetchone()[0]
    assert inconsistent == 0
    unlocated = province.execute(
        """SELECT count(*) FROM review_rows r JOIN households h USING (household_key)
           WHERE review_unit_set(r.year) = 'former' AND h.commune_code IS NULL""").fetchone()[0]
    assert unlocated == 0
    dangling = province.execute(
        "SELECT count(*) FROM review_rows r ANTI JOIN households h USING (household_key)").fetchone()[0]
    assert dangling == 0
    dup = province.execute(
        "SELECT count(*) FROM (SELECT household_key, year FROM review_rows GROUP BY ALL HAVING count(*) > 1)"
    ).fetchone()
    assert dup == (0,)
    never_reviewed = province.execute(
        "SELECT count(*) FROM households h ANTI JOIN review_rows r USING (household_key)").fetchone()[0]
    assert never_reviewed == 0


def test_ethnic_mix_and_concentration(province):
    share = province.execute(
        "SELECT ethnicity, 100.0 * count(*) / sum(count(*)) OVER () FROM households GROUP BY 1").df()
    share = dict(share.itertuples(index=False, name=None))
    assert 7.0 <= share["khmer"] <= 8.2  # domain.md: Khmer ≈ 7.57 % of the population
    assert share["hoa"] > 0.5 and share["other"] > 0.1
    by_district = province.execute(
        """SELECT district_code, avg((ethnicity = 'khmer')::INT) FROM households JOIN units USING (commune_code)
           GROUP BY 1""").df().set_index("district_code").iloc[:, 0]
    assert by_district.idxmax() == "958"  # Vĩnh Lợi
    assert by_district["961"] > by_district["959"] and by_district["958"] > by_district["960"]
    vinh_trach = province.execute(
        """SELECT avg((ethnicity = 'khmer')::INT) FROM households WHERE commune_code IN ('31834', '31837')"""
    ).fetchone()[0]
    assert vinh_trach > 4 * by_district["954"] / 2  # the city's Khmer live mostly in Vĩnh Trạch / Vĩnh Trạch Đông


def test_minority_and_rural_households_are_poorer(province):
    r = province.execute(
        """SELECT (ethnicity <> 'kinh') AS minority, area, avg((status = 'poor')::INT) AS poor
           FROM classified WHERE year = 2021 GROUP BY ALL""").df()
    pivot = r.pivot(index="minority", columns="area", values="poor")
    assert (pivot.loc[True] > pivot.loc[False]).all()
    assert (pivot["rural"] > pivot["urban"]).all()


def test_income_and_deprivations_are_correlated_not_coin_flips(province):
    df = province.execute(
        """SELECT income_per_capita, deprivation_count, d_water, d_latrine FROM classified WHERE year = 2021"""
    ).df()
    assert df["income_per_capita"].rank().corr(df["deprivation_count"].rank()) < -0.2  # Spearman
    assert df["d_water"].astype(int).corr(df["d_latrine"].astype(int)) > 0.05


def test_panel_transitions_in_every_year_pair(province):
    flows = province.execute(
        """WITH s AS (SELECT household_key, year, status FROM classified)
           SELECT b.year,
                  count(*) FILTER (a.status = 'poor' AND b.status <> 'poor') AS escaped,
                  count(*) FILTER (a.status <> 'poor' AND b.status = 'poor') AS newly_poor,
                  count(*) FILTER (a.status = 'poor' AND b.status = 'near_poor') AS poor_to_near_poor,
                  count(*) FILTER (a.status = b.status) AS kept,
                  count(*) AS both_years
           FROM s a JOIN s b ON a.household_key = b.household_key AND b.year = a.year + 1
           GROUP BY b.year ORDER BY b.year""").df().set_index("year")
    assert list(flows.index) == [2022, 2023, 2024, 2025]
    assert (flows[["escaped", "newly_poor", "poor_to_near_poor"]] > 100).all().all()
    assert (flows["kept"] / flows["both_years"] > 0.85).all()  # most households keep their class
    fell_back = province.execute(
        """WITH s AS (SELECT household_key, year, status = 'poor' AS poor FROM classified)
           SELECT c.year, count(*) FROM s a JOIN s b ON b.household_key = a.household_key AND b.year = a.year + 1
           JOIN s c ON c.household_key = a.household_key AND c.year = a.year + 2
           WHERE a.poor AND NOT b.poor AND c.poor GROUP BY 1 ORDER BY 1""").fetchall()
    assert [y for y, n in fell_back if n > 10] == [2023, 2024, 2025]


def test_households_join_and_leave_the_review(province):
    counts = province.execute(
        """SELECT y.year,
                  count(*) FILTER (NOT EXISTS (SELECT 1 FROM review_rows p WHERE p.household_key = y.household_key
                                                AND p.year = y.year - 1)) AS joined
           FROM review_rows y WHERE y.year > 2021 GROUP BY 1 ORDER BY 1""").fetchall()
    assert all(n > 1000 for _, n in counts)
    left = province.execute(
        """SELECT count(*) FROM review_rows a WHERE a.year < 2025
           AND NOT EXISTS (SELECT 1 FROM review_rows b
                           WHERE b.household_key = a.household_key AND b.year = a.year + 1)"""
    ).fetchone()[0]
    assert left > 4 * 1000


def test_social_protection_households_rarely_escape(province):
    r = province.execute(
        """WITH s AS (SELECT household_key, year, status, social_protection FROM classified)
           SELECT a.social_protection, avg((b.status <> 'poor')::INT) AS escape_rate
           FROM s a JOIN s b ON a.household_key = b.household_key AND b.year = a.year + 1
           WHERE a.status = 'poor' GROUP BY 1""").df().set_index("social_protection")["escape_rate"]
    assert r[True] < r[False] / 2


def test_districts_and_communes_tell_different_stories(province):
    d = province.execute(
        """SELECT district_code, year, 100.0 * avg((status = 'poor')::INT) AS rate FROM classified GROUP BY ALL"""
    ).df().pivot(index="district_code", columns="year", values="rate")
    assert d[2021].max() - d[2021].min() > 5  # poorest vs richest district, in points
    c = province.execute(
        """SELECT commune_code, year, 100.0 * avg((status = 'poor')::INT) AS rate FROM classified GROUP BY ALL"""
    ).df().pivot(index="commune_code", columns="year", values="rate")
    required = np.minimum(c[2021], 4.5)  # 1.5 + 1 + 1 + 1 points, never below zero
    ratio = (c[2021] - c[2025]) / required
    assert (ratio >= 1).sum() >= 20  # many communes meet their path
    assert (ratio < 0.6).sum() >= 1  # a commune clearly left behind
    assert ((ratio >= 0.6) & (ratio < 1)).sum() >= 5  # and several that need to accelerate


def _content_digest(path) -> str:
    con = duckdb.connect(str(path), read_only=True)
    digest = hashlib.sha256()
    for table in ["units", "households", "reviews", "standards", "indicators", "targets", "calibration"]:
        frame = con.execute(f"SELECT * FROM {table} ORDER BY ALL").df()  # noqa: S608 (fixed table names)
        digest.update(pd.util.hash_pandas_object(frame.astype(str), index=False).values.tobytes())
    con.close()
    return digest.hexdigest()


def test_same_seed_same_warehouse_other_seed_other_warehouse(tmp_path):
    a, b, c = (tmp_path / f"{n}.duckdb" for n in "abc")
    build(a, households=5000, seed=7, log=lambda _m: None)
    build(b, households=5000, seed=7, log=lambda _m: None)
    build(c, households=5000, seed=8, log=lambda _m: None)
    assert _content_digest(a) == _content_digest(b)
    assert _content_digest(a) != _content_digest(c)


def test_the_stored_classification_equals_the_live_rule(province):
    stale = province.execute(
        """SELECT (SELECT count(*) FROM (SELECT * FROM classified_live EXCEPT ALL SELECT * FROM classified)),
                  (SELECT count(*) FROM (SELECT * FROM classified EXCEPT ALL SELECT * FROM classified_live))"""
    ).fetchone()
    assert stale == (0, 0)
    assert province.execute("SELECT count(*) FROM classified").fetchone() == \
        province.execute("SELECT count(*) FROM reviews").fetchone()


def test_the_2025_review_is_filed_under_the_current_units(province):
    """The demo takes the path real data takes: households keep their ids across the reorganisation, their 2025 area
    is their current unit's, and households formed after it (new in 2025) are known only by their current unit."""
    by_entry = province.execute(
        """SELECT min(year) = 2025 AS new_in_2025, count(*) AS households, count(commune_code) AS with_former
           FROM reviews JOIN households USING (household_id) GROUP BY household_id, commune_code""").df()
    summary = by_entry.groupby("new_in_2025")[["households", "with_former"]].sum()
    assert summary.loc[True, "with_former"] == 0 and summary.loc[True, "households"] > 0
    assert summary.loc[False, "with_former"] == summary.loc[False, "households"]
    coverage = province.execute(
        "SELECT year, unit_set, units_expected, households, households_former_known FROM review_coverage").df()
    y2025 = coverage.set_index("year").loc[2025]
    assert (y2025.unit_set, y2025.units_expected) == ("current", 25)
    assert 0.97 < y2025.households_former_known / y2025.households < 1.0
    moved_area = province.execute(
        """SELECT count(*) FROM classified a JOIN classified b USING (household_key)
           WHERE a.year = 2024 AND b.year = 2025 AND a.area <> b.area""").fetchone()[0]
    assert moved_area > 0  # e.g. former Xã Vĩnh Trạch (rural) → Phường Vĩnh Trạch (urban)
