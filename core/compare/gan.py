"""The GAN entrant: the GAN lab's own model (core.models.gan), on points, digits or one-hot rows.

A GAN is implicit: it can sample, but it defines no likelihood, so its
log-likelihood cell says so. On a table it learns the one-hot encoding of each
row and a sample is decoded by the largest output of each column's block (a
common trick, and a weak one: the generator's outputs are continuous, the
data is not). On a stream of symbols it does not play (no "sequences" in `PLAYS`).
"""
from dataclasses import dataclass

import numpy as np

from core.compare.base import Entrant, EntrantConfig
from core.compare.encoding import Floats, OneHot, Pixels
from core.config import param, seed_param
from core.data import Dataset
from core.device import resolve_device
from core.i18n import text
from core.models.gan import GAN, GANConfig
from core.protocol import NoLikelihood, Snapshot


class _QuietGAN(GAN):
    """The lab's GAN without its 2-D views: the arena scores it once, at the end."""

    def snapshot(self, final: bool = False) -> Snapshot:
        return Snapshot(self.step_, np.empty((0, 0), np.float32))


class GANEntrant(Entrant):
    """The GAN lab's model, `gan_`, trained on `points_`: points, digits or one-hot rows.
    It samples, but defines no likelihood."""

    family, library = "gan", "torch (GAN lab model)"
    curve = "G loss"  # the series the page draws live
    ON_TORCH = True  # trains on the arena's device (the lab's GAN resolves it)

    @dataclass
    class Config(EntrantConfig):
        steps: int = param(2000, "Generator steps", min=1, max=50_000, step=100)
        lr_g: float = param(1.5e-3, "G learning rate", min=1e-5, max=1e-1, log=True)
        lr_d: float = param(6e-3, "D learning rate", min=1e-5, max=1e-1, log=True)
        latent_dim: int = param(4, "Latent dimension", min=1, max=64)
        width: int = param(128, "Width of G and D", min=8, max=512, step=8)
        seed: int = seed_param()

    PLAYS = {"points": lambda cfg: Floats(), "digits": lambda cfg: Pixels(), "tabular": lambda cfg: OneHot()}

    def _start_rows(self, encoding) -> None:
        cfg = self.config
        self.points_ = Dataset(self.data_.name, encoding.train_.astype(np.float32),
                             kind="images" if encoding.images else "points")
        self.gan_ = _QuietGAN(GANConfig(
            dataset="upload", loss="non-saturating", steps=cfg.steps, batch_size=256, latent_dim=cfg.latent_dim,
            g_width=cfg.width, d_width=cfg.width, lr_g=cfg.lr_g, lr_d=cfg.lr_d, lr_decay=0.5, seed=cfg.seed,
            device=self.device, log_every=20, snapshot_every=10**9))
        self.gan_.check(self.points_)
        self.device_ = resolve_device(self.device)  # said on the scoreboard even if training fails

    def _train(self, steps: int):
        for event in self.gan_.fit(self.points_, steps):
            self.step_ = self.gan_.step_
            self.device_ = self.gan_.device_
            event.snapshot = None
            yield event

    def _sample(self, n: int) -> np.ndarray:
        return self.gan_.sample(n)

    def _log_p(self, z: np.ndarray) -> np.ndarray:
        raise NoLikelihood(text("en", "compare.note.implicit"))

    def n_params(self) -> int:
        return sum(p.numel() for p in self.gan_.G_.parameters())  # D is scaffolding: it is not the model


ENTRANT = GANEntrant
