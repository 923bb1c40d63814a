"""Entry point of the dashboard (placeholder until the dashboard issue lands)."""

import streamlit as st

st.set_page_config(page_title="Neural network from scratch", page_icon="🧠")
st.title("Neural network from scratch")
st.write("The dashboard is coming. The engine, nn_core, is ready to use from Python.")
