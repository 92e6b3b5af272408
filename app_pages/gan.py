"""GAN lab: train a GAN live on 2-D mixtures or 8x8 digits and watch it collapse, or not."""
import streamlit as st

from core.plots import gan as gan_plots
from core.models import gan, gan_nets
from ui import gan_panels, lab, training
from ui.i18n import lang, t

PAGE = "gan"
config, data, job = lab.top(PAGE, "ring8-collapse", gan.load_data, gan.GAN)
live, scrub, theory, code = lab.tabs(PAGE, "live", "snapshots", "theory", "code")
if live.shown:
    with live:
        lab.live(PAGE, gan_panels, data, job, curves_every=training.curve_seconds(), latest_every=2.0)
if scrub.shown:
    with scrub:
        lab.snapshots(PAGE, gan_panels, job)
if theory.shown:
    with theory:
        lab.theory(PAGE)
        st.plotly_chart(gan_plots.gan_gradient_saturation(lang=lang()))
if code.shown:
    with code:
        training.code_tab(PAGE, config, {
            t("gan.code.losses"): [gan_nets.d_loss, gan_nets.g_loss],
            t("gan.code.step"): [gan.GAN._d_step, gan.GAN._g_step],
        })
