"""Training jobs: a model trains in a worker thread; the page only reads.

Streamlit interrupts a blocking loop in the script thread at the next widget
interaction, so training never runs there. A `TrainingJob` drives a model's
`fit` generator in its own thread and records history and snapshots under a
lock; the page polls `view()` a few times a second. Stop sets a flag the
thread checks between events, so the model keeps every step it finished.

One process-wide `Limiter` bounds how many jobs train at once, across every
browser session of a classroom server; the rest wait in a FIFO queue and can
show their position.
"""
import logging
import os
import threading
import time
import weakref
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.errors import GenLabError, TrainingDiverged
from core.i18n import Words
from core.protocol import Progress, Snapshot

log = logging.getLogger(__name__)
MAX_SNAPSHOTS = 120


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

    States: queued -> running -> done | stopped | diverged | failed.
    A job given an `owner` stops (or leaves the queue) once the owner is
    garbage-collected: a closed browser tab's session is dropped after
    Streamlit's disconnectedSessionTTL, and its jobs then free their slots.
    """

    def __init__(self, model, data, steps: int | None = None, limiter: Limiter = LIMITER,
                 history: History | None = None, snapshots: list | None = None, owner: Any = None):
        self.model, self.data, self.steps, self.limiter = model, data, steps, limiter
        self.history = history or History()  # a continued run appends to its predecessor's
        self.snapshots: list[Snapshot] = snapshots if snapshots is not None else []
        self.state, self.words = "queued", None
        self.step, self.total, self.seconds = 0, steps or 0, 0.0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        if owner is not None:  # when the owner (a browser session's token) is freed, stop: nobody is watching
            weakref.finalize(owner, self._stop.set)
            _OWNED.setdefault(owner, weakref.WeakSet()).add(self)

    @classmethod
    def restored(cls, model, data, owner: Any = None) -> "TrainingJob":
        """A stopped job around a model loaded from its weights: it shows, and Continue trains on."""
        job = cls(model, data, owner=owner)
        job.step = job.total = getattr(model, "step_", 0)
        job.state = "stopped"
        job.words = Words("job.restored", {"step": f"{job.step:,}"})
        if hasattr(model, "snapshot"):
            job.snapshots.append(model.snapshot())
        return job

    def start(self) -> "TrainingJob":
        self._thread = threading.Thread(target=self.run, name="genlab-train", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ask the job to stop after the current step; the model keeps what it learned."""
        self._stop.set()

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
        """Block up to `timeout` s for the first trained step (so the first chart has a curve)."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            if self.step > 0 or self.state not in ("queued", "running"):
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
        from core.device import configure_torch

        configure_torch()  # one torch thread per model, before its first torch op
        t0 = time.perf_counter()
        self._set(state="running")
        try:
            self._consume(t0)
        except TrainingDiverged as err:
            self._finish("diverged", err.words)
        except GenLabError as err:
            self._finish("failed", err.words)
        except Exception as err:  # a bug, not the user's fault: log it, say it plainly
            log.exception("training failed")
            self._finish("failed", Words("job.bug", {"error": f"{type(err).__name__}: {err}"}))
        finally:
            self.limiter.release(self)
            self.seconds = time.perf_counter() - t0
        return self

    def _consume(self, t0: float) -> None:
        events = self.model.fit(self.data, self.steps)
        try:
            for event in events:
                self._record(event, time.perf_counter() - t0)
                if self._stop.is_set():
                    self._finish("stopped", Words("job.stopped", {"step": f"{event.step:,}"}))
                    return
        finally:
            events.close()
        self._finish("done", None)

    def _record(self, event: Progress, seconds: float) -> None:
        with self._lock:
            self.step, self.total, self.seconds = event.step, event.total, seconds
            if event.losses or event.metrics:
                self.history.append(event.step, {**event.losses, **event.metrics})
            if event.snapshot is not None:
                self.snapshots.append(event.snapshot)
                if len(self.snapshots) > MAX_SNAPSHOTS:  # thin out the older half, keep recent detail
                    del self.snapshots[1 : MAX_SNAPSHOTS // 2 : 2]

    def _set(self, **values) -> None:
        with self._lock:
            for key, value in values.items():
                setattr(self, key, value)

    def _finish(self, state: str, words: Words | None) -> None:
        self._set(state=state, words=words)

    def raw_history(self) -> dict[str, np.ndarray]:
        """All of the history so far, copied under the lock (ui.live_chart streams its new rows)."""
        with self._lock:
            return self.history.raw()

    def view(self, max_points: int = 400) -> JobView:
        with self._lock:
            return JobView(
                self.state, self.words, self.step, self.total, self.limiter.position(self),
                self.seconds, self.history.downsampled(max_points), list(self.snapshots),
            )
