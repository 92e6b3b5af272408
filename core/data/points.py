"""2-D toy distributions: the classic stages on which GANs collapse.

The ring and the grid follow VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et
al. 2018) exactly, so the mode counts here compare with the published ones.
"""
import numpy as np
from sklearn.datasets import make_moons

from core.data import Dataset


def ring_means(n_modes: int = 8, radius: float = 1.0) -> np.ndarray:
    """Means at angles 2*pi*k/n for k = 0..n-1 (linspace(0, 2pi, n) would repeat one)."""
    angles = 2 * np.pi * np.arange(n_modes) / n_modes
    return radius * np.stack([np.cos(angles), np.sin(angles)], axis=1)


def grid_means(values=(-4, -2, 0, 2, 4)) -> np.ndarray:
    return np.array([(x, y) for x in values for y in values], dtype=float)


def gaussian_mixture(name: str, means: np.ndarray, sigma: float, n: int, seed: int) -> Dataset:
    """n points, each from a mode chosen uniformly, labelled by its mode."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(len(means), size=n)
    x = means[labels] + sigma * rng.standard_normal((n, means.shape[1]))
    return Dataset(name, x.astype(np.float32), labels=labels, n_classes=len(means), means=means, sigma=sigma)


def ring_of_gaussians(n: int = 20_000, seed: int = 0) -> Dataset:
    """8 Gaussians on a circle of radius 1, sigma = 0.01."""
    return gaussian_mixture("ring8", ring_means(8), 0.01, n, seed)


def grid_of_gaussians(n: int = 20_000, seed: int = 0) -> Dataset:
    """25 Gaussians at {-4,-2,0,2,4}^2, sigma = 0.05."""
    return gaussian_mixture("grid25", grid_means(), 0.05, n, seed)


def spiral(n: int = 20_000, seed: int = 0, noise: float = 0.05) -> Dataset:
    """A two-turn spiral: one connected, curved mode, no labels."""
    rng = np.random.default_rng(seed)
    t = np.sqrt(rng.uniform(0, 1, n)) * 4 * np.pi
    x = np.stack([t * np.cos(t), t * np.sin(t)], axis=1) / (4 * np.pi)
    x += noise * rng.standard_normal(x.shape) / 2
    return Dataset("spiral", x.astype(np.float32))


def two_moons(n: int = 20_000, seed: int = 0, noise: float = 0.05) -> Dataset:
    """scikit-learn's two moons, labelled by moon."""
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return Dataset("moons", x.astype(np.float32), labels=y.astype(np.int64), n_classes=2)


def plane_bounds(x: np.ndarray, pad: float) -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the box of 2-D points widened by `pad` of its span on every side."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    span = np.maximum(hi - lo, 1e-3)
    lo, hi = lo - pad * span, hi + pad * span
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])
