"""Bayesian network lab vs pgmpy called directly: same data, same search, same run.

    python tests/benchmarks/bench_bayesnet.py [--quick] [--rounds 5]

Two paired comparisons on the asia preset's data (10,000 rows), rounds
alternating which side goes first (tests/benchmarks/paired.py):

1. The search alone: the lab's hill climbing one step at a time (pgmpy's own
   scored moves, `HillClimb.step`) against one `HillClimbSearch.fit` call from
   the same start. The graphs must be identical.
2. Everything the page pays for: the lab through a `TrainingJob` (an event per
   step, snapshots with SHD and CPDAGs, the parameters, 2,000 samples, the
   held-out log-likelihood, the preset's query) against pgmpy directly doing
   the same learning (climb from no arrows, PC, climb from PC's graph, keep the
   better score, fit the tables by maximum likelihood). The lab's extras
   (samples, held-out scoring, inference) are in the lab's time only.

Then the learning curve of the structure-needs-data preset: SHD and CPDAG-SHD
against the number of rows. Goal for both ratios: median <= 1.1.
"""
import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.jobs import Limiter, TrainingJob  # noqa: E402
from core.models.bayesnet import BayesNet, HillClimb, integer_frame, load_data, pc_start, score_function  # noqa: E402
from core.presets import build_config  # noqa: E402
from tests.benchmarks.paired import Rounds, ratio_table  # noqa: E402


def stepwise_search(cfg, frame) -> tuple[float, list]:
    t0 = time.perf_counter()
    climb = HillClimb(cfg, frame)
    while climb.step():
        pass
    return time.perf_counter() - t0, sorted(climb.dag.edges())


def direct_search(cfg, frame, start=()) -> tuple[float, list]:
    from pgmpy.base import DAG
    from pgmpy.causal_discovery import HillClimbSearch

    t0 = time.perf_counter()
    dag = DAG()
    dag.add_nodes_from(frame.columns)
    dag.add_edges_from(start)
    found = HillClimbSearch(scoring_method=score_function(cfg, frame), start_dag=dag, tabu_length=cfg.tabu_length,
                            show_progress=False, return_type="dag").fit(frame).causal_graph_
    return time.perf_counter() - t0, sorted(found.edges())


def lab_run(cfg, data) -> tuple[float, list]:
    model = BayesNet(cfg)
    t0 = time.perf_counter()
    job = TrainingJob(model, data, limiter=Limiter(1)).run()
    seconds = time.perf_counter() - t0
    assert job.view().state == "done", job.view().message
    return seconds, sorted(model.directed_)


def direct_run(cfg, data) -> tuple[float, list]:
    """pgmpy alone: both climbs (the second from PC's graph), the better score, maximum-likelihood tables."""
    from pgmpy.base import DAG
    from pgmpy.causal_discovery import HillClimbSearch
    from pgmpy.models import DiscreteBayesianNetwork
    from pgmpy.parameter_estimator import DiscreteMLE

    t0 = time.perf_counter()
    frame = integer_frame(data)
    scorer, best = score_function(cfg, frame), None
    for start in ([], pc_start(cfg, frame)):
        dag = DAG()
        dag.add_nodes_from(frame.columns)
        dag.add_edges_from(start)
        found = HillClimbSearch(scoring_method=scorer, start_dag=dag, show_progress=False,
                                return_type="dag").fit(frame).causal_graph_
        if best is None or scorer.score(found) > scorer.score(best):
            best = found
    edges = sorted((data.columns[a], data.columns[b]) for a, b in best.edges())
    network = DiscreteBayesianNetwork(edges)
    network.add_nodes_from(data.columns)
    network.fit(data.frame(), estimator=DiscreteMLE(state_names=dict(zip(data.columns, data.states))))
    return time.perf_counter() - t0, edges


def learning_curve(quick: bool) -> tuple[list[dict], float]:
    cfg = build_config("bayesnet", "structure-needs-data", {"curve_up_to": "3000" if quick else "30000"})
    model, data = BayesNet(cfg), load_data(cfg)
    t0 = time.perf_counter()
    TrainingJob(model, data, limiter=Limiter(1)).run()
    return model.curve_, time.perf_counter() - t0


SEARCH_ROUNDS = Rounds(full=7, quick_seconds=1.5)  # the full run's rounds; --quick's seconds of rounds
FULL_ROUNDS = Rounds(full=7, quick_seconds=2.5)


def run(quick: bool = False, rounds: int | None = None) -> dict:
    """Both paired comparisons (`rounds` each if given, else SEARCH_ROUNDS and FULL_ROUNDS) and the curve."""
    warnings.filterwarnings("ignore")
    cfg = build_config("bayesnet", "asia")
    data = load_data(cfg)
    frame = integer_frame(data)
    lab_run(cfg, data), direct_run(cfg, data), stepwise_search(cfg, frame)  # warm up imports and caches
    fixed = Rounds.exactly(rounds) if rounds else None
    search = (fixed or SEARCH_ROUNDS).pairs(quick, lambda: stepwise_search(cfg, frame),
                                             lambda: direct_search(cfg, frame))
    full = (fixed or FULL_ROUNDS).pairs(quick, lambda: lab_run(cfg, data), lambda: direct_run(cfg, data))
    for (_, a), (_, b) in search + full:
        assert a == b, f"graphs differ: lab {a}, pgmpy {b}"
    return {
        "rows": len(data), "load": os.getloadavg(), "search_pairs": search, "full_pairs": full,
        "search": ratio_table([a[0] for a, _ in search], [b[0] for _, b in search],
                              ("step-by-step s", "pgmpy-fit s"), ".4f", "goal <= 1.1"),
        "full": ratio_table([a[0] for a, _ in full], [b[0] for _, b in full], ("lab s", "pgmpy s"), ".3f",
                            "goal <= 1.1"),
    } | dict(zip(("curve", "curve_seconds"), learning_curve(quick)))


def rows(quick: bool = False) -> list:
    """The runner's rows: the search and the whole lab against pgmpy, and the learning curve."""
    from tests.benchmarks.report import Row, ratio_row

    result = run(quick)
    pick = lambda pairs, side: [p[side][0] for p in pairs]  # noqa: E731
    sizes = sorted({c["rows"] for c in result["curve"]})
    median = lambda n, key: statistics.median(c[key] for c in result["curve"] if c["rows"] == n)  # noqa: E731
    curve = ", ".join(f"{n:,}: {median(n, 'shd'):g}/{median(n, 'cpdag_shd'):g}" for n in sizes)
    return [
        ratio_row(f"BN hill climbing step by step vs one pgmpy HillClimbSearch.fit (asia, {result['rows']:,} rows)",
                  pick(result["search_pairs"], 0), pick(result["search_pairs"], 1), "s", "<= 1.1", lambda r: r <= 1.1),
        ratio_row("BN lab through a TrainingJob vs pgmpy directly (hybrid search + tables)",
                  pick(result["full_pairs"], 0), pick(result["full_pairs"], 1), "s", "<= 1.1", lambda r: r <= 1.1),
        Row("BN learning curve, asia (structure-needs-data): rows: median SHD/CPDAG-SHD over seeds", curve,
            "falls with data", None, result["curve_seconds"]),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int)
    args = parser.parse_args()
    before = os.getloadavg()
    result = run(args.quick, args.rounds)
    print(f"asia, {result['rows']:,} rows; load average before {before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    print("\n1. Hill climbing alone: step by step vs one HillClimbSearch.fit (same graph every round)")
    print(result["search"])
    print("\n2. The lab through a TrainingJob vs pgmpy directly (hybrid search + MLE tables)")
    print(result["full"])
    print("\n3. Learning curve (structure-needs-data preset, seeds 0-4): rows, median SHD, median CPDAG-SHD, "
          "each sample's SHD / CPDAG-SHD")
    for rows in sorted({p["rows"] for p in result["curve"]}):
        points = [p for p in result["curve"] if p["rows"] == rows]
        shd, cp = [p["shd"] for p in points], [p["cpdag_shd"] for p in points]
        print(f"{rows:>7,}  {statistics.median(shd):>4}  {statistics.median(cp):>4}   "
              f"{' '.join(f'{a}/{b}' for a, b in zip(shd, cp))}")
    print(f"   ({result['curve_seconds']:.1f} s for the whole preset through a TrainingJob)")


if __name__ == "__main__":
    main()
