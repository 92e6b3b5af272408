"""What every arena entrant shares: the training protocol, timed, and scored at the end.

An entrant is a small adapter that puts one family's real library (torch,
hmmlearn, pgmpy, scikit-learn) on one arena task. It follows core.protocol, so
the same `TrainingJob` trains every entrant in its own thread, within the
limiter. A subclass writes only `_start(task)` (encode the data, build the
model), `_train(steps)` (a generator of Progress over `steps` more steps, keeping
`step_` up to date),
`sample(n)`, `_log_likelihood(x)` and `n_params()`.

`fit` times the training alone (not the scoring that follows), and when the
budget is spent it yields one last event whose snapshot carries the scoreboard
row, computed in the job's thread so the page never blocks on it.
"""
import time
from typing import Iterator

import numpy as np

from core.compare.tasks import TaskData, windows
from core.i18n import text
from core.protocol import NoLikelihood, Progress, Snapshot

SHOWN_SAMPLES = 1000  # samples kept for the side-by-side grid (and the downloads)


class Entrant:
    family = ""  # hmm, bayesnet, forest, rnn, gan
    library = ""  # the library that does the numerics, named on the scoreboard
    curve = ""  # the Progress series the page draws live ("" for a learner with one step)

    def __init__(self, config):
        self.config = config
        self.device_ = "cpu"
        self.step_ = 0
        self.fit_seconds_ = 0.0
        self.task_: TaskData | None = None

    def check(self, task: TaskData) -> None:
        """Refuse settings that cannot work on this task (ConfigError); most entrants accept all."""

    def fit(self, task: TaskData, steps: int | None = None) -> Iterator[Progress]:
        if self.task_ is not task:
            self.check(task)
            t0 = time.perf_counter()
            self.task_ = task
            self._start(task)
            self.fit_seconds_ += time.perf_counter() - t0
        events = self._train(steps or getattr(self.config, "steps", 1))  # a one-shot learner has no budget
        while True:
            t0 = time.perf_counter()
            event = next(events, None)
            self.fit_seconds_ += time.perf_counter() - t0
            if event is None:
                break
            yield event
        yield Progress(self.step_, self.step_, {}, snapshot=self.score())

    def score(self) -> Snapshot:
        """The scoreboard row as a snapshot: samples to show, metrics to compare."""
        from core.compare import scoreboard

        metrics, samples = scoreboard.score(self, self.task_)
        return Snapshot(self.step_, samples, metrics)

    # -- the protocol's other half -------------------------------------------------
    def sample(self, n: int) -> np.ndarray:
        """n samples, shaped like the task's held-out samples (windows for a sequence task)."""
        if self.task_.task == "sequences":
            return self.sample_streams(n, self.task_.window)
        return self._sample(n)

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        """(count, length) symbols: pieces of one long stream (entrants that can, draw them in parallel)."""
        return windows(self.sample_stream(count * length), length)

    def log_likelihood(self, x: np.ndarray) -> float:
        """Mean log-likelihood per sample of held-out data, in nats (per symbol for a stream)."""
        return float(self._log_likelihood(np.asarray(x)))

    # -- for subclasses --------------------------------------------------------------
    def _start(self, task: TaskData) -> None:
        raise NotImplementedError

    def _train(self, steps: int) -> Iterator[Progress]:
        raise NotImplementedError

    def _sample(self, n: int) -> np.ndarray:
        raise NotImplementedError

    def sample_stream(self, length: int) -> np.ndarray:
        raise NotImplementedError

    def _log_likelihood(self, x: np.ndarray) -> float:
        raise NoLikelihood(text("en", "compare.note.none_here", family=self.family))

    def n_params(self) -> int:
        raise NotImplementedError
