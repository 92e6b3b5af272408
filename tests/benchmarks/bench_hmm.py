"""HMM lab vs hmmlearn's own fit: same data, same random starts, same EM iterations, same run.

    python tests/benchmarks/bench_hmm.py [--preset casino] [--rounds 3]

The lab's time includes everything the page pays for: EM paused and resumed
in chunks, an event per iteration into the job's history, snapshots (Viterbi,
forward-backward, a sampled sequence, matching, errors), the pick of the best
restart. The direct run calls `hmmlearn.hmm.*HMM(...).fit(X)` once per restart
with the same random_state, n_iter and tol, and checks that it ran exactly as
many EM iterations as the lab. Rounds alternate which goes first; the median
ratio of wall times is reported (goal <= 1.1).
"""
import argparse
import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.jobs import Limiter, TrainingJob  # noqa: E402
from core.models.hmm import HMM, load_data, model_input  # noqa: E402
from core.presets import build_config  # noqa: E402
from tests.benchmarks.paired import Rounds, ratio_table  # noqa: E402
from tests.benchmarks.report import Row, ratio_row  # noqa: E402


def lab_run(cfg, data) -> tuple[float, list[int]]:
    model = HMM(cfg)
    t0 = time.perf_counter()
    job = TrainingJob(model, data, limiter=Limiter(1)).run()
    seconds = time.perf_counter() - t0
    assert job.view().state == "done", job.view().message
    return seconds, [r.monitor.iter for r in model.runs_]


def direct_run(cfg, data) -> tuple[float, list[int]]:
    """hmmlearn alone: one fit per restart with the lab's seeds (HMM._seed), nothing else."""
    lab = HMM(cfg)
    x = model_input(cfg, data)
    lab.data_ = data
    iterations = []
    t0 = time.perf_counter()
    for r in range(cfg.restarts):
        model = lab._new_model(cfg.n_states, lab._seed(r)).fit(x)
        model.score(x)  # the lab scores each restart's end to pick the best: so does any direct user
        iterations.append(model.monitor_.iter)
    return time.perf_counter() - t0, iterations


ROUNDS = Rounds(full=6, quick_seconds=3.0)  # the full run's rounds; --quick's seconds of rounds


def measure(preset: str, seed: int, rounds: Rounds, quick: bool = False):
    """Paired rounds of ((lab s, iterations), (hmmlearn s, iterations)); the iterations must agree."""
    logging.getLogger("hmmlearn").setLevel(logging.ERROR)
    cfg = build_config("hmm", preset, {"seed": str(seed)})
    data = load_data(cfg)
    lab_run(cfg, data), direct_run(cfg, data)  # warm up imports and caches
    lab, direct = lambda: lab_run(cfg, data), lambda: direct_run(cfg, data)
    pairs = rounds.pairs(quick, lab, direct)
    for (_, lab_iters), (_, direct_iters) in pairs:
        assert lab_iters == direct_iters, f"iterations differ: lab {lab_iters}, hmmlearn {direct_iters}"
    return cfg, data, pairs


def rows(quick: bool = False) -> list[Row]:
    _, _, pairs = measure("casino", 0, ROUNDS, quick)
    iters = sum(pairs[-1][1][1])
    return [ratio_row(f"HMM lab vs hmmlearn's own fit, casino, same {iters} EM iterations (wall time)",
                      [a[0] for a, _ in pairs], [b[0] for _, b in pairs], "s", "<= 1.1", lambda r: r <= 1.1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="casino")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cfg, data, pairs = measure(args.preset, args.seed, Rounds.exactly(args.rounds))
    print(f"preset {args.preset} (seed {args.seed}): {len(data):,} observations, {cfg.restarts} restarts, "
          f"{sum(pairs[-1][1][1])} EM iterations in all, implementation={cfg.implementation}")
    print(ratio_table([a[0] for a, _ in pairs], [b[0] for _, b in pairs], ("lab s", "hmmlearn s"), ".3f",
                      "goal <= 1.1"))


if __name__ == "__main__":
    main()
