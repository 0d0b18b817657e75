"""Overview (Tổng quan): the selection's poor and near-poor rates for the year against the plan, each district's
status, and the plan's other targets."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, layout, tables
from dashboard.context import page_context, plan_wording
from dashboard.download import show_table
from dashboard.status import add_status
from queries.runner import run

ctx = page_context()
tr, view = ctx.tr, ctx.filters

st.title(tr("page.overview"))
st.caption(tr("app.title") + " · " + tr("app.subtitle"))
layout.scope_caption(tr, view, ctx.district_names)

total = add_status(run("poor_rate_progress", level="total", **ctx.sql))
this_year = total[total["year"] == view.year]

st.subheader(tr("overview.headline", year=view.year))
if this_year.empty:
    st.warning(tr("status.no_data"))
else:
    row = this_year.iloc[0]
    poor, near, change, target = st.columns(4, border=True)
    poor.metric(tr("overview.poor_rate"), tr.pct(row.poor_rate), delta=tr.pts(row.poor_change_since_previous),
                delta_color="inverse", help=tr("overview.delta_help"))
    near.metric(tr("overview.near_poor_rate"), tr.pct(row.near_poor_rate),
                delta=tr.pts(row.near_poor_change_since_previous), delta_color="inverse",
                help=tr("overview.delta_help"))
    change.metric(tr("overview.since_baseline"), tr.num(row.poor_change_since_baseline, 2),
                  help=f"{tr('overview.near_poor_rate')}: {tr.pts(row.near_poor_change_since_baseline)}")
    with target:
        st.metric(tr("overview.target_for_year", year=view.year), tr.pct(row.path_rate),
                  help=tr("overview.target_help", **plan_wording(tr)))
        layout.status_badge(tr, row.status)
        if row.final_target > row.path_rate:  # the status is judged against the end goal, not the year's path
            key = "overview.final_target_strict" if row.final_target_strict else "overview.final_target"
            st.caption(tr(key, value=tr.pct(row.final_target)))
    st.caption(tr("overview.households_line", poor=tr.num(row.poor_households),
                  near=tr.num(row.near_poor_households), total=tr.num(row.households)))

st.subheader(tr("overview.districts", year=view.year))
districts = add_status(run("poor_rate_progress", level="district", **ctx.sql))
districts_year = districts[districts["year"] == view.year]
if districts_year.empty:
    st.info(tr("status.no_data"))
else:
    st.plotly_chart(charts.district_status_bars(districts_year, tr), width="stretch",
                    config={"displayModeBar": False})
    table, formats = tables.progress_table(districts_year, tr, unit_column="col.district", compact=True)
    show_table(table, f"districts_{view.year}", tr, formats=formats, key="overview_districts")

st.subheader(tr("overview.other_targets", year=view.year))
st.caption(tr("overview.other_targets_note"))
others = run("other_targets_progress", **ctx.sql)
others = add_status(others.assign(higher_is_better=others["direction"] < 0), value="value",
                    higher_is_better="higher_is_better")
others_year = others[others["year"] == view.year]
if others_year.empty:
    st.info(tr("overview.not_applicable"))
else:
    table, formats = tables.other_targets_table(others_year, tr, view.year)
    show_table(table, f"other_targets_{view.year}", tr, formats=formats, key="overview_targets",
               narrow=(tr("col.target"),))
