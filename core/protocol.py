"""What a training run reports: `Progress` events, now and then with a `Snapshot`.

The protocol itself, the methods every model has, is a class:
`core.models.base.Lab`. These are the plain records that flow from a lab's
`fit` to the job runner, the live chart, the CLI and the tests, so they live
apart from any model (and import nothing of GenLab's).
"""
from dataclasses import dataclass, field
from typing import Any

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
