"""The Bayesian network lab's panels: graphs, tables, inference and samples on the page."""
import io
import math

import numpy as np
import pandas as pd
import streamlit as st

from core.jobs import JobView
from core.models import bayesnet_views as views
from core.plots import bayesnet as bn_plots
from ui import keys
from ui.live_chart import figure_chart
from ui.i18n import lang, t

PAGE = "bayesnet"
ALL_ROWS = 10**9  # job.view(max_points=ALL_ROWS): every row of the history, none left out


def layout_of(data) -> dict:
    """One layout for both graphs: layered by the true DAG when there is one, else by the learned one."""
    key = ("bn-layout", data.name, tuple(data.columns))
    if st.session_state.get(keys.of(PAGE, "layout-key")) != key:
        edges = sorted(data.truth.edges()) if data.truth is not None else []
        st.session_state[keys.of(PAGE, "layout")] = views.layered_layout(edges, data.columns)
        st.session_state[keys.of(PAGE, "layout-key")] = key
    return st.session_state[keys.of(PAGE, "layout")]


def graphs(snap, data, key: str) -> None:
    """The true and the learned graph side by side, same layout; as DAGs or as equivalence classes."""
    as_class = st.toggle(t("bayesnet.cpdag_toggle"), key=f"{key}-cpdag")
    directed, undirected = (snap.views["cpdag"] if as_class else (snap.views["directed"], snap.views["undirected"]))
    true = snap.views["true"]
    pos = layout_of(data) if true is not None else views.layered_layout(directed, data.columns)
    kind = "CPDAG" if as_class else "DAG"
    if true is None:
        st.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in directed] +
                                           [(u, v, False) for u, v in undirected]},
                                     t("bayesnet.learned_upload", kind=kind), lang=lang()), key=f"{key}-learned")
        return
    t_dir, t_und = true["cpdag"] if as_class else (true["edges"], [])
    left, right = st.columns(2) if len(data.columns) <= 12 else (st, st)  # a big network: one above the other
    left.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in t_dir] + [(u, v, False) for u, v in t_und]},
                                   t("bayesnet.true_graph", kind=kind), lang=lang()), key=f"{key}-true")
    classes = views.classify_edges(t_dir, directed, t_und, undirected)
    right.plotly_chart(bn_plots.dag(pos, classes, t("bayesnet.learned_graph", kind=kind), lang=lang()),
                       key=f"{key}-learned")


def scores(snap) -> None:
    m = snap.metrics
    c = st.columns(4)
    c[0].metric(t("bayesnet.metric.edges"), m["arrows"])
    if "shd" in m:
        c[1].metric(t("bayesnet.metric.shd"), m["shd"], help=t("bayesnet.metric.shd_help"))
        c[2].metric(t("bayesnet.metric.cpdag_shd"), m["cpdag_shd"], help=t("bayesnet.metric.cpdag_shd_help"))
    if "heldout_loglik" in m:
        true = m.get("true_heldout_loglik")
        delta = t("bayesnet.heldout_delta", delta=f"{m['heldout_loglik'] - true:+.3f}") if true is not None else None
        c[3].metric(t("bayesnet.metric.heldout"), f"{m['heldout_loglik']:.3f}", delta=delta, delta_color="off",
                    help=t("bayesnet.metric.heldout_help"))


def cpd_tables(snap, data, key: str) -> None:
    network = snap.views["network"]
    if network is None:
        st.caption(t("bayesnet.cpd_wait"))
        return
    node = st.selectbox(t("bayesnet.cpd_node"), data.columns, key=f"{key}-node")
    left, right = st.columns(2)
    left.plotly_chart(bn_plots.cpd(views.cpd_table(network, node, lang()), t("bayesnet.cpd_learned", node=node),
                                   lang=lang()), key=f"{key}-cpd")
    if data.truth is not None:
        right.plotly_chart(bn_plots.cpd(views.cpd_table(data.truth, node, lang()), t("bayesnet.cpd_true", node=node),
                                        lang=lang()), key=f"{key}-cpd-true")


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows."""
    data = job.data
    scores(snap)
    graphs(snap, data, key)
    if snap.views["curve"]:
        st.plotly_chart(bn_plots.learning_curve(snap.views["curve"], lang=lang()), key=f"{key}-curve")
        table = pd.DataFrame(snap.views["curve"]).groupby("rows").agg(
            samples=("seed", "size"), median_SHD=("shd", "median"), median_CPDAG_SHD=("cpdag_shd", "median"),
            SHD_each=("shd", lambda s: ", ".join(map(str, s))))
        headers = {"rows": t("bayesnet.col.rows"), "samples": t("bayesnet.col.runs"),
                   "median_SHD": t("bayesnet.col.median_shd"), "median_CPDAG_SHD": t("bayesnet.col.median_cpdag_shd"),
                   "SHD_each": t("bayesnet.col.shd_each")}
        st.dataframe(table.reset_index().rename(columns=headers), hide_index=True)
    cpd_tables(snap, data, key)
    m = snap.metrics
    if "heldout_loglik" in m:
        st.plotly_chart(bn_plots.heldout(m["heldout_loglik"], m.get("true_heldout_loglik"), lang=lang()),
                        key=f"{key}-heldout")


def curves(job, view: JobView) -> None:
    """The score per hill-climbing step: cheap, redrawn a few times a second."""
    cfg = job.model.config
    if cfg.known_structure:
        st.caption(t("bayesnet.known_caption"))
    elif cfg.method == "pc":
        st.caption(t("bayesnet.pc_caption"))
    else:
        scores, best = climb_scores(job)
        figure_chart("bayesnet-scores", lambda: bn_plots.score_per_step(scores, cfg.score.upper(), best, lang=lang()),
                     (lang(), cfg.score, id(job.history), tuple(len(s) for s in scores), best, view.state))


def climb_scores(job) -> tuple[list[list[float]], int | None]:
    """The score at the start of each hill climb and after each of its steps, and the climb kept.

    Read through the job's view, never from the model the training thread appends to:
    the newest snapshot holds the climbs up to its step, and the steps since are rows of
    the history (each one a move: a step that ends a climb takes a snapshot). A climb
    begun since the newest snapshot shows from its row `climb start`, where the model
    reports one, else from the next snapshot.
    """
    view = job.view(max_points=ALL_ROWS)  # one copy: its snapshots and its history agree
    snap = next((s for s in reversed(view.snapshots) if "scores" in s.views), None)
    scores = [list(s) for s in snap.views["scores"]] if snap is not None else []
    best = snap.views["best_climb"] if snap is not None else None
    history, since = view.history, snap.step if snap is not None else -1
    rows = zip(history["step"], history.get("climb", ()), history.get("score", ()),
               history.get("climb start", np.full(len(history["step"]), np.nan)))
    for step, climb, score, start in rows:
        if step <= since or math.isnan(climb):
            continue
        climb = int(climb) - 1
        if climb == len(scores) and not math.isnan(start):
            scores.append([float(start)])
        if climb < len(scores):
            scores[climb].append(float(score))
    return scores, best


def latest(job, view: JobView) -> None:
    if view.snapshots:
        snap = view.snapshots[-1]
        st.subheader(t("bayesnet.network_at", step=f"{snap.step:,}"))
        snapshot_panel(snap, job, "live")


def finished_network(job):
    """The learned network, or None (with a line saying why) while it is still being learned."""
    if job is None or job.model.network_ is None:
        st.caption(t("bayesnet.train_first"))
        return None
    return job.model.network_


def inference(job) -> None:
    """Ask the learned (and the true) network P(query | evidence), by variable elimination."""
    network = finished_network(job)
    if network is None:
        return
    data = job.data
    default = views.default_query(data) or (data.columns[-1], {})
    key = keys.of(PAGE, "inf", data.name, str(len(data.columns)))
    query = st.selectbox(t("bayesnet.query"), data.columns, index=data.columns.index(default[0]), key=f"{key}.q")
    others = [c for c in data.columns if c != query]
    chosen = st.multiselect(t("bayesnet.evidence"), others, default=[k for k in default[1] if k in others],
                            key=f"{key}.ev")
    evidence = {}
    cols = st.columns(max(len(chosen), 1))
    for col, var in zip(cols, chosen):
        states = data.states[data.columns.index(var)]
        start = default[1].get(var, states[0])
        evidence[var] = col.selectbox(f"{var} =", states, index=states.index(start) if start in states else 0,
                                      key=f"{key}.{var}")
    states = data.states[data.columns.index(query)]
    bars = {t("bayesnet.prior_learned"): views.posterior(network, query, {}, states),
            t("bayesnet.posterior_learned"): views.posterior(network, query, evidence, states)}
    if data.truth is not None:
        bars[t("bayesnet.posterior_true")] = views.posterior(data.truth, query, evidence, states)
    text = ", ".join(f"{k}={v}" for k, v in evidence.items())
    st.plotly_chart(bn_plots.inference(states, bars, query, text, lang=lang()), key=f"{key}.chart")
    st.caption(t("bayesnet.inference_caption"))


def frequencies(codes: np.ndarray, data) -> tuple[list[str], np.ndarray]:
    labels, shares = [], []
    for j, (c, states) in enumerate(zip(data.columns, data.states)):
        counts = np.bincount(codes[:, j], minlength=len(states)) / max(len(codes), 1)
        labels += [f"{c}={s}" for s in states]
        shares += counts.tolist()
    return labels, np.array(shares)


def samples(job) -> None:
    """Rows drawn from the learned network against the data: marginals, one pair, a download."""
    if finished_network(job) is None:
        return
    data = job.data
    snap = job.view().snapshots[-1]
    drawn = snap.samples.astype(np.int64)
    labels, real = frequencies(data.codes.astype(np.int64), data)
    _, fake = frequencies(drawn, data)
    st.plotly_chart(bn_plots.marginals(labels, real, fake, lang=lang()), key="bayesnet-marginals")
    left, right = st.columns(2)
    a = left.selectbox(t("bayesnet.first_variable"), data.columns, index=0, key=keys.of(PAGE, "pair", "a"))
    b = right.selectbox(t("bayesnet.second_variable"), data.columns, index=min(1, len(data.columns) - 1),
                        key=keys.of(PAGE, "pair", "b"))
    ia, ib = data.columns.index(a), data.columns.index(b)
    sa, sb = data.states[ia], data.states[ib]
    pair_labels = [f"{x}, {y}" for x in sa for y in sb]

    def joint(codes):
        flat = codes[:, ia] * len(sb) + codes[:, ib]
        return np.bincount(flat, minlength=len(sa) * len(sb)) / max(len(codes), 1)

    st.plotly_chart(bn_plots.pairwise(pair_labels, joint(data.codes.astype(np.int64)), joint(drawn), a, b,
                                      lang=lang()), key="bayesnet-pair")
    pair, real, fake = t("bayesnet.col.pair"), t("bayesnet.col.data"), t("bayesnet.col.samples")
    table = pd.DataFrame({pair: pair_labels, real: joint(data.codes.astype(np.int64)), fake: joint(drawn)})
    st.dataframe(table.style.format({real: "{:.3f}", fake: "{:.3f}"}), hide_index=True)
    st.download_button(t("bayesnet.download_samples"), lambda: job.model.samples_text(drawn),
                       file_name=f"bayesnet-{data.name}-samples.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The data and, for a known network, its true graph, before anything has trained."""
    if data.truth is not None:
        pos = layout_of(data)
        st.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in sorted(data.truth.edges())]},
                                     t("bayesnet.true_network", name=data.name), lang=lang()))
    st.caption(t("bayesnet.data_rows", rows=f"{len(data):,}", heldout=f"{len(data.heldout):,}"))
    st.dataframe(pd.read_csv(io.StringIO(data.text(data.codes[:8].astype(np.int64)))), hide_index=True)
