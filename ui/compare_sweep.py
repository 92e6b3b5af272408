"""The Compare page's Robustness tab: one contamination at several levels, every family at every level.

The sweep (core.compare.sweep.Sweep) trains in a thread of its own, each family
in its own job through the same limiter as Train all; the tab only reads its
`view()`, from a fragment that reruns while it is active, so the page never
freezes and a Stop is taken at once. The sweep lives in the session
(`compare.sweep.run`), so a rerun or a page switch loses nothing.
"""
from typing import Callable

import streamlit as st

from core.compare import scoreboard
from core.compare.sweep import Sweep, headline, parse_levels
from core.data.contamination import kinds_for
from core.errors import GenLabError
from core.families import FAMILIES
from ui import fragments, keys, training
from ui.data_quality import SWEEP, current, kind_label
from ui.i18n import formatter, lang, t

PAGE = "compare"
REDRAW_SECONDS = 0.7


def current_sweep() -> Sweep | None:
    return st.session_state.get(keys.of(SWEEP, "run"))


def tab(task_name: str, load_clean: Callable, configs_now: Callable, ready: bool = True) -> None:
    """The tab: the sweep's settings, Run / Stop, its progress, then its chart and samples."""
    st.subheader(t("quality.sweep_title"))
    st.caption(t("quality.sweep_caption"))
    kinds = kinds_for(task_name)[1:]
    kind_key = keys.widget(SWEEP, "kind")
    kept = st.session_state[keys.of(SWEEP, "config")]
    for name in ("kind", "levels", "impute"):  # widgets not drawn last run (another tab) lost their state
        st.session_state.setdefault(keys.widget(SWEEP, name), getattr(kept, name))
    if st.session_state[kind_key] not in kinds:
        st.session_state[kind_key] = kinds[0]
    c1, c2 = st.columns(2)
    kind = c1.selectbox(t("quality.sweep_kind"), kinds, key=kind_key,
                        format_func=formatter(lambda said, k: kind_label(k, said)))
    c2.text_input(t("quality.sweep_levels"), key=keys.widget(SWEEP, "levels"), help=t("quality.sweep_levels_help"))
    if kind == "missing":
        st.selectbox(t("quality.impute_label"), ("drop", "fill"), key=keys.widget(SWEEP, "impute"),
                     format_func=formatter(lambda said, how: impute_label(how, said)))
        st.caption(t(f"quality.imputation.{st.session_state[keys.widget(SWEEP, 'impute')]}"))
    st.session_state[keys.of(SWEEP, "config")] = current(SWEEP)
    _buttons(load_clean, configs_now, ready)
    sweep = current_sweep()
    if sweep is None:
        try:
            levels = parse_levels(kind, st.session_state[keys.widget(SWEEP, "levels")])
        except GenLabError as err:
            st.error(err.say(lang()))
            return
        playing = sum(1 for f in FAMILIES.values() if not f.why_not(task_name))
        st.caption(t("quality.sweep_nothing", n=len(levels), families=playing))
        return
    live(sweep)
    results(sweep)


def impute_label(how: str, said: str) -> str:
    from core.i18n import text

    return text(said, f"quality.impute.{how}")


def _buttons(load_clean: Callable, configs_now: Callable, ready: bool) -> None:
    sweep = current_sweep()
    active = sweep is not None and sweep.view().active

    def start():
        stop()
        config = current(SWEEP)
        try:
            levels = parse_levels(config.kind, config.levels)
            task = load_clean()
            new = Sweep(task, configs_now(), config.kind, levels, impute=config.impute, seed=config.seed,
                        owner=training.session_token())
        except GenLabError as err:
            st.session_state[keys.of(SWEEP, "error")] = err.words
            return
        st.session_state[keys.of(SWEEP, "run")] = new.start()

    c1, c2 = st.columns(2)
    c1.button(t("quality.sweep_run"), type="primary", width="stretch", disabled=active or not ready, on_click=start)
    c2.button(t("quality.sweep_stop"), type="primary" if active else "secondary", width="stretch",
              disabled=not active, on_click=stop)
    if keys.of(SWEEP, "error") in st.session_state:
        st.error(st.session_state.pop(keys.of(SWEEP, "error")).say(lang()))


def stop() -> None:
    sweep = current_sweep()
    if sweep is not None:
        sweep.stop()
        sweep.wait(10)


def live(sweep: Sweep) -> None:
    """The sweep's progress ("level 2 of 4 (10 %): GAN running 400/1500"), redrawn while it trains."""
    was_active = sweep.view().active

    @st.fragment(run_every=REDRAW_SECONDS if was_active else None, key=keys.of(SWEEP, "live"))
    def panel():
        view = sweep.view()
        n, i = len(view.levels), view.level_index
        if view.active:
            doing = t("controls.list_sep").join(
                t("quality.sweep_family_step" if total else "quality.sweep_family_state",
                  family=t(f"compare.family.{f}"), state=t(f"training.state_{state}"), step=f"{step:,}",
                  total=f"{total:,}")
                for f, (state, step, total) in view.jobs.items())
            st.progress(min(1.0, len(view.rows) / (n * len(FAMILIES))),
                        text=t("quality.sweep_progress", index=i + 1, n=n, level=_level(sweep, view.levels[i]),
                               families=doing or "…"))
        elif view.state == "stopped":
            st.caption(t("quality.sweep_stopped"))
        else:
            st.caption(t("quality.sweep_done", n=n, rows=sum(1 for r in view.rows if r["metrics"])))
        if was_active and not view.active:
            st.rerun(scope="app")  # ended: the chart and the buttons redraw

    fragments.anchored(panel)


def _level(sweep: Sweep, level: float) -> str:
    """A level as the chart's axis reads it: a share in %, noise in data units, rows as a count."""
    if sweep.kind == "rows":
        return f"{sweep.result.train_rows.get(level) or round(level * len(sweep.task.train)):,}"
    return f"{level:.0%}" if sweep.kind != "noise" else f"{level:g}"


def results(sweep: Sweep) -> None:
    """The chart of every family against the level, the rows that could not be scored, and the samples."""
    from core.plots.compare import samples_grid
    from core.plots.sweep import sweep_chart

    result, task = sweep.result, sweep.task
    rows = list(result.rows)
    if not any(r["metrics"] for r in rows):
        return
    key = headline(task)
    title = dict(scoreboard.measure_columns(task, lang()))[key]
    names = {f: t(f"compare.family.{f}") for f in FAMILIES}
    unit = t(f"compare.ll_unit.{task.task}")
    st.plotly_chart(sweep_chart(rows, sweep.kind, (key, title), names, result.train_rows, unit, lang()),
                    width="stretch")
    st.caption(t("quality.sweep_of", data=task.describe(lang())))
    unusable = {}  # level -> why its data could not be used (too few rows left): said once, not per family
    for row in rows:
        words = row.get("words")
        why = words.say(lang()) if words else row["why"]
        if not row["applies"] and words:
            unusable[row["level"]] = why
        elif row["applies"] and not row["metrics"]:
            st.caption(t("quality.sweep_level_failed", family=names[row["family"]], level=_level(sweep, row["level"]),
                         why=why))
    for level, why in unusable.items():
        st.caption(t("quality.sweep_data_failed", level=_level(sweep, level), why=why))
    clean, worst = result.levels[0], result.worst()
    if worst == clean:
        return
    playing = [f for f in FAMILIES if (clean, f) in result.samples and (worst, f) in result.samples]
    panels = []
    for level in (clean, worst):
        panels.append(("real", f"{t('quality.sweep_train')} · {_level(sweep, level)}",
                       _shown(task, result.train.get(level, task.train))))
        panels += [(family, f"{names[family]} · {_level(sweep, level)}", result.samples[(level, family)])
                   for family in playing]
    st.caption(t("quality.sweep_samples", level=_level(sweep, worst)))
    st.plotly_chart(samples_grid(task, panels, lang=lang(), cols=len(playing) + 1), width="stretch")


def _shown(task, train):
    """The training data as the samples grid draws it: windows of a stream."""
    from core.compare.tasks import windows

    return windows(train, task.window) if task.task == "sequences" else train
