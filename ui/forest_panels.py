"""The random forest lab's panels: what a snapshot or a running job looks like, per role."""
import numpy as np
import streamlit as st

from core import metrics, plots
from core.jobs import JobView
from core.plots import forest as forest_plots
from ui.live_chart import figure_chart, history_chart
from ui.i18n import lang, t


def judge_labels() -> dict[str, str]:
    """The bars of the C2ST chart, by the metric each one shows."""
    return {"c2st_same": t("forest.judge.c2st_same"), "c2st_shifted": t("forest.judge.c2st_shifted"),
            "c2st": t("forest.judge.c2st")}


def word(name: str) -> str:
    """A generated data set's column, class or category name in the session's language."""
    return forest_plots.name(lang(), name)


# -- classifier -------------------------------------------------------------------------------


def classifier_scores(m: dict) -> None:
    c = st.columns(4)
    c[0].metric(t("forest.metric.trees"), f"{m['trees']:,}")
    c[1].metric(t("forest.metric.oob_error"), f"{m['oob_error']:.1%}", help=t("forest.metric.oob_error_help"))
    c[2].metric(t("forest.metric.test_accuracy"), f"{m['test_accuracy']:.1%}",
                delta=t("forest.metric.train_accuracy", accuracy=f"{m['train_accuracy']:.1%}"),
                delta_color="off", delta_arrow="off")
    c[3].metric(t("forest.metric.one_tree"), f"{m['one_tree_test_accuracy']:.1%}",
                help=t("forest.metric.one_tree_help"))


def classifier_panel(snap, job, key: str) -> None:
    data, views, m = job.data, snap.views, snap.metrics
    classifier_scores(m)
    if "surface" in views:
        left, right = st.columns([3, 2])
        left.plotly_chart(forest_plots.decision_surface(views["surface"], data.x, data.labels, data.class_names,
                                                        data.columns, t("plot.forest.surface", trees=m["trees"]),
                                                        lang=lang()),
                          key=f"{key}-surface")
        right.plotly_chart(_importance_figure(data, views), key=f"{key}-importance")
        st.plotly_chart(forest_plots.tree_vs_forest(views["tree_surface"], views["surface"], data.x, data.labels,
                                                    data.class_names, data.columns,
                                                    (m["one_tree_test_accuracy"], m["test_accuracy"]), lang=lang()),
                        key=f"{key}-tree")
    else:
        st.plotly_chart(_importance_figure(data, views), key=f"{key}-importance")
    if "sweep" in views:
        sw, note = views["sweep"], t("plot.forest.sweep_note")
        left, right = st.columns(2)
        left.plotly_chart(forest_plots.sweep_chart(sw["depths"], sw["depth_train"], sw["depth_test"],
                                                   t("plot.forest.max_depth"), note, lang=lang()),
                          key=f"{key}-depth")
        right.plotly_chart(forest_plots.sweep_chart(sw["leaf_sizes"], sw["leaf_train"], sw["leaf_test"],
                                                    t("plot.forest.min_leaf"), note, lang=lang()),
                           key=f"{key}-leaf")
        st.caption(t("forest.sweeps"))
    else:
        st.caption(t("forest.sweeps_later"))


def _importance_figure(data, views):
    if data.kind == "images":
        return forest_plots.pixel_importances(views["importance"], lang=lang())
    return forest_plots.importances(data.columns, views["importance"], views.get("permutation"), lang=lang())


# -- generator --------------------------------------------------------------------------------


def generator_scores(m: dict) -> None:
    c = st.columns(4)
    c[0].metric(t("forest.metric.rounds"), m["rounds"])
    c[1].metric(t("forest.metric.oob_kept"), f"{m['oob_accuracy']:.3f}", help=t("forest.metric.oob_kept_help"))
    outside = m.get("heldout_outside", 0)
    truth = m.get("true_heldout_loglik")
    c[2].metric(t("forest.metric.heldout"), t("forest.metric.heldout_value", value=f"{m['heldout_loglik']:.2f}"),
                delta=t("forest.metric.heldout_delta", difference=f"{m['heldout_loglik'] - truth:+.2f}")
                if truth is not None else None,
                delta_color="off", delta_arrow="off",
                help=t("forest.metric.heldout_help")
                + (t("forest.metric.heldout_outside", share=f"{outside:.1%}") if outside else ""))
    if "c2st" in m:
        inside = m["c2st_low"] <= m["c2st"] <= m["c2st_high"]
        c[3].metric(t("forest.metric.c2st"), f"{m['c2st']:.3f}",
                    delta=t("forest.metric.cannot_tell") if inside else t("forest.metric.told_apart"),
                    delta_color="normal" if inside else "inverse",
                    help=t("forest.metric.c2st_help", low=f"{m['c2st_low']:.3f}", high=f"{m['c2st_high']:.3f}",
                           p=metrics.p_value_text(m["c2st_p"])))
    if "modes" in m:
        c = st.columns(3)
        c[0].metric(t("forest.metric.modes"), f"{m['modes']} / 8")
        c[1].metric(t("forest.metric.hq"), f"{m['hq']:.1%}", help=t("forest.metric.hq_help"))
        c[2].metric(t("forest.metric.rkl"), f"{m['rkl']:.3f}", help=t("forest.metric.rkl_help"))


def stop_reason(views: dict) -> str:
    """Why the rounds ended, in the session's language (snapshots from before Words kept only English)."""
    words = views.get("stop_words")
    return words.say(lang()) if words is not None else views.get("stop_reason", "")


def generator_panel(snap, job, key: str) -> None:
    data, m, views = job.data, snap.metrics, snap.views
    generator_scores(m)
    if views.get("stop_reason"):
        st.success(t("forest.stopped", rounds=m["rounds"], reason=stop_reason(views)))
    real = job.model.x_train_
    if data.kind == "images":
        digits_view(real, snap, key)
    else:
        rows_view(real, snap, data, key)
    if "c2st" in m:
        st.plotly_chart(forest_plots.c2st_chart({"c2st": m["c2st"]}, (m["c2st_low"], m["c2st_high"]), judge_labels(),
                                                int(m["c2st_points"]), lang=lang()), key=f"{key}-c2st")


def digits_view(real, snap, key: str) -> None:
    m = snap.metrics
    left, right = st.columns(2)
    left.plotly_chart(plots.image_grid(real[:32], title=t("plot.forest.real_digits"), lang=lang()),
                      key=f"{key}-real")
    right.plotly_chart(plots.image_grid(snap.samples[:32], title=t("plot.forest.forge_digits"), lang=lang()),
                       key=f"{key}-fake")
    st.plotly_chart(forest_plots.class_histogram(snap.views["class_histogram"], lang=lang()), key=f"{key}-classes")
    st.caption(t("forest.digits_drawn", covered=m["classes_covered"], kl=f"{m['class_kl']:.3f}"))


def rows_view(real, snap, data, key: str) -> None:
    """The first two numeric columns, real against generated (with leaf boxes and a zoom on the ring); marginals."""
    numeric = [j for j in range(data.x.shape[1]) if j not in data.categories]
    if len(numeric) >= 2:
        a, b = numeric[:2]
        boxes = snap.views.get("boxes") if data.x.shape[1] == 2 else None
        title = t("plot.forest.rows_title_leaves" if boxes else "plot.forest.rows_title",
                  rounds=snap.metrics["rounds"])
        columns = [data.columns[a], data.columns[b]]
        fake = snap.samples[:, [a, b]]
        if data.means is None:
            st.plotly_chart(forest_plots.points_vs_samples(real[:, [a, b]], fake, columns, title, boxes,
                                                           plane=data.kind == "points", lang=lang()),
                            key=f"{key}-points")
        else:
            left, right = st.columns(2)
            left.plotly_chart(forest_plots.points_vs_samples(real, fake, columns, title, boxes, lang=lang()),
                              key=f"{key}-points")
            zoom = (data.means[0], 8 * data.sigma)
            right.plotly_chart(forest_plots.points_vs_samples(real, fake, columns, t("plot.forest.zoom"), boxes, zoom,
                                                              lang=lang()), key=f"{key}-zoom")
            st.plotly_chart(forest_plots.mode_histogram(snap.views["mode_histogram"], lang=lang()),
                            key=f"{key}-modes")
    if data.kind == "table":
        st.plotly_chart(forest_plots.marginals(real, snap.samples, data.columns, data.categories, lang=lang()),
                        key=f"{key}-marginals")


# -- judge ------------------------------------------------------------------------------------


def judge_panel(snap, job, key: str) -> None:
    m, data = snap.metrics, job.data
    scores = {k: m[k] for k in ("c2st_same", "c2st_shifted") if k in m}
    st.plotly_chart(forest_plots.c2st_chart(scores, (m["c2st_low"], m["c2st_high"]), judge_labels(),
                                            int(m["c2st_points"]), lang=lang()), key=f"{key}-c2st")
    st.caption(t("forest.judge_band", low=f"{m['c2st_low']:.3f}", high=f"{m['c2st_high']:.3f}",
                 n=f"{int(m['c2st_points']):,}"))
    said = [t(f"forest.judge_p.{k}", p=metrics.p_value_text(m[f"{k}_p"])) for k in scores if f"{k}_p" in m]
    if said:
        st.caption(t("forest.judge_p.intro") + t("controls.list_sep").join(said))
    if data.x.shape[1] >= 2 and data.kind != "images":
        st.plotly_chart(forest_plots.judge_sets(snap.views["sets"], data.columns, lang=lang()), key=f"{key}-sets")


# -- shared -----------------------------------------------------------------------------------

PANELS = {"classifier": classifier_panel, "generator": generator_panel, "judge": judge_panel}


def snapshot_panel(snap, job, key: str) -> None:
    PANELS[job.model.config.role](snap, job, key)


def curves(job, view: JobView) -> None:
    """The role's live curve, drawn in place by ui.live_chart: the out-of-bag error streams
    a point per round; the adversarial rounds' chart is redrawn as each round comes."""
    cfg = job.model.config
    if cfg.role == "classifier":
        history_chart("forest-oob", lambda: forest_plots.oob_curve(view.history, cfg.trees_per_step, lang=lang()),
                      job, ["oob_error", "test_error"], (lang(), cfg.trees_per_step, id(job.history)))
    elif cfg.role == "generator":
        acc = list(view.history.get("oob_accuracy", []))
        kept = len(acc)
        if view.snapshots and view.snapshots[-1].views["stop_reason"].startswith("the accuracy rose"):
            kept -= 1
        figure_chart("forest-rounds", lambda: forest_plots.arf_rounds(acc, cfg.delta, kept, lang=lang()),
                     (lang(), cfg.delta, id(job.history), tuple(acc), kept))


def latest(job, view: JobView) -> None:
    """The newest snapshot and, where there are samples, a download of them."""
    if not view.snapshots:
        return
    snap = view.snapshots[-1]
    snapshot_panel(snap, job, "live")
    if len(snap.samples):
        name = "generated" if job.model.config.role == "generator" else "shifted-copy"
        st.download_button(t("forest.download"), lambda: job.model.samples_text(snap.samples),
                           file_name=f"forest-{name}-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The data, before anything has trained."""
    if data.kind == "images":
        st.plotly_chart(plots.image_grid(data.x[:64], title=t("plot.forest.preview_digits"), lang=lang()))
    elif data.x.shape[1] == 2 and data.labels is not None:
        st.plotly_chart(forest_plots.decision_surface(None, data.x, data.labels, data.class_names, data.columns,
                                                      t("plot.forest.preview", rows=f"{len(data.x):,}"), lang=lang()))
    elif data.x.shape[1] == 2:
        st.plotly_chart(forest_plots.points_vs_samples(data.x, data.x[:0], data.columns,
                                                       t("plot.forest.preview", rows=f"{len(data.x):,}"),
                                                       lang=lang()))
    else:
        import pandas as pd

        x = data.x[:10]
        frame = pd.DataFrame({word(name): ([word(c) for c in np.asarray(data.categories[j])[x[:, j].astype(int)]]
                                           if j in data.categories else x[:, j])
                              for j, name in enumerate(data.columns)})
        if data.labels is not None and data.class_names:
            frame[t("forest.preview_label")] = [word(c) for c in np.asarray(data.class_names)[data.labels[:10]]]
        st.caption(t("forest.preview_table", rows=f"{len(data.x):,}"))
        st.dataframe(frame)
