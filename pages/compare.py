"""Compare places (So sánh địa bàn, `?compare=CODE&compare=CODE…`): up to four units side by side — former districts
or communes, or current units — for the view's filters: their poor rates against their own paths on one chart (one
colour each, paths dashed, the province for reference), their figures in the view year (rate, path, R, pace, goal) and
their deprivation drivers. The choice travels in the address; figures from few households are hidden from viewers
not signed in as on every page (dashboard/disclosure.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, layout, pace, profile, tables
from dashboard.context import page_context, partial_years
from dashboard.download import show_table
from dashboard.filters import CURRENT, MAX_COMPARE, compare_selector

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule
current = view.units == CURRENT
asked = view.compare  # the link's units, before the picker keeps those among its options

st.title(tr("page.compare"))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
options = profile.compare_options(ctx.units, ctx.district_names, view)
codes = compare_selector(tr, options)
outside = [c for c in asked if c not in options]
if outside:
    st.info(tr("profile.outside", unit=", ".join(ctx.district_names.get(c) or ctx.commune_names.get(c, c)
                                                for c in outside)), icon=":material/location_off:")
if not codes:
    st.caption(tr("compare.intro", n=MAX_COMPARE))
    st.stop()

coverage = derived.coverage(rule)
layout.coverage_notice(tr, view.year, coverage, rule)
layout.former_coverage_note(tr, view, coverage, rule)
communes = derived.progress("commune", ctx.sql, rule)
districts = communes.iloc[0:0] if current else derived.progress("district", ctx.sql, rule)
rows = profile.compared_rows(districts, communes, codes)
layout.scope_target_note(tr, rows)
if rows.empty:
    st.info(tr("compare.no_data"))
    st.stop()

# --- trajectories against their paths ----------------------------------------------------------------------------
partial = partial_years()
province = derived.progress("total", {**ctx.sql, "district": []}, rule)
st.subheader(tr("compare.trajectories_h"))
# the projection at the current pace from the view year (dashboard/pace.py), drawn for every compared place
projections = pace.chart_projections(rows, province, view.year)
st.plotly_chart(charts.trajectories(rows[~rows["year"].isin(partial)], province[~province["year"].isin(partial)],
                                    "poor", tr, tr("scope.province"), rule, profile.compare_colours(tuple(codes)),
                                    projections),
                width="stretch", config={"displayModeBar": False})
st.caption(tr("compare.chart_note"))
note = pace.chart_note(tr, projections, view.year, units_drawn=True)
if note:
    st.caption(note)
if partial:
    st.caption(tr("traj.partial_left_out", years=", ".join(str(y) for y in sorted(partial))))

# --- their figures in the view year --------------------------------------------------------------------------------
st.subheader(tr("compare.table_h", year=view.year))
year_rows = rows[rows["year"] == view.year]
if year_rows.empty:
    st.info(tr("status.no_data"))
else:
    table, formats = tables.progress_table(year_rows, tr, unit_column="compare.col_unit", compact=True, rule=rule)
    show_table(table, f"compare_{view.year}_{view.units}", tr, formats=formats, key="compare_figures",
               links=profile.profile_links(view, year_rows["unit_code"], ctx.units["commune_code"]))
    layout.reliability_note(tr, year_rows, ctx.min_households)

# --- their pace to the goal (a projection, said as such) -----------------------------------------------------------
st.subheader(tr("pace.title", year=view.year))
final_year = pace.goal_year(projections)
if final_year is not None and view.year >= final_year:
    st.info(tr("pace.no_remaining", year=view.year, goal_year=final_year))
table, formats = pace.pace_table(rows, None, view.year, tr, unit_column="compare.col_unit", rule=rule)
table = profile.in_order(table, list(dict.fromkeys(rows["unit_name"])))  # the places in the order chosen
show_table(table, f"compare_pace_{view.year}_{view.units}", tr, formats=formats, key="compare_pace")
st.caption(pace.method_text(tr))

# --- their deprivation drivers side by side -----------------------------------------------------------------------
names = {**ctx.commune_names, **({} if current else ctx.district_names)}
profile.compare_drivers_section(tr, rule, view, codes, [] if current else ctx.district_names, names)

layout.disclosure_note(tr, rule, rows, province)
