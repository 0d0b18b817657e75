"""Figure builders: frames in, plotly figures out. No queries, no widgets."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import Translator
from dashboard.theme import (
    NEAR_POOR,
    PATH,
    POOR,
    PROVINCE,
    STATUS_COLOURS,
    apply_layout,
    district_colours,
)


def district_status_bars(frame: pd.DataFrame, tr: Translator) -> go.Figure:
    """Horizontal bars: each district's poor rate in the year, coloured by status, with its path value as a tick.

    `frame`: one row per district with unit_name, poor_rate, path_rate, status.
    """
    data = frame.sort_values("poor_rate")
    fig = go.Figure()
    fig.add_bar(
        y=data["unit_name"], x=data["poor_rate"], orientation="h",
        marker_color=[STATUS_COLOURS.get(s, STATUS_COLOURS[None]) for s in data["status"]],
        text=[tr.pct(v) for v in data["poor_rate"]], textposition="outside", cliponaxis=False,
        customdata=[[tr.status(s), tr.pct(p)] for s, p in zip(data["status"], data["path_rate"], strict=True)],
        hovertemplate="%{y}<br>" + tr("overview.poor_rate") + ": %{text}<br>" + tr("col.path_rate")
        + ": %{customdata[1]}<br>%{customdata[0]}<extra></extra>",
        name=tr("overview.poor_rate"),
    )
    fig.add_scatter(
        y=data["unit_name"], x=data["path_rate"], mode="markers", name=tr("traj.path"),
        marker={"symbol": "line-ns", "size": 22, "line": {"width": 3, "color": PROVINCE}},
        hoverinfo="skip",
    )
    apply_layout(fig, tr, height=max(260, 46 * len(data) + 80))
    fig.update_xaxes(title=None, rangemode="tozero", ticksuffix=" %")
    fig.update_yaxes(title=None, automargin=True)
    return fig


def trajectories(districts: pd.DataFrame, total: pd.DataFrame, measure: str, tr: Translator,
                 total_label: str) -> go.Figure:
    """Poor / near-poor lines per district and for the total, each district's target path dashed.

    `districts`, `total`: rows of `poor_rate_progress` (level district / total). `measure`: poor, near_poor, both.
    """
    fig = go.Figure()
    colours = district_colours(list(districts["unit_code"].unique()))
    series = [("poor", "poor_rate", "solid")] if measure in ("poor", "both") else []
    if measure in ("near_poor", "both"):
        series.append(("near_poor", "near_poor_rate", "dot"))
    for code, data in districts.groupby("unit_code", sort=True):
        name = str(data["unit_name"].iloc[0])
        for kind, column, dash in series:
            fig.add_scatter(
                x=data["year"], y=data[column], mode="lines+markers", name=f"{name} ({tr(f'traj.{kind}')})",
                legendgroup=code, line={"color": colours[code], "dash": dash, "width": 2},
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.2f}} %<extra>{tr(f'traj.{kind}')}</extra>",
            )
        if measure in ("poor", "both"):
            fig.add_scatter(
                x=data["year"], y=data["path_rate"], mode="lines", name=f"{name} ({tr('traj.path')})",
                legendgroup=code, showlegend=False, line={"color": colours[code], "dash": "dash", "width": 1},
                opacity=0.7, hovertemplate=f"{name} – {tr('traj.path')}<br>%{{x}}: %{{y:.2f}} %<extra></extra>",
            )
    for kind, column, dash in series:
        fig.add_scatter(
            x=total["year"], y=total[column], mode="lines+markers", name=f"{total_label} ({tr(f'traj.{kind}')})",
            line={"color": PROVINCE, "width": 4, "dash": dash},
            hovertemplate=f"{total_label}<br>%{{x}}: %{{y:.2f}} %<extra>{tr(f'traj.{kind}')}</extra>",
        )
    if measure in ("poor", "both"):
        fig.add_scatter(
            x=total["year"], y=total["path_rate"], mode="lines", name=f"{total_label} ({tr('traj.path')})",
            line={"color": PATH, "width": 3, "dash": "dash"},
            hovertemplate=f"{total_label} – {tr('traj.path')}<br>%{{x}}: %{{y:.2f}} %<extra></extra>",
        )
    first_year = int(total["year"].min()) if len(total) else 2021
    fig.add_vline(x=first_year - 0.35, line={"color": PATH, "width": 1, "dash": "dot"})
    fig.add_annotation(x=first_year - 0.35, y=1, yref="paper", text=tr("traj.break_short"), showarrow=False,
                       xanchor="left", yanchor="bottom", font={"size": 11, "color": PATH})
    apply_layout(fig, tr, height=520)
    fig.update_xaxes(dtick=1, range=[first_year - 0.5, int(total["year"].max()) + 0.3] if len(total) else None)
    fig.update_yaxes(title=tr("traj.axis_rate"), rangemode="tozero", ticksuffix=" %")
    return fig


def commune_series(frame: pd.DataFrame, tr: Translator) -> go.Figure:
    """One commune's poor and near-poor rates by year, with its target path."""
    fig = go.Figure()
    fig.add_scatter(x=frame["year"], y=frame["poor_rate"], mode="lines+markers", name=tr("col.poor_rate"),
                    line={"color": POOR, "width": 3})
    fig.add_scatter(x=frame["year"], y=frame["near_poor_rate"], mode="lines+markers", name=tr("col.near_poor_rate"),
                    line={"color": NEAR_POOR, "width": 3})
    fig.add_scatter(x=frame["year"], y=frame["path_rate"], mode="lines", name=tr("traj.path"),
                    line={"color": PATH, "width": 2, "dash": "dash"})
    apply_layout(fig, tr, height=340)
    fig.update_xaxes(dtick=1)
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %")
    return fig


def deprivation_bars(frame: pd.DataFrame, tr: Translator) -> go.Figure:
    """The 12 indicators: share of all households and of poor households deprived in each."""
    data = frame.sort_values("position", ascending=False)
    labels = data[f"label_{tr.lang}"]
    fig = go.Figure()
    fig.add_bar(y=labels, x=data["deprived_share_poor"], orientation="h", name=tr("col.share_poor"),
                marker_color=POOR, hovertemplate="%{y}: %{x:.1f} %<extra></extra>")
    fig.add_bar(y=labels, x=data["deprived_share_all"], orientation="h", name=tr("col.share_all"),
                marker_color=PATH, hovertemplate="%{y}: %{x:.1f} %<extra></extra>")
    apply_layout(fig, tr, height=520)
    fig.update_layout(barmode="group")
    fig.update_xaxes(range=[0, 100], ticksuffix=" %")
    fig.update_yaxes(automargin=True)
    return fig


METRIC_COLUMNS = {
    "poor_rate": "poor_rate",
    "near_poor_rate": "near_poor_rate",
    "change_since_baseline": "poor_change_since_baseline",
    "poor_households": "poor_households",
}


def _metric_text(value: float, metric: str, tr: Translator) -> str:
    if metric == "poor_households":
        return tr.num(value)
    if metric == "change_since_baseline":
        return tr.pts(value)
    return tr.pct(value)


def map_view(bounds: list[tuple[float, float, float, float]], *, width_px: int = 340,
             height_px: int = 520) -> dict[str, object]:
    """Centre and zoom that fit these (min lon, min lat, max lon, max lat) boxes in a map of about this size.

    Pass the width of the screen at hand (`layout.content_width_px`): too wide and a phone crops the selection,
    too narrow and a laptop shows it small in a wide margin.
    """
    if not bounds:
        return {"center": {"lon": 105.55, "lat": 9.33}, "zoom": 8.0}
    west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
    east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
    lon_span = max(east - west, 0.02) * 1.08
    lat_span = max(north - south, 0.02) * 1.08
    # Web Mercator with 512 px tiles: at zoom z a degree spans 512·2^z/360 px (close to the equator, both axes).
    zoom = math.log2(min(360 * width_px / 512 / lon_span, 360 * height_px / 512 / lat_span))
    return {"center": {"lon": (west + east) / 2, "lat": (south + north) / 2}, "zoom": round(zoom, 2)}


def commune_map(frame: pd.DataFrame, metric: str, tr: Translator, *, communes_geojson: dict | None,
                outlines: list[tuple[list[float | None], list[float | None]]], centres: pd.DataFrame | None,
                view: dict[str, object], tiles: bool = False) -> go.Figure:
    """The communes coloured by `metric` (choropleth, or circles at commune centres without boundaries).

    `frame`: `poor_rate_progress` rows (level commune) for one year. `outlines`: district rings drawn on top.
    `view`: centre and zoom (`map_view`). Without `tiles` the map has
    a blank background and fetches nothing from the internet; with it, OpenStreetMap tiles are drawn underneath.
    """
    column = METRIC_COLUMNS[metric]
    data = frame.reset_index(drop=True)
    custom = list(zip(
        data["unit_name"], data["district_name"], [_metric_text(v, metric, tr) for v in data[column]],
        [tr.num(v) for v in data["households"]], data["unit_code"], strict=True,
    ))
    hover = (f"<b>%{{customdata[0]}}</b><br>%{{customdata[1]}}<br>{tr(f'metric.{metric}')}: %{{customdata[2]}}"
             f"<br>{tr('col.households')}: %{{customdata[3]}}<extra></extra>")
    diverging = metric == "change_since_baseline"
    scale = {
        "colorscale": "RdBu_r" if diverging else "OrRd",
        "colorbar": {"title": {"text": ""}, "thickness": 12, "len": 0.8, "orientation": "h", "y": -0.02,
                     "yanchor": "top"},
    }
    # Rates start at 0; changes are centred on 0 (blue = fewer poor, red = more).
    low, high = 0.0, float(data[column].max() or 1)
    if diverging:
        low, high = float(min(data[column].min(), 0)), float(max(data[column].max(), 0))
    fig = go.Figure()
    if communes_geojson is not None:
        fig.add_choroplethmap(geojson=communes_geojson, featureidkey="id", locations=data["unit_code"],
                              z=data[column], zmin=low, zmax=high, zmid=0 if diverging else None,
                              customdata=custom, hovertemplate=hover,
                              marker_opacity=0.8 if tiles else 1.0, marker_line={"width": 0.6, "color": "white"},
                              **scale)
    else:
        located = data.merge(centres, left_on="unit_code", right_on="commune_code", how="left")
        size = located["households"].clip(lower=1) ** 0.5
        fig.add_scattermap(
            lat=located["lat"], lon=located["lon"], mode="markers", customdata=custom, hovertemplate=hover,
            marker={"size": 8 + 22 * size / float(size.max() or 1), "color": located[column], "cmin": low,
                    "cmax": high, "cmid": 0 if diverging else None, "opacity": 0.9, **scale},
            showlegend=False,
        )
    lines = _joined(outlines)
    if lines[0]:
        fig.add_scattermap(lon=lines[0], lat=lines[1], mode="lines", line={"width": 1.8, "color": "#343a40"},
                           hoverinfo="skip", showlegend=False)
    apply_layout(fig, tr, height=560, legend=False)
    fig.update_layout(map={"style": "open-street-map" if tiles else "white-bg", **view},
                      margin={"l": 0, "r": 0, "t": 0, "b": 0}, clickmode="event+select")
    return fig


def _joined(outlines: list[tuple[list[float | None], list[float | None]]]) -> tuple[list, list]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    for x, y in outlines:
        lons.extend(x)
        lats.extend(y)
    return lons, lats
