"""The GAN lab's panels: what a snapshot or a running job looks like on the page."""
import streamlit as st

from core import metrics, plots
from core.plots import gan as gan_plots
from core.export import samples_csv
from core.jobs import JobView
from core.models import gan_views
from ui import keys
from ui.live_chart import figure_chart, fingerprint, history_chart
from ui.i18n import lang, t

KNN_SCORES = ("precision", "recall", "density", "coverage")
KEPT_TESTS = 8  # two-sample results kept per session (one per snapshot asked about)


def mode_panel(snap, history, key: str) -> None:
    """Modes captured, HQ share, reverse KL, per-mode histogram, modes x step heat map (`history`: the
    job's snapshots)."""
    m = snap.metrics
    c = st.columns(3)
    c[0].metric(t("gan.metric.modes"), f"{m['modes']} / {len(snap.views['mode_histogram'])}")
    c[1].metric(t("gan.metric.hq"), f"{m['hq']:.1%}", help=t("gan.metric.hq_help"))
    c[2].metric(t("gan.metric.rkl"), f"{m['rkl']:.3f}", help=t("gan.metric.rkl_help"))
    if "kept" in m:  # the samples went through rejection: what G draws on its own
        st.caption(t("gan.metric.rejected", kept=m["kept"], modes=m["raw_modes"], hq=m["raw_hq"], rkl=m["raw_rkl"]))
    left, right = st.columns(2)
    version = (lang(), snap.step, fingerprint(snap.samples))
    with left:
        figure_chart(f"{key}-modes", lambda: gan_plots.mode_histogram(snap.views["mode_histogram"], lang=lang()), version)
    shots = [s for s in history if "mode_histogram" in s.views and s.step <= snap.step]
    with right:
        figure_chart(f"{key}-modes-time", lambda: gan_plots.modes_over_time(
            [s.step for s in shots], [s.views["mode_histogram"] for s in shots], lang=lang()), (version, len(shots)))


def digits_panel(snap, key: str) -> None:
    """Class coverage by the reference classifier, the digits, interpolation, memorisation."""
    m = snap.metrics
    c = st.columns(4)
    c[0].metric(t("gan.metric.classes"), f"{m['classes_covered']} / 10")
    c[1].metric(t("gan.metric.class_kl"), f"{m['class_kl']:.3f}")
    c[2].metric(t("gan.metric.diversity"), f"{m['diversity']:.2f}", help=t("gan.metric.diversity_help"))
    c[3].metric(t("gan.metric.nearest"), f"{m['nearest_train_distance']:.2f}", help=t("gan.metric.nearest_help"))
    version = (lang(), snap.step, fingerprint(snap.samples))
    left, right = st.columns(2)
    with left:
        figure_chart(f"{key}-grid", lambda: plots.image_grid(snap.samples[:64], title=t("plot.gan.generated_digits"),
                                                             lang=lang()), version)
    with right:
        figure_chart(f"{key}-classes", lambda: gan_plots.class_histogram(snap.views["class_histogram"], lang=lang()),
                     version)
    left, right = st.columns(2)
    with left:
        figure_chart(f"{key}-interp", lambda: plots.image_grid(snap.views["interpolation"], cols=10,
                                                               title=t("plot.gan.interpolation"), lang=lang()), version)
    with right:
        figure_chart(f"{key}-memo", lambda: gan_plots.memorisation(snap.views["nearest_train_distance"],
                                                                   snap.views["real_nearest_distance"], lang=lang()),
                     version)
    st.caption(t("gan.judge", accuracy=m["classifier_accuracy"]))


def sample_scores(snap, job) -> None:
    """Precision and recall (k = 3), density and coverage (k = 5) against 1,000 training rows: the last
    snapshot's, or any other's once its two-sample tests ran (they cost too much for every snapshot)."""
    m = snap.metrics if all(k in snap.metrics for k in KNN_SCORES) else two_sample_result(snap, job) or {}
    if not all(k in m for k in KNN_SCORES):
        return
    c = st.columns(len(KNN_SCORES))
    for column, name in zip(c, KNN_SCORES):
        column.metric(t(f"gan.metric.{name}"), f"{m[name]:.2f}", help=t(f"gan.metric.{name}_help"))


def two_sample_panel(snap, job, key: str) -> None:
    """On request (it costs about a second): C2ST and MMD^2 of this snapshot's samples, with p-values."""
    store = st.session_state.setdefault(keys.of("gan", "two_sample"), {})
    ident = (id(job.model), snap.step, fingerprint(snap.samples))
    result = two_sample_result(snap, job)
    if result is None:
        st.button(t("gan.two_sample.run"), key=f"{key}-two-sample-{snap.step}", help=t("gan.two_sample.help"),
                  on_click=_run_two_sample, args=(store, ident, job.model, snap.samples))
        return
    inside = result["c2st_low"] <= result["c2st"] <= result["c2st_high"]
    c = st.columns(2)
    c[0].metric(t("gan.metric.c2st"), f"{result['c2st']:.3f}",
                delta=t("gan.metric.cannot_tell") if inside else t("gan.metric.told_apart"),
                delta_color="normal" if inside else "inverse",
                help=t("gan.metric.c2st_help", low=f"{result['c2st_low']:.3f}", high=f"{result['c2st_high']:.3f}",
                       p=metrics.p_value_text(result["c2st_p"]), n=f"{int(result['c2st_points']):,}"))
    c[1].metric(t("gan.metric.mmd"), f"{result['mmd']:.4f}",
                help=t("gan.metric.mmd_help", p=metrics.p_value_text(result["mmd_p"]),
                       permutations=result["permutations"]))
    st.caption(t("gan.two_sample.caption", c2st_p=metrics.p_value_text(result["c2st_p"]),
                 mmd_p=metrics.p_value_text(result["mmd_p"]), permutations=result["permutations"]))


def two_sample_result(snap, job) -> dict | None:
    """The two-sample tests run on request for this snapshot, or None."""
    store = st.session_state.get(keys.of("gan", "two_sample"), {})
    return store.get((id(job.model), snap.step, fingerprint(snap.samples)))


def _run_two_sample(store: dict, ident, model, samples) -> None:
    """The button's callback: run the tests once, keep the last few results."""
    store[ident] = gan_views.two_sample_tests(model, samples)
    for old in list(store)[:-KEPT_TESTS]:
        store.pop(old)


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows: points over D's output and mode coverage, or digits; the sample
    scores against the data; the two-sample tests on request."""
    data = job.data
    if data.kind == "images":
        digits_panel(snap, key)
        sample_scores(snap, job)
        two_sample_panel(snap, job, key)
        return
    title = t("plot.gan.points_at", step=snap.step)
    figure_chart(f"{key}-points", lambda: gan_plots.points_view(data.x, snap.samples, snap.views.get("heat"),
                                                                 snap.views.get("arrows"), title, lang=lang()),
                 (lang(), snap.step, fingerprint(data.x, snap.samples)))
    if "mode_histogram" in snap.views:
        mode_panel(snap, job.view(max_points=1).snapshots, key)  # the heat map of modes over every snapshot so far
    sample_scores(snap, job)
    two_sample_panel(snap, job, key)


def curves(job, view: JobView) -> None:
    """Losses, D's outputs and gradient norms: the curves move a dozen times a second, fed by the job
    itself (ui.live_chart, ui.live_feed); the status line above the tabs moves with the same feed."""
    cfg = job.model.config
    version = (lang(), cfg.loss, cfg.grad_clip, id(job.history))  # what the figures' words and lines depend on
    c = st.columns(3)
    with c[0]:
        history_chart("gan-losses", lambda: gan_plots.gan_losses(view.history, lang=lang()), job,
                      ["D loss", "G loss"], version)
    with c[1]:
        history_chart("gan-d-outputs", lambda: gan_plots.gan_d_outputs(view.history, cfg.loss, lang=lang()), job,
                      ["D(real)", "D(fake)"], version)
    with c[2]:
        history_chart("gan-grad-norms", lambda: gan_plots.gan_grad_norms(view.history, cfg.grad_clip, lang=lang()),
                      job, ["grad norm G", "grad norm D"], version)


def latest(job, view: JobView) -> None:
    """The newest snapshot and a download of its samples."""
    if view.snapshots:
        snap = view.snapshots[-1]
        snapshot_panel(snap, job, "live")
        st.download_button(t("gan.download_samples"), lambda: samples_csv(snap.samples),  # built on click only
                           file_name=f"gan-samples-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The training data, before anything has trained."""
    if data.kind == "images":
        st.plotly_chart(plots.image_grid(data.x[:64], title=t("plot.gan.preview_digits"), lang=lang()))
    else:
        st.plotly_chart(gan_plots.points_view(data.x, data.x[:0], title=t("plot.gan.preview_points"), lang=lang()))
