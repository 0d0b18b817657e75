"""The floor of bench/bench_floor.py and bench/bench_start.py: a Streamlit page that sends `?elements=N` text
elements and nothing else (no query, no pandas, no figure): what any page with as many elements costs a replica.
With `?chart=1` it also draws one small plotly bar chart after them: the first-chart floor a dashboard page is measured
against in the browser (bench/bench_start.py)."""

import streamlit as st

for i in range(int(st.query_params.get("elements", "1"))):
    st.text(str(i))

if st.query_params.get("chart"):
    import plotly.graph_objects as go  # Streamlit has imported plotly already (its chart theme)

    st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c", "d", "e", "f", "g"], y=[3, 1, 4, 1, 5, 9, 2])),
                    config={"displayModeBar": False})
