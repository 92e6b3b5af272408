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
