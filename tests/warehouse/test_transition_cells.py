"""`transition_cells` (issue 13, second round): the passages of `transitions_rows` summed into cells.

The stored cells equal an independent pandas GROUP BY over `transitions_rows` after a build and after a one-year
import; and every flow query rewritten onto `flow_cells` returns the very frame its former text over the per-household
`household_flows` returned (the former texts are kept below as the reference), on several filter sets, both unit sets,
area filters (with households reviewed 'outside' the filter and 'reclassified' categories) and a 2025 former-set view.
"""

from __future__ import annotations

import shutil

import duckdb
import pandas as pd
import pytest

from data.build import build
from data.warehouse import refresh_classified
from queries.sql import execute

KEYS = ["year", "commune_code", "district_code", "current_code", "ethnicity", "start_status", "end_status",
        "start_area", "end_area", "poor_before", "poor_or_near_poor_before", "end_d_health_insurance"]
YEARS = [2022, 2023, 2024, 2025]

# --- the former texts (main at e9a2bd7, comments dropped): per household over `household_flows`, `count(*)` ---------

OLD_POVERTY_FLOWS = """
WITH flows AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        *  EXCLUDE (district_code)
    FROM household_flows($units, $district, $area, $group)
    WHERE year = $year AND ($level = 'total' OR commune_code IS NOT NULL)
      -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
      AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
      -- implied: only passages from or into a poor or near-poor review have a category (tested on the two classes
      -- before the four categories' CASEs are worked out)
      AND (start_class IN ('poor', 'near_poor') OR end_class IN ('poor', 'near_poor'))
),
grouped AS (
    SELECT unit_code, any_value(district_code) AS district_code, poor_out, poor_in, near_poor_out, near_poor_in,
           count(*) AS households, sum(start_members) AS start_people, sum(end_members) AS end_people
    FROM flows
    GROUP BY unit_code, poor_out, poor_in, near_poor_out, near_poor_in
),
long AS (
    SELECT unit_code, district_code, 'poor' AS class, 'out' AS side, poor_out AS flow, households,
           start_people AS people
    FROM grouped WHERE poor_out IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'poor', 'in', poor_in, households, end_people
    FROM grouped WHERE poor_in IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'near_poor', 'out', near_poor_out, households, start_people
    FROM grouped WHERE near_poor_out IS NOT NULL
    UNION ALL
    SELECT unit_code, district_code, 'near_poor', 'in', near_poor_in, households, end_people
    FROM grouped WHERE near_poor_in IS NOT NULL
),
counted AS (
    SELECT unit_code, any_value(district_code) AS district_code, class, side, flow,
           sum(households)::BIGINT AS households, sum(people)::BIGINT AS people
    FROM long GROUP BY unit_code, class, side, flow
)
SELECT
    c.unit_code,
    l.unit_name,
    c.district_code,
    d.district_name,
    $year AS year,
    k.class,
    k.side,
    k.flow,
    k.sign,
    k.position,
    c.households,
    c.people
FROM counted AS c
JOIN flow_categories AS k USING (class, side, flow)
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = c.unit_code
LEFT JOIN places AS d ON d.unit_set = $units AND d.level = 'district' AND d.unit_code = c.district_code
ORDER BY c.unit_code, k.class DESC, k.position;
"""

OLD_FLOW_UNITS = """
WITH flows AS (
    SELECT
        CASE $level WHEN 'district' THEN district_code WHEN 'commune' THEN commune_code ELSE 'total' END AS unit_code,
        CASE WHEN $level IN ('district', 'commune') THEN district_code END AS district_code,
        * EXCLUDE (district_code),
        escaped_poverty(poor_out) AS escaped
    FROM household_flows($units, $district, $area, $group)
    WHERE year = $year AND ($level = 'total' OR commune_code IS NOT NULL)
      -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
      AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
),
per_unit AS (
    SELECT
        unit_code,
        any_value(district_code) AS district_code,
        count(start_members) AS start_households,
        count(end_members) AS end_households,
        count(*) FILTER (escaped) AS escaped_households,
        coalesce(sum(end_members) FILTER (escaped), 0)::BIGINT AS escaped_people,
        coalesce(sum(end_members) FILTER (escaped AND NOT end_d_health_insurance), 0)::BIGINT AS insured_people
    FROM flows
    GROUP BY unit_code
)
SELECT
    u.unit_code,
    l.unit_name,
    u.district_code,
    d.district_name,
    $year AS year,
    u.start_households,
    u.end_households,
    u.escaped_households,
    u.escaped_people,
    u.insured_people,
    100.0 * u.insured_people / nullif(u.escaped_people, 0) AS insured_share
FROM per_unit AS u
LEFT JOIN places AS l ON l.unit_set = $units AND l.level = $level AND l.unit_code = u.unit_code
LEFT JOIN places AS d ON d.unit_set = $units AND d.level = 'district' AND d.unit_code = u.district_code
ORDER BY u.unit_code;
"""

OLD_FLOW_TRANSITIONS = """
SELECT
    start_class,
    end_class,
    count(*) AS households,
    sum(coalesce(end_members, start_members))::BIGINT AS people
FROM household_flows($units, $district, $area, $group)
WHERE year = $year
  -- implied by the selection (households do not move): a plain filter DuckDB pushes into the table scan
  AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
GROUP BY ALL
ORDER BY ALL;
"""

# The escaped households' health-insurance target of queries/other_targets_progress.sql (its `measures` branch).
OLD_ESCAPED_TARGET = """
SELECT year, count(*) AS population,
       100.0 * sum(end_members) FILTER (NOT end_d_health_insurance) / sum(end_members) AS value
FROM household_flows($units, $district, $area, $group)
WHERE start_class = 'poor' AND end_class IN ('near_poor', 'average', 'above')
  AND in_group(ethnicity, $group) AND (len($district) = 0 OR list_contains($district, district_code))
GROUP BY year
ORDER BY year
"""


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory):
    """A 20,000-household demo warehouse, built once for this file."""
    path = tmp_path_factory.mktemp("cells") / "small.duckdb"
    build(path, households=20_000, log=lambda _m: None)
    return path


@pytest.fixture(scope="module")
def small(small_db):
    con = duckdb.connect(str(small_db), read_only=True)
    yield con
    con.close()


def _rows(frame: pd.DataFrame) -> list[tuple]:
    """The frame's rows as sorted tuples of plain Python values (None for every kind of missing value)."""
    out = []
    for row in frame.itertuples(index=False):
        out.append(tuple(None if pd.isna(v) else (int(v) if isinstance(v, float) and v.is_integer() else v)
                         for v in row))
    return sorted(out, key=lambda r: tuple((v is None, str(v)) for v in r))


def expected_cells(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    """`transition_cells` computed in pandas from the stored passages: households (count) and the members' sums per
    combination of the key columns (a sum of nothing but NULLs is NULL)."""
    rows = con.execute("SELECT * FROM transitions_rows").df()
    for key in KEYS:  # missing keys as one sentinel so groupby keeps them (dropna=False) whatever their dtype
        rows[key] = rows[key].astype(object).where(rows[key].notna(), None)
    grouped = rows.groupby(KEYS, dropna=False)
    cells = pd.DataFrame({
        "households": grouped.size(),
        "start_members": grouped["start_members"].sum(min_count=1),
        "end_members": grouped["end_members"].sum(min_count=1),
    }).reset_index()
    return _rows(cells[[*KEYS, "households", "start_members", "end_members"]])


def stored_cells(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return _rows(con.execute(f"SELECT {', '.join(KEYS)}, households, start_members, end_members "  # noqa: S608
                             "FROM transition_cells").df())


def test_stored_cells_equal_a_group_by_over_the_passages_after_a_build(small):
    expected = expected_cells(small)
    assert stored_cells(small) == expected
    households, passages, cells = small.execute(
        "SELECT (SELECT sum(households) FROM transition_cells), (SELECT count(*) FROM transitions_rows), "
        "(SELECT count(*) FROM transition_cells)").fetchone()
    assert households == passages > 20_000
    assert 1_000 < cells < passages / 2  # cells, not households: far fewer rows than passages
    assert small.execute("SELECT min(households) FROM transition_cells").fetchone() == (1,)
    years = small.execute("SELECT DISTINCT year FROM transition_cells ORDER BY 1").fetchall()
    assert [y for (y,) in years] == YEARS


def test_stored_cells_follow_an_import_of_one_year(small_db, tmp_path):
    """An import rewriting the 2023 review (poor households lifted above the line, others no longer reviewed) refreshes
    2023 only: the cells of 2023 and 2024 change, those of 2022 do not, and all still equal the GROUP BY."""
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(small_db, copy)
    con = duckdb.connect(str(copy))
    try:
        before = con.execute("SELECT * FROM transition_cells ORDER BY ALL").fetchall()
        poor = [h for (h,) in con.execute("SELECT household_key FROM classified WHERE year = 2023 AND status = 'poor' "
                                          "ORDER BY 1 LIMIT 200").fetchall()]
        gone_from_2022 = con.execute("SELECT count(*) FROM review_rows WHERE year = 2022 AND list_contains($k, "
                                     "household_key)", {"k": poor[120:]}).fetchone()[0]
        unreviewed = "SELECT sum(households) FROM transition_cells WHERE year = 2023 AND end_status IS NULL"
        unreviewed_before = con.execute(unreviewed).fetchone()[0]
        con.execute("BEGIN")
        con.execute("UPDATE review_rows SET income_per_capita = 5000000 WHERE year = 2023 AND list_contains($k, "
                    "household_key)", {"k": poor[:120]})
        con.execute("DELETE FROM review_rows WHERE year = 2023 AND list_contains($k, household_key)", {"k": poor[120:]})
        refresh_classified(con, [2023])
        con.execute("COMMIT")
        assert stored_cells(con) == expected_cells(con)
        after = con.execute("SELECT * FROM transition_cells ORDER BY ALL").fetchall()
        assert [r for r in after if r[0] == 2022] == [r for r in before if r[0] == 2022]
        for year in (2023, 2024):
            assert [r for r in after if r[0] == year] != [r for r in before if r[0] == year]
        # the 80 households no longer reviewed in 2023 and reviewed in 2022 now pass into "not reviewed"
        assert gone_from_2022 > 40
        assert con.execute(unreviewed).fetchone()[0] == unreviewed_before + gone_from_2022
    finally:
        con.close()


# --- the rewritten queries against their former texts --------------------------------------------------------------

def filter_sets(con: duckdb.DuckDBPyConnection) -> list[dict]:
    """Filter sets over both unit sets, every level, district filters, area filters and groups."""
    former = [d for (d,) in con.execute("SELECT unit_code FROM places WHERE unit_set = 'former' AND level = 'district' "
                                        "ORDER BY 1 LIMIT 2").fetchall()]
    current = [d for (d,) in con.execute("SELECT unit_code FROM places WHERE unit_set = 'current' "
                                         "AND level = 'district' ORDER BY 1 LIMIT 3").fetchall()]
    return [
        {"units": "former", "level": "total", "district": [], "area": "all", "group": "all"},
        {"units": "former", "level": "district", "district": [], "area": "urban", "group": "all"},
        {"units": "former", "level": "commune", "district": former[:1], "area": "rural", "group": "minority"},
        {"units": "former", "level": "commune", "district": [], "area": "all", "group": "khmer"},
        {"units": "current", "level": "commune", "district": [], "area": "urban", "group": "kinh"},
        {"units": "current", "level": "district", "district": current, "area": "all", "group": "all"},
        {"units": "current", "level": "total", "district": [], "area": "rural", "group": "all"},
        {"units": "former", "level": "total", "district": former, "area": "urban", "group": "all"},
    ]


def _same(con, old_sql: str, new_name: str, params: dict) -> pd.DataFrame:
    old = con.execute(old_sql, params).df()
    new = execute(con, new_name, params)
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    return new


@pytest.mark.parametrize("name", ["poverty_flows", "flow_units", "flow_transitions"])
def test_each_flow_query_returns_its_former_frame(small, name):
    old_sql = {"poverty_flows": OLD_POVERTY_FLOWS, "flow_units": OLD_FLOW_UNITS,
               "flow_transitions": OLD_FLOW_TRANSITIONS}[name]
    seen = []
    for params in filter_sets(small):
        for year in YEARS:  # 2025 in the former set: a year filed in the current units, seen in the former ones
            params_here = {**params, "year": year}
            if name == "flow_transitions":  # everything the filters select: no level
                params_here.pop("level")
            got = _same(small, old_sql, name, params_here)
            seen.append((params["area"], year, got))
    assert all(len(got) > 0 for _a, _y, got in seen)
    # the comparisons cover the area filter's own classes and categories (2025 moves units across the filter)
    filtered_2025 = [got for area, year, got in seen if area != "all" and year == 2025]
    if name == "flow_transitions":
        assert any((got[["start_class", "end_class"]] == "outside").any().any() for got in filtered_2025)
    if name == "poverty_flows":
        assert any(got["flow"].str.startswith("reclassified").any() for got in filtered_2025)


def test_the_escaped_households_target_returns_its_former_figures(small):
    for params in filter_sets(small):
        params = {k: v for k, v in params.items() if k != "level"}
        old = small.execute(OLD_ESCAPED_TARGET, params).df()
        new = execute(small, "other_targets_progress", params)
        new = new[new.scope == "health_insurance_escaped"][["year", "population", "value"]].reset_index(drop=True)
        assert len(old) == (4 if params["group"] == "all" else len(old)) > 0, params  # small groups: some years none
        pd.testing.assert_frame_equal(new, old, check_exact=True, check_dtype=False)
        assert new["population"].dtype == "int64"
