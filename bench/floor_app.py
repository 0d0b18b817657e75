"""The floor of bench/bench_floor.py: a Streamlit page that sends `?elements=N` text elements and does nothing else
(no query, no pandas, no figure): what any page with as many elements costs a replica."""

import streamlit as st

for i in range(int(st.query_params.get("elements", "1"))):
    st.text(str(i))
