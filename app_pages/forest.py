"""Random forest lab: not built yet (its own issue)."""
import streamlit as st

st.title("Random forest lab")
st.info("The random forest lab (classifier, adversarial random forest, C2ST judge) is not built yet. The GAN lab trains today.")
st.page_link("app_pages/gan.py", label="Open the GAN lab", icon=":material/theater_comedy:")
