"""Forest lab timings: the adversarial forest through the lab vs its bare calls, and C2ST.

    python tests/benchmarks/bench_forest.py [--quick] [--rounds 5]

ARF, the issue's goal: 2,000 2-D points (the ring8-arf preset: 2,500 rows, a
fifth held out) fit in <= 5 s on 2 cores. The lab's time is a whole
`TrainingJob` as the page and the CLI run it: every round, an event per round
and a snapshot per round (2,500 FORGE samples, held-out and training
log-likelihoods, mode coverage), and at the end a C2ST of 500 generated rows
against 500 held-out ones. The bare run makes the same algorithm's calls and
nothing else: the same `AdversarialForest` rounds (scikit-learn forests, leaf
resampling), FORDE's leaf densities and 2,500 FORGE samples, with the same
seeds, so both see the same OOB accuracies (checked). Both use one thread
(n_jobs=1), as the lab does on a shared server; a bare run with n_jobs=2 is
shown beside them, for what two free cores would give.

C2ST, the issue's goal: 2 x 2,000 points in <= 3 s: `core.metrics.c2st_accuracy`
(100 trees, 5-fold cross-validation, one thread) on two halves of 4,000 moons,
and on one half against a copy shifted by 2 standard deviations.
Rounds alternate which side goes first (tests/benchmarks/paired.py).
"""
import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core import metrics  # noqa: E402
from core.jobs import Limiter, TrainingJob  # noqa: E402
from core.models.arf import AdversarialForest  # noqa: E402
from core.models.forest import Forest, judge_sets, load_data  # noqa: E402
from core.presets import build_config  # noqa: E402
from tests.benchmarks.paired import Rounds, ratio_table  # noqa: E402

CPU = {"lab": [], "bare1": [], "bare2": []}  # process CPU seconds per run: what a free core would take


def lab_run(cfg, data) -> tuple[float, list[float]]:
    model = Forest(cfg)
    t0, c0 = time.perf_counter(), time.process_time()
    job = TrainingJob(model, data, cfg.steps, limiter=Limiter(1)).run()
    seconds = time.perf_counter() - t0
    CPU["lab"].append(time.process_time() - c0)
    assert job.view().state == "done", job.view().message
    return seconds, list(model.arf_.accuracies_)


def bare_run(cfg, x_train, n_jobs: int = 1) -> tuple[float, list[float]]:
    """The algorithm alone: rounds, FORDE, 2,500 FORGE samples; no job, events or diagnostics."""
    t0, c0 = time.perf_counter(), time.process_time()
    arf = AdversarialForest(cfg.arf_trees, cfg.delta, cfg.steps, cfg.min_samples_leaf, cfg.features,
                            random_state=cfg.seed, n_jobs=n_jobs).start(x_train)
    while not arf.done:
        arf.round()
    arf.densities()
    arf.sample(2500)
    CPU[f"bare{n_jobs}"].append(time.process_time() - c0)
    return time.perf_counter() - t0, list(arf.accuracies_)


def c2st_times(repeats: int) -> dict:
    data = load_data(build_config("forest", "c2st-demo"))
    sets = judge_sets(data, build_config("forest", "c2st-demo").shift, seed=0)
    out = {}
    for name, other in (("same", sets["more_real"]), ("shifted", sets["shifted"])):
        times, cpu, accuracy = [], [], None
        for _ in range(repeats):
            t0, c0 = time.perf_counter(), time.process_time()
            accuracy = metrics.c2st_accuracy(sets["real"], other)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        out[name] = {"accuracy": accuracy, "median_s": statistics.median(times), "cpu_s": statistics.median(cpu)}
    return out


ROUNDS = Rounds(full=5, quick_seconds=3.0)  # the full run's rounds; --quick's seconds of rounds


def run(quick: bool = False, rounds: int | None = None) -> dict:
    """Time both goals (`rounds` paired rounds if given, else ROUNDS); returns the numbers (and prints the tables)."""
    load_before = os.getloadavg()
    cfg = build_config("forest", "ring8-arf")
    data = load_data(cfg)
    probe = Forest(cfg)
    probe._begin(data)  # the lab's own train / held-out split, for the bare run
    x_train = probe.x_train_
    lab_run(cfg, data), bare_run(cfg, x_train)  # warm up imports and caches
    lab, bare = lambda: lab_run(cfg, data), lambda: bare_run(cfg, x_train)
    pairs = (Rounds.exactly(rounds) if rounds else ROUNDS).pairs(quick, lab, bare)
    for (_, lab_acc), (_, bare_acc) in pairs:
        assert lab_acc == bare_acc, f"the runs differ: lab {lab_acc}, bare {bare_acc}"
    two_cores = [bare_run(cfg, x_train, n_jobs=2)[0] for _ in pairs]
    lab_s, bare_s = [a[0] for a, _ in pairs], [b[0] for _, b in pairs]
    c2st = c2st_times(1 if quick else 3)
    result = {
        "arf_rows": len(x_train), "arf_rounds": len(pairs[0][0][1]), "arf_trees_per_round": cfg.arf_trees,
        "arf_lab_median_s": statistics.median(lab_s), "arf_lab_max_s": max(lab_s),
        "arf_bare_median_s": statistics.median(bare_s), "arf_bare_2_jobs_median_s": statistics.median(two_cores),
        "arf_ratio": statistics.median(a / b for a, b in zip(lab_s, bare_s)),
        "arf_lab_cpu_s": statistics.median(CPU["lab"]), "arf_bare_cpu_s": statistics.median(CPU["bare1"]),
        "c2st_same_s": c2st["same"]["median_s"], "c2st_shifted_s": c2st["shifted"]["median_s"],
        "c2st_same_cpu_s": c2st["same"]["cpu_s"], "c2st_shifted_cpu_s": c2st["shifted"]["cpu_s"],
        "c2st_same": c2st["same"]["accuracy"], "c2st_shifted": c2st["shifted"]["accuracy"],
        "load_before": load_before, "load_after": os.getloadavg(),
    }
    print(f"ring8-arf: {len(x_train):,} training rows, {result['arf_rounds']} rounds of {cfg.arf_trees} trees")
    print(ratio_table(lab_s, bare_s, ("lab s", "bare s"), ".3f", "goal: lab <= 5 s"))
    print(f"CPU seconds (median): lab {result['arf_lab_cpu_s']:.3f}, bare {result['arf_bare_cpu_s']:.3f}; "
          f"bare with n_jobs=2: median {result['arf_bare_2_jobs_median_s']:.3f} s wall")
    print(f"C2ST on 2 x 2,000 moons: same {result['c2st_same']:.3f} in {result['c2st_same_s']:.2f} s "
          f"({result['c2st_same_cpu_s']:.2f} s CPU), shifted {result['c2st_shifted']:.3f} in "
          f"{result['c2st_shifted_s']:.2f} s ({result['c2st_shifted_cpu_s']:.2f} s CPU) (median; goal <= 3 s)")
    print("load average (1, 5, 15 min): before {:.2f} {:.2f} {:.2f}, after {:.2f} {:.2f} {:.2f}".format(
        *load_before, *result["load_after"]))
    return result


def rows(quick: bool = False) -> list:
    """The runner's rows: the adversarial forest's fit time and C2ST's, against their goals."""
    from tests.benchmarks.report import Row

    r = run(quick)
    return [
        Row(f"Adversarial forest on {r['arf_rows']:,} 2-D points through a TrainingJob ({r['arf_rounds']} rounds)",
            f"{r['arf_lab_median_s']:.2f} s (CPU {r['arf_lab_cpu_s']:.2f} s; bare sklearn calls "
            f"{r['arf_bare_median_s']:.2f} s)", "<= 5 s", r["arf_lab_max_s"] <= 5, r["arf_lab_median_s"]),
        Row("C2ST on 2 x 2,000 points, same distribution", f"{r['c2st_same_s']:.2f} s (CPU {r['c2st_same_cpu_s']:.2f} s), "
            f"accuracy {r['c2st_same']:.3f}", "<= 3 s", r["c2st_same_s"] <= 3, r["c2st_same_s"]),
        Row("C2ST on 2 x 2,000 points, shifted copy", f"{r['c2st_shifted_s']:.2f} s (CPU {r['c2st_shifted_cpu_s']:.2f} s), "
            f"accuracy {r['c2st_shifted']:.3f}", "<= 3 s", r["c2st_shifted_s"] <= 3, r["c2st_shifted_s"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="paired rounds for 3 s and one C2ST each")
    parser.add_argument("--rounds", type=int, default=None)
    args = parser.parse_args()
    run(args.quick, args.rounds)


if __name__ == "__main__":
    main()
