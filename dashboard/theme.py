"""The chart theme: colours (status, classes, districts) and the layout every figure gets."""

from __future__ import annotations

from typing import Final

import plotly.graph_objects as go

from dashboard.i18n import Translator

# Status colours: green → red, readable on white and by most colour-blind readers (distinct lightness).
STATUS_COLOURS: Final = {
    "on_track": "#1a7f37",
    "needs_acceleration": "#f2a900",
    "limited_progress": "#e8590c",
    "getting_worse": "#c92a2a",
    "incomplete": "#adb5bd",
    None: "#adb5bd",
}
# Pale cell backgrounds for status columns in tables (dark text stays readable).
STATUS_BACKGROUNDS: Final = {
    "on_track": "#c3e6cb",
    "needs_acceleration": "#ffe8a3",
    "limited_progress": "#ffd0b0",
    "getting_worse": "#f5b7b7",
    "incomplete": "#e9ecef",
}
POOR: Final = "#c92a2a"
NEAR_POOR: Final = "#f08c00"
PROVINCE: Final = "#212529"
PATH: Final = "#868e96"
DISTRICT_PALETTE: Final = ("#1971c2", "#e8590c", "#2f9e44", "#9c36b5", "#0c8599", "#d6336c", "#5c940d")
SEQUENTIAL: Final = "OrRd"
DIVERGING: Final = "RdBu"  # reds = rate went up, blues = went down (reversed where used)
FONT: Final = "Inter, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def apply_layout(fig: go.Figure, tr: Translator, *, height: int = 420, legend: bool = True) -> go.Figure:
    """Common layout: number separators for the language, compact margins, legend under the plot (phone-friendly)."""
    fig.update_layout(
        separators=",." if tr.lang == "vi" else ".,",
        font={"family": FONT, "size": 13},
        height=height,
        margin={"l": 8, "r": 8, "t": 36, "b": 8},
        showlegend=legend,
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        template="plotly_white",
    )
    return fig


def district_colours(codes: list[str]) -> dict[str, str]:
    """A stable colour per district code."""
    return {code: DISTRICT_PALETTE[i % len(DISTRICT_PALETTE)] for i, code in enumerate(sorted(codes))}
