"""Train / Stop / Continue / Reset, and the live panel that redraws while a job runs.

The model and its job live in `st.session_state` (never in a global cache), so
a rerun, a slider move or a page switch loses nothing. Training runs in the
job's thread; the page only reads `job.view()` from a fragment that reruns a
few times a second while the job is active, and stops ticking when it is not.
"""
import time
from typing import Any, Callable

import streamlit as st

from core.errors import GenLabError
from core.jobs import JobView, TrainingJob

REDRAW_SECONDS = 0.4


def current_job(page: str) -> TrainingJob | None:
    return st.session_state.get(f"{page}.job")


def start(page: str, model: Any, data: Any, continue_from: TrainingJob | None = None) -> None:
    """Start a job; continuing keeps the model, its history and its snapshots."""
    if continue_from is not None:
        job = TrainingJob(model, data, model.config.steps, history=continue_from.history,
                          snapshots=continue_from.snapshots)
    else:
        job = TrainingJob(model, data, model.config.steps)
    st.session_state[f"{page}.job"] = job.start()
    st.session_state[f"{page}.started"] = time.perf_counter()


def buttons(page: str, config: Any, make: Callable[[], tuple[Any, Any]]) -> None:
    """The three buttons. `make()` builds (model, data) from the config, or raises GenLabError."""
    job = current_job(page)
    active = job is not None and job.view().active
    same = job is not None and job.model.config == config
    c1, c2, c3 = st.columns(3)
    if active:
        c1.button("Train", disabled=True, width="stretch")
        if c2.button("Stop", type="primary", width="stretch"):
            job.stop()
            job.wait(5)
            st.rerun()
    else:
        label = "Continue training" if (job is not None and same and job.view().state == "stopped") else "Train"
        if c1.button(label, type="primary", width="stretch"):
            try:
                if label == "Train":
                    start(page, *make())
                else:
                    start(page, job.model, job.data, continue_from=job)
            except GenLabError as err:
                st.error(str(err))
                return
            st.rerun()
        c2.button("Stop", disabled=True, width="stretch")
    if c3.button("Reset", width="stretch", disabled=job is None):
        if job is not None:
            job.stop()
        st.session_state.pop(f"{page}.job", None)
        st.rerun()
    if job is not None and not same and not active:
        st.caption("Settings changed since this model was trained: Train starts a new model with them.")


def status(view: JobView, device: str) -> None:
    """One line on where the job stands, with the device that trains it."""
    if view.state == "queued":
        st.info(f"Waiting for a free training slot: position {view.queue_position} in the queue.")
        return
    rate = view.step / view.seconds if view.seconds > 0 else 0.0
    st.progress(min(view.step / max(view.total, 1), 1.0),
                text=f"{view.state}: step {view.step:,} of {view.total:,} · {view.seconds:.1f} s · "
                     f"{rate:,.0f} steps/s · device: {device}")
    if view.state == "diverged":
        st.error(view.message)
    elif view.state == "failed":
        st.error(view.message)
    elif view.state == "stopped":
        st.info(view.message)


def live(page: str, draw: Callable[[JobView], None], every: float = REDRAW_SECONDS, name: str = "live") -> None:
    """Draw the job now, and again every `every` seconds while it is queued or running.

    A page uses two of these: cheap curves a few times a second, heavy sample
    plots (thousands of points, a heat map) less often, so redrawing never
    starves the training thread of the GIL or the browser of its CPU.
    """
    job = current_job(page)
    if job is None:
        return
    active = job.view().active

    @st.fragment(run_every=every if active else None, key=f"{page}.{name}")
    def panel():
        view = job.view()
        draw(view)
        if active and not view.active:
            st.rerun(scope="app")  # the job ended: redraw the buttons, stop ticking

    panel()


def cli_command(page: str, config: Any) -> str:
    """`python -m core ...` that reproduces this page's run."""
    from core.config import to_query
    from core.presets import build_config

    preset = st.session_state.get(f"{page}.preset")
    base = build_config(page, preset)
    sets = " ".join(f"--set {k}={v}" for k, v in to_query(config, base).items())
    return f"python -m core {page} --preset {preset} {sets} --json".replace("  ", " ")
