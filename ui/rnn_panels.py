"""The RNN lab's panels: what a snapshot or a running job looks like on the page."""
import html

import streamlit as st

from core.data.rnn_tasks import is_embedded_reber
from core.export import samples_text
from core.jobs import JobView
from core.models import rnn_views
from core.plots import rnn as rnn_plots
from ui import training

N_SHOWN = 20  # samples listed on the page (the download has them all)


def curves(job, view: JobView) -> None:
    """Status, losses, the task's score and the weights' gradient norm: cheap, redrawn often."""
    model = job.model
    training.status(view, getattr(model, "device_", "starting"))
    cells, key, kind, cfg = model.cells, model.key, job.data.kind, model.config
    c = st.columns(3)
    c[0].plotly_chart(rnn_plots.rnn_losses(view.history, cells, key, kind))
    c[1].plotly_chart(score_chart(view.history, cells, key, job.data))
    c[2].plotly_chart(rnn_plots.rnn_grad_norms(view.history, cells, key, cfg.clip, cfg.max_norm))


def score_chart(history, cells, key, data):
    if data.name == "reber":
        return rnn_plots.rnn_scores(history, cells[:1], key, "valid_share", "Valid strings among 1,000 generated",
                                    "share valid (0-1)")
    if data.kind == "chars":
        return rnn_plots.rnn_scores(history, cells, key, "perplexity", "Validation perplexity",
                                    "perplexity (symbols, log scale)", log=True)
    if data.kind == "recall":
        return rnn_plots.rnn_scores(history, cells, key, "accuracy", "Recall accuracy (chance: 0.25)",
                                    "share of sequences right (0-1)")
    return rnn_plots.rnn_scores(history, cells, key, "continuation_rmse", "Error of the continuation",
                                "root mean squared error (unitless)")


def metrics_row(snap, model) -> None:
    m, shown = snap.metrics, []
    for cell in model.cells:
        name = rnn_plots.CELL_NAMES[cell] + " " if len(model.cells) > 1 else ""
        for metric, label, fmt in METRICS:
            if model.key(metric, cell) in m:
                shown.append((name + label, fmt.format(m[model.key(metric, cell)]), HELP.get(metric)))
    if "valid_share" in m:
        shown.insert(0, ("Valid strings (of 1,000)", f"{m['valid_share']:.1%}", None))
    per_row = 4 if len(model.cells) == 1 else len(shown) // len(model.cells)
    for row in range(0, len(shown), per_row):
        for column, (label, value, help_) in zip(st.columns(per_row), shown[row : row + per_row]):
            column.metric(label, value, help=help_)


METRICS = [("accuracy", "accuracy", "{:.1%}"), ("val_loss", "val loss", "{:.3f}"),
           ("perplexity", "perplexity", "{:.2f}"), ("grad_ratio", "gradient ratio first/last", "{:.1e}"),
           ("continuation_rmse", "continuation RMSE", "{:.3f}")]
HELP = {"grad_ratio": "‖∂L/∂state₁‖ / ‖∂L/∂state_T‖ for the loss at the last step T; '0' when the first step's "
                      "gradient is below float precision",
        "val_loss": "nats per symbol (squared error for a wave), on held-out data"}


def gradient_panel(snap, model, key: str) -> None:
    cfg = model.config
    st.plotly_chart(rnn_plots.grad_through_time(snap.views["grad"], snap.views["grad_scale"], cfg.clip, snap.step),
                    key=f"{key}-gtt")
    st.caption("The loss sits on the last step T; each point is how strongly it reaches back to the hidden state "
               "at step t (for the LSTM, its memory c_t; its read-out h_t is dashed). A straight falling line on "
               "this log scale is a gradient that shrinks by the same factor every step: it vanishes. "
               + ("Dotted (when the last update was clipped): the same gradient after clipping, which rescales every "
                  "step alike: clipping tames an "
                  "exploding gradient but cannot undo a vanishing one." if cfg.clip else
                  "Clipping is off: turn it on to see the gradient the clipped update uses."))


def heat_panel(snap, model, key: str) -> None:
    cells = model.cells
    cell = cells[0]
    if len(cells) > 1:
        cell = st.radio("Hidden states of", cells, horizontal=True, key=f"{key}-heatcell",
                        format_func=rnn_plots.CELL_NAMES.get)
    heat = snap.views["heat"][cell]
    st.plotly_chart(rnn_plots.hidden_heatmap(heat["h"], heat["labels"], cell), key=f"{key}-heat")


def samples_list(samples, data) -> None:
    """Generated strings: Reber ones marked valid or not; all shown as plain text, never as HTML."""
    shown = [str(s) for s in samples[:N_SHOWN]]
    if data.name == "reber":
        shown = [f"{'✓' if is_embedded_reber(s) else '✗'} {s}" for s in shown]
    st.text("\n".join(shown) if shown else "(no samples)")


def snapshot_panel(snap, job, key: str, samples: bool = True) -> None:
    """Everything one snapshot shows (its samples too, unless live ones follow)."""
    model, data = job.model, job.data
    metrics_row(snap, model)
    if "continuation" in snap.views:
        c = snap.views["continuation"]
        st.plotly_chart(rnn_plots.continuation(c["context"], c["truth"], c["prediction"]), key=f"{key}-cont")
    left, right = st.columns(2)
    with left:
        gradient_panel(snap, model, key)
    with right:
        heat_panel(snap, model, key)
    if samples and data.kind != "series":
        st.markdown(f"**Samples at step {snap.step:,}** (temperature {model.config.temperature:g} when drawn)")
        samples_list(snap.samples, data)


def sampler(job, config) -> None:
    """Fresh samples from the trained model at the sidebar's temperature and top-k: no retraining."""
    model, data = job.model, job.data
    if data.kind == "series":
        return
    what = {"reber": "strings", "recall": "answers"}.get(data.name, "lines")
    st.subheader(f"Samples at temperature {config.temperature:g}" + (f", top-k {config.top_k}" if config.top_k else ""))
    draws = st.session_state.setdefault("rnn.draws", 0)
    if st.button("Draw again", help="New random draws from the same trained model"):
        st.session_state["rnn.draws"] = draws = draws + 1
    n = rnn_views.N_REBER if data.name == "reber" else 200
    cache_key = (id(model), model.step_, config.temperature, config.top_k, draws)
    cached = st.session_state.get("rnn.samples")
    if cached is None or cached[0] != cache_key:
        samples = rnn_views.generate(model, model.sample_cell, n, config.temperature, config.top_k,
                                     seed=config.seed + draws)
        st.session_state["rnn.samples"] = cached = (cache_key, samples)
    samples = cached[1]
    if data.name == "reber":
        st.metric(f"Valid among {len(samples):,} generated", f"{rnn_views.valid_share(samples):.1%}")
    st.caption(f"The first {N_SHOWN} of {len(samples):,} {what}, from the {rnn_plots.CELL_NAMES[model.sample_cell]}. "
               "Move the temperature or top-k in the sidebar: the same model draws again, nothing retrains.")
    samples_list(samples, data)
    st.download_button(f"Download {len(samples):,} {what} (text)", lambda: samples_text(model, samples),
                       file_name=f"rnn-{data.name.replace(' ', '-').lower()}-samples.txt", mime="text/plain",
                       on_click="ignore")


def latest(job, view: JobView, config) -> None:
    """The newest snapshot; once training has stopped, samples drawn live at the sidebar's temperature."""
    if not view.snapshots:
        return
    snap = view.snapshots[-1]
    st.subheader(f"The model at step {snap.step:,}")
    snapshot_panel(snap, job, "live", samples=view.active)
    if not view.active:
        sampler(job, config)
    elif job.data.kind != "series":
        st.caption("While it trains, samples come with each snapshot; when it stops, the temperature slider "
                   "redraws them from the trained model.")


def data_preview(data) -> None:
    """The task's data, before anything has trained."""
    if data.kind == "series":
        st.plotly_chart(rnn_plots.series_preview(data.train[:400], f"The data ({data.name}): first 400 of "
                                                                     f"{len(data.train):,} training values"))
        return
    if data.kind == "recall":
        rows = [f"{data.decode(x)} -> {data.symbols[y]}" for x, y in zip(data.val[:8], data.val_y[:8])]
        st.markdown(f"**The data:** {len(data.train):,} training sequences of {data.val.shape[1]} symbols. The "
                    "first is a signal (A-D), the rest noise (w-z); at the end the network must say the signal.")
        st.text("\n".join(rows))
        return
    n = len(data.train) + len(data.val)
    st.markdown(f"**The data ({html.escape(data.name)}):** {n:,} symbols, {data.n_symbols} distinct; the last "
                "tenth is kept for validation. The first 600:")
    st.text(data.decode(data.train[:600]))

