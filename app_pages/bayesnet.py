"""Bayesian network lab: learn a network's arrows and tables from data, then ask it questions."""
import streamlit as st

from core.models import bayesnet, bayesnet_views
from core.plots import bayesnet as bn_plots
from ui import bayesnet_panels, lab, messages, training

PAGE = "bayesnet"
st.title("Bayesian network lab")
st.caption("Rows are sampled from a known network. Press Train and watch pgmpy find the arrows (structure) and "
           "the tables (parameters) from the rows alone, then compare them with the truth and ask questions.")

UPLOAD_HELP = ("A CSV of categorical columns with a header, one row per case (at least 20 rows, 2 to 40 columns, at "
               "most 30 categories per column). Numeric columns with many values can be cut into bins (Advanced).")
config, upload = lab.settings(PAGE, "asia", upload=("Table (CSV)", UPLOAD_HELP))
data = messages.try_or_explain(bayesnet.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, bayesnet.load_data, bayesnet.BayesNet))
job = training.current_job(PAGE)
live, ask, drawn, scrub, theory, code = st.tabs(["Live learning", "Ask the network", "Samples vs data", "Snapshots",
                                                 "Theory", "Code that ran"])
with live:
    if job is None and data is not None:
        bayesnet_panels.data_preview(data)
    training.live(PAGE, lambda view: bayesnet_panels.curves(job, view), 0.5, "curves")
    training.live(PAGE, lambda view: bayesnet_panels.latest(job, view), 1.5, "snapshot", heavy=True)
with ask:
    bayesnet_panels.inference(job)
with drawn:
    bayesnet_panels.samples(job)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: bayesnet_panels.snapshot_panel(snap, job, "scrub"))
with theory:
    lab.theory("bayesnet")
    st.plotly_chart(bn_plots.d_separation())
with code:
    training.code_tab(PAGE, config, {
        "pgmpy's hill climbing, one step at a time (its own scored moves)": [bayesnet.HillClimb],
        "Structure distance between graphs and equivalence classes": [bayesnet_views.pair_shd,
                                                                       bayesnet_views.cpdag_shd],
        "Parameters and inference (pgmpy)": [bayesnet.BayesNet._learn_parameters, bayesnet_views.posterior],
    })
