"""The frame every page shares: the demo-data notice, the scope line, status badges."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.filters import Filters
from dashboard.i18n import Translator


def demo_notice(tr: Translator, meta: pd.DataFrame, calibration: pd.DataFrame) -> None:
    """While the warehouse holds the demo dataset, say so plainly and name the published figures it contains."""
    values = dict(zip(meta["key"], meta["value"], strict=True))
    if values.get("dataset") != "demo":
        return
    published = calibration[calibration["kind"] == "published"]
    items = ", ".join(tr("demo.published_item", year=row.year, poor=tr.pct(row.poor_rate))
                      for row in published.itertuples())
    st.info(tr("demo.notice", published=items or "—"), icon=":material/science:")


def scope_caption(tr: Translator, filters: Filters, district_names: dict[str, str]) -> None:
    """One line saying which households the page's figures are about."""
    districts = (", ".join(district_names.get(d, d) for d in filters.districts) if filters.districts
                 else tr("scope.province"))
    st.caption(tr("scope.describe", districts=districts, area=tr(f"area.{filters.area}"),
                  group=tr(f"group.{filters.group}"), year=filters.year))


def status_text(tr: Translator, status: str | None) -> str:
    """A status label for tables (the table colours its cell, see `download.show_table`)."""
    return tr.status(status)


def status_badge(tr: Translator, status: str | None) -> None:
    colour = {"achieved": "green", "on_track": "green", "needs_acceleration": "orange",
              "limited_progress": "orange", "getting_worse": "red"}.get(status or "", "gray")
    st.badge(tr.status(status), color=colour)  # type: ignore[arg-type]
