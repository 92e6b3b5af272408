"""The Bayesian network lab's charts: graphs, scores, the learning curve, tables, inference, samples."""
import numpy as np
import plotly.graph_objects as go

from core.i18n import text
from core.plots import FONT, layout

EDGE_COLOURS = {"correct": "#2ca02c", "reversed": "#ff7f0e", "missing": "#999999", "extra": "#d62728",
                "true": "#1f77b4"}


def words(lang: str, key: str, **fields) -> str:
    return text(lang, f"plot.bayesnet.{key}", **fields)


def dag(pos: dict, edges_by_class: dict[str, list], title: str, height: int = 460, lang: str = "en") -> go.Figure:
    """A graph on fixed positions: arrows (or plain lines when undirected) coloured by class, with a legend."""
    fig = go.Figure()
    gap = 27 if len(pos) <= 12 else 8  # pixels between an arrow's ends and the node centres
    for cls, edges in edges_by_class.items():
        colour, dash = EDGE_COLOURS[cls], "dash" if cls == "missing" else "solid"
        for u, v, directed in edges:
            (x0, y0), (x1, y1) = pos[u], pos[v]
            if directed:
                fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                                   showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=2.5, arrowcolor=colour,
                                   standoff=gap, startstandoff=gap, opacity=0.5 if cls == "missing" else 1)
                if cls == "missing":
                    fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=colour, dash=dash))
            else:
                fig.add_shape(type="line", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=colour, width=3, dash=dash))
        fig.add_scatter(x=[None], y=[None], mode="lines", line=dict(color=colour, width=3, dash=dash),
                        name=words(lang, "edge_count", name=words(lang, f"edge_{cls}"), count=len(edges)))
    names = list(pos)
    small = len(names) <= 12  # a small network: names inside big nodes; a big one: small nodes, names on labels
    fig.add_scatter(x=[pos[n][0] for n in names], y=[pos[n][1] for n in names],
                    mode="markers+text" if small else "markers", text=names, textposition="middle center",
                    hoverinfo="text", showlegend=False, textfont=dict(size=13),
                    marker=dict(size=52 if small else 14, color="#eef4fb", line=dict(color="#444", width=1.5)))
    if not small:  # on a white label above its node, so arrows never hide a name
        for n in names:
            fig.add_annotation(x=pos[n][0], y=pos[n][1], yshift=16, text=n, showarrow=False, font=dict(size=10),
                               bgcolor="rgba(255,255,255,0.85)", borderpad=1)
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    fig.update_xaxes(visible=False, range=[min(xs) - 0.6, max(xs) + 0.6])
    fig.update_yaxes(visible=False, range=[min(ys) - 0.5, max(ys) + 0.6])
    height = max(height, int(70 * (max(ys) - min(ys) + 2)))
    fig = layout(fig, title, "", "", height)
    fig.update_layout(plot_bgcolor="white", legend=dict(orientation="h", y=-0.05))
    return fig


def score_per_step(scores: list[list[float]], score_name: str, best: int | None = None,
                   lang: str = "en") -> go.Figure:
    """The structure score at the start of each hill climb and after each of its steps."""
    fig = go.Figure()
    names = [words(lang, "climb_empty"), words(lang, "climb_pc")]
    for i, climb in enumerate(scores):
        kept = words(lang, "kept") if best == i and len(scores) > 1 else ""
        fig.add_scatter(x=list(range(len(climb))), y=climb, mode="lines+markers", name=names[min(i, 1)] + kept)
    return layout(fig, words(lang, "score_title", score=score_name), words(lang, "score_x"),
                  words(lang, "score_y", score=score_name))


def learning_curve(curve: list[dict], lang: str = "en") -> go.Figure:
    """SHD and CPDAG-SHD against the number of rows: each sample as a dot, the median over samples as a line."""
    fig = go.Figure()
    if curve:
        rows = sorted({c["rows"] for c in curve})
        for key, name, colour, dash in (("shd", words(lang, "curve_shd"), "#1f77b4", "solid"),
                                         ("cpdag_shd", words(lang, "curve_cpdag_shd"), "#ff7f0e", "dash")):
            median = [float(np.median([c[key] for c in curve if c["rows"] == n])) for n in rows]
            fig.add_scatter(x=rows, y=median, mode="lines+markers", name=words(lang, "curve_median", name=name),
                            line=dict(color=colour, dash=dash, width=3))
            if len(curve) > len(rows):  # several samples per size: show each one
                fig.add_scatter(x=[c["rows"] for c in curve], y=[c[key] for c in curve], mode="markers",
                                name=words(lang, "curve_each", name=name), marker=dict(color=colour, size=7, opacity=0.35))
    fig.update_xaxes(type="log")
    fig.update_yaxes(rangemode="tozero")
    return layout(fig, words(lang, "curve_title"), words(lang, "curve_x"), words(lang, "curve_y"), 400)


def cpd(table: dict, title: str, lang: str = "en") -> go.Figure:
    """P(node | parents) as a heat map: a row per state, a column per parent configuration."""
    values, cols = table["values"], table["columns"]
    text = [[f"{v:.2f}" for v in row] for row in values] if values.size <= 400 else None
    fig = go.Figure(go.Heatmap(z=values, x=list(range(len(cols))), y=table["states"], zmin=0, zmax=1,
                               colorscale="Blues", text=text, texttemplate="%{text}" if text else None,
                               customdata=[cols] * len(values), colorbar=dict(title=words(lang, "probability")),
                               hovertemplate="P(%{y} | %{customdata}) = %{z:.3f}<extra></extra>"))
    short = cols if len(cols) <= 8 else [str(i + 1) for i in range(len(cols))]
    fig.update_xaxes(tickvals=list(range(len(cols))), ticktext=short)
    parents = ", ".join(table["parents"]) or words(lang, "no_parents")
    x = words(lang, "cpd_x" if len(cols) <= 8 else "cpd_x_numbered", parents=parents)
    return layout(fig, title, x, words(lang, "cpd_y", node=table["node"]), 300)


def inference(states: list[str], bars: dict[str, np.ndarray], query: str, evidence: str,
              lang: str = "en") -> go.Figure:
    """Prior and posterior of the query variable as grouped bars."""
    fig = go.Figure()
    colours = ["#aaaaaa", "#1f77b4", "#2ca02c"]
    for (name, probs), colour in zip(bars.items(), colours):
        fig.add_bar(x=states, y=probs, name=name, marker_color=colour, text=[f"{p:.2f}" for p in probs],
                    textposition="outside")
    fig.update_yaxes(range=[0, 1.1])
    fig.update_layout(barmode="group")
    return layout(fig, words(lang, "inference_title", query=query, evidence=evidence or words(lang, "no_evidence")),
                  words(lang, "inference_x", query=query), words(lang, "inference_y"))


def marginals(labels: list[str], data: np.ndarray, samples: np.ndarray, lang: str = "en") -> go.Figure:
    """Each (variable, state) frequency: in the data against in the samples; the diagonal is a perfect match."""
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", line=dict(color="#999", dash="dot"), name=words(lang, "perfect"))
    fig.add_scatter(x=data, y=samples, mode="markers", text=labels, name=words(lang, "variable_state"),
                    marker=dict(size=9, color="#1f77b4"), hovertemplate=words(lang, "marginals_hover"))
    fig.update_xaxes(range=[0, 1.02])
    fig.update_yaxes(range=[0, 1.02])
    return layout(fig, words(lang, "marginals_title"), words(lang, "marginals_x"), words(lang, "marginals_y"), 420)


def pairwise(labels: list[str], data: np.ndarray, samples: np.ndarray, a: str, b: str,
             lang: str = "en") -> go.Figure:
    """The joint frequencies of two variables: data next to samples, as grouped bars."""
    fig = go.Figure()
    fig.add_bar(x=labels, y=data, name=words(lang, "pairs_data"), marker_color="#1f77b4")
    fig.add_bar(x=labels, y=samples, name=words(lang, "pairs_samples"), marker_color="#ff7f0e")
    fig.update_layout(barmode="group")
    return layout(fig, words(lang, "pairs_title", a=a, b=b), f"{a}, {b}", words(lang, "pairs_y"))


def heldout(learned: float, true: float | None, lang: str = "en") -> go.Figure:
    """Mean log-likelihood per held-out row: the learned network against the true one."""
    names, values = [words(lang, "heldout_learned")], [learned]
    if true is not None:
        names.append(words(lang, "heldout_true"))
        values.append(true)
    fig = go.Figure(go.Bar(x=names, y=values, marker_color=["#1f77b4", "#2ca02c"][:len(names)],
                           text=[f"{v:.3f}" for v in values], textposition="outside"))
    fig.update_layout(font=FONT)
    return layout(fig, words(lang, "heldout_title"), words(lang, "heldout_x"), words(lang, "heldout_y"), 320)


def d_separation(lang: str = "en") -> go.Figure:
    """Chain, fork and collider side by side, each with when it blocks the path from A to C."""
    fig = go.Figure()
    shapes = [("chain", [("A", "B"), ("B", "C")], words(lang, "blocked_observed")),
              ("fork", [("B", "A"), ("B", "C")], words(lang, "blocked_observed")),
              ("collider", [("A", "B"), ("C", "B")], words(lang, "blocked_unless"))]
    for i, (name, edges, rule) in enumerate(shapes):
        x0 = 4 * i
        pos = {"A": (x0, 0), "B": (x0 + 1, 0 if name == "chain" else (1 if name == "fork" else -1)), "C": (x0 + 2, 0)}
        for u, v in edges:
            fig.add_annotation(x=pos[v][0], y=pos[v][1], ax=pos[u][0], ay=pos[u][1], xref="x", yref="y", axref="x",
                               ayref="y", text="", showarrow=True, arrowhead=3, arrowwidth=2.5, arrowcolor="#1f77b4",
                               standoff=18, startstandoff=18)
        fig.add_scatter(x=[p[0] for p in pos.values()], y=[p[1] for p in pos.values()], mode="markers+text",
                        text=list(pos), marker=dict(size=36, color="#eef4fb", line=dict(color="#444", width=1.5)),
                        textfont=dict(size=15), showlegend=False, hoverinfo="skip")
        fig.add_annotation(x=x0 + 1, y=-2.3, text=f"<b>{words(lang, name)}</b><br>{rule}", showarrow=False, font=dict(size=14))
    fig.update_xaxes(visible=False, range=[-0.7, 10.7])
    fig.update_yaxes(visible=False, range=[-3.0, 1.6])
    fig = layout(fig, words(lang, "dsep_title"), "", "", 330)
    fig.update_layout(plot_bgcolor="white")
    return fig
