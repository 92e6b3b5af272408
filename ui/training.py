"""Train / Pause / Step / Stop / Continue / Reset and the speed, and the live panel that redraws while a job runs.

The model and its job live in `st.session_state` (never in a global cache), so
a rerun, a slider move or a page switch loses nothing. Training runs in the
job's thread; the page only reads `job.view()` from a fragment that reruns a
few times a second while the job is active, and stops ticking when it is not.
"""
from typing import Any, Callable

import streamlit as st

from core.config import to_query
from core.device import device_name
from core.errors import GenLabError
from core.families import FAMILIES
from core.i18n import text
from core.jobs import SPEEDS, STATES, JobView, TrainingJob
from core.plots import runs_overlay
from core.presets import build_config
from core.report import run_report
from ui import controls, fragments, keys, live_chart, live_feed, messages, sessions
from ui.i18n import formatter, lang, t

REDRAW_SECONDS = 0.4
QUEUED_SECONDS = 1.0  # s: a queued job's status fragment says its place and looks for its start
FED_QUEUED_SECONDS = 10.0  # s: the same where the feed tells the page (the line reruns it): a safety net
FIRST_DRAW_WAIT = 0.4  # s the curves of a fresh job wait for its first steps (~0.1 s once warm)
SETTLE_WAIT = 3.0  # s a Pause or Step click waits for the job to hold still, so its rerun draws it paused


def current_job(page: str) -> TrainingJob | None:
    job = st.session_state.get(keys.of(page, "job"))
    return job if job is not None and job.model is not None else None  # a dropped job (ui/sessions.py) is gone


class SessionToken:
    """Lives only in one browser session's state; its jobs stop when the session is dropped."""


def session_token() -> SessionToken:
    """This session's token, watched (ui/sessions.py) so its jobs stop once the tab is closed for good."""
    token = st.session_state.get("genlab.session")
    if token is None:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        token = st.session_state["genlab.session"] = SessionToken()
        ctx = get_script_run_ctx()
        if ctx is not None:
            sessions.watch(ctx.session_id, token)
    return token


MAX_RUNS = 8  # earlier runs kept per page for the overlay


def remember(page: str, job: TrainingJob | None) -> None:
    """Keep a finished run's curves (downsampled) for the overlay of earlier runs and seeds."""
    if job is None or job.view().step == 0:
        return

    runs = st.session_state.setdefault(keys.of(page, "runs"), [])
    preset = st.session_state.get(keys.of(page, "preset"))
    changed = list(to_query(job.model.config, build_config(page, preset))) if preset else []
    number = runs[-1]["number"] + 1 if runs else 1
    runs.append({"number": number, "preset": preset, "config": job.model.config, "changed": changed,
                 "history": job.view(max_points=300).history})
    del runs[:-MAX_RUNS]


def run_label(page: str, run: dict) -> str:
    """'run 3: Seed = 4' in the session's language (said when drawn, so a language switch applies)."""
    changes = controls.describe(page, run["config"], run["changed"]) if run["changed"] else \
        t("training.as_preset", preset=controls.preset_title(lang(), run["preset"]).rsplit(" (", 1)[0])
    return t("training.run_label", number=run["number"], changes=changes)


def start(page: str, model: Any, data: Any, continue_from: TrainingJob | None = None) -> None:
    """Start a job; continuing keeps the model, its history and its snapshots."""
    if continue_from is None:
        remember(page, current_job(page))
    if continue_from is not None:
        job = TrainingJob(model, data, model.config.steps, history=continue_from.history,
                          snapshots=continue_from.snapshots, owner=session_token(), speed=speed(page))
    else:
        job = TrainingJob(model, data, model.config.steps, owner=session_token(), speed=speed(page))
    st.session_state[keys.of(page, "job")] = job.start()
    st.session_state[keys.of(page, "fresh")] = True  # the curves wait for a first curve, the samples skip a run


def _train(page: str, make: Callable[[], tuple[Any, Any]]) -> None:
    try:
        start(page, *make())
    except GenLabError as err:
        st.session_state[keys.of(page, "error")] = err.words


def _continue(page: str) -> None:
    """A paused job goes on (the same job, history and snapshots); a stopped one trains on in a new job."""
    job = current_job(page)
    if job.view().state == "paused":
        job.resume()
        return
    start(page, job.model, job.data, continue_from=job)


def _pause(page: str) -> None:
    job = current_job(page)
    if job is not None:
        job.pause()
        job.settle(SETTLE_WAIT)  # at the next progress event: a GAN's next report, an EM iteration


def _step(page: str) -> None:
    job = current_job(page)
    if job is not None:
        job.step_once()
        job.settle(SETTLE_WAIT)  # longer (a slow forest round, a full queue): the panel ticks until it is done


def speed(page: str) -> str:
    """The page's chosen speed, "full" or "slow" (it applies to the next job too)."""
    return st.session_state.get(keys.of(page, "speed")) or "full"


def _speed(page: str) -> None:
    job = current_job(page)
    if job is not None:
        job.set_speed(speed(page))


def _stop(page: str) -> None:
    job = current_job(page)
    if job is not None:
        job.stop()
        job.wait(5)


def _reset(page: str) -> None:
    _stop(page)
    remember(page, st.session_state.pop(keys.of(page, "job"), None))


def show_error(page: str) -> None:
    """The page's last refused action (impossible settings, a bad weights file), said once, in words."""
    if keys.of(page, "error") in st.session_state:
        st.error(st.session_state.pop(keys.of(page, "error")).say(lang()))


def buttons(page: str, config: Any, make: Callable[[], tuple[Any, Any]]) -> None:
    """Train / Pause / Continue, Step, Stop, Reset, and the speed. `make()` builds (model, data) from the
    config, or raises GenLabError.

    Running: Pause and Stop. Paused: Continue, Step and Stop. The buttons act in
    on_click callbacks, which run before the script, so the very run that follows
    a click already draws the new state: one rerun, not two.
    """
    job = current_job(page)
    view = job.view() if job is not None else None
    active = view is not None and view.active
    paused = view is not None and view.state == "paused"
    same = job is not None and job.model.config == config
    c1, c2, c3, c4, c5 = st.columns([1.3, 1, 1, 1, 1.7], vertical_alignment="bottom")
    _first_button(c1, page, view, same, make)
    c2.button(t("training.step"), width="stretch", disabled=not paused, on_click=_step, args=(page,),
              help=t("training.step_help"))
    c3.button(t("training.stop"), type="primary" if active else "secondary", width="stretch",
              disabled=not (active or paused), on_click=_stop, args=(page,))
    c4.button(t("training.reset"), width="stretch", disabled=job is None, on_click=_reset, args=(page,))
    _speed_control(c5, page, job)
    live_chart.preload()  # plotly.js arrives while the student reads the page, not after Train
    show_error(page)
    if job is not None and not same and paused:
        st.caption(t("training.changed_paused"))
    elif job is not None and not same and not active:
        st.caption(t("training.changed"))


def _first_button(column, page: str, view: JobView | None, same: bool, make: Callable) -> None:
    """Pause while training, Continue while paused (or stopped, same settings), otherwise Train."""
    state = view.state if view is not None else None
    if state in ("queued", "running"):
        column.button(t("training.pause"), type="primary", width="stretch", disabled=state == "queued",
                      on_click=_pause, args=(page,), help=t("training.pause_help"))
    elif state == "paused" or (state == "stopped" and same):
        column.button(t("training.continue"), type="primary", width="stretch", on_click=_continue, args=(page,))
    else:
        column.button(t("training.train"), type="primary", width="stretch", on_click=_train, args=(page, make))


def _speed_control(column, page: str, job: TrainingJob | None) -> None:
    """Full speed or slow (one step at a time, about two a second, for a projector); acts at once."""
    key = keys.of(page, "speed")
    if st.session_state.get(key) is None:  # first run, or back from another page (Streamlit drops an unshown widget)
        st.session_state[key] = job.speed if job is not None else "full"
    column.segmented_control(t("training.speed"), SPEEDS, key=key, required=True, width="stretch",
                             format_func=formatter(lambda language, s: text(language, f"training.speed_{s}")),
                             on_change=_speed, args=(page,), help=t("training.speed_help"))


def status(view: JobView, device: str | None, job: TrainingJob | None = None) -> None:
    """One line on where the job stands, with the device that trains it (a torch device name, worded
    here for the session's language; None while the model is still being built).

    Given the job, where the server feeds the live charts, the line is drawn once and then moves with
    the curves, from the same feed (ui.live_chart.status_line): no rerun to tell the step."""
    device = device_name(device, lang()) if device else t("training.starting")
    words = {"line": t("training.progress", state="{state}", step="{step}", total="{total}", timing="{timing}",
                       device=device),
             "timing": t("training.timing", seconds="{seconds}", rate="{rate}"),
             "states": {s: t(f"training.state_{s}") for s in STATES}}
    if view.state == "queued":
        if job is not None:  # hidden, first (the same place once it runs): watches the feed for the start
            live_chart.status_line(job, view, words)
        st.info(t("training.queued", position=view.queue_position))  # at once: the line's component mounts later
        return
    if job is None or view.state not in ("running", "paused") or not live_chart.status_line(job, view, words):
        timing = words["timing"].format(seconds=f"{view.seconds:.1f}", rate=per_second(view.step / view.seconds)) \
            if view.seconds > 0 else ""
        st.progress(min(view.step / max(view.total, 1), 1.0),
                    text=words["line"].format(state=words["states"][view.state], step=f"{view.step:,}",
                                              total=f"{view.total:,}", timing=timing))
    if view.words and view.state in ("diverged", "failed"):
        st.error(view.words.say(lang()))
    elif view.words and view.state == "stopped":
        st.info(view.words.say(lang()))
    elif view.state == "paused":
        st.caption(t("training.paused"))


def per_second(rate: float) -> str:
    """Steps a second as the status line says them: a slow fit (a forest's rounds, an EM iteration a
    second) keeps one decimal instead of reading "0 steps/s"; the fed line (live_chart.js) says the same."""
    return f"{rate:.1f}" if rate < 10 else f"{rate:,.0f}"


def status_panel(page: str, device: Callable[[TrainingJob], str | None]) -> None:
    """The job's status line, above the tabs: where training stands (and its words: restored,
    stopped, diverged) shows on every tab, and its fragment reruns the page when the job ends, even
    while another tab than Live is open. `device(job)` names what trains the model."""
    job = current_job(page)
    if job is not None:
        live(page, lambda view: status(view, device(job), job), curve_seconds(), "status", owns_status=True)


def curve_seconds() -> float:
    """How often a lab's curves fragment reruns. Where the server feeds the live charts
    (ui/live_feed.py) the curves and the status line move a dozen times a second by themselves, and
    the fragment only reruns for what the feed does not carry (a series that begins late, the
    words of a new state), every 3 s: each rerun costs the browser 50-100 ms of a core on a lab
    page, which the charts need more. Elsewhere the reruns carry the curves: twice a second."""
    return 3.0 if live_feed.enabled() else 0.5


def queued_tick(owns_status: bool) -> float | None:
    """How often a fragment reruns while its job waits in the queue: only the one that owns the job's
    status ticks (a lab's status line; on Compare, each family's column); the other panels have
    nothing to draw yet, and the page's rerun at the start re-arms them. Where the feed tells the
    status line of a new place or the start (ui/live_chart.status_line), it ticks only as a safety
    net. 30 waiting pages ticking once a second took 1.6-1.7 of the two cores in Chromium (README,
    Classroom server)."""
    if not owns_status:
        return None
    return FED_QUEUED_SECONDS if live_feed.enabled() else QUEUED_SECONDS


def live(page: str, draw: Callable[[JobView], None], every: float = REDRAW_SECONDS, name: str = "live",
         heavy: bool = False, owns_status: bool = False) -> None:
    """Draw the job now, and again every `every` seconds while it is queued or running.

    A page uses three of these: its status line above the tabs (`owns_status`: the only one drawn
    while the job waits in the queue), cheap curves a few times a second, heavy sample
    plots (thousands of points, a heat map) less often, so redrawing never
    starves the training thread of the GIL or the browser of its CPU. In the
    run right after Train, the curves wait (up to FIRST_DRAW_WAIT) for the
    job's first curve, while the page above them is already on its way to the
    browser: the click's callback itself never waits. A heavy panel skips
    that run, so the browser draws the first curves at once; its first tick
    brings the samples. While the job waits in the queue, only the status says
    its place (a class of 30 mostly waits, and empty charts for each would hold
    the server's GIL), and only its fragment ticks (queued_tick); the whole page
    reruns when its turn comes, to draw and tick at full speed.

    Only the fragment that owns the status (on Compare, each family's column) reruns the whole
    page when the job starts or ends: one full rerun, not three racing each other; it does not wait
    for the first steps, so the place in the queue or the start shows at once. Each
    fragment sits in a container of the full run's own (ui/fragments.py): a fragment run that
    follows a full run in the same batch of messages made Streamlit drop the fragment's deltas,
    and in a class of 30 a page went white.
    """
    job = current_job(page)
    if job is None:
        return
    state = job.view().state
    active, queued = state in ("queued", "running"), state == "queued"
    every = queued_tick(owns_status) if queued else every
    fresh = active and st.session_state.get(keys.of(page, "fresh"), False)
    skip = {"once": heavy and fresh and st.session_state.pop(keys.of(page, "fresh"))}
    wait = {"once": fresh and not heavy and not owns_status}

    @st.fragment(run_every=every if active and every else None, key=keys.of(page, name))
    def panel():
        if wait["once"]:  # the run after Train: the page above is on its way while the job takes its first steps
            wait["once"] = False
            job.wait_for_progress(FIRST_DRAW_WAIT)
        view = job.view()
        if skip["once"]:  # ticks re-run this same closure: the flag is spent after one run
            skip["once"] = False
            st.caption(t("training.first_snapshot"))
            return
        if view.state != "queued" or owns_status:  # nothing to chart yet, so 30 waiting pages cost the server little
            draw(view)
        if owns_status and ((active and not view.active) or (queued and view.state != "queued")):
            st.rerun(scope="app")  # ended: redraw the buttons, stop ticking; or started: tick faster

    fragments.anchored(panel)


def cli_command(page: str, config: Any) -> str:
    """`python -m core ...` that reproduces this page's run."""
    preset = st.session_state.get(keys.of(page, "preset"))
    base = build_config(page, preset)
    sets = " ".join(f"--set {k}={v}" for k, v in to_query(config, base).items())
    return f"python -m core {page} --preset {preset} {sets} --json".replace("  ", " ")


def scrubber(page: str, draw: Callable[[Any, list], None]) -> None:
    """A slider over the snapshots of the last job; `draw(snapshot, snapshots)` shows one.
    Below it, the curves of this session's earlier runs."""
    _snapshots(page, draw)
    st.subheader(t("training.earlier_runs"))
    run_history(page)


def _snapshots(page: str, draw: Callable[[Any, list], None]) -> None:
    job = current_job(page)
    view = job.view() if job else None
    if view is None or not view.snapshots:
        st.caption(t("training.no_snapshots"))
    elif view.active:
        st.caption(t("training.snapshots_so_far", count=len(view.snapshots)))
    else:
        shots = view.snapshots
        step = st.select_slider(t("training.snapshot_at"), [s.step for s in shots], value=shots[-1].step)
        draw(next(s for s in shots if s.step == step), shots)


def weights(page: str, job: TrainingJob | None) -> None:
    """Download the trained model's weights, or restore a model from such a file (never unpickled)."""
    model_class = FAMILIES[page].model_class()
    suffix = model_class.WEIGHTS_SUFFIX
    if suffix is None:  # this family has no weights file (its error message says why)
        return
    if job is not None and job.view().step > 0 and not job.view().active:
        st.download_button(t("training.download_weights"), job.model.save_weights,
                           file_name=f"genlab-{page}-weights.{suffix}", key=keys.of(page, "weights", "save"),
                           help=t(f"{page}.weights_help", t("training.weights_help")))
    st.file_uploader(t("training.restore"), type=[suffix], key=keys.of(page, "weights", "file"),
                     on_change=_restore, args=(page,), help=t("training.restore_help", suffix=suffix))


def _restore(page: str) -> None:

    file = st.session_state.get(keys.of(page, "weights", "file"))
    if file is None:
        return
    family = FAMILIES[page]
    try:
        model, data = family.model_class().from_weights(
            file.getvalue(), lambda cfg: family.load_data(cfg, messages.stored_upload(page)))
    except GenLabError as err:
        st.session_state[keys.of(page, "error")] = err.words
        return
    _stop(page)
    remember(page, current_job(page))
    controls.store_config(page, model.config)
    st.session_state[keys.of(page, "job")] = TrainingJob.restored(model, data, owner=session_token())


def _report(page: str, job: TrainingJob, command: str) -> str:

    return run_report(t(f"nav.{page}"), st.session_state.get(keys.of(page, "preset")), job.model.config, job.view(),
                      job.model.device_ or "cpu", command, lang=lang(), page=page)


def run_history(page: str) -> None:
    """Earlier runs' curves of this session over the current one's, for one chosen series; Clear."""
    runs = st.session_state.get(keys.of(page, "runs"), [])
    job = current_job(page)
    current = job.view(max_points=300).history if job is not None else None
    if not runs:
        st.caption(t("training.no_earlier_runs"))
        return
    series = [k for k in (current or runs[-1]["history"]) if k != "step"]
    if not series:
        return
    key = st.selectbox(t("training.curve"), series, key=keys.of(page, "runs", "key"),
                       format_func=formatter(lambda language, k: text(language, f"series.{page}.{k}", k)))
    st.plotly_chart(runs_overlay([(run_label(page, r), r["history"]) for r in runs], key, current,
                                 lang=lang(), name=t(f"series.{page}.{key}", default=key)), width="stretch")
    st.button(t("training.clear_runs"), key=keys.of(page, "runs", "clear"), on_click=st.session_state.pop,
              args=(keys.of(page, "runs"), None))


def code_tab(page: str, config: Any, sources: dict[str, list]) -> None:
    """The CLI line for the settings that ran, and the source of the functions that ran."""
    import inspect

    job = current_job(page)
    st.markdown(t("training.cli") if job else t("training.cli_unrun"))
    command = cli_command(page, job.model.config if job else config)
    st.code(command, language="bash")
    if job is not None:
        st.download_button(t("training.report"), lambda: _report(page, job, command),
                           file_name=f"genlab-{page}-report.md", mime="text/markdown", key=keys.of(page, "report"))
    weights(page, job)
    for title, functions in sources.items():
        with st.expander(title, expanded=title == next(iter(sources))):
            st.code("\n\n".join(inspect.getsource(f) for f in functions), language="python")
