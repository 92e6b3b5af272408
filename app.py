"""GenLab: from HMM to GAN, trained live. `streamlit run app.py`.

The server of the Streamlit app in streamlit_app.py, with one route of its own: the live charts'
feed (ui/live_feed.py), from which each chart fetches the points it lacks ten times a second
without rerunning the page. At start-up, before any page is asked for, a child process begins
sampling the Bayesian-network page's table (core.data.network_prefetch).
"""
import contextlib

import streamlit as st

from core import warmup
from ui import live_feed


@contextlib.asynccontextmanager
async def lifespan(_app):
    warmup.prefetch_bayesnet()
    yield


app = st.App("streamlit_app.py", routes=live_feed.routes(), lifespan=lifespan)
