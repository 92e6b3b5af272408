"""core.metrics: each score on data where the right answer is known."""
import math

import numpy as np
import pytest

from core.metrics import (
    c2st_accuracy,
    c2st_band,
    c2st_p_value,
    density_coverage,
    digits_judge,
    mmd_rbf,
    mmd_test,
    mode_histogram,
    mode_report,
    precision_recall,
)

RING_SIGMA = 0.01
GRID_SIGMA = 0.05


def ring_means() -> np.ndarray:
    angles = 2 * np.pi * np.arange(8) / 8  # not linspace(0, 2 pi, 8), which repeats a mode
    return np.column_stack([np.cos(angles), np.sin(angles)])


def grid_means() -> np.ndarray:
    return np.array([(x, y) for x in range(-4, 5, 2) for y in range(-4, 5, 2)], dtype=float)


def mixture_samples(means: np.ndarray, sigma: float, n: int = 2500, seed: int = 0) -> np.ndarray:
    """n draws from the equal-weight mixture of N(mean, sigma^2 I)."""
    rng = np.random.default_rng(seed)
    modes = rng.integers(len(means), size=n)
    return means[modes] + sigma * rng.standard_normal((n, means.shape[1]))


def gaussian(n: int, seed: int, shift: float = 0.0, dim: int = 2) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal((n, dim)) + shift


# --- mode collapse ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("means", "sigma"),
    [(ring_means(), RING_SIGMA), (grid_means(), GRID_SIGMA)],
    ids=["ring", "grid"],
)
def test_true_samples_capture_every_mode(means, sigma):
    report = mode_report(mixture_samples(means, sigma), means, sigma)
    assert report.modes_captured == report.n_modes == len(means)
    assert report.hq_share > 0.98  # 1 - exp(-4.5) = 0.989 of a 2-D Gaussian lies within 3 sigma
    assert report.reverse_kl < 0.02
    assert report.histogram.sum() == round(report.hq_share * 2500)


def test_collapse_onto_one_mode_gives_maximal_kl():
    means = ring_means()
    samples = np.repeat(means[3:4], 2500, axis=0)
    report = mode_report(samples, means, RING_SIGMA)
    assert report.modes_captured == 1
    assert report.hq_share == 1.0
    assert report.reverse_kl == pytest.approx(math.log(8))
    assert report.histogram.tolist() == [0, 0, 0, 2500, 0, 0, 0, 0]


def test_samples_far_from_every_mode_are_not_high_quality():
    means = ring_means()
    samples = mixture_samples(means, RING_SIGMA) * 1.5  # right angles, wrong radius
    report = mode_report(samples, means, RING_SIGMA)
    assert (report.modes_captured, report.hq_share) == (0, 0.0)
    assert report.reverse_kl == pytest.approx(math.log(8))  # documented convention: no HQ = max


def test_non_finite_samples_count_as_not_high_quality():
    means = ring_means()
    samples = np.repeat(means, 2, axis=0)
    samples[:4] = [np.nan, np.inf]
    report = mode_report(samples, means, RING_SIGMA)
    assert report.hq_share == 0.75
    assert report.modes_captured == 6


def test_mode_histogram_matches_report():
    means = grid_means()
    samples = mixture_samples(means, GRID_SIGMA, n=500, seed=1)
    histogram = mode_histogram(samples, means, GRID_SIGMA)
    assert histogram.shape == (25,)
    np.testing.assert_array_equal(histogram, mode_report(samples, means, GRID_SIGMA).histogram)


# --- digits -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def judge():
    return digits_judge()


def test_digits_judge_is_accurate_and_cached(judge):
    assert judge.accuracy_ >= 0.95
    assert digits_judge() is judge


def test_real_held_out_digits_cover_every_class(judge):
    report = judge.report(judge.X_test_)
    assert report.classes_covered == 10
    assert report.class_kl < 0.05
    assert report.class_histogram.sum() == len(judge.X_test_)
    assert 0.8 < report.diversity < 1.2
    assert report.classifier_accuracy == judge.accuracy_


def test_one_class_of_digits_is_collapse(judge):
    threes = judge.X_test_[judge.y_test_ == 3]
    report = judge.report(threes)
    assert report.classes_covered <= 2
    assert report.class_kl > 1.5  # log(10) = 2.30 when all are one class
    assert report.diversity < 0.9


def test_copied_training_images_are_at_distance_zero(judge):
    copies = judge.X_train_[:20].reshape(20, 8, 8)  # images are accepted as (n, 8, 8) too
    report = judge.report(copies)
    np.testing.assert_allclose(report.nearest_train_distance, 0.0, atol=1e-12)
    noise = np.random.default_rng(0).uniform(-1, 1, size=(20, 64))
    assert judge.report(noise).nearest_train_distance.min() > 3.0


# --- any data -----------------------------------------------------------------------------------


def test_c2st_cannot_tell_same_distribution():
    assert 0.4 < c2st_accuracy(gaussian(400, seed=0), gaussian(400, seed=1)) < 0.6


def test_c2st_tells_different_distributions():
    assert c2st_accuracy(gaussian(400, seed=0), gaussian(300, seed=1, shift=3.0)) > 0.9


def test_c2st_band():
    low, high = c2st_band(100)
    assert (low, high) == pytest.approx((0.402, 0.598))


def test_mmd_is_near_zero_only_for_the_same_distribution():
    same = mmd_rbf(gaussian(500, seed=0), gaussian(500, seed=1))
    different = mmd_rbf(gaussian(500, seed=0), gaussian(500, seed=1, shift=2.0))
    assert abs(same) < 0.01
    assert different > 0.2


def test_c2st_p_value_is_the_one_sided_binomial_tail():
    def tail(correct, n):  # P(Binomial(n, 1/2) >= correct), by counting
        return sum(math.comb(n, k) for k in range(correct, n + 1)) / 2**n

    assert c2st_p_value(0.6, 100) == pytest.approx(tail(60, 100))  # about 0.028
    assert c2st_p_value(0.5, 100) == pytest.approx(tail(50, 100))  # about 0.54: a coin scores this often
    assert c2st_p_value(0.3, 100) > 0.99 and c2st_p_value(1.0, 100) == pytest.approx(2.0**-100)


def test_mmd_test_returns_mmd_rbf_and_a_permutation_p_value():
    x, same, shifted = gaussian(300, seed=0), gaussian(300, seed=1), gaussian(300, seed=2, shift=0.5)
    mmd2, p_same = mmd_test(x, same)
    assert mmd2 == pytest.approx(mmd_rbf(x, same), abs=1e-12) and p_same > 0.05
    mmd2, p_shifted = mmd_test(x, shifted)
    assert mmd2 == pytest.approx(mmd_rbf(x, shifted), abs=1e-12)
    assert p_shifted == pytest.approx(1 / 101)  # no shuffle comes near: the smallest p 100 shuffles can give
    assert mmd_test(x, same, seed=3) == mmd_test(x, same, seed=3)  # seeded: a score repeats exactly
    assert np.isnan(mmd_test(x, same, n_permutations=0)[1])


def test_mmd_p_values_are_calibrated_when_both_sets_come_from_one_distribution():
    """Under the null a p-value is uniform: about 5 % of them fall below 0.05."""
    p = np.array([mmd_test(gaussian(60, seed=2 * i), gaussian(60, seed=2 * i + 1), seed=i)[1] for i in range(200)])
    assert 0.01 <= np.mean(p < 0.05) <= 0.10 and 0.4 < p.mean() < 0.6


def test_precision_recall_density_coverage_on_the_same_distribution():
    real, fake = gaussian(1000, seed=0), gaussian(1000, seed=1)
    precision, recall = precision_recall(real, fake)
    density, coverage = density_coverage(real, fake)
    assert precision > 0.9 and recall > 0.9
    assert 0.8 < density < 1.2 and coverage > 0.9


def test_collapsed_fake_keeps_precision_and_loses_recall():
    real = mixture_samples(ring_means(), RING_SIGMA, n=1000)
    collapsed = mixture_samples(ring_means()[:1], RING_SIGMA, n=1000, seed=1)
    precision, recall = precision_recall(real, collapsed)
    _, coverage = density_coverage(real, collapsed)
    assert precision > 0.9
    assert recall < 0.2 and coverage < 0.2


@pytest.mark.parametrize(
    "metric", [c2st_accuracy, mmd_rbf, precision_recall, density_coverage], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("bad_value", [np.nan, np.inf])
def test_non_finite_generated_samples_are_refused(metric, bad_value):
    fake = gaussian(50, seed=1)
    fake[7, 0] = bad_value
    with pytest.raises(ValueError, match="NaN or inf"):
        metric(gaussian(50, seed=0), fake)
