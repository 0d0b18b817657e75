"""Figure builders read on the figure objects: the map's scales, titles, hover texts and grey communes, the district
palette, the status legend, the trajectories' legend and height."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.colors as pc
import pytest

from dashboard import charts, theme
from dashboard.geometry import clockwise
from data.units import current_units, former_units
from geo import load_boundaries
from i18n import Translator

VI, EN = Translator("vi"), Translator("en")
SHARED_GEO = Path(__file__).resolve().parents[2].parent / "shared" / "geo"


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return former_units()[["commune_code", "commune_name", "district_code", "district_name"]]


def commune_frame(units: pd.DataFrame, *, changes: list[float] | None = None) -> pd.DataFrame:
    """`poor_rate_progress`-shaped commune rows with known numbers: commune i has 100 + 10·i households, i poor."""
    n = len(units)
    households = np.array([100 + 10 * i for i in range(n)])
    poor = np.arange(n)
    near = 2 * np.arange(n)
    return pd.DataFrame({
        "unit_code": units["commune_code"].to_numpy(), "unit_name": units["commune_name"].to_numpy(),
        "district_code": units["district_code"].to_numpy(), "district_name": units["district_name"].to_numpy(),
        "households": households, "poor_households": poor, "near_poor_households": near,
        "poor_rate": 100 * poor / households, "near_poor_rate": 100 * near / households,
        "poor_change_since_baseline": changes if changes is not None else np.linspace(-11.0, -0.2, n),
    })


def square_geojson(codes: list[str]) -> dict:
    """One small counter-clockwise square per code (RFC 7946 winding), in a row."""
    features = []
    for i, code in enumerate(codes):
        x, y = 105.3 + 0.01 * i, 9.3
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        features.append({"type": "Feature", "id": code, "properties": {}, "geometry": {"type": "Polygon",
                                                                                          "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": features}


def build(frame: pd.DataFrame, units: pd.DataFrame, metric: str, tr: Translator = VI, **kwargs):
    geojson = kwargs.pop("geojson", square_geojson(list(units["commune_code"])))
    return charts.commune_map(frame, metric, tr, units=units, communes_geojson=geojson, centres=None, outlines=[],
                              **kwargs)


def colour_at(trace, value: float) -> tuple[int, ...]:
    """The colour a choropleth trace gives `value` (its scale sampled at the value's place in [zmin, zmax])."""
    place = (value - trace.zmin) / (trace.zmax - trace.zmin)
    scale = [[stop, colour] for stop, colour in trace.colorscale]
    return pc.unlabel_rgb(pc.sample_colorscale(scale, [place], colortype="rgb")[0])


# --- the change map: centred on zero -------------------------------------------------------------------------------


def test_change_scale_is_symmetric_with_white_at_zero(units):
    # every commune improved (changes -11 … -0.2 points): none may look worse than none
    figure = build(commune_frame(units), units, "change_since_baseline")
    trace = figure.data[0]
    assert trace.zmin == -11.0 and trace.zmax == 11.0  # symmetric around 0, bound = the largest |change|
    assert colour_at(trace, 0.0) == (255, 255, 255)
    least = colour_at(trace, -0.2)  # the commune that improved least: close to white, on the blue side
    assert least[2] > least[0] and min(least) > 240
    red, _, blue = colour_at(trace, 3.0)  # a commune that got worse is red, one that improved as much blue
    assert red > blue and colour_at(trace, -3.0)[2] > colour_at(trace, -3.0)[0]


def test_change_scale_bound_follows_the_larger_side(units):
    changes = [4.0 if i == 0 else -1.0 for i in range(len(units))]
    trace = build(commune_frame(units, changes=changes), units, "change_since_baseline").data[0]
    assert (trace.zmin, trace.zmax) == (-4.0, 4.0)


@pytest.mark.parametrize("metric", ["poor_rate", "near_poor_rate", "poor_households"])
def test_rates_and_counts_start_at_zero(units, metric):
    frame = commune_frame(units)
    trace = build(frame, units, metric).data[0]
    assert trace.zmin == 0 and trace.zmax == pytest.approx(frame[charts.METRIC_COLUMNS[metric]].max())


# --- titles and hover: the unit once --------------------------------------------------------------------------------


@pytest.mark.parametrize(("metric", "vi", "en"), [
    ("poor_rate", "Tỷ lệ hộ nghèo (%)", "Poor rate (%)"),
    ("near_poor_rate", "Tỷ lệ hộ cận nghèo (%)", "Near-poor rate (%)"),
    ("change_since_baseline", "Thay đổi tỷ lệ nghèo so với 2021 (điểm %)", "Change in poor rate since 2021 (pts)"),
    ("poor_households", "Số hộ nghèo (hộ)", "Poor households (count)"),
])
def test_colour_bar_title_names_the_unit_in_the_page_language(units, metric, vi, en):
    frame = commune_frame(units)
    assert build(frame, units, metric, VI).data[0].colorbar.title.text == vi
    assert build(frame, units, metric, EN).data[0].colorbar.title.text == en


@pytest.mark.parametrize(("metric", "tr", "line", "unit"), [
    ("poor_rate", VI, "Tỷ lệ hộ nghèo: 4,00 %", "%"),
    ("poor_rate", EN, "Poor rate: 4.00 %", "%"),
    ("near_poor_rate", VI, "Tỷ lệ hộ cận nghèo: 8,00 %", "%"),
    ("poor_households", VI, "Số hộ nghèo: 6 hộ", "hộ"),
    ("poor_households", EN, "Poor households: 6 households", "households"),
])
def test_hover_shows_the_value_with_its_unit_once_and_the_households_behind_it(units, metric, tr, line, unit):
    frame = commune_frame(units)
    frame.loc[6, ["households", "poor_households", "near_poor_households", "poor_rate", "near_poor_rate"]] = [
        150, 6, 12, 4.0, 8.0]
    trace = build(frame, units, metric, tr).data[0]
    text = trace.text[list(trace.locations).index(frame.loc[6, "unit_code"])]
    lines = text.split("<br>")
    assert lines[0] == f"<b>{frame.loc[6, 'unit_name']}</b>" and lines[1] == frame.loc[6, "district_name"]
    label, value = lines[2].split(": ")
    assert lines[2] == line and value.count(unit) == 1 and "(" not in label  # the unit once, with the value
    households = ("6 hộ nghèo, 12 hộ cận nghèo / 150 hộ được rà soát" if tr.lang == "vi"
                  else "6 poor, 12 near-poor / 150 households reviewed")
    assert lines[3] == households
    assert "⚠" not in text


def test_change_hover_has_points_once_and_the_rate(units):
    frame = commune_frame(units)
    frame.loc[0, ["poor_change_since_baseline", "poor_rate"]] = [-1.9, 3.19]
    trace = build(frame, units, "change_since_baseline").data[0]
    lines = trace.text[0].split("<br>")
    assert lines[2] == "Thay đổi so với 2021: -1,90 điểm %" and lines[2].count("%") == 1
    assert lines[3] == "Tỷ lệ hộ nghèo: 3,19 %"


def test_unreliable_rates_are_marked_in_hover_and_table_names(units):
    frame = commune_frame(units).assign(unreliable=lambda d: d["households"] < 130)  # the first three communes
    for tr, note in ((VI, "⚠ ít hộ, tỷ lệ kém tin cậy"), (EN, "⚠ few households, unreliable rate")):
        trace = build(frame, units, "poor_rate", tr).data[0]
        marked = [code for code, text in zip(trace.locations, trace.text, strict=True) if note in text]
        assert marked == list(frame["unit_code"][:3])
        named = charts.mark_unreliable(frame, tr)
        assert [name.endswith(note) for name in named["unit_name"]] == [True] * 3 + [False] * (len(frame) - 3)
        assert charts.mark_unreliable(named, tr)["unit_name"].tolist() == named["unit_name"].tolist()  # once
    assert charts.mark_unreliable(commune_frame(units), VI)["unit_name"].tolist() == units["commune_name"].tolist()


# --- no data: grey, named, never 0 and never missing ---------------------------------------------------------------


def test_communes_without_data_are_a_grey_trace_and_every_unit_is_drawn(units):
    frame = commune_frame(units)
    absent = set(frame["unit_code"].iloc[[3, 10, 40]])
    frame.loc[frame["unit_code"] == frame["unit_code"].iloc[20], "poor_change_since_baseline"] = math.nan
    frame = frame[~frame["unit_code"].isin(absent)]
    no_baseline = {units["commune_code"].iloc[20]}
    for metric, grey_expected in (("poor_rate", absent), ("change_since_baseline", absent | no_baseline)):
        figure = build(frame, units, metric)
        data, grey = figure.data[0], figure.data[1]
        assert set(grey.locations) == grey_expected
        assert not set(data.locations) & grey_expected  # never drawn as 0 on the scale
        assert sorted([*data.locations, *grey.locations]) == sorted(units["commune_code"])  # all 64
        assert {c for _, c in grey.colorscale} == {theme.NO_DATA} and grey.showscale is False
        assert grey.showlegend and grey.name == "Chưa có dữ liệu"
        assert all(t.split("<br>")[2] == "Chưa có dữ liệu" for t in grey.text)
        # each trace sends only its own boundaries
        assert {f["id"] for f in grey.geojson["features"]} == grey_expected
    english = build(frame, units, "poor_rate", EN).data[1]
    assert english.name == "No data" and all("<br>No data" in t for t in english.text)


def test_a_full_frame_has_no_grey_trace(units):
    figure = build(commune_frame(units), units, "poor_rate")
    assert [t.type for t in figure.data] == ["choropleth"]
    assert len(figure.data[0].locations) == 64


def test_map_is_fitted_by_the_browser_without_a_basemap(units):
    layout = build(commune_frame(units), units, "poor_rate").layout
    assert layout.geo.fitbounds == "locations" and layout.geo.visible is False
    assert layout.geo.projection.type == "mercator"
    config = charts.MAP_CONFIG["topojsonURL"]
    assert config.startswith("data:application/json,") and config.endswith("#")  # nothing fetched


def test_without_boundaries_circles_at_centres_and_grey_ones_for_no_data(units):
    centres = former_units()[["commune_code", "lat", "lon"]]
    frame = commune_frame(units).iloc[2:]
    figure = charts.commune_map(frame, "poor_rate", VI, units=units, communes_geojson=None, centres=centres,
                                outlines=[])
    data, grey = figure.data
    assert data.type == grey.type == "scattergeo"
    assert len(data.lat) == 62 and list(grey.customdata) == [[c] for c in units["commune_code"][:2]]
    assert grey.marker.color == theme.NO_DATA


def test_clockwise_winds_exteriors_clockwise_for_plotly_geo():
    square = square_geojson(["10001"])
    hole = [[105.302, 9.302], [105.302, 9.304], [105.304, 9.304], [105.304, 9.302], [105.302, 9.302]]  # clockwise
    square["features"][0]["geometry"]["coordinates"].append(hole)

    def signed(ring):  # > 0: counter-clockwise
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False))

    outer, inner = clockwise(square)["features"][0]["geometry"]["coordinates"]
    assert signed(outer) < 0 and signed(inner) > 0
    assert sorted(map(tuple, outer)) == sorted(map(tuple, square["features"][0]["geometry"]["coordinates"][0]))
    assert clockwise(clockwise(square)) == clockwise(square)


def test_the_reference_map_stays_small(units):
    if not (SHARED_GEO / "baclieu_communes.geojson").is_file():
        pytest.skip(f"reference boundaries not found at {SHARED_GEO}")
    boundaries = load_boundaries(list(units["commune_code"]), SHARED_GEO)
    from dashboard.geometry import _outline_coordinates

    outlines = list(_outline_coordinates(boundaries.districts).values())
    frame = commune_frame(units).iloc[5:]
    figure = charts.commune_map(frame, "change_since_baseline", VI, units=units,
                                communes_geojson=clockwise(boundaries.communes), centres=None, outlines=outlines)
    assert len(figure.to_json().encode()) < 150_000


def current_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 25 current units as the map gets them: `units` without districts; `poor_rate_progress` rows whose
    district is the unit itself (the current set has no districts, `places` in data/schema.sql)."""
    units = current_units()[["commune_code", "commune_name", "district_code", "district_name"]]
    frame = commune_frame(units).assign(district_code=units["commune_code"].to_numpy(),
                                        district_name=units["commune_name"].to_numpy())
    return units, frame


def test_a_current_unit_is_drawn_with_its_name_and_no_district_line():
    units, frame = current_frame()
    figure = build(frame.iloc[3:], units, "poor_rate")
    shown, grey = figure.data
    assert len(shown.locations) == 22 and list(grey.locations) == list(units["commune_code"][:3])
    for trace in (shown, grey):
        for text in trace.text:
            name, second = text.split("<br>")[:2]
            assert name.startswith("<b>") and second.startswith(("Tỷ lệ hộ nghèo", "Chưa có dữ liệu")), text
            assert "None" not in text and "nan" not in text
    first = shown.text[0]
    assert first.startswith(f"<b>{units['commune_name'].iloc[3]}</b><br>Tỷ lệ hộ nghèo: ")


def test_the_current_units_status_bars_stay_readable():
    units, frame = current_frame()
    rows = frame.assign(status="on_track", path_rate=1.0, goal_value=1.0, goal_strict=True, goal_year=2025)
    figure = charts.district_status_bars(rows, VI)
    assert len(figure.data[0].y) == 25
    assert figure.layout.height == 30 * 25 + 130  # 30 px a bar (46 for the 7 districts)
    assert charts.district_status_bars(rows.iloc[:7], VI).layout.height == 46 * 7 + 130


def test_each_current_unit_has_its_own_line_colour_whatever_the_filter():
    codes = tuple(current_units()["commune_code"])
    colours = theme.unit_colours(codes)
    assert len(colours) == 25 and len(set(colours.values())) == 25
    assert theme.PROVINCE not in colours.values() and "#222A2A" not in colours.values()
    assert theme.unit_colours(codes) is colours  # one object: figure caches compare it by identity
    # the former districts keep their own colours
    assert dict(theme.unit_colours(theme.DISTRICT_CODES)) == theme.district_colours(list(theme.DISTRICT_CODES))
    names = dict(zip(codes, current_units()["commune_name"], strict=True))
    districts, total = progress({code: names[code] for code in codes[:4]})
    figure = charts.trajectories(districts, total, "poor", VI, "Toàn tỉnh", colours=colours)
    for trace in figure.data:
        if trace.legendgroup in names:
            assert trace.line.color == colours[trace.legendgroup]


# --- colours that mean the same everywhere --------------------------------------------------------------------------


def test_a_district_keeps_its_colour_whatever_the_filter():
    every = theme.district_colours(list(theme.DISTRICT_CODES))
    assert len(set(every.values())) == 7
    assert set(every.values()) <= set(theme.DISTRICT_PALETTE)
    for subset in (["956"], ["961", "954"], ["960", "958", "957"], list(reversed(theme.DISTRICT_CODES))):
        assert theme.district_colours(subset) == {code: every[code] for code in subset}


def test_district_palette_is_okabe_ito_without_black():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(theme.DISTRICT_PALETTE) == okabe_ito


def test_status_bars_have_a_legend_entry_per_status_shown():
    frame = pd.DataFrame({
        "unit_name": ["A", "B", "C", "D"], "poor_rate": [3.0, 1.0, 2.0, 0.5], "path_rate": [2.5, 1.2, 2.1, 0.6],
        "status": ["limited_progress", "on_track", "on_track", None],
    })
    for tr in (VI, EN):
        figure = charts.district_status_bars(frame, tr)
        bars = [t for t in figure.data if t.type == "bar"]
        assert [b.name for b in bars] == [tr.status("on_track"), tr.status("limited_progress"), tr.status(None)]
        assert [b.marker.color for b in bars] == [theme.STATUS_COLOURS[s] for s in ("on_track", "limited_progress",
                                                                                    None)]
        assert all(b.showlegend is not False for b in bars) and figure.layout.showlegend
        assert sorted(y for b in bars for y in b.y) == ["A", "B", "C", "D"]
        assert list(figure.layout.yaxis.categoryarray) == ["D", "B", "C", "A"]  # lowest rate first (bottom)
        labels = next(t for t in figure.data if t.type == "scatter" and t.mode == "text")
        assert list(labels.x) == [0.6, 1.2, 2.1, 3.0]  # right of the bar or of the path tick, whichever is further


def test_a_rate_label_stays_at_its_bar_when_the_path_tick_is_far_away():
    """Hồng Dân-like: 6,8 % against a path of 10,9 %: the label sits at the bar, not beside the distant tick where it
    would read as the path's value."""
    frame = pd.DataFrame({"unit_name": ["A", "B"], "poor_rate": [6.8, 2.0], "path_rate": [10.9, 2.1],
                          "status": ["on_track", "on_track"]})
    labels = next(t for t in charts.district_status_bars(frame, VI).data if t.type == "scatter" and t.mode == "text")
    assert dict(zip(labels.y, labels.x, strict=True)) == {"A": 6.8, "B": 2.1}
    axis = charts.district_status_bars(frame, VI).layout.xaxis.range
    assert axis[1] > 10.9, "the distant tick is still drawn inside the axis"


def test_status_bars_show_the_plans_end_goal_beside_the_paths():
    """Pace colours the bars; the goal every district is judged against (under 1 % by 2025) is a named line."""
    frame = pd.DataFrame({
        "unit_name": ["A", "B"], "poor_rate": [4.15, 0.5], "path_rate": [6.2, 0.3], "status": ["on_track", None],
        "goal_value": [1.0, 1.0], "goal_strict": [True, True], "goal_year": [2025, 2025],
    })
    for tr, text in ((VI, "Mục tiêu: dưới 1 % (2025)"), (EN, "Goal: under 1 % (2025)")):
        figure = charts.district_status_bars(frame, tr)
        lines = [shape for shape in figure.layout.shapes if shape.type == "line"]
        assert [(line.x0, line.x1) for line in lines] == [(1.0, 1.0)]
        assert [a.text for a in figure.layout.annotations] == [text]
    # goals that differ by unit (each unit's own path end) draw no single line
    assert not charts.district_status_bars(frame.assign(goal_value=[5.0, 0.4], goal_strict=False), VI).layout.shapes


def test_status_colours_are_the_pace_statuses():
    from queries.status import STATUSES

    assert list(theme.STATUS_COLOURS) == [*STATUSES, None]
    # a partial year and no pace yet share the neutral grey; the judged paces are distinct from it and each other,
    # and a pace hidden from a viewer not signed in has the map's "hidden" violet, never the grey of "no data"
    assert theme.STATUS_COLOURS["incomplete"] == theme.STATUS_COLOURS[None]
    assert theme.STATUS_COLOURS["suppressed"] == theme.SUPPRESSED != theme.NO_DATA
    assert len(set(theme.STATUS_COLOURS.values())) == 7


# --- trajectories: one entry per district, a plot that keeps its height ---------------------------------------------


def progress(codes: dict[str, str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [{"unit_code": code, "unit_name": name, "year": year, "poor_rate": 5.0 - year + 2021,
             "near_poor_rate": 6.0, "path_rate": 5.0} for code, name in codes.items() for year in range(2021, 2026)]
    districts = pd.DataFrame(rows)
    total = districts.groupby("year", as_index=False)[["poor_rate", "near_poor_rate", "path_rate"]].mean()
    return districts, total


@pytest.mark.parametrize("measure", ["poor", "near_poor", "both"])
def test_trajectories_legend_has_each_district_once_and_the_line_styles_once(units, measure):
    names = dict(zip(units["district_code"], units["district_name"], strict=False))
    districts, total = progress(names)
    figure = charts.trajectories(districts, total, measure, VI, "Toàn tỉnh")
    shown = [t for t in figure.data if t.showlegend is not False]
    key = ([VI("traj.measure.poor")] if measure != "near_poor" else []) + (
        [VI("traj.measure.near_poor")] if measure != "poor" else []) + ([VI("traj.path")] if measure != "near_poor"
                                                                        else [])
    assert [t.name for t in shown] == [*(names[code] for code in sorted(names)), "Toàn tỉnh", *key]
    for trace in figure.data:  # every line of a district in its district's colour, grouped under its entry
        if trace.legendgroup in names:
            assert trace.line.color == theme.district_colour(trace.legendgroup)
    rows = charts.legend_rows([t.name for t in shown])
    assert figure.layout.height >= charts.TRAJECTORY_PLOT_HEIGHT + charts.LEGEND_ROW_HEIGHT * rows
    assert figure.layout.legend.traceorder == "normal"


def test_legend_rows_follow_plotly_widest_entry_rule():
    assert charts.legend_rows([]) == 0
    assert charts.legend_rows(["a", "b"], 400) == 1  # 2 × 52 px fit in one row
    # two rows needed → every entry as wide as the widest (40 + 6.5·20 + 5 = 175 px): one per row in 260 px
    assert charts.legend_rows(["x" * 20, "y", "z"], 260) == 3
    assert charts.legend_rows(["x" * 10] * 5, 260) == 3  # 110 px entries: 2 per row


def test_wrapped_annotation_keeps_every_word():
    text = VI("traj.break_short")
    wrapped = charts._wrap(text, 34)
    assert all(len(line) <= 34 for line in wrapped.split("<br>"))
    assert re.sub("<br>", " ", wrapped) == text


def test_every_figure_is_drawn_on_the_white_template():
    """The theme's template is plotly's white one (white plot area, light grey grid), set once as plotly's default
    rather than on each figure: a chart and a bare themed figure both carry it, not plotly's own blue-grey one."""
    import plotly.graph_objects as go
    import plotly.io as pio

    units, frame = current_frame()
    rows = frame.assign(status="on_track", path_rate=1.0, goal_value=1.0, goal_strict=True, goal_year=2025)
    white = pio.templates["plotly_white"].layout
    for figure in (charts.district_status_bars(rows, VI), theme.apply_layout(go.Figure(), VI)):
        layout = figure.layout.template.layout
        assert layout.plot_bgcolor == white.plot_bgcolor == "white"
        assert layout.xaxis.gridcolor == white.xaxis.gridcolor
        assert layout.plot_bgcolor != pio.templates["plotly"].layout.plot_bgcolor
