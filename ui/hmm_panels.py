"""The HMM lab's panels: what a snapshot or a running job looks like on the page."""
import numpy as np
import streamlit as st

from core.plots import hmm as hmm_plots
from core.export import samples_csv
from core.jobs import JobView
from ui import training

WINDOW = 300  # observations shown at once in the decoding chart


def state_names(snap, data) -> list[str]:
    """True state names once learned states are matched to them; else the model's own numbering."""
    k = len(snap.views["learned"]["startprob"])
    if snap.views["order"] is not None and data.state_names:
        return [data.state_name(j) for j in range(k)]
    return [f"state {j}" for j in range(k)]


def em_status(snap, config) -> None:
    """Say plainly whether EM converged or ran out of iterations (hmmlearn calls both 'converged')."""
    m = snap.metrics
    if m["em_hit_cap"]:
        st.warning(f"Restart {m['restart']}: EM stopped at its cap of {m['em_iterations']:,} iterations **without "
                   f"converging** (the last iteration still gained more than {config.tol:g} nats). Its parameters "
                   "may be far from the optimum: raise the cap, or press Stop and then Continue training.")
    elif m["em_converged"]:
        st.success(f"Restart {m['restart']}: EM converged after {m['em_iterations']:,} iterations (the last one "
                   f"gained less than {config.tol:g} nats).")
    else:
        st.caption(f"Restart {m['restart']}: EM running, {m['em_iterations']:,} iterations so far.")


def scores(snap) -> None:
    m = snap.metrics
    c = st.columns(4)
    if "viterbi_accuracy" in m:
        oracle = m.get("oracle_viterbi_accuracy")
        c[0].metric("Viterbi accuracy", f"{m['viterbi_accuracy']:.1%}",
                    delta=f"{m['viterbi_accuracy'] - oracle:+.1%} vs true parameters" if oracle else None,
                    delta_color="off", help="share of time steps whose hidden state the Viterbi path gets right")
    shown = [(c[1], "oracle_viterbi_accuracy"), (c[2], "transmat_error"), (c[3], "emission_error")]
    c = st.columns(4)
    shown += [(c[0], "log_likelihood"), (c[1], "true_log_likelihood"), (c[2], "restart_ll_spread")]
    for column, key in shown:
        if key in m:
            label, fmt, help_ = SCORES[key]
            column.metric(label, fmt.format(m[key]), help=help_)


SCORES = {  # metric key -> (label, format, help)
    "oracle_viterbi_accuracy": ("Viterbi with the true parameters", "{:.1%}",
                                "the best decoding can do here: even knowing the dice exactly, a short run of sixes "
                                "may come from the fair one"),
    "transmat_error": ("Transition error", "{:.3f}",
                       "largest absolute difference from the true transition matrix, states matched"),
    "emission_error": ("Emission error", "{:.3f}",
                       "largest absolute difference from the true emission parameters, states matched"),
    "log_likelihood": ("log-likelihood (nats)", "{:,.1f}", None),
    "true_log_likelihood": ("… with the true parameters", "{:,.1f}",
                            "EM can beat the truth slightly: it fits this sample's quirks"),
    "restart_ll_spread": ("Spread of the restarts", "{:,.1f} nats",
                          "best minus worst final log-likelihood: large means local optima"),
}


def matrices(snap, data, names: list[str], key: str) -> None:
    """Learned next to true: transitions, then emissions (a matrix, or densities for numbers)."""
    learned, true = snap.views["learned"], snap.views["true"]
    matched = snap.views["order"] is not None
    truth_names = [data.state_name(j) for j in range(len(true["startprob"]))] if true else []
    left, right = st.columns(2)
    left.plotly_chart(hmm_plots.hmm_matrix(learned["transmat"], "Learned transitions P(next | now)", names, names,
                                       "next state", "current state"), key=f"{key}-A")
    if true is not None:
        right.plotly_chart(hmm_plots.hmm_matrix(true["transmat"], "True transitions", truth_names, truth_names,
                                            "next state", "current state"), key=f"{key}-A-true")
    if "emissionprob" in learned:
        symbols = list(data.symbols)
        left, right = st.columns(2)
        left.plotly_chart(hmm_plots.hmm_matrix(learned["emissionprob"], "Learned emissions P(symbol | state)", names,
                                           symbols, data.obs_label, "hidden state"), key=f"{key}-B")
        if true is not None and "emissionprob" in true:
            right.plotly_chart(hmm_plots.hmm_matrix(true["emissionprob"], "True emissions", truth_names, symbols,
                                                data.obs_label, "hidden state"), key=f"{key}-B-true")
    else:
        st.plotly_chart(hmm_plots.hmm_emission_densities(learned, true if matched else None, names, data.obs_label),
                        key=f"{key}-densities")
    if not matched and true is not None:
        st.caption("The model's states cannot be paired with the true ones (a different number of states, or "
                   "emissions of another kind), so the matrices are shown in the model's own order.")


def decoding(snap, data, names: list[str], key: str) -> None:
    n = len(data)
    start = 0
    if n > WINDOW:
        start = st.slider("Window start (time step)", 0, n - WINDOW, 0, step=max(1, WINDOW // 3),
                          key=f"{key}-window")
    st.plotly_chart(hmm_plots.hmm_decoding(data.observations, snap.views["viterbi"], snap.views["posteriors"], names,
                                       data.obs_label, data.states if snap.views["order"] is not None else None,
                                       start, WINDOW), key=f"{key}-decoding")


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows."""
    data, config = job.data, job.model.config
    names = state_names(snap, data)
    em_status(snap, config)
    scores(snap)
    matrices(snap, data, names, key)
    decoding(snap, data, names, key)
    sample_names = names + [f"state {j}" for j in range(len(names), int(snap.views["sample_states"].max()) + 1)]
    st.plotly_chart(hmm_plots.hmm_sampled(data.observations, snap.samples[:, 0], snap.views["sample_states"],
                                      sample_names, data.obs_label,
                                      data.states if snap.views["order"] is not None else None), key=f"{key}-sampled")
    sel = snap.views["selection"]
    if sel is not None:
        true_k = data.truth.n_states if data.truth is not None else None
        st.plotly_chart(hmm_plots.hmm_selection(sel["states"], sel["bic"], sel["aic"], true_k), key=f"{key}-selection")
        if not np.isfinite(sel["bic"]).all():
            st.caption("Numbers of states with more free parameters than observations were skipped.")


def curves(job, view: JobView) -> None:
    """Status, the log-likelihood per EM iteration and the restarts' end points: redrawn often."""
    training.status(view, "CPU (hmmlearn)")
    left, right = st.columns([3, 2])
    left.plotly_chart(hmm_plots.hmm_log_likelihood(view.history, job.model.config.n_iter))
    if view.snapshots:
        right.plotly_chart(hmm_plots.hmm_restarts(view.snapshots[-1].views["restarts"]))


def latest(job, view: JobView) -> None:
    """The newest snapshot and a download of its sampled sequence."""
    if view.snapshots:
        snap = view.snapshots[-1]
        title = "The best restart" if not view.active and view.state == "done" else f"Restart {snap.metrics['restart']}"
        st.subheader(f"{title}, at step {snap.step:,}")
        snapshot_panel(snap, job, "live")
        st.download_button("Download the sampled sequence (CSV)", lambda: samples_csv(snap.samples),
                           file_name=f"hmm-sample-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The sequence, before anything has trained."""
    n = min(WINDOW, len(data))
    names = [data.state_name(k) for k in range(int(data.states.max()) + 1)] if data.states is not None else []
    st.plotly_chart(hmm_plots.hmm_sequence(data.observations[:n], data.states[:n] if data.states is not None else None,
                                       names, data.obs_label, f"The data: first {n} of {len(data):,} observations "
                                       "(press Train)"))
