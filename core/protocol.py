"""The one training protocol every GenLab model follows.

A model is built from its `Config` dataclass and then:

- `check(data)` raises ConfigError for settings that cannot work with this
  data, so the page and the CLI refuse them before a job starts.
- `fit(data, steps=None)` is a generator of `Progress` events. It trains
  `steps` more steps (the config's budget when None), continuing from where
  the last call stopped, so Stop never throws work away. Now and then an event
  carries a `Snapshot`: samples and what the page draws from them.
- `sample(n)` draws n samples as a numpy array.
- `log_likelihood(x)` where the model has a tractable one; models without one
  (a GAN is implicit) raise `NoLikelihood` with a sentence saying why.
- optionally `samples_text(samples)`: the samples as the file a student
  downloads (strings one per line, named categories); CSV of numbers otherwise.

One job runner (core.jobs), one live chart and one CLI serve every model
because they only ever see this protocol.
"""
from dataclasses import dataclass, field
from typing import Any, Iterator, Protocol

import numpy as np


@dataclass
class Snapshot:
    """What the page needs to redraw the model as it was at `step`."""

    step: int
    samples: np.ndarray
    metrics: dict[str, float] = field(default_factory=dict)
    views: dict[str, Any] = field(default_factory=dict)  # model-specific arrays for plots


@dataclass
class Progress:
    """One report from `fit`: losses averaged since the last report."""

    step: int
    total: int
    losses: dict[str, float]
    metrics: dict[str, float] = field(default_factory=dict)
    snapshot: Snapshot | None = None


class NoLikelihood(Exception):
    """This model defines no likelihood to evaluate; the message says why."""


class Model(Protocol):
    config: Any
    device_: str

    def check(self, data: Any) -> None: ...  # ConfigError for impossible settings, before training

    def fit(self, data: Any, steps: int | None = None) -> Iterator[Progress]: ...

    def sample(self, n: int) -> np.ndarray: ...

    def log_likelihood(self, x: np.ndarray) -> float: ...
