"""Figures of the robustness sweep: each family's scores against the level of contamination.

One chart, three panels side by side (the task's own measure, C2ST, held-out
log-likelihood), one line per family, the level on x and the clean level
dashed: a family whose line stays flat shrugs the dirt off, one that falls
away breaks. Fewer rows are drawn against the number of rows kept, on a log
axis (100 … 5,000 rows read evenly).
"""
import math

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from core.data.contamination import SHARES, clean_level
from core.i18n import text
from core.plots import FONT
from core.plots.compare import COLORS


def sweep_chart(rows: list[dict], kind: str, measure: tuple[str, str], names: dict[str, str],
                train_rows: dict[float, int] | None = None, unit: str = "", lang: str = "en") -> go.Figure:
    """rows: the sweep's {family, level, metrics}; measure: (key, its title); names: family -> its name;
    unit: the log-likelihood's (nats per point)."""
    loglik = text(lang, "plot.sweep.loglik")
    titles = [measure[1], text(lang, "plot.sweep.c2st"), loglik]
    fig = make_subplots(1, 3, subplot_titles=titles, horizontal_spacing=0.08)
    x_of = (lambda level: (train_rows or {}).get(level, level)) if kind == "rows" else (lambda level: level)
    families = list(dict.fromkeys(r["family"] for r in rows))
    for family in families:
        mine = sorted((r for r in rows if r["family"] == family and r["metrics"]), key=lambda r: x_of(r["level"]))
        if not mine:
            continue
        for col, key in enumerate((measure[0], "c2st", "loglik"), start=1):
            points = [(x_of(r["level"]), r["metrics"].get(key)) for r in mine]
            points = [(x, y) for x, y in points if isinstance(y, (int, float)) and math.isfinite(y)]
            fig.add_scatter(x=[p[0] for p in points], y=[p[1] for p in points], mode="lines+markers",
                            name=names.get(family, family), legendgroup=family, showlegend=col == 1,
                            line=dict(color=COLORS.get(family), width=2), marker=dict(size=8), row=1, col=col)
    band = next((r["metrics"]["c2st_band"] for r in rows if r["metrics"].get("c2st_band")), None)
    if band:
        fig.add_hrect(y0=band[0], y1=band[1], fillcolor="#2ca02c", opacity=0.15, line_width=0, row=1, col=2,
                      annotation_text=text(lang, "plot.sweep.chance"), annotation_position="bottom right")
    clean = x_of(clean_level(kind))
    for col in (1, 2, 3):  # annotation_text=None still draws plotly's placeholder "new text": name it once only
        words = {"annotation_text": text(lang, "plot.sweep.clean")} if col == 1 else {}
        fig.add_vline(x=clean, line_dash="dash", line_color="#777", row=1, col=col, **words)
    axis = text(lang, f"quality.axis.{kind}")
    fig.update_xaxes(title_text=axis, type="log" if kind == "rows" else "linear",
                     tickformat=".0%" if kind in SHARES else None)
    fig.update_layout(title=text(lang, "plot.sweep.title", kind=text(lang, f"quality.kind.{kind}")), height=420,
                      font=FONT, margin=dict(l=60, r=20, t=90, b=60), legend=dict(orientation="h", y=-0.25),
                      plot_bgcolor="white")
    fig.update_yaxes(gridcolor="#eee")
    for col, title in enumerate((text(lang, "plot.sweep.measure_y"), text(lang, "plot.sweep.c2st_y"), unit), 1):
        fig.update_yaxes(title_text=title, row=1, col=col)
    fig.update_xaxes(gridcolor="#eee")
    return fig
