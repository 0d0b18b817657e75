"""Pace to the goal on the pages: the trajectories' projection lines and pace table, the ranking's projection columns
(and their downloads), each figure equal to `queries.pace.project` over the same protected progress frame; hidden
from a viewer not signed in where a cell it needs is small; the projection line dashed and never below zero.

The projections themselves are checked against hand-worked examples in tests/app/test_pace.py; here the reference
is `project` on `dashboard.disclosure.progress` (the frame the page reads), formatted by `download.format_cell`.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard import charts, disclosure
from dashboard import pace as dpace
from dashboard.disclosure import Rule
from dashboard.download import format_cell
from i18n import MISSING, Translator
from queries.pace import project

from .conftest import open_app

VI, EN = Translator("vi"), Translator("en")
ANONYMOUS = Rule()
LEGEND = {"vi": "Dự báo theo tốc độ hiện tại", "en": "Projection at the current pace"}


class RecordingMediaFileManager(MediaFileManager):
    """The media manager of an AppTest run, kept so a test can produce the files its download buttons serve."""

    last: MediaFileManager | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        RecordingMediaFileManager.last = self


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> Callable[[], dict[str, bytes]]:
    """`downloads()`: file name → bytes of every download button of the last AppTest run."""
    monkeypatch.setattr(app_test_module, "MediaFileManager", RecordingMediaFileManager)

    def files() -> dict[str, bytes]:
        manager = RecordingMediaFileManager.last
        assert manager is not None
        return {str(e["filename"]): e["callable"]() for e in manager._deferred_callables.values()}

    return files


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        if "bdata" in value and "dtype" in value:
            array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
            return [None if isinstance(v, float) and np.isnan(v) else v for v in array.tolist()]
        return {k: _decoded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decoded(v) for v in value]
    return value


def figure(at: AppTest) -> dict:
    [chart] = at.get("plotly_chart")
    return _decoded(json.loads(chart.proto.spec))


def opened(page: str, *, signed_in: bool, **params: str | list[str]) -> AppTest:
    at = open_app(page, signed_in=signed_in, **params)
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if column in d.value.columns]


def hidden_reasons(frame: pd.DataFrame, year: int) -> dict[str, str]:
    """Unit code → the marker reason of a unit whose rows up to `year` hold a hidden cell: small before complement."""
    rows = frame[(frame["year"] <= year) & frame["hidden"].notna()]
    return {code: "small" if (part["hidden"] == "small").any() else "complement"
            for code, part in rows.groupby("unit_code")}


def expected_cells(proj: pd.DataFrame, tr: Translator, hidden: dict[str, str] | None = None,
                   rule: Rule = ANONYMOUS) -> dict[str, dict[str, str]]:
    """Unit code → the projection cells as the page must show them, from `project`'s numbers, or the rule's marker
    (`hidden`: unit code → reason) where `project` says 'hidden'."""
    out = {}
    for row in proj.itertuples():
        if row.no_projection_reason == "hidden":
            assert hidden is not None and row.unit_code in hidden
            out[row.unit_code] = dict.fromkeys(("pace", "rate", "reach", "households"),
                                               rule.marker(tr, hidden[row.unit_code]))
            continue
        if isinstance(row.no_projection_reason, str):
            out[row.unit_code] = dict.fromkeys(("pace", "rate", "reach", "households"), MISSING)
            continue
        reach = (str(int(row.reach_year)) if not pd.isna(row.reach_year) else
                 tr("pace.reach.not_falling") if row.reach_reason == "not_falling" else
                 tr("pace.reach.beyond_horizon", horizon=2050))
        out[row.unit_code] = {"pace": format_cell(row.pace, "pts", tr),
                              "rate": format_cell(row.projected_rate, "pct", tr), "reach": reach,
                              "households": format_cell(row.households_to_leave_per_year, "int", tr)}
    return out


def headers(tr: Translator, goal_year: int = 2025) -> dict[str, str]:
    return {"pace": tr("pace.col.pace"), "rate": tr("pace.col.projected_rate", year=goal_year),
            "reach": tr("pace.col.reach_year"), "households": tr("pace.col.households_per_year")}


def params(**kw: object) -> dict[str, object]:
    return {"units": "former", "district": [], "area": "all", "group": "all", **kw}


# --- trajectories ----------------------------------------------------------------------------------------------------


def test_the_trajectories_pace_table_is_project_of_the_pages_frames(warehouse):
    at = opened("trajectories", signed_in=True, year="2023", lang="en")
    [table] = table_with(at, EN("pace.col.pace"))
    everyone = Rule(active=False)
    districts = project(disclosure.progress("district", params(), everyone), 2023)
    province = project(disclosure.progress("total", params(), everyone), 2023)
    expected = expected_cells(districts, EN)
    names = dict(zip(disclosure.progress("district", params(), everyone)["unit_code"],
                     disclosure.progress("district", params(), everyone)["unit_name"], strict=True))
    expected = {names[code]: cells for code, cells in expected.items()}
    expected[EN("scope.province")] = expected_cells(province, EN)["total"]
    head = headers(EN)
    shown = {row[EN("col.district")]: {k: row[h] for k, h in head.items()} for _, row in table.iterrows()}
    assert shown == expected
    # every figure is a real projection here (seven districts and the province, three reviews each)
    assert len(shown) == 8 and MISSING not in {v["rate"] for v in shown.values()}
    # the province at 2023: falling about 1.4 points a year from 2.25 %, it meets "under 1 %" by 2025
    assert float(shown[EN("scope.province")]["pace"]) < -1
    # every header of the table is marked as a projection, and the method is stated under it
    assert all(str(c).startswith("Projection") for c in table.columns[1:])
    assert any("least-squares" in c.value and "never below 0 %" in c.value for c in at.caption)


def test_the_trajectories_projection_lines_start_at_the_view_years_value(warehouse):
    at = opened("trajectories", signed_in=True, year="2023", lang="en")
    traces = figure(at)["data"]
    projected = [t for t in traces if LEGEND["en"] in str(t.get("name")) and t.get("x") != [None]]
    everyone = Rule(active=False)
    frames = {"total": disclosure.progress("total", params(), everyone),
              **dict(iter(disclosure.progress("district", params(), everyone).groupby("unit_code")))}
    assert len(projected) == 8  # seven districts and the province: few enough to draw each
    for trace in projected:
        assert trace["line"]["dash"] == charts.PROJECTION_DASH and trace["opacity"] < 1
        assert trace["x"] == [2023, 2024, 2025]
        assert min(trace["y"]) >= 0
        code = trace["legendgroup"]
        frame = frames[code]
        assert trace["y"][0] == pytest.approx(float(frame.loc[frame["year"] == 2023, "measure_value"].iloc[0]))
        assert trace["y"][-1] == pytest.approx(float(project(frame, 2023)["projected_rate"].iloc[0]))
    # one legend key for the projection, and a caption saying what the long dashes are
    keys = [t for t in traces if t.get("name") == LEGEND["en"]]
    assert len(keys) == 1 and keys[0]["line"]["dash"] == charts.PROJECTION_DASH
    assert any(c.value.startswith("Long dashes, lighter: projection") for c in at.caption)


def test_no_projection_line_in_the_goal_year(warehouse):
    at = opened("trajectories", signed_in=True, year="2025")
    assert not [t for t in figure(at)["data"] if LEGEND["vi"] in str(t.get("name"))]
    assert any(i.value.startswith("Năm 2025 không còn năm nào") for i in at.info)
    [table] = table_with(at, VI("pace.col.pace"))  # the pace and year reached are still given
    assert set(table[VI("pace.col.households_per_year")]) == {MISSING}


def test_the_trajectories_projection_is_hidden_from_an_anonymous_viewer_where_a_cell_is_small(warehouse):
    """Urban Khmer households of Huyện Hồng Dân (956) are a small cell from 2021 to 2024 at this size: no projection
    line, and its projection cells show the marker; a signed-in user sees the numbers `project` gives."""
    view = {"year": "2023", "area": "urban", "group": "khmer"}
    anonymous = opened("trajectories", signed_in=False, **view)
    frame = disclosure.progress("district", params(area="urban", group="khmer"), Rule())
    name = frame.loc[frame["unit_code"] == "956", "unit_name"].iloc[0]
    [table] = table_with(anonymous, VI("pace.col.pace"))
    row = table[table[VI("col.district")] == name].iloc[0]
    assert {row[h] for h in headers(VI).values()} == {"≤9 hộ — ẩn"}
    expected = expected_cells(project(frame, 2023), VI, hidden_reasons(frame, 2023))
    assert expected["956"]["rate"] == "≤9 hộ — ẩn"
    for code, cells in expected.items():  # every district's row: markers where hidden, `project`'s numbers else
        row = table[table[VI("col.district")] == frame.loc[frame["unit_code"] == code, "unit_name"].iloc[0]].iloc[0]
        assert {k: row[h] for k, h in headers(VI).items()} == cells, code
    assert not [t for t in figure(anonymous)["data"]
                if LEGEND["vi"] in str(t.get("name")) and t.get("legendgroup") == "956"]

    signed = opened("trajectories", signed_in=True, **view)
    [table] = table_with(signed, VI("pace.col.pace"))
    row = table[table[VI("col.district")] == name].iloc[0]
    open_frame = disclosure.progress("district", params(area="urban", group="khmer"), Rule(active=False))
    assert {k: row[h] for k, h in headers(VI).items()} == expected_cells(project(open_frame, 2023), VI)["956"]
    assert "ẩn" not in "".join(str(row[h]) for h in headers(VI).values())


def test_a_projection_line_is_dashed_and_never_below_zero(warehouse):
    """A steep fall (−5 points a year from 2,25 %) would reach −7,75 % by 2025: the line stops at 0 %."""
    everyone = Rule(active=False)
    districts = disclosure.progress("district", params(), everyone)
    total = disclosure.progress("total", params(), everyone)
    proj = dpace.chart_projections(districts, total, 2023).assign(pace=-5.0)
    fig = charts.trajectories(districts, total, "poor", EN, "Province", None, None, proj)
    lines = [t for t in fig.data if LEGEND["en"] in str(t.name) and t.x[0] is not None]
    assert len(lines) == 8
    for trace in lines:
        assert trace.line.dash == "longdash" and trace.opacity == charts.PROJECTION_OPACITY
        assert min(trace.y) == 0.0 and all(y >= 0 for y in trace.y)
    # the near-poor chart gets no projection (the projection is of the poor rate the goal judges)
    near = charts.trajectories(districts, total, "near_poor", EN, "Province", None, None, None)
    assert not [t for t in near.data if LEGEND["en"] in str(t.name)]


# --- ranking ---------------------------------------------------------------------------------------------------------


def test_the_ranking_has_the_projection_columns_equal_to_project_and_in_its_downloads(warehouse, downloads):
    at = opened("ranking", signed_in=True, year="2023", lang="en")
    everyone = Rule(active=False)
    head = {k: v for k, v in headers(EN).items() if k != "pace"}
    district_table = next(t for t in table_with(at, head["rate"]) if EN("col.district") == t.columns[0])
    commune_table = next(t for t in table_with(at, head["rate"]) if len(t) > 20)
    for table, level, column in ((district_table, "district", EN("col.district")),
                                 (commune_table, "commune", EN("col.commune"))):
        frame = disclosure.progress(level, params(), everyone)
        names = frame.drop_duplicates("unit_code").set_index("unit_name")["unit_code"]
        expected = expected_cells(project(frame, 2023), EN)
        for _, row in table.iterrows():
            code = names[row[column]]
            assert {k: row[h] for k, h in head.items()} == {k: expected[code][k] for k in head}, row[column]
    # a commune far from the goal needs households to leave poverty every year; the columns say they are projections
    assert (commune_table[head["households"]] != MISSING).any()
    assert any(c.value.startswith('The "Projection" columns are projections') for c in at.caption)
    files = downloads()
    ranking = files["commune_ranking_2023_former.xlsx"]
    rows = list(openpyxl.load_workbook(io.BytesIO(ranking)).active.iter_rows(values_only=True))
    header = list(rows[0])
    assert head["rate"] in header and head["reach"] in header and head["households"] in header
    first = dict(zip(header, rows[1], strict=True))
    code = disclosure.progress("commune", params(), everyone).drop_duplicates("unit_code").set_index(
        "unit_name")["unit_code"][first[EN("col.commune")]]
    proj = project(disclosure.progress("commune", params(), everyone), 2023).set_index("unit_code").loc[code]
    assert first[head["rate"]] == pytest.approx(round(proj["projected_rate"], 2))
    assert "Projection: rate in 2025 (%)" in files["commune_ranking_2023_former.csv"].decode("utf-8-sig")


def test_the_ranking_projection_is_hidden_from_an_anonymous_viewer_where_a_cell_is_small(warehouse):
    """Khmer households of Huyện Đông Hải's communes (2 to 15 of them at this size): the small communes'
    projection cells show the marker for a viewer not signed in, and the numbers for a signed-in user."""
    view = {"district": "960", "group": "khmer", "year": "2024"}
    sql = params(district=["960"], group="khmer")
    head = {k: v for k, v in headers(VI).items() if k != "pace"}
    anonymous = opened("ranking", signed_in=False, **view)
    frame = disclosure.progress("commune", sql, Rule())
    small = sorted(set(frame.loc[frame["hidden"] == "small", "unit_code"]))
    assert small, "the view has small communes"
    names = frame.drop_duplicates("unit_code").set_index("unit_code")["unit_name"]
    table = next(t for t in table_with(anonymous, head["rate"]) if len(t) > 5)
    for code in small:
        row = table[table[VI("col.commune")] == names[code]].iloc[0]
        assert {row[h] for h in head.values()} == {"≤9 hộ — ẩn"}
    expected = expected_cells(project(frame, 2024), VI, hidden_reasons(frame, 2024))
    by_name = {names[c]: v for c, v in expected.items()}
    for _, row in table.iterrows():  # markers where hidden (small or complementary), `project`'s numbers else
        assert {k: row[h] for k, h in head.items()} == {k: by_name[row[VI("col.commune")]][k] for k in head}

    signed = opened("ranking", signed_in=True, **view)
    table = next(t for t in table_with(signed, head["rate"]) if len(t) > 5)
    open_expected = expected_cells(project(disclosure.progress("commune", sql, Rule(active=False)), 2024), VI)
    for code in small:
        row = table[table[VI("col.commune")] == names[code]].iloc[0]
        assert {k: row[h] for k, h in head.items()} == {k: open_expected[code][k] for k in head}
        assert "ẩn" not in "".join(str(row[h]) for h in head.values())


def test_no_chart_note_without_a_projection_line():
    """A partial view year (or hidden cells everywhere) draws no projection, so no caption speaks of one."""
    proj = pd.DataFrame({"unit_code": ["total"], "goal_year": pd.array([2025], dtype="Int64"),
                         "remaining_years": pd.array([2], dtype="Int64"), "pace": [float("nan")],
                         "value": [2.0], "no_projection_reason": ["incomplete"]})
    assert dpace.chart_note(EN, proj, 2023, units_drawn=True) is None
    drawn = proj.assign(pace=-0.5, no_projection_reason=None)
    assert dpace.chart_note(EN, drawn, 2023, units_drawn=False) == EN("pace.chart_note_total", year=2023,
                                                                        goal_year=2025)
    assert dpace.line(drawn.iloc[0]) == ([2023, 2024, 2025], [2.0, 1.5, 1.0])
    assert dpace.chart_note(EN, drawn, 2025, units_drawn=True) is None
