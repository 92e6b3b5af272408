"""GenLab: from HMM to GAN, trained live. `streamlit run app.py`.

The server of the Streamlit app in streamlit_app.py, with one route of its own: the live charts'
feed (ui/live_feed.py), from which each chart fetches the points it lacks ten times a second
without rerunning the page.
"""
import streamlit as st

from ui import live_feed

app = st.App("streamlit_app.py", routes=live_feed.routes())
