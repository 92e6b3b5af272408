"""Training jobs: a model trains in a worker thread; the page only reads.

Streamlit interrupts a blocking loop in the script thread at the next widget
interaction, so training never runs there. A `TrainingJob` drives a model's
`fit` generator in its own thread and records history and snapshots under a
lock; the page polls `view()` a few times a second. Stop sets a flag the
thread checks between events, so the model keeps every step it finished.

Play / Pause / Step / Speed, as in GAN Lab: Pause holds the thread at the next
event and gives its training slot back (a paused job waits on a person, and a
class of 30 on 2 slots cannot have a forgotten tab sit on one); Continue and
Step queue for a slot again. Step trains exactly one step; slow speed trains
one step at a time, about two a second, so a projector shows each update.

One process-wide `Limiter` bounds how many jobs train at once, across every
browser session of a classroom server; the rest wait in a FIFO queue and can
show their position.
"""
import logging
import math
import os
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.device import configure_torch
from core.errors import GenLabError, TrainingDiverged
from core.i18n import Words
from core.protocol import Progress, Snapshot

log = logging.getLogger(__name__)
MAX_SNAPSHOTS = 120
SPEEDS = ("full", "slow")
STATES = ("queued", "running", "paused", "done", "stopped", "diverged", "failed")  # what a job can be
SLOW_SECONDS = 0.5  # slow speed: a step, then the rest of half a second still
POLL = 0.05  # s: how soon a paused or slow worker notices a Stop that came without a poke (a dropped session)


class Limiter:
    """At most `slots` holders at once; the others wait in first-come order."""

    def __init__(self, slots: int):
        self.slots = slots
        self._cond = threading.Condition()
        self._queue: deque = deque()
        self._running: set = set()

    def acquire(self, holder: Any, cancelled: threading.Event) -> bool:
        """Wait for a slot; False if `cancelled` was set while waiting in the queue."""
        with self._cond:
            self._queue.append(holder)
            while not (self._queue[0] is holder and len(self._running) < self.slots):
                if cancelled.is_set():
                    self._queue.remove(holder)
                    self._cond.notify_all()
                    return False
                self._cond.wait(0.05)
            self._queue.popleft()
            self._running.add(holder)
            self._cond.notify_all()
            return True

    def release(self, holder: Any) -> None:
        with self._cond:
            self._running.discard(holder)
            self._cond.notify_all()

    def position(self, holder: Any) -> int:
        """1 for the head of the queue; 0 when running or not queued."""
        with self._cond:
            return self._queue.index(holder) + 1 if holder in self._queue else 0

    @property
    def running(self) -> int:
        with self._cond:
            return len(self._running)


def default_slots() -> int:
    return int(os.environ.get("GENLAB_MAX_JOBS", max(1, os.cpu_count() or 1)))


LIMITER = Limiter(default_slots())
PLACED_WAIT = 0.5  # s at most that start() waits for a new job to reach its slot or its place in the queue


class History:
    """Scalar series by step, appended by the trainer and read (downsampled) by plots."""

    def __init__(self):
        self.steps: list[int] = []
        self.series: dict[str, list[float]] = {}

    def append(self, step: int, values: dict[str, float]) -> None:
        n = len(self.steps)
        self.steps.append(step)
        for key, value in values.items():
            self.series.setdefault(key, [float("nan")] * n).append(float(value))
        for key, col in self.series.items():
            if len(col) < n + 1:
                col.append(float("nan"))

    def has_curve(self) -> bool:
        """Whether some series holds two finite points."""
        return any(sum(1 for v in col if math.isfinite(v)) >= 2 for col in self.series.values())

    def raw(self) -> dict[str, np.ndarray]:
        """Every row: what a streaming chart extends (a downsampled copy resamples old rows as it grows)."""
        out = {"step": np.asarray(self.steps)}
        out.update({key: np.asarray(col) for key, col in self.series.items()})
        return out

    def downsampled(self, max_points: int = 400) -> dict[str, np.ndarray]:
        """At most `max_points` rows, evenly spaced, always keeping the last one."""
        n = len(self.steps)
        idx = np.unique(np.linspace(0, n - 1, min(n, max_points)).round().astype(int)) if n else []
        out = {"step": np.asarray(self.steps)[idx] if n else np.array([])}
        for key, col in self.series.items():
            out[key] = np.asarray(col)[idx]
        return out


@dataclass
class JobView:
    """A consistent copy of a job's state, safe to draw from the page thread."""

    state: str
    words: Words | None  # why it stopped or failed, in any language (None: nothing to say)
    step: int
    total: int
    queue_position: int
    seconds: float
    history: dict[str, np.ndarray]
    snapshots: list[Snapshot] = field(default_factory=list)

    @property
    def active(self) -> bool:
        """Training or waiting to: the page keeps redrawing. A paused job is still; it redraws on a click."""
        return self.state in ("queued", "running")

    @property
    def message(self) -> str:
        """The English of `words` (CLI, logs, reports); the page says `words` in its language."""
        return str(self.words) if self.words else ""


_OWNED: "weakref.WeakKeyDictionary[Any, weakref.WeakSet]" = weakref.WeakKeyDictionary()


def jobs_of(owner: Any) -> list["TrainingJob"]:
    """The jobs started with `owner` that still exist."""
    return list(_OWNED.get(owner, ()))


class TrainingJob:
    """Runs `model.fit(data, steps)` to the end, to Stop, or to a clear failure.

    States: queued -> running <-> paused -> done | stopped | diverged | failed.
    A resumed or stepped job waiting for a slot again shows as queued. A job
    given an `owner` stops (or leaves the queue) once the owner is
    garbage-collected: a closed browser tab's session is dropped after
    Streamlit's disconnectedSessionTTL, and its jobs then free their slots.
    """

    def __init__(self, model, data, steps: int | None = None, limiter: Limiter = LIMITER,
                 history: History | None = None, snapshots: list | None = None, owner: Any = None,
                 speed: str = "full"):
        self.model, self.data, self.steps, self.limiter = model, data, steps, limiter
        self.history = history or History()  # a continued run appends to its predecessor's
        self.snapshots: list[Snapshot] = snapshots if snapshots is not None else []
        self.state, self.words = "queued", None
        self.step, self.total, self.seconds = 0, steps or 0, 0.0
        self.speed = speed  # "full" or "slow"; set_speed changes it while the job runs
        self._stop = threading.Event()
        self._poke = threading.Event()  # a button acted: wake a paused or slow worker at once
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pausing = False  # Pause was pressed: hold at the next event
        self._asked = 0  # Step presses not yet trained
        self._events = None  # the open fit(): kept while paused, so Continue goes on exactly as it would have
        self._span: int | None = None  # steps the open fit's last event covered (1: each event is one step)
        self._single = False  # the last event came from fit(data, 1), whose total is its own
        self._fitted = False  # fit() was called: later calls ask for what is left of the budget
        self._start = self._last = 0  # the model's step when the job started, and at its last event
        self._trained, self._since = 0.0, None  # seconds spent training; when the current stretch began
        if owner is not None:  # when the owner (a browser session's token) is freed, stop: nobody is watching
            weakref.finalize(owner, self._stop.set)
            _OWNED.setdefault(owner, weakref.WeakSet()).add(self)

    @classmethod
    def restored(cls, model, data, owner: Any = None) -> "TrainingJob":
        """A stopped job around a model loaded from its weights: it shows, and Continue trains on."""
        job = cls(model, data, owner=owner)
        job.step = job.total = model.step_
        job.state = "stopped"
        job.words = Words("job.restored", {"step": f"{job.step:,}"})
        job.snapshots.append(model.snapshot())
        return job

    def start(self) -> "TrainingJob":
        """Train in a thread of its own; return once the job holds a training slot or waits in the queue,
        so the page drawn next shows what it will be (a job still on its way to the limiter reads as
        queued, and a page that saw it so would redraw itself once it runs)."""
        self._thread = threading.Thread(target=self.run, name="genlab-train", daemon=True)
        self._thread.start()
        end = time.perf_counter() + PLACED_WAIT
        while self.state == "queued" and not self.limiter.position(self) and time.perf_counter() < end:
            time.sleep(0.001)
        return self

    def stop(self) -> None:
        """Ask the job to stop after the current step (paused: at once); the model keeps what it learned."""
        self._stop.set()
        self._poke.set()

    def pause(self) -> None:
        """Hold at the next progress event and give the training slot back, until Continue, Step or Stop."""
        with self._lock:
            if self.state in ("queued", "running"):
                self._pausing = True
        self._poke.set()

    def resume(self) -> None:
        """Continue a paused job from where it paused, to the end of its budget (after a wait for a slot)."""
        with self._lock:
            self._pausing = False
            if self.state == "paused":
                self.state = "running"
        self._poke.set()

    def step_once(self) -> None:
        """While paused: train exactly one more step, then stay paused."""
        with self._lock:
            if self.state == "paused":
                self._asked += 1
                self.state = "running"
        self._poke.set()

    def set_speed(self, speed: str) -> None:
        """Full speed or slow; a running job changes at its next step, a slow wait ends at once."""
        if speed not in SPEEDS:
            raise ValueError(f"speed must be one of {SPEEDS}, not {speed!r}")
        self.speed = speed
        self._poke.set()

    def settle(self, timeout: float) -> bool:
        """Wait up to `timeout` s for the job to hold still: paused with no Step left to train, or ended.
        The page's callbacks wait on it, so the run that follows a click draws the new state."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            with self._lock:
                if self.state not in ("queued", "running", "paused") or (self.state == "paused" and not self._asked):
                    return True
            time.sleep(0.01)
        return False

    def drop(self) -> None:
        """Stop for good and let go of the model, its data, snapshots and curves: nobody will look
        at this job again (its browser session is gone for good), so memory need not wait for
        Streamlit to drop the session."""
        self.stop()
        self.wait(10)
        with self._lock:
            self.snapshots.clear()
            self.history = History()
            self.model = self.data = None

    def wait_for_progress(self, timeout: float) -> bool:
        """Block up to `timeout` s for the first curve: a series with two points (one point draws no
        line), so the chart drawn next already shows the run moving."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if self.state not in ("queued", "running"):
                return True
            with self._lock:
                if self.step > 0 and self.history.has_curve():
                    return True
            if self.limiter.position(self) > 0 and self.limiter.running >= self.limiter.slots:
                return False  # waiting in a full queue: the page shows its place at once
            time.sleep(0.01)
        return False

    def wait(self, timeout: float | None = None) -> "TrainingJob":
        if self._thread:
            self._thread.join(timeout)
        return self

    def run(self) -> "TrainingJob":
        """Train in the calling thread (the CLI and start() both come here)."""
        if not self.limiter.acquire(self, self._stop):
            self._finish("stopped", Words("job.not_started"))
            return self
        if self._stop.is_set():  # stopped just as its turn came
            self.limiter.release(self)
            self._finish("stopped", Words("job.not_started"))
            return self
        configure_torch()  # one torch thread per model, before its first torch op
        self._start = self._last = self.model.step_
        self._since = time.perf_counter()
        self._set(state="running")
        try:
            if self._train():
                self._finish("done", None)
            else:
                self._finish("stopped", Words("job.stopped", {"step": f"{self.step:,}"}))
        except TrainingDiverged as err:
            self._finish("diverged", err.words)
        except GenLabError as err:
            self._finish("failed", err.words)
        except Exception as err:  # a bug, not the user's fault: log it, say it plainly
            log.exception("training failed")
            self._finish("failed", Words("job.bug", {"error": f"{type(err).__name__}: {err}"}))
        finally:
            self._close()
            self.limiter.release(self)
            self._clock_off()
            self.seconds = self._trained
        return self

    def _train(self) -> bool:
        """Train until the budget or the model's own end (True) or Stop (False); Pause holds between steps."""
        while not self._stop.is_set():
            if self._pausing:
                if self._fitted and self._left() <= 0:
                    return True  # paused on the last step: nothing left to hold for
                if not self._hold():
                    return False
                if self._asked and not self._stepped():
                    return True
                continue
            slow, began = self.speed == "slow", time.perf_counter()
            if not (self._one_step() if slow else self._next_event()):
                return True
            if slow:
                self._breathe(began)
        return False

    def _hold(self) -> bool:
        """Paused: give the slot back, wait for Continue, Step or Stop, then queue for a slot again.
        False when stopped meanwhile (or while waiting for the slot)."""
        with self._lock:
            if not self._pausing:
                return True  # Continue came before the pause took hold
            self.state = "paused"
            self._clock_off()
        self.limiter.release(self)
        while True:
            with self._lock:
                if self._stop.is_set():
                    return False
                if self._asked or not self._pausing:
                    break
            self._nap(POLL)
        if not self.limiter.acquire(self, self._stop):
            return False
        with self._lock:
            self._since = time.perf_counter()
        return True

    def _stepped(self) -> bool:
        """Train the one step a Step press asked for; False when the model had nothing left."""
        try:
            return self._one_step()
        finally:
            with self._lock:
                self._asked -= 1

    def _one_step(self) -> bool:
        """Exactly one training step; False when the budget is spent or the model has nothing left.

        Where the open fit's events are single steps (EM iterations, hill-climbing
        moves, forest rounds), its next event is that step, and the run goes on as
        it would have without pauses (an HMM's EM runs in hmmlearn chunks and is
        reported one iteration an event: closing it mid-chunk would lose those).
        Otherwise (a GAN or RNN reports every `log_every` steps) the open fit is
        closed, which loses no finished step, and `fit(data, 1)` trains one;
        Continue then asks fit for what is left.
        """
        if self._fitted and self._left() <= 0:
            return False
        if self._span == 1:
            return self._next_event()
        self._close()
        return self._single_fit()

    def _next_event(self) -> bool:
        """The open fit's next event, opening fit on the job's budget (later: on what is left of it)."""
        if self._events is None:
            if self._fitted and self._left() <= 0:
                return False  # fit(data, 0) would mean "the config's whole budget" again
            self._events = self.model.fit(self.data, self._left() if self._fitted else self.steps)
            self._fitted = True
        event = next(self._events, None)
        if event is None:
            self._close()
            return False
        self._record(event)
        return True

    def _single_fit(self) -> bool:
        """`fit(data, 1)`: one step (after a fresh model's step-0 snapshot); False if it trained none."""
        before, self._fitted = self._last, True
        events = self.model.fit(self.data, 1)
        try:
            for event in events:
                self._record(event, single=True)
        finally:
            events.close()
        return self._last > before

    def _left(self) -> int:
        """Steps left of the job's budget (the config's when the job was given none)."""
        return self._start + (self.steps or self.model.config.steps) - self._last

    def _breathe(self, began: float) -> None:
        """Slow speed: let the step fill half a second; Stop, Pause or full speed cut it short."""
        while self.speed == "slow" and not (self._stop.is_set() or self._pausing):
            left = began + SLOW_SECONDS - time.perf_counter()
            if left <= 0:
                return
            self._nap(min(left, POLL))

    def _nap(self, seconds: float) -> None:
        """Sleep until a button pokes (callers check their flags again after)."""
        self._poke.wait(seconds)
        self._poke.clear()

    def _close(self) -> None:
        if self._events is not None:
            self._events.close()
            self._events = None

    def _clock_off(self) -> None:
        """Bank the current training stretch: paused time is not training time (nor in steps/s)."""
        if self._since is not None:
            self._trained += time.perf_counter() - self._since
            self._since = None

    def _elapsed(self) -> float:
        return self._trained + (time.perf_counter() - self._since if self._since is not None else 0.0)

    def _record(self, event: Progress, single: bool = False) -> None:
        with self._lock:
            if not single:
                self._span = event.step - self._last
            self._last, self._single = event.step, single
            total = max(event.total, self.total) if single else event.total  # fit(data, 1) says "of step + 1"
            self.step, self.total, self.seconds = event.step, total, self._elapsed()
            if event.losses or event.metrics:
                self.history.append(event.step, {**event.losses, **event.metrics})
            if event.snapshot is not None:
                self._keep(event.snapshot)

    def _keep(self, snapshot: Snapshot) -> None:
        """Append a snapshot; one at the same step as the last replaces it (a fresh model's step 0, again)."""
        if self.snapshots and self.snapshots[-1].step == snapshot.step:
            self.snapshots[-1] = snapshot
            return
        self.snapshots.append(snapshot)
        if len(self.snapshots) > MAX_SNAPSHOTS:  # thin out the older half, keep recent detail
            del self.snapshots[1 : MAX_SNAPSHOTS // 2 : 2]

    def _set(self, **values) -> None:
        with self._lock:
            for key, value in values.items():
                setattr(self, key, value)

    def _finish(self, state: str, words: Words | None) -> None:
        with self._lock:
            self.state, self.words = state, words
            if state == "done" and self._single:
                self.total = self.step  # the totals of fit(data, 1) were the job's guess; a finished run is at its end

    def history_rows(self, start: int, keys, limit: int = 5000) -> dict:
        """Rows `start` to `start + limit` of the history: the steps and the named series (NaN and
        infinities as None, which JSON can carry), with where the job stands. Copied under the lock:
        what ui/live_feed.py sends a browser chart that polls for the points it lacks."""
        with self._lock:
            n = len(self.history.steps)
            start = min(max(start, 0), n)
            stop = min(n, start + limit)
            series = {k: [v if math.isfinite(v) else None for v in self.history.series[k][start:stop]]
                      for k in keys if k in self.history.series}
            state, position = self._shown_state()
            return {"start": start, "end": stop, "rows": n, "x": self.history.steps[start:stop], "y": series,
                    "state": state, "queue_position": position, "step": self.step, "total": self.total,
                    "seconds": self.seconds}

    def series_names(self) -> tuple[str, ...]:
        """The names of the series the history holds so far."""
        with self._lock:
            return tuple(self.history.series)

    def raw_history(self) -> dict[str, np.ndarray]:
        """All of the history so far, copied under the lock (ui.live_chart streams its new rows)."""
        with self._lock:
            return self.history.raw()

    def _shown_state(self) -> tuple[str, int]:
        """The state a page shows, and the place in the queue (0: not waiting). Call under the lock."""
        queued = self.limiter.position(self)
        return ("queued" if queued and self.state == "running" else self.state), queued  # resumed, waiting

    def view(self, max_points: int = 400) -> JobView:
        with self._lock:
            state, queued = self._shown_state()
            return JobView(
                state, self.words, self.step, self.total, queued,
                self.seconds, self.history.downsampled(max_points), list(self.snapshots),
            )
