"""Method and data (Phương pháp & dữ liệu): the standard, the definitions behind every figure, the rule that hides
figures from few households from viewers not signed in, the sources, and which figures are published facts and
which are demo-data assumptions."""

from __future__ import annotations

import streamlit as st

from dashboard import disclosure, pace, reference
from dashboard.context import page_context, plan_wording, setting, standard_wording, units_wording
from dashboard.download import show_table
from queries.runner import run

ctx = page_context()
tr = ctx.tr

st.title(tr("method.title"))

st.header(tr("method.standard_h"))
st.markdown(tr("method.standard", **standard_wording(tr, ctx.filters.year)))
st.markdown(tr("method.break"))

st.subheader(tr("method.standards_h"))
standards, formats = reference.standards_table(run("poverty_standards"), tr)
show_table(standards, "standards", tr, formats=formats, key="method_standards")

st.subheader(tr("method.indicators_h"))
show_table(reference.indicators_table(run("deprivation_indicators"), tr), "indicators", tr, key="method_indicators")

st.header(tr("method.definitions_h"))
st.markdown(tr("method.definitions", **plan_wording(tr)))

st.subheader(tr("method.flows_h"))
st.markdown(tr("method.flows"))

st.subheader(tr("method.drivers_h"))
st.markdown(tr("method.drivers"))

st.subheader(tr("method.pace_h"))
st.markdown(pace.method_text(tr))

st.subheader(tr("method.units_h"))
st.markdown(tr("method.units", **units_wording(tr)))

st.subheader(tr("method.rules_h"))
st.markdown(tr("method.rules", unit_share=tr.pct(100 * setting("coverage_min_unit_share"), 0),
               household_share=tr.pct(100 * setting("coverage_min_household_share"), 0),
               min_households=tr.num(setting("min_households_reliable"))))

st.subheader(tr("method.disclosure_h"))
n = tr.num(ctx.rule.min_households)
st.markdown(tr("method.disclosure", n=n, small=ctx.rule.marker(tr, disclosure.SMALL),
               complement=ctx.rule.marker(tr, disclosure.COMPLEMENT), status=tr.status(disclosure.SUPPRESSED)))
st.caption(tr("method.disclosure_public" if ctx.rule.active else "method.disclosure_signed_in", n=n))

st.subheader(tr("method.targets_h"))
targets, formats = reference.targets_table(run("plan_targets"), tr)
show_table(targets, "targets", tr, formats=formats, key="method_targets")

st.header(tr("method.sources_h"))
st.markdown(tr("method.sources"))

meta = run("dataset_meta")
is_demo = dict(zip(meta["key"], meta["value"], strict=True)).get("dataset") == "demo"
st.subheader(tr("method.calibration_h"))
if is_demo:
    st.markdown(tr("method.calibration"))
    calibration, formats = reference.calibration_table(run("calibration_figures"), tr)
    show_table(calibration, "calibration", tr, formats=formats, key="method_calibration")
    events = run("panel_events")
    if not events.empty:
        st.markdown(tr("method.panel_events"))
        show_table(reference.panel_events_table(events, tr), "panel_events", tr, key="method_panel_events")
else:
    st.markdown(tr("method.real_data"))

st.subheader(tr("method.dataset_h"))
show_table(reference.meta_table(meta, tr), "dataset", tr, key="method_meta")
