"""The random forest lab's charts."""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.plots import FAKE, FONT, REAL, layout

CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]
MAX_POINTS = 1000  # points drawn per scatter: a thousand read as well as ten thousand, and draw fast


def _colour(k: int) -> str:
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]


def _labelled_points(fig: go.Figure, x: np.ndarray, labels: np.ndarray, class_names: list[str], **where) -> None:
    x, labels = x[:MAX_POINTS], labels[:MAX_POINTS]
    for k in np.unique(labels):
        mask = labels == k
        fig.add_scatter(x=x[mask, 0], y=x[mask, 1], mode="markers", name=class_names[k], legendgroup=str(k),
                        showlegend=where.get("col", 1) == 1,
                        marker=dict(size=6, color=_colour(int(k)), line=dict(width=0.5, color="white")), **where)


def _surface_trace(surface: dict, class_names: list[str]) -> go.Heatmap:
    if "p" in surface:
        return go.Heatmap(x=surface["x"], y=surface["y"], z=surface["p"], zmin=0, zmax=1, colorscale="RdBu_r",
                          opacity=0.55, colorbar=dict(title=f"P({class_names[1]})", len=0.8),
                          hovertemplate="P = %{z:.2f}<extra></extra>")
    k = len(class_names)
    scale = [[i / k, _colour(i)] for i in range(k)] + [[(i + 1) / k, _colour(i)] for i in range(k)]
    scale.sort(key=lambda s: s[0])
    return go.Heatmap(x=surface["x"], y=surface["y"], z=surface["cls"], zmin=-0.5, zmax=k - 0.5, colorscale=scale,
                      opacity=0.45, showscale=False, customdata=surface["conf"],
                      hovertemplate="class %{z}, P = %{customdata:.2f}<extra></extra>")


def decision_surface(surface: dict | None, x: np.ndarray, labels: np.ndarray, class_names: list[str],
                     columns: list[str], title: str) -> go.Figure:
    """The forest's answer over the plane as a heat map (none before training), with the labelled points on top."""
    fig = go.Figure(_surface_trace(surface, class_names) if surface is not None else None)
    _labelled_points(fig, x, labels, class_names)
    fig = layout(fig, title, f"{columns[0]} (data units)", f"{columns[1]} (data units)", height=480)
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def tree_vs_forest(tree: dict, forest: dict, x: np.ndarray, labels: np.ndarray, class_names: list[str],
                   columns: list[str], accuracies: tuple[float, float]) -> go.Figure:
    """One tree of the forest next to the whole forest: jagged and overconfident vs smooth."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04, subplot_titles=[
        f"one tree (test accuracy {accuracies[0]:.1%})", f"the forest (test accuracy {accuracies[1]:.1%})"])
    for col, surf in ((1, tree), (2, forest)):
        trace = _surface_trace(surf, class_names)
        trace.showscale = col == 2 and "p" in surf
        fig.add_trace(trace, row=1, col=col)
        _labelled_points(fig, x[:400], labels[:400], class_names, row=1, col=col)
    fig = layout(fig, "One tree against the forest that averages many", f"{columns[0]} (data units)",
                 f"{columns[1]} (data units)", height=440)
    fig.update_xaxes(title_text=f"{columns[0]} (data units)", row=1, col=2)
    return fig


def oob_curve(history: dict, trees_per_step: int) -> go.Figure:
    """Out-of-bag and test error against the number of trees, as the forest grows."""
    fig = go.Figure()
    if len(history.get("step", [])):
        for key, name, dash in (("oob_error", "out-of-bag error (training rows)", None),
                                ("test_error", "test error (held-out rows)", "dot")):
            if key in history:
                fig.add_scatter(x=history["step"], y=history[key], mode="lines+markers", name=name,
                                line=dict(dash=dash), marker=dict(size=4))
    fig.update_yaxes(rangemode="tozero")
    return layout(fig, f"Error as trees are added ({trees_per_step} per step)", "trees in the forest (count)",
                  "error (share of rows misclassified)")


def sweep_chart(values: list, train: np.ndarray, test: np.ndarray, what: str, note: str) -> go.Figure:
    """Train and test accuracy against one setting: underfitting at one end, the variance gap at the other."""
    labels = [str(v) if v else "no limit" for v in values]
    fig = go.Figure()
    fig.add_scatter(x=labels, y=train, mode="lines+markers", name="train accuracy", line=dict(color=REAL))
    fig.add_scatter(x=labels, y=test, mode="lines+markers", name="test accuracy", line=dict(color=FAKE))
    fig.update_xaxes(type="category")
    return layout(fig, f"Accuracy against {what} ({note})", what, "accuracy (share of rows)")


def importances(columns: list[str], mdi: np.ndarray, permutation: np.ndarray | None) -> go.Figure:
    """Mean decrease in impurity (training rows) next to permutation importance (held-out rows)."""
    fig = go.Figure()
    fig.add_bar(x=columns, y=mdi, name="impurity decrease (MDI, training)", marker_color=REAL)
    if permutation is not None:
        fig.add_bar(x=columns, y=permutation, name="permutation (accuracy lost, test)", marker_color=FAKE)
    return layout(fig, "Feature importances", "feature", "importance (unitless)")


def pixel_importances(mdi: np.ndarray) -> go.Figure:
    """Importances of the 64 pixels of the 8x8 digits, as an image."""
    fig = go.Figure(go.Heatmap(z=np.asarray(mdi).reshape(8, 8), colorscale="Viridis",
                               colorbar=dict(title="MDI"), hovertemplate="%{z:.4f}<extra></extra>"))
    fig.update_xaxes(constrain="domain")
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain")
    return layout(fig, "Which pixels the forest splits on (impurity decrease)", "pixel column (0-7)",
                  "pixel row (0-7)", height=420)


def arf_rounds(accuracies: list[float], delta: float, kept: int) -> go.Figure:
    """The discriminator's out-of-bag accuracy, round by round, falling towards 0.5."""
    rounds = list(range(1, len(accuracies) + 1))
    fig = go.Figure()
    fig.add_hrect(y0=0.0, y1=0.5 + delta, fillcolor="#2ca02c", opacity=0.08, line_width=0)
    fig.add_hline(y=0.5, line_dash="dot", annotation_text="0.5: cannot tell real from synthetic")
    fig.add_scatter(x=rounds, y=accuracies, mode="lines+markers", name="OOB accuracy", marker=dict(size=10),
                    line=dict(color=FAKE))
    if 0 < kept <= len(accuracies):
        fig.add_scatter(x=[kept], y=[accuracies[kept - 1]], mode="markers", name="forest kept",
                        marker=dict(size=18, symbol="star", color="#2ca02c"))
    fig.update_xaxes(dtick=1, range=[0.5, max(len(rounds), 3) + 0.5])
    fig.update_yaxes(range=[min(0.25, min(accuracies, default=0.5) - 0.05), 1.02])
    return layout(fig, "Adversarial rounds: can the forest still tell real from synthetic?", "round",
                  "out-of-bag accuracy (share)")


def points_vs_samples(real: np.ndarray, fake: np.ndarray, columns: list[str], title: str,
                      boxes: dict | None = None, zoom: tuple[np.ndarray, float] | None = None,
                      plane: bool = True) -> go.Figure:
    """Real points and generated ones; optionally the leaf boxes of one tree underneath.

    `zoom` = (centre, half width) shows only that square, with every point in it. `plane`: both axes
    in the same data units, drawn to the same scale (False for two columns of a table, named with units).
    """
    if zoom is not None:
        centre, half = zoom
        near = lambda p: p[(np.abs(p - centre) <= half).all(axis=1)]  # noqa: E731
        real, fake = near(real), near(fake)
    fig = go.Figure()
    if boxes is not None:
        lo, hi = boxes["lo"], boxes["hi"]
        xs = np.column_stack([lo[:, 0], hi[:, 0], hi[:, 0], lo[:, 0], lo[:, 0], np.full(len(lo), np.nan)]).ravel()
        ys = np.column_stack([lo[:, 1], lo[:, 1], hi[:, 1], hi[:, 1], lo[:, 1], np.full(len(lo), np.nan)]).ravel()
        fig.add_scatter(x=xs, y=ys, mode="lines", name=f"leaves of tree 1 ({boxes['n_leaves']} with real points)",
                        line=dict(color="#555", width=0.7), hoverinfo="skip")
    real, fake = real[:MAX_POINTS], fake[:MAX_POINTS]
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real",
                    marker=dict(size=9, color=REAL, opacity=0.3))
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name="generated",
                    marker=dict(size=4, color=FAKE, opacity=0.7))
    if not plane:
        return layout(fig, title, columns[0], columns[1], height=480)
    fig = layout(fig, title, f"{columns[0]} (data units)", f"{columns[1]} (data units)", height=520)
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    if zoom is not None:
        fig.update_xaxes(range=[centre[0] - half, centre[0] + half])
        fig.update_yaxes(range=[centre[1] - half, centre[1] + half])
    return fig


def marginals(real: np.ndarray, fake: np.ndarray, columns: list[str], categories: dict) -> go.Figure:
    """Each column, real against generated: histograms for numbers, shares for categories."""
    d = min(len(columns), 6)
    fig = make_subplots(rows=1, cols=d, subplot_titles=columns[:d], horizontal_spacing=0.06)
    for j in range(d):
        show = j == 0
        if j in categories:
            names = categories[j]
            for rows, name, colour, offset in ((real, "real", REAL, -0.4), (fake, "generated", FAKE, 0.0)):
                share = np.bincount(rows[:, j].astype(int), minlength=len(names)) / max(len(rows), 1)
                fig.add_bar(x=names, y=share, name=name, marker_color=colour, showlegend=show, legendgroup=name,
                            offset=offset, width=0.4, row=1, col=j + 1)  # side by side in an overlay layout
        else:
            for rows, name, colour in ((real, "real", REAL), (fake, "generated", FAKE)):
                fig.add_histogram(x=rows[:, j], name=name, marker_color=colour, opacity=0.55, histnorm="probability",
                                  nbinsx=30, showlegend=show, legendgroup=name, row=1, col=j + 1)
    fig.update_layout(barmode="overlay")
    fig = layout(fig, "Each column on its own: real against generated", "value (column units; categories by name)",
                 "share of rows", height=380)
    return fig


def c2st_chart(scores: dict[str, float], band: tuple[float, float], labels: dict[str, str], n: int) -> go.Figure:
    """C2ST accuracies with the band that means 'indistinguishable' (0.5 +- 1.96 * 0.5 / sqrt(n))."""
    low, high = band
    fig = go.Figure()
    fig.add_vrect(x0=low, x1=high, fillcolor="#2ca02c", opacity=0.2, line_width=0)
    fig.add_vline(x=0.5, line_dash="dot")
    names = [labels.get(k, k) for k in scores]
    values = list(scores.values())
    colours = ["#2ca02c" if low <= v <= high else FAKE for v in values]
    fig.add_bar(y=names, x=values, orientation="h", marker_color=colours, text=[f"{v:.3f}" for v in values],
                textposition="outside", textfont=dict(size=16), showlegend=False)
    fig.update_xaxes(range=[0.3, 1.08])
    fig = layout(fig, f"C2ST: held-out accuracy of a forest (green band: cannot tell, n = {n:,})",
                 "5-fold cross-validated accuracy (share; 0.5 = chance)", "", height=120 + 70 * max(len(values), 1))
    return fig


def judge_sets(sets: dict, columns: list[str]) -> go.Figure:
    """The judge's data: real, more real, and the shifted copy (first two columns)."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=["real vs more real", "real vs shifted copy"])
    for col, other, name in ((1, "more_real", "more real"), (2, "shifted", "shifted copy")):
        real, b = sets["real"][:MAX_POINTS // 2], sets[other][:MAX_POINTS // 2]
        fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name="real", showlegend=col == 1,
                        marker=dict(size=5, color=REAL, opacity=0.5), row=1, col=col)
        fig.add_scatter(x=b[:, 0], y=b[:, 1], mode="markers", name=name,
                        marker=dict(size=5, color=FAKE if col == 2 else "#2ca02c", opacity=0.5), row=1, col=col)
    fig = layout(fig, "What the judge compares", f"{columns[0]} (data units)", f"{columns[1]} (data units)",
                 height=420)
    fig.update_xaxes(title_text=f"{columns[0]} (data units)", row=1, col=2)
    fig.update_layout(font=FONT)
    return fig
