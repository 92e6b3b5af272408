"""Turning continuous data into symbols and back, without losing the likelihood.

A family that models symbols (an RNN's softmax, a Bayesian network's tables)
can still model 2-D points or pixels: cut each column into bins, model the bin
codes, and draw a value uniformly inside the chosen bin. That is a proper
density, piecewise constant: p(x) = P(codes) / (product of the bins' widths),
so its log-likelihood compares with any other density on the same space.

The 8x8 digits take only 17 values per pixel (0..16). A continuous density
could put an infinitely tall spike on each value and claim any likelihood it
likes, so every family is judged on dequantised pixels (each value spread
uniformly over its 1/8-wide slot; Theis et al. 2016), on which a bin model
with those slots as bins is exact.
"""
from dataclasses import dataclass

import numpy as np

PIXEL_STEP = 1 / 8  # one of the 17 pixel levels, on the [-1, 1] scale


@dataclass
class Bins:
    """Per column, increasing bin edges; codes index the bins."""

    edges: list[np.ndarray]

    @classmethod
    def uniform(cls, x: np.ndarray, n_bins: int, pad: float = 0.05) -> "Bins":
        """n_bins equal bins per column over the data's range, widened by `pad` of it on each side."""
        lo, hi = x.min(axis=0), x.max(axis=0)
        span = np.maximum(hi - lo, 1e-9)
        return cls([np.linspace(a - pad * s, b + pad * s, n_bins + 1) for a, b, s in zip(lo, hi, span)])

    @classmethod
    def pixels(cls, levels: int = 17, dim: int = 64) -> "Bins":
        """Bins for dequantised digits: `levels` equal slots over [-1 - 1/16, 1 + 1/16]."""
        edges = np.linspace(-1 - PIXEL_STEP / 2, 1 + PIXEL_STEP / 2, levels + 1)
        return cls([edges] * dim)

    @property
    def cardinalities(self) -> list[int]:
        return [len(e) - 1 for e in self.edges]

    def codes(self, x: np.ndarray) -> np.ndarray:
        """(N, D) bin codes; a value beyond the outer edges counts in the outer bin."""
        return np.stack([np.clip(np.searchsorted(e, x[:, j], side="right") - 1, 0, len(e) - 2)
                         for j, e in enumerate(self.edges)], axis=1)

    def values(self, codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """A value drawn uniformly inside each code's bin."""
        out = np.empty(codes.shape)
        for j, e in enumerate(self.edges):
            out[:, j] = rng.uniform(e[codes[:, j]], e[codes[:, j] + 1])
        return out

    def log_widths(self, codes: np.ndarray) -> np.ndarray:
        """Per row, the log of the volume of its bins: subtract it from log P(codes) to get log p(x)."""
        return sum(np.log(np.diff(e)[codes[:, j]]) for j, e in enumerate(self.edges))


def dequantise(x: np.ndarray, seed: int) -> np.ndarray:
    """Digits' pixels spread uniformly over their 1/8-wide slots (a fixed seed: the same every call)."""
    rng = np.random.default_rng(seed)
    return x + rng.uniform(-PIXEL_STEP / 2, PIXEL_STEP / 2, size=x.shape)


def one_hot(codes: np.ndarray, cardinalities: list[int]) -> np.ndarray:
    """(N, D) codes -> (N, sum of cardinalities) 0/1 floats, column blocks in order."""
    codes = np.asarray(codes, dtype=np.int64)
    blocks = [np.eye(k)[np.clip(codes[:, j], 0, k - 1)] for j, k in enumerate(cardinalities)]
    return np.hstack(blocks)


def from_one_hot(x: np.ndarray, cardinalities: list[int]) -> np.ndarray:
    """The largest entry of each column block: the inverse of `one_hot` for scores and logits too."""
    out, start = [], 0
    for k in cardinalities:
        out.append(x[:, start:start + k].argmax(axis=1))
        start += k
    return np.stack(out, axis=1)


# -- how one family sees one task ---------------------------------------------------------------
class Encoding:
    """How one family sees one task's data: what it trains on, and the way back to the task's rows.

    An entrant declares, per task it plays, one of these (`Entrant.PLAYS`);
    `fit(task)` encodes the training data (`train_`), `encode` does the same to
    held-out data, `decode` turns what the model draws back into the task's
    rows, and `log_volume` is what a density over codes pays for its bins'
    widths (0 where the model's space is the task's own).
    """

    stream = False  # one stream of symbols (scored per symbol, sampled as windows), not rows
    images = False  # 8x8 pixels (the GAN draws them with its image generator)

    def fit(self, task) -> "Encoding":
        self.train_ = self.encode(task.train)
        return self

    def encode(self, x: np.ndarray) -> np.ndarray:
        return x

    def decode(self, z: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        return z

    def log_volume(self, z: np.ndarray):
        return 0.0


class Floats(Encoding):
    """Rows of floats as they are (2-D points)."""

    def decode(self, z, rng):
        return np.asarray(z, dtype=np.float64)


class Pixels(Floats):
    """The digits' pixels as floats; trained on dequantised ones when `dequantise_seed` is set."""

    images = True

    def __init__(self, dequantise_seed: int | None = None):
        self.dequantise_seed = dequantise_seed

    def fit(self, task) -> "Pixels":
        seed = self.dequantise_seed
        self.train_ = task.train if seed is None else dequantise(task.train, seed)
        return self


class Binned(Encoding):
    """Each column cut into `n_bins` equal bins (a proper density: a value drawn uniformly inside its bin)."""

    def __init__(self, n_bins: int):
        self.n_bins = n_bins

    def _bins(self, x: np.ndarray) -> Bins:
        return Bins.uniform(x, self.n_bins)

    def fit(self, task) -> "Binned":
        self.bins_ = self._bins(task.train)
        self.cardinalities_ = self.bins_.cardinalities
        return super().fit(task)

    def encode(self, x):
        return self.bins_.codes(x)

    def decode(self, z, rng):
        return self.bins_.values(z, rng)

    def log_volume(self, z):
        return self.bins_.log_widths(z)


class BinnedPixels(Binned):
    """The digits' pixels cut into `levels` equal slots over the ink range (17: one slot per ink level)."""

    def __init__(self, levels: int = 17):
        self.levels = levels

    def _bins(self, x):
        return Bins.pixels(levels=self.levels, dim=x.shape[1])


class Codes(Encoding):
    """A table's rows of category codes as they are."""

    def fit(self, task) -> "Codes":
        self.cardinalities_ = list(task.cardinalities)
        return super().fit(task)

    def decode(self, z, rng):
        return np.asarray(z).astype(np.int64)


class OneHot(Codes):
    """A table's rows one-hot, column block after column block; decoded by each block's largest entry."""

    def encode(self, x):
        return one_hot(x, self.cardinalities_)

    def decode(self, z, rng):
        return from_one_hot(z, self.cardinalities_)


class Stream(Encoding):
    """One stream of symbol codes, as it is."""

    stream = True

    def fit(self, task) -> "Stream":
        self.n_symbols_ = len(task.symbols)
        return super().fit(task)


class Windows(Stream):
    """Every window of `context` + 1 consecutive symbols, one a row: the last symbol and the context before it."""

    def __init__(self, context: int):
        self.context = context

    def fit(self, task) -> "Windows":
        super().fit(task)
        self.cardinalities_ = [self.n_symbols_] * (self.context + 1)
        return self

    def encode(self, x):
        return np.lib.stride_tricks.sliding_window_view(x, self.context + 1)
