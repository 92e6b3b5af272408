"""The RNN lab's charts: losses, the gradient through time, hidden states, a continued wave."""
import numpy as np
import plotly.graph_objects as go

from core.plots import FAKE, REAL, layout

CELL_COLOURS = {"rnn": "#d62728", "lstm": "#1f77b4", "gru": "#2ca02c"}
CELL_NAMES = {"rnn": "vanilla RNN", "lstm": "LSTM", "gru": "GRU"}
STEP_AXIS = "training step (updates)"


def _series(fig: go.Figure, history: dict, key: str, name: str, colour: str | None = None, dash: str | None = None):
    """One series against the step, NaN rows dropped (scores exist only at snapshots)."""
    if key not in history or not len(history["step"]):
        return
    y = np.asarray(history[key], dtype=float)
    keep = np.isfinite(y)
    mode = "lines" if keep.mean() > 0.5 else "lines+markers"
    fig.add_scatter(x=history["step"][keep], y=y[keep], mode=mode, name=name,
                    line=dict(color=colour, dash=dash))


def rnn_losses(history: dict, cells, key, kind: str) -> go.Figure:
    """Training loss (every report) and validation loss (every snapshot), per cell."""
    fig = go.Figure()
    for cell in cells:
        label = CELL_NAMES[cell] + ": " if len(cells) > 1 else ""
        _series(fig, history, key("train loss", cell), f"{label}train", CELL_COLOURS[cell])
        _series(fig, history, key("val_loss", cell), f"{label}validation", CELL_COLOURS[cell], "dot")
    y = "mean squared error (unitless)" if kind == "series" else "cross-entropy (nats per symbol)"
    fig = layout(fig, "Training and validation loss", STEP_AXIS, y, height=360 + 30 * len(cells))
    fig.update_layout(legend=dict(y=-0.22 - 0.08 * len(cells)), margin=dict(b=50 + 40 * len(cells)))
    return fig


def rnn_scores(history: dict, cells, key, name: str, title: str, y: str, log: bool = False) -> go.Figure:
    """A score recorded at each snapshot (perplexity, accuracy, valid share), per cell."""
    fig = go.Figure()
    for cell in cells:
        _series(fig, history, key(name, cell), CELL_NAMES[cell], CELL_COLOURS[cell])
    fig = layout(fig, title, STEP_AXIS, y)
    if log:
        fig.update_yaxes(type="log")
    return fig


def rnn_grad_norms(history: dict, cells, key, clip: bool, max_norm: float) -> go.Figure:
    """The norm of the weights' gradient before clipping, on a log scale, with the threshold."""
    fig = go.Figure()
    for cell in cells:
        _series(fig, history, key("grad norm", cell), CELL_NAMES[cell], CELL_COLOURS[cell])
    fig = layout(fig, "Weights' gradient norm (before clipping)", STEP_AXIS, "||gradient||₂ (log scale)")
    fig.update_yaxes(type="log", exponentformat="power", dtick=1)
    if clip:
        fig.add_hline(y=max_norm, line_dash="dot", annotation_text=f"clipped to {max_norm:g}")
    return fig


def grad_through_time(profiles: dict, scales: dict, clip: bool, step: int) -> go.Figure:
    """||dL/d state_t|| for each step t, L the loss at the last step: the cells side by side, log scale.

    The solid line is the state each cell carries (h_t; the memory c_t for an
    LSTM, whose h_t read-out is dashed). With clipping on, dotted lines show
    the gradient as the clipped update uses it: clipping rescales every step
    alike, so the slope (the vanishing) stays.
    """
    fig = go.Figure()
    for cell, profile in profiles.items():
        colour, name = CELL_COLOURS[cell], CELL_NAMES[cell]
        g = profile.get("c", profile["h"])
        t = np.arange(1, len(g) + 1)
        label = f"{name} (memory c_t)" if "c" in profile else f"{name} (h_t)"
        fig.add_scatter(x=t, y=_positive(g), mode="lines+markers", name=label, line=dict(color=colour),
                        marker=dict(size=5))
        if "c" in profile:
            fig.add_scatter(x=t, y=_positive(profile["h"]), mode="lines", name=f"{name} (read-out h_t)",
                            line=dict(color=colour, dash="dash", width=1))
        if clip and scales.get(cell, 1.0) < 1.0:
            fig.add_scatter(x=t, y=_positive(g * scales[cell]), mode="lines", name=f"{name}, as clipped",
                            line=dict(color=colour, dash="dot"))
    fig = layout(fig, f"Gradient through time for the loss at the last step (step {step:,})",
                 "time step t (T = the step the loss is on)", "||∂L/∂state_t|| (log scale)", height=440)
    fig.update_yaxes(type="log", exponentformat="power", dtick=1)  # a tick per power of ten
    return fig


def _positive(g: np.ndarray) -> np.ndarray:
    return np.where(g > 0, g, np.nan)  # below float precision: off the log scale


def hidden_heatmap(h: np.ndarray, labels: list[str], cell: str) -> go.Figure:
    """The top layer's hidden units (rows) along one validation sequence (columns), in [-1, 1]."""
    ticks = [label.replace(" ", "␣").replace("\n", "⏎") for label in labels]
    x = list(range(len(ticks)))
    fig = go.Figure(go.Heatmap(z=h, x=x, y=list(range(h.shape[0])), colorscale="RdBu", zmid=0,
                               colorbar=dict(title="activation"),
                               customdata=np.tile(np.array(ticks, dtype=object), (h.shape[0], 1)),
                               hovertemplate="step %{x} (%{customdata})<br>unit %{y}: %{z:.2f}<extra></extra>"))
    if max(map(len, ticks), default=0) <= 2:  # symbols under their columns; a wave's values only on hover
        fig.update_xaxes(tickvals=x, ticktext=ticks, tickangle=0, tickfont=dict(size=13 if len(x) <= 30 else 9))
    symbols = max(map(len, ticks), default=0) <= 2
    return layout(fig, f"Hidden state of the {CELL_NAMES[cell]} along a validation sequence",
                  "input symbol at each step" if symbols else "time step (hover for the input value)",
                  "hidden unit (index)", height=440)


def continuation(context: np.ndarray, truth: np.ndarray, predictions: dict) -> go.Figure:
    """The warm-up values, the true continuation, and each cell's own continuation (fed its outputs)."""
    n = len(context)
    fig = go.Figure()
    fig.add_scatter(x=np.arange(n), y=context, mode="lines", name="warm-up (true values fed in)",
                    line=dict(color="grey"))
    t = np.arange(n, n + len(truth))
    fig.add_scatter(x=t, y=truth, mode="lines", name="truth", line=dict(color=REAL, width=3))
    for cell, pred in predictions.items():
        fig.add_scatter(x=t, y=pred, mode="lines", name=f"{CELL_NAMES[cell]}: its own continuation",
                        line=dict(color=CELL_COLOURS.get(cell, FAKE), dash="dash"))
    fig.add_vline(x=n - 0.5, line_dash="dot", annotation_text="from here the model is fed its own output")
    return layout(fig, "Continuation of the wave next to the truth", "time step", "value (unitless)", height=400)


def series_preview(values: np.ndarray, title: str) -> go.Figure:
    fig = go.Figure(go.Scatter(y=values, mode="lines", line=dict(color=REAL)))
    return layout(fig, title, "time step", "value (unitless)")
