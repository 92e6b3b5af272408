"""The Bayesian network lab's panels: graphs, tables, inference and samples on the page."""
import io

import numpy as np
import pandas as pd
import streamlit as st

from core.jobs import JobView
from core.models import bayesnet_views as views
from core.plots import bayesnet as bn_plots
from ui import training


def layout_of(data) -> dict:
    """One layout for both graphs: layered by the true DAG when there is one, else by the learned one."""
    key = ("bn-layout", data.name, tuple(data.columns))
    if st.session_state.get("bayesnet.layout-key") != key:
        edges = sorted(data.truth.edges()) if data.truth is not None else []
        st.session_state["bayesnet.layout"] = views.layered_layout(edges, data.columns)
        st.session_state["bayesnet.layout-key"] = key
    return st.session_state["bayesnet.layout"]


def graphs(snap, data, key: str) -> None:
    """The true and the learned graph side by side, same layout; as DAGs or as equivalence classes."""
    as_class = st.toggle("Show equivalence classes (CPDAGs): only the arrows the data can decide",
                         key=f"{key}-cpdag")
    directed, undirected = (snap.views["cpdag"] if as_class else (snap.views["directed"], snap.views["undirected"]))
    true = snap.views["true"]
    pos = layout_of(data) if true is not None else views.layered_layout(directed, data.columns)
    kind = "CPDAG" if as_class else "DAG"
    if true is None:
        st.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in directed] +
                                           [(u, v, False) for u, v in undirected]},
                                     f"Learned {kind} (no true graph for an upload)"), key=f"{key}-learned")
        return
    t_dir, t_und = true["cpdag"] if as_class else (true["edges"], [])
    left, right = st.columns(2) if len(data.columns) <= 12 else (st, st)  # a big network: one above the other
    left.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in t_dir] + [(u, v, False) for u, v in t_und]},
                                   f"True {kind}"), key=f"{key}-true")
    classes = views.classify_edges(t_dir, directed, t_und, undirected)
    right.plotly_chart(bn_plots.dag(pos, classes, f"Learned {kind}, edges against the truth"), key=f"{key}-learned")


def scores(snap) -> None:
    m = snap.metrics
    c = st.columns(4)
    c[0].metric("Edges learned", m["arrows"])
    if "shd" in m:
        c[1].metric("SHD (DAGs)", m["shd"], help="edges to add, remove or reverse to turn the learned DAG into "
                                                 "the true one")
        c[2].metric("CPDAG-SHD", m["cpdag_shd"], help="the same between the equivalence classes: directions the "
                                                       "data cannot decide do not count")
    if "heldout_loglik" in m:
        true = m.get("true_heldout_loglik")
        c[3].metric("Held-out log-lik. (nats/row)", f"{m['heldout_loglik']:.3f}",
                    delta=f"{m['heldout_loglik'] - true:+.3f} vs true network" if true is not None else None,
                    delta_color="off", help="mean log P(row) on rows kept back from learning")


def cpd_tables(snap, data, key: str) -> None:
    network = snap.views["network"]
    if network is None:
        st.caption("The tables P(node | parents) appear once the parameters are learned.")
        return
    node = st.selectbox("Node whose table to show", data.columns, key=f"{key}-node")
    left, right = st.columns(2)
    left.plotly_chart(bn_plots.cpd(views.cpd_table(network, node), f"Learned P({node} | parents)"),
                      key=f"{key}-cpd")
    if data.truth is not None:
        right.plotly_chart(bn_plots.cpd(views.cpd_table(data.truth, node), f"True P({node} | parents)"),
                           key=f"{key}-cpd-true")


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows."""
    data = job.data
    scores(snap)
    graphs(snap, data, key)
    if snap.views["curve"]:
        st.plotly_chart(bn_plots.learning_curve(snap.views["curve"]), key=f"{key}-curve")
        table = pd.DataFrame(snap.views["curve"]).groupby("rows").agg(
            samples=("seed", "size"), median_SHD=("shd", "median"), median_CPDAG_SHD=("cpdag_shd", "median"),
            SHD_each=("shd", lambda s: ", ".join(map(str, s))))
        st.dataframe(table.reset_index(), hide_index=True)
    cpd_tables(snap, data, key)
    m = snap.metrics
    if "heldout_loglik" in m:
        st.plotly_chart(bn_plots.heldout(m["heldout_loglik"], m.get("true_heldout_loglik")), key=f"{key}-heldout")


def curves(job, view: JobView) -> None:
    """Status and the score per hill-climbing step: cheap, redrawn a few times a second."""
    training.status(view, "CPU (pgmpy)")
    cfg = job.model.config
    if cfg.known_structure:
        st.caption("Known structure: the true graph is used, and only its tables are learned.")
    elif cfg.method == "pc":
        st.caption("PC has no steps to watch: it runs its independence tests in one go (one event), then the "
                   "parameters are learned.")
    else:
        scores = [list(s) for s in getattr(job.model, "scores_", [])]
        st.plotly_chart(bn_plots.score_per_step(scores, cfg.score.upper(), getattr(job.model, "best_climb_", None)))


def latest(job, view: JobView) -> None:
    if view.snapshots:
        snap = view.snapshots[-1]
        st.subheader(f"The network at step {snap.step:,}")
        snapshot_panel(snap, job, "live")


def finished_network(job):
    """The learned network, or None (with a line saying why) while it is still being learned."""
    if job is None or getattr(job.model, "network_", None) is None:
        st.caption("Train the network first: this tab uses the learned network (nothing here retrains it).")
        return None
    return job.model.network_


def inference(job) -> None:
    """Ask the learned (and the true) network P(query | evidence), by variable elimination."""
    network = finished_network(job)
    if network is None:
        return
    data = job.data
    default = views.default_query(data) or (data.columns[-1], {})
    key = f"bayesnet.inf.{data.name}.{len(data.columns)}"
    query = st.selectbox("Query variable", data.columns, index=data.columns.index(default[0]), key=f"{key}.q")
    others = [c for c in data.columns if c != query]
    chosen = st.multiselect("Evidence variables", others, default=[k for k in default[1] if k in others],
                            key=f"{key}.ev")
    evidence = {}
    cols = st.columns(max(len(chosen), 1))
    for col, var in zip(cols, chosen):
        states = data.states[data.columns.index(var)]
        start = default[1].get(var, states[0])
        evidence[var] = col.selectbox(f"{var} =", states, index=states.index(start) if start in states else 0,
                                      key=f"{key}.{var}")
    states = data.states[data.columns.index(query)]
    bars = {"prior (learned network)": views.posterior(network, query, {}, states),
            "posterior (learned network)": views.posterior(network, query, evidence, states)}
    if data.truth is not None:
        bars["posterior (true network)"] = views.posterior(data.truth, query, evidence, states)
    text = ", ".join(f"{k}={v}" for k, v in evidence.items())
    st.plotly_chart(bn_plots.inference(states, bars, query, text), key=f"{key}.chart")
    st.caption("Exact inference by variable elimination (pgmpy): sum out every other variable from the product "
               "of the tables. The grey bars ignore the evidence.")


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
    st.plotly_chart(bn_plots.marginals(labels, real, fake), key="bayesnet-marginals")
    left, right = st.columns(2)
    a = left.selectbox("First variable", data.columns, index=0, key="bayesnet.pair.a")
    b = right.selectbox("Second variable", data.columns, index=min(1, len(data.columns) - 1), key="bayesnet.pair.b")
    ia, ib = data.columns.index(a), data.columns.index(b)
    sa, sb = data.states[ia], data.states[ib]
    pair_labels = [f"{x}, {y}" for x in sa for y in sb]

    def joint(codes):
        flat = codes[:, ia] * len(sb) + codes[:, ib]
        return np.bincount(flat, minlength=len(sa) * len(sb)) / max(len(codes), 1)

    st.plotly_chart(bn_plots.pairwise(pair_labels, joint(data.codes.astype(np.int64)), joint(drawn), a, b),
                    key="bayesnet-pair")
    table = pd.DataFrame({"pair": pair_labels, "data": joint(data.codes.astype(np.int64)), "samples": joint(drawn)})
    st.dataframe(table.style.format({"data": "{:.3f}", "samples": "{:.3f}"}), hide_index=True)
    st.download_button("Download the samples (CSV)", lambda: job.model.samples_text(drawn),
                       file_name=f"bayesnet-{data.name}-samples.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The data and, for a known network, its true graph, before anything has trained."""
    if data.note:
        st.text(f"Upload fixed as asked: {data.note}.")  # holds column names: plain text, never markdown
    if data.truth is not None:
        pos = layout_of(data)
        st.plotly_chart(bn_plots.dag(pos, {"true": [(u, v, True) for u, v in sorted(data.truth.edges())]},
                                     f"The true network '{data.name}' (press Train to learn it from the data)"))
    st.caption(f"The data: {len(data):,} rows to learn from, {len(data.heldout):,} held out; first rows:")
    st.dataframe(pd.read_csv(io.StringIO(data.text(data.codes[:8].astype(np.int64)))), hide_index=True)
