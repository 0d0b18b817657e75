"""Poverty flows (Biến động hộ nghèo): from the review of the year before to the selected year, who escaped poverty,
who fell back, who became newly poor, who left or joined the review — the accounting of the poor (or near-poor)
households as a waterfall, the transition matrix between classes as a table and a Sankey, the same accounting per
district and per commune (in the current units: per unit), the units where more households fell back or became
newly poor than escaped, and the escaped households' health insurance per unit (issue 11).

The first review year has no flows; a partial year (or one whose previous year is partial) draws none. A unit's
flows are hidden from viewers not signed in when its figures of either year come from few households
(dashboard/disclosure.py, `flow_states`). The logic is in dashboard/flows.py."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, flows, layout, profile
from dashboard.context import page_context, partial_years
from dashboard.download import show_table
from dashboard.filters import CURRENT, flow_selectors, keep_flow_params


def rows_height(rows: int, most: int = 12) -> int:
    """A table's height in pixels showing all its rows up to `most`, then scrolling."""
    return 35 * (min(rows, most) + 1) + 3


ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule
year, previous = view.year, view.year - 1

current = view.units == CURRENT
flowing = year > ctx.years[0] and previous in ctx.years  # the first review year has no flows into it
st.title(tr("flows.title", start=previous, end=year) if flowing else tr("page.flows"))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
st.caption(tr("flows.explain"))

if not flowing:
    keep_flow_params()
    if year <= ctx.years[0]:
        st.info(tr("flows.first_year", year=year, next=ctx.years[1] if len(ctx.years) > 1 else year + 1))
    else:
        st.info(tr("flows.no_previous", year=year, previous=previous))
    st.stop()
coverage = derived.coverage(rule)
partial = sorted({previous, year} & partial_years())
if partial:
    # households a partial review has not reached yet would read as having left (or joined) the review
    for incomplete in partial:
        layout.coverage_notice(tr, incomplete, coverage, rule)
    st.info(tr("flows.partial_year", years=", ".join(str(y) for y in partial)))
    keep_flow_params()
    st.stop()
layout.former_coverage_note(tr, view, coverage, rule, [previous, year])

flow_class, count = flow_selectors(tr)
unit = tr(f"flows.unit.{count}")
cats = flows.categories()
params = ctx.sql

# --- the selection: accounting, health insurance, moves between classes -------------------------------------------
st.subheader(tr(f"flows.accounting.{flow_class}", start=previous, end=year))
totals = {c: flows.protected_units("total", params, year, cats, flow_class, c, rule) for c in ("households", "people")}
total = totals[count]
hidden = next((h for h in total["hidden"] if isinstance(h, str)), None) if not total.empty else None
if total.empty:
    st.info(tr("status.no_data"))
elif hidden:
    st.info(tr("flows.hidden_selection", marker=rule.marker(tr, hidden), start=previous, end=year),
            icon=":material/visibility_off:")
else:
    row = total.iloc[0]
    st.plotly_chart(charts.flow_waterfall(flows.waterfall_steps(row, cats, tr, flow_class=flow_class, count=count,
                                                                year=year), tr, unit,
                                        neutral=flow_class == "near_poor"),
                    width="stretch", config={"displayModeBar": False})
    table, formats = flows.accounting_table(totals["households"].iloc[0], totals["people"].iloc[0], cats, tr,
                                            flow_class=flow_class, year=year)
    show_table(table, f"flows_{flow_class}_{year}_{view.units}", tr, formats=formats, key="flows_accounting",
               height=rows_height(len(table), most=len(table)))
    st.caption(tr("flows.people_note", start=previous, end=year))
    if previous == ctx.years[0]:  # "fell back" needs a review before the previous one
        st.caption(tr("flows.no_fell_back_yet", first=previous, year=year))
    if flows.area_changed(total):
        st.caption(tr("flows.outside_note"))
    insured = totals["households"].iloc[0]
    if not isinstance(insured["hidden_insured"], str) and not insured["escaped_households"]:
        st.caption(tr("flows.insured_none", year=year))
    else:
        value = (rule.marker(tr, insured["hidden_insured"]) if isinstance(insured["hidden_insured"], str)
                 else tr.pct(insured["insured_share"]))
        st.metric(tr("flows.insured_metric", year=year), value,
                  help=tr("flows.insured_help", year=year, previous=previous))

st.subheader(tr("flows.matrix", start=previous, end=year))
if not total.empty and not hidden:
    transitions = flows.read_transitions(params, year)
    links = flows.sankey_links(transitions, count)
    if not links.empty:
        st.plotly_chart(charts.flow_sankey(links, tr, previous, year, unit), width="stretch",
                        config={"displayModeBar": False})
        st.caption(tr("flows.sankey_note"))
    table, formats = flows.transition_matrix(transitions, tr, count=count, year=year)
    show_table(table, f"flow_matrix_{year}_{count}_{view.units}", tr, formats=formats, key="flows_matrix",
               height=rows_height(len(table), most=len(table)))
    st.caption(tr("flows.matrix_note", start=previous, end=year))
    if "outside" in set(transitions["start_class"]) | set(transitions["end_class"]):
        st.caption(tr("flows.outside_note"))
elif hidden:
    st.info(tr("flows.hidden_selection", marker=rule.marker(tr, hidden), start=previous, end=year),
            icon=":material/visibility_off:")

# --- per district and per commune ---------------------------------------------------------------------------------
# the flag is about poor households whichever class the tables show (dashboard/flows.py, `falling_behind`)
levels = [("commune", "col.current_unit" if current else "col.commune")]
if not current:  # the current units have no districts
    levels.insert(0, ("district", "col.district"))
frames = {level: flows.protected_units(level, params, year, cats, flow_class, count, rule) for level, _ in levels}

st.subheader(tr("flows.flagged_h"))
lines = []
for level, _ in levels:
    flagged = flows.flagged_units(frames[level])
    if flagged.empty:
        continue
    heading = tr("rank.districts" if level == "district" else "rank.units" if current else "rank.communes")
    items = "; ".join(tr("flows.flagged_item", name=r.unit_name, entered=tr.num(r.poor_entered),
                         escaped=tr.num(r.poor_escaped)) for r in flagged.itertuples())
    lines.append(f"- **{heading}**: {items}")
if lines:
    st.markdown("\n".join(lines))
else:
    st.success(tr("flows.flagged_none"))
if any(f["hidden"].notna().any() for f in frames.values()):
    st.caption(tr("flows.flagged_hidden"))

for level, unit_column in levels:
    frame = frames[level]
    st.subheader(tr("flows.districts" if level == "district" else "flows.units" if current else "flows.communes",
                    start=previous, end=year))
    if frame.empty:
        st.info(tr("status.no_data"))
        continue
    table, formats = flows.unit_table(frame, cats, tr, rule, flow_class=flow_class, count=count, year=year,
                                      unit_column=unit_column, with_district=level == "commune" and not current)
    show_table(table, f"flows_{'units' if current else level + 's'}_{year}_{flow_class}_{count}_{view.units}", tr,
               formats=formats, key=f"flows_{level}", height=rows_height(len(table)),
               links=profile.profile_links(view, frame["unit_code"]) if level == "commune" else None)
st.caption(tr(f"flows.unit_note.{count}", start=previous, end=year))
layout.disclosure_note(tr, rule, *[f for f in frames.values()], total)

# --- the annual report workbook (issue 11, part 3) -----------------------------------------------------------------
st.subheader(tr("flows.report_h", year=year))
st.caption(tr("flows.report_note"))
if rule.active:
    st.caption(tr("flows.report_sign_in"))
else:
    st.download_button(tr("flows.report_download"), lambda: flows.annual_report_bytes(year, view.units, tr.lang),
                       file_name=f"bao_cao_ra_soat_{year}_{view.units}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key="flows_annual_report", icon=":material/download:", on_click="ignore")
