"""Overview (Tổng quan): the selection's poor rate for the year with its two judgements (pace on its path, the plan's
end goal), the near-poor rate, each district's (in the current units: each unit's) pace and goal, the plan's other
targets, and in the plan's final year its verdict (dashboard/verdict.py). Figures from few households are hidden from
viewers not signed in (dashboard/disclosure.py)."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard import charts, derived, disclosure, layout, tables
from dashboard.brief import brief_button
from dashboard.context import page_context, plan_wording, units_and_years
from dashboard.download import show_table
from dashboard.filters import CURRENT
from dashboard.verdict import final_year_verdict

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule

st.title(tr("page.overview"))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
coverage = derived.coverage(rule)
layout.coverage_notice(tr, view.year, coverage, rule)

total = derived.progress("total", ctx.sql, rule)
layout.scope_target_note(tr, total)
this_year = total[total["year"] == view.year]

if this_year.empty:
    st.warning(tr("status.no_data"))
else:
    row = this_year.iloc[0]
    shown = partial(disclosure.text, tr, rule, row)  # a figure's text, or the marker where it is hidden
    # The first card holds what a leader reads first (on a phone it is the whole first screen): the rate, its
    # pace on the path and the end goal, each named.
    poor, path, near = st.columns(3, border=True)
    with poor:
        st.metric(tr("overview.poor_rate_year", year=view.year), shown("poor_rate", tr.pct(row.poor_rate)),
                  delta=layout.delta_points(tr, row.poor_change_since_previous), delta_color="inverse",
                  help=tr("overview.delta_help"))
        if row.measure != "poor_rate":  # urban / rural: the goal and the path judge the rate without SP households
            st.metric(tr("overview.measure_excl_sp"), shown("measure_value", tr.pct(row.measure_value)),
                      help=tr("traj.measure_excl_sp"))
        layout.judgement_badges(tr, row)
        st.caption(layout.households_text(tr, row, min_households=ctx.min_households, rule=rule))
    with path:
        st.metric(tr("overview.path_for_year", year=view.year), shown("path_rate", tr.pct(row.path_rate)),
                  help=tr("overview.target_help", **plan_wording(tr)))
        st.caption(layout.pace_text(tr, row, rule))
    with near:
        st.metric(tr("overview.near_poor_rate"), shown("near_poor_rate", tr.pct(row.near_poor_rate)),
                  delta=layout.delta_points(tr, row.near_poor_change_since_previous), delta_color="inverse",
                  help=tr("overview.delta_help"))
        st.caption(layout.near_poor_text(tr, row, rule))
    # the one-page brief of the view's place, made on a click (dashboard/brief.py)
    brief_button(ctx)

verdict = final_year_verdict(view.year, rule, len(units_and_years(CURRENT)[0]))
if verdict is not None:
    layout.plan_verdict(tr, verdict, view, rule)

# the places of the set: the 7 former districts, or the 25 current units (which have no districts)
current = view.units == CURRENT
place_column = "col.current_unit" if current else "col.district"
st.subheader(tr("overview.units" if current else "overview.districts", year=view.year))
layout.former_coverage_note(tr, view, coverage, rule)
districts = derived.progress("district", ctx.sql, rule)
districts_year = districts[districts["year"] == view.year]
if districts_year.empty:
    st.info(tr("status.no_data"))
else:
    st.plotly_chart(charts.district_status_bars(districts_year, tr, rule), width="stretch",
                    config={"displayModeBar": False})
    table, formats = tables.progress_table(districts_year, tr, unit_column=place_column,
                                           compact=True, rule=rule)
    show_table(table, f"{'units' if current else 'districts'}_{view.year}_{view.units}", tr, formats=formats,
               key="overview_districts", static=True)
    layout.reliability_note(tr, districts_year, ctx.min_households)

st.subheader(tr("overview.other_targets", year=view.year))
st.caption(tr("overview.other_targets_note"))
others = derived.targets(ctx.sql, rule)
others_year = others[others["year"] == view.year]
if others_year.empty:
    st.info(tr("overview.not_applicable"))
else:
    table, formats = tables.other_targets_table(others_year, tr, view.year, rule)
    show_table(table, f"other_targets_{view.year}_{view.units}", tr, formats=formats, key="overview_targets",
               static=True)
    layout.missing_flow_targets_note(tr, others_year, view.year, ctx.years)
layout.disclosure_note(tr, rule, this_year, districts_year, others_year)
