"""A GAN small enough to train live: two MLPs and the losses of the lecture.

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
import torch.nn.functional as F
from torch import nn

from core.config import param, with_overrides
from core.data import Dataset
from core.device import resolve_device
from core.errors import ConfigError, DataError, GenLabError, TrainingDiverged
from core.models import torch_weights
from core.protocol import NoLikelihood, Progress, Snapshot
from core.seeding import seeded

LOSSES = ("minimax", "non-saturating", "wgan", "wgan-gp", "hinge", "least-squares")
DATASETS = ("ring8", "grid25", "spiral", "moons", "digits", "upload")
SIGMOID_LOSSES = ("minimax", "non-saturating")  # D's output is a probability only for these


@dataclass
class GANConfig:
    dataset: str = param("ring8", "Data", choices=DATASETS)
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
    beta1: float = param(0.5, "Adam beta1", min=0.0, max=0.999, advanced=True)
    beta2: float = param(0.999, "Adam beta2", min=0.0, max=0.9999, advanced=True)
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
    grad_clip: float = param(0.0, "Gradient clipping (max norm)", min=0.0, max=100.0, advanced=True,
                             help="0 = off")
    weight_clip: float = param(0.01, "WGAN weight clip", min=0.0001, max=1.0, advanced=True, when=("loss", ["wgan"]))
    gp_weight: float = param(10.0, "Gradient penalty weight", min=0.0, max=100.0, advanced=True,
                             when=("loss", ["wgan-gp"]))
    seed: int = param(0, "Seed", min=0, max=2**31 - 1)
    device: str = param("auto", "Device", choices=("auto", "cpu", "cuda", "mps"), advanced=True)
    log_every: int = param(10, "Report every (steps)", min=1, max=1000, advanced=True)
    snapshot_every: int = param(100, "Snapshot every (steps)", min=1, max=10_000, advanced=True)


def mlp_layers(n_in: int, width: int, depth: int, n_out: int, act: nn.Module, sn: bool = False) -> list[nn.Module]:
    """depth hidden layers of `width` units; `sn` wraps each linear layer in spectral norm."""
    wrap = nn.utils.parametrizations.spectral_norm if sn else (lambda m: m)
    layers, n = [], n_in
    for _ in range(depth):
        layers += [wrap(nn.Linear(n, width)), copy.deepcopy(act)]
        n = width
    return layers + [wrap(nn.Linear(n, n_out))]


class Generator(nn.Sequential):
    """An MLP: z (B, latent) [+ one-hot label (B, C)] -> sample (B, D)."""

    def __init__(self, cfg: GANConfig, dim: int, n_classes: int, images: bool):
        super().__init__(*mlp_layers(cfg.latent_dim + n_classes, cfg.g_width, cfg.g_depth, dim, nn.ReLU()))
        self.n_classes = n_classes
        self.images = images  # images live in [-1, 1]: squash with tanh

    def forward(self, z, labels=None):
        if self.n_classes:
            z = torch.cat([z, F.one_hot(labels, self.n_classes).float()], dim=1)
        x = super().forward(z)
        return torch.tanh(x) if self.images else x


class Discriminator(nn.Sequential):
    """An MLP: `pack` samples (and their labels) at once -> one raw score, (B/pack, 1).

    The score is a logit for the minimax and non-saturating losses, a critic
    value for the others.
    """

    def __init__(self, cfg: GANConfig, dim: int, n_classes: int):
        n_in = cfg.pack * (dim + n_classes)
        super().__init__(*mlp_layers(n_in, cfg.d_width, cfg.d_depth, 1, nn.LeakyReLU(0.2), cfg.spectral_norm))
        self.pack, self.n_classes = cfg.pack, n_classes

    def forward(self, x, labels=None):
        if self.n_classes:
            x = torch.cat([x, F.one_hot(labels, self.n_classes).float()], dim=1)
        if self.pack > 1:
            x = x.reshape(-1, self.pack * x.shape[1])  # (B, D) -> (B/pack, pack*D)
        return super().forward(x)


def d_loss(loss: str, real: torch.Tensor, fake: torch.Tensor) -> torch.Tensor:
    """The discriminator's loss on raw scores of real and fake samples."""
    if loss in SIGMOID_LOSSES:  # -log D(x) - log(1 - D(G(z)))
        return F.softplus(-real).mean() + F.softplus(fake).mean()
    if loss in ("wgan", "wgan-gp"):  # the critic maximises E[D(x)] - E[D(G(z))]
        return fake.mean() - real.mean()
    if loss == "hinge":
        return F.relu(1 - real).mean() + F.relu(1 + fake).mean()
    return 0.5 * ((real - 1) ** 2).mean() + 0.5 * (fake**2).mean()  # least squares


def g_loss(loss: str, fake: torch.Tensor) -> torch.Tensor:
    """The generator's loss on D's raw scores of its samples."""
    if loss == "minimax":  # minimise log(1 - D(G(z))) = -softplus(logit): saturates when D wins
        return -F.softplus(fake).mean()
    if loss == "non-saturating":  # minimise -log D(G(z))
        return F.softplus(-fake).mean()
    if loss == "least-squares":
        return 0.5 * ((fake - 1) ** 2).mean()
    return -fake.mean()  # wgan, wgan-gp, hinge


def gradient_penalty(D: nn.Module, real, fake, labels, gen: torch.Generator) -> torch.Tensor:
    """WGAN-GP (Gulrajani et al. 2017): (||grad D(x_hat)|| - 1)^2 between real and fake."""
    eps = torch.rand(real.shape[0], 1, device=real.device, generator=gen)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    scores = D(x_hat, labels)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    grad = grad.reshape(-1, D.pack * grad.shape[1])  # a packed sample is one input to D
    return ((grad.norm(dim=1) - 1) ** 2).mean()


class GAN:
    """A GAN with the GenLab protocol: `fit` yields progress, `sample` draws points."""

    def __init__(self, config: GANConfig | None = None):
        self.config = config or GANConfig()
        self.step_ = 0

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

    def _init(self, data: Dataset) -> None:
        """Build networks and optimisers for this data (once; later fits continue)."""
        self.check(data)
        cfg = self.config
        self.device_ = resolve_device(cfg.device)
        self.images_ = data.kind == "images"
        self.n_classes_ = data.n_classes if cfg.conditional else 0
        # Points are trained standardised by one scale, so upload units don't matter.
        self.shift_ = 0.0 if self.images_ else data.x.mean(axis=0)
        self.scale_ = 1.0 if self.images_ else float(data.x.std(axis=0).max())
        with seeded(cfg.seed):
            self.G = Generator(cfg, data.dim, self.n_classes_, self.images_).to(self.device_)
            self.D = Discriminator(cfg, data.dim, self.n_classes_).to(self.device_)
        self.G_ema = copy.deepcopy(self.G).requires_grad_(False) if cfg.ema else self.G
        betas = (cfg.beta1, cfg.beta2)
        fused = self.device_ in ("cpu", "cuda")  # one kernel per step instead of one per tensor
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=cfg.lr_g, betas=betas, fused=fused)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=cfg.lr_d, betas=betas, fused=fused)
        self.grad_norms_ = {}
        self.gen_ = torch.Generator(self.device_).manual_seed(cfg.seed)
        self.x_ = torch.as_tensor(self._to_model(data.x), device=self.device_)
        self.y_ = torch.as_tensor(data.labels, device=self.device_) if self.n_classes_ else None
        self.data_ = data
        self._good = self._state()

    def _to_model(self, x):
        return ((x - self.shift_) / self.scale_).astype(np.float32)

    def _from_model(self, x):
        return x * self.scale_ + self.shift_

    def _state(self) -> dict:
        """A copy of everything training changes, to go back to if a loss blows up."""
        parts = {"G": self.G, "D": self.D, "opt_g": self.opt_g, "opt_d": self.opt_d}
        if self.G_ema is not self.G:
            parts["G_ema"] = self.G_ema
        return {"step": self.step_, **{k: copy.deepcopy(v.state_dict()) for k, v in parts.items()}}

    def _restore(self, state: dict) -> None:
        for k, v in state.items():
            if k != "step":
                getattr(self, k).load_state_dict(v)
        self.step_ = state["step"]

    # -- one step ----------------------------------------------------------
    def _batch(self):
        idx = torch.randint(len(self.x_), (self.config.batch_size,), device=self.device_, generator=self.gen_)
        return self.x_[idx], (self.y_[idx] if self.y_ is not None else None)

    def _noise(self, n: int):
        z = torch.randn(n, self.config.latent_dim, device=self.device_, generator=self.gen_)
        labels = None
        if self.n_classes_:
            labels = torch.randint(self.n_classes_, (n,), device=self.device_, generator=self.gen_)
        return z, labels

    def _d_step(self, measure: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        cfg = self.config
        real, labels = self._batch()
        z, _ = self._noise(len(real))
        with torch.no_grad():
            fake = self.G(z, labels)  # D sees fakes with the real batch's labels
        s_real, s_fake = self.D(real, labels), self.D(fake, labels)
        loss = d_loss(cfg.loss, s_real, s_fake)
        if cfg.loss == "wgan-gp":
            loss = loss + cfg.gp_weight * gradient_penalty(self.D, real, fake, labels, self.gen_)
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self._clip(self.D, "D", measure)
        self.opt_d.step()
        if cfg.loss == "wgan":  # Arjovsky et al. 2017: keep the critic Lipschitz by clipping weights
            with torch.no_grad():
                for p in self.D.parameters():
                    p.clamp_(-cfg.weight_clip, cfg.weight_clip)
        return loss.detach(), s_real.detach(), s_fake.detach()  # averaged per report, not per step

    def _g_step(self, measure: bool = False) -> torch.Tensor:
        cfg = self.config
        z, labels = self._noise(cfg.batch_size)
        loss = g_loss(cfg.loss, self.D(self.G(z, labels), labels))
        self.opt_g.zero_grad(set_to_none=True)
        loss.backward()
        self._clip(self.G, "G", measure)
        self.opt_g.step()
        if cfg.ema:
            with torch.no_grad():
                torch._foreach_lerp_(list(self.G_ema.parameters()), list(self.G.parameters()), 1 - cfg.ema)
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
    def fit(self, data: Dataset, steps: int | None = None) -> Iterator[Progress]:
        """Train `steps` more generator steps (config.steps if None), reporting as it goes.

        Every `log_every` steps: a Progress with averaged losses. Every
        `snapshot_every` steps (and at the end): a Snapshot with samples and
        diagnostics. A NaN or inf loss puts the model back to its last good
        snapshot and raises TrainingDiverged. With `lr_decay` on, the learning
        rates fall linearly over the last share of this call's steps.
        """
        if getattr(self, "data_", None) is not data:
            self._init(data)
        cfg = self.config
        total = self.step_ + (steps or cfg.steps)
        if self.step_ == 0:
            yield Progress(0, total, {}, snapshot=self.snapshot())
        window, start = [], self.step_
        while self.step_ < total:
            self._decay_lr(start, total)
            measure = (self.step_ + 1) % cfg.log_every == 0 or self.step_ + 1 == total  # a report step
            for k in range(cfg.d_steps):
                d = self._d_step(measure and k == cfg.d_steps - 1)
            window.append((*d, self._g_step(measure)))
            self.step_ += 1
            if self.step_ % cfg.log_every == 0 or self.step_ == total:
                yield self._report(window, total)
                window = []

    def _decay_lr(self, start: int, total: int) -> None:
        """With lr_decay on, scale both learning rates linearly to 0 over the run's last share."""
        share = self.config.lr_decay
        if not share:
            return
        factor = min(1.0, (total - self.step_) / max(1.0, share * (total - start)))
        for opt, lr in ((self.opt_g, self.config.lr_g), (self.opt_d, self.config.lr_d)):
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
            snap = self.snapshot()
            self._good = self._state()
        return Progress(self.step_, total, losses, metrics=snap.metrics if snap else {}, snapshot=snap)

    @torch.inference_mode()
    def sample(self, n: int, labels: np.ndarray | None = None) -> np.ndarray:
        """n samples from the generator (the averaged one when EMA is on)."""
        z, rand_labels = self._noise(n)
        if self.n_classes_ and labels is not None:
            rand_labels = torch.as_tensor(labels, device=self.device_)
        out = self.G_ema(z, rand_labels).cpu().numpy()
        return self._from_model(out)

    def log_likelihood(self, x: np.ndarray) -> float:
        raise NoLikelihood("A GAN is an implicit model: it can sample, but it defines no likelihood to evaluate.")

    @torch.inference_mode()
    def interpolate(self, n: int = 10, seed: int = 0) -> np.ndarray:
        """Samples along the straight line between two latent points (same label if conditional)."""
        g = torch.Generator(self.device_).manual_seed(seed)
        z0, z1 = torch.randn(2, self.config.latent_dim, device=self.device_, generator=g)
        t = torch.linspace(0, 1, n, device=self.device_)[:, None]
        labels = torch.full((n,), seed % max(self.n_classes_, 1), device=self.device_) if self.n_classes_ else None
        return self._from_model(self.G_ema((1 - t) * z0 + t * z1, labels).cpu().numpy())

    # -- weights ------------------------------------------------------------
    WEIGHTS_FORMAT = "genlab-gan-1"

    def save_weights(self) -> bytes:
        """The networks (torch state_dicts), the step and the settings that shape them, as one .pt file.

        Only tensors, numbers and strings: torch.load(..., weights_only=True) reads it
        back without unpickling arbitrary objects.
        """
        nets = {"G": self.G.state_dict(), "D": self.D.state_dict()}
        if self.G_ema is not self.G:
            nets["G_ema"] = self.G_ema.state_dict()
        return torch_weights.dump(self.WEIGHTS_FORMAT, self.config, self.step_, **nets, scale=float(self.scale_),
                                  shift=torch.as_tensor(np.asarray(self.shift_, dtype=np.float32)))

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["GAN", Dataset]:
        """A trained GAN back from save_weights' bytes; `load_data(config)` gives its data set."""
        state = torch_weights.load(raw, cls.WEIGHTS_FORMAT, "gan.not_weights", "gan.not_gan_weights")
        try:
            model = cls(with_overrides(GANConfig(), torch_weights.settings(state)))
            data = load_data(model.config)
            model._init(data)
            for name in ("G", "D", "G_ema"):
                if name in state and hasattr(model, name):
                    getattr(model, name).load_state_dict(state[name])
        except GenLabError:
            raise
        except (KeyError, RuntimeError, TypeError, ValueError) as err:
            raise DataError("gan.weights_mismatch", kind=type(err).__name__) from None
        model.shift_, model.scale_ = state["shift"].numpy(), float(state["scale"])
        model.x_ = torch.as_tensor(model._to_model(data.x), device=model.device_)
        model.step_ = int(state["step"])
        model._good = model._state()
        return model, data

    def snapshot(self) -> Snapshot:
        from core.models import gan_views

        return gan_views.snapshot(self)


def load_data(config: GANConfig, upload: bytes | None = None) -> Dataset:
    """The training set the config names; 'upload' goes through the validated CSV loader."""
    from core.data import digits, points, upload as uploads

    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("gan.upload_missing")
        return uploads.load_points_csv(upload)
    makers = {"ring8": points.ring_of_gaussians, "grid25": points.grid_of_gaussians,
              "spiral": points.spiral, "moons": points.two_moons}
    if config.dataset == "digits":
        return digits.digits()
    return makers[config.dataset](seed=config.seed)
