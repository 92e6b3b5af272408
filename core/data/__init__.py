"""Data sets, all generated in code or shipped inside an installed package."""
from dataclasses import dataclass

import numpy as np


@dataclass
class Dataset:
    """Rows of data, plus what the diagnostics need to know about them.

    `means` and `sigma` are set for the Gaussian mixtures, so mode coverage can
    be scored with the published definitions; `labels` (an int per row) make a
    conditional model possible; `kind` is 'points' (2-D) or 'images' (8x8).
    `notes` say what a loader did to an upload, so the page can tell the user.
    """

    name: str
    x: np.ndarray  # (N, D) float32
    kind: str = "points"
    labels: np.ndarray | None = None  # (N,) int64
    n_classes: int = 0
    means: np.ndarray | None = None  # (K, D) mixture means
    sigma: float | None = None  # mixture standard deviation
    notes: tuple = ()  # Words: what was done to an upload (a subset kept, a separator read), for the page

    @property
    def dim(self) -> int:
        return self.x.shape[1]
