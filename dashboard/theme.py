"""The chart theme: colours (status, classes, districts, map scales) and the layout every figure gets."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, Final

import plotly.colors
import plotly.graph_objects as go
import plotly.io as pio

from i18n import Translator

# Figures hidden from viewers not signed in (dashboard.disclosure): a muted violet, on neither map scale (orange-red,
# red-blue) and never the grey of "no data", so a hidden commune is not read as one without reviews.
SUPPRESSED: Final = "#a393cf"
# Pace status colours: green → red, readable on white and by most colour-blind readers (distinct lightness).
# A colour never stands alone: every chart that uses these has a legend or text naming the status.
# The order is the legend order. None: no pace yet (the baseline year).
STATUS_COLOURS: Final = {
    "on_track": "#2f9e44",
    "needs_acceleration": "#f2a900",
    "limited_progress": "#e8590c",
    "getting_worse": "#c92a2a",
    "not_required": "#74c0fc",
    "incomplete": "#adb5bd",
    "suppressed": SUPPRESSED,  # judged on figures hidden from viewers not signed in (dashboard.disclosure)
    None: "#adb5bd",
}
# Pale cell backgrounds for status columns in tables (dark text stays readable).
STATUS_BACKGROUNDS: Final = {
    "on_track": "#d8f0d2",
    "needs_acceleration": "#ffe8a3",
    "limited_progress": "#ffd0b0",
    "getting_worse": "#f5b7b7",
    "not_required": "#d0ebff",
    "incomplete": "#e9ecef",
    "suppressed": "#e6e0f5",
}
POOR: Final = "#c92a2a"
NEAR_POOR: Final = "#f08c00"
PROVINCE: Final = "#212529"
PATH: Final = "#868e96"

# Every district of the province, in code order: the key of its colour (never the districts a filter leaves).
DISTRICT_CODES: Final = ("954", "956", "957", "958", "959", "960", "961")
# Okabe–Ito (2008), the qualitative palette designed to stay distinct for the common colour-vision deficiencies,
# without its black (the province's line is near-black).
DISTRICT_PALETTE: Final = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
OTHER_DISTRICT: Final = "#495057"  # a code outside DISTRICT_CODES (never expected; kept visible, not an error)
# The current units (25, no districts): the Okabe–Ito colours, then plotly's Dark24 without its near-black, by each
# unit's place among the set's codes (repeating after 30).
UNIT_PALETTE: Final = DISTRICT_PALETTE + tuple(c for c in plotly.colors.qualitative.Dark24 if c != "#222A2A")

# Map scales. Rates and counts: light → dark from 0. Changes: blue = fewer poor, white = no change, red = more poor;
# the figure sets a range symmetric around 0 so white sits exactly at 0 (ColorBrewer RdBu, white centre).
SEQUENTIAL: Final = "OrRd"
DIVERGING: Final = (
    (0.0, "#053061"), (0.1, "#2166ac"), (0.2, "#4393c3"), (0.3, "#92c5de"), (0.4, "#d1e5f0"),
    (0.5, "#ffffff"),
    (0.6, "#fddbc7"), (0.7, "#f4a582"), (0.8, "#d6604d"), (0.9, "#b2182b"), (1.0, "#67001f"),
)
NO_DATA: Final = "#bfbfbf"  # communes without a reviewed household in the selection: neither 0 nor white
BORDER: Final = "#6c757d"  # commune borders: visible on white (a change of 0 is white) and on dark reds
FONT: Final = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Every dashboard figure's template. Made plotly's default here, which a new figure takes as it is: passed to
# `update_layout` the whole template is validated again, ~40 ms a figure (most of a chart's build time on a filter
# change, issue 13). Every figure of the dashboard is built after this module is imported (charts import it).
TEMPLATE: Final = "plotly_white"
pio.templates.default = TEMPLATE


def apply_layout(fig: go.Figure, tr: Translator, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Common layout: number separators for the language, compact margins, legend under the plot (phone-friendly);
    the template (`TEMPLATE`) is the one the figure was created with, plotly's default from this module's import."""
    fig.update_layout(base_layout(tr, height=height, legend=legend))
    return fig


def base_layout(tr: Translator, *, height: int = 420, legend: bool = True) -> dict[str, Any]:
    """`apply_layout`'s properties as a plain dict (height in pixels), for a builder that merges its own into them and
    sets the layout in ONE `update_layout` (each call validates every property it sets again)."""
    return {
        "separators": ",." if tr.lang == "vi" else ".,",
        "font": {"family": FONT, "size": 13},
        "height": height,
        "margin": {"l": 8, "r": 8, "t": 36, "b": 8},
        "showlegend": legend,
        "legend": {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0, "title": None},
        "hoverlabel": {"font": {"family": FONT}},
    }


def district_colour(code: str) -> str:
    """The colour of district `code` on every page and under every filter (its place in DISTRICT_CODES)."""
    try:
        return DISTRICT_PALETTE[DISTRICT_CODES.index(str(code))]
    except ValueError:
        return OTHER_DISTRICT


def district_colours(codes: list[str]) -> dict[str, str]:
    """code → colour for these districts; the same code gets the same colour whatever else is in `codes`."""
    return {code: district_colour(code) for code in codes}


@cache
def unit_colours(codes: tuple[str, ...]) -> Mapping[str, str]:
    """code → colour for the places of a unit set, `codes` being all of them in order (not just those a filter
    keeps): the former districts get their `district_colour`; the places of the current set (its 25 units) the
    colours of `UNIT_PALETTE` in the order of `codes`. The same object for the same codes (figure caches compare it
    by identity); read-only."""
    if all(code in DISTRICT_CODES for code in codes):
        return MappingProxyType(district_colours(list(codes)))
    return MappingProxyType({code: UNIT_PALETTE[i % len(UNIT_PALETTE)] for i, code in enumerate(codes)})
