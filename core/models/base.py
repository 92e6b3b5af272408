"""The Lab: the one training protocol every GenLab model follows, written once.

A lab is built from its `Config` dataclass (every slider a field) and then:

- `check(data)` raises ConfigError for settings that cannot work with this
  data, so the page and the CLI refuse them before a job starts.
- `fit(data, steps=None)` is a generator of `Progress` events. It trains
  `steps` more steps (the config's budget, `config.steps`, when None),
  continuing from where the last call stopped, so Stop never throws work
  away. Now and then an event carries a `Snapshot`: samples and what the page
  draws from them.
- `snapshot(final=False)` is the model as it is now, drawn by the family's
  views module; `final` asks for the costlier views of a finished run.
- `sample(n)` draws n samples; `log_likelihood(x)` where the model has a
  tractable one (a GAN is implicit: it raises `NoLikelihood`, saying why);
  `samples_text(samples)` is the file a student downloads.
- `save_weights()` / `from_weights(raw, load_data)`: the trained model as a
  file (`WEIGHTS_SUFFIX`) and back, never by unpickling; a family without a
  file says why.

One job runner (core.jobs), one live chart and one CLI serve every lab
because they only ever see this class. A family writes `_initialise(data)`
(build what training needs, once per data set), `_train(steps)` (the steps
themselves), `snapshot`, `sample` and whichever of the rest it has.

Each family is split the same way, so that no module imports its importer:
`<family>.py` holds the Lab subclass and imports the pieces it drives (its
networks or search, `<family>_views` for snapshots, its weights module); the
pieces never import the Lab.
"""
from typing import Any, ClassVar, Iterator

import numpy as np

from core.errors import ConfigError, DataError
from core.export import samples_csv
from core.protocol import NoLikelihood, Progress, Snapshot


class Lab:
    """Base class of the five families' models (and of Compare's entrants).

    Parameters
    ----------
    config : the family's Config dataclass; its defaults when None.

    Attributes
    ----------
    config : the settings, stored as given (sklearn's rule: `__init__` only stores).
    step_ : int
        Steps trained so far, over every call to `fit`.
    data_ : the data set `fit` was last called with; None before the first fit.
    device_ : str or None
        Where the model trains ('cpu', 'cuda', 'mps'); None until `fit` decides.
    """

    Config: ClassVar[type]  # the family's settings dataclass
    FAMILY: ClassVar[str] = ""  # hmm, bayesnet, forest, rnn, gan: names the family's messages
    STEPS_FIELD: ClassVar[str] = "steps"  # the config field the CLI's --steps sets (the budget derives from it)
    WEIGHTS_SUFFIX: ClassVar[str | None] = None  # the weights file's extension; None: this family has no file

    # Before the first fit a lab has trained nothing, on no data, on no device yet.
    step_: int = 0
    data_: Any = None
    device_: str | None = None

    def __init__(self, config=None):
        self.config = config if config is not None else self.Config()

    # -- the protocol ----------------------------------------------------------------
    def check(self, data) -> None:
        """Refuse settings that cannot work with this data (ConfigError, in words); most accept all."""

    def fit(self, data, steps: int | None = None) -> Iterator[Progress]:
        """Train `steps` more steps (the config's budget when None), yielding Progress events.

        The first call on a data set builds what training needs; later calls
        on the same data continue from where the last one stopped.
        """
        if self.data_ is not data:
            self._begin(data)
        yield from self._train(steps or self.config.steps)

    def snapshot(self, final: bool = False) -> Snapshot:
        raise NotImplementedError

    def sample(self, n: int) -> np.ndarray:
        raise NotImplementedError

    def log_likelihood(self, x: np.ndarray) -> float:
        raise NoLikelihood(f"A {self.FAMILY} model defines no likelihood here.")

    def samples_text(self, samples: np.ndarray) -> str:
        """The samples as the file a student downloads: CSV of numbers, unless a family words them."""
        return samples_csv(samples)

    def save_weights(self) -> bytes:
        raise DataError(f"{self.FAMILY}.no_weights")

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["Lab", Any]:
        """A trained lab back from `save_weights`' bytes; `load_data(config)` gives its data set."""
        raise DataError(f"{cls.FAMILY}.no_weights")

    def check_fitted(self) -> None:
        """ConfigError 'press Train first' when nothing has been trained yet."""
        if self.data_ is None:
            raise ConfigError(f"{self.FAMILY}.not_trained")

    # -- for subclasses --------------------------------------------------------------
    def _begin(self, data) -> None:
        """Check the settings against this data, then build what training needs (fit and restore call it).

        `data_` is set first, so `_initialise` may read it; if building fails, the lab holds no data.
        """
        self.check(data)
        self.data_ = data
        try:
            self._initialise(data)
        except BaseException:
            self.data_ = None
            raise

    def _initialise(self, data) -> None:
        raise NotImplementedError

    def _train(self, steps: int) -> Iterator[Progress]:
        raise NotImplementedError

    def _check_weights(self, state: dict, data) -> None:
        """A weights file's first check, before anything is built from it (an RNN of another text); none here."""

    def _progress(self, total: int, losses: dict, snap: Snapshot | None = None) -> Progress:
        """One report at the current step: the snapshot's scalar metrics go beside the losses."""
        return Progress(self.step_, max(total, self.step_), losses, metrics=scalars(snap), snapshot=snap)


def scalars(snap: Snapshot | None) -> dict[str, float]:
    """The numbers among a snapshot's metrics (the live chart plots these; lists and words stay in it)."""
    if snap is None:
        return {}
    return {k: float(v) for k, v in snap.metrics.items() if isinstance(v, (int, float, np.number))}
