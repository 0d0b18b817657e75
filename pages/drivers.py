"""Deprivation drivers (Nguyên nhân nghèo): for the view's year and selection (its districts chosen in the sidebar) — or
one commune of it (URL `commune=`, as on the profile) — which deprivations keep households poor: per indicator of the
standard in force, the censored headcount (poor AND deprived, as a share of all households), the share of poor
households deprived, its contribution to the poor's deprivations, and the change since the plan's baseline year; the
poor households' average deprivation count; their most frequent combinations of deprivations; a map of one
indicator's censored headcount by commune (URL `indicator=`); the same per commune as a downloadable table (issue 12,
item 1).

Figures from few households are hidden from viewers not signed in (dashboard/drivers.py). The logic is in
dashboard/drivers.py; the numbers in queries/deprivation_drivers.sql and queries/deprivation_combinations.sql."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, derived, drivers, filters, layout, profile
from dashboard.context import page_context
from dashboard.download import show_table
from dashboard.filters import CURRENT
from dashboard.geometry import map_geometry
from geo.boundaries import COMMUNES_FILE, DISTRICTS_FILE
from i18n import MISSING

ctx = page_context()
tr, view, rule = ctx.tr, ctx.filters, ctx.rule
year = view.year
current = view.units == CURRENT

st.title(tr("drivers.title", year=year))
layout.scope_caption(tr, view, ctx.district_names, ctx.units)
st.caption(tr("drivers.explain"))
coverage = derived.coverage(rule)
layout.coverage_notice(tr, year, coverage, rule)
layout.former_coverage_note(tr, view, coverage, rule)

params = {**ctx.sql, "year": year}

# --- the scope: the whole selection (its districts are chosen in the sidebar), or one of its communes -------------
# (the commune travels in the link as `commune=`, as on the profile: the same unit opens there)
shown_districts = view.districts or tuple(ctx.district_names)
drawn = ctx.units[ctx.units["commune_code" if current else "district_code"].isin(shown_districts)]
offered = {code: name if current else f"{name} – {district}"
           for code, name, district in zip(drawn["commune_code"], drawn["commune_label"], drawn["district_name"],
                                           strict=True)}
picked = filters.commune_selector(tr, offered, label_key="drivers.scope", none_key="drivers.scope.total")
level, code = ("commune", picked) if picked else ("total", None)
scope = f"commune:{picked}" if picked else "total"
scope_name = offered[picked] if picked else tr("drivers.scope.total")
frame = drivers.unit_drivers(params, rule, level, code)

if frame.empty:
    st.info(tr("drivers.no_data", scope=scope_name, year=year))
    st.stop()

whole = drivers.unit_reason(frame)
poor_hidden = drivers.unit_reason(frame, "hidden_poor")
n = len(frame)

# --- headline --------------------------------------------------------------------------------------------------------
head = drivers.headline(frame, tr, rule)
left, middle, right = st.columns(3)
left.metric(tr("drivers.metric.poor"), head["poor"])
middle.metric(tr("drivers.metric.households"), head["households"])
right.metric(tr("drivers.metric.intensity"), head["intensity"], help=tr("drivers.intensity_help", n=n))
if head["top"] != MISSING:
    st.markdown(tr("drivers.top_line", indicator=head["top"], share=head["top_share"]))

# --- per indicator ---------------------------------------------------------------------------------------------------
st.subheader(tr("drivers.indicators_h", scope=scope_name, year=year))
base = drivers.baseline_year()
state = drivers.baseline_state(year, base, ctx.years)
baseline = None
if state in ("same_standard", "other_standard"):
    base_params = {**params, "year": base}
    baseline = drivers.unit_drivers(base_params, rule, level, code)
frame = drivers.with_baseline(frame, baseline)
shared = int(frame["in_baseline"].sum())
st.caption(tr(f"drivers.baseline.{state}", year=year, base=base, n=shared, total=n))

if whole:
    st.info(tr("drivers.hidden", marker=rule.marker(tr, whole), scope=scope_name), icon=":material/visibility_off:")
elif poor_hidden:
    st.info(tr("drivers.poor_hidden", marker=rule.marker(tr, poor_hidden), scope=scope_name),
            icon=":material/visibility_off:")
elif int(frame["poor_households"].iloc[0]) == 0:
    st.info(tr("drivers.no_poor", scope=scope_name, year=year))
else:
    measure = st.segmented_control(tr("drivers.measure"), drivers.MEASURES, key="drivers_measure", required=True,
                                   default="censored_headcount", format_func=lambda m: tr(f"drivers.col.{m}"),
                                   persist_state="session") or "censored_headcount"
    with_base = base if baseline is not None and measure != "contribution" else None
    st.plotly_chart(charts.driver_bars(frame, measure, tr, base_year=with_base, year=year), width="stretch",
                    config={"displayModeBar": False})
table, formats = drivers.indicator_table(frame, tr, rule, base if baseline is not None else None)
show_table(table, f"drivers_{scope.replace(':', '_')}_{year}_{view.units}", tr, formats=formats,
           key="drivers_indicators", narrow=(tr("col.indicator"),), height=35 * (len(table) + 1) + 3)
st.caption(tr("drivers.definitions", n=n))

# --- combinations ----------------------------------------------------------------------------------------------------
st.subheader(tr("drivers.combinations_h", scope=scope_name, year=year))
if not whole and not poor_hidden and int(frame["poor_households"].iloc[0]) > 0:
    combos = drivers.unit_combinations(params, rule, level, code, drivers=frame)
    labels = {r["indicator"]: tr.label(r) for _, r in frame.iterrows()}
    table, formats = drivers.combination_table(combos, tr, labels)
    if table.empty:
        st.info(tr("drivers.combinations_all_hidden", marker=rule.marker(tr)), icon=":material/visibility_off:")
    else:
        show_table(table, f"drivers_combinations_{scope.replace(':', '_')}_{year}_{view.units}", tr,
                   formats=formats, key="drivers_combinations", narrow=(tr("drivers.col.combination"),))
    st.caption(tr("drivers.combinations_note", top=drivers.TOP_COMBINATIONS))
    if combos["hidden"].notna().any() and not table.empty:
        st.caption(tr("drivers.combinations_hidden", marker=rule.marker(tr)))
else:
    st.caption(tr("drivers.combinations_none"))

# --- the map and the per-commune table -------------------------------------------------------------------------------
st.subheader(tr("drivers.map_h", year=year))
communes = drivers.unit_drivers(params, rule, "commune")
indicators = {r["indicator"]: tr.label(r) for _, r in frame.sort_values("position").iterrows()}
total = frame if level == "total" else drivers.unit_drivers(params, rule, "total")
indicator, rejected = filters.indicator_selector(tr, indicators, drivers.top_indicator(total) or next(iter(indicators)))
if rejected:
    st.warning(tr("drivers.indicator_dropped", value=rejected, year=year, indicator=indicators[indicator]),
               icon=":material/link_off:")
label = indicators[indicator]
geometry = map_geometry(tuple(ctx.units["commune_code"]), view.units)
if geometry.error:
    st.warning(tr("map.boundary_error", file=geometry.error), icon=":material/warning:")
elif geometry.boundaries is None:
    st.info(tr("map.no_boundaries"), icon=":material/scatter_plot:")
rows = drivers.map_rows(communes, indicator, ctx.district_names)
measure_spec = charts.MapMeasure("censored_headcount", tr("drivers.map_scale"), label, "rate")
figure = charts.unit_map(rows, measure_spec, tr, units=drawn, communes_geojson=geometry.communes,
                         outlines=[geometry.outlines[d] for d in shown_districts if d in geometry.outlines],
                         centres=geometry.centres, rule=rule,
                         hidden=[w if isinstance(w, str) else None for w in rows["hidden_poor"]],
                         details=drivers.map_details(rows, tr, rule))
st.plotly_chart(figure, width="stretch", key="drivers_map", config=charts.MAP_CONFIG)
if geometry.boundaries is not None:
    files = [COMMUNES_FILE] + ([DISTRICTS_FILE] if geometry.boundaries.districts else [])
    st.caption(tr("map.source", source=", ".join(files)))
st.caption(tr("drivers.map_note", indicator=label))

st.subheader(tr("drivers.units_h" if current else "drivers.communes_h", year=year))
if communes.empty:
    st.info(tr("map.no_data"))
else:
    table, formats = drivers.commune_table(communes, tr, rule,
                                           unit_column=tr("col.current_unit" if current else "col.commune"),
                                           district_names=None if current else ctx.district_names)
    show_table(table, f"drivers_communes_{year}_{view.units}", tr, formats=formats, key="drivers_communes",
               links=profile.profile_links(view, drivers.table_order(communes)))
layout.disclosure_note(tr, rule, frame, communes)
