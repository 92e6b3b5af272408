"""What a GAN snapshot holds: samples, diagnostics, and the arrays the plots draw.

Kept apart from the training code in gan.py, which imports this module (this
one imports only the networks' module, gan_nets): this is the "look at the model"
half (D's output over the plane, where G's gradients push its samples, mode
coverage by the published definitions, the digits judge, precision / recall and
density / coverage against the training data, and on request the two-sample tests).
"""
import numpy as np
import torch

from core import metrics
from core.data.points import plane_bounds
from core.models.gan_nets import SIGMOID_LOSSES, g_loss
from core.protocol import Snapshot

N_POINTS = 2500  # VEEGAN / PacGAN score 2,500 samples
N_DIGITS = 1000
GRID = 40  # heat map resolution per axis (1,600 points: ~2 ms on one CPU thread)
N_ARROWS = 160
N_REAL = 1000  # training rows the samples are scored against (a fixed subsample): k-NN balls and two-sample tests


def snapshot(gan, final: bool = False) -> Snapshot:
    """The model now; the final one also scores precision / recall and density / coverage, which cost
    15-35 ms (k-NN balls over 1,000 real rows and the samples): at every snapshot, a tenth of a ring
    run's training time. The page computes them for any other snapshot on request."""
    snap = _digits_snapshot(gan) if gan.images_ else _points_snapshot(gan)
    if final:
        snap.metrics.update(knn_scores(real_reference(gan), snap.samples.astype(float)))
    return snap


def _points_snapshot(gan) -> Snapshot:
    samples, kept = gan.sample_kept(N_POINTS) if gan.ratio_ is not None else (gan.sample(N_POINTS), None)
    heat = rejection_heatmap(gan) if gan.ratio_ is not None else d_heatmap(gan)
    views = {"heat": heat, "arrows": g_arrows(gan)}
    data = gan.data_
    metrics_ = {}
    if data.means is not None:
        report = metrics.mode_report(samples, data.means, data.sigma)
        metrics_ = {"modes": report.modes_captured, "hq": report.hq_share, "rkl": report.reverse_kl}
        views["mode_histogram"] = report.histogram
        if gan.ratio_ is not None:  # rejection sampling: what G draws on its own, and how much was kept
            raw = metrics.mode_report(gan.sample(N_POINTS, raw=True), data.means, data.sigma)
            metrics_.update(raw_modes=raw.modes_captured, raw_hq=raw.hq_share, raw_rkl=raw.reverse_kl,
                            kept=kept)
    return Snapshot(gan.step_, samples.astype(np.float32), metrics_, views)


def real_reference(gan) -> np.ndarray:
    """The real rows samples are scored against: N_REAL of the training set, the same ones every time."""
    x = gan.data_.x
    if len(x) <= N_REAL:
        return np.asarray(x, dtype=float)
    return np.asarray(x[np.sort(np.random.default_rng(0).choice(len(x), N_REAL, replace=False))], dtype=float)


def knn_scores(real: np.ndarray, samples: np.ndarray) -> dict:
    """Precision and recall (k = 3), density and coverage (k = 5) of the samples against real rows.

    A diverged generator's NaN samples cannot be placed in any ball: they count
    as outside (not realistic, covering nothing), and the scores say so.
    """
    finite = np.isfinite(samples).all(axis=1)
    if finite.sum() < 6:
        return {"precision": 0.0, "recall": 0.0, "density": 0.0, "coverage": 0.0}
    share = finite.mean()
    precision, recall = metrics.precision_recall(real, samples[finite])
    density, coverage = metrics.density_coverage(real, samples[finite])
    return {"precision": float(precision * share), "recall": float(recall), "density": float(density * share),
            "coverage": float(coverage)}


def on_ink_levels(x: np.ndarray) -> np.ndarray:
    """Generated digits rounded to the 17 ink levels real digits take, or a two-sample test spots the fractions."""
    return np.clip(np.round((np.asarray(x, dtype=float) + 1) * 8), 0, 16) / 8 - 1


def two_sample_tests(gan, samples: np.ndarray, seed: int = 0) -> dict:
    """C2ST (accuracy, 95 % band, binomial p-value) and MMD^2 (permutation p-value) of samples against real
    rows, and their precision / recall, density / coverage (a snapshot before the last has none).

    Costly (a forest cross-validated on up to 2,000 rows: measured 0.6-0.7 s
    on a shared 2-core machine, points or digits), so the page runs it on
    request, not at every snapshot. Real rows: `real_reference`. Digits are compared on ink levels.
    """
    real = real_reference(gan)
    fake = np.asarray(samples, dtype=float)
    if gan.images_:
        fake = on_ink_levels(fake)
    n = min(len(real), len(fake))
    accuracy = metrics.c2st_accuracy(real, fake[:n], random_state=seed)
    mmd2, mmd_p = metrics.mmd_test(real, fake, seed=seed)
    low, high = metrics.c2st_band(2 * n)
    return {"c2st": accuracy, "c2st_low": low, "c2st_high": high, "c2st_points": 2 * n,
            "c2st_p": metrics.c2st_p_value(accuracy, 2 * n), "mmd": mmd2, "mmd_p": mmd_p,
            "permutations": metrics.MMD_PERMUTATIONS, **knn_scores(real, np.asarray(samples, dtype=float))}


def _digits_snapshot(gan) -> Snapshot:
    samples = gan.sample(N_DIGITS)
    report = metrics.digits_judge().report(samples)
    metrics_ = {
        "classes_covered": report.classes_covered,
        "class_kl": report.class_kl,
        "diversity": report.diversity,
        "nearest_train_distance": float(np.mean(report.nearest_train_distance)),
        "classifier_accuracy": report.classifier_accuracy,
    }
    views = {"class_histogram": report.class_histogram, "interpolation": gan.interpolate(10),
             "nearest_train_distance": report.nearest_train_distance,
             "real_nearest_distance": metrics.digits_judge().real_nearest_distance_}
    return Snapshot(gan.step_, samples.astype(np.float32), metrics_, views)


def _scores(gan, x_model: torch.Tensor) -> torch.Tensor:
    """D's raw score of each point, as a pack of copies of it, averaged over labels."""
    pack = gan.config.pack
    xs = x_model.repeat_interleave(pack, dim=0)
    if not gan.n_classes_:
        return gan.D_(xs)
    per_label = [gan.D_(xs, torch.full((len(xs),), c, device=xs.device)) for c in range(gan.n_classes_)]
    return torch.stack(per_label).mean(0)


def _lattice(gan) -> tuple[np.ndarray, np.ndarray, torch.Tensor]:
    """A GRID x GRID lattice over the data, with room around it: its axes, and its points in model units."""
    x0, x1, y0, y1 = plane_bounds(gan.data_.x, pad=0.25)
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    pts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    return xs, ys, torch.as_tensor(gan.to_model(pts), device=gan.device_)


@torch.inference_mode()
def d_heatmap(gan) -> dict:
    """D's output on the lattice (a probability for sigmoid losses)."""
    xs, ys, pts = _lattice(gan)
    s = _scores(gan, pts)
    if gan.config.loss in SIGMOID_LOSSES:
        s = torch.sigmoid(s)
    return {"x": xs, "y": ys, "z": s.reshape(GRID, GRID).cpu().numpy()}


REJECTION_FLOOR = -10.0  # log-odds below this (G's points there are all but never kept) draw as one colour


@torch.inference_mode()
def rejection_heatmap(gan) -> dict:
    """After a run with rejection: the calibrated single-point D's log-odds log(p_data / p_G) on the lattice,
    the map the rejection keeps points by (a packed D's map, from packs of copies, says little about points)."""
    xs, ys, pts = _lattice(gan)
    z = gan.ratio_(pts).clamp(min=REJECTION_FLOOR)
    return {"x": xs, "y": ys, "z": z.reshape(GRID, GRID).cpu().numpy(), "words": "rejection"}


def g_arrows(gan) -> dict:
    """Where the generator's loss pushes its samples: -d(G loss)/dx at each sample."""
    n = N_ARROWS - N_ARROWS % gan.config.pack
    with torch.no_grad():
        z, labels = gan.noise(n)
        x = gan.G_(z, labels)
    x.requires_grad_(True)
    loss = g_loss(gan.config.loss, gan.D_(x, labels)) * len(x)  # per-sample gradients, not 1/n of them
    (grad,) = torch.autograd.grad(loss, x)
    pts = gan.from_model(x.detach().cpu().numpy())
    push = -grad.cpu().numpy() * gan.scale_
    return {"x": pts, "push": push}
