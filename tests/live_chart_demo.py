"""A two-page app for tests/test_browser_live_chart.py: two series that grow ten times a second in a
live_chart, a button that reruns the whole script, Reset (a new run: the series restart), and a
second page to navigate to and back. `streamlit run tests/live_chart_demo.py`; add ?compare=1 to the URL
to see st.plotly_chart draw the same data below it."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `ui` lives at the repository root

import numpy as np  # noqa: E402
import plotly.graph_objects as go  # noqa: E402
import streamlit as st  # noqa: E402

from core.plots import layout  # noqa: E402
from ui.live_chart import live_chart  # noqa: E402

POINTS_PER_TICK = 5


def losses_figure() -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=[], y=[], mode="lines", name="D loss")
    fig.add_scatter(x=[], y=[], mode="lines", name="G loss")
    return layout(fig, "Losses", "training step", "loss (nats)")


def grow() -> None:
    """Append a tick's points to both series (a made-up pair of GAN losses)."""
    s = st.session_state
    start = len(s.steps)
    steps = np.arange(start, start + POINTS_PER_TICK)
    s.steps = np.concatenate([s.steps, steps])
    s.d_loss = np.concatenate([s.d_loss, 0.7 + 0.3 * np.exp(-steps / 300) * np.cos(steps / 15)])
    s.g_loss = np.concatenate([s.g_loss, 0.9 + 0.5 * np.exp(-steps / 200) * np.sin(steps / 20)])


def reset() -> None:
    s = st.session_state
    s.run = s.get("run", 0) + 1
    s.steps, s.d_loss, s.g_loss = np.array([], dtype=int), np.array([]), np.array([])


@st.fragment(run_every=0.1)
def stream() -> None:
    grow()
    s = st.session_state
    live_chart("losses", losses_figure, [(s.steps, s.d_loss), (s.steps, s.g_loss)], version=s.run)
    if st.query_params.get("compare"):  # st.plotly_chart of the same data below, to hold the two side by side
        fig = losses_figure()
        for trace, y in zip(fig.data, (s.d_loss, s.g_loss)):
            trace.x, trace.y = s.steps, y
        st.plotly_chart(fig, key="plain")


def chart_page() -> None:
    st.title("Live chart")
    if "run" not in st.session_state:
        reset()
    left, right = st.columns(2)
    left.button("Rerun everything")
    right.button("Reset", on_click=reset)
    stream()


def other_page() -> None:
    st.title("Another page")


st.navigation([st.Page(chart_page, title="Chart", default=True),
               st.Page(other_page, title="Other", url_path="other")]).run()
