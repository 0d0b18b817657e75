"""`queries.progress.poor_rate_progress`: a view of chosen places read from the query over every place gives exactly
the rows `queries/poor_rate_progress.sql` gives for that view, for every place of both unit sets, at every level,
for several areas and groups; and a change of places then runs no SQL."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import queries.runner as runner
from queries.progress import poor_rate_progress
from queries.sql import execute

VIEWS = [("all", "all"), ("urban", "khmer"), ("rural", "minority")]
LEVELS = ["total", "district", "commune"]


@pytest.fixture(scope="module")
def con(warehouse: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def places(con: duckdb.DuckDBPyConnection, units: str) -> list[str]:
    column = "district_code" if units == "former" else "current_code"
    return [code for (code,) in con.execute(
        f"SELECT DISTINCT {column} FROM classified_cells WHERE {column} IS NOT NULL ORDER BY 1").fetchall()]  # noqa: S608


def direct(con: duckdb.DuckDBPyConnection, **params: object) -> pd.DataFrame:
    return execute(con, "poor_rate_progress", params)


@pytest.mark.parametrize("units", ["former", "current"])
@pytest.mark.parametrize(("area", "group"), VIEWS)
def test_every_single_place_at_every_level_gives_the_querys_own_rows(con, units: str, area: str, group: str) -> None:
    chosen = places(con, units)
    assert len(chosen) == (7 if units == "former" else 25)
    for code in chosen:
        for level in LEVELS:
            expected = direct(con, level=level, units=units, district=[code], area=area, group=group)
            got = poor_rate_progress(level=level, units=units, district=[code], area=area, group=group)
            assert len(expected) > 0 or (area, group) != ("all", "all"), (units, code, level)
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=f"{units} {code} {level}")


@pytest.mark.parametrize("units", ["former", "current"])
def test_several_places_and_the_province_give_the_querys_own_rows(con, units: str) -> None:
    chosen = places(con, units)
    for selection in ([], chosen[:2], chosen[1:4], chosen):
        for level in LEVELS:
            expected = direct(con, level=level, units=units, district=selection, area="all", group="all")
            got = poor_rate_progress(level=level, units=units, district=selection, area="all", group="all")
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, obj=f"{units} {selection} {level}")


def test_a_total_of_one_place_is_its_row_under_the_totals_labels(con) -> None:
    """The figures a leader reads (independently: the place's district-level row of the same query)."""
    total = poor_rate_progress(level="total", units="former", district=["956"], area="all", group="all")
    district = direct(con, level="district", units="former", district=[], area="all", group="all")
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
    for level in ("district", "commune"):
        poor_rate_progress(level=level, units="current", district=[], area="all", group="all")
    assert [(r["level"], r["district"]) for r in ran] == [("district", []), ("commune", [])]
    for code in ("31825", "31834", "31840"):
        for level in ("total", "district", "commune"):
            poor_rate_progress(level=level, units="current", district=[code], area="all", group="all")
    assert len(ran) == 2, ran
    poor_rate_progress(level="total", units="current", district=["31825", "31834"], area="all", group="all")
    assert len(ran) == 3 and ran[-1]["level"] == "total" and ran[-1]["district"] == ["31825", "31834"]


def test_another_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        poor_rate_progress(level="province", units="former", district=[], area="all", group="all")
