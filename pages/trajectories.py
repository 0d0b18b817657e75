"""Trajectories (Xu hướng): poor / near-poor rates 2021–2025 per district (in the current units: per unit, its
earlier years the sums of its former communes) against its own target path, with the province (or the selection)
and the break at the change of poverty standard. Figures from few households are hidden
from viewers not signed in (dashboard/disclosure.py)."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, layout, pace, profile, tables
from dashboard.context import page_context, partial_years, unit_sets_in_force
from dashboard.download import show_table
from dashboard.filters import CURRENT
from dashboard.theme import unit_colours

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule

current = view.units == CURRENT
place_column = "col.current_unit" if current else "col.district"
st.title(tr("traj.title_units" if current else "traj.title"))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
coverage = derived.coverage(rule)
layout.coverage_notice(tr, view.year, coverage, rule)

measure = st.segmented_control(tr("traj.measure"), ["poor", "near_poor", "both"], default="poor", required=True,
                               format_func=lambda m: tr(f"traj.measure.{m}"), key="traj_measure") or "poor"

districts = derived.progress("district", ctx.sql, rule)
layout.scope_target_note(tr, districts)
# The province line: same area and group filters, all districts (the district choice picks the thin lines).
province = derived.progress("total", {**ctx.sql, "district": []}, rule)
# A partial year is no point on a trend (a few households would draw the line to 60 %): the lines stop at the latest
# complete year, and the page says which years are left out.
partial = partial_years()

# The projection at the current pace from the view year (reviews up to it), drawn on the poor line only.
projections = pace.chart_projections(districts, province, view.year)

if districts.empty:
    st.info(tr("status.no_data"))
else:
    st.plotly_chart(charts.trajectories(districts[~districts["year"].isin(partial)],
                                        province[~province["year"].isin(partial)], measure, tr, tr("scope.province"),
                                        rule, unit_colours(tuple(ctx.district_names)),
                                        projections if measure != "near_poor" else None),
                    width="stretch", config={"displayModeBar": False})
    note = pace.chart_note(tr, projections, view.year,
                           units_drawn=districts["unit_code"].nunique() <= charts.PROJECTED_UNITS_MAX)
    if note and measure != "near_poor":
        st.caption(note)
    if partial:
        st.caption(tr("traj.partial_left_out", years=", ".join(str(y) for y in sorted(partial))))
    st.caption(tr("traj.province_line"))
    filed_current = [y for y, unit_set in unit_sets_in_force().items() if unit_set == CURRENT]
    if current and filed_current and min(districts["year"]) < min(filed_current):
        st.caption(tr("traj.current_sums", year=min(filed_current)))
    layout.former_coverage_note(tr, view, coverage, rule, sorted(set(districts["year"]) - partial))
    if (districts["measure"] != "poor_rate").any():
        st.caption(tr("traj.measure_excl_sp"))
st.info(tr("traj.break"), icon=":material/swap_vert:")

st.subheader(tr("traj.status_table_units" if current else "traj.status_table", year=view.year))
districts_year = districts[districts["year"] == view.year]
table, formats = tables.progress_table(districts_year, tr, unit_column=place_column,
                                       compact=True, rule=rule)
show_table(table, f"{'unit' if current else 'district'}_trajectories_{view.year}_{view.units}", tr, formats=formats,
           key="traj_status", links=profile.profile_links(view, districts_year["unit_code"]) if current else None)
layout.reliability_note(tr, districts_year, ctx.min_households)

st.subheader(tr("pace.title", year=view.year))
final_year = pace.goal_year(projections)
if final_year is not None and view.year >= final_year:
    st.info(tr("pace.no_remaining", year=view.year, goal_year=final_year))
table, formats = pace.pace_table(districts, province, view.year, tr, unit_column=place_column,
                                 total_label=tr("scope.province"), rule=rule)
show_table(table, f"{'unit' if current else 'district'}_pace_{view.year}_{view.units}", tr, formats=formats,
           key="traj_pace")
st.caption(pace.method_text(tr))
layout.disclosure_note(tr, rule, districts[~districts["year"].isin(partial)], province)
