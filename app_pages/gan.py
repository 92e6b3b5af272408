"""GAN lab: train a GAN live on 2-D mixtures or 8x8 digits and watch it collapse, or not."""
from pathlib import Path

import streamlit as st

from core import plots
from core.models import gan
from core.presets import PRESETS
from ui import controls, gan_panels, messages, training

PAGE = "gan"
st.title("GAN lab")
st.caption("A generator learns to fool a discriminator. Press Train and watch the samples, the losses "
           "and the mode-collapse diagnostics move.")

controls.init_config(PAGE, "ring8-collapse")
controls.preset_picker(PAGE)
config = controls.config_controls(PAGE)
upload = None
if config.dataset == "upload":
    upload = messages.upload(PAGE, "CSV of 2-D points", ["csv", "txt"], "Two numeric columns (x, y) with a header.")
controls.sync_url(PAGE, config)
controls.show_url_problems(PAGE)
preset = PRESETS.get(st.session_state[f"{PAGE}.preset"])
if preset:
    st.info(f"**{preset.title}.** What to notice: {preset.notice}")
data = messages.try_or_explain(gan.load_data, config, upload)


def make_model():
    """A new GAN and its data (runs in Train's callback); impossible settings raise a ConfigError."""
    current = controls.config_from_widgets(PAGE)
    data, model = gan.load_data(current, messages.stored_upload(PAGE)), gan.GAN(current)
    model.check(data)
    return model, data


training.buttons(PAGE, config, make_model)
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
    st.markdown((Path(__file__).parent.parent / "assets" / "theory" / "gan.md").read_text())
    st.plotly_chart(plots.gan_gradient_saturation())
with code:
    training.code_tab(PAGE, config, {
        "The losses exactly as they ran": [gan.d_loss, gan.g_loss],
        "One training step: the discriminator's, then the generator's": [gan.GAN._d_step, gan.GAN._g_step],
    })
