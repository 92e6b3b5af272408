"""scikit-learn's 8x8 digits (they ship with the package: no download)."""
import numpy as np
from sklearn.datasets import load_digits

from core.data import Dataset


def digits() -> Dataset:
    """1,797 images of 8x8 pixels, scaled from 0..16 to [-1, 1], labelled 0..9."""
    bunch = load_digits()
    x = (bunch.data / 8.0 - 1.0).astype(np.float32)
    return Dataset("digits", x, kind="images", labels=bunch.target.astype(np.int64), n_classes=10)


def to_pixels(x: np.ndarray) -> np.ndarray:
    """Model output in [-1, 1] back to 8x8 images in 0..16 (the data's own scale)."""
    return np.clip((np.asarray(x) + 1.0) * 8.0, 0, 16).reshape(-1, 8, 8)
