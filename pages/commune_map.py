"""Commune map (Bản đồ xã): the units of the view's set — the 64 former communes (those of the chosen districts) with
district outlines on top, or the 25 current units (those chosen), which have no districts — coloured by the chosen
metric for the year, grey where there is no data, violet where the figure is hidden from a viewer not signed in
(dashboard/disclosure.py); choosing a unit (on the map or in the list) shows its series and its 12-indicator
breakdown."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, disclosure, filters, layout, profile
from dashboard.context import page_context, partial_years
from dashboard.download import show_table
from dashboard.filters import CURRENT
from dashboard.geometry import map_geometry
from dashboard.tables import breakdown_table, progress_table
from geo.boundaries import COMMUNES_FILE, DISTRICTS_FILE

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule

current = view.units == CURRENT  # the 25 current units: no districts, no district outlines or columns
st.title(tr("map.title_units" if current else "map.title", year=view.year))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
coverage = derived.coverage(rule)
layout.coverage_notice(tr, view.year, coverage, rule)

metric = filters.metric_selector(tr)

communes = derived.progress("commune", ctx.sql, rule)
communes_year = communes[communes["year"] == view.year]
geometry = map_geometry(tuple(ctx.units["commune_code"]), view.units)

if geometry.error:
    st.warning(tr("map.boundary_error", file=geometry.error), icon=":material/warning:")
elif geometry.boundaries is None:
    st.info(tr("map.no_boundaries"), icon=":material/scatter_plot:")

if communes_year.empty:
    st.info(tr("map.no_data"))
    st.stop()

layout.former_coverage_note(tr, view, coverage, rule)
shown_districts = view.districts or tuple(ctx.district_names)
# the units drawn: the communes of the chosen districts, or the chosen current units (a current unit is its own place)
drawn = ctx.units[ctx.units["commune_code" if current else "district_code"].isin(shown_districts)]
figure = charts.commune_map(
    communes_year, metric, tr, units=drawn,
    communes_geojson=geometry.communes,
    outlines=[geometry.outlines[d] for d in shown_districts if d in geometry.outlines],
    centres=geometry.centres, rule=rule,
)
event = st.plotly_chart(figure, width="stretch", on_select="rerun", selection_mode="points", key="map_chart",
                        config=charts.MAP_CONFIG)
if geometry.boundaries is not None:
    # the files' names, not the server's folder: a public page should not show its file system
    files = [COMMUNES_FILE] + ([DISTRICTS_FILE] if geometry.boundaries.districts else [])
    st.caption(tr("map.source", source=", ".join(files)))

# A click on the map picks the commune; the list below does the same without a pointer.
points = event.selection.points if event and event.selection else []
picked = next((p.get("location") or (p.get("customdata") or [None])[0] for p in points), None)
codes = list(communes_year["unit_code"])
if picked in codes and picked != st.session_state.get("_map_last_pick"):
    st.session_state["map_commune"] = picked
st.session_state["_map_last_pick"] = picked
if st.session_state.get("map_commune") not in [None, *codes]:
    st.session_state["map_commune"] = None
# the official name and its district (the short label's "(TX Giá Rai)" would say the district twice); a current unit
# has no district
labels = {code: name if current else f"{name} – {district}" for code, name, district in
          zip(ctx.units["commune_code"], ctx.units["commune_name"], ctx.units["district_name"], strict=True)}
filters.relabel("map_commune")  # after a language switch the box is told its label (or, for none, its placeholder)
commune = st.selectbox(tr("map.select_commune"), [None, *codes], key="map_commune", placeholder=tr("map.no_commune"),
                       format_func=lambda c: labels.get(c, tr("map.no_commune")))

if commune:
    name = ctx.commune_names[commune]
    series = communes[(communes["unit_code"] == commune) & ~communes["year"].isin(partial_years())]
    left, right = st.columns(2)
    with left:
        st.subheader(tr("map.commune_series", commune=name))
        st.plotly_chart(charts.commune_series(series, tr, rule), width="stretch", config={"displayModeBar": False})
    breakdown = disclosure.breakdown(commune, view.year, view.area, view.group, rule, communes, view.units)
    with right:
        st.subheader(tr("map.breakdown", commune=name, year=view.year))
        if breakdown["hidden"].notna().any():
            st.info(tr("disclosure.breakdown_hidden", marker=rule.marker(tr, breakdown["hidden"].iloc[0])),
                    icon=":material/visibility_off:")
        else:
            st.plotly_chart(charts.deprivation_bars(breakdown, tr, rule), width="stretch",
                            config={"displayModeBar": False})
    table, formats = breakdown_table(breakdown, tr, rule)
    show_table(table, f"deprivations_{commune}_{view.year}_{view.units}", tr, formats=formats, key="map_breakdown")
    # the whole profile of the chosen unit, with the view's filters (same session; the address can be shared)
    st.page_link("pages/commune.py", label=tr("profile.open", name=name), icon=":material/location_city:",
                 query_params=view.query_params(with_commune=True) | {"commune": commune})

st.subheader(tr("map.table_units" if current else "map.table"))
ordered = communes_year.sort_values(["district_code", "unit_code"])
table, formats = progress_table(ordered, tr, unit_column="col.current_unit" if current else "col.commune",
                                with_district=not current, rule=rule)
show_table(table, f"communes_{view.year}_{view.units}", tr, formats=formats, key="map_communes",
           links=profile.profile_links(view, ordered["unit_code"]))
layout.reliability_note(tr, ordered, ctx.min_households)
layout.disclosure_note(tr, rule, ordered)
