"""Commune profile (Hồ sơ xã, `?commune=CODE`): one commune-level unit of the view's set on one page — a former
commune, or a current unit — for the view's filters and year: who it is (district, type, area), its household counts,
its pace on its own path and the plan's end goal, its trajectory, its rank among its peers (as the ranking page ranks
them), its poverty flows from the year before, its deprivation drivers against its district and the province, and
its pace to the goal. Every figure is the one the ranking, map and flows pages show for the same unit and filters
(dashboard/profile.py); figures from few households are hidden from viewers not signed in as there.
Opened from the map (the selected commune), the ranking's and the map's tables and the flows page's per-unit table."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, flows, layout, pace, profile, tables
from dashboard.brief import brief_button
from dashboard.context import page_context, partial_years
from dashboard.download import show_table
from dashboard.filters import CURRENT, FORMER, commune_selector

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule
current = view.units == CURRENT
unit_column = "col.current_unit" if current else "col.commune"
asked = view.commune  # the link's unit, before the picker keeps it (or not: outside the chosen places)

options = profile.selection_units(ctx.units, view)
title = st.empty()  # the unit's name once the picker has its value
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
code = commune_selector(tr, options)
if asked and asked not in options:
    st.info(tr("profile.outside", unit=ctx.commune_names.get(asked, asked)), icon=":material/location_off:")
if not code:
    title.title(tr("page.commune"))
    st.caption(tr("profile.intro"))
    st.stop()

facts = profile.unit_facts(ctx.units, code)
title.title(tr("profile.title", name=ctx.commune_names[code]))
area = tr(f"area.{facts['area']}")
kind = tr(f"profile.type.{facts['type']}")
st.markdown(tr("profile.facts.former", type=kind, district=facts["district"], area=area) if facts["district"]
            else tr("profile.facts.current", type=kind, area=area))

coverage = derived.coverage(rule)
layout.coverage_notice(tr, view.year, coverage, rule)
layout.former_coverage_note(tr, view, coverage, rule)
communes = derived.progress("commune", ctx.sql, rule)
layout.scope_target_note(tr, communes)
row = profile.unit_year(communes, code, view.year)
partial = partial_years()

# --- households, pace and goal ------------------------------------------------------------------------------------
if row is None:
    st.info(tr("profile.no_data", name=facts["name"], year=view.year))
else:
    st.subheader(tr("profile.status_h", year=view.year))
    layout.judgement_badges(tr, row)
    profile.metric_row(profile.household_counts(tr, rule, row))
    st.caption(layout.pace_text(tr, row, rule))
    # the unit's row of the map page's table (built from every unit of the year, so its goal column is labelled as
    # there: a goal hidden in this row alone would otherwise leave the header without its goal)
    table, formats, year_rows = profile.unit_table_row(communes, code, view.year, tr, unit_column=unit_column,
                                                       with_district=not current, rule=rule)
    show_table(table, f"profile_{code}_{view.year}_{view.units}", tr, formats=formats, key="profile_figures")
    layout.reliability_note(tr, year_rows, ctx.min_households)
    brief_button(ctx, commune=code, key="commune_brief")  # the one-page brief of this unit (reports/brief.py)

# --- trajectory against its path ------------------------------------------------------------------------------------
series = communes[(communes["unit_code"] == code) & ~communes["year"].isin(partial)]
if not series.empty:
    st.subheader(tr("profile.trajectory_h"))
    projection = profile.unit_projection(communes, code, view.year)
    st.plotly_chart(charts.commune_series(series, tr, rule, projection), width="stretch",
                    config={"displayModeBar": False})
    if partial:
        st.caption(tr("traj.partial_left_out", years=", ".join(str(y) for y in sorted(partial))))
    if projection is not None and pace.line(projection) is not None:
        st.caption(tr("pace.chart_note", year=view.year, goal_year=int(projection["goal_year"])))

# --- pace to the goal (a projection, said as such) ---------------------------------------------------------------
profile.pace_section(tr, rule, communes, code, view, unit_column)

# --- rank among peers, as the ranking page ranks ----------------------------------------------------------------------
st.subheader(tr("profile.rank_h", year=view.year))
if view.year <= ctx.years[0]:
    st.info(tr("rank.baseline_year"))
elif view.year in partial:
    st.info(tr("rank.partial_year"))
elif row is not None:
    ranked = tables.rank_by_progress(communes[communes["year"] == view.year])
    ranks = profile.peer_ranks(ranked, code, ctx.units, current=current)
    profile.metric_row([(profile.rank_label(tr, rank, current=current), profile.rank_value(tr, rule, rank))
                        for rank in ranks])
    st.caption(tr("profile.rank_note.current" if current else "profile.rank_note"))

# --- flows from the year before, as the flows page shows them -------------------------------------------------------
start, end = view.year - 1, view.year
st.subheader(tr("profile.flows_h", start=start, end=end))
why = profile.flows_state(view.year, ctx.years, partial)
if why == "first_year":
    st.info(tr("flows.first_year", year=end, next=ctx.years[1] if len(ctx.years) > 1 else end + 1))
elif why == "no_previous":
    st.info(tr("flows.no_previous", year=end, previous=start))
elif why == "partial":
    st.info(tr("flows.partial_year", years=", ".join(str(y) for y in sorted({start, end} & partial))))
else:
    unit_flows, cats = profile.unit_flows(ctx.sql, end, code, rule)
    if unit_flows.empty:
        st.info(tr("status.no_data"))
    elif isinstance(unit_flows["hidden"].iloc[0], str):
        st.info(tr("profile.flows_hidden", marker=rule.marker(tr, unit_flows["hidden"].iloc[0]), start=start,
                   end=end), icon=":material/visibility_off:")
    else:
        steps = flows.waterfall_steps(unit_flows.iloc[0], cats, tr, flow_class="poor", count="households", year=end)
        st.plotly_chart(charts.flow_waterfall(steps, tr, tr("flows.unit.households")), width="stretch",
                        config={"displayModeBar": False})
    if not unit_flows.empty:
        table, formats = flows.unit_table(unit_flows, cats, tr, rule, flow_class="poor", count="households",
                                          year=end, unit_column=unit_column, with_district=not current)
        show_table(table, f"profile_flows_{code}_{end}_{view.units}", tr, formats=formats, key="profile_flows")
        st.caption(tr("profile.flows_note"))

# --- deprivation drivers against the district and the province ------------------------------------------------------
profile.drivers_section(tr, rule, view, code, facts["district_code"] if view.units == FORMER else None,
                        unit_name=ctx.commune_names[code], district_name=facts["district"])

layout.disclosure_note(tr, rule, communes[communes["unit_code"] == code])
