"""Plotly figure builders: pure functions from results to figures.

Every chart has labelled axes with units (or says 'unitless'), a title that
says what it shows, and sizes that read on a projector.
"""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.data.digits import to_pixels

FONT = dict(size=15)
REAL, FAKE = "#1f77b4", "#d62728"


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, height=height, font=FONT,
                      margin=dict(l=60, r=20, t=50, b=50), legend=dict(orientation="h", y=-0.25))
    return fig


def line_chart(history: dict, keys: list[str], title: str, y: str) -> go.Figure:
    """Series from a downsampled history against the training step."""
    fig = go.Figure()
    for key in keys:
        if key in history and len(history["step"]):
            fig.add_scatter(x=history["step"], y=history[key], mode="lines", name=key)
    return _layout(fig, title, "training step (generator updates)", y)


def gan_losses(history: dict) -> go.Figure:
    return line_chart(history, ["D loss", "G loss"], "Losses", "loss (nats, unitless)")


def gan_d_outputs(history: dict, loss: str) -> go.Figure:
    prob = loss in ("minimax", "non-saturating")
    y = "mean D output (probability)" if prob else "mean critic score (unitless)"
    fig = line_chart(history, ["D(real)", "D(fake)"], "D(real) and D(fake)", y)
    if prob:
        fig.add_hline(y=0.5, line_dash="dot", annotation_text="0.5: D cannot tell")
    return fig


def gan_grad_norms(history: dict, clip: float) -> go.Figure:
    """Gradient norms before clipping, on a log scale, with the clipping threshold."""
    fig = line_chart(history, ["grad norm G", "grad norm D"], "Gradient norms (before clipping)",
                     "||gradient||₂ (log scale)")
    fig.update_yaxes(type="log")
    if clip:
        fig.add_hline(y=clip, line_dash="dot", annotation_text=f"clipped to {clip:g}")
    return fig


def points_view(real: np.ndarray, fake: np.ndarray, heat: dict | None = None,
                arrows: dict | None = None, title: str = "Real and generated points",
                max_points: int = 1000) -> go.Figure:
    """Real vs generated points over D's output, with G's gradients as arrows (as GAN Lab)."""
    fig = go.Figure()
    if heat is not None:
        fig.add_heatmap(x=heat["x"], y=heat["y"], z=heat["z"], colorscale="Greens", opacity=0.6,
                        colorbar=dict(title="D output", len=0.8), hovertemplate="D=%{z:.2f}<extra></extra>")
    real, fake = real[:max_points], fake[:max_points]  # SVG in the browser: a thousand each reads as well
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real",
                    marker=dict(size=9, color=REAL, opacity=0.3))  # wide and faint: visible under the fakes
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name="generated",
                    marker=dict(size=4, color=FAKE, opacity=0.6))
    if arrows is not None and len(arrows["x"]):
        fig.add_scatter(**_arrow_segments(arrows, real), mode="lines", name="G's gradient",
                        line=dict(color="black", width=1), hoverinfo="skip")
    fig = _layout(fig, title, "x (data units)", "y (data units)", height=520)
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def _arrow_segments(arrows: dict, real: np.ndarray) -> dict:
    """Segments from each sample along -dLoss_G/dx, scaled so the longest is 1/8 of the view."""
    start, push = arrows["x"], arrows["push"]
    span = float(np.ptp(real, axis=0).max()) or 1.0
    longest = float(np.linalg.norm(push, axis=1).max()) or 1.0
    end = start + push * (span / 8 / longest)
    xs = np.column_stack([start[:, 0], end[:, 0], np.full(len(start), np.nan)]).ravel()
    ys = np.column_stack([start[:, 1], end[:, 1], np.full(len(start), np.nan)]).ravel()
    return {"x": xs, "y": ys}


def mode_histogram(counts: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot", annotation_text="uniform")
    return _layout(fig, "High-quality samples per mode", "mode (index)", "samples (count)")


def modes_over_time(steps: list[int], histograms: list[np.ndarray]) -> go.Figure:
    """Modes x step heat map: collapse is a few bright rows; mode hopping, a bright row that moves."""
    z = np.array(histograms, dtype=float).T if histograms else np.zeros((1, 1))
    share = z / np.maximum(z.sum(axis=0, keepdims=True), 1)
    fig = go.Figure(go.Heatmap(x=steps, y=list(range(z.shape[0])), z=share, colorscale="Viridis",
                               colorbar=dict(title="share of HQ samples")))
    return _layout(fig, "Which modes the generator covers, over training", "training step", "mode (index)")


def image_grid(images: np.ndarray, cols: int = 8, title: str = "Generated digits") -> go.Figure:
    """8x8 images tiled in a grid (one blank pixel between), on the data's own 0..16 ink scale."""
    pix = to_pixels(images)
    rows = int(np.ceil(len(pix) / cols))
    canvas = np.full((rows * 9 - 1, cols * 9 - 1), np.nan)
    for i, img in enumerate(pix):
        r, c = divmod(i, cols)
        canvas[r * 9 : r * 9 + 8, c * 9 : c * 9 + 8] = img
    fig = go.Figure(go.Heatmap(z=canvas, colorscale="Greys", zmin=0, zmax=16, showscale=False,
                               hovertemplate="ink %{z:.0f} of 16<extra></extra>"))
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed",
                     scaleanchor="x", constrain="domain")
    height = int(np.clip(60 + 360 * canvas.shape[0] / canvas.shape[1], 150, 480))
    fig = _layout(fig, title, f"{cols} images per row, 8x8 pixels each (ink 0-16, black = 16)", "", height)
    fig.update_layout(plot_bgcolor="white")
    return fig


def class_histogram(counts: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot", annotation_text="uniform")
    return _layout(fig, "Digits drawn, as the reference classifier reads them", "digit class", "samples (count)")


def memorisation(distances: np.ndarray, real_nearest: float) -> go.Figure:
    """Each sample's distance to its nearest training image, against real digits' own spacing."""
    fig = go.Figure(go.Histogram(x=distances, nbinsx=40, marker_color=FAKE, name="generated"))
    fig.add_vline(x=real_nearest, line_dash="dot",
                  annotation_text="real digit to its nearest other digit (median)")
    return _layout(fig, "Memorisation: distance to the nearest training image",
                   "Euclidean distance (pixels scaled to [-1, 1])", "samples (count)")


def gan_gradient_saturation() -> go.Figure:
    """|dLoss_G/dlogit| against D(G(z)): minimax vanishes exactly where G is worst."""
    d = np.linspace(0.001, 0.999, 300)
    fig = go.Figure()
    fig.add_scatter(x=d, y=d, name="minimax: log(1 - D(G(z)))  ->  |grad| = D")
    fig.add_scatter(x=d, y=1 - d, name="non-saturating: -log D(G(z))  ->  |grad| = 1 - D")
    fig.add_vrect(x0=0, x1=0.1, fillcolor="grey", opacity=0.15, annotation_text="early training: D wins")
    return _layout(fig, "Generator's gradient with respect to D's logit", "D(G(z)) (probability)",
                   "|gradient| (per unit logit)")



def family_tree(families) -> go.Figure:
    """HMM -> BN -> forest -> RNN -> GAN as a row of equal boxes joined by arrows."""
    fig = go.Figure()
    width, gap = 1.6, 0.5
    for i, fam in enumerate(families):
        x0 = i * (width + gap)
        fig.add_shape(type="rect", x0=x0, x1=x0 + width, y0=0.35, y1=0.8, line=dict(color="#444", width=1.5),
                      fillcolor="#eef4fb")
        fig.add_annotation(x=x0 + width / 2, y=0.575, text="<br>".join(_wrap(fam.name, 16)), showarrow=False,
                           font=dict(size=15, color="#111"))
        fig.add_annotation(x=x0 + width / 2, y=0.12, text="<br>".join(_wrap(fam.kind, 22)), showarrow=False,
                           font=dict(size=12, color="#444"))
        if i:
            fig.add_annotation(x=x0, y=0.575, ax=x0 - gap, ay=0.575, xref="x", yref="y", axref="x", ayref="y",
                               showarrow=True, arrowhead=3, arrowwidth=2, text="")
    right = len(families) * (width + gap) - gap
    fig.update_xaxes(visible=False, range=[-0.05, right + 0.05])
    fig.update_yaxes(visible=False, range=[-0.1, 0.9])
    fig.update_layout(height=200, margin=dict(l=0, r=0, t=10, b=0), font=FONT, plot_bgcolor="white")
    return fig


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + [line]


# -- HMM lab -------------------------------------------------------------------
STATE_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]


def _state_colour(k: int) -> str:
    return STATE_COLOURS[k % len(STATE_COLOURS)]


def hmm_log_likelihood(history: dict, cap: int | None = None) -> go.Figure:
    """Baum-Welch's log-likelihood at each EM iteration, one line per random restart."""
    fig = go.Figure()
    if "restart" in history and len(history["step"]):
        restarts, its, lls = history["restart"], history["iteration"], history["log-likelihood"]
        shown = np.isfinite(lls)
        for r in np.unique(restarts[np.isfinite(restarts)]).astype(int):
            mask = (restarts == r) & shown
            fig.add_scatter(x=its[mask], y=lls[mask], mode="lines", name=f"restart {r}",
                            line=dict(color=_state_colour(r - 1)))
        late = shown & (its >= 3)  # the first iterations leap up from a random start: keep the end in view
        if late.any():
            lo, hi = float(lls[late].min()), float(lls[shown].max())
            pad = max(0.05 * (hi - lo), 1.0)
            fig.update_yaxes(range=[lo - pad, hi + pad])
    longest = float(np.nanmax(history["iteration"])) if "iteration" in history and len(history["step"]) else 0.0
    if cap and longest >= cap / 2:  # the cap matters only when a run gets near it
        fig.add_vline(x=cap, line_dash="dot", annotation_text=f"cap: {cap} iterations")
    fig.update_xaxes(type="log")
    return _layout(fig, "Baum-Welch: log-likelihood at each EM iteration", "EM iteration (log scale)",
                   "log P(x | θ) (nats)")


def hmm_restarts(table: list[dict]) -> go.Figure:
    """Each restart's final log-likelihood: EM finds local optima, so the random start matters."""
    fig = go.Figure()
    done = [r for r in table if r["done"] and np.isfinite(r["log_likelihood"])]  # not those EM broke down in
    for label, colour, rows in (("converged", "#2ca02c", [r for r in done if r["converged"]]),
                                ("stopped at the cap", "#ff7f0e", [r for r in done if not r["converged"]])):
        fig.add_scatter(x=[r["restart"] for r in rows], y=[r["log_likelihood"] for r in rows], mode="markers+text",
                        name=label, marker=dict(size=[18 if r["best"] else 11 for r in rows], color=colour,
                                                symbol=["star" if r["best"] else "circle" for r in rows]),
                        text=[f"{r['iterations']} it." for r in rows], textposition="top center",
                        textfont=dict(size=12),
                        hovertemplate="restart %{x}: %{y:.1f} nats<extra></extra>")
    if done:
        lls = np.array([r["log_likelihood"] for r in done])
        pad = max(0.15 * float(np.ptp(lls)), 2.0)
        fig.update_yaxes(range=[float(lls.min()) - pad, float(lls.max()) + pad])
    fig.update_xaxes(dtick=1, range=[0.5, max(len(table), 1) + 0.9])
    return _layout(fig, "Restarts: final log-likelihood (★ best)", "restart", "final log P(x | θ) (nats)")


def hmm_matrix(matrix: np.ndarray, title: str, rows: list[str], cols: list[str], x: str, y: str,
               height: int = 300) -> go.Figure:
    """A probability matrix as a heat map on a fixed 0..1 scale, values written in while they fit."""
    m = np.asarray(matrix, dtype=float)
    template = "%{text:.2f}" if m.shape[1] <= 10 else ""  # a wide alphabet: hover for the values
    fig = go.Figure(go.Heatmap(z=m, x=cols, y=rows, zmin=0, zmax=1, colorscale="Blues",
                               text=np.round(m, 2), texttemplate=template, textfont=dict(size=15),
                               colorbar=dict(title="probability"), hovertemplate="%{z:.3f}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return _layout(fig, title, x, y, height)


def hmm_emission_densities(learned: dict, true: dict | None, names: list[str], obs_label: str) -> go.Figure:
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
        fig.add_scatter(x=grid, y=density(means[k], sds[k], weights[k]), mode="lines", name=f"{names[k]} (learned)",
                        line=dict(color=_state_colour(k), width=3))
        if true and "means" in true and k < len(true["means"]):
            fig.add_scatter(x=grid, y=density([true["means"][k]], [true["sds"][k]], [1.0]), mode="lines",
                            name=f"{names[k]} (true)", line=dict(color=_state_colour(k), dash="dot"))
    return _layout(fig, "Emission density of each hidden state", obs_label, "probability density (per unit)")


def hmm_decoding(obs: np.ndarray, viterbi: np.ndarray, posteriors: np.ndarray, names: list[str], obs_label: str,
                 truth: np.ndarray | None = None, start: int = 0, width: int = 300) -> go.Figure:
    """A window of the sequence: observations, posterior P(state | all data), Viterbi path vs truth."""
    t = np.arange(start, min(start + width, len(obs)))
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.07, row_heights=[0.3, 0.4, 0.3],
                        subplot_titles=("Observations (coloured by the true state)" if truth is not None
                                        else "Observations",
                                        "Posterior probability of each state (forward-backward)",
                                        "Most likely path (Viterbi)" + (" against the true states" if truth is not None
                                                                         else "")))
    colours = [_state_colour(int(s)) for s in (truth[t] if truth is not None else viterbi[t])]
    fig.add_scatter(x=t, y=obs[t], mode="markers", marker=dict(size=6, color=colours), name="observation",
                    showlegend=False, row=1, col=1)
    for k in range(posteriors.shape[1]):
        fig.add_scatter(x=t, y=posteriors[t, k], mode="lines", stackgroup="post", name=f"P({names[k]})",
                        line=dict(width=0.5, color=_state_colour(k)), row=2, col=1)
    if truth is not None:
        fig.add_scatter(x=t, y=truth[t], mode="lines", line=dict(shape="hv", color="black", width=4),
                        opacity=0.35, name="true state", row=3, col=1)
    fig.add_scatter(x=t, y=viterbi[t], mode="lines", line=dict(shape="hv", color="#d62728", width=2),
                    name="Viterbi", row=3, col=1)
    fig.update_yaxes(title_text=obs_label, row=1, col=1)
    fig.update_yaxes(title_text="probability", range=[0, 1], row=2, col=1)
    fig.update_yaxes(title_text="hidden state", tickvals=list(range(len(names))), ticktext=names, row=3, col=1)
    fig.update_xaxes(title_text="time step t (observations)", row=3, col=1)
    fig.update_layout(height=620, font=FONT, margin=dict(l=70, r=20, t=60, b=50),
                      legend=dict(orientation="h", y=-0.12), title="Decoding the hidden states")
    return fig


def hmm_sampled(data_obs: np.ndarray, sample_obs: np.ndarray, sample_states: np.ndarray, names: list[str],
                obs_label: str, data_states: np.ndarray | None = None) -> go.Figure:
    """The start of the data above a sequence sampled from the trained model, coloured by hidden state."""
    n = len(sample_obs)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, shared_yaxes=True, vertical_spacing=0.12,
                        subplot_titles=(f"Data: the first {min(n, len(data_obs))} observations",
                                        f"Sampled from the trained model: {n} observations"))
    data_colours = [_state_colour(int(s)) for s in data_states[:n]] if data_states is not None else REAL
    fig.add_scatter(x=np.arange(min(n, len(data_obs))), y=data_obs[:n], mode="markers+lines",
                    line=dict(color="#cccccc", width=1), marker=dict(size=5, color=data_colours), name="data",
                    row=1, col=1)
    fig.add_scatter(x=np.arange(n), y=sample_obs, mode="markers+lines", line=dict(color="#cccccc", width=1),
                    marker=dict(size=5, color=[_state_colour(int(s)) for s in sample_states]), name="sampled",
                    row=2, col=1)
    for k, name in enumerate(names):  # a legend entry per state colour
        fig.add_scatter(x=[None], y=[None], mode="markers", marker=dict(size=9, color=_state_colour(k)), name=name)
    fig.update_yaxes(title_text=obs_label)
    fig.update_xaxes(title_text="time step t (observations)", row=2, col=1)
    fig.update_layout(height=480, font=FONT, margin=dict(l=70, r=20, t=60, b=50),
                      legend=dict(orientation="h", y=-0.18), title="Data and a sampled sequence")
    return fig


def hmm_selection(states: list[int], bic: np.ndarray, aic: np.ndarray, true_states: int | None = None) -> go.Figure:
    """BIC and AIC against the number of hidden states: the lowest point is the one each picks."""
    fig = go.Figure()
    for name, values, colour in (("BIC", np.asarray(bic), "#1f77b4"), ("AIC", np.asarray(aic), "#ff7f0e")):
        fig.add_scatter(x=states, y=values, mode="lines+markers", name=name, line=dict(color=colour))
        if np.isfinite(values).any():
            best = int(np.nanargmin(values))
            fig.add_scatter(x=[states[best]], y=[values[best]], mode="markers", name=f"{name} picks {states[best]}",
                            marker=dict(size=16, symbol="star", color=colour))
    if true_states:
        fig.add_vline(x=true_states, line_dash="dot", annotation_text=f"true: {true_states} states")
    fig.update_xaxes(dtick=1)
    return _layout(fig, "Model selection: BIC and AIC (lower is better)", "number of hidden states",
                   "criterion (nats: −2 log-likelihood + penalty)")


def hmm_sequence(obs: np.ndarray, states: np.ndarray | None, names: list[str], obs_label: str, title: str) -> go.Figure:
    """A stretch of a sequence, each observation coloured by its hidden state when that is known."""
    fig = go.Figure()
    t = np.arange(len(obs))
    fig.add_scatter(x=t, y=obs, mode="lines", line=dict(color="#cccccc", width=1), showlegend=False, hoverinfo="skip")
    if states is None:
        fig.add_scatter(x=t, y=obs, mode="markers", marker=dict(size=6, color=REAL), name="observation")
    else:
        for k, name in enumerate(names):
            mask = states == k
            fig.add_scatter(x=t[mask], y=obs[mask], mode="markers", marker=dict(size=6, color=_state_colour(k)),
                            name=f"hidden: {name}")
    return _layout(fig, title, "time step t (observations)", obs_label)
