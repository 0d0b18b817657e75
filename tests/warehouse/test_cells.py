"""`classified_cells` (data/schema.sql): the stored sums equal a GROUP BY over `classified` computed here in pandas,
after a build and after one-year imports (one of them re-reviewing the baseline year, which every year's
`baseline_status` reads), and every query rewritten onto the cells returns the frame its former text (over every
review, kept in tests/warehouse/cells_reference/) returned, for several filters in both unit sets."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from data.build import build
from queries.sql import load_sql
from tests.ingest.conftest import LAYOUT, review_rows, write_csv

REFERENCE = Path(__file__).parent / "cells_reference"
KEYS = ["year", "unit_set", "commune_code", "district_code", "current_code", "area", "ethnicity", "status",
        "social_protection", "baseline_status", "baseline_area"]
INDICATORS = ["employment", "dependants", "nutrition", "health_insurance", "adult_education", "child_schooling",
              "housing_quality", "floor_area", "water", "latrine", "telecom", "info_devices"]
ETHNICITY_LABEL = {"kinh": "Kinh", "khmer": "Khmer", "hoa": "Hoa"}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cells") / "cells.duckdb"
    build(path, households=20_000, log=lambda _m: None)
    return path


@pytest.fixture(scope="module")
def con(built: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(built), read_only=True)
    yield connection
    connection.close()


def independent_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The cells summed in pandas from `classified` (one row per review), the baseline year's review joined by key."""
    rows = con.execute("SELECT * FROM classified").df()
    standards = con.execute("SELECT first_year, last_year, rural_poverty_line, urban_poverty_line FROM standards").df()
    baseline_year = con.execute("SELECT plan_baseline_year()").fetchone()[0]
    line = pd.Series(float("nan"), index=rows.index)
    for s in standards.itertuples():
        in_force = rows["year"].between(s.first_year, s.last_year)
        line[in_force] = rows.loc[in_force, "area"].map({"urban": s.urban_poverty_line}).fillna(s.rural_poverty_line)
    rows["income_ratio"] = rows["income_per_capita"] / line
    base = rows.loc[rows["year"] == baseline_year, ["household_key", "status", "area"]]
    rows = rows.merge(base.rename(columns={"status": "baseline_status", "area": "baseline_area"}),
                      on="household_key", how="left")
    for indicator in INDICATORS:
        rows[f"deprived_{indicator}"] = rows[f"d_{indicator}"].astype(int)
    rows["households"] = 1
    sums = {"households": "sum", "members": "sum", "deprivations": "sum", "income_ratio": "sum",
            **{f"deprived_{i}": "sum" for i in INDICATORS}}
    rows["deprivations"] = rows["deprivation_count"]
    out = rows.groupby(KEYS, dropna=False).agg(sums).reset_index()
    return out.sort_values(KEYS, na_position="first").reset_index(drop=True)


def stored_cells(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    stored = con.execute("SELECT * FROM classified_cells").df()
    return stored.sort_values(KEYS, na_position="first").reset_index(drop=True)


def assert_cells_match(con: duckdb.DuckDBPyConnection) -> None:
    stored, expected = stored_cells(con), independent_cells(con)
    assert len(stored) == len(expected) and len(stored) > 0
    for column in KEYS:
        pd.testing.assert_series_equal(stored[column].astype(object), expected[column].astype(object),
                                       check_names=False)
    for column in ["households", "members", "deprivations", *(f"deprived_{i}" for i in INDICATORS)]:
        assert stored[column].tolist() == expected[column].astype("int64").tolist(), column
    pd.testing.assert_series_equal(stored["income_ratio"], expected["income_ratio"], rtol=1e-12, check_names=False)


def test_build_stores_the_cells_of_classified(con: duckdb.DuckDBPyConnection) -> None:
    assert_cells_match(con)
    # far fewer rows than reviews, and every review in exactly one cell
    cells, households = con.execute("SELECT count(*), sum(households) FROM classified_cells").fetchone()
    assert households == con.execute("SELECT count(*) FROM classified").fetchone()[0] == 100_670
    assert cells < households / 10
    # the baseline year's households: every cell of it has its own class as baseline class
    assert con.execute("SELECT count(*) FROM classified_cells WHERE year = plan_baseline_year() "
                       "AND baseline_status IS DISTINCT FROM status").fetchone()[0] == 0


def _import(db: Path, path: Path) -> None:
    from data.ingest.__main__ import main
    assert main([str(path), "--db", str(db), "--lang", "en"]) == 0


def test_one_year_import_refreshes_that_year(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "imported.duckdb"
    shutil.copy(built, db)
    with duckdb.connect(str(db), read_only=True) as before:
        untouched = before.execute("SELECT * FROM classified_cells WHERE year <> 2024 ORDER BY ALL").df()
    _import(db, write_csv(tmp_path / "y2024.csv", review_rows(60, year=2024)))
    with duckdb.connect(str(db), read_only=True) as after:
        assert_cells_match(after)
        assert after.execute("SELECT sum(households) FROM classified_cells WHERE year = 2024").fetchone()[0] == \
            20_220 + 60
        pd.testing.assert_frame_equal(
            after.execute("SELECT * FROM classified_cells WHERE year <> 2024 ORDER BY ALL").df(), untouched)


def test_reimporting_the_baseline_year_moves_every_years_baseline_class(built: Path, tmp_path: Path) -> None:
    db = tmp_path / "baseline.duckdb"
    shutil.copy(built, db)
    with duckdb.connect(str(db), read_only=True) as before:
        poor = before.execute(
            "SELECT h.household_id, h.commune_code, h.ethnicity, c.members FROM classified AS c "
            "JOIN households AS h USING (household_key) WHERE c.year = plan_baseline_year() AND c.status = 'poor' "
            "AND h.ethnicity IN ('kinh', 'khmer', 'hoa') AND h.household_key IN "
            "(SELECT household_key FROM classified WHERE year = 2023) ORDER BY h.household_id LIMIT 25").fetchall()
        followed_2023 = before.execute("SELECT sum(households) FROM classified_cells "
                                       "WHERE year = 2023 AND baseline_status = 'poor'").fetchone()[0]
    assert len(poor) == 25
    rows = review_rows(len(poor), year=2021)
    for row, (household_id, commune, ethnicity, members) in zip(rows, poor, strict=True):
        row.update({LAYOUT["household_id"]: household_id, LAYOUT["commune_code"]: commune,
                    LAYOUT["ethnicity"]: ETHNICITY_LABEL[ethnicity], LAYOUT["members"]: members,
                    LAYOUT["income_per_capita"]: 3_500_000})  # now above the line: no longer poor in 2021
    _import(db, write_csv(tmp_path / "y2021.csv", rows))
    with duckdb.connect(str(db), read_only=True) as after:
        assert_cells_match(after)
        assert after.execute("SELECT sum(households) FROM classified_cells "
                             "WHERE year = 2023 AND baseline_status = 'poor'").fetchone()[0] == followed_2023 - 25


# ------------------------------------------------------------------------------------------------------------------
# Queries rewritten onto the cells: the same frame as the former text over every review.

FILTERS = [
    {"district": [], "area": "all", "group": "all"},
    {"district": [], "area": "urban", "group": "all"},
    {"district": [], "area": "rural", "group": "minority"},
    {"district": [], "area": "all", "group": "khmer"},
    {"district": "two", "area": "all", "group": "kinh"},
    {"district": "one", "area": "urban", "group": "all"},
]


def _districts(con: duckdb.DuckDBPyConnection, units: str, which: object) -> list[str]:
    if isinstance(which, list):
        return which
    codes = [c for (c,) in con.execute("SELECT unit_code FROM places WHERE unit_set = $u AND level = 'district' "
                                       "ORDER BY unit_code", {"u": units}).fetchall()]
    return codes[:1] if which == "one" else codes[1:3]


def _filters(con: duckdb.DuckDBPyConnection, units: str, f: dict) -> dict:
    return {**f, "district": _districts(con, units, f["district"]), "units": units}


def _same(con: duckdb.DuckDBPyConnection, name: str, params: dict, reference: str | None = None) -> pd.DataFrame:
    old = con.execute((REFERENCE / f"{reference or name}.sql").read_text(encoding="utf-8"), params).df()
    new = con.execute(load_sql(name), params).df()
    pd.testing.assert_frame_equal(new, old, check_exact=False, rtol=1e-12, atol=1e-12)
    return new


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize("f", FILTERS)
def test_poor_rate_progress_and_other_targets_unchanged(con: duckdb.DuckDBPyConnection, units: str, f: dict) -> None:
    params = _filters(con, units, f)
    for level in ("total", "district", "commune"):
        got = _same(con, "poor_rate_progress", {**params, "level": level})
        assert len(got) > 0
    got = _same(con, "other_targets_progress", params)
    assert set(got["scope"]) >= {"income_poor", "health_insurance_near_poor"}


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize("f", FILTERS[:4])
@pytest.mark.parametrize("year", [2021, 2025])
def test_deprivation_queries_unchanged(con: duckdb.DuckDBPyConnection, units: str, f: dict, year: int) -> None:
    params = {**_filters(con, units, f), "year": year}
    for level in ("total", "district", "commune"):
        got = _same(con, "deprivation_drivers", {**params, "level": level, "commune": None})
        assert got["households"].sum() > 0
    commune = con.execute("SELECT min(unit_code) FROM places WHERE unit_set = $u AND level = 'commune'",
                          {"u": units}).fetchone()[0]
    _same(con, "deprivation_drivers", {**params, "level": "commune", "commune": commune})
    got = _same(con, "commune_deprivation_breakdown", {"units": units, "commune": commune, "year": year,
                                                       "area": f["area"], "group": f["group"]})
    assert len(got) == 12 or f is not FILTERS[0]  # every indicator of the standard, unless the cell is empty


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize("year", [2021, 2024, 2025])
def test_report_queries_unchanged(con: duckdb.DuckDBPyConnection, units: str, year: int) -> None:
    got = _same(con, "report_households", {"units": units, "year": year})
    assert got.loc[got["level"] == "total", "households"].item() > 0
    _same(con, "report_deprivations", {"units": units, "year": year})


def test_household_atoms_and_review_coverage_unchanged(con: duckdb.DuckDBPyConnection) -> None:
    atoms = _same(con, "household_atoms", {})
    assert atoms["households"].sum() == 100_670
    _same(con, "review_coverage", {}, reference="review_coverage_view")
