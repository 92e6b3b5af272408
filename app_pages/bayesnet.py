"""Bayesian network lab: learn a network's arrows and tables from data, then ask it questions."""
import streamlit as st

from core.models import bayesnet, bayesnet_views
from core.plots import bayesnet as bn_plots
from ui import bayesnet_panels, lab, messages, training
from ui.i18n import lang, t

PAGE = "bayesnet"
st.title(t("bayesnet.title"))
st.caption(t("bayesnet.caption"))

config, upload = lab.settings(PAGE, "asia", upload=(t("bayesnet.upload_label"), t("bayesnet.upload_help")))
data = messages.try_or_explain(bayesnet.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, bayesnet.load_data, bayesnet.BayesNet))
job = training.current_job(PAGE)
live, ask, drawn, scrub, theory, code = st.tabs([t("bayesnet.tab_live"), t("bayesnet.tab_ask"),
                                                 t("bayesnet.tab_drawn"), t("bayesnet.tab_scrub"),
                                                 t("bayesnet.tab_theory"), t("bayesnet.tab_code")])
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
    st.plotly_chart(bn_plots.d_separation(lang=lang()))
with code:
    training.code_tab(PAGE, config, {
        t("bayesnet.code_climb"): [bayesnet.HillClimb],
        t("bayesnet.code_shd"): [bayesnet_views.pair_shd, bayesnet_views.cpdag_shd],
        t("bayesnet.code_params"): [bayesnet.BayesNet._learn_parameters, bayesnet_views.posterior],
    })
