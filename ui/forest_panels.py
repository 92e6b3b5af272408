"""The random forest lab's panels: what a snapshot or a running job looks like, per role."""
import numpy as np
import streamlit as st

from core import plots
from core.export import samples_text
from core.jobs import JobView
from core.plots import forest as forest_plots
from core.plots.gan import class_histogram, mode_histogram
from ui import training

DEVICE = "CPU (scikit-learn, one thread)"
JUDGE_LABELS = {"c2st_same": "real vs more real", "c2st_shifted": "real vs shifted copy",
                "c2st": "held-out real vs generated"}


# -- classifier -------------------------------------------------------------------------------


def classifier_scores(m: dict) -> None:
    c = st.columns(4)
    c[0].metric("Trees", f"{m['trees']:,}")
    c[1].metric("Out-of-bag error", f"{m['oob_error']:.1%}", help="each training row judged only by the trees "
                "that did not see it in their bootstrap sample: a free estimate of the test error")
    c[2].metric("Test accuracy", f"{m['test_accuracy']:.1%}",
                delta=f"train: {m['train_accuracy']:.1%}", delta_color="off", delta_arrow="off")
    c[3].metric("One tree's test accuracy", f"{m['one_tree_test_accuracy']:.1%}",
                help="the forest's first tree alone: grown on a bootstrap sample, trying a random subset of "
                     "features at each split")


def classifier_panel(snap, job, key: str) -> None:
    data, views, m = job.data, snap.views, snap.metrics
    classifier_scores(m)
    if "surface" in views:
        left, right = st.columns([3, 2])
        left.plotly_chart(forest_plots.decision_surface(views["surface"], data.x, data.labels, data.class_names,
                                                        data.columns, f"Decision surface of {m['trees']} trees"),
                          key=f"{key}-surface")
        right.plotly_chart(_importance_figure(data, views), key=f"{key}-importance")
        st.plotly_chart(forest_plots.tree_vs_forest(views["tree_surface"], views["surface"], data.x, data.labels,
                                                    data.class_names, data.columns,
                                                    (m["one_tree_test_accuracy"], m["test_accuracy"])),
                        key=f"{key}-tree")
    else:
        st.plotly_chart(_importance_figure(data, views), key=f"{key}-importance")
    if "sweep" in views:
        sw = views["sweep"]
        left, right = st.columns(2)
        left.plotly_chart(forest_plots.sweep_chart(sw["depths"], sw["depth_train"], sw["depth_test"],
                                                   "maximum depth", "25 trees each"), key=f"{key}-depth")
        right.plotly_chart(forest_plots.sweep_chart(sw["leaf_sizes"], sw["leaf_train"], sw["leaf_test"],
                                                    "minimum points per leaf", "25 trees each"), key=f"{key}-leaf")
        st.caption("Bias and variance: shallow trees or big leaves underfit (both accuracies low); deep trees with "
                   "tiny leaves fit every training row, and the gap to the test accuracy is their variance, which "
                   "averaging many trees reduces.")
    else:
        st.caption("The depth and leaf-size sweeps and permutation importances appear when the forest is complete.")


def _importance_figure(data, views):
    if data.kind == "images":
        return forest_plots.pixel_importances(views["importance"])
    return forest_plots.importances(data.columns, views["importance"], views.get("permutation"))


# -- generator --------------------------------------------------------------------------------


def generator_scores(m: dict) -> None:
    c = st.columns(4)
    c[0].metric("Rounds", m["rounds"])
    c[1].metric("OOB accuracy (forest kept)", f"{m['oob_accuracy']:.3f}", help="0.5: the forest cannot tell "
                "real from synthetic. Below 0.5 happens too: leaving a row out tips its leaf to the other class.")
    outside = m.get("heldout_outside", 0)
    truth = m.get("true_heldout_loglik")
    c[2].metric("Held-out log-likelihood", f"{m['heldout_loglik']:.2f} nats",
                delta=f"{m['heldout_loglik'] - truth:+.2f} vs the true mixture" if truth is not None else None,
                delta_color="off", delta_arrow="off",
                help="FORDE's mean log density per held-out row"
                     + (f"; {outside:.1%} of held-out rows fall outside the training range, where the density "
                        "is 0, and are left out" if outside else ""))
    if "c2st" in m:
        inside = m["c2st_low"] <= m["c2st"] <= m["c2st_high"]
        c[3].metric("C2ST: generated vs held-out real", f"{m['c2st']:.3f}",
                    delta="cannot tell" if inside else "told apart", delta_color="normal" if inside else "inverse",
                    help=f"band of 'cannot tell': {m['c2st_low']:.3f} to {m['c2st_high']:.3f}")
    if "modes" in m:
        c = st.columns(3)
        c[0].metric("Modes captured", f"{m['modes']} / 8")
        c[1].metric("High-quality samples", f"{m['hq']:.1%}", help="within 3σ of the nearest mode's mean")
        c[2].metric("Reverse KL to uniform", f"{m['rkl']:.3f}", help="0 = every mode equally often")


def generator_panel(snap, job, key: str) -> None:
    data, m, views = job.data, snap.metrics, snap.views
    generator_scores(m)
    if views.get("stop_reason"):
        st.success(f"Stopped after round {m['rounds']}: {views['stop_reason']}.")
    real = job.model.x_train_
    if data.kind == "images":
        digits_view(real, snap, key)
    else:
        rows_view(real, snap, data, key)
    if "c2st" in m:
        st.plotly_chart(forest_plots.c2st_chart({"c2st": m["c2st"]}, (m["c2st_low"], m["c2st_high"]), JUDGE_LABELS,
                                                int(m["c2st_points"])), key=f"{key}-c2st")


def digits_view(real, snap, key: str) -> None:
    m = snap.metrics
    left, right = st.columns(2)
    left.plotly_chart(plots.image_grid(real[:32], title="Real digits"), key=f"{key}-real")
    right.plotly_chart(plots.image_grid(snap.samples[:32], title="Digits drawn by FORGE"), key=f"{key}-fake")
    st.plotly_chart(class_histogram(snap.views["class_histogram"]), key=f"{key}-classes")
    st.caption(f"{m['classes_covered']} of 10 digits drawn, as an SVM trained on the real digits reads them "
               f"(KL to uniform {m['class_kl']:.3f} nats).")


def rows_view(real, snap, data, key: str) -> None:
    """The first two numeric columns, real against generated (with leaf boxes and a zoom on the ring); marginals."""
    numeric = [j for j in range(data.x.shape[1]) if j not in data.categories]
    if len(numeric) >= 2:
        a, b = numeric[:2]
        boxes = snap.views.get("boxes") if data.x.shape[1] == 2 else None
        title = f"Real and generated rows after round {snap.metrics['rounds']}" + \
            (" over one tree's leaves" if boxes else "")
        columns = [data.columns[a], data.columns[b]]
        fake = snap.samples[:, [a, b]]
        if data.means is None:
            st.plotly_chart(forest_plots.points_vs_samples(real[:, [a, b]], fake, columns, title, boxes,
                                                           plane=data.kind == "points"), key=f"{key}-points")
        else:
            left, right = st.columns(2)
            left.plotly_chart(forest_plots.points_vs_samples(real, fake, columns, title, boxes), key=f"{key}-points")
            zoom = (data.means[0], 8 * data.sigma)
            right.plotly_chart(forest_plots.points_vs_samples(
                real, fake, columns, "Zoom on mode 0 (±8σ): near a mode, samples look like data", boxes, zoom),
                key=f"{key}-zoom")
            st.plotly_chart(mode_histogram(snap.views["mode_histogram"]), key=f"{key}-modes")
    if data.kind == "table":
        st.plotly_chart(forest_plots.marginals(real, snap.samples, data.columns, data.categories),
                        key=f"{key}-marginals")


# -- judge ------------------------------------------------------------------------------------


def judge_panel(snap, job, key: str) -> None:
    m, data = snap.metrics, job.data
    scores = {k: m[k] for k in ("c2st_same", "c2st_shifted") if k in m}
    st.plotly_chart(forest_plots.c2st_chart(scores, (m["c2st_low"], m["c2st_high"]), JUDGE_LABELS,
                                            int(m["c2st_points"])), key=f"{key}-c2st")
    st.caption(f"Band of 'cannot tell': 0.5 ± 1.96·0.5/√n = {m['c2st_low']:.3f} to {m['c2st_high']:.3f} "
               f"(n = {int(m['c2st_points']):,} rows tested, each once, by 5-fold cross-validation).")
    if data.x.shape[1] >= 2 and data.kind != "images":
        st.plotly_chart(forest_plots.judge_sets(snap.views["sets"], data.columns), key=f"{key}-sets")


# -- shared -----------------------------------------------------------------------------------

PANELS = {"classifier": classifier_panel, "generator": generator_panel, "judge": judge_panel}


def snapshot_panel(snap, job, key: str) -> None:
    PANELS[job.model.config.role](snap, job, key)


def curves(job, view: JobView) -> None:
    """Status and the role's live curve: redrawn often."""
    training.status(view, DEVICE)
    cfg = job.model.config
    if cfg.role == "classifier":
        st.plotly_chart(forest_plots.oob_curve(view.history, cfg.trees_per_step))
    elif cfg.role == "generator":
        acc = list(view.history.get("oob_accuracy", []))
        kept = len(acc)
        if view.snapshots and view.snapshots[-1].views["stop_reason"].startswith("the accuracy rose"):
            kept -= 1
        st.plotly_chart(forest_plots.arf_rounds(acc, cfg.delta, kept))


def latest(job, view: JobView) -> None:
    """The newest snapshot and, where there are samples, a download of them."""
    if not view.snapshots:
        return
    snap = view.snapshots[-1]
    snapshot_panel(snap, job, "live")
    if len(snap.samples):
        name = "generated" if job.model.config.role == "generator" else "shifted-copy"
        st.download_button("Download samples (CSV)", lambda: samples_text(job.model, snap.samples),
                           file_name=f"forest-{name}-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def data_preview(data, config) -> None:
    """The data, before anything has trained."""
    if data.kind == "images":
        st.plotly_chart(plots.image_grid(data.x[:64], title="The data: 8x8 digits (press Train)"))
    elif data.x.shape[1] == 2 and data.labels is not None:
        st.plotly_chart(forest_plots.decision_surface(None, data.x, data.labels, data.class_names, data.columns,
                                                      f"The data: {len(data.x):,} rows (press Train)"))
    elif data.x.shape[1] == 2:
        st.plotly_chart(forest_plots.points_vs_samples(data.x, data.x[:0], data.columns,
                                                       f"The data: {len(data.x):,} rows (press Train)"))
    else:
        import pandas as pd

        frame = pd.DataFrame({name: (np.asarray(data.categories[j])[data.x[:, j].astype(int)]
                                     if j in data.categories else data.x[:, j])
                              for j, name in enumerate(data.columns)})
        if data.labels is not None and data.class_names:
            frame["label"] = np.asarray(data.class_names)[data.labels]
        st.caption(f"The data: {len(frame):,} rows (the first 10 below); press Train.")
        st.dataframe(frame.head(10))
