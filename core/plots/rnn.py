"""The RNN lab's charts: losses, the gradient through time, hidden states, a continued wave.

Every word on a chart comes from the string tables (`plot.rnn.*`), in the
language the page passes as `lang`.
"""
import numpy as np
import plotly.graph_objects as go

from core.i18n import text
from core.plots import FAKE, REAL, layout

CELL_COLOURS = {"rnn": "#d62728", "lstm": "#1f77b4", "gru": "#2ca02c"}


def cell_name(cell: str, lang: str = "en") -> str:
    """'vanilla RNN', 'LSTM', 'GRU' in the reader's language (LSTM and GRU are the same in every one)."""
    return text(lang, f"plot.rnn.cell.{cell}", cell.upper())


def _series(fig: go.Figure, history: dict, key: str, name: str, colour: str | None = None, dash: str | None = None):
    """One series against the step, NaN rows dropped (scores exist only at snapshots)."""
    if key not in history or not len(history["step"]):
        return
    y = np.asarray(history[key], dtype=float)
    keep = np.isfinite(y)
    mode = "lines" if keep.mean() > 0.5 else "lines+markers"
    fig.add_scatter(x=history["step"][keep], y=y[keep], mode=mode, name=name,
                    line=dict(color=colour, dash=dash))


def rnn_losses(history: dict, cells, key, kind: str, lang: str = "en") -> go.Figure:
    """Training loss (every report) and validation loss (every snapshot), per cell."""
    fig = go.Figure()
    for cell in cells:
        def named(series: str) -> str:
            words = text(lang, f"plot.rnn.{series}")
            return text(lang, "plot.rnn.cell_series", cell=cell_name(cell, lang), series=words) if len(cells) > 1 \
                else words

        _series(fig, history, key("train loss", cell), named("train"), CELL_COLOURS[cell])
        _series(fig, history, key("val_loss", cell), named("validation"), CELL_COLOURS[cell], "dot")
    y = text(lang, "plot.rnn.loss_y_series" if kind == "series" else "plot.rnn.loss_y_chars")
    fig = layout(fig, text(lang, "plot.rnn.losses_title"), text(lang, "plot.rnn.step_axis"), y,
                 height=360 + 30 * len(cells))
    fig.update_layout(legend=dict(y=-0.22 - 0.08 * len(cells)), margin=dict(b=50 + 40 * len(cells)))
    return fig


SCORES = ("valid_share", "perplexity", "accuracy", "continuation_rmse")  # each has a title and y in the tables


def rnn_scores(history: dict, cells, key, name: str, log: bool = False, lang: str = "en") -> go.Figure:
    """A score recorded at each snapshot (one of SCORES), per cell."""
    fig = go.Figure()
    for cell in cells:
        _series(fig, history, key(name, cell), cell_name(cell, lang), CELL_COLOURS[cell])
    fig = layout(fig, text(lang, f"plot.rnn.score.{name}.title"), text(lang, "plot.rnn.step_axis"),
                 text(lang, f"plot.rnn.score.{name}.y"))
    if log:
        fig.update_yaxes(type="log")
    return fig


def rnn_grad_norms(history: dict, cells, key, clip: bool, max_norm: float, lang: str = "en") -> go.Figure:
    """The norm of the weights' gradient before clipping, on a log scale, with the threshold."""
    fig = go.Figure()
    for cell in cells:
        _series(fig, history, key("grad norm", cell), cell_name(cell, lang), CELL_COLOURS[cell])
    fig = layout(fig, text(lang, "plot.rnn.grad_norm_title"), text(lang, "plot.rnn.step_axis"),
                 text(lang, "plot.rnn.grad_norm_y"))
    fig.update_yaxes(type="log", exponentformat="power", dtick=1)
    if clip:
        fig.add_hline(y=max_norm, line_dash="dot", annotation_text=text(lang, "plot.rnn.clipped_to",
                                                                        max_norm=f"{max_norm:g}"))
    return fig


def grad_through_time(profiles: dict, scales: dict, clip: bool, step: int, lang: str = "en") -> go.Figure:
    """||dL/d state_t|| for each step t, L the loss at the last step: the cells side by side, log scale.

    The solid line is the state each cell carries (h_t; the memory c_t for an
    LSTM, whose h_t read-out is dashed). With clipping on, dotted lines show
    the gradient as the clipped update uses it: clipping rescales every step
    alike, so the slope (the vanishing) stays.
    """
    fig = go.Figure()
    for cell, profile in profiles.items():
        colour, name = CELL_COLOURS[cell], cell_name(cell, lang)
        g = profile.get("c", profile["h"])
        t = np.arange(1, len(g) + 1)
        label = text(lang, "plot.rnn.memory" if "c" in profile else "plot.rnn.state", cell=name)
        fig.add_scatter(x=t, y=_positive(g), mode="lines+markers", name=label, line=dict(color=colour),
                        marker=dict(size=5))
        if "c" in profile:
            fig.add_scatter(x=t, y=_positive(profile["h"]), mode="lines", name=text(lang, "plot.rnn.readout", cell=name),
                            line=dict(color=colour, dash="dash", width=1))
        if clip and scales.get(cell, 1.0) < 1.0:
            fig.add_scatter(x=t, y=_positive(g * scales[cell]), mode="lines",
                            name=text(lang, "plot.rnn.as_clipped", cell=name), line=dict(color=colour, dash="dot"))
    fig = layout(fig, text(lang, "plot.rnn.gtt_title", step=f"{step:,}"), text(lang, "plot.rnn.gtt_x"),
                 text(lang, "plot.rnn.gtt_y"), height=440)
    fig.update_yaxes(type="log", exponentformat="power", dtick=1)  # a tick per power of ten
    return fig


def _positive(g: np.ndarray) -> np.ndarray:
    return np.where(g > 0, g, np.nan)  # below float precision: off the log scale


def hidden_heatmap(h: np.ndarray, labels: list[str], cell: str, lang: str = "en") -> go.Figure:
    """The top layer's hidden units (rows) along one validation sequence (columns), in [-1, 1]."""
    ticks = [label.replace(" ", "␣").replace("\n", "⏎") for label in labels]
    x = list(range(len(ticks)))
    fig = go.Figure(go.Heatmap(z=h, x=x, y=list(range(h.shape[0])), colorscale="RdBu", zmid=0,
                               colorbar=dict(title=text(lang, "plot.rnn.activation")),
                               customdata=np.tile(np.array(ticks, dtype=object), (h.shape[0], 1)),
                               hovertemplate=text(lang, "plot.rnn.heat_hover") + "<extra></extra>"))
    symbols = max(map(len, ticks), default=0) <= 2
    if symbols:  # symbols under their columns; a wave's values only on hover
        fig.update_xaxes(tickvals=x, ticktext=ticks, tickangle=0, tickfont=dict(size=13 if len(x) <= 30 else 9))
    return layout(fig, text(lang, "plot.rnn.heat_title", cell=cell_name(cell, lang)),
                  text(lang, "plot.rnn.heat_x_symbols" if symbols else "plot.rnn.heat_x_values"),
                  text(lang, "plot.rnn.heat_y"), height=440)


def continuation(context: np.ndarray, truth: np.ndarray, predictions: dict, lang: str = "en") -> go.Figure:
    """The warm-up values, the true continuation, and each cell's own continuation (fed its outputs)."""
    n = len(context)
    fig = go.Figure()
    fig.add_scatter(x=np.arange(n), y=context, mode="lines", name=text(lang, "plot.rnn.warmup"),
                    line=dict(color="grey"))
    t = np.arange(n, n + len(truth))
    fig.add_scatter(x=t, y=truth, mode="lines", name=text(lang, "plot.rnn.truth"), line=dict(color=REAL, width=3))
    for cell, pred in predictions.items():
        fig.add_scatter(x=t, y=pred, mode="lines", name=text(lang, "plot.rnn.own_continuation", cell=cell_name(cell, lang)),
                        line=dict(color=CELL_COLOURS.get(cell, FAKE), dash="dash"))
    fig.add_vline(x=n - 0.5, line_dash="dot", annotation_text=text(lang, "plot.rnn.fed_from_here"))
    return layout(fig, text(lang, "plot.rnn.continuation_title"), text(lang, "plot.rnn.time_step"),
                  text(lang, "plot.rnn.value"), height=400)


def series_preview(values: np.ndarray, title: str, lang: str = "en") -> go.Figure:
    fig = go.Figure(go.Scatter(y=values, mode="lines", line=dict(color=REAL)))
    return layout(fig, title, text(lang, "plot.rnn.time_step"), text(lang, "plot.rnn.value"))
