"""RNN lab: not built yet (its own issue)."""
import streamlit as st

st.title("RNN lab")
st.info("The RNN lab (vanilla RNN, LSTM, GRU and their gradients through time) is not built yet. The GAN lab trains today.")
st.page_link("app_pages/gan.py", label="Open the GAN lab", icon=":material/theater_comedy:")
