"""The GAN's two networks and the losses of the lecture, on D's raw output.

The generator G maps noise z (and, for a conditional GAN, a label) to a
sample; the discriminator (or critic) D scores `pack` samples at once. Every
loss here is written on D's raw score (a logit for the minimax and
non-saturating losses, a critic value for the others). core.models.gan trains
them; core.models.gan_views looks at them.
"""
import copy

import torch
import torch.nn.functional as F
from torch import nn

LOSSES = ("minimax", "non-saturating", "wgan", "wgan-gp", "hinge", "least-squares")
SIGMOID_LOSSES = ("minimax", "non-saturating")  # D's output is a probability only for these


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

    def __init__(self, cfg, dim: int, n_classes: int, images: bool):
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

    def __init__(self, cfg, dim: int, n_classes: int):
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
