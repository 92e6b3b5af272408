"""The HMM lab's panels: what a snapshot or a running job looks like on the page."""
import numpy as np
import streamlit as st

from core.plots import hmm as hmm_plots
from core.export import samples_csv
from core.jobs import JobView
from ui.live_chart import figure_chart
from ui.i18n import lang, t

WINDOW = 300  # observations shown at once in the decoding chart


def state_names(snap, data) -> list[str]:
    """True state names once learned states are matched to them; else the model's own numbering."""
    k = len(snap.views["learned"]["startprob"])
    if snap.views["order"] is not None and data.state_names:
        return [data.state_name(j, lang()) for j in range(k)]
    return [t("hmm.state.number", k=j) for j in range(k)]


def em_status(snap, config) -> None:
    """Say plainly whether EM converged or ran out of iterations (hmmlearn calls both 'converged')."""
    m = snap.metrics
    said = dict(restart=m["restart"], iterations=f"{m['em_iterations']:,}", tol=f"{config.tol:g}")
    if m["em_hit_cap"]:
        st.warning(t("hmm.em.cap", **said))
    elif m["em_converged"]:
        st.success(t("hmm.em.converged", **said))
    else:
        st.caption(t("hmm.em.running", **said))


def scores(snap) -> None:
    """Decoding (Viterbi and posterior, each beside the same decoding with the true parameters), then the fit."""
    m = snap.metrics
    c = st.columns(4)
    for column, (key, reference) in zip(c, DECODINGS):
        if key in m:
            oracle = m.get(reference)
            column.metric(t(f"hmm.metric.{key}"), f"{m[key]:.1%}",
                          delta=t("hmm.metric.vs_truth", delta=f"{m[key] - oracle:+.1%}") if oracle else None,
                          delta_color="off", help=t(f"hmm.metric.{key}_help"))
    shown = [(c[2], "oracle_viterbi_accuracy"), (c[3], "oracle_posterior_accuracy")]
    c = st.columns(5)
    shown += [(c[0], "transmat_error"), (c[1], "emission_error"), (c[2], "log_likelihood"),
              (c[3], "true_log_likelihood"), (c[4], "restart_ll_spread")]
    for column, key in shown:
        if key in m:
            fmt, has_help = SCORES[key]
            value = fmt.format(m[key])
            if key == "restart_ll_spread":
                value = t("hmm.metric.nats", value=value)
            column.metric(t(f"hmm.metric.{key}"), value, help=t(f"hmm.metric.{key}_help") if has_help else None)


DECODINGS = (("viterbi_accuracy", "oracle_viterbi_accuracy"), ("posterior_accuracy", "oracle_posterior_accuracy"))
SCORES = {  # metric key -> (format, has help); words in hmm.metric.<key> and hmm.metric.<key>_help
    "oracle_viterbi_accuracy": ("{:.1%}", True),
    "oracle_posterior_accuracy": ("{:.1%}", True),
    "transmat_error": ("{:.3f}", True),
    "emission_error": ("{:.3f}", True),
    "log_likelihood": ("{:,.1f}", False),
    "true_log_likelihood": ("{:,.1f}", True),
    "restart_ll_spread": ("{:,.1f}", True),
}


def matrices(snap, data, names: list[str], key: str) -> None:
    """Learned next to true: transitions, then emissions (a matrix, or densities for numbers)."""
    learned, true = snap.views["learned"], snap.views["true"]
    matched = snap.views["order"] is not None
    truth_names = [data.state_name(j, lang()) for j in range(len(true["startprob"]))] if true else []
    obs_label = data.axis_title(lang())
    axes = t("plot.hmm.next_state"), t("plot.hmm.current_state")
    left, right = st.columns(2)
    left.plotly_chart(hmm_plots.hmm_matrix(learned["transmat"], t("plot.hmm.learned_transitions"), names, names,
                                           *axes, lang=lang()), key=f"{key}-A")
    if true is not None:
        right.plotly_chart(hmm_plots.hmm_matrix(true["transmat"], t("plot.hmm.true_transitions"), truth_names,
                                                truth_names, *axes, lang=lang()), key=f"{key}-A-true")
    if "emissionprob" in learned:
        symbols, axes = list(data.symbols), (obs_label, t("plot.hmm.hidden_state"))
        left, right = st.columns(2)
        left.plotly_chart(hmm_plots.hmm_matrix(learned["emissionprob"], t("plot.hmm.learned_emissions"), names,
                                               symbols, *axes, lang=lang()), key=f"{key}-B")
        if true is not None and "emissionprob" in true:
            right.plotly_chart(hmm_plots.hmm_matrix(true["emissionprob"], t("plot.hmm.true_emissions"), truth_names,
                                                    symbols, *axes, lang=lang()), key=f"{key}-B-true")
    else:
        st.plotly_chart(hmm_plots.hmm_emission_densities(learned, true if matched else None, names, obs_label,
                                                         lang=lang()), key=f"{key}-densities")
    if not matched and true is not None:
        st.caption(t("hmm.unmatched"))


def decoding(snap, data, names: list[str], key: str) -> None:
    n = len(data)
    start = 0
    if n > WINDOW:
        start = st.slider(t("hmm.window"), 0, n - WINDOW, 0, step=max(1, WINDOW // 3), key=f"{key}-window")
    st.plotly_chart(hmm_plots.hmm_decoding(data.observations, snap.views["viterbi"], snap.views["posteriors"], names,
                                           data.axis_title(lang()),
                                           data.states if snap.views["order"] is not None else None,
                                           start, WINDOW, lang=lang()), key=f"{key}-decoding")


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows."""
    data, config = job.data, job.model.config
    names = state_names(snap, data)
    em_status(snap, config)
    scores(snap)
    matrices(snap, data, names, key)
    decoding(snap, data, names, key)
    sample_names = names + [t("hmm.state.number", k=j)
                            for j in range(len(names), int(snap.views["sample_states"].max()) + 1)]
    st.plotly_chart(hmm_plots.hmm_sampled(data.observations, snap.samples[:, 0], snap.views["sample_states"],
                                          sample_names, data.axis_title(lang()),
                                          data.states if snap.views["order"] is not None else None, lang=lang()),
                    key=f"{key}-sampled")
    sel = snap.views["selection"]
    if sel is not None:
        true_k = data.truth.n_states if data.truth is not None else None
        st.plotly_chart(hmm_plots.hmm_selection(sel["states"], sel["bic"], sel["aic"], true_k, lang=lang()),
                        key=f"{key}-selection")
        if not np.isfinite(sel["bic"]).all():
            st.caption(t("hmm.skipped"))


def curves(job, view: JobView) -> None:
    """The log-likelihood per EM iteration and the restarts' end points, redrawn in place
    (ui.live_chart) as each iteration comes: the y-range follows the climb, so each is a new figure."""
    left, right = st.columns([3, 2])
    version = (lang(), id(job.history), len(view.history["step"]), view.step)
    with left:
        figure_chart("hmm-log-likelihood", lambda: hmm_plots.hmm_log_likelihood(view.history, job.model.config.n_iter,
                                                                                lang=lang()), version)
    if view.snapshots:
        with right:
            figure_chart("hmm-restarts", lambda: hmm_plots.hmm_restarts(view.snapshots[-1].views["restarts"],
                                                                        lang=lang()),
                         (lang(), id(view.snapshots[-1]), view.step))


def latest(job, view: JobView) -> None:
    """The newest snapshot and a download of its sampled sequence."""
    if view.snapshots:
        snap = view.snapshots[-1]
        step = f"{snap.step:,}"
        if not view.active and view.state == "done":
            st.subheader(t("hmm.best_at", step=step))
        else:
            st.subheader(t("hmm.restart_at", restart=snap.metrics["restart"], step=step))
        snapshot_panel(snap, job, "live")
        st.download_button(t("hmm.download"), lambda: samples_csv(snap.samples),
                           file_name=f"hmm-sample-step{snap.step}.csv", mime="text/csv", on_click="ignore")


def data_preview(data) -> None:
    """The sequence, before anything has trained."""
    n = min(WINDOW, len(data))
    names = [data.state_name(k, lang()) for k in range(int(data.states.max()) + 1)] if data.states is not None else []
    st.plotly_chart(hmm_plots.hmm_sequence(data.observations[:n], data.states[:n] if data.states is not None else None,
                                           names, data.axis_title(lang()),
                                           t("hmm.preview", n=n, total=f"{len(data):,}"), lang=lang()))
