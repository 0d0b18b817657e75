"""Emulation ranking (Xếp hạng thi đua): districts and communes (in the current units: the 25 units, which have no
districts) ranked by R = reduction achieved ÷ reduction required on their own target path (their pace), with the
plan's end goal beside it, and the communes left behind.
A partial review year is not ranked; units whose figures are hidden from viewers not signed in
(dashboard/disclosure.py) come last, unranked."""

from __future__ import annotations

import streamlit as st

from dashboard import derived, layout, pace, profile, tables
from dashboard.context import page_context, partial_years, plan_wording
from dashboard.download import show_table
from dashboard.filters import CURRENT
from queries.status import OFF_TRACK

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule

current = view.units == CURRENT  # the current units have no districts: one table of the units, no district column
st.title(tr("rank.title", year=view.year))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
st.caption(tr("rank.explain", **plan_wording(tr)))

if view.year <= ctx.years[0]:
    st.info(tr("rank.baseline_year"))
    st.stop()
if view.year in partial_years():
    layout.coverage_notice(tr, view.year, derived.coverage(rule), rule)
    st.info(tr("rank.partial_year"))
    st.stop()

communes = derived.progress("commune", ctx.sql, rule)
layout.scope_target_note(tr, communes)
layout.former_coverage_note(tr, view, derived.coverage(rule), rule)
communes_ranked = tables.rank_by_progress(communes[communes["year"] == view.year])
# the pace to the goal of each unit from its reviews up to the year (a projection, marked as one)
commune_pace = pace.projections(communes, view.year)
commune_column = "col.current_unit" if current else "col.commune"

st.subheader(tr("rank.left_behind_units" if current else "rank.left_behind"))
left_behind = communes_ranked[communes_ranked["status"].isin(OFF_TRACK)].sort_values("progress_ratio")
if left_behind.empty:
    st.success(tr("rank.left_behind_none"))
else:
    table, formats = tables.progress_table(left_behind, tr, unit_column=commune_column, with_district=not current,
                                           rule=rule, projection=commune_pace)
    show_table(table, f"left_behind_{view.year}_{view.units}", tr, formats=formats, key="rank_left_behind",
               links=profile.profile_links(view, left_behind["unit_code"]))
missing = sorted(set(ctx.units["commune_code"]) - set(communes_ranked["unit_code"]))
if missing and not ctx.sql["district"]:
    st.caption(tr("rank.no_data_communes", n=len(missing),
                  names=", ".join(ctx.commune_names[c] for c in missing)))

if not current:
    districts = derived.progress("district", ctx.sql, rule)
    districts_ranked = tables.rank_by_progress(districts[districts["year"] == view.year])
    st.subheader(tr("rank.districts"))
    table, formats = tables.progress_table(districts_ranked, tr, unit_column="col.district", rank=True, rule=rule,
                                           projection=pace.projections(districts, view.year))
    show_table(table, f"district_ranking_{view.year}_{view.units}", tr, formats=formats, key="rank_districts")
else:
    districts_ranked = communes_ranked.iloc[0:0]

st.subheader(tr("rank.units" if current else "rank.communes"))
table, formats = tables.progress_table(communes_ranked, tr, unit_column=commune_column, with_district=not current,
                                       rank=True, rule=rule, projection=commune_pace)
show_table(table, f"{'unit' if current else 'commune'}_ranking_{view.year}_{view.units}", tr, formats=formats,
           key="rank_communes", height=420, links=profile.profile_links(view, communes_ranked["unit_code"]))
layout.reliability_note(tr, communes_ranked, ctx.min_households)
st.caption(tr("pace.ranking_note") + " " + pace.method_text(tr))
layout.disclosure_note(tr, rule, districts_ranked, communes_ranked)
