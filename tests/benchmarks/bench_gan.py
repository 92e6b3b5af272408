"""GAN lab vs a bare torch loop: same networks, batch, loss and optimiser, same run.

    python tests/benchmarks/bench_gan.py [--steps 1500] [--rounds 3] [--preset ring8-collapse]

The lab's number includes everything the page pays for: progress events,
history, snapshots (2,500 samples, D's heat map, G's arrows, mode metrics)
and the last-good-state copies. Rounds alternate lab and bare (and which goes first) so that a noisy
shared machine hurts both alike; the median ratio is reported.
"""
import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from core.device import configure_torch, describe_device  # noqa: E402
from core.jobs import Limiter, TrainingJob  # noqa: E402
from core.models.gan import GAN, load_data  # noqa: E402
from core.presets import build_config  # noqa: E402
from tests.benchmarks.paired import Rounds, alternate, ratio_table, steps_for  # noqa: E402
from tests.benchmarks.report import Row, ratio_row  # noqa: E402


def bare_mlp(n_in, width, depth, n_out, act):
    layers, n = [], n_in
    for _ in range(depth):
        layers += [nn.Linear(n, width), act()]
        n = width
    return nn.Sequential(*layers, nn.Linear(n, n_out))


def bare_loop(cfg, x: torch.Tensor, steps: int) -> float:
    """The textbook non-saturating GAN loop (the same fused Adam as the lab), nothing else. Steps/s."""
    torch.manual_seed(cfg.seed)
    G = bare_mlp(cfg.latent_dim, cfg.g_width, cfg.g_depth, x.shape[1], nn.ReLU)
    D = bare_mlp(x.shape[1], cfg.d_width, cfg.d_depth, 1, lambda: nn.LeakyReLU(0.2))
    opt_g = torch.optim.Adam(G.parameters(), lr=cfg.lr_g, betas=(cfg.beta1, cfg.beta2), fused=True)
    opt_d = torch.optim.Adam(D.parameters(), lr=cfg.lr_d, betas=(cfg.beta1, cfg.beta2), fused=True)
    t0 = time.perf_counter()
    for _ in range(steps):
        real = x[torch.randint(len(x), (cfg.batch_size,))]
        fake = G(torch.randn(cfg.batch_size, cfg.latent_dim)).detach()
        d_loss = F.softplus(-D(real)).mean() + F.softplus(D(fake)).mean()
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        g_loss = F.softplus(-D(G(torch.randn(cfg.batch_size, cfg.latent_dim)))).mean()
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
    return steps / (time.perf_counter() - t0)


def lab_loop(cfg, data, steps: int) -> float:
    job = TrainingJob(GAN(dataclasses.replace(cfg, steps=steps)), data, limiter=Limiter(1)).run()
    view = job.view()
    assert view.state == "done", view.message
    return view.step / view.seconds


FULL_STEPS = 2000  # the full run: steps per side per round
ROUNDS = Rounds(full=8, quick_seconds=8.0)  # --quick: rounds for 8 s...
QUICK_SIDE_SECONDS = 2.5  # ...each side training about 2.5 s (steps from the bare loop's warm-up rate)


def prepare(preset: str):
    """(config, data, data as a tensor, the bare loop's steps/s in a 200-step warm-up).

    The bare loop's rate sizes a quick round: the lab's, over so few steps, is mostly its set-up."""
    configure_torch()
    cfg = dataclasses.replace(build_config("gan", preset), loss="non-saturating", device="cpu")
    data = load_data(cfg)
    x = torch.as_tensor(data.x)
    lab_loop(cfg, data, 50)  # warm up allocators and kernels
    return cfg, data, x, bare_loop(cfg, x, 200)


def measure(preset: str, steps: int, rounds: int):
    """Paired rounds of (lab steps/s, bare steps/s) after a warm-up of both."""
    cfg, data, x, _ = prepare(preset)
    return cfg, alternate(rounds, lambda: lab_loop(cfg, data, steps), lambda: bare_loop(cfg, x, steps))


def rows(quick: bool = False) -> list[Row]:
    cfg, data, x, rate = prepare("ring8-collapse")
    steps = steps_for(QUICK_SIDE_SECONDS, rate) if quick else FULL_STEPS
    pairs = ROUNDS.pairs(quick, lambda: lab_loop(cfg, data, steps), lambda: bare_loop(cfg, x, steps))
    return [ratio_row(f"GAN lab vs bare torch loop, same nets/batch/loss/optimiser ({len(pairs)} rounds x {steps} steps)",
                      [a for a, _ in pairs], [b for _, b in pairs], "steps/s", ">= 0.95", lambda r: r >= 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="ring8-collapse")
    parser.add_argument("--steps", type=int, default=1500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cfg, pairs = measure(args.preset, args.steps, args.rounds)
    print(f"device: {describe_device('cpu')}; torch {torch.__version__}; preset {args.preset} "
          f"(non-saturating, batch {cfg.batch_size}, G {cfg.g_depth}x{cfg.g_width}, D {cfg.d_depth}x{cfg.d_width})")
    print(ratio_table([a for a, _ in pairs], [b for _, b in pairs], ("lab steps/s", "bare steps/s"), ".0f",
                      "goal >= 0.95"))


if __name__ == "__main__":
    main()
