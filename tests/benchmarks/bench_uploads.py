"""The biggest uploads each lab accepts: how long one training step takes, against the bare library's step.

    python tests/benchmarks/bench_uploads.py

Each lab gets a 5 MB-class file (400,000 rows, or a 4 MB text), which its
loader cuts to what training can do in a lesson (core.data.upload.MAX_ROWS
rows of a table, MAX_OBSERVATIONS of a sequence). The lab's step is the
longest gap between two progress events of its `fit` (the first event
included: it pays for the set-up); the baseline is the same step done by the
bare library on the same rows (scikit-learn's forest with out-of-bag scores,
hmmlearn's EM, pgmpy's hill climbing), so the ratio says what the lab adds.
Goal: about a second a step, so no upload holds a classroom's training slot.
The forest's last step (its end-of-run analysis: permutation importances and
a depth sweep) is reported on its own row.
"""
import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.models import bayesnet, forest, hmm  # noqa: E402
from tests.benchmarks.report import Row  # noqa: E402

ROWS = 250_000  # about 4 MB of CSV: under the 5 MB cap


def _csv(columns, rows) -> bytes:
    return (",".join(columns) + "\n" + "\n".join(",".join(map(str, r)) for r in rows)).encode()


def worst_gap(model, data, steps: int) -> float:
    """The longest gap between two events, the last one aside (see `last_gap`)."""
    return max(gaps(model, data, steps)[:-1] or [0.0])


def gaps(model, data, steps: int) -> list[float]:
    last, out = time.perf_counter(), []
    for _ in model.fit(data, steps):
        now = time.perf_counter()
        out.append(now - last)
        last = now
    return out


def _timed(action) -> float:
    t0 = time.perf_counter()
    action()
    return time.perf_counter() - t0


def forest_rows(rng) -> list[Row]:
    from sklearn.ensemble import RandomForestClassifier

    a, b = rng.normal(size=(2, ROWS)).round(4)
    raw = _csv(["x", "y", "label"], zip(a, b, (a > b).astype(int)))
    cfg = dataclasses.replace(forest.ForestConfig(), dataset="upload", steps=100)
    data = forest.load_data(cfg, raw)
    steps = gaps(forest.Forest(cfg), data, cfg.steps)
    lab, final = max(steps[:-1]), steps[-1]
    bare = RandomForestClassifier(n_estimators=cfg.steps, oob_score=True, random_state=0)
    base = _timed(lambda: bare.fit(data.x, data.labels)) / (cfg.steps / cfg.trees_per_step)
    return [Row(f"forest classifier, {ROWS:,}-row upload cut to {len(data.x):,}: longest step "
                f"({cfg.trees_per_step} trees, with its snapshot)",
                f"{lab:.2f} s (bare scikit-learn: {base:.2f} s for {cfg.trees_per_step} trees of a "
                f"{cfg.steps}-tree fit)", "about 1 s", lab <= 1.5, lab),
            Row("the same, its last step (permutation importances and the depth sweep, once a run)",
                f"{final:.2f} s", "", None, final)]


def arf_rows(rng) -> list[Row]:
    from sklearn.ensemble import RandomForestClassifier

    raw = _csv(["x", "y"], rng.normal(size=(ROWS, 2)).round(4))
    cfg = dataclasses.replace(forest.ForestConfig(), dataset="upload", role="generator", steps=2)
    data = forest.load_data(cfg, raw)
    model = forest.Forest(cfg)
    model._begin(data)
    lab = _timed(model.arf_.round)  # one round alone: fit, leaf densities, the next synthetic set
    last = sum(gaps(forest.Forest(cfg), data, cfg.steps))  # set-up, the rounds, and the end's C2ST
    fit = model.x_train_
    both = np.vstack([fit, rng.permutation(fit)])  # one round's forest tells real from synthetic rows
    bare = RandomForestClassifier(n_estimators=cfg.arf_trees, oob_score=True, random_state=0)
    base = _timed(lambda: bare.fit(both, np.r_[np.ones(len(fit)), np.zeros(len(fit))]))
    return [Row(f"adversarial forest, {ROWS:,}-row upload cut to {len(data.x):,}: one round "
                f"({cfg.arf_trees} trees, leaf densities, new synthetic rows)",
                f"{lab:.2f} s (bare scikit-learn: {base:.2f} s for the round's {cfg.arf_trees}-tree fit)",
                "about 1 s", lab <= 1.5, lab),
            Row("the same, a whole run to its stopping rule (set-up, rounds, samples, the end's C2ST)",
                f"{last:.2f} s", "", None, last)]


def hmm_rows(rng) -> list[Row]:
    from hmmlearn.hmm import CategoricalHMM

    raw = _csv(["roll"], rng.integers(1, 7, size=(ROWS, 1)))
    cfg = dataclasses.replace(hmm.HMMConfig(), dataset="upload", n_states=4, n_iter=10, restarts=1)
    data = hmm.load_data(cfg, raw)
    lab = worst_gap(hmm.HMM(cfg), data, None)
    bare = CategoricalHMM(4, n_iter=10, tol=0, random_state=0)
    base = _timed(lambda: bare.fit(data.codes[:, None])) / 10
    return [Row(f"HMM, {ROWS:,}-roll upload cut to {len(data):,}: longest EM iteration (4 states)",
                f"{lab:.2f} s (bare hmmlearn: {base:.3f} s an iteration)", "about 1 s", lab <= 1.5, lab)]


def bayesnet_rows(rng) -> list[Row]:
    from pgmpy.estimators import HillClimbSearch

    from core.data.tabular import MAX_COLUMNS

    raw = _csv([f"c{j}" for j in range(MAX_COLUMNS)], rng.integers(0, 5, size=(ROWS // 10, MAX_COLUMNS)))
    cfg = dataclasses.replace(bayesnet.BNConfig(), dataset="upload", max_iter=5)
    data = bayesnet.load_data(cfg, raw)
    lab = worst_gap(bayesnet.BayesNet(cfg), data, None)
    base = _timed(lambda: HillClimbSearch(data.frame()).estimate(max_iter=1, show_progress=False))
    return [Row(f"Bayesian network, {ROWS // 10:,}-row {MAX_COLUMNS}-column upload cut to {len(data):,}: "
                "longest step (the first pays for the set-up)",
                f"{lab:.2f} s (bare pgmpy: {base:.2f} s for one hill-climbing step from scratch)",
                "about 1 s", lab <= 1.5, lab)]


def rows(quick: bool = False) -> list[Row]:
    rng = np.random.default_rng(0)
    return forest_rows(rng) + arf_rows(rng) + hmm_rows(rng) + bayesnet_rows(rng)


if __name__ == "__main__":
    from core.device import configure_torch
    from tests.benchmarks.report import markdown

    configure_torch()
    print(markdown(rows()))
