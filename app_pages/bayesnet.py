"""Bayesian network lab: learn a network's arrows and tables from data, then ask it questions."""
import streamlit as st

from core.models import bayesnet, bayesnet_views
from core.plots import bayesnet as bn_plots
from ui import bayesnet_panels, lab, training
from ui.i18n import lang, t

PAGE = "bayesnet"
config, data, job = lab.top(PAGE, "asia", bayesnet.load_data, bayesnet.BayesNet)
live, ask, drawn, scrub, theory, code = lab.tabs(PAGE, "live", "ask", "drawn", "snapshots", "theory", "code")
if live.shown:
    with live:
        lab.live(PAGE, bayesnet_panels, data, job)
if ask.shown:
    with ask:
        bayesnet_panels.inference(job)
if drawn.shown:
    with drawn:
        bayesnet_panels.samples(job)
if scrub.shown:
    with scrub:
        lab.snapshots(PAGE, bayesnet_panels, job)
if theory.shown:
    with theory:
        lab.theory(PAGE)
        st.plotly_chart(bn_plots.d_separation(lang=lang()))
if code.shown:
    with code:
        training.code_tab(PAGE, config, {
            t("bayesnet.code.climb"): [bayesnet.HillClimb],
            t("bayesnet.code.shd"): [bayesnet_views.pair_shd, bayesnet_views.cpdag_shd],
            t("bayesnet.code.params"): [bayesnet.BayesNet._learn_parameters, bayesnet_views.posterior],
        })
