"""A partial review year (a few households of a new year imported) never becomes the default view, is always shown
with its coverage, and is never judged on its own; units without reviews are "no data", never 0 %."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from data.warehouse import refresh_classified
from queries.runner import clear_caches, run

from .conftest import PAGES, open_app, tables
from .test_pages import badges

PARTIAL_YEAR = 2026
COMMUNE = "31837"  # Xã Vĩnh Trạch Đông


@pytest.fixture(scope="module")
def partial_warehouse(warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The test warehouse plus 2026 reviews for five households of one commune, app pointed at it."""
    path = tmp_path_factory.mktemp("partial") / "partial.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    try:
        con.execute("BEGIN")
        con.execute(
            """INSERT INTO review_rows
               SELECT r.* REPLACE ($year AS year, 900000 AS income_per_capita, true AS d_water, true AS d_latrine,
                                  true AS d_telecom)
               FROM review_rows AS r JOIN households AS h USING (household_key)
               WHERE r.year = 2025 AND h.commune_code = $commune
               ORDER BY h.household_id LIMIT 5""", {"year": PARTIAL_YEAR, "commune": COMMUNE})
        refresh_classified(con, [PARTIAL_YEAR])
        con.execute("COMMIT")
    finally:
        con.close()
    previous = os.environ["POVERTY_DB"]
    os.environ["POVERTY_DB"] = str(path)
    clear_caches()
    yield path
    os.environ["POVERTY_DB"] = previous
    clear_caches()


open_page = open_app


def test_the_partial_year_is_found_by_the_coverage_rule(partial_warehouse):
    coverage = run("review_coverage").set_index("year")
    assert coverage.loc[PARTIAL_YEAR, "units_reviewed"] == 1 and coverage.loc[PARTIAL_YEAR, "households"] == 5
    assert not coverage.loc[PARTIAL_YEAR, "complete"]
    assert coverage.loc[2021:2025, "complete"].all()


@pytest.mark.parametrize("page", list(PAGES))
def test_a_link_without_a_year_opens_the_latest_complete_year(partial_warehouse, page):
    at = open_page(page)
    assert not at.exception
    assert at.query_params["year"] == "2025"
    options = at.selectbox(key="filter_year").options
    assert options[-1] == "2026 (chưa đủ)" and "2025" in options


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_the_partial_year_is_shown_with_its_coverage_and_not_judged(partial_warehouse, raw, signed_in):
    at = open_page("overview", year=str(PARTIAL_YEAR), signed_in=signed_in)
    assert not at.exception
    assert at.query_params["units"] == "current"  # 2026 is filed in the current units: 25 of them
    warning = " ".join(w.value for w in at.warning)
    assert "Năm 2026 chưa đủ dữ liệu" in warning and "1 / 25 đơn vị cấp xã" in warning
    # five households are fewer than 10: hidden from a viewer who is not signed in (dashboard/disclosure.py)
    assert ("5 hộ" in warning) == signed_in and ("≤9 hộ — ẩn" in warning) != signed_in
    shown = badges(at)
    assert "Tiến độ theo lộ trình: Năm chưa đủ dữ liệu" in shown
    assert not any("mục tiêu" in b.lower() for b in shown), "no goal is judged on a partial year"
    assert not any(s in " ".join(shown) for s in ("Đang xấu đi", "Đúng tiến độ", "Cần đẩy nhanh"))
    # the units' table: the 24 units without 2026 reviews are absent, never shown as 0 %
    units = tables(at)[0].value
    walk = raw["unit_crosswalk"].set_index("former_code")["current_code"]
    current = raw["units"][(raw["units"]["unit_set"] == "current") & (raw["units"]["commune_code"] == walk[COMMUNE])]
    name = current["commune_name"].iloc[0]
    assert list(units["Xã, phường"]) == [name]
    assert set(units["Tiến độ"]) == {"Năm chưa đủ dữ liệu"}
    # in the former units: the one district, and the same province figures
    former = open_page("overview", year=str(PARTIAL_YEAR), units="former", signed_in=signed_in)
    assert list(tables(former)[0].value["Huyện"]) == ["Thành phố Bạc Liêu"]
    assert [m.value for m in former.metric] == [m.value for m in at.metric]


def test_the_partial_year_is_not_ranked(partial_warehouse):
    at = open_page("ranking", year=str(PARTIAL_YEAR), lang="en")
    assert not at.exception
    assert any("not ranked" in i.value for i in at.info)
    assert any("2026 is incomplete" in w.value for w in at.warning)
    assert not at.dataframe


def test_a_partial_year_is_no_point_on_the_trend_and_carries_no_r(partial_warehouse):
    from .test_pages import array, charts

    at = open_page("trajectories")
    assert not at.exception
    # the lines' points (hidden figures' marks sit beside their year, on the axis)
    years = {x for trace in charts(at)[0].data if trace.x is not None and trace.legendgroup != "hidden"
             for x in array(trace.x) if x is not None}
    assert max(years) == 2025, "the lines stop at the latest complete year"
    assert any("2026" in c.value and "không được vẽ" in c.value for c in at.caption)
    for signed_in, no_ratio in ((True, "—"), (False, "≤9 hộ — ẩn")):  # five households: hidden unless signed in
        overview = open_page("overview", year=str(PARTIAL_YEAR), signed_in=signed_in)
        assert all(m.delta in (None, "") for m in overview.metric), "no change against 2025 from five households"
        assert not any("R =" in c.value for c in overview.caption)
        districts = tables(overview)[0].value
        assert set(districts["R = đã giảm / cần giảm"]) == {no_ratio}


def test_a_warehouse_from_an_older_schema_gets_a_message_not_a_traceback(warehouse, tmp_path):
    """A file built before the current schema (e.g. other macro signatures) is recognised by `meta.schema`; the app
    says how to rebuild instead of failing on the first query."""
    path = tmp_path / "old.duckdb"
    shutil.copy(warehouse, path)
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = 'an older schema' WHERE key = 'schema'")
    con.close()
    previous = os.environ["POVERTY_DB"]
    os.environ["POVERTY_DB"] = str(path)
    clear_caches()
    try:
        at = open_page("overview")
        assert not at.exception
        assert any("phiên bản cũ" in e.value for e in at.error)
        assert not at.metric
    finally:
        os.environ["POVERTY_DB"] = previous
        clear_caches()
