"""The GAN lab's charts."""
import numpy as np
import plotly.graph_objects as go

from core.plots import FAKE, REAL, layout, line_chart


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
    fig = layout(fig, title, "x (data units)", "y (data units)", height=520)
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
    return layout(fig, "High-quality samples per mode", "mode (index)", "samples (count)")


def modes_over_time(steps: list[int], histograms: list[np.ndarray]) -> go.Figure:
    """Modes x step heat map: collapse is a few bright rows; mode hopping, a bright row that moves."""
    z = np.array(histograms, dtype=float).T if histograms else np.zeros((1, 1))
    share = z / np.maximum(z.sum(axis=0, keepdims=True), 1)
    fig = go.Figure(go.Heatmap(x=steps, y=list(range(z.shape[0])), z=share, colorscale="Viridis",
                               colorbar=dict(title="share of HQ samples")))
    return layout(fig, "Which modes the generator covers, over training", "training step", "mode (index)")




def class_histogram(counts: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot", annotation_text="uniform")
    return layout(fig, "Digits drawn, as the reference classifier reads them", "digit class", "samples (count)")


def memorisation(distances: np.ndarray, real_nearest: float) -> go.Figure:
    """Each sample's distance to its nearest training image, against real digits' own spacing."""
    fig = go.Figure(go.Histogram(x=distances, nbinsx=40, marker_color=FAKE, name="generated"))
    fig.add_vline(x=real_nearest, line_dash="dot",
                  annotation_text="real digit to its nearest other digit (median)")
    return layout(fig, "Memorisation: distance to the nearest training image",
                   "Euclidean distance (pixels scaled to [-1, 1])", "samples (count)")


def gan_gradient_saturation() -> go.Figure:
    """|dLoss_G/dlogit| against D(G(z)): minimax vanishes exactly where G is worst."""
    d = np.linspace(0.001, 0.999, 300)
    fig = go.Figure()
    fig.add_scatter(x=d, y=d, name="minimax: log(1 - D(G(z)))  ->  |grad| = D")
    fig.add_scatter(x=d, y=1 - d, name="non-saturating: -log D(G(z))  ->  |grad| = 1 - D")
    fig.add_vrect(x0=0, x1=0.1, fillcolor="grey", opacity=0.15, annotation_text="early training: D wins")
    return layout(fig, "Generator's gradient with respect to D's logit", "D(G(z)) (probability)",
                   "|gradient| (per unit logit)")
