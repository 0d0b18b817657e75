"""Figure builders: frames in, plotly figures out. No queries, no widgets.

The builders pages call are cached per process (`dashboard.figure_cache.per_process`): equal inputs return the same
figure object, built once; treat a returned figure as read-only.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import pandas as pd
import plotly.graph_objects as go

from dashboard.disclosure import Rule, reasons
from dashboard.figure_cache import per_process
from dashboard.pace import line as projection_line
from dashboard.theme import (
    BORDER,
    DIVERGING,
    NEAR_POOR,
    NO_DATA,
    PATH,
    POOR,
    PROVINCE,
    SEQUENTIAL,
    STATUS_COLOURS,
    SUPPRESSED,
    apply_layout,
    base_layout,
    district_colour,
)
from i18n import MISSING, Translator, is_missing


def _figure_texts(frame: pd.DataFrame, column: str, tr: Translator, rule: Rule | None,
                  show: Any = None) -> list[str]:
    """Each row's `column` as hover/label text: `show(value)` (default `tr.pct`), or the rule's marker where the figure
    is hidden (`dashboard.disclosure`), never the number."""
    show = show or tr.pct
    why = reasons(frame, column)
    return [rule.marker(tr, w) if w and rule else show(v) for v, w in zip(frame[column], why, strict=True)]


@per_process
def district_status_bars(frame: pd.DataFrame, tr: Translator, rule: Rule | None = None) -> go.Figure:
    """Horizontal bars: each district's poor rate (percent) in the year, coloured by its pace status, with its path
    value (percent) as a tick. One bar trace per status present, so the legend names every colour shown.

    `frame`: one row per district with unit_name, poor_rate, path_rate, status (a key of STATUS_COLOURS or None),
    protected by `disclosure.protect_progress` with `rule` when it has `hidden` columns: a district whose rate is
    hidden gets no bar, its row says the rule's marker ("≤9 hộ — ẩn"), and its status is `suppressed`.
    """
    # the rate the path and the goal judge: the poor rate, or for the urban / rural targets the rate without poor
    # social-protection households (`measure_value`)
    rate = "measure_value" if "measure_value" in frame.columns else "poor_rate"
    data = frame.assign(poor_rate=frame[rate]).sort_values("poor_rate", na_position="first")
    data = data.assign(rate_text=_figure_texts(data, rate, tr, rule), path_text=_figure_texts(data, "path_rate", tr,
                                                                                             rule))
    statuses = [None if is_missing(s) else s for s in data["status"]]
    # traces, shapes and layout as plain dicts handed to ONE `go.Figure(...)`: plotly validates each property once,
    # where `add_*` / `update_layout` calls each went through its update machinery again (a filter change rebuilds
    # this figure, issue 13)
    traces: list[dict[str, Any]] = []
    order = [s for s in STATUS_COLOURS if s in statuses] + sorted({s for s in statuses if s not in STATUS_COLOURS})
    for rank, status in enumerate(order):
        rows = data[[s == status for s in statuses]]
        traces.append(dict(
            type="bar", y=rows["unit_name"], x=rows["poor_rate"].fillna(0.0), orientation="h", name=tr.status(status),
            legendrank=rank, marker_color=STATUS_COLOURS.get(status, STATUS_COLOURS[None]),
            customdata=[[tr.status(status), r, p] for r, p in zip(rows["rate_text"], rows["path_text"], strict=True)],
            hovertemplate="<b>%{y}</b><br>" + tr("overview.poor_rate") + ": %{customdata[1]}<br>" + tr("traj.path")
            + ": %{customdata[2]}<br>%{customdata[0]}<extra></extra>",
        ))
    traces.append(dict(
        type="scatter", y=data["unit_name"], x=data["path_rate"], mode="markers", name=tr("traj.path"),
        legendrank=len(order), marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": PROVINCE}},
        hoverinfo="skip",
    ))
    # each rate printed just right of its bar; only when the path tick stands where the label would be is the label
    # moved past the tick (a label far from its bar beside a distant tick would read as the path's value)
    rates = [0.0 if is_missing(r) else float(r) for r in data["poor_rate"]]  # a hidden rate: its marker at 0
    span = max(rates + [0.0 if is_missing(p) else float(p) for p in data["path_rate"]] + [0.0]) or 1.0
    ends = [float(p) if not is_missing(p) and r <= float(p) <= r + 0.15 * span else r
            for r, p in zip(rates, data["path_rate"], strict=True)]
    traces.append(dict(type="scatter", y=data["unit_name"], x=ends, mode="text",
                       text=[f"  {t}" for t in data["rate_text"]], textposition="middle right", cliponaxis=False,
                       showlegend=False, hoverinfo="skip"))
    # a bar per unit: roomy for the 7 districts, tighter for the 25 current units
    layout = base_layout(tr, height=max(300, (46 if len(data) <= 10 else 30) * len(data) + 130))
    goals = {float(g) for g in data.get("goal_value", pd.Series(dtype=float)).dropna()}
    if len(goals) == 1 and "goal_strict" in data and bool(data["goal_strict"].iloc[0]):
        # the plan's end goal (one ceiling for every district, e.g. "under 1 %"), so the bars read against it too:
        # the line `add_vline` would draw (over the whole plot's height) and its label
        goal = goals.pop()
        layout["shapes"] = [{"type": "line", "x0": goal, "x1": goal, "xref": "x", "y0": 0, "y1": 1,
                             "yref": "y domain", "line": {"color": POOR, "width": 1.5, "dash": "dot"}}]
        layout["annotations"] = [{"x": goal, "y": 1, "yref": "paper", "yanchor": "bottom", "xanchor": "left",
                                  "showarrow": False, "font": {"size": 11, "color": POOR},
                                  "text": tr("chart.goal_line", goal=tr.pct(goal, 0 if goal.is_integer() else 2),
                                             year=int(data["goal_year"].iloc[0]))}]
        ends = [*ends, goal]  # a new list: the text trace holds the old one
    layout.update(
        barmode="overlay", legend={**layout["legend"], "y": -0.08},
        xaxis={"title": None, "range": [0, 1.3 * max([*ends, span])], "ticksuffix": " %"},
        yaxis={"title": None, "automargin": True, "categoryorder": "array",
               "categoryarray": list(data["unit_name"])})
    return go.Figure(data=traces, layout=layout)


def hidden_points(frame: pd.DataFrame, columns: list[str], tr: Translator, rule: Rule | None,
                  name: str) -> tuple[list[int], list[str]]:
    """The years of `frame` (one unit's rows) where a figure of `columns` is hidden, with a hover text each:
    "<name><br>2023: ≤9 hộ — ẩn". Empty without a rule or hidden figures."""
    years: list[int] = []
    texts: list[str] = []
    if rule is None:
        return years, texts
    why = [reasons(frame, c) for c in columns]
    for i, year in enumerate(frame["year"]):
        found = next((w[i] for w in why if w[i]), None)
        if found:
            years.append(int(year))
            texts.append(f"{name}<br>{int(year)}: {rule.marker(tr, found)}")
    return years, texts


class _Traces(list):
    """Traces collected as plain dicts (`add_scatter(**properties)`, as `go.Figure.add_scatter` is called) to hand
    to ONE `go.Figure(data=..., layout=...)`: plotly then validates each property once, where every `add_*` call
    went through its update machinery again (a filter change rebuilds these figures, issue 13)."""

    def add_scatter(self, **properties: Any) -> None:
        self.append({"type": "scatter", **properties})


def _vline(x: float, line: Mapping[str, Any]) -> dict[str, Any]:
    """The shape `go.Figure.add_vline(x=x, line=line)` adds: a vertical line over the plot's whole height."""
    return {"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", "line": dict(line)}


def _add_hidden_marks(fig: go.Figure | _Traces, points: list[tuple[int, str, str]], tr: Translator) -> None:
    """Hidden figures of a line chart as open crossed circles on the x axis (y = 0), one legend entry for all: a gap
    in a line is then read as hidden, never as missing. `points`: (year, hover text, colour); marks of one year sit
    side by side (0.08 of a year apart), so each keeps its own hover text."""
    if not points:
        return
    per_year: dict[int, int] = {}
    for year, _, _ in points:
        per_year[year] = per_year.get(year, 0) + 1
    seen: dict[int, int] = {}
    xs = []
    for year, _, _ in points:
        i = seen.get(year, 0)
        seen[year] = i + 1
        xs.append(year + 0.08 * (i - (per_year[year] - 1) / 2))
    fig.add_scatter(x=xs, y=[0.0] * len(points), mode="markers", name=tr("disclosure.legend"),
                    legendgroup="hidden", hovertext=[p[1] for p in points], hoverinfo="text", cliponaxis=False,
                    marker={"symbol": "circle-x-open", "size": 11, "color": [p[2] for p in points],
                            "line": {"width": 2}})


# The projection at the current pace (dashboard/pace.py): long dashes with open markers, lighter than the data, so
# it never reads as a measured line or as a target path (short dashes).
PROJECTION_DASH: Final = "longdash"
PROJECTION_OPACITY: Final = 0.55
PROJECTED_UNITS_MAX: Final = 8  # more unit lines than this (the 25 current units): only the total is projected


def _add_projection(fig: go.Figure | _Traces, row: pd.Series | None, name: str, colour: str, group: str, width: float,
                    tr: Translator) -> bool:
    """The projection line of one `dashboard.pace.projections` row, if it has one; whether one was drawn."""
    drawn = None if row is None else projection_line(row)
    if drawn is None:
        return False
    years, rates = drawn
    label = tr("pace.legend")
    fig.add_scatter(
        x=years, y=rates, mode="lines+markers", name=f"{name} ({label})", legendgroup=group, showlegend=False,
        opacity=PROJECTION_OPACITY, line={"color": colour, "dash": PROJECTION_DASH, "width": width},
        marker={"symbol": "circle-open", "size": 7, "color": colour},
        hovertemplate=f"{label}<br>{name}<br>%{{x}}: %{{y:.2f}} %<extra></extra>",
    )
    return True


@per_process
def trajectories(districts: pd.DataFrame, total: pd.DataFrame, measure: str, tr: Translator,
                 total_label: str, rule: Rule | None = None, colours: Mapping[str, str] | None = None,
                 projections: pd.DataFrame | None = None) -> go.Figure:
    """Poor / near-poor rates (percent) by year per district and for the total, each district's target path dashed.

    `projections`: `dashboard.pace.projections` rows of the districts and of the total (unit_code 'total'), or None:
    with the poor line, each projected unit gets a lighter long-dashed line from its value in the view year to the
    goal year (never below 0; legend key "Dự báo theo tốc độ hiện tại"); districts only when there are at most
    `PROJECTED_UNITS_MAX` of them, so the chart stays legible.

    `districts`, `total`: rows of `poor_rate_progress` (level district / total), protected by
    `disclosure.protect_progress` with `rule` when they have `hidden` columns: a hidden point is a gap in its line
    with an open crossed circle on the x axis (hover: the rule's marker). `measure`: poor, near_poor, both.
    The legend has one entry per district (clicking it toggles all that district's lines), one for the total, and a
    key saying once what each line style means; the figure grows with the legend so the plot keeps ≥ 300 px of height
    on a phone. `colours`: unit code → line colour (`theme.unit_colours`; default each district's `district_colour`).
    """
    fig = _Traces()  # the traces, as dicts: one `go.Figure` at the end
    # the poor line is the measure the path is drawn for: the poor rate, or for the urban / rural targets the rate
    # without poor social-protection households (`measure_value`; the page says so)
    poor_column = "measure_value" if "measure_value" in districts.columns else "poor_rate"
    series = [("poor", poor_column, "solid")] if measure in ("poor", "both") else []
    if measure in ("near_poor", "both"):
        series.append(("near_poor", "near_poor_rate", "dot"))
    with_path = measure in ("poor", "both")
    names: list[str] = []
    hidden: list[tuple[int, str, str]] = []
    projected = {} if projections is None else {str(r["unit_code"]): r for _, r in projections.iterrows()}
    project_units = districts["unit_code"].nunique() <= PROJECTED_UNITS_MAX
    projected_any = False
    for code, data in districts.groupby("unit_code", sort=True):
        name = str(data["unit_name"].iloc[0])
        names.append(name)
        colour = (colours or {}).get(str(code)) or district_colour(str(code))
        years, texts = hidden_points(data, [column for _, column, _ in series], tr, rule, name)
        hidden.extend((y, t, colour) for y, t in zip(years, texts, strict=True))
        for i, (kind, column, dash) in enumerate(series):
            fig.add_scatter(
                x=data["year"], y=data[column], mode="lines+markers", name=name, legendgroup=str(code),
                showlegend=i == 0, legendrank=len(names), line={"color": colour, "dash": dash, "width": 2},
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.2f}} %<extra>{tr(f'traj.{kind}')}</extra>",
            )
        if with_path:
            fig.add_scatter(
                x=data["year"], y=data["path_rate"], mode="lines", name=f"{name} ({tr('traj.path')})",
                legendgroup=str(code), showlegend=False, line={"color": colour, "dash": "dash", "width": 1},
                opacity=0.7, hovertemplate=f"{name} – {tr('traj.path')}<br>%{{x}}: %{{y:.2f}} %<extra></extra>",
            )
        if with_path and project_units:
            projected_any |= _add_projection(fig, projected.get(str(code)), name, colour, str(code), 1.5, tr)
    names.append(total_label)
    years, texts = hidden_points(total, [column for _, column, _ in series], tr, rule, total_label)
    hidden.extend((y, t, PROVINCE) for y, t in zip(years, texts, strict=True))
    for i, (kind, column, dash) in enumerate(series):
        fig.add_scatter(
            x=total["year"], y=total[column], mode="lines+markers", name=total_label, legendgroup="total",
            showlegend=i == 0, legendrank=len(names), line={"color": PROVINCE, "width": 4, "dash": dash},
            hovertemplate=f"{total_label}<br>%{{x}}: %{{y:.2f}} %<extra>{tr(f'traj.{kind}')}</extra>",
        )
    if with_path:
        fig.add_scatter(
            x=total["year"], y=total["path_rate"], mode="lines", name=f"{total_label} ({tr('traj.path')})",
            legendgroup="total", showlegend=False, line={"color": PATH, "width": 3, "dash": "dash"},
            hovertemplate=f"{total_label} – {tr('traj.path')}<br>%{{x}}: %{{y:.2f}} %<extra></extra>",
        )
        projected_any |= _add_projection(fig, projected.get("total"), total_label, PROVINCE, "total", 3, tr)
    if hidden:
        names.append(tr("disclosure.legend"))
        _add_hidden_marks(fig, hidden, tr)
    # The line styles, explained once (entries without data: they only show the style).
    key = [(tr(f"traj.measure.{kind}"), dash) for kind, _, dash in series] + ([(tr("traj.path"), "dash")]
                                                                              if with_path else [])
    if projected_any:
        key.append((tr("pace.legend"), PROJECTION_DASH))
    for label, dash in key:
        names.append(label)
        projection = dash == PROJECTION_DASH  # its sample as drawn: lighter, with open markers
        fig.add_scatter(x=[None], y=[None], mode="lines+markers" if projection else "lines", name=label,
                        legendgroup="key", legendrank=len(names), opacity=PROJECTION_OPACITY if projection else None,
                        marker={"symbol": "circle-open", "size": 7, "color": PATH} if projection else None,
                        line={"color": PATH, "dash": dash, "width": 2}, hoverinfo="skip")
    first_year = int(total["year"].min()) if len(total) else 2021
    # plot + top margin (the note on the change of standard) + x axis + the legend's rows on a phone
    layout = base_layout(tr, height=TRAJECTORY_PLOT_HEIGHT + 48 + 40 + LEGEND_ROW_HEIGHT * legend_rows(names))
    last_year = max([int(total["year"].max())] if len(total) else [], default=None)
    if projected_any:  # the projections end in the goal year, which may lie after the last review
        last_year = max([y for y in (last_year, *(line_end(r) for r in projected.values())) if y is not None])
    # traceorder "normal": entries flow in rows (a grouped legend stacks each group in a column of its own)
    layout.update(
        shapes=[_vline(first_year - 0.35, {"color": PATH, "width": 1, "dash": "dot"})],
        annotations=[{"x": first_year - 0.35, "y": 1, "yref": "paper", "text": _wrap(tr("traj.break_short"), 34),
                      "showarrow": False, "xanchor": "left", "yanchor": "bottom", "align": "left",
                      "font": {"size": 11, "color": PATH}}],
        margin={**layout["margin"], "t": 48},
        legend={**layout["legend"], "y": -0.08, "groupclick": "togglegroup", "traceorder": "normal",
                "itemwidth": 30, "font": {"size": LEGEND_FONT}},
        xaxis={"dtick": 1, "range": [first_year - 0.5, last_year + 0.3] if last_year is not None else None},
        yaxis={"title": tr("traj.axis_rate"), "rangemode": "tozero", "ticksuffix": " %"})
    return go.Figure(data=fig, layout=layout)


def line_end(row: pd.Series) -> int | None:
    """The last year of a `dashboard.pace.projections` row's projection line, None without one."""
    drawn = projection_line(row)
    return drawn[0][-1] if drawn else None


# Legend sizing for the narrowest screen served. On a 390 px phone the plot area is ~270 px wide (the y axis takes
# the rest), and a horizontal plotly legend is at most as wide as the plot area. When its entries need more than one
# row, plotly gives every entry the width of the widest (40 px of line sample and gaps, the text at ~6.5 px a character
# at 12 px, a 5 px gap), so the longest name decides how many entries share a row.
PHONE_LEGEND_WIDTH: Final = 260  # a little under 270: err towards one more row, never one too few
LEGEND_FONT: Final = 12
LEGEND_ROW_HEIGHT: Final = 20
TRAJECTORY_PLOT_HEIGHT: Final = 320


def legend_rows(labels: list[str], width_px: int = PHONE_LEGEND_WIDTH) -> int:
    """How many rows plotly's horizontal legend with these entries takes in `width_px` (an estimate, erring high)."""
    if not labels:
        return 0
    widths = [40 + 6.5 * len(label) + 5 for label in labels]
    if sum(widths) <= width_px:
        return 1
    per_row = max(1, int(width_px // max(widths)))
    return -(-len(labels) // per_row)


def _wrap(text: str, width: int) -> str:
    """`text` broken into lines of at most about `width` characters, joined by <br> (plotly annotations)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


@per_process
def commune_series(frame: pd.DataFrame, tr: Translator, rule: Rule | None = None,
                   projection: pd.Series | None = None) -> go.Figure:
    """One commune's poor and near-poor rates by year, with its target path; years whose figures are hidden
    (`disclosure.protect_progress` with `rule`) are gaps marked on the x axis. `projection`: the unit's
    `dashboard.pace.projections` row, or None: its projection at the current pace is drawn from the view year to the
    goal year as on the trajectories (lighter long dashes, named in the legend as a projection)."""
    fig = go.Figure()
    fig.add_scatter(x=frame["year"], y=frame["poor_rate"], mode="lines+markers", name=tr("col.poor_rate"),
                    line={"color": POOR, "width": 3})
    fig.add_scatter(x=frame["year"], y=frame["near_poor_rate"], mode="lines+markers", name=tr("col.near_poor_rate"),
                    line={"color": NEAR_POOR, "width": 3})
    fig.add_scatter(x=frame["year"], y=frame["path_rate"], mode="lines", name=tr("traj.path"),
                    line={"color": PATH, "width": 2, "dash": "dash"})
    name = str(frame["unit_name"].iloc[0]) if "unit_name" in frame.columns and len(frame) else ""
    if _add_projection(fig, projection, name, POOR, "projection", 2, tr):
        fig.add_scatter(x=[None], y=[None], mode="lines", name=tr("pace.legend"), legendgroup="projection",
                        opacity=PROJECTION_OPACITY, line={"color": POOR, "dash": PROJECTION_DASH, "width": 2},
                        hoverinfo="skip")
    years, texts = hidden_points(frame, ["poor_rate", "near_poor_rate"], tr, rule, name)
    _add_hidden_marks(fig, [(y, t, POOR) for y, t in zip(years, texts, strict=True)], tr)
    apply_layout(fig, tr, height=340)
    # the legend a little lower than the theme's: on a phone its rows (one per line style) would cover the years
    fig.update_layout(legend={"y": -0.2})
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %")
    return fig


@per_process
def deprivation_bars(frame: pd.DataFrame, tr: Translator, rule: Rule | None = None) -> go.Figure:
    """The 12 indicators: share of all households and of poor households deprived in each.

    `frame`: `commune_deprivation_breakdown` rows, protected by `disclosure.protect_breakdown` with `rule` when it has
    a `hidden_poor` column: hidden shares among poor households draw no bar, and their legend entry says the marker.
    """
    data = frame.sort_values("position", ascending=False)
    labels = data[f"label_{tr.lang}"]
    fig = go.Figure()
    hidden_poor = next((w for w in data.get("hidden_poor", pd.Series(dtype=object)) if isinstance(w, str)), None)
    poor_name = tr("col.share_poor") + (f" ({rule.marker(tr, hidden_poor)})" if hidden_poor and rule else "")
    fig.add_bar(y=labels, x=data["deprived_share_poor"], orientation="h", name=poor_name,
                marker_color=POOR, hovertemplate="%{y}: %{x:.1f} %<extra></extra>")
    fig.add_bar(y=labels, x=data["deprived_share_all"], orientation="h", name=tr("col.share_all"),
                marker_color=PATH, hovertemplate="%{y}: %{x:.1f} %<extra></extra>")
    apply_layout(fig, tr, height=520)
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(automargin=True)
    return fig


@per_process
def driver_bars(frame: pd.DataFrame, measure: str, tr: Translator, *, base_year: int | None = None,
                year: int | None = None) -> go.Figure:
    """One unit's indicators, in the standard's order top to bottom, as bars of `measure` (percent:
    'censored_headcount', 'share_among_poor' or 'contribution'); with `base_year`, the baseline year's value of the
    same measure (`baseline_<measure>`, from `drivers.with_baseline`) as grey bars beside them, for the indicators
    both standards count. No axis title: the page's control above the chart names the measure.

    `frame`: protected drivers rows (`drivers.unit_drivers`): hidden figures are NaN and draw no bar (the page says
    why instead of drawing the chart when the whole unit is hidden).
    """
    data = frame.sort_values("position", ascending=False)
    labels = [_wrap(str(label), 24) for label in data[f"label_{tr.lang}"]]
    fig = go.Figure()
    baseline = f"baseline_{measure}"
    if base_year is not None and baseline in data.columns and data[baseline].notna().any():
        fig.add_bar(y=labels, x=data[baseline], orientation="h", name=str(base_year), marker_color=PATH,
                    hovertemplate=f"%{{y}} ({base_year}): %{{x:.1f}} %<extra></extra>")
    name = str(year) if year is not None else tr(f"drivers.col.{measure}")
    fig.add_bar(y=labels, x=data[measure], orientation="h", name=name, marker_color=POOR,
                hovertemplate="%{y}: %{x:.1f} %<extra></extra>")
    apply_layout(fig, tr, height=max(360, 44 * len(data) + 80))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
                      margin={"l": 0, "r": 8, "t": 30, "b": 0})
    fig.update_xaxes(ticksuffix=" %", rangemode="tozero")
    fig.update_yaxes(automargin=True)
    return fig


@per_process
def drivers_side_by_side(frame: pd.DataFrame, tr: Translator, colours: Mapping[str, str],
                         rule: Rule | None = None, measure: str = "censored_headcount") -> go.Figure:
    """Several places' indicators side by side: one horizontal bar per place and indicator of `measure` (percent),
    the indicators in the standard's order top to bottom, one colour per place in the order of `frame` (the
    commune profile: the unit, its district, the province; the compare page: the places compared).

    `frame`: protected drivers rows (`drivers.unit_drivers`) of the places, with `place` (the key of `colours`) and
    `place_name` (its legend name); a hidden figure (`hidden_poor`) draws no bar and its hover says the rule's
    marker, never the number.
    """
    fig = go.Figure()
    order = frame.drop_duplicates("indicator").sort_values("position", ascending=False)
    labels = {code: _wrap(str(label), 24) for code, label in zip(order["indicator"], order[f"label_{tr.lang}"],
                                                                  strict=True)}
    places = list(dict.fromkeys(frame["place"]))
    # plotly draws a group's first trace at the bottom of each group: the places in reverse, so the first is on top
    for rank, place in enumerate(reversed(places)):
        rows = frame[frame["place"] == place].set_index("indicator").reindex(order["indicator"])
        why = [w if isinstance(w, str) else None for w in rows["hidden_poor"]]
        texts = [rule.marker(tr, w) if w and rule else tr.pct(v, 1) for v, w in zip(rows[measure], why, strict=True)]
        name = str(frame.loc[frame["place"] == place, "place_name"].iloc[0])
        fig.add_bar(y=[labels[c] for c in rows.index], x=rows[measure], orientation="h", name=name,
                    legendrank=len(places) - rank, marker_color=colours.get(place, PATH), customdata=texts,
                    hovertemplate=f"{name}<br>%{{y}}: %{{customdata}}<extra></extra>")
    apply_layout(fig, tr, height=max(360, (14 * len(places) + 16) * len(order) + 110))
    fig.update_layout(barmode="group", legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0,
                                               "traceorder": "normal"},
                      margin={"l": 0, "r": 8, "t": 30 + 20 * max(0, len(places) - 2), "b": 0})
    fig.update_xaxes(ticksuffix=" %", rangemode="tozero", title_text=tr(f"drivers.col.{measure}"))
    fig.update_yaxes(automargin=True)
    return fig


METRIC_COLUMNS: Final = {
    "poor_rate": "poor_rate",
    "near_poor_rate": "near_poor_rate",
    "change_since_baseline": "poor_change_since_baseline",
    "poor_households": "poor_households",
}
# Metrics that are changes (percentage points): drawn on a diverging scale centred on 0.
CHANGE_METRICS: Final = frozenset({"change_since_baseline"})
MAP_HEIGHT: Final = 500
# Plotly's `geo` subplot fetches a world basemap (cdn.plot.ly/world_110m.json) before it draws anything, even with
# every base layer hidden and the boundaries given as GeoJSON (plotly.js issue #6767): offline, or behind a firewall,
# the map would stay blank. Pointing `topojsonURL` at an empty topology in a data: URL satisfies that fetch without
# the network. Plotly appends "/world_110m.json" to the URL; after the "#" that is a fragment, which a data: URL
# ignores.
_EMPTY_TOPOLOGY = '{"type":"Topology","objects":{},"arcs":[]}'
MAP_CONFIG: Final = {"displayModeBar": False, "scrollZoom": False,
                     "topojsonURL": f"data:application/json,{quote(_EMPTY_TOPOLOGY)}#"}
UNRELIABLE_MARK: Final = "⚠"


def metric_text(value: float | None, metric: str, tr: Translator) -> str:
    """A map metric's value with its unit, once: `11,04 %`, `-1,90 điểm %`, `1.234 hộ` (— when missing)."""
    kind = "count" if metric == "poor_households" else "change" if metric in CHANGE_METRICS else "rate"
    return _measure_text(value, kind, tr)


def _measure_text(value: float | None, kind: str, tr: Translator) -> str:
    """A value of a `MapMeasure` kind with its unit: 'rate' → `11,04 %`, 'change' → `-1,90 điểm %`, 'count' →
    `1.234 hộ` (— when missing)."""
    if kind == "count":
        return MISSING if is_missing(value) else f"{tr.num(value)} {tr('unit.households')}"
    if kind == "change":
        return tr.pts(value)
    return tr.pct(value)


def map_scale(values: pd.Series, metric: str) -> tuple[float, float, object]:
    """(zmin, zmax, colour scale) for `metric` over these values.

    Changes: a range symmetric around 0 on the diverging scale, so white is exactly 0, blue fewer poor, red more
    (plotly ignores `zmid` once zmin and zmax are set, hence the symmetric range). Rates (percent) and counts
    (households): 0 to the largest value, light to dark.
    """
    return _scale(values, "change" if metric in CHANGE_METRICS else "rate")


def _scale(values: pd.Series, kind: str) -> tuple[float, float, object]:
    """`map_scale` for a `MapMeasure` kind: 'change' diverging around 0, the others 0 to the largest value."""
    present = values.dropna()
    if kind == "change":
        bound = float(present.abs().max()) if len(present) else 0.0
        bound = bound or 1.0
        return -bound, bound, [list(stop) for stop in DIVERGING]
    high = float(present.max()) if len(present) else 0.0
    return 0.0, high or 1.0, SEQUENTIAL


def unreliable_flags(frame: pd.DataFrame) -> list[bool]:
    """Per row: whether its rate rests on too few households (the optional boolean column `unreliable`)."""
    if "unreliable" not in frame.columns:
        return [False] * len(frame)
    return [bool(v) and not is_missing(v) for v in frame["unreliable"]]


def mark_unreliable(frame: pd.DataFrame, tr: Translator, column: str = "unit_name") -> pd.DataFrame:
    """A copy of `frame` whose `column` (a name) ends with "⚠ few households, unreliable rate" where the row's
    `unreliable` is true; unchanged when the frame has no `unreliable` column."""
    flags = unreliable_flags(frame)
    if not any(flags):
        return frame
    note = f" {UNRELIABLE_MARK} {tr('map.unreliable')}"
    names = [str(name) + note if flag and not str(name).endswith(note) else name
             for name, flag in zip(frame[column], flags, strict=True)]
    return frame.assign(**{column: names})


def _hover_details(row: pd.Series, metric: str, tr: Translator, unreliable: bool, year_hidden: bool = False
                   ) -> list[str]:
    """Hover lines under a commune's metric: its poor rate for a change, the household counts, the reliability; no
    figure of the year when its cell is hidden (`year_hidden`: the metric's line already says so)."""
    lines = []
    if year_hidden:
        return lines
    if metric in CHANGE_METRICS:
        lines.append(f"{tr('map.hover.poor_rate')}: {metric_text(row['poor_rate'], 'poor_rate', tr)}")
    lines.append(tr("map.hover.households", poor=tr.num(row["poor_households"]),
                    near=tr.num(row["near_poor_households"]), total=tr.num(row["households"])))
    if unreliable:
        lines.append(f"{UNRELIABLE_MARK} {tr('map.unreliable')}")
    return lines


def _flat_layer(geojson: dict[str, Any], codes: list[str], colour: str, text: Any, hovertemplate: str,
                name: str) -> dict[str, Any]:
    """The trace (a dict for `go.Figure`) of communes `codes` filled in one `colour` (hidden figures, no data), with
    their own legend entry `name`."""
    return dict(
        type="choropleth", geojson=_subset(geojson, codes), featureidkey="id", locations=codes, z=[0] * len(codes),
        colorscale=[[0, colour], [1, colour]], showscale=False, customdata=[[c] for c in codes], text=text,
        hovertemplate=hovertemplate, marker={"line": {"width": 0.6, "color": BORDER}}, name=name, showlegend=True,
    )


@dataclass(frozen=True)
class MapMeasure:
    """What a map of units colours: the frame's `column`, its `title` (the colour bar's) and `hover` label, and its
    `kind`: 'rate' (percent, light to dark from 0), 'change' (percentage points, diverging around 0) or 'count'
    (households, light to dark from 0)."""

    column: str
    title: str
    hover: str
    kind: str = "rate"


def metric_measure(metric: str, tr: Translator) -> MapMeasure:
    """The map page's `metric` (`dashboard.filters.METRICS`) as a `MapMeasure` of `poor_rate_progress` rows."""
    kind = "change" if metric in CHANGE_METRICS else "count" if metric == "poor_households" else "rate"
    return MapMeasure(METRIC_COLUMNS[metric], tr(f"map.scale.{metric}"), tr(f"map.hover.{metric}"), kind)


@per_process
def commune_map(frame: pd.DataFrame, metric: str, tr: Translator, *, units: pd.DataFrame,
                communes_geojson: dict[str, Any] | None, centres: pd.DataFrame | None,
                outlines: list[tuple[list[float | None], list[float | None]]],
                rule: Rule | None = None) -> go.Figure:
    """Every commune of `units` coloured by `metric`, or grey where there is no data; fitted to any screen.

    `frame`: `poor_rate_progress` rows (level commune) for one year, with the optional boolean `unreliable`; when
    protected by `disclosure.protect_progress` with `rule`, communes whose metric is hidden are drawn in their own
    violet trace (`theme.SUPPRESSED`, legend "hidden to protect small numbers"), their hover text saying the rule's
    marker instead of any figure of theirs that is hidden; their values never enter the colour scale.
    `units`: the communes the map covers (commune_code, commune_name, district_name): each is drawn, those absent
    from `frame` (no household reviewed in the selection) or without a value in grey, named "No data".
    `communes_geojson`: boundaries with feature ids = commune codes; None → circles at `centres` (commune_code, lat,
    lon) sized by households. `outlines`: district rings (lons, lats) drawn on top.

    A plotly `geo` subplot with no basemap and `fitbounds="locations"`: the browser fits the communes to the
    container's real size (a phone or a laptop), nothing is fetched from the internet, and clicking a commune
    selects it (the selection event's points carry `location`, and `customdata[0]`, the commune code).
    """
    measure = metric_measure(metric, tr)
    data = frame.reset_index(drop=True)
    flags = unreliable_flags(data)
    why = reasons(data, measure.column) if rule is not None else [None] * len(data)
    year_hidden = reasons(data, "households") if rule is not None else [None] * len(data)
    details = {code: _hover_details(row, metric, tr, flag, bool(gone))
               for (code, row), flag, gone in zip(data.set_index("unit_code").iterrows(), flags, year_hidden,
                                                  strict=True)}
    return unit_map(data, measure, tr, units=units, communes_geojson=communes_geojson, centres=centres,
                    outlines=outlines, rule=rule, hidden=why, details=details)


def unit_map(frame: pd.DataFrame, measure: MapMeasure, tr: Translator, *, units: pd.DataFrame,
             communes_geojson: dict[str, Any] | None, centres: pd.DataFrame | None,
             outlines: list[tuple[list[float | None], list[float | None]]], rule: Rule | None = None,
             hidden: list[str | None] | None = None, details: Mapping[str, list[str]] | None = None) -> go.Figure:
    """The choropleth behind `commune_map` (and the drivers page's map), for any `measure` of a frame of units.

    `frame`: one row per unit (unit_code, unit_name, district_name, households and `measure.column`); `hidden`: per
    row, why its value is hidden from this viewer (the rule's reason, or None): such units are drawn violet with
    the rule's marker, their values never entering the colour scale; `details`: hover lines under the value, by
    unit code. `units`, `communes_geojson`, `centres`, `outlines`: as `commune_map`.
    """
    column = measure.column
    data = frame.reset_index(drop=True)
    why = list(hidden) if hidden is not None else [None] * len(data)
    details = details or {}
    covered = data["unit_code"].isin(units["commune_code"]).to_numpy()
    hidden_mask = [bool(w) and bool(c) for w, c in zip(why, covered, strict=True)]
    hidden_rows = data[hidden_mask]
    shown = data[data[column].notna() & ~pd.Series(hidden_mask, index=data.index, dtype=bool)]
    low, high, colorscale = _scale(shown[column], measure.kind)
    text = ["<br>".join([f"<b>{name}</b>", *_district_line(name, district),
                         f"{measure.hover}: {_measure_text(value, measure.kind, tr)}", *details.get(code, [])])
            for code, name, district, value in zip(shown["unit_code"], shown["unit_name"], shown["district_name"],
                                                   shown[column], strict=True)]
    hidden_name = tr("disclosure.legend")
    hidden_why = [w for w, h in zip(why, hidden_mask, strict=True) if h]
    hidden_text = ["<br>".join([f"<b>{name}</b>", *_district_line(name, district), f"{measure.hover}: "
                                + (rule.marker(tr, w) if rule else ""), *details.get(code, [])])
                   for code, name, district, w in zip(hidden_rows["unit_code"], hidden_rows["unit_name"],
                                                      hidden_rows["district_name"], hidden_why, strict=True)]
    # the communes drawn grey: in `units` but not in the frame, or in it without a value for this measure
    blank = units[~units["commune_code"].isin(shown["unit_code"])
                  & ~units["commune_code"].isin(hidden_rows["unit_code"])]
    no_data = tr("map.no_data_unit")
    blank_text = ["<br>".join([f"<b>{name}</b>", *_district_line(name, district), no_data, *details.get(code, [])])
                  for code, name, district in zip(blank["commune_code"], blank["commune_name"],
                                                  blank["district_name"], strict=True)]
    colorbar = {"title": {"text": measure.title, "side": "top"}, "orientation": "h", "thickness": 12,
                "lenmode": "pixels", "len": 320, "x": 0.5, "xanchor": "center", "y": 0, "yanchor": "top"}
    hovertemplate = "%{text}<extra></extra>"
    # traces and layout as dicts to one `go.Figure`: each `add_*` / `update_*` call went through plotly's update
    # machinery again (the drivers page redraws this map on every filter change, issue 13)
    traces: list[dict[str, Any]] = []
    if communes_geojson is not None:
        traces.append(dict(
            type="choropleth", geojson=_subset(communes_geojson, shown["unit_code"]), featureidkey="id",
            locations=shown["unit_code"], z=shown[column], zmin=low, zmax=high, colorscale=colorscale,
            colorbar=colorbar, customdata=[[c] for c in shown["unit_code"]], text=text, hovertemplate=hovertemplate,
            marker={"line": {"width": 0.6, "color": BORDER}}, showlegend=False, name=measure.title,
        ))
        if len(hidden_rows):
            traces.append(_flat_layer(communes_geojson, list(hidden_rows["unit_code"]), SUPPRESSED, hidden_text,
                                      hovertemplate, hidden_name))
        if len(blank):
            traces.append(_flat_layer(communes_geojson, list(blank["commune_code"]), NO_DATA, blank_text,
                                      hovertemplate, no_data))
    else:
        located = shown.merge(centres, left_on="unit_code", right_on="commune_code", how="left")
        size = located["households"].clip(lower=1) ** 0.5
        traces.append(dict(
            type="scattergeo", lat=located["lat"], lon=located["lon"], mode="markers",
            customdata=[[c] for c in located["unit_code"]], text=text, hovertemplate=hovertemplate,
            showlegend=False, name=measure.title,
            marker={"size": 8 + 22 * size / float(size.max() or 1), "color": located[column], "cmin": low,
                    "cmax": high, "colorscale": colorscale, "colorbar": colorbar, "showscale": True,
                    "opacity": 0.9, "line": {"width": 0.6, "color": BORDER}},
        ))
        if len(hidden_rows):
            where = hidden_rows.merge(centres, left_on="unit_code", right_on="commune_code", how="left")
            traces.append(dict(
                type="scattergeo", lat=where["lat"], lon=where["lon"], mode="markers",
                customdata=[[c] for c in where["unit_code"]], text=hidden_text, hovertemplate=hovertemplate,
                name=hidden_name, showlegend=True,
                marker={"size": 10, "color": SUPPRESSED, "symbol": "circle-x",
                        "line": {"width": 0.6, "color": BORDER}},
            ))
        if len(blank):
            where = blank.merge(centres, on="commune_code", how="left")
            traces.append(dict(
                type="scattergeo", lat=where["lat"], lon=where["lon"], mode="markers",
                customdata=[[c] for c in where["commune_code"]], text=blank_text, hovertemplate=hovertemplate,
                name=no_data, showlegend=True,
                marker={"size": 8, "color": NO_DATA, "line": {"width": 0.6, "color": BORDER}},
            ))
    lons, lats = _joined(outlines)
    if lons:
        traces.append(dict(type="scattergeo", lon=lons, lat=lats, mode="lines",
                           line={"width": 1.8, "color": PROVINCE}, hoverinfo="skip", showlegend=False))
    layout = base_layout(tr, height=MAP_HEIGHT)
    layout.update(
        geo={"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"},
             "bgcolor": "rgba(0,0,0,0)"},
        margin={"l": 0, "r": 0, "t": 0, "b": 0}, clickmode="event+select", dragmode=False,
        legend={**layout["legend"], "orientation": "v", "x": 0, "xanchor": "left", "y": 1, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0.85)"})
    return go.Figure(data=traces, layout=layout)


def _district_line(name: object, district: object) -> list[str]:
    """The hover's district line under a unit's name: none for a current unit (no district; its group is itself)."""
    return [] if district is None or pd.isna(district) or str(district) == str(name) else [str(district)]


def _subset(collection: dict[str, Any], codes: pd.Series) -> dict[str, Any]:
    """The features of these codes only: each trace sends just its own boundaries to the browser."""
    wanted = set(codes)
    return {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] in wanted]}


def _joined(outlines: list[tuple[list[float | None], list[float | None]]]) -> tuple[list, list]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for x, y in outlines:
        lons.extend(x)
        lats.extend(y)
    return lons, lats


# ---------------------------------------------------------------------------------------------------------------------
# Flows between two reviews (pages/flows.py, dashboard/flows.py)

# The classes of `household_flows` on the Sankey: the class colours, blue for average living standard, green above
# it, greys for households without a review in the selection that year.
FLOW_CLASS_COLOURS: Final = {"poor": POOR, "near_poor": NEAR_POOR, "average": "#4dabf7", "above": "#2f9e44",
                             "not_reviewed": NO_DATA, "outside": PATH}
# The waterfall of poor households: steps that add households to the class in red, steps that take them out in green,
# the two totals near-black. For the near-poor class a step's direction says nothing of good or bad (households that
# became poor leave it, households that escaped poverty join it), so its steps are drawn in two neutral colours.
FLOW_UP: Final = POOR
FLOW_DOWN: Final = "#2f9e44"
NEUTRAL_UP: Final = "#868e96"
NEUTRAL_DOWN: Final = "#4dabf7"


@per_process
def flow_waterfall(steps: pd.DataFrame, tr: Translator, unit: str, *, neutral: bool = False) -> go.Figure:
    """The accounting of one class from the review of Y − 1 to Y as a horizontal waterfall, read top to bottom: the
    start, each category's step (signed), the end. `neutral`: steps in two neutral colours instead of red (more in the
    class) and green (fewer): for the near-poor class, where neither direction is good or bad by itself.

    `steps`: `dashboard.flows.waterfall_steps` (label, value, measure, kind); `unit`: the word after each number in
    the hover ("hộ" / "households", "người" / "people"). Labels on the axis (long names read well on a phone);
    each bar carries its number in the page's format."""
    values = [float(v) for v in steps["value"]]
    texts = [tr.num(v) if m != "relative" else ("+" if v > 0 else "−" if v < 0 else "") + tr.num(abs(v))
             for v, m in zip(values, steps["measure"], strict=True)]
    # lines of at most 20 characters, never broken at a hyphen ("near-poor" stays whole)
    labels = ["<br>".join(textwrap.wrap(str(label), 20, break_on_hyphens=False)) or str(label)
              for label in steps["label"]]
    trace = dict(
        type="waterfall", orientation="h", y=labels, x=values, measure=list(steps["measure"]), text=texts,
        textposition="outside", cliponaxis=False, customdata=[[t, unit] for t in texts],
        hovertemplate="%{y}: %{customdata[0]} %{customdata[1]}<extra></extra>",
        increasing={"marker": {"color": NEUTRAL_UP if neutral else FLOW_UP}},
        decreasing={"marker": {"color": NEUTRAL_DOWN if neutral else FLOW_DOWN}},
        totals={"marker": {"color": PROVINCE}}, connector={"line": {"color": BORDER, "width": 1, "dash": "dot"}},
    )
    lines = sum(label.count("<br>") + 1 for label in labels)  # a step of two or three lines needs more height
    running, high = 0.0, 0.0
    for value, measure in zip(values, steps["measure"], strict=True):
        running = value if measure == "absolute" else running + value if measure == "relative" else running
        high = max(high, running)
    # the numbers are on the bars: no axis, and room on both sides for a number beside a bar (a step down that
    # reaches the start of the axis writes its number to the left of it, not over the labels)
    span = high or 1.0
    # the trace and the layout as dicts to one `go.Figure` (each `update_*` call validates again; issue 13)
    layout = base_layout(tr, height=max(260, 20 * len(steps) + 17 * lines + 30), legend=False)
    layout.update(margin={"l": 8, "r": 8, "t": 8, "b": 8},
                  yaxis={"autorange": "reversed", "automargin": True, "title": None},
                  xaxis={"title": None, "range": [-0.18 * span, 1.25 * span], "showticklabels": False,
                         "showgrid": False, "zeroline": False})
    return go.Figure(data=[trace], layout=layout)


SANKEY_HEIGHT: Final = 420
SANKEY_PAD: Final = 18  # pixels between two nodes of a column


@per_process
def flow_sankey(links: pd.DataFrame, tr: Translator, start_year: int, end_year: int, unit: str) -> go.Figure:
    """Households (or people) moving between classes from the review of `start_year` to that of `end_year`: a node
    per class present on each side (short names), a link per `dashboard.flows.sankey_links` row (start_class,
    end_class, value), coloured by the class it starts from. The two years are written above their columns."""
    order = [c for c in FLOW_CLASS_COLOURS if c in set(links["start_class"])]
    ends = [c for c in FLOW_CLASS_COLOURS if c in set(links["end_class"])]
    index = {("start", c): i for i, c in enumerate(order)} | {("end", c): len(order) + i for i, c in enumerate(ends)}
    labels = [tr(f"flows.class_short.{c}") for c in order] + [tr(f"flows.class_short.{c}") for c in ends]
    colours = [FLOW_CLASS_COLOURS[c] for c in order] + [FLOW_CLASS_COLOURS[c] for c in ends]
    values = [float(v) for v in links["value"]]
    link_texts = [f"{tr(f'flows.class_short.{a}')} → {tr(f'flows.class_short.{b}')}: {tr.num(v)} {unit}"
                  for a, b, v in zip(links["start_class"], links["end_class"], values, strict=True)]
    node_texts = [f"{label}: {tr.num(v)} {unit}" for label, v in zip(labels, _node_totals(links, order, ends),
                                                                       strict=True)]
    totals = _node_totals(links, order, ends)
    ys = _stacked(totals[:len(order)], totals[len(order):], SANKEY_HEIGHT - 38)
    trace = dict(
        # arrangement: the classes in their order, top to bottom, on both sides (not where plotly puts them)
        type="sankey", arrangement="fixed",
        node={"label": labels, "color": colours, "pad": SANKEY_PAD, "thickness": 16, "customdata": node_texts,
              "hovertemplate": "%{customdata}<extra></extra>", "line": {"width": 0},
              "x": [0.001] * len(order) + [0.999] * len(ends), "y": ys},
        link={"source": [index[("start", c)] for c in links["start_class"]],
              "target": [index[("end", c)] for c in links["end_class"]], "value": values,
              "color": [_faded(FLOW_CLASS_COLOURS[c]) for c in links["start_class"]], "customdata": link_texts,
              "hovertemplate": "%{customdata}<extra></extra>"},
    )
    # the trace, the two years above their columns and the layout as dicts to one `go.Figure` (issue 13)
    layout = base_layout(tr, height=SANKEY_HEIGHT, legend=False)
    layout.update(margin={"l": 8, "r": 8, "t": 30, "b": 8}, annotations=[
        {"x": x, "y": 1.0, "xref": "paper", "yref": "paper", "yanchor": "bottom", "xanchor": anchor,
         "showarrow": False, "text": f"<b>{year}</b>", "font": {"size": 13}}
        for x, anchor, year in ((0, "left", start_year), (1, "right", end_year))])
    return go.Figure(data=[trace], layout=layout)


def _stacked(left: list[float], right: list[float], plot_height: float) -> list[float]:
    """Each node's centre (0 at the top, 1 at the bottom) when the nodes of each column are stacked in order with
    `SANKEY_PAD` pixels between them, scaled as plotly scales them (the column that needs it most fills the
    height)."""
    pad = SANKEY_PAD / plot_height
    scale = min((1 - (len(side) - 1) * pad) / (sum(side) or 1.0) for side in (left, right) if side)
    out = []
    for side in (left, right):
        top = 0.0
        for value in side:
            height = value * scale
            out.append(min(max(top + height / 2, 0.001), 0.999))
            top += height + pad
    return out


def _node_totals(links: pd.DataFrame, starts: list[str], ends: list[str]) -> list[float]:
    """Each node's total: what leaves a start class, what reaches an end class."""
    out = [float(links.loc[links["start_class"] == c, "value"].sum()) for c in starts]
    return out + [float(links.loc[links["end_class"] == c, "value"].sum()) for c in ends]


def _faded(colour: str, alpha: float = 0.45) -> str:
    """A `#rrggbb` colour as `rgba(…)` with `alpha`, for the Sankey's links."""
    red, green, blue = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({red},{green},{blue},{alpha})"
