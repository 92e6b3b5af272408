"""RNN lab vs a bare torch loop: same network, batch, sequence length and optimiser, same run.

    python tests/benchmarks/bench_rnn.py [--quick] [--preset text-gru] [--rounds 3]

The lab's number includes everything the page pays for: the TrainingJob
thread machinery, progress events, history, snapshots (validation loss,
samples, the gradient-through-time probe, the hidden-state heat map) and the
last-good-state copies. The bare loop is the textbook one: nn.Embedding, the
fused torch.nn cell, nn.Linear, Adam, clip_grad_norm_. Rounds alternate which
goes first; the median ratio of characters per second is reported (goal >= 0.95),
per second of this process's CPU time (other processes on a shared machine
cannot slow that clock down) and per second of wall time.
"""
import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

from core.device import configure_torch, describe_device  # noqa: E402
from core.jobs import Limiter, TrainingJob  # noqa: E402
from core.models.rnn import RNN, load_data  # noqa: E402
from core.presets import build_config  # noqa: E402
from tests.benchmarks.paired import Rounds, ratio_table, steps_for  # noqa: E402


class BareCharNet(nn.Module):
    def __init__(self, cfg, vocab: int):
        super().__init__()
        self.embed = nn.Embedding(vocab, cfg.embed_size)
        self.rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cfg.cell](
            cfg.embed_size, cfg.hidden_size, cfg.layers, batch_first=True)
        self.head = nn.Linear(cfg.hidden_size, vocab)

    def forward(self, x):
        return self.head(self.rnn(self.embed(x))[0])


def timed(work) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) that `work()` took."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def bare_loop(cfg, codes: torch.Tensor, vocab: int, steps: int) -> tuple[float, float]:
    """Random windows of the same text, the same step, nothing else. Characters per (wall, CPU) second."""
    torch.manual_seed(cfg.seed)
    net = BareCharNet(cfg, vocab)
    opt = torch.optim.Adam(net.parameters(), lr=cfg.lr)
    offsets = torch.arange(cfg.seq_len + 1)

    def train():
        for _ in range(steps):
            windows = codes[torch.randint(len(codes) - cfg.seq_len - 1, (cfg.batch_size,))[:, None] + offsets]
            logits = net(windows[:, :-1])
            loss = F.cross_entropy(logits.reshape(-1, vocab), windows[:, 1:].reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            nn.utils.clip_grad_norm_(net.parameters(), cfg.max_norm)
            opt.step()

    chars = steps * cfg.batch_size * cfg.seq_len
    return tuple(chars / s for s in timed(train))


def lab_loop(cfg, data, steps: int) -> tuple[float, float]:
    """The page's path: a TrainingJob (run in this thread) driving the lab's fit, snapshots and all."""
    job = TrainingJob(RNN(dataclasses.replace(cfg, steps=steps)), data, limiter=Limiter(1))
    seconds = timed(job.run)
    assert job.view().state == "done", job.view().message
    return tuple(steps * cfg.batch_size * cfg.seq_len / s for s in seconds)


FULL_STEPS = 600  # the full run: steps per side per round
ROUNDS = Rounds(full=3, quick_seconds=6.0)  # --quick: rounds for 6 s...
QUICK_SIDE_SECONDS = 1.5  # ...each side training about 1.5 s (steps from the bare loop's warm-up rate)


def run(quick: bool = False, preset: str = "text-gru", rounds: int | None = None) -> dict:
    """Paired rounds of lab and bare loop (`rounds` of them if given); the median ratio and characters
    per second of each."""
    configure_torch()
    cfg = dataclasses.replace(build_config("rnn", preset), device="cpu")
    if cfg.dataset not in ("text", "reber") or cfg.compare_cells:
        raise SystemExit(f"bench_rnn compares a character model: pick a text or Reber preset, not {preset}.")
    data = load_data(cfg)
    codes = torch.as_tensor(data.train)
    lab_loop(cfg, data, 20)  # warm up allocators and kernels; over so few steps the lab's rate is its set-up,
    rate = bare_loop(cfg, codes, data.n_symbols, 40)[0] / (cfg.batch_size * cfg.seq_len)  # so the bare loop's sizes
    steps = steps_for(QUICK_SIDE_SECONDS, rate, least=20) if quick else FULL_STEPS
    lab, bare = lambda: lab_loop(cfg, data, steps), lambda: bare_loop(cfg, codes, data.n_symbols, steps)
    pairs = (Rounds.exactly(rounds) if rounds else ROUNDS).pairs(quick, lab, bare)
    result = {"preset": preset, "steps": steps, "rounds": len(pairs), "load_average": os.getloadavg(), "config": cfg}
    for k, clock in enumerate(("wall", "cpu")):
        lab, bare = [a[k] for a, _ in pairs], [b[k] for _, b in pairs]
        result[clock] = {"lab_chars_per_s": lab, "bare_chars_per_s": bare,
                         "median_ratio": statistics.median(a / b for a, b in zip(lab, bare)),
                         "table": ratio_table(lab, bare, (f"lab chars/{clock}-s", f"bare chars/{clock}-s"), ",.0f",
                                              "goal >= 0.95")}
    return result


def rows(quick: bool = False) -> list:
    """The runner's rows: characters per CPU second (the fair clock on a shared machine), and wall."""
    from tests.benchmarks.report import ratio_row

    result = run(quick)
    cpu, wall = result["cpu"], result["wall"]
    steps = f"{result['preset']}, {result['rounds']} rounds x {result['steps']} steps"
    return [ratio_row(f"RNN lab vs bare torch loop, same GRU/batch/sequence length ({steps}), chars per CPU s",
                      cpu["lab_chars_per_s"], cpu["bare_chars_per_s"], "chars/s", ">= 0.95", lambda r: r >= 0.95),
            ratio_row("RNN lab vs bare torch loop, chars per wall-clock s (same run)", wall["lab_chars_per_s"],
                      wall["bare_chars_per_s"], "chars/s", ">= 0.95", lambda r: r >= 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="text-gru")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--quick", action="store_true", help="rounds for 6 s, each side about 1.5 s")
    args = parser.parse_args()
    result = run(args.quick, args.preset, args.rounds)
    cfg = result["config"]
    print(f"device: {describe_device('cpu')}; torch {torch.__version__}; preset {args.preset} ({cfg.cell}, "
          f"{cfg.layers}x{cfg.hidden_size}, batch {cfg.batch_size}, sequence length {cfg.seq_len}, "
          f"{result['steps']} steps a round); load average {', '.join(f'{x:.1f}' for x in result['load_average'])}")
    for clock, title in (("cpu", "per second of CPU time"), ("wall", "per second of wall time")):
        print(f"\ncharacters {title}:\n{result[clock]['table']}")


if __name__ == "__main__":
    main()
