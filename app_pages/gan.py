"""GAN lab: train a GAN live on 2-D mixtures or 8x8 digits and watch it collapse, or not."""
import streamlit as st

from core.plots import gan as gan_plots
from core.models import gan
from ui import gan_panels, lab, messages, training

PAGE = "gan"
st.title("GAN lab")
st.caption("A generator learns to fool a discriminator. Press Train and watch the samples, the losses "
           "and the mode-collapse diagnostics move.")

config, upload = lab.settings(PAGE, "ring8-collapse", upload=("CSV of 2-D points", "Two numeric columns (x, y) with a header."))
data = messages.try_or_explain(gan.load_data, config, upload)
training.buttons(PAGE, config, lab.model_factory(PAGE, gan.load_data, gan.GAN))
job = training.current_job(PAGE)
live, scrub, theory, code = st.tabs(["Live training", "Snapshots", "Theory", "Code that ran"])
with live:
    if job is None and data is not None:
        gan_panels.data_preview(data)
    training.live(PAGE, lambda view: gan_panels.curves(job, view), 0.5, "curves")
    training.live(PAGE, lambda view: gan_panels.latest_samples(job, view), 1.5, "samples", heavy=True)
with scrub:
    training.scrubber(PAGE, lambda snap, shots: gan_panels.snapshot_panel(snap, job.data, shots, "scrub"))
with theory:
    lab.theory("gan")
    st.plotly_chart(gan_plots.gan_gradient_saturation())
with code:
    training.code_tab(PAGE, config, {
        "The losses exactly as they ran": [gan.d_loss, gan.g_loss],
        "One training step: the discriminator's, then the generator's": [gan.GAN._d_step, gan.GAN._g_step],
    })
