"""The HMM lab's charts; each builder takes `lang` and words its titles, axes and legend in it."""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import text
from core.plots import FONT, REAL, layout

STATE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]


def _state_colour(k: int) -> str:
    return STATE_COLOURS[k % len(STATE_COLOURS)]


def _say(lang: str, key: str, **fields) -> str:
    """A chart's words (plot.hmm.<key>) in the reader's language."""
    return text(lang, f"plot.hmm.{key}", **fields)


def hmm_log_likelihood(history: dict, cap: int | None = None, lang: str = "en") -> go.Figure:
    """Baum-Welch's log-likelihood at each EM iteration, one line per random restart."""
    fig = go.Figure()
    if "restart" in history and len(history["step"]):
        restarts, its, lls = history["restart"], history["iteration"], history["log-likelihood"]
        shown = np.isfinite(lls)
        for r in np.unique(restarts[np.isfinite(restarts)]).astype(int):
            mask = (restarts == r) & shown
            fig.add_scatter(x=its[mask], y=lls[mask], mode="lines", name=_say(lang, "restart", restart=r),
                            line=dict(color=_state_colour(r - 1)))
        late = shown & (its >= 3)  # the first iterations leap up from a random start: keep the end in view
        if late.any():
            lo, hi = float(lls[late].min()), float(lls[shown].max())
            pad = max(0.05 * (hi - lo), 1.0)
            fig.update_yaxes(range=[lo - pad, hi + pad])
    longest = float(np.nanmax(history["iteration"])) if "iteration" in history and len(history["step"]) else 0.0
    if cap and longest >= cap / 2:  # the cap matters only when a run gets near it
        fig.add_vline(x=cap, line_dash="dot")  # a shape takes data values on a log axis, an annotation log10
        fig.add_annotation(x=np.log10(cap), y=0, xref="x", yref="y domain", text=_say(lang, "cap", cap=cap),
                           showarrow=False, xanchor="right", yanchor="bottom")  # below the curves' climb
    fig.update_xaxes(type="log")
    return layout(fig, _say(lang, "ll_title"), _say(lang, "ll_x"), _say(lang, "ll_y"))


def hmm_restarts(table: list[dict], lang: str = "en") -> go.Figure:
    """Each restart's final log-likelihood: EM finds local optima, so the random start matters."""
    fig = go.Figure()
    done = [r for r in table if r["done"] and np.isfinite(r["log_likelihood"])]  # not those EM broke down in
    for label, colour, rows in ((_say(lang, "converged"), "#2ca02c", [r for r in done if r["converged"]]),
                                (_say(lang, "at_cap"), "#ff7f0e", [r for r in done if not r["converged"]])):
        fig.add_scatter(x=[r["restart"] for r in rows], y=[r["log_likelihood"] for r in rows], mode="markers+text",
                        name=label, marker=dict(size=[18 if r["best"] else 11 for r in rows], color=colour,
                                                symbol=["star" if r["best"] else "circle" for r in rows]),
                        text=[_say(lang, "iterations", n=r["iterations"]) for r in rows], textposition="top center",
                        textfont=dict(size=12),
                        hovertemplate=_say(lang, "restart_hover") + "<extra></extra>")
    if done:
        lls = np.array([r["log_likelihood"] for r in done])
        pad = max(0.15 * float(np.ptp(lls)), 2.0)
        fig.update_yaxes(range=[float(lls.min()) - pad, float(lls.max()) + pad])
    fig.update_xaxes(dtick=1, range=[0.5, max(len(table), 1) + 0.9])
    return layout(fig, _say(lang, "restarts_title"), _say(lang, "restarts_x"), _say(lang, "restarts_y"))


def hmm_matrix(matrix: np.ndarray, title: str, rows: list[str], cols: list[str], x: str, y: str,
               height: int = 300, lang: str = "en") -> go.Figure:
    """A probability matrix as a heat map on a fixed 0..1 scale, values written in while they fit."""
    m = np.asarray(matrix, dtype=float)
    template = "%{text:.2f}" if m.shape[1] <= 10 else ""  # a wide alphabet: hover for the values
    fig = go.Figure(go.Heatmap(z=m, x=cols, y=rows, zmin=0, zmax=1, colorscale="Blues",
                               text=np.round(m, 2), texttemplate=template, textfont=dict(size=15),
                               colorbar=dict(title=_say(lang, "probability")), hovertemplate="%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return layout(fig, title, x, y, height)


def hmm_emission_densities(learned: dict, true: dict | None, names: list[str], obs_label: str,
                           lang: str = "en") -> go.Figure:
    """Each state's emission density: learned (solid) over true (dotted), Gaussian or mixture."""
    means, sds = np.asarray(learned["means"]), np.asarray(learned["sds"])
    weights = np.asarray(learned.get("weights", np.ones_like(means)))
    if means.ndim == 1:
        means, sds, weights = means[:, None], sds[:, None], weights[:, None]
    centres = [means.ravel()] + ([np.asarray(true["means"])] if true and "means" in true else [])
    spreads = [sds.ravel()] + ([np.asarray(true["sds"])] if true and "sds" in true else [])
    lo = min(float((c - 4 * s).min()) for c, s in zip(centres, spreads))
    hi = max(float((c + 4 * s).max()) for c, s in zip(centres, spreads))
    grid = np.linspace(lo, hi, 400)

    def density(mu, sd, w):
        return sum(wi * np.exp(-0.5 * ((grid - m) / s) ** 2) / (s * np.sqrt(2 * np.pi)) for m, s, wi in zip(mu, sd, w))

    fig = go.Figure()
    for k in range(len(means)):
        fig.add_scatter(x=grid, y=density(means[k], sds[k], weights[k]), mode="lines",
                        name=_say(lang, "learned_name", name=names[k]), line=dict(color=_state_colour(k), width=3))
        if true and "means" in true and k < len(true["means"]):
            fig.add_scatter(x=grid, y=density([true["means"][k]], [true["sds"][k]], [1.0]), mode="lines",
                            name=_say(lang, "true_name", name=names[k]), line=dict(color=_state_colour(k), dash="dot"))
    return layout(fig, _say(lang, "density_title"), obs_label, _say(lang, "density_y"))


def hmm_decoding(obs: np.ndarray, viterbi: np.ndarray, posteriors: np.ndarray, names: list[str], obs_label: str,
                 truth: np.ndarray | None = None, start: int = 0, width: int = 300, lang: str = "en") -> go.Figure:
    """A window of the sequence: observations, posterior P(state | all data), Viterbi path vs truth."""
    t = np.arange(start, min(start + width, len(obs)))
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.3, 0.4, 0.3],
                        subplot_titles=(_say(lang, "observations_by_truth" if truth is not None else "observations"),
                                        _say(lang, "posterior"),
                                        _say(lang, "viterbi_vs_truth" if truth is not None else "viterbi_path")))
    colours = [_state_colour(int(s)) for s in (truth[t] if truth is not None else viterbi[t])]
    fig.add_scatter(x=t, y=obs[t], mode="markers", marker=dict(size=6, color=colours), name=_say(lang, "observation"),
                    showlegend=False, row=1, col=1)
    for k in range(posteriors.shape[1]):
        fig.add_scatter(x=t, y=posteriors[t, k], mode="lines", stackgroup="post",
                        name=_say(lang, "posterior_of", name=names[k]), line=dict(width=0.5, color=_state_colour(k)),
                        row=2, col=1)
    if truth is not None:
        fig.add_scatter(x=t, y=truth[t], mode="lines", line=dict(shape="hv", color="black", width=4),
                        opacity=0.35, name=_say(lang, "true_state"), row=3, col=1)
    fig.add_scatter(x=t, y=viterbi[t], mode="lines", line=dict(shape="hv", color="#d62728", width=2),
                    name=_say(lang, "viterbi"), row=3, col=1)
    fig.update_yaxes(title_text=obs_label, row=1, col=1)
    fig.update_yaxes(title_text=_say(lang, "probability"), range=[0, 1], row=2, col=1)
    fig.update_yaxes(title_text=_say(lang, "hidden_state"), tickvals=list(range(len(names))), ticktext=names, row=3,
                     col=1)
    fig.update_xaxes(title_text=_say(lang, "time"), row=3, col=1)
    fig.update_layout(height=620, font=FONT, margin=dict(l=70, r=20, t=60, b=50),
                      legend=dict(orientation="h", y=-0.12), title=_say(lang, "decoding_title"))
    return fig


def hmm_sampled(data_obs: np.ndarray, sample_obs: np.ndarray, sample_states: np.ndarray, names: list[str],
                obs_label: str, data_states: np.ndarray | None = None, lang: str = "en") -> go.Figure:
    """The start of the data above a sequence sampled from the trained model, coloured by hidden state."""
    n = len(sample_obs)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.12,
                        subplot_titles=(_say(lang, "data_first", n=min(n, len(data_obs))),
                                        _say(lang, "sampled_n", n=n)))
    data_colours = [_state_colour(int(s)) for s in data_states[:n]] if data_states is not None else REAL
    fig.add_scatter(x=np.arange(min(n, len(data_obs))), y=data_obs[:n], mode="markers+lines",
                    line=dict(color="#cccccc", width=1), marker=dict(size=5, color=data_colours),
                    name=_say(lang, "data"), row=1, col=1)
    fig.add_scatter(x=np.arange(n), y=sample_obs, mode="markers+lines", line=dict(color="#cccccc", width=1),
                    marker=dict(size=5, color=[_state_colour(int(s)) for s in sample_states]),
                    name=_say(lang, "sampled"), row=2, col=1)
    for k, name in enumerate(names):  # a legend entry per state colour
        fig.add_scatter(x=[None], y=[None], mode="markers", marker=dict(size=9, color=_state_colour(k)), name=name)
    fig.update_yaxes(title_text=obs_label)
    fig.update_xaxes(title_text=_say(lang, "time"), row=2, col=1)
    fig.update_layout(height=480, font=FONT, margin=dict(l=70, r=20, t=60, b=50),
                      legend=dict(orientation="h", y=-0.18), title=_say(lang, "sampled_title"))
    return fig


def hmm_selection(states: list[int], bic: np.ndarray, aic: np.ndarray, true_states: int | None = None,
                  lang: str = "en") -> go.Figure:
    """BIC and AIC against the number of hidden states: the lowest point is the one each picks."""
    fig = go.Figure()
    for name, values, colour in (("BIC", np.asarray(bic), "#1f77b4"), ("AIC", np.asarray(aic), "#ff7f0e")):
        fig.add_scatter(x=states, y=values, mode="lines+markers", name=name, line=dict(color=colour))
        if np.isfinite(values).any():
            best = int(np.nanargmin(values))
            fig.add_scatter(x=[states[best]], y=[values[best]], mode="markers",
                            name=_say(lang, "picks", criterion=name, k=states[best]),
                            marker=dict(size=16, symbol="star", color=colour))
    if true_states:
        fig.add_vline(x=true_states, line_dash="dot", annotation_text=_say(lang, "true_states", k=true_states))
    fig.update_xaxes(dtick=1)
    return layout(fig, _say(lang, "selection_title"), _say(lang, "selection_x"), _say(lang, "selection_y"))


def hmm_sequence(obs: np.ndarray, states: np.ndarray | None, names: list[str], obs_label: str, title: str,
                 lang: str = "en") -> go.Figure:
    """A stretch of a sequence, each observation coloured by its hidden state when that is known."""
    fig = go.Figure()
    t = np.arange(len(obs))
    fig.add_scatter(x=t, y=obs, mode="lines", line=dict(color="#cccccc", width=1), showlegend=False, hoverinfo="skip")
    if states is None:
        fig.add_scatter(x=t, y=obs, mode="markers", marker=dict(size=6, color=REAL), name=_say(lang, "observation"))
    else:
        for k, name in enumerate(names):
            mask = states == k
            fig.add_scatter(x=t[mask], y=obs[mask], mode="markers", marker=dict(size=6, color=_state_colour(k)),
                            name=_say(lang, "hidden", name=name))
    return layout(fig, title, _say(lang, "time"), obs_label)
