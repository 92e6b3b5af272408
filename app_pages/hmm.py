"""HMM lab: not built yet (its own issue)."""
import streamlit as st

st.title("HMM lab")
st.info("The HMM lab (hmmlearn: Baum-Welch, Viterbi, the dishonest casino) is not built yet. The GAN lab trains today.")
st.page_link("app_pages/gan.py", label="Open the GAN lab", icon=":material/theater_comedy:")
