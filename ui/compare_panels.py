"""The Compare page's panels: settings per family, live progress per job, scoreboard, samples.

Each family's settings, widgets and job live under a page key of their own,
`compare.<family>` (ui.keys.family), so ui.controls and ui.training serve them as
they serve a lab: one config per family, N of them on this page.
"""
import streamlit as st

from core.compare import arena, presets, scoreboard
from core.compare.tasks import DATASETS
from core.config import config_fields, from_query, link_names, link_text
from core.errors import GenLabError
from core.families import FAMILIES
from core.i18n import Words, text
from ui import controls, data_quality, keys, live_chart, training
from ui.i18n import formatter, lang, t

PAGE = "compare"
LINK_KEYS = ("preset", "lang", "dataset")  # the link's keys beside the families' `gan.steps=...`


def _key(family: str) -> str:
    return keys.family(PAGE, family)  # the page key of one family's job and widgets (ui.training, ui.controls)


def init(default: str = presets.DEFAULT) -> presets.ArenaPreset:
    """The preset, its data set and each family's settings, from the link on first visit, else from the session.

    What the link says that this page cannot use (an unknown preset, a data set
    the task lacks, a bad value) is explained; keys that are no setting share one warning.
    """
    if keys.of(PAGE, "preset") not in st.session_state:
        params = st.query_params.to_dict()
        name, problems = controls.preset_from_link(params, presets.PRESETS, default)
        st.session_state[keys.of(PAGE, "url_problems")] = problems
        _load(name, params)
        _dataset_from_link(presets.PRESETS[name], params.get("dataset"))
        unknown = [k for k in params if k not in LINK_KEYS and not _is_setting(k) and not data_quality.is_link_key(k)]
        if unknown:
            controls.link_problem(PAGE, Words("error.link.ignored", {"names": link_names(unknown)}))
    return current_preset()


def current_preset() -> presets.ArenaPreset:
    return presets.PRESETS[controls.current_preset(PAGE)]


def _is_setting(key: str) -> bool:
    """True for `family.field` with a family of the arena and a field of its Config."""
    family, _, name = key.partition(".")
    return family in FAMILIES and name in {f.name for f in config_fields(FAMILIES[family].entrant_class().Config)}


def _dataset_from_link(preset: presets.ArenaPreset, name: str | None) -> None:
    """A link's `dataset=` where the preset's task has it (`upload` too: the uploader shows); else said."""
    if name is None:
        return
    choices = DATASETS[preset.task]
    if name in choices:
        st.session_state[keys.widget(PAGE, "dataset")] = name
    else:
        controls.link_problem(PAGE, Words("error.link.dataset", {
            "value": link_text(name), "choices": ", ".join(choices), "fallback": preset.dataset}))


def _load(name: str, link: dict[str, str] | None = None) -> None:
    """Make preset `name` current, with the link's `family.key=value` settings where they are valid."""
    preset = presets.PRESETS[name]
    st.session_state.pop(keys.of(PAGE, "configs"), None)
    st.session_state[keys.of(PAGE, "preset")] = st.session_state[keys.widget(PAGE, "preset")] = name
    st.session_state[keys.widget(PAGE, "dataset")] = preset.dataset
    for family in FAMILIES:
        config = arena.default_config(family, preset)
        mine = {k.partition(".")[2]: v for k, v in (link or {}).items() if k.partition(".")[0] == family}
        known = {f.name for f in config_fields(config)}
        config, bad = from_query(config, {k: v for k, v in mine.items() if k in known}, page_keys=(),
                                 prefix=f"{family}.")
        for words in bad:  # unknown fields are init's, said with the other keys that are no setting
            controls.link_problem(PAGE, words)
        controls.seed_widgets(_key(family), config)
    data_quality.load(preset, link)  # the contamination and the sweep the preset (and the link) set


def picker() -> presets.ArenaPreset:
    """Preset and data set in the sidebar; returns the preset."""
    st.sidebar.selectbox(t("compare.preset"), list(presets.PRESETS), key=keys.widget(PAGE, "preset"),
                         format_func=formatter(lambda said, n: f"{n}: {preset_title(n, said)}"),
                         on_change=lambda: _load(st.session_state[keys.widget(PAGE, "preset")]))
    return current_preset()


def preset_title(name: str, said: str | None = None) -> str:
    """An arena preset's title in `said` or the session's language (`preset.<name>.title`; English in core)."""
    return text(said or lang(), f"preset.{name}.title", presets.PRESETS[name].title)


def preset_notice(name: str) -> str:
    """The preset's "what to notice" note in the session's language (`preset.<name>.notice`)."""
    return t(f"preset.{name}.notice", default=presets.PRESETS[name].notice)


def family_title(family: str) -> str:
    return t(f"compare.family.{family}")


def why_not(family: str, task: str) -> str:
    """Why `family` sits out `task`, in the session's language (core keeps the English for the CLI)."""
    return t(f"compare.why_not.{family}.{task}")


def dataset_labels():
    """format_func of the Data select: a data set in the page's language (`choice.compare.dataset.<name>`,
    else its name)."""
    from core.compare.tasks import dataset_name

    return formatter(lambda said, name: dataset_name(name, said))


def family_settings(preset, playing: dict[str, str | None]) -> dict:
    """An expander of settings per family (widgets from its Config); returns family -> Config."""
    configs, kept = {}, st.session_state.get(keys.of(PAGE, "configs"), {})
    st.sidebar.subheader(t("compare.settings"))
    for family in FAMILIES:
        base = kept.get(family) or arena.default_config(family, preset)  # kept: a page switch loses nothing
        why = playing[family]
        with st.sidebar.expander(t("compare.sits_out", family=family_title(family)) if why else family_title(family)):
            if why:
                st.caption(why_not(family, preset.task))
            only = getattr(base, "ONLY_FOR", {})
            fields = [f for f in config_fields(base) if preset.task in only.get(f.name, (preset.task,))]
            configs[family] = controls.settings_widgets(st, _key(family), base, fields)
    st.session_state[keys.of(PAGE, "configs")] = configs
    return configs


def sync_url(preset, configs: dict) -> None:
    """The preset, its data set and every setting that differ from it, in the link (`gan.steps=500`)."""
    params = {"preset": preset.name, **({"lang": lang()} if lang() != "en" else {})}  # a copied link keeps 中文
    dataset = keys.widget(PAGE, "dataset")
    if st.session_state.get(dataset, preset.dataset) != preset.dataset:
        params["dataset"] = st.session_state[dataset]
    for family, config in configs.items():
        params.update(controls.link_params(config, arena.default_config(family, preset), prefix=f"{family}."))
    params.update(data_quality.link_params(preset))  # dirt.kind=outliers&sweep.levels=0,0.1 where not the preset's
    controls.write_url(PAGE, params)


# -- training all at once -----------------------------------------------------------------------------
def train_all(task, configs: dict) -> None:
    """Callback of "Train all": one entrant and one job per family that plays, all started now."""
    from core.jobs import TrainingJob

    stop_all()
    players = arena.entrants(task, configs)
    jobs = {}
    try:
        for player in players.values():
            if not isinstance(player, str):
                player.check(task)
    except GenLabError as err:
        st.session_state[keys.of(PAGE, "error")] = err.words
        return
    for family, player in players.items():
        st.session_state.pop(keys.of(_key(family), "job"), None)
        if not isinstance(player, str):
            jobs[family] = TrainingJob(player, task, owner=training.session_token()).start()
            st.session_state[keys.of(_key(family), "job")] = jobs[family]
    st.session_state[keys.of(PAGE, "run")] = {"task": task, "players": players, "jobs": jobs, "scored": {}}


def current_run() -> dict | None:
    """The last Train all's task, entrants and jobs, or None."""
    return st.session_state.get(keys.of(PAGE, "run"))


def stop_all() -> None:
    run = current_run()
    for job in (run or {}).get("jobs", {}).values():
        job.stop()
    for job in (run or {}).get("jobs", {}).values():
        job.wait(5)


def configs_from_widgets(preset) -> dict:
    """family -> Config as the widgets hold it now (right in a button's callback too)."""
    return {family: controls.config_from_widgets(_key(family), arena.default_config(family, preset))
            for family in FAMILIES}


def buttons(make_task, ready: bool = True) -> None:
    """Train all / Stop all. `make_task()` loads the task as the widgets say now, or raises GenLabError;
    `ready` is False while the data cannot be used (the page says why)."""
    run = current_run()
    active = bool(run) and any(j.view().active for j in run["jobs"].values())

    def start():
        try:
            train_all(make_task(), configs_from_widgets(current_preset()))
        except GenLabError as err:
            st.session_state[keys.of(PAGE, "error")] = err.words

    c1, c2 = st.columns(2)
    c1.button(t("compare.train_all"), type="primary", width="stretch", disabled=active or not ready, on_click=start)
    c2.button(t("compare.stop_all"), type="primary" if active else "secondary", width="stretch", disabled=not active,
              on_click=stop_all)
    live_chart.preload()
    training.show_error(PAGE)


def progress(run: dict) -> None:
    """A live column per family that plays: its job's state, step, time and device, and its curve."""
    playing = [f for f in FAMILIES if not isinstance(run["players"][f], str)]
    for family, col in zip(playing, st.columns(len(playing))):
        player = run["players"][family]
        with col:
            st.markdown(f"**{family_title(family)}** · {scoreboard.say_library(player.library, lang())}")
            training.live(_key(family), lambda view, p=player, f=family: _live(f, p, view), 0.7, "status",
                          owns_status=True)


def _live(family: str, player, view) -> None:
    from core.plots.compare import family_curve

    job = training.current_job(_key(family))
    training.status(view, player.device_, job)  # fed where the server feeds: it moves, and tells of the start
    if player.curve in view.history and len(view.history["step"]) > 1:
        live_chart.history_chart(f"compare-{family}", lambda: family_curve(view.history, player.curve, family,
                                                                           lang=lang()),
                                 job, [player.curve], (lang(), id(job.history)))
    elif view.state == "done" and view.total == 1:  # a one-pass fit (the network's counts): a curve of one point
        st.caption(t("compare.one_fit"))


# -- results --------------------------------------------------------------------------------------------
def rows(run: dict) -> list[dict]:
    """Scoreboard rows, each reason in the session's language; models stopped early are scored here,
    once, on request."""
    out = arena.rows(run["task"], run["players"], run["jobs"])
    for row in out:
        if row["family"] in run["scored"]:
            row["metrics"], row["why"] = run["scored"][row["family"]][0], ""
        elif not row["applies"]:
            row["why"] = why_not(row["family"], run["task"].task)
        elif not row["metrics"]:
            view = run["jobs"][row["family"]].view(max_points=10)
            row["why"] = view.words.say(lang()) if view.words else \
                t("compare.not_scored", state=t(f"training.state_{view.state}"))
    return out


def score_stopped(run: dict) -> None:
    """Score the models that were stopped before their budget ran out (the job could not)."""
    for family, job in run["jobs"].items():
        view = job.view(max_points=10)
        if view.state == "stopped" and family not in run["scored"] and job.model.data_ is not None:
            snap = job.model.snapshot()
            run["scored"][family] = (arena._plain(snap.metrics), snap.samples)


def results(run: dict) -> None:
    from core.plots import compare as plots

    task = run["task"]
    table_rows = rows(run)
    stopped = [r for r in table_rows if r["applies"] and not r["metrics"] and r.get("state") == "stopped"
               and run["jobs"][r["family"]].model.data_ is not None]  # one stopped in the queue never trained
    if stopped:
        st.button(t("compare.score_stopped", n=len(stopped)), on_click=score_stopped, args=(run,))
    headers, body = scoreboard.table(task, table_rows, lang())
    st.subheader(t("compare.scoreboard"))
    st.caption(t("compare.scoreboard_caption", data=task.describe(lang())))
    # families as columns, yardsticks as rows: narrow columns read on a projector; who sits out, below
    playing = [r for r, row in zip(body, table_rows) if row["applies"]]
    yardstick = t("compare.yardstick")
    st.dataframe({yardstick: headers[1:], **{r[0]: r[1:] for r in playing}}, hide_index=True, width="stretch",
                 height=36 * len(headers), column_config={yardstick: st.column_config.TextColumn(width="medium")})
    for row in table_rows:
        if not row["applies"]:
            st.caption(t("compare.sits_out_why", family=family_title(row["family"]), why=row["why"]))
    c1, c2 = st.columns(2)
    c1.download_button(t("compare.download_csv"), scoreboard.to_csv(task, table_rows, lang()),
                       file_name=f"arena-{task.name}.csv", mime="text/csv", width="stretch")
    c2.download_button(t("compare.download_md"), scoreboard.to_markdown(task, table_rows, lang()),
                       file_name=f"arena-{task.name}.md", mime="text/markdown", width="stretch")
    scored = [(family_title(r["family"]), r["metrics"]["c2st"], tuple(r["metrics"]["c2st_band"]))
              for r in table_rows if r["metrics"]]
    if scored:
        st.plotly_chart(plots.c2st_chart(scored, lang=lang()), width="stretch")
    panels = [("real", t("plot.compare.real"), task.heldout_samples())]
    for family, job in run["jobs"].items():
        samples = _samples(run, family, job)
        if samples is not None:
            panels.append((family, family_title(family), samples))
    if len(panels) > 1:
        st.plotly_chart(plots.samples_grid(task, panels, lang=lang()), width="stretch")


def _samples(run: dict, family: str, job):
    if family in run["scored"]:
        return run["scored"][family][1]
    view = job.view(max_points=10)
    snap = view.snapshots[-1] if view.snapshots else None
    return snap.samples if snap is not None and snap.metrics else None
