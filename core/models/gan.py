"""A GAN small enough to train live: two MLPs (core.models.gan_nets) and the losses of the lecture.

The generator G maps noise z (and, for a conditional GAN, a label) to a sample;
the discriminator (or critic) D scores samples. Goodfellow et al. (2014) train
them on the minimax value function

    min_G max_D  E_x[log D(x)] + E_z[log(1 - D(G(z)))]

whose generator term saturates when D rejects G's samples easily, which is why
everyone trains G with the non-saturating loss -log D(G(z)) instead. The other
losses (WGAN, WGAN-GP, hinge, least squares) change what D measures. Every loss
here is written on D's raw output (a logit, or a critic score).
"""
import copy
import math
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
from torch import nn

from core.config import device_param, log_every_param, param, seed_param, snapshot_every_param
from core.data import Dataset, digits, points, upload as uploads
from core.device import resolve_device
from core.errors import ConfigError, TrainingDiverged
from core.models import gan_rejection, gan_views, torch_weights
from core.models.base import Lab
from core.models.gan_nets import LOSSES, SIGMOID_LOSSES, Discriminator, Generator, d_loss, g_loss, gradient_penalty
from core.protocol import NoLikelihood, Progress, Snapshot
from core.seeding import seeded

DATASETS = ("ring8", "grid25", "spiral", "moons", "digits", "upload")
OPTIMIZERS = ("adam", "sgd")


@dataclass
class GANConfig:
    dataset: str = param("ring8", "Data", choices=DATASETS)
    outliers: float = param(0.0, "Outliers in the training data (share)", min=0.0, max=0.9, step=0.05,
                            help="this share of the training rows replaced by junk (points spread over a box half "
                                 "as wide again as the data; digits of random ink); the diagnostics still judge "
                                 "against the true modes")
    loss: str = param("non-saturating", "Loss", choices=LOSSES,
                      help="minimax is the saturating log(1 - D(G(z))) the notes print")
    steps: int = param(2000, "Generator steps", min=1, max=100_000, step=100)
    batch_size: int = param(256, "Batch size", min=8, max=4096, step=8)
    latent_dim: int = param(16, "Latent dimension", min=1, max=128)
    g_width: int = param(128, "G width", min=8, max=1024, step=8)
    g_depth: int = param(3, "G hidden layers", min=1, max=8)
    d_width: int = param(128, "D width", min=8, max=1024, step=8)
    d_depth: int = param(3, "D hidden layers", min=1, max=8)
    lr_g: float = param(1e-4, "G learning rate", min=1e-6, max=1.0, log=True)
    lr_d: float = param(1e-4, "D learning rate", min=1e-6, max=1.0, log=True)
    optimizer: str = param("adam", "Optimiser", choices=OPTIMIZERS, advanced=True,
                           help="Adam (Kingma & Ba 2015), or plain SGD (no momentum: each weight moves by "
                                "the learning rate times its gradient); both networks use it")
    beta1: float = param(0.5, "Adam beta1", min=0.0, max=0.999, advanced=True, when=("optimizer", ["adam"]))
    beta2: float = param(0.999, "Adam beta2", min=0.0, max=0.9999, advanced=True, when=("optimizer", ["adam"]))
    d_steps: int = param(1, "Critic steps per G step", min=1, max=10)
    spectral_norm: bool = param(False, "Spectral norm in D")
    conditional: bool = param(False, "Conditional GAN (labels)",
                              help="digit labels, or the mode index of a mixture")
    pack: int = param(1, "Packing (PacGAN)", min=1, max=8,
                      help="D judges this many samples at once, which punishes collapse")
    ema: float = param(0.0, "EMA of G's weights", min=0.0, max=0.9999, advanced=True,
                       help="0 = off; samples come from the averaged generator")
    lr_decay: float = param(0.0, "Learning-rate decay (last share of steps)", min=0.0, max=1.0, advanced=True,
                            help="0 = off; over this last share of a run's steps both learning rates "
                                 "fall linearly towards 0, which settles G and sharpens its samples")
    rejection: bool = param(False, "Discriminator rejection sampling",
                            help="after the last step, a fresh D that judges single points learns for 500 steps to "
                                 "tell real points from G's; samples then keep each of G's points with a probability "
                                 "set by its odds of being real (Azadi et al. 2019). G itself does not change")
    grad_clip: float = param(0.0, "Gradient clipping (max norm)", min=0.0, max=100.0, advanced=True,
                             help="0 = off")
    weight_clip: float = param(0.01, "WGAN weight clip", min=0.0001, max=1.0, advanced=True, when=("loss", ["wgan"]))
    gp_weight: float = param(10.0, "Gradient penalty weight", min=0.0, max=100.0, advanced=True,
                             when=("loss", ["wgan-gp"]))
    seed: int = seed_param()
    device: str = device_param()
    log_every: int = log_every_param()
    snapshot_every: int = snapshot_every_param()


class GAN(Lab):
    """A GAN with the GenLab protocol: `fit` yields progress, `sample` draws points or digits.

    Attributes
    ----------
    G_, D_ : Generator, Discriminator
        The two networks; `G_ema_` is G's running average when `ema` is on (else G_ itself).
    opt_g_, opt_d_ : torch.optim.Adam or torch.optim.SGD
        Their optimisers (the config's `optimizer`).
    images_ : bool
        The data are 8x8 images in [-1, 1] (G ends in tanh).
    n_classes_ : int
        Labels G and D are conditioned on (0: unconditional).
    shift_, scale_ : array, float
        Points train standardised: x_model = (x - shift_) / scale_.
    grad_norms_ : dict
        The norm of each network's gradient at the last report step, before clipping.
    ratio_ : RatioNet or None
        With `rejection` on, the single-point D calibrated against G after a run's last step; samples
        then go through rejection (core.models.gan_rejection). None while G is still training.
    step_, data_, device_ : see `Lab`.
    """

    Config = GANConfig
    FAMILY = "gan"
    WEIGHTS_FORMAT, WEIGHTS_SUFFIX = "genlab-gan-1", "pt"
    WEIGHTS_ERRORS = ("gan.not_weights", "gan.not_gan_weights", "gan.weights_mismatch")

    # -- setup -------------------------------------------------------------
    def check(self, data: Dataset) -> None:
        """Refuse impossible combinations of settings and data before any training."""
        cfg = self.config
        resolve_device(cfg.device)  # 'cuda' on a machine without one is refused here, in words
        if cfg.conditional and not data.n_classes:
            raise ConfigError("gan.conditional_without_labels", name=data.name)
        if cfg.batch_size % cfg.pack:
            raise ConfigError("gan.batch_not_packable", batch=cfg.batch_size, pack=cfg.pack)
        if len(data.x) < cfg.pack:
            raise ConfigError("gan.fewer_rows_than_pack")
        if cfg.rejection and (data.kind == "images" or cfg.conditional):
            raise ConfigError("gan.rejection_points_only")

    def _initialise(self, data: Dataset) -> None:
        """Build networks and optimisers for this data (once; later fits continue)."""
        cfg = self.config
        self.device_ = resolve_device(cfg.device)
        self.images_ = data.kind == "images"
        self.n_classes_ = data.n_classes if cfg.conditional else 0
        # Points are trained standardised by one scale, so upload units don't matter.
        self.shift_ = 0.0 if self.images_ else data.x.mean(axis=0)
        self.scale_ = 1.0 if self.images_ else float(data.x.std(axis=0).max())
        with seeded(cfg.seed):
            self.G_ = Generator(cfg, data.dim, self.n_classes_, self.images_).to(self.device_)
            self.D_ = Discriminator(cfg, data.dim, self.n_classes_).to(self.device_)
        self.G_ema_ = copy.deepcopy(self.G_).requires_grad_(False) if cfg.ema else self.G_
        self.opt_g_ = self._optimiser(self.G_, cfg.lr_g)
        self.opt_d_ = self._optimiser(self.D_, cfg.lr_d)
        self.grad_norms_ = {}
        self.ratio_ = None
        self.gen_ = torch.Generator(self.device_).manual_seed(cfg.seed)
        self.y_ = torch.as_tensor(data.labels, device=self.device_) if self.n_classes_ else None
        self._set_data(data)

    def _optimiser(self, net: nn.Module, lr: float) -> torch.optim.Optimizer:
        """Adam with the config's betas, or plain SGD: w <- w - lr * grad, no momentum."""
        cfg = self.config
        if cfg.optimizer == "sgd":
            return torch.optim.SGD(net.parameters(), lr=lr)
        fused = self.device_ in ("cpu", "cuda")  # one kernel per step instead of one per tensor
        return torch.optim.Adam(net.parameters(), lr=lr, betas=(cfg.beta1, cfg.beta2), fused=fused)

    def _set_data(self, data: Dataset) -> None:
        """The training set on the device, in the model's units; the state to go back to."""
        self.x_ = torch.as_tensor(self.to_model(data.x), device=self.device_)
        self._good = self._state()

    def to_model(self, x: np.ndarray) -> np.ndarray:
        """Data units -> the standardised units G and D work in."""
        return ((x - self.shift_) / self.scale_).astype(np.float32)

    def from_model(self, x: np.ndarray) -> np.ndarray:
        """The model's units -> data units."""
        return x * self.scale_ + self.shift_

    def _nets(self) -> dict:
        """Everything training changes, by name (G's average only when it is its own network)."""
        parts = {"G_": self.G_, "D_": self.D_, "opt_g_": self.opt_g_, "opt_d_": self.opt_d_}
        if self.G_ema_ is not self.G_:
            parts["G_ema_"] = self.G_ema_
        return parts

    def _state(self) -> dict:
        """A copy of everything training changes, to go back to if a loss blows up."""
        return {"step": self.step_, **{k: copy.deepcopy(v.state_dict()) for k, v in self._nets().items()}}

    def _restore(self, state: dict) -> None:
        for k, net in self._nets().items():
            net.load_state_dict(state[k])
        self.step_ = state["step"]

    # -- one step ----------------------------------------------------------
    def _batch(self):
        idx = torch.randint(len(self.x_), (self.config.batch_size,), device=self.device_, generator=self.gen_)
        return self.x_[idx], (self.y_[idx] if self.y_ is not None else None)

    def noise(self, n: int):
        """n latent points z (n, latent_dim), and random labels (n,) for a conditional GAN (else None)."""
        z = torch.randn(n, self.config.latent_dim, device=self.device_, generator=self.gen_)
        labels = None
        if self.n_classes_:
            labels = torch.randint(self.n_classes_, (n,), device=self.device_, generator=self.gen_)
        return z, labels

    def _d_step(self, measure: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        cfg = self.config
        real, labels = self._batch()
        z, _ = self.noise(len(real))
        with torch.no_grad():
            fake = self.G_(z, labels)  # D sees fakes with the real batch's labels
        s_real, s_fake = self.D_(real, labels), self.D_(fake, labels)
        loss = d_loss(cfg.loss, s_real, s_fake)
        if cfg.loss == "wgan-gp":
            loss = loss + cfg.gp_weight * gradient_penalty(self.D_, real, fake, labels, self.gen_)
        self.opt_d_.zero_grad(set_to_none=True)
        loss.backward()
        self._clip(self.D_, "D", measure)
        self.opt_d_.step()
        if cfg.loss == "wgan":  # Arjovsky et al. 2017: keep the critic Lipschitz by clipping weights
            with torch.no_grad():
                for p in self.D_.parameters():
                    p.clamp_(-cfg.weight_clip, cfg.weight_clip)
        return loss.detach(), s_real.detach(), s_fake.detach()  # averaged per report, not per step

    def _g_step(self, measure: bool = False) -> torch.Tensor:
        cfg = self.config
        z, labels = self.noise(cfg.batch_size)
        loss = g_loss(cfg.loss, self.D_(self.G_(z, labels), labels))
        self.opt_g_.zero_grad(set_to_none=True)
        loss.backward()
        self._clip(self.G_, "G", measure)
        self.opt_g_.step()
        if cfg.ema:
            with torch.no_grad():
                torch._foreach_lerp_(list(self.G_ema_.parameters()), list(self.G_.parameters()), 1 - cfg.ema)
        return loss.detach()

    def _clip(self, net: nn.Module, name: str, measure: bool) -> None:
        """Clip the gradient's norm when asked; on report steps, keep the norm before clipping."""
        if self.config.grad_clip:
            norm = nn.utils.clip_grad_norm_(net.parameters(), self.config.grad_clip)
        elif measure:
            norm = nn.utils.get_total_norm([p.grad for p in net.parameters() if p.grad is not None])
        else:
            return
        if measure:
            self.grad_norms_[f"grad norm {name}"] = norm.detach()

    # -- the protocol ------------------------------------------------------
    def _train(self, steps: int) -> Iterator[Progress]:
        """Train `steps` more generator steps, reporting as it goes.

        Every `log_every` steps: a Progress with averaged losses. Every
        `snapshot_every` steps (and at the end): a Snapshot with samples and
        diagnostics. A NaN or inf loss puts the model back to its last good
        snapshot and raises TrainingDiverged. With `lr_decay` on, the learning
        rates fall linearly over the last share of this call's steps.
        """
        cfg = self.config
        total = self.step_ + steps
        if self.step_ == 0:
            yield Progress(0, total, {}, snapshot=self.snapshot())
        window, start = [], self.step_
        self.ratio_ = None  # G is about to move: the calibrated D no longer describes it
        while self.step_ < total:
            self._decay_lr(start, total)
            measure = (self.step_ + 1) % cfg.log_every == 0 or self.step_ + 1 == total  # a report step
            for k in range(cfg.d_steps):
                d = self._d_step(measure and k == cfg.d_steps - 1)
            window.append((*d, self._g_step(measure)))
            self.step_ += 1
            if self.step_ == total and cfg.rejection:
                self.ratio_ = gan_rejection.calibrate(self)
            if self.step_ % cfg.log_every == 0 or self.step_ == total:
                yield self._report(window, total)
                window = []

    def _decay_lr(self, start: int, total: int) -> None:
        """With lr_decay on, scale both learning rates linearly to 0 over the run's last share."""
        share = self.config.lr_decay
        if not share:
            return
        factor = min(1.0, (total - self.step_) / max(1.0, share * (total - start)))
        for opt, lr in ((self.opt_g_, self.config.lr_g), (self.opt_d_, self.config.lr_d)):
            for group in opt.param_groups:
                group["lr"] = lr * factor

    def _report(self, window: list, total: int) -> Progress:
        columns = zip(*window)  # per-step tensors -> one mean per quantity, one sync per report
        d_loss_, s_real, s_fake, g_loss_ = torch.stack([torch.stack(c).mean() for c in columns]).tolist()
        if not all(map(math.isfinite, (d_loss_, g_loss_, s_real, s_fake))) or abs(g_loss_) > 1e12:
            bad_step = self.step_
            self._restore(self._good)
            raise TrainingDiverged(bad_step, "gan.diverged", good=self.step_)
        if self.config.loss in SIGMOID_LOSSES:  # report D's outputs as probabilities
            s_real, s_fake = 1 / (1 + math.exp(-s_real)), 1 / (1 + math.exp(-s_fake))
        losses = {"D loss": d_loss_, "G loss": g_loss_, "D(real)": s_real, "D(fake)": s_fake,
                  **{k: v.item() for k, v in self.grad_norms_.items()}}
        snap = None
        if self.step_ % self.config.snapshot_every == 0 or self.step_ == total:
            snap = self.snapshot(final=self.step_ == total)
            self._good = self._state()
        return self._progress(total, losses, snap)

    def snapshot(self, final: bool = False) -> Snapshot:
        """Samples and diagnostics now: mode coverage and D's map for points, the digits judge for images."""
        return gan_views.snapshot(self, final)

    @torch.inference_mode()
    def sample(self, n: int, labels: np.ndarray | None = None, raw: bool = False) -> np.ndarray:
        """n samples from the generator (the averaged one when EMA is on); through rejection sampling
        once a run with `rejection` on has ended, unless `raw`."""
        self.check_fitted()
        if self.ratio_ is not None and not raw:
            return self.sample_kept(n)[0]
        z, rand_labels = self.noise(n)
        if self.n_classes_ and labels is not None:
            rand_labels = torch.as_tensor(labels, device=self.device_)
        out = self.G_ema_(z, rand_labels).cpu().numpy()
        return self.from_model(out)

    def sample_kept(self, n: int) -> tuple[np.ndarray, float]:
        """n samples through rejection sampling (a run with `rejection` on has ended), and the share of
        G's candidate points it kept."""
        out, share = gan_rejection.sample(self, self.ratio_, n)
        return self.from_model(out.cpu().numpy()), share

    def log_likelihood(self, x: np.ndarray) -> float:
        raise NoLikelihood("A GAN is an implicit model: it can sample, but it defines no likelihood to evaluate.")

    @torch.inference_mode()
    def interpolate(self, n: int = 10, seed: int = 0) -> np.ndarray:
        """Samples along the straight line between two latent points (same label if conditional)."""
        g = torch.Generator(self.device_).manual_seed(seed)
        z0, z1 = torch.randn(2, self.config.latent_dim, device=self.device_, generator=g)
        t = torch.linspace(0, 1, n, device=self.device_)[:, None]
        labels = torch.full((n,), seed % max(self.n_classes_, 1), device=self.device_) if self.n_classes_ else None
        return self.from_model(self.G_ema_((1 - t) * z0 + t * z1, labels).cpu().numpy())

    # -- weights ------------------------------------------------------------
    def save_weights(self) -> bytes:
        """The networks (torch state_dicts), the step and the settings that shape them, as one .pt file."""
        nets = {k.rstrip("_"): v.state_dict() for k, v in self._nets().items() if not k.startswith("opt")}
        if self.ratio_ is not None:
            nets["ratio"] = self.ratio_.state_dict()
        return torch_weights.save(self, **nets, scale=float(self.scale_),
                                  shift=torch.as_tensor(np.asarray(self.shift_, dtype=np.float32)))

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["GAN", Dataset]:
        return torch_weights.restore(cls, raw, load_data)

    def _load_weights(self, state: dict, data: Dataset) -> None:
        """torch_weights.restore's hook: the saved networks and units onto a freshly built GAN."""
        for name in ("G", "D", "G_ema"):
            if name in state and f"{name}_" in self._nets():
                self._nets()[f"{name}_"].load_state_dict(state[name])
        if "ratio" in state:
            self.ratio_ = gan_rejection.RatioNet(data.dim).to(self.device_)
            self.ratio_.load_state_dict(state["ratio"])
            self.ratio_.requires_grad_(False).eval()
        self.shift_, self.scale_ = state["shift"].numpy(), float(state["scale"])
        self._set_data(data)


LAB = GAN  # what core.families builds for this family


def load_data(config: GANConfig, upload: bytes | None = None) -> Dataset:
    """The training set the config names, with `outliers` of its rows made junk (core.data.contamination)."""
    data = _clean_data(config, upload)
    if not config.outliers:
        return data
    from dataclasses import replace

    from core.data.contamination import with_outliers
    from core.i18n import Words

    x = with_outliers(data.x, config.outliers, config.seed, ink=data.kind == "images")
    note = Words("quality.note.outliers", {"level": config.outliers})
    return replace(data, x=x, notes=tuple(data.notes) + (note,))


def _clean_data(config: GANConfig, upload: bytes | None = None) -> Dataset:
    """The training set the config names; 'upload' goes through the validated CSV loader."""
    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("gan.upload_missing")
        return uploads.load_points_csv(upload)
    makers = {"ring8": points.ring_of_gaussians, "grid25": points.grid_of_gaussians,
              "spiral": points.spiral, "moons": points.two_moons}
    if config.dataset == "digits":
        return digits.digits()
    return makers[config.dataset](seed=config.seed)
