"""Placeholder: built next."""
import streamlit as st

st.write("…")
