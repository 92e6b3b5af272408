"""Compare arena: the five families on one task, trained at once, one scoreboard, samples side by side."""
import streamlit as st

from core.compare import arena
from core.compare.tasks import DATASETS, UPLOAD_HELP, load_task
from ui import compare_panels as panels
from ui import lab, messages

st.title("Compare")
st.caption("The same data, five families, trained at once and judged by the same yardsticks on held-out data. "
           "Pick a task, press Train all, and watch each family's job; the scoreboard fills in as they finish.")

panels.init()
preset = panels.picker()
dataset = st.sidebar.selectbox("Data", DATASETS[preset.task], key="compare.w.dataset")
upload = None
if dataset == "upload":
    upload = messages.upload(f"compare.{preset.task}", "Your data", ["csv", "txt"], UPLOAD_HELP[preset.task])
playing = {f: arena.REGISTRY[f].why_not(preset.task) for f in arena.REGISTRY}
configs = panels.family_settings(preset, playing)
panels.sync_url(preset, configs)
panels.show_problems()
st.info(f"**{preset.title}.** What to notice: {preset.notice}")
task = messages.try_or_explain(load_task, preset.task, dataset, upload)


def make_task():
    """The task as the sidebar says when Train all is pressed (callbacks run before the script)."""
    chosen = st.session_state["compare.w.dataset"]
    return load_task(preset.task, chosen, messages.stored_upload(f"compare.{preset.task}") if chosen == "upload"
                     else None)


panels.buttons(make_task, ready=task is not None)  # data that failed its checks is explained above
arena_tab, theory = st.tabs(["Arena", "Theory"])
with arena_tab:
    run = st.session_state.get("compare.run")
    if run is None:
        if task is not None:
            st.caption(f"Data: {task.describe()}. Nothing has trained yet.")
    else:
        panels.progress(run)
        panels.results(run)
with theory:
    lab.theory("compare")
