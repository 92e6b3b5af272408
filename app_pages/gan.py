"""GAN lab: train a GAN live on 2-D mixtures or 8x8 digits and watch it collapse, or not."""
import streamlit as st

from core.plots import gan as gan_plots
from core.models import gan
from ui import gan_panels, lab, messages, training
from ui.i18n import lang, t

PAGE = "gan"
st.title(t("gan.title"))
st.caption(t("gan.caption"))

config, upload = lab.settings(PAGE, "ring8-collapse", upload=(t("gan.upload_label"), t("gan.upload_help")))
data = messages.try_or_explain(gan.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, gan.load_data, gan.GAN))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs([t("gan.tab.live"), t("gan.tab.snapshots"), t("gan.tab.theory"), t("gan.tab.code")])
with live:
    if job is None and data is not None:
        gan_panels.data_preview(data)
    training.live(PAGE, lambda view: gan_panels.curves(job, view), training.curve_seconds(), "curves")
    training.live(PAGE, lambda view: gan_panels.latest_samples(job, view), 2.0, "samples", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: gan_panels.snapshot_panel(snap, job.data, shots, "scrub"))
with theory:
    lab.theory("gan")
    st.plotly_chart(gan_plots.gan_gradient_saturation(lang=lang()))
with code:
    training.code_tab(PAGE, config, {
        t("gan.code.losses"): [gan.d_loss, gan.g_loss],
        t("gan.code.step"): [gan.GAN._d_step, gan.GAN._g_step],
    })
