"""`queries.places.unit_rows`: a view of chosen places read from the query over every place gives exactly the rows
the query itself gives for that view, for every place of both unit sets, at every level, for several areas and
groups (the progress rows) and flow years (the flows' rows); and a change of places then runs no SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries.runner as runner
from queries.places import LEVELS, PER_UNIT, unit_rows
from queries.sql import execute

VIEWS = [("all", "all"), ("urban", "khmer"), ("rural", "minority")]


@pytest.fixture(scope="module")
def con(warehouse: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def places(con: duckdb.DuckDBPyConnection, units: str) -> list[str]:
    column = "district_code" if units == "former" else "current_code"
    return [code for (code,) in con.execute(
        f"SELECT DISTINCT {column} FROM classified_cells WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]  # noqa: S608


def check(con: duckdb.DuckDBPyConnection, query: str, **params: object) -> int:
    """Assert `unit_rows` equals the query run on its own; the number of rows."""
    expected = execute(con, query, params)
    got = unit_rows(query, **params)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=f"{query} {params}")
    return len(expected)


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize(("area", "group"), VIEWS)
def test_every_single_place_at_every_level_gives_the_progress_querys_own_rows(con, units: str, area: str,
                                                                             group: str) -> None:
    chosen = places(con, units)
    assert len(chosen) == (7 if units == "former" else 25)
    shown = sum(check(con, "poor_rate_progress", level=level, units=units, district=[code], area=area, group=group)
                for code in chosen for level in LEVELS)
    assert shown > 0


@pytest.mark.parametrize("query", ["poverty_flows", "flow_units"])
@pytest.mark.parametrize(("units", "year"), [("former", 2023), ("former", 2024), ("current", 2025)])
def test_every_single_place_at_every_level_gives_the_flow_querys_own_rows(con, query: str, units: str,
                                                                         year: int) -> None:
    shown = 0
    for area, group in VIEWS[:2]:
        for code in places(con, units):
            for level in LEVELS:
                shown += check(con, query, level=level, units=units, district=[code], area=area, group=group,
                               year=year)
    assert shown > 0


@pytest.mark.parametrize(("units", "year", "commune"), [("former", 2024, None), ("former", 2023, "31834"),
                                                       ("current", 2025, None), ("current", 2025, "31834")])
def test_every_single_place_at_every_level_gives_the_drivers_own_rows(con, units: str, year: int,
                                                                     commune: str | None) -> None:
    shown = 0
    for area, group in VIEWS:
        for code in places(con, units):
            for level in LEVELS:
                shown += check(con, "deprivation_drivers", level=level, units=units, district=[code], area=area,
                               group=group, year=year, commune=commune)
    assert shown > 0


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize("query", sorted(PER_UNIT))
def test_several_places_and_the_province_give_the_querys_own_rows(con, units: str, query: str) -> None:
    chosen = places(con, units)
    extra = {} if query == "poor_rate_progress" else {"year": 2024 if units == "former" else 2025}
    if query == "deprivation_drivers":
        extra["commune"] = None
    for selection in ([], chosen[:2], chosen[1:4], chosen):
        for level in LEVELS:
            check(con, query, level=level, units=units, district=selection, area="all", group="all", **extra)


def test_a_total_of_one_place_is_its_row_under_the_totals_labels(con) -> None:
    """The figures a leader reads (independently: the place's district-level rows of the same query)."""
    total = unit_rows("poor_rate_progress", level="total", units="former", district=["956"], area="all", group="all")
    district = execute(con, "poor_rate_progress", {"level": "district", "units": "former", "district": [],
                                                   "area": "all", "group": "all"})
    own = district[district["unit_code"] == "956"].reset_index(drop=True)
    assert set(total["unit_code"]) == {"total"} and total["unit_name"].isna().all()
    assert total["district_code"].isna().all() and total["district_name"].isna().all()
    assert list(total["poor_households"]) == list(own["poor_households"]) and len(total) == len(own) > 0
    assert total["poor_rate"].tolist() == own["poor_rate"].tolist()


def test_a_change_of_places_runs_no_sql_once_every_place_was_read(warehouse: Path, monkeypatch) -> None:
    runner.clear_caches()
    ran: list[dict[str, object]] = []
    inner = runner.execute

    def counted(con, name, params=None):
        ran.append({"name": name, **dict(params or {})})
        return inner(con, name, params)

    monkeypatch.setattr(runner, "execute", counted)
    view = {"units": "current", "area": "all", "group": "all"}
    for level in ("district", "commune"):
        unit_rows("poor_rate_progress", level=level, district=[], **view)
    assert [(r["level"], r["district"]) for r in ran] == [("district", []), ("commune", [])]
    for code in ("31825", "31834", "31840"):
        for level in LEVELS:
            unit_rows("poor_rate_progress", level=level, district=[code], **view)
    assert len(ran) == 2, ran
    unit_rows("poor_rate_progress", level="total", district=["31825", "31834"], **view)
    assert len(ran) == 3 and ran[-1]["level"] == "total" and ran[-1]["district"] == ["31825", "31834"]


def test_another_query_or_level_is_refused() -> None:
    with pytest.raises(ValueError, match="per-unit"):
        unit_rows("flow_transitions", level="total", units="former", district=["956"], area="all", group="all",
                  year=2024)
    with pytest.raises(ValueError, match="level"):
        unit_rows("poor_rate_progress", level="province", units="former", district=[], area="all", group="all")
