"""The RNN lab's panels: what a snapshot or a running job looks like on the page, in the reader's language."""
import streamlit as st

from core.data.rnn_tasks import is_embedded_reber
from core.jobs import JobView
from core.models import rnn_views
from core.plots import rnn as rnn_plots
from ui import controls, keys
from ui.live_chart import history_chart
from ui.i18n import formatter, lang, t

PAGE = "rnn"
N_SHOWN = 20  # samples listed on the page (the download has them all)


def cell_name(cell: str) -> str:
    """'vanilla RNN', 'LSTM', 'GRU' in the session's language (the plots' own words)."""
    return t(f"plot.rnn.cell.{cell}", cell.upper())


def task_name(data) -> str:
    """The task as the page names it ('Python docstrings', 'reber', ...): the built-in text's name is its own."""
    return t(f"rnn.task.{'text' if data.name == 'Python docstrings' else data.name}", default=data.name)


def verbatim(text: str) -> None:
    """Data and samples exactly as they are (monospace, never Markdown or HTML): they are the data, not words."""
    st.code(text, language=None, wrap_lines=True)


def curves(job, view: JobView) -> None:
    """Losses, the task's score and the weights' gradient norm: the curves are fed by the job itself
    (ui.live_chart, ui.live_feed); the status line above the tabs moves with the same feed."""
    model = job.model
    cells, key, kind, cfg = model.cells, model.key, job.data.kind, model.config
    version = (lang(), tuple(cells), kind, cfg.clip, cfg.max_norm, id(job.history))
    score, score_cells, log = score_of(job.data)
    c = st.columns(3)
    with c[0]:
        history_chart("rnn-losses", lambda: rnn_plots.rnn_losses(view.history, cells, key, kind, lang=lang()), job,
                      [key(s, cell) for cell in cells for s in ("train loss", "val_loss")], version)
    with c[1]:
        shown = cells[:score_cells]
        history_chart("rnn-score", lambda: rnn_plots.rnn_scores(view.history, shown, key, score, log=log, lang=lang()),
                      job, [key(score, cell) for cell in shown], version)
    with c[2]:
        history_chart("rnn-grad-norms", lambda: rnn_plots.rnn_grad_norms(view.history, cells, key, cfg.clip,
                                                                          cfg.max_norm, lang=lang()),
                      job, [key("grad norm", cell) for cell in cells], version)


def score_of(data) -> tuple[str, int | None, bool]:
    """The task's score series, how many cells it is drawn for (None: all), and whether on a log axis."""
    if data.name == "reber":
        return "valid_share", 1, False
    if data.kind == "chars":
        return "perplexity", None, True
    if data.kind == "recall":
        return "accuracy", None, False
    return "continuation_rmse", None, False


METRICS = [("accuracy", "{:.1%}"), ("val_loss", "{:.3f}"), ("perplexity", "{:.2f}"), ("grad_ratio", "{:.1e}"),
           ("continuation_rmse", "{:.3f}")]
HELP = ("grad_ratio", "val_loss")  # metrics with a help text (rnn.metric.<name>_help)


def metrics_row(snap, model) -> None:
    m, shown = snap.metrics, []
    for cell in model.cells:
        for metric, fmt in METRICS:
            if model.key(metric, cell) in m:
                label = t(f"rnn.metric.{metric}")
                if len(model.cells) > 1:
                    label = t("rnn.metric_of", cell=cell_name(cell), metric=label)
                shown.append((label, fmt.format(m[model.key(metric, cell)]),
                              t(f"rnn.metric.{metric}_help") if metric in HELP else None))
    if "valid_share" in m:
        shown.insert(0, (t("rnn.metric.valid_share"), f"{m['valid_share']:.1%}", None))
    per_row = 4 if len(model.cells) == 1 else len(shown) // len(model.cells)
    for row in range(0, len(shown), per_row):
        for column, (label, value, help_) in zip(st.columns(per_row), shown[row : row + per_row]):
            column.metric(label, value, help=help_)


def gradient_panel(snap, model, key: str) -> None:
    cfg = model.config
    st.plotly_chart(rnn_plots.grad_through_time(snap.views["grad"], snap.views["grad_scale"], cfg.clip, snap.step,
                                                lang=lang()), key=f"{key}-gtt")
    st.caption(t("rnn.gradient_caption") + " " + t("rnn.clip_on" if cfg.clip else "rnn.clip_off"))


def heat_panel(snap, model, key: str) -> None:
    cells = model.cells
    cell = cells[0]
    if len(cells) > 1:
        cell = st.radio(t("rnn.heat_of"), cells, horizontal=True, key=f"{key}-heatcell",
                        format_func=formatter(lambda language, c: rnn_plots.cell_name(c, language)))
    heat = snap.views["heat"][cell]
    st.plotly_chart(rnn_plots.hidden_heatmap(heat["h"], heat["labels"], cell, lang=lang()), key=f"{key}-heat")


def samples_list(samples, data) -> None:
    """Generated strings, Reber ones marked valid or not; shown verbatim (never as HTML)."""
    shown = [str(s) for s in samples[:N_SHOWN]]
    if data.name == "reber":
        shown = [f"{'✓' if is_embedded_reber(s) else '✗'} {s}" for s in shown]
    if shown:
        verbatim("\n".join(shown))
    else:
        st.caption(t("rnn.no_samples"))


def snapshot_panel(snap, job, key: str) -> None:
    """Everything one snapshot shows, its samples too."""
    measures(snap, job, key)
    snapshot_samples(snap, job)


def measures(snap, job, key: str) -> None:
    """The snapshot's scores, its continuation of a series, the gradient through time and the hidden states."""
    model = job.model
    metrics_row(snap, model)
    if "continuation" in snap.views:
        c = snap.views["continuation"]
        st.plotly_chart(rnn_plots.continuation(c["context"], c["truth"], c["prediction"], lang=lang()),
                        key=f"{key}-cont")
    left, right = st.columns(2)
    with left:
        gradient_panel(snap, model, key)
    with right:
        heat_panel(snap, model, key)


def snapshot_samples(snap, job) -> None:
    """The samples the snapshot drew (a series has none to list)."""
    if job.data.kind != "series":
        st.markdown(t("rnn.samples_at", step=f"{snap.step:,}", temperature=f"{job.model.config.temperature:g}"))
        samples_list(snap.samples, job.data)


WHAT = {"reber": "strings", "recall": "answers"}  # what a sample is (rnn.what.<noun>); text: lines


def sampler(job, config) -> None:
    """Fresh samples from the trained model at the sidebar's temperature and top-k: no retraining."""
    model, data = job.model, job.data
    if data.kind == "series":
        return
    what = t(f"rnn.what.{WHAT.get(data.name, 'lines')}")
    title = t("rnn.sampler_title", temperature=f"{config.temperature:g}")
    st.subheader(title + (t("rnn.sampler_top_k", k=config.top_k) if config.top_k else ""))
    draws = st.session_state.setdefault(keys.of(PAGE, "draws"), 0)
    if st.button(t("rnn.draw_again"), help=t("rnn.draw_again_help")):
        st.session_state[keys.of(PAGE, "draws")] = draws = draws + 1
    n = rnn_views.N_REBER if data.name == "reber" else 200
    cache_key = (id(model), model.step_, config.temperature, config.top_k, draws)
    cached = st.session_state.get(keys.of(PAGE, "samples"))
    if cached is None or cached[0] != cache_key:
        samples = rnn_views.generate(model, model.sample_cell, n, config.temperature, config.top_k,
                                     seed=config.seed + draws)
        st.session_state[keys.of(PAGE, "samples")] = cached = (cache_key, samples)
    samples = cached[1]
    if data.name == "reber":
        st.metric(t("rnn.valid_among", n=f"{len(samples):,}"), f"{rnn_views.valid_share(samples):.1%}")
    st.caption(t("rnn.sampler_caption", shown=N_SHOWN, n=f"{len(samples):,}", what=what,
                 cell=cell_name(model.sample_cell)))
    samples_list(samples, data)
    st.download_button(t("rnn.download_samples", n=f"{len(samples):,}", what=what),
                       lambda: model.samples_text(samples),
                       file_name=f"rnn-{data.name.replace(' ', '-').lower()}-samples.txt", mime="text/plain",
                       on_click="ignore")


def latest(job, view: JobView) -> None:
    """The newest snapshot; once training has stopped, samples drawn live at the sidebar's temperature."""
    if not view.snapshots:
        return
    snap = view.snapshots[-1]
    st.subheader(t("rnn.model_at", step=f"{snap.step:,}"))
    measures(snap, job, "live")
    if not view.active:
        sampler(job, controls.current_config(PAGE))
        return
    snapshot_samples(snap, job)
    if job.data.kind != "series":
        st.caption(t("rnn.while_training"))


def data_preview(data) -> None:
    """The task's data, before anything has trained."""
    if data.kind == "series":
        title = t("rnn.preview_series", name=task_name(data), n=f"{len(data.train):,}")
        st.plotly_chart(rnn_plots.series_preview(data.train[:400], title, lang=lang()))
        return
    if data.kind == "recall":
        rows = [f"{data.decode(x)} -> {data.symbols[y]}" for x, y in zip(data.val[:8], data.val_y[:8])]
        st.markdown(t("rnn.preview_recall", n=f"{len(data.train):,}", length=data.val.shape[1]))
        verbatim("\n".join(rows))
        return
    n = len(data.train) + len(data.val)
    st.markdown(t("rnn.preview_chars", name=task_name(data), n=f"{n:,}", distinct=data.n_symbols))
    verbatim(data.decode(data.train[:600]))
