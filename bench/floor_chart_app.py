"""The browser floor of bench/bench_scale.py: a Streamlit page that draws one small plotly bar chart and does nothing
else (no warehouse, no query, no pandas): how soon any Streamlit page's first plotly chart can be visible in the same
browser on the same machine."""

import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Bar(x=[2021, 2022, 2023, 2024, 2025], y=[5.2, 4.1, 3.3, 2.6, 1.9])))
