"""What a GAN snapshot holds: samples, diagnostics, and the arrays the plots draw.

Kept apart from the training code in gan.py, which imports this module (this
one imports only the networks' module, gan_nets): this is the "look at the model"
half (D's output over the plane, where G's gradients push its samples, mode
coverage by the published definitions, the digits judge).
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


def snapshot(gan) -> Snapshot:
    if gan.images_:
        return _digits_snapshot(gan)
    return _points_snapshot(gan)


def _points_snapshot(gan) -> Snapshot:
    samples = gan.sample(N_POINTS)
    views = {"heat": d_heatmap(gan), "arrows": g_arrows(gan)}
    data = gan.data_
    metrics_ = {}
    if data.means is not None:
        report = metrics.mode_report(samples, data.means, data.sigma)
        metrics_ = {"modes": report.modes_captured, "hq": report.hq_share, "rkl": report.reverse_kl}
        views["mode_histogram"] = report.histogram
    return Snapshot(gan.step_, samples.astype(np.float32), metrics_, views)


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


@torch.inference_mode()
def d_heatmap(gan) -> dict:
    """D's output on a GRID x GRID lattice over the data (a probability for sigmoid losses)."""
    x0, x1, y0, y1 = plane_bounds(gan.data_.x, pad=0.25)  # room around the data for D's map
    xs, ys = np.linspace(x0, x1, GRID), np.linspace(y0, y1, GRID)
    pts = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
    s = _scores(gan, torch.as_tensor(gan.to_model(pts), device=gan.device_))
    if gan.config.loss in SIGMOID_LOSSES:
        s = torch.sigmoid(s)
    return {"x": xs, "y": ys, "z": s.reshape(GRID, GRID).cpu().numpy()}


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
