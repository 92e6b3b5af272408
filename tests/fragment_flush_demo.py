"""An app for tests/test_browser_fragments.py that makes Streamlit's dropped-fragment-deltas race
(ui/fragments.py) happen on every click, not once in 90 pages of a loaded class.

The server flushes each session's messages every half second here (a loaded server batches them
too); "Full rerun" reruns the script, which takes 0.3 s before it draws the fragment; "Fragment
rerun", clicked while that runs, queues the fragment's own run right behind it, in the same batch.
`?anchored=0` draws the fragment bare, as Streamlit's examples do; otherwise through
ui.fragments.anchored, as every GenLab page does. The line "below the fragment" must stay.
"""
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `ui` lives at the repository root

import streamlit as st  # noqa: E402
import streamlit.runtime.runtime as runtime  # noqa: E402

from ui.fragments import anchored  # noqa: E402

runtime.MESSAGE_FLUSH_INTERVAL_SECS = 0.5  # read by the server's flush loop on each turn

st.button("Full rerun")
time.sleep(0.3)
st.write("above the fragment")


@st.fragment
def panel():
    st.button("Fragment rerun")
    st.write(f"fragment drawn at {time.time():.2f}")


if st.query_params.get("anchored") == "0":
    panel()
else:
    anchored(panel)
st.write("below the fragment")
