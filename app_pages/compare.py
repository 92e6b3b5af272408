"""Compare: not built yet (its own issue)."""
import streamlit as st

st.title("Compare")
st.info("The Compare arena (all five families on one task, one scoreboard) is not built yet. The GAN lab trains today.")
st.page_link("app_pages/gan.py", label="Open the GAN lab", icon=":material/theater_comedy:")
