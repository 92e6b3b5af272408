"""Figures of the Compare arena: samples of every family beside the real data, and the C2ST bars."""
import numpy as np
import plotly.graph_objects as go
from plotly.colors import qualitative
from plotly.subplots import make_subplots

from core.data.digits import to_pixels
from core.i18n import text
from core.plots import FONT, REAL, layout

PANEL_POINTS = 1000
DIGITS_PER_PANEL = 16  # a 4 x 4 block of digits per family
SEQUENCE_ROWS = 12
COLORS = {"real": REAL, "hmm": "#9467bd", "bayesnet": "#2ca02c", "forest": "#8c564b", "rnn": "#ff7f0e",
          "gan": "#d62728"}


def samples_grid(task, panels: list[tuple[str, str, np.ndarray]], lang: str = "en", cols: int = 3) -> go.Figure:
    """One panel per (key, title, samples): the real held-out data first, then each family (titles as given),
    `cols` panels a row (the sweep's: one row per level)."""
    cols = min(cols, len(panels))
    rows = int(np.ceil(len(panels) / cols))
    tilted = task.task == "tabular"  # slanted column names under each panel need room above the next row
    row_height = 400 if tilted else 330
    fig = make_subplots(rows, cols, subplot_titles=[t for _, t, _ in panels], horizontal_spacing=0.06,
                        vertical_spacing=min(0.3, 230 / (row_height * rows)) if tilted and rows > 1 else 0.2)
    draw = {"points": _points, "digits": _digits, "sequences": _sequences, "tabular": _tabular}[task.task]
    for i, (key, _, samples) in enumerate(panels):
        r, c = divmod(i, cols)
        draw(fig, task, key, np.asarray(samples), r + 1, c + 1, lang)
    title = text(lang, f"plot.compare.grid_title.{task.task}", rows=SEQUENCE_ROWS, window=task.window)
    fig.update_layout(title=title, height=row_height * rows + 60, font=FONT, showlegend=False,
                      margin=dict(l=50, r=20, t=90, b=40), plot_bgcolor="white")
    return fig


def _points(fig, task, key, x, r, c, lang):
    x = x[:PANEL_POINTS]
    fig.add_scattergl(x=x[:, 0], y=x[:, 1], mode="markers", marker=dict(size=3, color=COLORS[key], opacity=0.5),
                      row=r, col=c)
    lo, hi = task.train.min(axis=0), task.train.max(axis=0)
    pad = 0.2 * (hi - lo)
    fig.update_xaxes(range=[lo[0] - pad[0], hi[0] + pad[0]], title_text=text(lang, "plot.compare.x"), row=r, col=c)
    fig.update_yaxes(range=[lo[1] - pad[1], hi[1] + pad[1]], title_text=text(lang, "plot.compare.y"), row=r, col=c)


def _digits(fig, task, key, x, r, c, lang):
    pix = to_pixels(np.clip(x[:DIGITS_PER_PANEL], -1, 1))
    canvas = np.full((35, 35), np.nan)
    for i, img in enumerate(pix):
        rr, cc = divmod(i, 4)
        canvas[rr * 9:rr * 9 + 8, cc * 9:cc * 9 + 8] = img
    fig.add_heatmap(z=canvas, colorscale="Greys", zmin=0, zmax=16, showscale=False,
                    hovertemplate=text(lang, "plot.grid.hover") + "<extra></extra>", row=r, col=c)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False,
                     title_text=text(lang, "plot.compare.digits_x"), row=r, col=c)
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed", row=r, col=c)


def _sequences(fig, task, key, x, r, c, lang):
    x = x[:SEQUENCE_ROWS]
    symbols = np.vectorize(lambda code: task.symbols[int(code)])(x)
    m = max(len(task.symbols), 2)
    pastel = [[i / (m - 1), qualitative.Pastel[i % len(qualitative.Pastel)]] for i in range(m)]  # a colour per symbol
    fig.add_heatmap(z=x, text=symbols, texttemplate="%{text}", colorscale=pastel, zmin=0, zmax=m - 1, showscale=False,
                    hovertemplate=text(lang, "plot.compare.symbol_hover") + "<extra></extra>", row=r, col=c)
    fig.update_xaxes(title_text=text(lang, "plot.compare.sequences_x"), row=r, col=c)
    fig.update_yaxes(title_text=text(lang, "plot.compare.sequences_y"), autorange="reversed", showticklabels=False,
                     row=r, col=c)


def _tabular(fig, task, key, x, r, c, lang):
    real = np.asarray(task.heldout)
    mode = [int(np.bincount(real[:, j], minlength=k).argmax()) for j, k in enumerate(task.cardinalities)]
    share = [(x[:, j] == m).mean() for j, m in enumerate(mode)]
    labels = [f"{col}={task.states[j][mode[j]]}" for j, col in enumerate(task.columns)]
    fig.add_bar(x=labels, y=share, marker_color=COLORS[key], row=r, col=c)
    fig.update_yaxes(range=[0, 1], title_text=text(lang, "plot.compare.tabular_y"), row=r, col=c)
    fig.update_xaxes(tickangle=-45, title_text=text(lang, "plot.compare.tabular_x"), row=r, col=c)


def c2st_chart(rows: list[tuple[str, float, tuple[float, float]]], lang: str = "en") -> go.Figure:
    """C2ST accuracy per (family's name, accuracy, band), with the band in which real and generated cannot
    be told apart."""
    fig = go.Figure()
    fig.add_bar(x=[name for name, _, _ in rows], y=[acc for _, acc, _ in rows], marker_color="#555",
                text=[f"{acc:.2f}" for _, acc, _ in rows], textposition="outside")
    if rows:
        lo = min(b[0] for _, _, b in rows)
        hi = max(b[1] for _, _, b in rows)
        fig.add_hrect(y0=lo, y1=hi, fillcolor="#2ca02c", opacity=0.2, line_width=0,
                      annotation_text=text(lang, "plot.compare.c2st_band"), annotation_position="bottom right")
    fig.update_yaxes(range=[0.4, 1.08])
    fig.update_layout(title=text(lang, "plot.compare.c2st_title"), xaxis_title=text(lang, "plot.compare.c2st_x"),
                      yaxis_title=text(lang, "plot.compare.c2st_y"), height=360, font=FONT,
                      margin=dict(l=60, r=20, t=50, b=50))
    return fig


def family_curve(history: dict, key: str, family: str, lang: str = "en") -> go.Figure:
    """One family's training curve, small: the series its entrant reports, against its own steps.
    Its title is the series' name (`series.compare.<family>.<key>` where `lang` words it)."""
    fig = go.Figure(go.Scatter(x=history["step"], y=history.get(key, []), mode="lines",
                               line=dict(color=COLORS[family], width=2)))
    fig = layout(fig, text(lang, f"series.compare.{family}.{key}", key), text(lang, "plot.compare.curve_x"),
                 text(lang, "plot.compare.unitless" if "accuracy" in key else "plot.compare.nats"), height=220)
    fig.update_layout(margin=dict(l=50, r=10, t=40, b=40), font=dict(size=12), title_font=dict(size=12))
    return fig
