"""The random forest lab's charts. Every builder words its titles, axes and legend in `lang`."""
import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.i18n import text
from core.plots import FAKE, FONT, REAL, layout

CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f",
                 "#bcbd22", "#17becf"]
MAX_POINTS = 1000  # points drawn per scatter: a thousand read as well as ten thousand, and draw fast
SUBPLOT_TOP = 85  # px above side-by-side panels: the chart's title, then each panel's own, on separate lines


def _colour(k: int) -> str:
    return CLASS_COLOURS[k % len(CLASS_COLOURS)]


def _say(lang: str, key: str, **fields) -> str:
    return text(lang, f"plot.forest.{key}", **fields)


def name(lang: str, word: str) -> str:
    """A generated data set's own name (a column, class or category) in `lang`; an upload's names as they are."""
    return text(lang, f"data.forest.{word}", word)


def _units(lang: str, column: str) -> str:
    return _say(lang, "data_units", column=name(lang, column))


def _labelled_points(fig: go.Figure, x: np.ndarray, labels: np.ndarray, class_names: list[str], lang: str,
                     **where) -> None:
    x, labels = x[:MAX_POINTS], labels[:MAX_POINTS]
    for k in np.unique(labels):
        mask = labels == k
        fig.add_scatter(x=x[mask, 0], y=x[mask, 1], mode="markers", name=name(lang, class_names[k]),
                        legendgroup=str(k), showlegend=where.get("col", 1) == 1,
                        marker=dict(size=6, color=_colour(int(k)), line=dict(width=0.5, color="white")), **where)


def _surface_trace(surface: dict, class_names: list[str], lang: str) -> go.Heatmap:
    if "p" in surface:
        return go.Heatmap(x=surface["x"], y=surface["y"], z=surface["p"], zmin=0, zmax=1, colorscale="RdBu_r",
                          opacity=0.55, colorbar=dict(title=f"P({name(lang, class_names[1])})", len=0.8),
                          hovertemplate="P = %{z:.2f}<extra></extra>")
    k = len(class_names)
    scale = [[i / k, _colour(i)] for i in range(k)] + [[(i + 1) / k, _colour(i)] for i in range(k)]
    scale.sort(key=lambda s: s[0])
    return go.Heatmap(x=surface["x"], y=surface["y"], z=surface["cls"], zmin=-0.5, zmax=k - 0.5, colorscale=scale,
                      opacity=0.45, showscale=False, customdata=surface["conf"],
                      hovertemplate=_say(lang, "hover_class"))


def decision_surface(surface: dict | None, x: np.ndarray, labels: np.ndarray, class_names: list[str],
                     columns: list[str], title: str, lang: str = "en") -> go.Figure:
    """The forest's answer over the plane as a heat map (none before training), with the labelled points on top."""
    fig = go.Figure(_surface_trace(surface, class_names, lang) if surface is not None else None)
    _labelled_points(fig, x, labels, class_names, lang)
    fig = layout(fig, title, _units(lang, columns[0]), _units(lang, columns[1]), height=480)
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    return fig


def tree_vs_forest(tree: dict, forest: dict, x: np.ndarray, labels: np.ndarray, class_names: list[str],
                   columns: list[str], accuracies: tuple[float, float], lang: str = "en") -> go.Figure:
    """One tree of the forest next to the whole forest: jagged and overconfident vs smooth."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04, subplot_titles=[
        _say(lang, "one_tree", accuracy=f"{accuracies[0]:.1%}"),
        _say(lang, "the_forest", accuracy=f"{accuracies[1]:.1%}")])
    for col, surf in ((1, tree), (2, forest)):
        trace = _surface_trace(surf, class_names, lang)
        trace.showscale = col == 2 and "p" in surf
        fig.add_trace(trace, row=1, col=col)
        _labelled_points(fig, x[:400], labels[:400], class_names, lang, row=1, col=col)
    fig = layout(fig, _say(lang, "tree_vs_forest"), _units(lang, columns[0]), _units(lang, columns[1]), height=440)
    fig.update_xaxes(title_text=_units(lang, columns[0]), row=1, col=2)
    fig.update_layout(margin=dict(t=SUBPLOT_TOP))
    return fig


def oob_curve(history: dict, trees_per_step: int, lang: str = "en") -> go.Figure:
    """Out-of-bag and test error against the number of trees, as the forest grows."""
    fig = go.Figure()
    if len(history.get("step", [])):
        for key, label, dash in (("oob_error", "oob", None), ("test_error", "test_error", "dot")):
            if key in history:
                fig.add_scatter(x=history["step"], y=history[key], mode="lines+markers", name=_say(lang, label),
                                line=dict(dash=dash), marker=dict(size=4))
    fig.update_yaxes(rangemode="tozero")
    return layout(fig, _say(lang, "error_title", trees=trees_per_step), _say(lang, "error_x"),
                  _say(lang, "error_y"))


def sweep_chart(values: list, train: np.ndarray, test: np.ndarray, what: str, note: str,
                lang: str = "en") -> go.Figure:
    """Train and test accuracy against one setting: underfitting at one end, the variance gap at the other."""
    labels = [str(v) if v else _say(lang, "no_limit") for v in values]
    fig = go.Figure()
    fig.add_scatter(x=labels, y=train, mode="lines+markers", name=_say(lang, "train_accuracy"),
                    line=dict(color=REAL))
    fig.add_scatter(x=labels, y=test, mode="lines+markers", name=_say(lang, "test_accuracy"), line=dict(color=FAKE))
    fig.update_xaxes(type="category")
    return layout(fig, _say(lang, "sweep_title", what=what, note=note), what, _say(lang, "accuracy_y"))


def importances(columns: list[str], mdi: np.ndarray, permutation: np.ndarray | None, lang: str = "en") -> go.Figure:
    """Mean decrease in impurity (training rows) next to permutation importance (held-out rows)."""
    columns = [name(lang, c) for c in columns]
    fig = go.Figure()
    fig.add_bar(x=columns, y=mdi, name=_say(lang, "mdi"), marker_color=REAL)
    if permutation is not None:
        fig.add_bar(x=columns, y=permutation, name=_say(lang, "permutation"), marker_color=FAKE)
    return layout(fig, _say(lang, "importances"), _say(lang, "feature"), _say(lang, "importance_y"))


def pixel_importances(mdi: np.ndarray, lang: str = "en") -> go.Figure:
    """Importances of the 64 pixels of the 8x8 digits, as an image."""
    fig = go.Figure(go.Heatmap(z=np.asarray(mdi).reshape(8, 8), colorscale="Viridis",
                               colorbar=dict(title="MDI"), hovertemplate="%{z:.4f}<extra></extra>"))
    fig.update_xaxes(constrain="domain")
    fig.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain")
    return layout(fig, _say(lang, "pixels"), _say(lang, "pixel_column"), _say(lang, "pixel_row"), height=420)


def arf_rounds(accuracies: list[float], delta: float, kept: int, lang: str = "en") -> go.Figure:
    """The discriminator's out-of-bag accuracy, round by round, falling towards 0.5."""
    rounds = list(range(1, len(accuracies) + 1))
    fig = go.Figure()
    fig.add_hrect(y0=0.0, y1=0.5 + delta, fillcolor="#2ca02c", opacity=0.08, line_width=0)
    fig.add_hline(y=0.5, line_dash="dot", annotation_text=_say(lang, "chance"))
    fig.add_scatter(x=rounds, y=accuracies, mode="lines+markers", name=_say(lang, "oob_accuracy"),
                    marker=dict(size=10), line=dict(color=FAKE))
    if 0 < kept <= len(accuracies):
        fig.add_scatter(x=[kept], y=[accuracies[kept - 1]], mode="markers", name=_say(lang, "kept"),
                        marker=dict(size=18, symbol="star", color="#2ca02c"))
    fig.update_xaxes(dtick=1, range=[0.5, max(len(rounds), 3) + 0.5])
    fig.update_yaxes(range=[min(0.25, min(accuracies, default=0.5) - 0.05), 1.02])
    return layout(fig, _say(lang, "rounds_title"), _say(lang, "round"), _say(lang, "rounds_y"))


def points_vs_samples(real: np.ndarray, fake: np.ndarray, columns: list[str], title: str,
                      boxes: dict | None = None, zoom: tuple[np.ndarray, float] | None = None,
                      plane: bool = True, lang: str = "en") -> go.Figure:
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
        fig.add_scatter(x=xs, y=ys, mode="lines", name=_say(lang, "leaves", leaves=boxes["n_leaves"]),
                        line=dict(color="#555", width=0.7), hoverinfo="skip")
    real, fake = real[:MAX_POINTS], fake[:MAX_POINTS]
    fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=_say(lang, "real"),
                    marker=dict(size=9, color=REAL, opacity=0.3))
    fig.add_scatter(x=fake[:, 0], y=fake[:, 1], mode="markers", name=_say(lang, "generated"),
                    marker=dict(size=4, color=FAKE, opacity=0.7))
    if not plane:
        return layout(fig, title, name(lang, columns[0]), name(lang, columns[1]), height=480)
    fig = layout(fig, title, _units(lang, columns[0]), _units(lang, columns[1]), height=520)
    fig.update_yaxes(scaleanchor="x", scaleratio=1)
    if zoom is not None:
        fig.update_xaxes(range=[centre[0] - half, centre[0] + half])
        fig.update_yaxes(range=[centre[1] - half, centre[1] + half])
    return fig


def marginals(real: np.ndarray, fake: np.ndarray, columns: list[str], categories: dict,
              lang: str = "en") -> go.Figure:
    """Each column, real against generated: histograms for numbers, shares for categories."""
    d = min(len(columns), 6)
    fig = make_subplots(rows=1, cols=d, subplot_titles=[name(lang, c) for c in columns[:d]], horizontal_spacing=0.06)
    sets = ((real, "real", REAL), (fake, "generated", FAKE))
    for j in range(d):
        show = j == 0
        if j in categories:
            names = [name(lang, c) for c in categories[j]]
            for (rows, key, colour), offset in zip(sets, (-0.4, 0.0)):
                share = np.bincount(rows[:, j].astype(int), minlength=len(names)) / max(len(rows), 1)
                fig.add_bar(x=names, y=share, name=_say(lang, key), marker_color=colour, showlegend=show,
                            legendgroup=key, offset=offset, width=0.4, row=1, col=j + 1)  # side by side, overlaid
        else:
            for rows, key, colour in sets:
                fig.add_histogram(x=rows[:, j], name=_say(lang, key), marker_color=colour, opacity=0.55,
                                  histnorm="probability", nbinsx=30, showlegend=show, legendgroup=key,
                                  row=1, col=j + 1)
    fig.update_layout(barmode="overlay")
    fig = layout(fig, _say(lang, "marginals"), _say(lang, "marginals_x"), _say(lang, "marginals_y"), height=380)
    fig.update_layout(margin=dict(t=SUBPLOT_TOP))
    return fig


def c2st_chart(scores: dict[str, float], band: tuple[float, float], labels: dict[str, str], n: int,
               lang: str = "en") -> go.Figure:
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
    fig = layout(fig, _say(lang, "c2st_title", n=f"{n:,}"), _say(lang, "c2st_x"), "",
                 height=120 + 70 * max(len(values), 1))
    return fig


def judge_sets(sets: dict, columns: list[str], lang: str = "en") -> go.Figure:
    """The judge's data: real, more real, and the shifted copy (first two columns)."""
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.04,
                        subplot_titles=[text(lang, "forest.judge.c2st_same"),
                                        text(lang, "forest.judge.c2st_shifted")])
    for col, other in ((1, "more_real"), (2, "shifted")):
        real, b = sets["real"][:MAX_POINTS // 2], sets[other][:MAX_POINTS // 2]
        fig.add_scatter(x=real[:, 0], y=real[:, 1], mode="markers", name=_say(lang, "real"), showlegend=col == 1,
                        marker=dict(size=5, color=REAL, opacity=0.5), row=1, col=col)
        fig.add_scatter(x=b[:, 0], y=b[:, 1], mode="markers", name=_say(lang, other),
                        marker=dict(size=5, color=FAKE if col == 2 else "#2ca02c", opacity=0.5), row=1, col=col)
    fig = layout(fig, _say(lang, "judge_sets"), _units(lang, columns[0]), _units(lang, columns[1]), height=420)
    fig.update_xaxes(title_text=_units(lang, columns[0]), row=1, col=2)
    fig.update_layout(font=FONT, margin=dict(t=SUBPLOT_TOP))
    return fig


def counts_per_index(counts: np.ndarray, title: str, x: str, lang: str = "en") -> go.Figure:
    """Samples per mode (or per digit class) as bars, with the uniform share dotted."""
    fig = go.Figure(go.Bar(x=[str(i) for i in range(len(counts))], y=counts, marker_color=FAKE))
    fig.add_hline(y=float(np.sum(counts)) / max(len(counts), 1), line_dash="dot",
                  annotation_text=_say(lang, "uniform"))
    return layout(fig, title, x, _say(lang, "samples_y"))


def mode_histogram(counts: np.ndarray, lang: str = "en") -> go.Figure:
    return counts_per_index(counts, _say(lang, "modes_title"), _say(lang, "modes_x"), lang)


def class_histogram(counts: np.ndarray, lang: str = "en") -> go.Figure:
    return counts_per_index(counts, _say(lang, "classes_title"), _say(lang, "classes_x"), lang)
