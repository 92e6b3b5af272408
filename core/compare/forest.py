"""The random-forest entrant: scikit-learn's forests, made generative two ways.

- points, digits, tables: the adversarial random forest (Watson et al. 2023)
  of the forest lab, `core.models.arf.AdversarialForest` (scikit-learn grows
  the forests): rounds of "tell real from synthetic" until the forest cannot,
  then FORDE's leaf densities give samples (FORGE) and a log-likelihood. One
  round is one step. Digits are dequantised first (see core.compare.encoding).
- sequences: a RandomForestClassifier that predicts the next symbol from the
  k symbols before it (one-hot), grown a few trees per step (warm start). Its
  predicted probabilities, mixed with a little of the uniform so no symbol is
  impossible, make an autoregressive model with an exact likelihood. Streams
  are drawn many at once, each starting from k real symbols of the training
  stream.
"""
from dataclasses import dataclass

import numpy as np

from core.compare.base import Entrant
from core.compare.encoding import dequantise, one_hot
from core.config import param
from core.protocol import Progress

TREES_PER_STEP = 10
UNIFORM_SHARE = 0.01  # of the next-symbol probability spread evenly: an unseen symbol costs ~6 nats, not infinity


@dataclass
class ForestEntrantConfig:
    ONLY_FOR = {"n_trees": ("points", "digits", "tabular"), "context": ("sequences",)}  # settings a task uses

    steps: int = param(6, "Rounds (ARF) or steps of 10 trees (sequences)", min=1, max=50)
    n_trees: int = param(20, "Trees per forest (ARF)", min=2, max=500)
    min_samples_leaf: int = param(5, "Real points per leaf at least", min=1, max=100)
    context: int = param(4, "Symbols of context (sequences)", min=1, max=12)
    seed: int = param(0, "Seed", min=0, max=2**31 - 1)


class ForestEntrant(Entrant):
    family, library = "forest", "scikit-learn"
    curve = "real-vs-synthetic OOB accuracy"  # the series the page draws live

    def _start(self, task) -> None:
        cfg = self.config
        self.rng_ = np.random.default_rng(cfg.seed + 1)
        if task.task == "sequences":
            from sklearn.ensemble import RandomForestClassifier

            k, m = cfg.context, len(task.symbols)
            rows = np.lib.stride_tricks.sliding_window_view(task.train, k + 1)
            self.X_, self.y_ = one_hot(rows[:, :k], [m] * k), rows[:, k]
            self.forest_ = RandomForestClassifier(n_estimators=0, min_samples_leaf=cfg.min_samples_leaf,
                                                  warm_start=True, n_jobs=1, random_state=cfg.seed)
            return
        from core.models.arf import AdversarialForest

        x = dequantise(task.train, cfg.seed) if task.task == "digits" else task.train
        categorical = range(x.shape[1]) if task.task == "tabular" else ()
        self.arf_ = AdversarialForest(n_trees=cfg.n_trees, max_rounds=10**6, min_samples_leaf=cfg.min_samples_leaf,
                                      categorical=categorical, random_state=cfg.seed).start(x)

    def _train(self, steps: int):
        end = self.step_ + steps
        while self.step_ < end:
            if self.task_.task == "sequences":
                self.forest_.n_estimators += TREES_PER_STEP
                self.forest_.fit(self.X_, self.y_)
                losses = {"trees": float(self.forest_.n_estimators)}
            else:
                if self.arf_.done:
                    return
                losses = {"real-vs-synthetic OOB accuracy": self.arf_.round()}
            self.step_ += 1
            yield Progress(self.step_, end, losses)

    # -- points, digits, tables: FORGE and FORDE -------------------------------------
    def _sample(self, n: int) -> np.ndarray:
        x = self.arf_.sample(n, rng=self.rng_)
        return x.astype(np.int64) if self.task_.task == "tabular" else x

    def _log_likelihood(self, x: np.ndarray) -> float:
        if self.task_.task == "sequences":
            return self._stream_ll(x)
        return float(np.mean(self.arf_.log_density(x)))

    # -- sequences: next symbol from the last k --------------------------------------
    def _next_probs(self, context: np.ndarray) -> np.ndarray:
        m, k = len(self.task_.symbols), self.config.context
        proba = np.zeros((len(context), m))
        proba[:, self.forest_.classes_] = self.forest_.predict_proba(one_hot(context, [m] * k))
        return (1 - UNIFORM_SHARE) * proba + UNIFORM_SHARE / m

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        k, train = self.config.context, self.task_.train
        starts = self.rng_.integers(len(train) - k, size=count)
        out = np.stack([train[s:s + k] for s in starts])  # (count, k) real contexts, not returned
        for _ in range(length):
            p = self._next_probs(out[:, -k:])
            u = self.rng_.random((count, 1))
            out = np.hstack([out, (u > p.cumsum(axis=1)).sum(axis=1, keepdims=True)])
        return np.minimum(out[:, k:], len(self.task_.symbols) - 1)

    def sample_stream(self, length: int) -> np.ndarray:
        return self.sample_streams(1, length)[0]

    def _stream_ll(self, x: np.ndarray) -> float:
        """Per symbol, after the first k (which have no context of k symbols): log P(s_t | s_t-k..t-1)."""
        k = self.config.context
        rows = np.lib.stride_tricks.sliding_window_view(x, k + 1)
        p = self._next_probs(rows[:, :k])
        return float(np.log(p[np.arange(len(rows)), rows[:, k]]).mean())

    def n_params(self) -> int:
        """Split thresholds, plus per leaf its weight and its features' densities (ARF) or class shares."""
        if self.task_.task == "sequences":
            return int(sum(e.tree_.node_count // 2 + (e.tree_.node_count + 1) // 2 * (len(self.task_.symbols) - 1)
                           for e in self.forest_.estimators_))
        dens = self.arf_.densities()
        per_leaf = 1 + 2 * (dens.mean.shape[1] - len(dens.freqs)) + sum(f.shape[1] - 1 for f in dens.freqs.values())
        splits = sum(e.tree_.node_count // 2 for e in self.arf_.forest_.estimators_)
        return int(len(dens.weight) * per_leaf + splits)
