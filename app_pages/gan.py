"""GAN lab: train a GAN live on 2-D mixtures or 8x8 digits and watch it collapse, or not."""
import inspect
from pathlib import Path

import streamlit as st

from core import plots
from core.models import gan
from core.presets import PRESETS
from ui import controls, messages, training

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


def mode_panel(snap, history, key: str) -> None:
    """Modes captured, HQ share, reverse KL, per-mode histogram, modes x step heat map."""
    m = snap.metrics
    c = st.columns(3)
    c[0].metric("Modes captured", f"{m['modes']} / {len(snap.views['mode_histogram'])}")
    c[1].metric("High-quality samples", f"{m['hq']:.1%}", help="within 3σ of the nearest mode's mean")
    c[2].metric("Reverse KL to uniform", f"{m['rkl']:.3f}", help="0 = every mode equally often")
    left, right = st.columns(2)
    left.plotly_chart(plots.mode_histogram(snap.views["mode_histogram"]), key=f"{key}-modes")
    shots = [s for s in history if "mode_histogram" in s.views and s.step <= snap.step]
    right.plotly_chart(plots.modes_over_time([s.step for s in shots], [s.views["mode_histogram"] for s in shots]),
                       key=f"{key}-modes-time")


def digits_panel(snap, key: str) -> None:
    m = snap.metrics
    c = st.columns(4)
    c[0].metric("Classes covered", f"{m['classes_covered']} / 10")
    c[1].metric("Class KL to uniform", f"{m['class_kl']:.3f}")
    c[2].metric("Diversity vs data", f"{m['diversity']:.2f}", help="1.00 = as varied as the real digits")
    c[3].metric("Nearest training image", f"{m['nearest_train_distance']:.2f}",
                help="mean pixel-space distance (scale [-1, 1]); near 0 means copied")
    left, right = st.columns(2)
    left.plotly_chart(plots.image_grid(snap.samples[:64]), key=f"{key}-grid")
    right.plotly_chart(plots.class_histogram(snap.views["class_histogram"]), key=f"{key}-classes")
    left, right = st.columns(2)
    left.plotly_chart(plots.image_grid(snap.views["interpolation"], cols=10, title="Latent interpolation"),
                      key=f"{key}-interp")
    right.plotly_chart(plots.memorisation(snap.views["nearest_train_distance"], snap.views["real_nearest_distance"]),
                       key=f"{key}-memo")
    st.caption(f"Judge: an SVM trained on real digits, {m['classifier_accuracy']:.1%} accurate on held-out digits.")


def samples_panel(snap, data, history, key: str) -> None:
    if data.kind == "images":
        digits_panel(snap, key)
        return
    title = f"Real and generated points at step {snap.step:,}"
    st.plotly_chart(plots.points_view(data.x, snap.samples, snap.views.get("heat"), snap.views.get("arrows"), title),
                    key=f"{key}-points")
    if "mode_histogram" in snap.views:
        mode_panel(snap, history, key)


def draw_curves(view) -> None:
    job = training.current_job(PAGE)
    training.status(view, getattr(job.model, "device_", "starting"))
    c = st.columns(3)
    c[0].plotly_chart(plots.gan_losses(view.history))
    c[1].plotly_chart(plots.gan_d_outputs(view.history, job.model.config.loss))
    c[2].plotly_chart(plots.gan_grad_norms(view.history, job.model.config.grad_clip))


def draw_samples(view) -> None:
    job = training.current_job(PAGE)
    if view.snapshots:
        snap = view.snapshots[-1]
        samples_panel(snap, job.data, view.snapshots, "live")
        st.download_button("Download samples (CSV)", gan_samples_csv(snap),
                           file_name=f"gan-samples-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def gan_samples_csv(snap) -> str:
    from core.export import samples_csv

    return samples_csv(snap.samples)


live, scrub, theory, code = st.tabs(["Live training", "Snapshots", "Theory", "Code that ran"])
with live:
    if training.current_job(PAGE) is None and data is not None:
        if data.kind == "images":
            st.plotly_chart(plots.image_grid(data.x[:64], title="Real digits (training data)"))
        else:
            st.plotly_chart(plots.points_view(data.x, data.x[:0], title="Real data: press Train"))
    training.live(PAGE, draw_curves, 0.5, "curves")
    training.live(PAGE, draw_samples, 1.5, "samples", heavy=True)
with scrub:
    job = training.current_job(PAGE)
    shots = job.view().snapshots if job else []
    if not shots:
        st.caption("Snapshots saved during training appear here; drag back to any of them.")
    elif job.view().active:
        st.caption(f"{len(shots)} snapshots saved so far. Stop, or let training finish, to scrub through them.")
    else:
        step = st.select_slider("Snapshot at step", [s.step for s in shots], value=shots[-1].step)
        samples_panel(next(s for s in shots if s.step == step), job.data, shots, "scrub")
with theory:
    st.markdown((Path(__file__).parent.parent / "assets" / "theory" / "gan.md").read_text())
    st.plotly_chart(plots.gan_gradient_saturation())
with code:
    job = training.current_job(PAGE)
    ran = job.model.config if job else config
    st.markdown("The same run from the command line (the same code path)" +
                (":" if job else " — nothing has run yet, so these are the current settings:"))
    st.code(training.cli_command(PAGE, ran), language="bash")
    st.markdown("The losses exactly as they ran:")
    st.code(inspect.getsource(gan.d_loss) + "\n\n" + inspect.getsource(gan.g_loss), language="python")
    with st.expander("One training step: the discriminator's, then the generator's"):
        st.code(inspect.getsource(gan.GAN._d_step) + "\n" + inspect.getsource(gan.GAN._g_step), language="python")
