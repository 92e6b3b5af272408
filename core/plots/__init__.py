"""Plotly figure builders: pure functions from results to figures; one module per lab.

Every chart has labelled axes with units (or says 'unitless'), a title that
says what it shows, and sizes that read on a projector.
"""
import numpy as np
import plotly.graph_objects as go

from core.data.digits import to_pixels
from core.i18n import text

FONT = dict(size=15)
REAL, FAKE = "#1f77b4", "#d62728"


def layout(fig: go.Figure, title: str, x: str, y: str, height: int = 360) -> go.Figure:
    fig.update_layout(title=title, xaxis_title=x, yaxis_title=y, height=height, font=FONT,
                      margin=dict(l=60, r=20, t=50, b=50), legend=dict(orientation="h", y=-0.25))
    return fig


def line_chart(history: dict, keys: list[str], title: str, y: str, x: str = "training step",
               names: dict[str, str] | None = None) -> go.Figure:
    """Series from a downsampled history against the training step; `names` words the legend."""
    fig = go.Figure()
    for key in keys:
        if key in history and len(history["step"]):
            fig.add_scatter(x=history["step"], y=history[key], mode="lines", name=(names or {}).get(key, key))
    return layout(fig, title, x, y)

def runs_overlay(runs: list[tuple[str, dict]], key: str, current: dict | None = None, lang: str = "en",
                 name: str | None = None) -> go.Figure:
    """One series of several runs against the training step: earlier runs thin, the current one bold.
    `name` is how the series reads (its key otherwise)."""
    name = name or key
    fig = go.Figure()
    for label, history in runs:
        if key in history:
            fig.add_scatter(x=history["step"], y=history[key], mode="lines", name=label, line=dict(width=1.5))
    if current is not None and key in current:
        fig.add_scatter(x=current["step"], y=current[key], mode="lines", name=text(lang, "plot.runs.current"),
                        line=dict(width=3, color="black"))
    return layout(fig, text(lang, "plot.runs.title", name=name), text(lang, "plot.step"),
                  text(lang, "plot.runs.y", name=name))


def image_grid(images: np.ndarray, cols: int = 8, title: str = "Generated digits", lang: str = "en") -> go.Figure:
    """8x8 images tiled in a grid (one blank pixel between), on the data's own 0..16 ink scale."""
    pix = to_pixels(images)
    rows = int(np.ceil(len(pix) / cols))
    canvas = np.full((rows * 9 - 1, cols * 9 - 1), np.nan)
    for i, img in enumerate(pix):
        r, c = divmod(i, cols)
        canvas[r * 9 : r * 9 + 8, c * 9 : c * 9 + 8] = img
    fig = go.Figure(go.Heatmap(z=canvas, colorscale="Greys", zmin=0, zmax=16, showscale=False,
                               hovertemplate=text(lang, "plot.grid.hover") + "<extra></extra>"))
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain")
    fig.update_yaxes(showticklabels=False, showgrid=False, zeroline=False, autorange="reversed",
                     scaleanchor="x", constrain="domain")
    height = int(np.clip(60 + 360 * canvas.shape[0] / canvas.shape[1], 150, 480))
    fig = layout(fig, title, text(lang, "plot.grid.x", cols=cols), "", height)
    fig.update_layout(plot_bgcolor="white")
    return fig


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
