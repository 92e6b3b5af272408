"""Bayesian network lab: not built yet (its own issue)."""
import streamlit as st

st.title("Bayesian network lab")
st.info("The Bayesian network lab (pgmpy: structure and parameter learning, inference) is not built yet. The GAN lab trains today.")
st.page_link("app_pages/gan.py", label="Open the GAN lab", icon=":material/theater_comedy:")
