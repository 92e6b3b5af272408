"""The GAN lab's charts, worded in the reader's language (`lang`, English by default)."""
import numpy as np
import plotly.graph_objects as go

from core.i18n import text
from core.plots import FAKE, REAL, layout, line_chart


def series_names(keys: list[str], lang: str) -> dict[str, str]:
    """How the training history's series read in a legend (`series.gan.<key>`; the key itself in English)."""
    return {key: text(lang, f"series.gan.{key}", key) for key in keys}


def gan_losses(history: dict, lang: str = "en") -> go.Figure:
    keys = ["D loss", "G loss"]
    return line_chart(history, keys, text(lang, "plot.gan.losses"), text(lang, "plot.gan.loss_y"),
                      x=text(lang, "plot.step"), names=series_names(keys, lang))


# A reference line's label sits where the curves run (D's outputs hover about 0.5): a pale box keeps it readable.
LABEL_ON_CURVES = dict(bgcolor="rgba(255,255,255,0.8)", borderpad=2)


def gan_d_outputs(history: dict, loss: str, lang: str = "en") -> go.Figure:
    prob = loss in ("minimax", "non-saturating")
    y = text(lang, "plot.gan.d_prob_y" if prob else "plot.gan.d_score_y")
    keys = ["D(real)", "D(fake)"]
    fig = line_chart(history, keys, text(lang, "plot.gan.d_outputs"), y, x=text(lang, "plot.step"),
                     names=series_names(keys, lang))
    if prob:
        fig.add_hline(y=0.5, line_dash="dot", annotation_text=text(lang, "plot.gan.d_cannot_tell"),
                      annotation=LABEL_ON_CURVES)
    return fig


def gan_grad_norms(history: dict, clip: float, lang: str = "en") -> go.Figure:
    """Gradient norms before clipping, on a log scale, with the clipping threshold."""
    keys = ["grad norm G", "grad norm D"]
    fig = line_chart(history, keys, text(lang, "plot.gan.grad_norms"), text(lang, "plot.gan.grad_norms_y"),
                     x=text(lang, "plot.step"), names=series_names(keys, lang))
    fig.update_yaxes(type="log", dtick=1)  # a tick per power of ten: plotly's default also labels 2 and 5 of each
    if clip:
        fig.add_hline(y=clip, line_dash="dot", annotation_text=text(lang, "plot.gan.clipped_to", clip=clip),
                      annotation=LABEL_ON_CURVES)
    return fig


def points_view(real: np.ndarray, fake: np.ndarray, heat: dict | None = None,
                arrows: dict | None = None, title: str | None = None,
                real_points: int = 200, fake_points: int = 400, lang: str = "en") -> go.Figure:
    """Real vs generated points over D's output, with G's gradients as arrows (as GAN Lab).

    The browser draws each point as an SVG node, and this figure is redrawn with every live snapshot:
    1,000 points took a redraw 88 ms, 500 took 38 ms (headless Chromium, 2 shared cores). The real
    data never moves, so 200 of its points (25 a mode on the ring) mark where it lies; the generated
    ones, which show the collapse, keep 400."""
    fig = go.Figure()
    if heat is not None:
        words = heat.get("words", "d")  # "d": the training D's output; "rejection": the rejection D's log-odds
        fig.add_heatmap(x=heat["x"], y=heat["y"], z=heat["z"], colorscale="Greens", opacity=0.6,
                        colorbar=dict(title=text(lang, f"plot.gan.{words}_output"), len=0.8),
                        hovertemplate=text(lang, f"plot.gan.{words}_hover") + "<extra></extra>")
    real, fake = real[:real_points], fake[:fake_points]
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=text(lang, "plot.gan.real"),
                    marker=dict(size=9, color=REAL, opacity=0.3))  # wide and faint: visible under the fakes
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name=text(lang, "plot.gan.generated"),
                    marker=dict(size=4, color=FAKE, opacity=0.6))
    if arrows is not None and len(arrows["x"]):
        fig.add_scatter(**_arrow_segments(arrows, real), mode="lines", name=text(lang, "plot.gan.g_gradient"),
                        line=dict(color="black", width=1), hoverinfo="skip")
    fig = layout(fig, title or text(lang, "plot.gan.points"), text(lang, "plot.gan.x"), text(lang, "plot.gan.y"),
                 height=520)
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


def mode_histogram(counts: np.ndarray, lang: str = "en") -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot",
                  annotation_text=text(lang, "plot.gan.uniform"))
    return layout(fig, text(lang, "plot.gan.per_mode"), text(lang, "plot.gan.mode"), text(lang, "plot.gan.count"))


def modes_over_time(steps: list[int], histograms: list[np.ndarray], lang: str = "en") -> go.Figure:
    """Modes x step heat map: collapse is a few bright rows; mode hopping, a bright row that moves."""
    z = np.array(histograms, dtype=float).T if histograms else np.zeros((1, 1))
    share = z / np.maximum(z.sum(axis=0, keepdims=True), 1)
    fig = go.Figure(go.Heatmap(x=steps, y=list(range(z.shape[0])), z=share, colorscale="Viridis",
                               colorbar=dict(title=text(lang, "plot.gan.hq_share"))))
    return layout(fig, text(lang, "plot.gan.over_time"), text(lang, "plot.step"), text(lang, "plot.gan.mode"))


def class_histogram(counts: np.ndarray, lang: str = "en") -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot",
                  annotation_text=text(lang, "plot.gan.uniform"))
    return layout(fig, text(lang, "plot.gan.classes"), text(lang, "plot.gan.digit_class"),
                  text(lang, "plot.gan.count"))


def memorisation(distances: np.ndarray, real_nearest: float, lang: str = "en") -> go.Figure:
    """Each sample's distance to its nearest training image, against real digits' own spacing."""
    fig = go.Figure(go.Histogram(x=distances, nbinsx=40, marker_color=FAKE, name=text(lang, "plot.gan.generated")))
    fig.add_vline(x=real_nearest, line_dash="dot", annotation_text=text(lang, "plot.gan.real_spacing"))
    return layout(fig, text(lang, "plot.gan.memorisation"), text(lang, "plot.gan.memorisation_x"),
                  text(lang, "plot.gan.count"))


def gan_gradient_saturation(lang: str = "en") -> go.Figure:
    """|dLoss_G/dlogit| against D(G(z)): minimax vanishes exactly where G is worst."""
    d = np.linspace(0.001, 0.999, 300)
    fig = go.Figure()
    fig.add_scatter(x=d, y=d, name=text(lang, "plot.gan.saturation_minimax"))
    fig.add_scatter(x=d, y=1 - d, name=text(lang, "plot.gan.saturation_ns"))
    fig.add_vrect(x0=0, x1=0.1, fillcolor="grey", opacity=0.15, annotation_text=text(lang, "plot.gan.saturation_early"))
    return layout(fig, text(lang, "plot.gan.saturation"), text(lang, "plot.gan.saturation_x"),
                  text(lang, "plot.gan.saturation_y"))
