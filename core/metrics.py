"""How good are generated samples, and which part of the data did a generator forget?

Every function here takes numpy arrays (rows are samples, columns are features)
and returns plain Python numbers or numpy arrays, so pages, the CLI, notebooks
and tests share one definition of each score. The definitions are the published
ones, so the numbers a class sees compare with the papers:

* Mode coverage on the ring and grid toys: VEEGAN (Srivastava et al., 2017) and
  PacGAN (Lin et al., 2018).
* Class coverage, diversity and memorisation on the 8x8 digits, by a reference
  classifier trained on the real digits.
* For any data: the classifier two-sample test (Lopez-Paz & Oquab, 2017) with
  its binomial p-value, the maximum mean discrepancy (Gretton et al., 2012) with
  its permutation p-value, precision and recall (Kynkäänniemi et al., 2019),
  density and coverage (Naeem et al., 2020).
"""
import functools
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist, pdist
from scipy.stats import binomtest
from sklearn.datasets import load_digits
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.neighbors import NearestNeighbors
from sklearn.svm import SVC

from core.errors import DataError

HQ_RADIUS_IN_SIGMAS = 3.0  # VEEGAN / PacGAN: "high quality" = within 3 standard deviations
DIVERSITY_MAX_SAMPLES = 500  # pairwise distances grow as n^2; 500 points give a stable mean
MMD_MAX_SAMPLES = 1000  # per side; keeps the kernel matrices at a few MB
MMD_PERMUTATIONS = 100  # label shuffles of the MMD permutation test: p-values down to 1/101
_DISTANCE_CHUNK = 2048  # rows of a distance matrix computed at once, to bound memory


class MetricsError(DataError, ValueError):
    """Samples a yardstick cannot score (NaN from a diverged generator, a wrong shape): said in the
    reader's language on the page (`error.metrics.<what>`), and still a ValueError for code that asks."""


# --- shared helpers ---------------------------------------------------------------------------


def _as_samples(name: str, x: np.ndarray) -> np.ndarray:
    """Return `x` as a 2-D float array (samples x features), or explain why it is not one."""
    x = np.asarray(x, dtype=float)
    if x.ndim != 2:
        raise MetricsError(f"metrics.not_2d.{name}", shape=x.shape)
    return x


def _finite_samples(name: str, x: np.ndarray, min_rows: int = 1) -> np.ndarray:
    """Like `_as_samples`, but refuse NaN/inf: one NaN distance makes every score NaN."""
    x = _as_samples(name, x)
    if not np.isfinite(x).all():
        bad = int((~np.isfinite(x).all(axis=1)).sum())
        raise MetricsError(f"metrics.not_finite.{name}", bad=bad, total=len(x))
    if len(x) < min_rows:
        raise MetricsError(f"metrics.too_few.{name}", min_rows=min_rows, rows=len(x))
    return x


def _same_width(a: np.ndarray, b: np.ndarray) -> None:
    if a.shape[1] != b.shape[1]:
        raise MetricsError("metrics.widths", real=a.shape[1], fake=b.shape[1])


def _subsample(x: np.ndarray, max_rows: int, seed: int = 0) -> np.ndarray:
    """At most `max_rows` rows of `x`, the same ones every call (a fixed seed), in their order."""
    if len(x) <= max_rows:
        return x
    rows = np.random.default_rng(seed).choice(len(x), size=max_rows, replace=False)
    return x[np.sort(rows)]


def _kl_to_uniform(counts: np.ndarray) -> float:
    """KL(p || uniform over K) = sum_k p_k log(p_k K), in nats, with 0 log 0 = 0.

    It is 0 when every mode (class) is equally represented and log(K) when all
    samples fall in one. With no samples at all p is undefined; we return the
    maximum, log(K), since a generator with nothing usable has covered nothing.
    """
    counts = np.asarray(counts, dtype=float)
    n_bins = len(counts)
    if counts.sum() == 0:
        return float(np.log(n_bins))
    p = counts[counts > 0] / counts.sum()
    return float(np.sum(p * np.log(p * n_bins)))


def _mean_pairwise_distance(x: np.ndarray) -> float:
    """Mean Euclidean distance over all pairs of rows; 0.0 for fewer than two rows."""
    return float(pdist(x).mean()) if len(x) >= 2 else 0.0


def _ball_counts(points: np.ndarray, centres: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """For each point, how many of the balls B(centre_j, radius_j) contain it (closed balls)."""
    counts = np.empty(len(points), dtype=int)
    for start in range(0, len(points), _DISTANCE_CHUNK):
        chunk = points[start : start + _DISTANCE_CHUNK]
        counts[start : start + len(chunk)] = (cdist(chunk, centres) <= radii).sum(axis=1)
    return counts


def _knn_radii(x: np.ndarray, k: int) -> np.ndarray:
    """Distance from each row of `x` to its k-th nearest other row: the radius of its k-NN ball.

    We ask for k + 1 neighbours because every point is its own nearest neighbour (distance 0).
    """
    distances, _ = NearestNeighbors(n_neighbors=k + 1).fit(x).kneighbors(x)
    return distances[:, k]


# --- mode collapse on the ring and grid toys ----------------------------------------------------


@dataclass(frozen=True)
class ModeReport:
    """How many Gaussian modes a generator reproduces, and how evenly (VEEGAN / PacGAN)."""

    modes_captured: int  # modes that are the nearest mean of at least one HQ sample
    n_modes: int
    hq_share: float  # fraction of all samples within 3 sigma of their nearest mean
    reverse_kl: float  # KL(HQ mode histogram || uniform), nats; log(n_modes) if no HQ sample
    histogram: np.ndarray  # counts of HQ samples per mode, shape (n_modes,)


def mode_histogram(samples: np.ndarray, means: np.ndarray, sigma: float) -> np.ndarray:
    """Count the high-quality samples that land on each mode; shape (n_modes,), ints.

    A sample is high quality (HQ) when its Euclidean distance to its nearest mean
    is at most 3 * sigma (Srivastava et al., 2017; Lin et al., 2018); for a true
    2-D Gaussian that holds for 1 - exp(-4.5) = 98.9 % of samples. Each HQ sample
    is counted at its nearest mean. Samples with NaN or inf are never HQ, so a
    generator that diverges half-way scores as one that lost those samples.
    Stacking these histograms over training steps gives the modes x step heat
    map in which collapse (one bright row) and mode hopping (a bright row that
    jumps) are visible.
    """
    samples = _as_samples("samples", samples)
    means = _as_samples("means", means)
    _same_width(means, samples)
    if sigma <= 0:
        raise MetricsError("metrics.sigma", sigma=sigma)
    finite = np.isfinite(samples).all(axis=1)
    distances = cdist(samples[finite], means)  # (n_finite, n_modes)
    nearest = distances.argmin(axis=1)
    is_hq = distances[np.arange(len(nearest)), nearest] <= HQ_RADIUS_IN_SIGMAS * sigma
    return np.bincount(nearest[is_hq], minlength=len(means))


def mode_report(samples: np.ndarray, means: np.ndarray, sigma: float) -> ModeReport:
    """Score a generator on a mixture of Gaussians with known means and common `sigma`.

    The three numbers of the VEEGAN and PacGAN tables:

    * modes captured: a mode counts when it is the nearest mean of at least one
      high-quality sample (see `mode_histogram`). Collapse shows here first.
    * high-quality share: HQ samples over all samples, so blurry samples that sit
      between modes are penalised even when every mode is hit.
    * reverse KL: KL(p_hat || uniform), p_hat the normalised HQ histogram; 0 when
      the HQ samples are spread evenly, log(n_modes) when they all sit on one mode.
      Convention: with no HQ sample at all p_hat is undefined and we report the
      maximum, log(n_modes), and an HQ share of 0.
    """
    histogram = mode_histogram(samples, means, sigma)
    n_samples = len(samples)
    return ModeReport(
        modes_captured=int((histogram > 0).sum()),
        n_modes=len(histogram),
        hq_share=float(histogram.sum() / n_samples) if n_samples else 0.0,
        reverse_kl=_kl_to_uniform(histogram),
        histogram=histogram,
    )


# --- the 8x8 digits, judged by a classifier trained on them -------------------------------------


def _digits_pixels() -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's 8x8 digits as (images (1797, 64) scaled to [-1, 1], labels (1797,)).

    The raw pixels are 0..16; X / 8 - 1 maps them to [-1, 1], the range of a
    generator with a tanh output, so generated and real images are on one scale.
    """
    images, labels = load_digits(return_X_y=True)
    return images / 8.0 - 1.0, labels


@dataclass(frozen=True)
class DigitsReport:
    """What a reference classifier and plain distances say about generated 8x8 digits."""

    classes_covered: int  # of the 10 digits, how many the judge sees at least once
    class_kl: float  # KL(predicted class histogram || uniform over 10), nats
    class_histogram: np.ndarray  # samples predicted as each digit, shape (10,)
    diversity: float  # mean pairwise distance / the same on real digits; 1.0 = as varied
    nearest_train_distance: np.ndarray  # per sample, distance to the closest real digit
    classifier_accuracy: float  # the judge's held-out accuracy: how far to trust the above


class DigitsJudge:
    """A classifier trained on the real 8x8 digits that labels generated ones.

    The digits have no "modes" with known means, so the classes play that role: a
    generator that only draws 1s and 7s covers 2 of 10 classes, however sharp they
    look. The judge is an RBF support vector machine: it reaches about 0.99 held-out
    accuracy on these images in a few hundredths of a second. Its accuracy is part
    of every report, because a judge is only as good as its own errors.

    After `fit`: `classifier_` (the SVC), `accuracy_` (held-out accuracy),
    `X_train_`, `y_train_`, `X_test_`, `y_test_` (the stratified 75/25 split),
    `images_` (all 1,797 digits, the generator's training set, used for
    memorisation distances), `real_diversity_` (their mean pairwise distance) and
    `real_nearest_distance_` (the median distance from a real digit to its nearest
    other digit: samples much nearer than that to a training image are copies).
    """

    n_classes = 10

    def fit(self, random_state: int = 0) -> "DigitsJudge":
        """Train on 75 % of the digits, measure accuracy on the other 25 % (stratified)."""
        images, labels = _digits_pixels()
        self.X_train_, self.X_test_, self.y_train_, self.y_test_ = train_test_split(
            images, labels, test_size=0.25, stratify=labels, random_state=random_state
        )
        self.classifier_ = SVC().fit(self.X_train_, self.y_train_)
        self.accuracy_ = float(self.classifier_.score(self.X_test_, self.y_test_))
        self.images_ = images
        self.real_diversity_ = _mean_pairwise_distance(_subsample(images, DIVERSITY_MAX_SAMPLES))
        self._nearest_real = NearestNeighbors(n_neighbors=1).fit(images)
        # The yardstick for memorisation: how near a real digit's nearest *other* digit is.
        leave_one_out, _ = NearestNeighbors(n_neighbors=2).fit(images).kneighbors(images)
        self.real_nearest_distance_ = float(np.median(leave_one_out[:, 1]))
        return self

    def report(self, samples: np.ndarray) -> DigitsReport:
        """Judge generated digits: `samples` of shape (n, 64) or (n, 8, 8), pixels in [-1, 1].

        * classes covered and class KL: the mode-collapse scores of `mode_report`,
          with the judge's predicted class standing in for the nearest mean.
        * diversity: the mean pairwise distance between samples (at most 500, picked
          with a fixed seed) over the same for real digits. A collapsed generator
          scores near 0 even if each image is a fine digit; 1.0 is as varied as the data.
        * nearest training distance: a generator that memorises returns copies of
          training images, and this distance drops to 0. Measured against all 1,797
          digits, since that is what the generators here are trained on.
        """
        samples = np.asarray(samples, dtype=float)
        samples = _finite_samples("samples", samples.reshape(len(samples), -1))
        if samples.shape[1] != self.images_.shape[1]:
            raise MetricsError("metrics.pixels", width=samples.shape[1])
        histogram = np.bincount(self.classifier_.predict(samples), minlength=self.n_classes)
        nearest, _ = self._nearest_real.kneighbors(samples)
        return DigitsReport(
            classes_covered=int((histogram > 0).sum()),
            class_kl=_kl_to_uniform(histogram),
            class_histogram=histogram,
            diversity=_mean_pairwise_distance(_subsample(samples, DIVERSITY_MAX_SAMPLES))
            / self.real_diversity_,
            nearest_train_distance=nearest[:, 0],
            classifier_accuracy=self.accuracy_,
        )


@functools.lru_cache(maxsize=1)
def digits_judge() -> DigitsJudge:
    """The shared, fitted judge: trained once per process, then reused by every page and job."""
    return DigitsJudge().fit(random_state=0)


# --- sample quality for any data ----------------------------------------------------------------


def c2st_accuracy(
    real: np.ndarray, fake: np.ndarray, random_state: int = 0, folds: int = 5
) -> float:
    """Classifier two-sample test (Lopez-Paz & Oquab, 2017): can a forest tell real from fake?

    Label real samples 0 and generated ones 1, train a random forest, and report
    its accuracy on held-out points (stratified k-fold cross-validation, so every
    point is tested once). 0.5 means the forest cannot tell them apart, the ideal;
    1.0 means every generated sample gives itself away. The larger set is
    subsampled (with `random_state`) to the size of the smaller, so guessing the
    majority class cannot beat 0.5. Compare the result with `c2st_band`.
    """
    real = _finite_samples("real", real, min_rows=folds)
    fake = _finite_samples("generated", fake, min_rows=folds)
    _same_width(real, fake)
    n = min(len(real), len(fake))
    real = _subsample(real, n, seed=random_state)
    fake = _subsample(fake, n, seed=random_state)
    features = np.vstack([real, fake])
    labels = np.repeat([0, 1], n)
    forest = RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=random_state)
    split = StratifiedKFold(n_splits=folds, shuffle=True, random_state=random_state)
    return float(cross_val_score(forest, features, labels, cv=split).mean())


def c2st_band(n: int) -> tuple[float, float]:
    """The 95 % band of C2ST accuracy when real and fake cannot be told apart.

    The band is 0.5 +- 1.96 * 0.5 / sqrt(n).

    Under "real and fake are the same", each of the n test points is a fair coin,
    so the accuracy is Binomial(n, 1/2) / n with standard deviation 0.5 / sqrt(n)
    (Lopez-Paz & Oquab, 2017). With cross-validation every point is tested once:
    n = 2 * min(len(real), len(fake)). An accuracy inside the band is "cannot tell".
    The band is exact for one held-out split; under cross-validation it is
    approximate (five forests, trained on overlapping folds, answer for the n
    points), as is `c2st_p_value`.
    """
    if n < 1:
        raise MetricsError("metrics.test_points", n=n)
    half_width = 1.96 * 0.5 / np.sqrt(n)
    return 0.5 - half_width, 0.5 + half_width


def c2st_p_value(accuracy: float, n: int) -> float:
    """One-sided binomial p-value of a C2ST accuracy: P(Binomial(n, 1/2) >= the correct answers seen).

    Small means the forest tells real from generated better than a coin would.
    Approximate under cross-validation: the n test points are classified by five
    forests, each trained on the other folds, so their answers are not quite n
    independent coins (Lopez-Paz & Oquab, 2017, derive the test for one held-out
    split). Read it as a guide, as the band beside it.
    """
    if n < 1:
        raise MetricsError("metrics.test_points", n=n)
    correct = int(round(min(max(accuracy, 0.0), 1.0) * n))
    return float(binomtest(correct, n, 0.5, alternative="greater").pvalue)


def _mmd_kernel(x: np.ndarray, y: np.ndarray) -> np.ndarray | None:
    """The RBF kernel matrix of the pooled sample [x; y] at the median bandwidth; None if all points coincide."""
    pooled = np.vstack([x, y])
    squared = cdist(pooled, pooled, "sqeuclidean")
    bandwidth = np.median(np.sqrt(squared[np.triu_indices(len(pooled), k=1)]))
    if bandwidth == 0:  # all points identical: both distributions are the same point mass
        return None
    return np.exp(-squared / (2 * bandwidth**2))


def _mmd_unbiased(kernel: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Unbiased MMD^2 for each split of the pooled sample; `first` (P, N) is 1 where a point is in the first set.

    With a the indicator of the first set (n points) and b = 1 - a (m points):
    sum_xx = a'Ka, sum_yy = b'Kb = 1'K1 - 2 a'K1 + a'Ka, sum_xy = a'K1 - a'Ka,
    and the diagonal (k(x, x) = 1) is left out of the first two means.
    """
    n = first.sum(axis=1)
    m = first.shape[1] - n
    ka = first @ kernel  # (P, N): one matrix product for every split at once
    sum_xx = (ka * first).sum(axis=1)
    a_k_1 = ka.sum(axis=1)
    sum_yy = kernel.sum() - 2 * a_k_1 + sum_xx
    sum_xy = a_k_1 - sum_xx
    return (sum_xx - n) / (n * (n - 1)) + (sum_yy - m) / (m * (m - 1)) - 2 * sum_xy / (n * m)


def _mmd_sets(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x = _subsample(_finite_samples("real", x, min_rows=2), MMD_MAX_SAMPLES)
    y = _subsample(_finite_samples("generated", y, min_rows=2), MMD_MAX_SAMPLES)
    _same_width(x, y)
    return x, y


def mmd_rbf(x: np.ndarray, y: np.ndarray) -> float:
    """Squared maximum mean discrepancy with a Gaussian kernel (Gretton et al., 2012).

    MMD^2 = E k(x, x') + E k(y, y') - 2 E k(x, y), with k(a, b) = exp(-|a - b|^2 / (2 s^2)).
    It is 0 exactly when the two distributions are equal. We use the unbiased
    estimator (the diagonal k(x_i, x_i) = 1 is left out of the first two means),
    which can come out slightly below 0 when the distributions match; that is
    noise, and is not clipped so that averages over runs stay unbiased. The
    bandwidth s is the median pairwise distance of the pooled sample (the median
    heuristic), so the score does not depend on the units of the data. At most
    1,000 points of each set are used, picked with a fixed seed.
    """
    return mmd_test(x, y, n_permutations=0)[0]


def mmd_test(x: np.ndarray, y: np.ndarray, n_permutations: int = MMD_PERMUTATIONS,
             seed: int = 0) -> tuple[float, float]:
    """(MMD^2, permutation p-value): `mmd_rbf`, and how often shuffled labels give as large a value.

    If real and generated come from one distribution, which set a point is in is
    an arbitrary label: shuffling the labels of the pooled sample (keeping the set
    sizes) gives MMD^2 values as large as the observed one just as often. The
    p-value is (1 + #{shuffles with MMD^2 >= observed}) / (1 + n_permutations)
    (Gretton et al., 2012, section 5; the +1 counts the observed labelling, so it
    is never 0: with 100 shuffles the smallest is 1/101, about 0.0099). The kernel
    matrix is computed once; every shuffle is one row of a matrix product, and the
    shuffles come from a seeded generator, so a score repeats exactly. With
    `n_permutations=0` the p-value is NaN (not tested).
    """
    x, y = _mmd_sets(x, y)
    kernel = _mmd_kernel(x, y)
    if kernel is None:
        return 0.0, 1.0
    n, total = len(x), len(x) + len(y)
    observed = np.zeros((1, total))
    observed[0, :n] = 1.0
    mmd2 = float(_mmd_unbiased(kernel, observed)[0])
    if n_permutations <= 0:
        return mmd2, float("nan")
    rng = np.random.default_rng(seed)
    order = rng.permuted(np.tile(np.arange(total), (n_permutations, 1)), axis=1)
    shuffled = np.zeros((n_permutations, total))
    np.put_along_axis(shuffled, order[:, :n], 1.0, axis=1)
    null = _mmd_unbiased(kernel, shuffled)
    return mmd2, float((1 + np.sum(null >= mmd2)) / (1 + n_permutations))


def p_value_text(p: float) -> str:
    """A p-value as a page shows it: three decimals, and '< 0.001' below that."""
    return "< 0.001" if p < 0.001 else f"{p:.3f}"


def precision_recall(real: np.ndarray, fake: np.ndarray, k: int = 3) -> tuple[float, float]:
    """Improved precision and recall (Kynkäänniemi et al., 2019): quality and coverage, apart.

    Each real sample gets a ball reaching to its k-th nearest real neighbour; their
    union estimates the support of the data. Precision is the share of generated
    samples inside that union (are the samples realistic?). Recall swaps the roles:
    the share of real samples inside the union of the generated samples' k-NN
    balls (is all of the data reproduced?). A collapsed generator keeps a high
    precision and loses recall; a blurry one does the opposite.
    """
    real = _finite_samples("real", real, min_rows=k + 1)
    fake = _finite_samples("generated", fake, min_rows=k + 1)
    _same_width(real, fake)
    precision = (_ball_counts(fake, real, _knn_radii(real, k)) > 0).mean()
    recall = (_ball_counts(real, fake, _knn_radii(fake, k)) > 0).mean()
    return float(precision), float(recall)


def density_coverage(real: np.ndarray, fake: np.ndarray, k: int = 5) -> tuple[float, float]:
    """Density and coverage (Naeem et al., 2020): precision and recall that outliers cannot fool.

    Both use only the real samples' k-NN balls, since real data has no outliers
    made by the generator. Density counts, for each generated sample, how many
    real balls contain it, divided by k and averaged: about 1 when fake and real
    match, above 1 when samples crowd into dense regions. Coverage is the share of
    real balls that contain at least one generated sample: about 1 - 2^-k (0.97
    for k = 5) when they match, low when modes are dropped.
    """
    real = _finite_samples("real", real, min_rows=k + 1)
    fake = _finite_samples("generated", fake, min_rows=1)
    _same_width(real, fake)
    radii = _knn_radii(real, k)
    density = _ball_counts(fake, real, radii).sum() / (k * len(fake))
    nearest_fake, _ = NearestNeighbors(n_neighbors=1).fit(fake).kneighbors(real)
    coverage = (nearest_fake[:, 0] <= radii).mean()
    return float(density), float(coverage)
