"""GenLab: from HMM to GAN, trained live. `streamlit run app.py`."""
import streamlit as st

from core.device import configure_torch

configure_torch()  # one torch thread per small model, before any torch work
st.set_page_config(page_title="GenLab", page_icon=":material/science:", layout="wide")

pages = [
    st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("pages/hmm.py", title="HMM", icon=":material/casino:", url_path="hmm"),
    st.Page("pages/bayesnet.py", title="Bayesian network", icon=":material/hub:", url_path="bayesnet"),
    st.Page("pages/forest.py", title="Random forest", icon=":material/park:", url_path="forest"),
    st.Page("pages/rnn.py", title="RNN", icon=":material/repeat:", url_path="rnn"),
    st.Page("pages/gan.py", title="GAN", icon=":material/theater_comedy:", url_path="gan"),
    st.Page("pages/compare.py", title="Compare", icon=":material/balance:", url_path="compare"),
]
st.navigation(pages).run()
