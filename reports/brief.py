"""`python -m reports.brief`: the one-page brief of a place and a year, for a meeting (issue 12, part 5).

    python -m reports.brief --year Y [--district CODE | --commune CODE] [--units former|current] [--lang vi|en]
                            [--db PATH] OUT.pdf

One A4 page (portrait), in Vietnamese by default (`--lang en`: English), about the province (no place given), a
former district (`--district`) or a commune-level unit (`--commune`: a former commune, or in the current units a
current commune or ward):

- the title: the place's name and the year, the unit set;
- the headline poor rate (and, for the urban / rural targets, the rate the target judges), its change since the
  previous review, the households; its pace on its own path (R, `queries/status.py`) and the plan's end goal, judged
  exactly as the overview judges them (rates rounded as shown, Vietnamese number format);
- the trajectory: the rate by review year against its target path, the plan's goal and, dashed, the projection at
  the recent pace (`queries/pace.py`); partial years left out as the trajectories page leaves them out;
- the map of the set's units with the place highlighted (`geo.load_boundaries`; without boundary files the brief
  says the map is unavailable, as the map page does);
- the three deprivations that weigh most on the place's poor households (`queries/deprivation_drivers.sql`: by
  contribution, with the censored headcount and the share among poor households) and their intensity;
- the pace to the goal: the rate projected to the plan's final year, the year the goal would be reached, the
  households that must leave poverty each remaining year, marked as a projection;
- the filters that produced it, the data's provenance (demo or imported, `queries/dataset_meta.sql`; the year's
  coverage, `queries/review_coverage.sql`) and the date it was made.

Every figure comes from the named queries the pages run (`run(name, **params)`: `queries.runner.run` in the app,
`reports.annual.connection_runner(con)` on a connection); this module lays them out. The brief prints every figure:
the dashboard offers it only to a viewer who may see all of them (`dashboard/brief.py`).

How it is drawn: the trajectory is a plotly figure turned into SVG by kaleido through the system Chromium
(`CHROMIUM_PATH`, else /usr/bin/chromium; never downloaded), one kaleido server per process so a warm brief is fast;
the map is SVG drawn here from the boundaries' GeoJSON (no browser needed); the page is HTML turned into PDF by
WeasyPrint (Pango) with DejaVu Sans, so Vietnamese diacritics print. Every text from the warehouse is HTML-escaped.
The page has fixed-height boxes that clip what does not fit, so it is one page whatever the names' lengths.

Exit codes: 0 written; 1 no review of the year in the warehouse, or none of the place's households in it (nothing
written); 2 no warehouse, a file that is not a warehouse of this version, an output name not ending in .pdf or a
file that cannot be written, an unknown district or commune code (or a district in the current units, which have
none), or a system without Chromium or Pango. Messages in the chosen language, never a traceback.

Library use: `brief_pdf(run, year, district=..., commune=..., lang=...)` → the PDF's bytes.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import html
import math
import os
import shutil
import sys
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

import duckdb
import pandas as pd

from data.warehouse import schema_digest
from geo import Boundaries, BoundaryError, load_boundaries
from geo.boundaries import COMMUNES_FILE, boundaries_dir
from i18n import LANGS, Lang, Translator, format_date, is_missing
from queries.pace import PACE_WINDOW, REACH_HORIZON, project, projected
from queries.status import add_status, goal_target_text, goal_text
from reports.annual import NoReviews, QueryRun, connection_runner
from reports.command import folder_ready, open_warehouse, write_file

UNIT_SETS: Final = ("former", "current")
LEVELS: Final = ("province", "district", "commune")
AREAS: Final = ("all", "urban", "rural")
GROUPS: Final = ("all", "kinh", "minority", "khmer")
FONT: Final = "DejaVu Sans"  # Debian's fonts-dejavu-core: every Vietnamese letter
DRIVERS_SHOWN: Final = 3
# Colours of the dashboard's theme (dashboard/theme.py, which reports may not import): the poor rate, the path, text.
POOR: Final = "#c92a2a"
PATH: Final = "#868e96"
INK: Final = "#212529"
HIGHLIGHT: Final = "#c92a2a"
STATUS_COLOURS: Final = {"on_track": "#2f9e44", "needs_acceleration": "#f2a900", "limited_progress": "#e8590c",
                         "getting_worse": "#c92a2a", "not_required": "#74c0fc", "incomplete": "#adb5bd"}
# The trajectory chart's size in the page (mm) and in CSS pixels for kaleido (96 px to the inch).
CHART_MM: Final = (110.0, 67.0)
MAP_MM: Final = (63.0, 60.0)
PX_PER_MM: Final = 96 / 25.4


# --- errors the command reports ---------------------------------------------------------------------------------------

class BadPlace(ValueError):
    """The place asked for is no place of the unit set: an unknown code, a district in the current units (which have
    none), or both a district and a commune."""

    def __init__(self, reason: str, code: str = "", units: str = "former") -> None:
        super().__init__(f"{reason}: {code!r} ({units})")
        self.reason = reason  # 'unknown_district', 'unknown_commune', 'no_districts', 'both'
        self.code = code
        self.units = units

    def text(self, lang: Lang) -> str:
        """The message in `lang`, naming the code and the unit set."""
        tr = Translator(lang)
        return tr(f"brief.bad.{self.reason}", code=self.code, units=tr(f"units.name.{self.units}"))


class NoData(LookupError):
    """The warehouse holds reviews of the year, but none of the place's households (with the filters) in it."""

    def __init__(self, name: str, year: int) -> None:
        super().__init__(f"no reviewed household of {name} in {year}")
        self.name = name
        self.year = year

    def text(self, lang: Lang) -> str:
        return Translator(lang)("brief.no_data", unit=self.name, year=self.year)


class BriefUnavailable(RuntimeError):
    """This system lacks what the brief is drawn with: Chromium (for the chart) or Pango (for the PDF)."""

    def __init__(self, what: str, detail: str = "") -> None:
        super().__init__(f"{what} unavailable: {detail}")
        self.what = what  # 'chromium' or 'pango'

    def text(self, lang: Lang) -> str:
        return Translator(lang)(f"brief.unavailable.{self.what}")


# --- the place --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Place:
    """What the brief is about. `level`: 'province', 'district' (a former district) or 'commune' (a unit of the set:
    a former commune or a current unit); `code` its code (None for the province); `name` its official name;
    `district` the former district a commune lies in (None otherwise); `highlight` the units of the set the map
    marks (a district's communes, the commune; none for the province)."""

    level: str
    units: str
    code: str | None
    name: str
    district: str | None
    highlight: tuple[str, ...]

    def sql(self, area: str, group: str) -> dict[str, object]:
        """The filter parameters of `queries/*.sql` for this place (`poor_rate_progress`'s $units, $district, $area,
        $group): the overview's, with the district chosen for a district."""
        return {"units": self.units, "district": [self.code] if self.level == "district" else [], "area": area,
                "group": group}

    @property
    def query_level(self) -> str:
        """The `$level` of `poor_rate_progress` whose row is this place: the selection's total, or the commune's row
        (the map's and the profile's)."""
        return "commune" if self.level == "commune" else "total"


def find_place(units_frame: pd.DataFrame, provinces: Mapping[str, str], units: str, district: str | None,
               commune: str | None) -> Place:
    """The place of `district` or `commune` (or the province for neither) in the unit set `units`, from the rows of
    `queries/units.sql` and the provinces' names (`queries/unit_set_provinces.sql`: unit set → name). Raises
    `BadPlace` for both, an unknown code, or a district of the current units."""
    if district and commune:
        raise BadPlace("both", f"{district}, {commune}", units)
    rows = units_frame[units_frame["unit_set"] == units]
    if commune:
        match = rows[rows["commune_code"] == str(commune)]
        if match.empty:
            raise BadPlace("unknown_commune", str(commune), units)
        row = match.iloc[0]
        parent = None if is_missing(row["district_name"]) else str(row["district_name"])
        # the label the pages show: a name two units share carries its district ("Phường 1 (TP Bạc Liêu)")
        label = row.get("commune_label")
        name = str(row["commune_name"]) if is_missing(label) or not str(label) else str(label)
        return Place("commune", units, str(commune), name, parent, (str(commune),))
    if district:
        if units == "current":
            raise BadPlace("no_districts", str(district), units)
        match = rows[rows["district_code"] == str(district)]
        if match.empty:
            raise BadPlace("unknown_district", str(district), units)
        return Place("district", units, str(district), str(match["district_name"].iloc[0]), None,
                     tuple(str(c) for c in match["commune_code"]))
    # the province of the plan: the former province (the current units lie in its territory, now part of another)
    name = provinces.get("former") or provinces.get(units) or ""
    return Place("province", units, None, str(name), None, ())


# --- the figures ------------------------------------------------------------------------------------------------------

@dataclass
class BriefData:
    """Every figure the brief prints, read with the queries of the pages. Frames hold the query's columns."""

    place: Place
    year: int
    area: str
    group: str
    progress: pd.DataFrame  # the place's `poor_rate_progress` rows, every year, judged (`add_status`)
    row: pd.Series  # its row of `year`
    drivers: pd.DataFrame  # its `deprivation_drivers` rows of `year`, most contributing first
    pace: pd.Series | None  # its `queries.pace.project` row
    partial_years: tuple[int, ...]  # review years that are not complete (left out of the trajectory)
    coverage: pd.Series  # the year's `review_coverage` row
    meta: dict[str, str]  # `dataset_meta`: key → value
    units_count: int  # commune-level units of the set
    districts_count: int  # former districts (0 in the current set)
    set_codes: tuple[str, ...]  # every unit of the set (the map's)
    made: date
    # (former code, current code) of every former unit, from the warehouse's `units` query: the current units' map is
    # dissolved from the former communes by it (the running app never reads `vietnamadminunits`)
    crosswalk: tuple[tuple[str, str], ...] = ()

    @property
    def demo(self) -> bool:
        return self.meta.get("dataset") == "demo"


def read_brief(run: QueryRun, year: int, *, units: str | None = None, district: str | None = None,
               commune: str | None = None, area: str = "all", group: str = "all",
               made: date | None = None) -> BriefData:
    """The brief's figures for `year` and the place (see `brief_pdf`). Raises `NoReviews` (no review of the year),
    `BadPlace`, `NoData` (none of the place's households reviewed in the year), ValueError (a bad set, area or
    group)."""
    year = int(year)
    coverage = run("review_coverage")
    years = sorted(int(y) for y in coverage["year"])
    if year not in years:
        raise NoReviews(year, years)
    if area not in AREAS or group not in GROUPS:
        raise ValueError(f"unknown area {area!r} or group {group!r}")
    in_force = {int(y): str(s) for y, s in zip(coverage["year"], coverage["unit_set"], strict=True)}
    # a district is a place of the former units only: it implies them, as `district=` in a link does
    units = units or ("former" if district else in_force[year])
    if units not in UNIT_SETS:
        raise ValueError(f"unknown unit set {units!r}: 'former' or 'current'")
    all_units = run("units")
    provinces = run("unit_set_provinces")
    place = find_place(all_units, dict(zip(provinces["unit_set"], provinces["province_name"], strict=True)), units,
                       district, commune)
    frame = add_status(run("poor_rate_progress", level=place.query_level, **place.sql(area, group)))
    if place.level == "commune":
        frame = frame[frame["unit_code"] == place.code]
    frame = frame.sort_values("year").reset_index(drop=True)
    this = frame[frame["year"] == year]
    if this.empty:
        raise NoData(place.name, year)
    set_rows = all_units[all_units["unit_set"] == units]
    former = all_units[all_units["unit_set"] == "former"]
    meta = run("dataset_meta")
    return BriefData(
        place=place, year=year, area=area, group=group, progress=frame, row=this.iloc[0],
        drivers=_drivers(run, place, year, area, group), pace=_pace(frame, year),
        partial_years=tuple(int(y) for y, c in zip(coverage["year"], coverage["complete"], strict=True) if not c),
        coverage=coverage[coverage["year"] == year].iloc[0],
        meta={str(k): str(v) for k, v in zip(meta["key"], meta["value"], strict=True)},
        units_count=len(set_rows), districts_count=int(set_rows["district_code"].nunique()),
        set_codes=tuple(str(c) for c in set_rows["commune_code"]), made=made or date.today(),
        crosswalk=tuple((str(f), str(c)) for f, c in former[["commune_code", "current_code"]].itertuples(index=False)))


def _drivers(run: QueryRun, place: Place, year: int, area: str, group: str) -> pd.DataFrame:
    """The place's rows of `queries/deprivation_drivers.sql` in `year` (one per indicator of the standard in force),
    the most contributing first (ties in the standard's order)."""
    params = place.sql(area, group)
    frame = run("deprivation_drivers", level=place.query_level, year=year,
                commune=place.code if place.level == "commune" else None, **params)
    if place.level == "commune":
        frame = frame[frame["unit_code"] == place.code]
    return frame.sort_values(["contribution", "position"], ascending=[False, True], na_position="last",
                             kind="stable").reset_index(drop=True)


def _pace(progress: pd.DataFrame, year: int) -> pd.Series | None:
    """The place's projection at the recent pace as of `year` (`queries.pace.project`: its one row)."""
    projected = project(progress, year)
    return projected.iloc[0] if len(projected) else None


# --- the charts -------------------------------------------------------------------------------------------------------

def trajectory_figure(data: BriefData, tr: Translator) -> Any:
    """The place's rate by review year (the measure its target judges; complete years up to the brief's year) against
    its target path (dashed grey), the plan's goal (dotted) and the projection at the recent pace (long dashes,
    lighter, to the goal year, as the trajectories page draws it). A plotly figure sized for the page (`CHART_MM`),
    labelled with the i18n table's words."""
    import plotly.graph_objects as go

    frame = data.progress
    shown = frame[(frame["year"] <= data.year) & ~frame["year"].isin(data.partial_years)]
    path = frame[frame["path_rate"].notna()]
    goal = data.row["goal_value"]
    goal = float(goal) if not is_missing(goal) and bool(data.row["goal_strict"]) else None  # a ceiling to draw
    values = [float(v) for v in [*shown["measure_value"], *path["path_rate"], goal] if not is_missing(v)]
    top = max(values or [1.0]) * 1.18
    fig = go.Figure()
    fig.add_scatter(x=path["year"], y=path["path_rate"], mode="lines", name=tr("traj.path"),
                    line={"color": PATH, "width": 2, "dash": "dash"})
    # each point's rate printed on the side away from its path (above when over it, or when near the axis)
    sides = ["top center" if is_missing(p) or v >= p or v < 0.12 * top else "bottom center"
             for v, p in zip(shown["measure_value"], shown["path_rate"], strict=True)]
    fig.add_scatter(x=shown["year"], y=shown["measure_value"], mode="lines+markers+text", name=tr("traj.actual"),
                    line={"color": POOR, "width": 3}, marker={"size": 7},
                    text=[tr.pct(v) for v in shown["measure_value"]], textposition=sides,
                    textfont={"size": 10, "color": POOR}, cliponaxis=False)
    last = int(shown["year"].max()) if len(shown) else data.year
    goal_year = int(data.row["goal_year"]) if not is_missing(data.row["goal_year"]) else last
    drawn = projection_line(data.pace)
    if drawn is not None:  # as the trajectories page draws it: long dashes, open markers, lighter than the data
        years, rates = drawn
        fig.add_scatter(x=years, y=rates, mode="lines+markers+text", name=tr("pace.legend"), opacity=0.55,
                        line={"color": POOR, "width": 2.5, "dash": "longdash"},
                        marker={"size": 7, "symbol": "circle-open", "color": POOR},
                        text=[""] * (len(years) - 1) + [tr.pct(rates[-1])], textposition="top center",
                        textfont={"size": 10, "color": POOR}, cliponaxis=False)
        goal_year = max(goal_year, years[-1])
    if goal is not None:
        fig.add_hline(y=goal, line={"color": POOR, "width": 1, "dash": "dot"})
        fig.add_annotation(x=0, xref="paper", y=goal, xanchor="left", yanchor="bottom", showarrow=False,
                           text=tr("chart.goal_line", goal=tr.pct(goal, 0 if goal.is_integer() else 2),
                                   year=goal_year), font={"size": 10, "color": POOR})
    first = int(frame["year"].min())
    width, height = (round(v * PX_PER_MM) for v in CHART_MM)
    fig.update_layout(
        width=width, height=height, template="plotly_white", separators=",." if tr.lang == "vi" else ".,",
        font={"family": FONT, "size": 11, "color": INK}, margin={"l": 8, "r": 12, "t": 10, "b": 8},
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "xanchor": "left", "x": 0, "font": {"size": 10}},
        showlegend=True)
    fig.update_xaxes(dtick=1, tickformat="d", range=[first - 0.3, max(goal_year, last) + 0.3])
    fig.update_yaxes(rangemode="tozero", ticksuffix=" %", range=[0, top], automargin=True)
    return fig


def projection_line(pace: pd.Series | None) -> tuple[list[int], list[float]] | None:
    """The projection of a `queries.pace.project` row from the view year to the goal year: the years and the
    projected rate in each (percent, never below 0); None without a projection or a remaining year. (The pages'
    `dashboard.pace.line`, which reports may not import.)"""
    if pace is None or isinstance(pace.get("no_projection_reason"), str) or is_missing(pace.get("pace")):
        return None
    remaining = pace["remaining_years"]
    if is_missing(remaining) or int(remaining) <= 0:
        return None
    start = int(pace["goal_year"]) - int(remaining)
    years = list(range(start, int(pace["goal_year"]) + 1))
    return years, [projected(float(pace["value"]), float(pace["pace"]), y - start) for y in years]


def reach_text(pace: pd.Series, tr: Translator) -> str:
    """The year the goal would be reached at the pace ("2027", a year as text), or why none (`pace.reach.*`)."""
    if not is_missing(pace["reach_year"]):
        return str(int(pace["reach_year"]))
    if pace["reach_reason"] in ("beyond_horizon", "not_falling"):
        return tr(f"pace.reach.{pace['reach_reason']}", horizon=REACH_HORIZON)
    return tr("goal.none")


_kaleido_lock = threading.Lock()
_kaleido_started = False
SVG_TIMEOUT_S: Final = 90


def chromium_path() -> str:
    """The system Chromium kaleido drives: `CHROMIUM_PATH`, `BROWSER_PATH` (choreographer's), else Debian's
    /usr/bin/chromium. Never downloaded: raises `BriefUnavailable` when none is an executable file."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), os.environ.get("BROWSER_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise BriefUnavailable("chromium", "no Chromium found (set CHROMIUM_PATH)")


def figure_svg(fig: Any) -> bytes:
    """`fig` as SVG through this process's one kaleido server (started on first use with the system Chromium; its
    calls serialised, since the server answers one request at a time). Raises `BriefUnavailable` when Chromium is
    missing or does not answer within `SVG_TIMEOUT_S`."""
    global _kaleido_started
    import kaleido

    with _kaleido_lock:
        if not _kaleido_started:
            path = chromium_path()
            os.environ.setdefault("BROWSER_PATH", path)  # choreographer looks there too
            # mathjax=False: no request for MathJax from its CDN; plotly.js comes from the installed plotly
            kaleido.start_sync_server(path=path, mathjax=False, silence_warnings=True)
            _kaleido_started = True
        result: list[Any] = []

        def call() -> None:
            try:
                result.append(kaleido.calc_fig_sync(fig, opts={"format": "svg", "width": fig.layout.width,
                                                               "height": fig.layout.height}))
            except BaseException as exc:  # noqa: BLE001 — handed to the caller below
                result.append(exc)

        # the server's thread dies silently when Chromium cannot start: wait for it a bounded time, never forever
        worker = threading.Thread(target=call, daemon=True)
        worker.start()
        worker.join(SVG_TIMEOUT_S)
        if not result:
            raise BriefUnavailable("chromium", "kaleido did not answer")
        if isinstance(result[0], BaseException):
            raise BriefUnavailable("chromium", type(result[0]).__name__) from result[0]
        return bytes(result[0])


def stop_figure_server() -> None:
    """Close this process's kaleido server and its Chromium, if started (the command, before it exits: left to the
    interpreter's exit, Chromium's profile folder was sometimes still being written while choreographer removed it,
    and a traceback followed the success line — fresh-user pass of issue 12). A failure to clean up is no failure
    of the brief: it is ignored."""
    global _kaleido_started
    import kaleido

    with _kaleido_lock:
        if _kaleido_started:
            # the PDF is made; a leftover temporary folder is harmless
            with contextlib.suppress(Exception):
                kaleido.stop_sync_server(silence_warnings=True)
            _kaleido_started = False


# the boundaries of each unit set, loaded once per process (and again when the files change)
_boundaries: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...], str, int], Boundaries | None] = {}
_boundaries_lock = threading.Lock()


@dataclass(frozen=True)
class MapResult:
    """The map as SVG text, or None with the reason ('missing': no boundary files configured; 'error': the files
    could not be used) and the file it concerns."""

    svg: str | None
    reason: str | None = None
    file: str | None = None


def unit_boundaries(units: str, codes: tuple[str, ...],
                    crosswalk: tuple[tuple[str, str], ...] = ()) -> Boundaries | None:
    """`geo.load_boundaries` for the units `codes` of `units`, cached per process, folder and file time. None: no
    boundary folder; raises `BoundaryError` when the files cannot be used. `crosswalk`: (former, current) code pairs
    the current units are dissolved by (`BriefData.crosswalk`; empty: the package's, as `geo` defaults)."""
    folder = boundaries_dir()
    if folder is None:
        return None
    stamp = (folder / COMMUNES_FILE).stat().st_mtime_ns
    key = (units, codes, crosswalk, str(folder), stamp)
    with _boundaries_lock:
        if key not in _boundaries:
            walk = dict(crosswalk) if crosswalk and units == "current" else None
            _boundaries[key] = load_boundaries(list(codes), folder, unit_set=units, crosswalk=walk)
        return _boundaries[key]


def map_result(data: BriefData) -> MapResult:
    """The map of the set's units with the place's highlighted, or why there is none."""
    try:
        boundaries = unit_boundaries(data.place.units, data.set_codes, data.crosswalk)
    except (BoundaryError, OSError):
        return MapResult(None, "error", COMMUNES_FILE)
    if boundaries is None:
        return MapResult(None, "missing")
    width, height = (round(v * PX_PER_MM) for v in MAP_MM)
    return MapResult(map_svg(boundaries, data.place.highlight, width, height))


def _rings(geometry: Mapping[str, Any]) -> Iterable[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for polygon in polygons:
        yield from polygon


def map_svg(boundaries: Boundaries, highlight: Iterable[str], width: int, height: int) -> str:
    """An SVG map (`width` × `height` px) of `boundaries`' units, those in `highlight` filled, district outlines (if
    any) drawn over them. Lon/lat projected equirectangularly with the province's mean latitude (a 70 km wide
    province: the distortion is far below a line's width)."""
    marked = set(highlight)
    features = boundaries.communes["features"]
    points = [p for f in features for ring in _rings(f["geometry"]) for p in ring]
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    squeeze = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = (max(lons) - min(lons)) * squeeze or 1.0
    span_y = (max(lats) - min(lats)) or 1.0
    pad = 4.0
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2

    def path(geometry: Mapping[str, Any]) -> str:
        parts = []
        for ring in _rings(geometry):
            coords = " ".join(f"{off_x + (x - min(lons)) * squeeze * scale:.1f},{off_y + (max(lats) - y) * scale:.1f}"
                              for x, y, *_ in ring)
            parts.append(f"M{coords}Z")
        return "".join(parts)

    shapes = []
    for feature in features:
        code = str(feature["id"])
        fill = HIGHLIGHT if code in marked else "#e9ecef"
        shapes.append(f'<path d="{path(feature["geometry"])}" fill="{fill}" fill-rule="evenodd" stroke="#ffffff" '
                      f'stroke-width="0.6"/>')
    for feature in (boundaries.districts or {}).get("features", []):
        shapes.append(f'<path d="{path(feature["geometry"])}" fill="none" stroke="#495057" stroke-width="0.9"/>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}">{"".join(shapes)}</svg>')


# --- the page ---------------------------------------------------------------------------------------------------------

def _e(value: object) -> str:
    """Text for the page, HTML-escaped (every text from the warehouse passes through here)."""
    return html.escape(str(value), quote=True)


def _data_uri(svg: bytes | str, mime: str = "image/svg+xml") -> str:
    raw = svg.encode("utf-8") if isinstance(svg, str) else svg
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


NAME_MAX: Final = 80  # characters of a place's name in the title (two lines of the smallest title type)


def _title_size(name: str) -> str:
    """The title's font size for a name of this length: long names get smaller type (the box clips the rest)."""
    return "17pt" if len(name) <= 34 else "14pt" if len(name) <= 60 else "11pt"


CSS: Final = f"""
@page {{ size: A4 portrait; margin: 10mm 11mm; }}
html {{ font-family: "{FONT}"; font-size: 8.4pt; color: {INK}; line-height: 1.28; }}
* {{ box-sizing: border-box; }}
body {{ margin: 0; }}
.page {{ height: 276mm; overflow: hidden; }}
.box {{ overflow: hidden; }}
.nowrap {{ white-space: nowrap; }}
h1 {{ margin: 0.5mm 0 0.8mm 0; line-height: 1.15; max-height: 15mm; overflow: hidden; overflow-wrap: anywhere; }}
h2 {{ font-size: 9.6pt; margin: 0 0 1.4mm 0; color: {INK}; border-bottom: 0.3mm solid #dee2e6;
      padding-bottom: 0.6mm; }}
header {{ height: 23mm; border-bottom: 0.8mm solid {POOR}; margin-bottom: 3mm; }}
.kicker {{ font-size: 7.6pt; color: #495057; }}
.upper {{ letter-spacing: 0.4pt; text-transform: uppercase; }}
.demo {{ float: right; font-size: 7.6pt; font-weight: bold; color: {POOR}; border: 0.3mm solid {POOR};
         padding: 0.4mm 1.6mm; margin-left: 3mm; }}
.sub {{ color: #495057; max-height: 8mm; overflow: hidden; }}
.row {{ display: flex; gap: 3mm; margin-bottom: 3mm; }}
.card {{ border: 0.3mm solid #ced4da; border-radius: 1.2mm; padding: 2mm 2.4mm; }}
.cards {{ height: 36mm; }}
.cards .card {{ height: 36mm; overflow: hidden; }}
.split {{ display: flex; gap: 4mm; }}
.half {{ width: 57mm; }}
.big {{ font-size: 22pt; font-weight: bold; color: {POOR}; line-height: 1.1; margin: 0.6mm 0; }}
.label {{ font-weight: bold; font-size: 8.8pt; }}
.muted {{ color: #495057; }}
.small {{ font-size: 7.4pt; }}
.badge {{ display: inline-block; border-radius: 1mm; padding: 0.3mm 1.4mm; margin: 0.5mm 0; font-weight: bold;
          color: #ffffff; font-size: 7.8pt; }}
.figures {{ height: 77mm; }}
.figures .card {{ height: 77mm; overflow: hidden; }}
.pace {{ height: 33mm; }}
.pace .card {{ height: 33mm; overflow: hidden; }}
.pace td {{ font-weight: bold; border-bottom: none; }}
.pace th {{ width: 16.6%; }}
.drivers {{ height: 48mm; }}
.drivers .card {{ height: 48mm; overflow: hidden; }}
table {{ border-collapse: collapse; width: 100%; }}
table.fixed {{ table-layout: fixed; }}
th {{ text-align: left; font-size: 7.4pt; color: #495057; border-bottom: 0.3mm solid #adb5bd; padding: 0.6mm 1mm;
      vertical-align: bottom; }}
td {{ padding: 0.9mm 1mm; border-bottom: 0.2mm solid #e9ecef; vertical-align: top; }}
td.num {{ text-align: right; white-space: nowrap; }}
.bar {{ height: 2.2mm; background: {POOR}; display: inline-block; vertical-align: middle; }}
footer {{ height: 44mm; overflow: hidden; font-size: 7.2pt; }}
footer p {{ margin: 0 0 1.2mm 0; }}
.unavailable {{ border: 0.3mm dashed #adb5bd; color: #495057; padding: 3mm; margin-top: 8mm; text-align: center; }}
"""


class _Page:
    """The brief's HTML in one language from its figures."""

    def __init__(self, data: BriefData, tr: Translator, chart_svg: bytes, map_: MapResult) -> None:
        self.data = data
        self.tr = tr
        self.chart_svg = chart_svg
        self.map = map_

    # the parts ----------------------------------------------------------------------------------------------------

    def place_name(self) -> str:
        """The place's name as the title and the map print it: whole up to `NAME_MAX` characters (every real name
        is far shorter), else cut with an ellipsis so the title keeps its year; the filters line prints it whole."""
        name = self.data.place.name
        return name if len(name) <= NAME_MAX else name[:NAME_MAX - 1].rstrip() + "…"

    def header(self) -> str:
        tr, d = self.tr, self.data
        place = d.place
        name = self.place_name()
        lines = []
        if place.level == "commune" and place.district:
            lines.append(tr("brief.in_district", district=place.district))
        lines.append(tr(f"scope.units.{place.units}", n=tr.num(d.units_count), d=tr.num(d.districts_count)))
        demo = f'<span class="demo">{_e(tr("report.note.demo"))}</span>' if d.demo else ""
        made = tr("brief.made", date=format_date(d.made, tr.lang))
        return (f'<header class="box">{demo}<div class="kicker"><span class="upper">{_e(tr("brief.kicker"))}</span>'
                f" · {_e(made)}</div>"
                f'<h1 style="font-size: {_title_size(name)}">{_e(tr("brief.title", unit=name, year=d.year))}</h1>'
                f'<div class="sub">{_e(" · ".join(lines))}</div></header>')

    def headline(self) -> str:
        tr, row = self.tr, self.data.row
        parts = [f'<div class="label">{_e(tr("overview.poor_rate_year", year=self.data.year))}</div>',
                 f'<div class="big nowrap">{_e(tr.pct(row["poor_rate"]))}</div>']
        if not is_missing(row["poor_change_since_previous"]):
            parts.append(f'<div>{_e(tr("brief.since_previous", change=tr.pts(row["poor_change_since_previous"])))}'
                         "</div>")
        if row["measure"] != "poor_rate":  # urban / rural: the target judges the rate without SP households
            parts.append(f'<div>{_e(tr("overview.measure_excl_sp"))}: '
                         f'<b class="nowrap">{_e(tr.pct(row["measure_value"]))}</b></div>')
        households = tr("overview.households_line", poor=tr.num(row["poor_households"]),
                        total=tr.num(row["households"]))
        parts.append(f'<div class="muted">{_e(households)}</div>')
        if bool(row["unreliable"]):
            parts.append(f'<div class="muted small">{_e(tr("reliability.few"))}</div>')
        return f'<div class="card" style="width: 62mm">{"".join(parts)}</div>'

    def status(self) -> str:
        tr, row = self.tr, self.data.row
        pace = row["status"] if isinstance(row["status"], str) else None
        colour = STATUS_COLOURS.get(pace or "", "#adb5bd")
        parts = [f'<div class="half"><div class="muted small">{_e(tr("goal.pace_label"))}</div>',
                 f'<span class="badge" style="background: {colour}">{_e(tr.status(pace))}</span>']
        if not is_missing(row["progress_ratio"]):
            line = tr("overview.pace_line", achieved=tr.num(row["reduction_achieved"], 2),
                      required=tr.num(row["reduction_required"], 2), ratio=tr.num(row["progress_ratio"], 2))
            parts.append(f'<div class="small">{_e(line)}</div>')
        parts.append(f'<div class="small">{_e(tr("overview.path_for_year", year=self.data.year))}: '
                     f'<b class="nowrap">{_e(tr.pct(row["path_rate"]))}</b></div>')
        goal = row["goal_status"] if isinstance(row["goal_status"], str) else None
        parts.append(f'</div><div class="half"><div class="muted small">{_e(tr("goal.goal_label"))}</div>')
        if goal is not None:
            target = goal_target_text(tr, float(row["goal_value"]), strict=bool(row["goal_strict"]),
                                      year=int(row["goal_year"]))
            colour = STATUS_COLOURS["on_track"] if goal == "goal_met" else STATUS_COLOURS["getting_worse"]
            parts.append(f'<span class="badge" style="background: {colour}">{_e(goal_text(tr, goal, target))}</span>')
        else:
            parts.append(f"<div>{_e(tr('goal.none'))}</div>")
        parts.append("</div>")
        return (f'<div class="card" style="width: 123mm"><div class="label">{_e(tr("brief.against_plan"))}</div>'
                f'<div class="split">{"".join(parts)}</div></div>')

    def pace(self) -> str:
        """The pace to the goal as one row of figures under their headers, each marked as a projection (the pages'
        `pace.*` labels), or why there is no projection."""
        tr, d, pace = self.tr, self.data, self.data.pace
        title = f'<h2>{_e(tr("pace.title", year=d.year))}</h2>'
        if pace is None or isinstance(pace["no_projection_reason"], str):
            reason = "no_data" if pace is None else str(pace["no_projection_reason"])
            return self._card("100%", title + f'<div class="muted">{_e(tr(f"pace.reason.{reason}"))}</div>')
        goal_year = int(pace["goal_year"])
        remaining = int(pace["remaining_years"]) > 0
        target = goal_target_text(tr, float(pace["goal_value"]), strict=bool(pace["goal_strict"]), year=goal_year)
        households = pace["households_to_leave_per_year"]
        items: list[tuple[str, str]] = [(tr("pace.col.pace"), tr.num(pace["pace"], 2))]
        if remaining:
            items += [(tr("pace.col.projected_rate", year=goal_year), tr.pct(pace["projected_rate"])),
                      (tr("pace.col.meets", goal=target),
                       tr("pace.yes" if bool(pace["projected_meets_goal"]) else "pace.no"))]
        items += [(tr("pace.col.reach_year"), reach_text(pace, tr)),
                  (tr("pace.col.households_per_year"),
                   tr("goal.none") if is_missing(households) else f'{tr.num(households)} {tr("unit.households")}'),
                  (tr("pace.col.basis"), tr("pace.basis", first=int(pace["first_year"]), last=int(pace["last_year"]),
                                            n=int(pace["reviews"])))]
        head = "".join(f"<th>{_e(label)}</th>" for label, _ in items)
        values = "".join(f"<td>{_e(value)}</td>" for _, value in items)
        note = ("" if remaining else
                f'<div class="muted small">{_e(tr("pace.no_remaining", year=d.year, goal_year=goal_year))}</div>')
        return self._card("100%", f"{title}<table><tr>{head}</tr><tr>{values}</tr></table>{note}")

    @staticmethod
    def _card(width: str, body: str) -> str:
        return f'<div class="card" style="width: {width}">{body}</div>'

    def chart(self) -> str:
        tr, d = self.tr, self.data
        notes = []
        left_out = sorted(y for y in d.partial_years if y <= d.year)
        if left_out:
            notes.append(tr("traj.partial_left_out", years=", ".join(str(y) for y in left_out)))
        if d.row["measure"] != "poor_rate":
            notes.append(tr("traj.measure_excl_sp"))
        note = "".join(f'<div class="muted small">{_e(n)}</div>' for n in notes)
        width, height = CHART_MM
        return (f'<div class="card" style="width: 116mm"><h2>{_e(tr("brief.trajectory_h"))}</h2>'
                f'<img src="{_data_uri(self.chart_svg)}" style="width: {width}mm; height: {height - 8}mm">'
                f"{note}</div>")

    def map_box(self) -> str:
        tr, d = self.tr, self.data
        width, height = MAP_MM
        if self.map.svg is None:
            key = "brief.map_error" if self.map.reason == "error" else "brief.map_unavailable"
            body = f'<div class="unavailable">{_e(tr(key, file=self.map.file or ""))}</div>'
        else:
            caption = (tr("brief.map_whole", units=tr(f"units.name.{d.place.units}")) if d.place.level == "province"
                       else tr("brief.map_marked", unit=self.place_name()))
            body = (f'<img src="{_data_uri(self.map.svg)}" style="width: {width}mm; height: {height - 4}mm">'
                    f'<div class="muted small">{_e(caption)}</div>')
        return f'<div class="card" style="width: 69mm"><h2>{_e(tr("brief.map_h"))}</h2>{body}</div>'

    def drivers(self) -> str:
        """The three indicators contributing most to the deprivations of the place's poor households, with their
        censored headcount and share among the poor; the poor households' intensity."""
        tr, d = self.tr, self.data
        frame = d.drivers[d.drivers["contribution"].notna()].head(DRIVERS_SHOWN)
        heading = f'<h2>{_e(tr("brief.drivers_h", year=d.year))}</h2>'
        if frame.empty:
            return self._card("100%", heading + f'<div class="muted">{_e(tr("brief.no_poor"))}</div>')
        head = "".join(f"<th>{_e(h)}</th>" for h in (
            "", tr("col.indicator"), tr("brief.col.contribution"), tr("brief.col.censored"),
            tr("col.share_poor")))
        rows = []
        for rank, row in enumerate(frame.itertuples(index=False), start=1):
            width = max(0.0, min(100.0, float(row.contribution))) * 0.22  # mm: 100 % = 22 mm
            rows.append(
                f'<tr><td class="num">{rank}</td><td><b>{_e(tr.label(row._asdict()))}</b> '
                f'<span class="muted small">({_e(tr.get(f"dimension.{row.dimension}", str(row.dimension)))})'
                "</span></td>"
                f'<td class="num"><span class="bar" style="width: {width:.1f}mm"></span> '
                f'<b>{_e(tr.pct(row.contribution, 1))}</b></td>'
                f'<td class="num">{_e(tr.pct(row.censored_headcount, 2))}</td>'
                f'<td class="num">{_e(tr.pct(row.share_among_poor, 1))}</td></tr>')
        intensity = frame["intensity"].iloc[0]
        notes = [tr("brief.drivers_note")]
        if not is_missing(intensity):
            notes.insert(0, tr("brief.intensity", n=tr.num(intensity, 1),
                               of=tr.num(d.drivers["indicator"].nunique())))
        note = "".join(f'<div class="muted small">{_e(n)}</div>' for n in notes)
        widths = "".join(f'<col style="width: {w}mm">' for w in (5, 84, 36, 28, 27))
        return self._card("100%", f'{heading}<table class="fixed"><colgroup>{widths}</colgroup><tr>{head}</tr>'
                                  f"{''.join(rows)}</table>{note}")

    def footer(self) -> str:
        tr, d = self.tr, self.data
        place = {"province": tr("scope.province")}.get(d.place.level, d.place.name)
        filters = tr("brief.filters", place=place, units=tr(f"units.name.{d.place.units}"), area=tr(f"area.{d.area}"),
                     group=tr(f"group.{d.group}"), year=d.year)
        cov = d.coverage
        coverage = tr("brief.coverage", year=d.year, units=tr.num(cov["units_reviewed"]),
                      expected=tr.num(cov["units_expected"]), households=tr.num(cov["households"]))
        if not bool(cov["complete"]):
            coverage += " " + tr("brief.coverage_partial")
        if d.place.units == "former" and str(cov["unit_set"]) != "former" and cov["households"]:
            coverage += " " + tr("coverage.former_known", year=d.year, known=tr.num(cov["households_former_known"]),
                                 households=tr.num(cov["households"]),
                                 share=tr.pct(100 * cov["households_former_known"] / cov["households"], 1))
        if d.demo:
            source = tr("brief.source_demo", built=tr.timestamp(d.meta.get("built_at", "")) or "—")
        else:
            source = tr("brief.source_reviews", years=d.meta.get("imported_years", "—") or "—",
                        last=tr.timestamp(d.meta["last_import_at"]) if d.meta.get("last_import_at") else "—")
        lines = [
            f'<p><b>{_e(tr("brief.filters_h"))}:</b> {_e(filters)}</p>',
            f'<p><b>{_e(tr("brief.provenance_h"))}:</b> {_e(source)} {_e(coverage)}</p>',
            f'<p class="muted">{_e(tr("brief.method"))}</p>',
            f'<p class="muted">{_e(tr("pace.method", window=PACE_WINDOW, horizon=REACH_HORIZON))}</p>',
        ]
        return f'<footer class="box">{"".join(lines)}</footer>'

    def html(self) -> str:
        return (f'<!DOCTYPE html><html lang="{self.tr.lang}"><head><meta charset="utf-8">'
                f"<title>{_e(self.tr('brief.title', unit=self.place_name(), year=self.data.year))}</title>"
                f"<style>{CSS}</style></head><body><div class=\"page\">{self.header()}"
                f'<div class="row cards box">{self.headline()}{self.status()}</div>'
                f'<div class="row figures box">{self.chart()}{self.map_box()}</div>'
                f'<div class="row pace box">{self.pace()}</div>'
                f'<div class="row drivers box">{self.drivers()}</div>'
                f"{self.footer()}</div></body></html>")


def brief_html(data: BriefData, lang: Lang = "vi") -> str:
    """The brief's page as HTML in `lang` (its chart drawn by kaleido, its map from the boundaries)."""
    tr = Translator(lang)
    return _Page(data, tr, figure_svg(trajectory_figure(data, tr)), map_result(data)).html()


def html_to_pdf(page: str) -> bytes:
    """One A4 page of PDF from the brief's HTML (WeasyPrint). The page's boxes clip what does not fit; should a
    second page still appear, only the first is kept. Raises `BriefUnavailable` without Pango."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # WeasyPrint loads Pango and its fonts when imported
        raise BriefUnavailable("pango", type(exc).__name__) from exc
    document = weasyprint.HTML(string=page).render()
    if len(document.pages) > 1:
        document = document.copy(document.pages[:1])
    return document.write_pdf()


def brief_pdf(run: QueryRun, year: int, *, units: str | None = None, district: str | None = None,
              commune: str | None = None, area: str = "all", group: str = "all", lang: Lang = "vi",
              made: date | None = None) -> bytes:
    """The one-page brief of review year `year` as PDF bytes.

    `run(name, **params)` runs a named query (`queries.runner.run`, or `reports.annual.connection_runner(con)`).
    The place: the province (neither given), a former district (`district`, its code) or a unit (`commune`: a
    commune code of the set). `units`: 'former' or 'current'; None: the former units for a district, else the set the
    year was filed in. `area` ('all', 'urban', 'rural') and `group` ('all', 'kinh', 'minority', 'khmer'): the filters,
    as on the pages. `lang`: 'vi' or 'en'. `made`: the date printed (default today).

    Raises `NoReviews` (no review of `year`), `NoData` (none of the place's households in it), `BadPlace`,
    `BriefUnavailable` (no Chromium or Pango), ValueError (a bad set, area or group).
    """
    data = read_brief(run, year, units=units, district=district, commune=commune, area=area, group=group, made=made)
    return html_to_pdf(brief_html(data, lang))


# --- the command ------------------------------------------------------------------------------------------------------

def warehouse_current(run: QueryRun) -> bool:
    """Whether the warehouse was made with this version's schema (`meta.schema` = `data.warehouse.schema_digest()`)."""
    meta = run("dataset_meta")
    return schema_digest() in set(meta.loc[meta["key"] == "schema", "value"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports.brief", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT.pdf", help="the PDF to write")
    parser.add_argument("--year", type=int, required=True, help="the review year")
    parser.add_argument("--district", help="a former district's code (default: the whole province)")
    parser.add_argument("--commune", help="a commune-level unit's code of the unit set")
    parser.add_argument("--units", choices=UNIT_SETS, help="the former units (64 communes in 7 districts) or the "
                        "current ones (25, no districts); default: the former units for a district, else the set the "
                        "year was filed in")
    parser.add_argument("--lang", choices=LANGS, default="vi", help="language of the brief and the messages: vi "
                        "(Vietnamese, the default) or en (English)")
    parser.add_argument("--db", type=Path, help="warehouse (default: $POVERTY_DB or data/baclieu.duckdb)")
    args = parser.parse_args(argv)
    tr = Translator(args.lang)
    if args.out.suffix.lower() != ".pdf":
        print(tr("brief.not_pdf", path=args.out), file=sys.stderr)
        return 2
    if args.district and args.commune:
        print(BadPlace("both", f"{args.district}, {args.commune}").text(args.lang), file=sys.stderr)
        return 2
    if not folder_ready(args.out, tr):
        return 2
    opened = open_warehouse(args.db, tr)
    if opened is None:
        return 2
    con, path = opened
    try:
        run = connection_runner(con)
        if not warehouse_current(run):
            print(tr("report.not_warehouse", path=path), file=sys.stderr)
            return 2
        data = read_brief(run, args.year, units=args.units, district=args.district, commune=args.commune)
        try:
            pdf = html_to_pdf(brief_html(data, args.lang))
        finally:
            stop_figure_server()
    except (NoReviews, NoData) as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return 1
    except (BadPlace, BriefUnavailable) as exc:
        print(exc.text(args.lang), file=sys.stderr)
        return 2
    except duckdb.Error:  # a DuckDB file without this version's tables and queries
        print(tr("report.not_warehouse", path=path), file=sys.stderr)
        return 2
    finally:
        con.close()
    if not write_file(args.out, pdf, tr):
        return 2
    print(tr("brief.written", unit=data.place.name, year=data.year, path=args.out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["BadPlace", "BriefData", "BriefUnavailable", "NoData", "NoReviews", "Place", "brief_html", "brief_pdf",
           "connection_runner", "find_place", "html_to_pdf", "main", "read_brief"]
