"""Method and data (Phương pháp & dữ liệu): the standard, the definitions behind every figure, the sources, and
which figures are published facts and which are demo-data assumptions."""

from __future__ import annotations

import streamlit as st

from dashboard.context import page_context, plan_wording, standard_wording
from dashboard.download import show_table
from queries.runner import run

ctx = page_context()
tr = ctx.tr

st.title(tr("method.title"))

st.header(tr("method.standard_h"))
st.markdown(tr("method.standard", **standard_wording(tr, ctx.filters.year)))
st.markdown(tr("method.break"))

standards = run("poverty_standards")
labels = {"name": tr("col.standard"), "legal_basis": tr("col.legal_basis"), "first_year": tr("col.first_year"),
          "last_year": tr("col.last_year"), "rural_poverty_line": tr("col.rural_line"),
          "urban_poverty_line": tr("col.urban_line"), "min_deprivations": tr("col.min_deprivations")}
st.subheader(tr("method.standards_h"))
show_table(standards[list(labels)].rename(columns=labels), "standards", tr,
           formats={tr("col.rural_line"): "int", tr("col.urban_line"): "int"}, key="method_standards")

st.subheader(tr("method.indicators_h"))
indicators = run("deprivation_indicators")
labels = {"standard_id": tr("col.standard"), "position": "#", "dimension": tr("col.dimension"),
          f"label_{tr.lang}": tr("col.indicator")}
show_table(indicators[list(labels)].rename(columns=labels), "indicators", tr, key="method_indicators")

st.header(tr("method.definitions_h"))
st.markdown(tr("method.definitions", **plan_wording(tr)))

st.subheader(tr("method.targets_h"))
targets = run("plan_targets")
labels = {f"label_{tr.lang}": tr("col.target"), "year": tr("col.year"), "kind": tr("col.kind"),
          "value": tr("col.value"), "source": tr("col.source")}
show_table(targets[list(labels)].rename(columns=labels), "targets", tr, formats={tr("col.value"): "num1"},
           key="method_targets")

st.header(tr("method.sources_h"))
st.markdown(tr("method.sources"))

meta = run("dataset_meta")
is_demo = dict(zip(meta["key"], meta["value"], strict=True)).get("dataset") == "demo"
st.subheader(tr("method.calibration_h"))
if is_demo:
    st.markdown(tr("method.calibration"))
    calibration = run("calibration_figures")
    labels = {"year": tr("col.year"), "poor_rate": tr("col.poor_rate"), "near_poor_rate": tr("col.near_poor_rate"),
              "average_rate": tr("col.average_rate"), "kind": tr("col.kind"), "source": tr("col.source")}
    show_table(calibration[list(labels)].rename(columns=labels), "calibration", tr,
               formats={tr("col.poor_rate"): "pct", tr("col.near_poor_rate"): "pct", tr("col.average_rate"): "pct"},
               key="method_calibration")
else:
    st.markdown(tr("method.real_data"))

st.subheader(tr("method.dataset_h"))
labels = {"key": tr("col.key"), "value": tr("col.value")}
show_table(meta[list(labels)].rename(columns=labels), "dataset", tr, key="method_meta")
