"""Compare arena: the five families on one task, trained at once, one scoreboard, samples side by side."""
import streamlit as st

from core.families import FAMILIES
from core.compare.tasks import DATASETS, load_task
from ui import compare_panels as panels
from ui import compare_sweep, controls, data_quality, keys, lab, messages
from ui.i18n import lang, t

PAGE = "compare"
st.title(t("compare.title"))
st.caption(t("compare.caption"))

panels.init()
preset = panels.picker()
dataset = st.sidebar.selectbox(t("compare.data"), DATASETS[preset.task], key=keys.widget(PAGE, "dataset"),
                               format_func=panels.dataset_labels())
upload = None
if dataset == "upload":
    upload = messages.upload(keys.of(PAGE, preset.task), t("compare.upload_label"), ["csv", "txt"],
                             t(f"compare.upload_help.{preset.task}"))
data_quality.sidebar(preset.task)  # contamination of the training data for Train all (held-out stays clean)
playing = {name: family.why_not(preset.task) for name, family in FAMILIES.items()}
configs = panels.family_settings(preset, playing)
panels.sync_url(preset, configs)
controls.show_url_problems(PAGE)
st.info(t("lab.notice", title=panels.preset_title(preset.name), notice=panels.preset_notice(preset.name)))
task = messages.try_or_explain(load_task, preset.task, dataset, upload)


def clean_task():
    """The task as the sidebar says when a button is pressed (callbacks run before the script)."""
    chosen = st.session_state[keys.widget(PAGE, "dataset")]
    return load_task(preset.task, chosen, messages.stored_upload(keys.of(PAGE, preset.task)) if chosen == "upload"
                     else None)


def make_task():
    """Train all's task: its training data contaminated as the sidebar says."""
    return data_quality.contaminated(clean_task())


panels.buttons(make_task, ready=task is not None)  # data that failed its checks is explained above
arena_tab, sweep_tab, theory = lab.tabs(PAGE, "arena", "sweep", "theory")
if arena_tab.shown:
    with arena_tab:
        run = panels.current_run()
        if run is None:
            if task is not None:
                st.caption(t("compare.nothing_yet", data=task.describe(lang())))
        else:
            data_quality.say_done(run["task"])
            panels.progress(run)
            panels.results(run)
if sweep_tab.shown:
    with sweep_tab:
        compare_sweep.tab(preset.task, clean_task, lambda: panels.configs_from_widgets(panels.current_preset()),
                          ready=task is not None)
if theory.shown:
    with theory:
        lab.theory(PAGE)
