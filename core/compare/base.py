"""What every arena entrant shares: the training protocol, timed, the per-task encoding, and the score.

An entrant is a small adapter that puts one family's real library (torch,
hmmlearn, pgmpy, scikit-learn) on the arena's tasks. It is a Lab, so the same `TrainingJob` trains every entrant in its own thread, within the
limiter. A subclass declares its `Config` and `PLAYS`: for each task it plays,
the `Encoding` (core.compare.encoding) that turns the task's data into what its
model fits, and back; a task it does not play has a sentence in `WHY_NOT`
instead. An entrant is a `core.models.base.Lab`, so it trains, stops and
reports exactly as the labs do. The base class does the rest of the branching on the task: it encodes
the data, and hands the model either rows (`_start_rows`) or one stream of
symbols (`_start_stream`). A subclass then writes `_train(steps)` (a generator
of Progress over `steps` more steps, keeping `step_` up to date), `n_params()`,
and for rows `_sample(n)` (in the encoding's space) and `_log_p(z)` (log P of
each encoded row), for a stream `sample_stream`/`sample_streams` and
`_stream_log_likelihood(x)`.

`fit` times the training alone (not the scoring that follows), and when the
budget is spent it yields one last event whose snapshot carries the scoreboard
row, computed in the job's thread so the page never blocks on it.
"""
import time
from typing import Any, Callable, ClassVar, Iterator

import numpy as np

from core.compare import scoreboard
from core.compare.encoding import Encoding
from core.compare.tasks import TASKS, TaskData, windows
from core.i18n import text
from core.models.base import Lab
from core.protocol import NoLikelihood, Progress, Snapshot

SHOWN_SAMPLES = 1000  # samples kept for the side-by-side grid (and the downloads)


class EntrantConfig:
    """What every entrant's Config (a dataclass of `param`s, with a `steps` budget) shares."""

    ONLY_FOR: ClassVar[dict[str, tuple[str, ...]]] = {}  # setting -> the only tasks that use it (hidden elsewhere)


class Entrant(Lab):
    """One family on the arena's tasks: a Lab whose data is a `TaskData` and whose snapshot is its scoreboard row.

    Parameters
    ----------
    config : the entrant's Config; its defaults when None.
    device : str
        Where a torch entrant trains ('auto', 'cpu', 'cuda', 'mps': core.device); an arena-wide
        choice, not a per-family setting. An entrant with `ON_TORCH` False trains on the CPU whatever it says.

    Attributes
    ----------
    encoding_ : Encoding
        The task's data as this family fits it (rows of codes, floats, one-hot; or one stream).
    fit_seconds_ : float
        Seconds spent training (scoring excluded), over every call to `fit`.
    step_, data_ (the TaskData), device_ : see `Lab`.
    """

    family = ""  # hmm, bayesnet, forest, rnn, gan
    library = ""  # the library that does the numerics, named on the scoreboard
    curve = ""  # the Progress series the page draws live ("" for a learner with one step)
    Config: type[EntrantConfig]  # the entrant's settings: the arena's, the CLI's and the page's
    PLAYS: dict[str, Callable[[Any], Encoding]] = {}  # task -> its encoding, built from the Config
    WHY_NOT: dict[str, str] = {}  # task the family sits out -> why, in one sentence (from PLAYS)
    ON_TORCH: ClassVar[bool] = False  # True: trains on `device`; False: hmmlearn, pgmpy, scikit-learn (CPU only)
    device_ = "cpu"  # the torch entrants say where they trained once they have
    fit_seconds_ = 0.0

    def __init__(self, config=None, device: str = "auto"):
        super().__init__(config)
        self.device = device

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.FAMILY = cls.family
        cls.WHY_NOT = {task: text("en", f"compare.why_not.{cls.family}.{task}") for task in TASKS
                       if task not in cls.PLAYS}

    def fit(self, task: TaskData, steps: int | None = None) -> Iterator[Progress]:
        """The Lab's fit, timed (setting up and training, not scoring), then one event with the scoreboard row."""
        events = super().fit(task, steps)
        while True:
            t0 = time.perf_counter()
            event = next(events, None)
            self.fit_seconds_ += time.perf_counter() - t0
            if event is None:
                break
            yield event
        yield Progress(self.step_, self.step_, {}, snapshot=self.snapshot())

    def snapshot(self, final: bool = False) -> Snapshot:
        """The scoreboard row as a snapshot: samples to show, metrics to compare."""
        metrics, samples = scoreboard.score(self, self.data_)
        return Snapshot(self.step_, samples, metrics)

    # -- the protocol's other half -------------------------------------------------
    def sample(self, n: int) -> np.ndarray:
        """n samples, shaped like the task's held-out samples (windows for a sequence task)."""
        if self.encoding_.stream:
            return self.sample_streams(n, self.data_.window)
        return self.encoding_.decode(self._sample(n), np.random.default_rng(self.config.seed + 1))

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        """(count, length) symbols: pieces of one long stream (entrants that can, draw them in parallel)."""
        return windows(self.sample_stream(count * length), length)

    def log_likelihood(self, x: np.ndarray) -> float:
        """Mean log-likelihood per sample of held-out data, in nats (per symbol for a stream)."""
        if self.encoding_.stream:
            return float(self._stream_log_likelihood(np.asarray(x)))
        return float(self._rows_log_likelihood(np.asarray(x)))

    def _initialise(self, task: TaskData) -> None:
        """Encode the task's data as this family declares, and build the model on rows or on a stream."""
        self.encoding_ = self.PLAYS[task.task](self.config).fit(task)
        if self.encoding_.stream:
            self._start_stream(self.encoding_)
        else:
            self._start_rows(self.encoding_)

    def _rows_log_likelihood(self, x: np.ndarray) -> float:
        """Mean of log p(row): the model's log P of the encoded row, less the volume of its bins."""
        z = self.encoding_.encode(x)
        return (self._log_p(z) - self.encoding_.log_volume(z)).mean()

    # -- for subclasses --------------------------------------------------------------
    def _start_rows(self, encoding: Encoding) -> None:
        raise NotImplementedError

    def _start_stream(self, encoding: Encoding) -> None:
        raise NotImplementedError

    def _train(self, steps: int) -> Iterator[Progress]:
        raise NotImplementedError

    def _sample(self, n: int) -> np.ndarray:
        """n rows in the encoding's space (codes, one-hot, floats): `sample` decodes them."""
        raise NotImplementedError

    def sample_stream(self, length: int) -> np.ndarray:
        raise NotImplementedError

    def _log_p(self, z: np.ndarray) -> np.ndarray:
        """log P of each encoded row, in nats."""
        raise NoLikelihood(text("en", "compare.note.none_here", family=self.family))

    def _stream_log_likelihood(self, x: np.ndarray) -> float:
        """Mean log P per symbol of a held-out stream, in nats."""
        raise NoLikelihood(text("en", "compare.note.none_here", family=self.family))

    def n_params(self) -> int:
        raise NotImplementedError
