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

from core.compare.base import Entrant, EntrantConfig
from core.compare.encoding import Codes, Floats, Pixels, Windows, one_hot
from core.config import param, seed_param
from core.models.arf import AdversarialForest
from core.protocol import Progress

TREES_PER_STEP = 10
UNIFORM_SHARE = 0.01  # of the next-symbol probability spread evenly: an unseen symbol costs ~6 nats, not infinity


class ForestEntrant(Entrant):
    """scikit-learn's forests: the adversarial random forest `arf_` on rows, on a stream
    the next-symbol classifier `forest_` (None on rows); both sample from `rng_`."""

    family, library = "forest", "scikit-learn"
    curve = "real-vs-synthetic OOB accuracy"  # the series the page draws live

    @dataclass
    class Config(EntrantConfig):
        ONLY_FOR = {"n_trees": ("points", "digits", "tabular"), "context": ("sequences",)}  # settings a task uses

        steps: int = param(6, "Rounds (ARF) or steps of 10 trees (sequences)", min=1, max=50)
        n_trees: int = param(20, "Trees per forest (ARF)", min=2, max=500)
        min_samples_leaf: int = param(5, "Real points per leaf at least", min=1, max=100)
        context: int = param(4, "Symbols of context (sequences)", min=1, max=12)
        seed: int = seed_param()

    PLAYS = {"points": lambda cfg: Floats(), "digits": lambda cfg: Pixels(dequantise_seed=cfg.seed),
             "tabular": lambda cfg: Codes(), "sequences": lambda cfg: Windows(cfg.context)}

    def _start_rows(self, encoding) -> None:
        """The adversarial random forest, every column categorical on a table."""
        cfg = self.config
        self.rng_ = np.random.default_rng(cfg.seed + 1)
        categorical = range(encoding.train_.shape[1]) if isinstance(encoding, Codes) else ()
        self.arf_ = AdversarialForest(n_trees=cfg.n_trees, max_rounds=10**6, min_samples_leaf=cfg.min_samples_leaf,
                                      categorical=categorical, random_state=cfg.seed).start(encoding.train_)
        self.forest_ = None

    def _start_stream(self, encoding) -> None:
        """A classifier of the next symbol from the k before it, one-hot, grown by warm start."""
        from sklearn.ensemble import RandomForestClassifier

        cfg = self.config
        self.rng_ = np.random.default_rng(cfg.seed + 1)
        k, rows = cfg.context, encoding.train_
        self.X_, self.y_ = one_hot(rows[:, :k], encoding.cardinalities_[:k]), rows[:, k]
        self.forest_ = RandomForestClassifier(n_estimators=0, min_samples_leaf=cfg.min_samples_leaf,
                                              warm_start=True, n_jobs=1, random_state=cfg.seed)

    def _train(self, steps: int):
        end = self.step_ + steps
        while self.step_ < end:
            if self.forest_ is not None:
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
        return self.arf_.sample(n, rng=self.rng_)

    def _log_p(self, x: np.ndarray) -> np.ndarray:
        return self.arf_.log_density(x)

    # -- sequences: next symbol from the last k --------------------------------------
    def _next_probs(self, context: np.ndarray) -> np.ndarray:
        m, k = len(self.data_.symbols), self.config.context
        proba = np.zeros((len(context), m))
        proba[:, self.forest_.classes_] = self.forest_.predict_proba(one_hot(context, [m] * k))
        return (1 - UNIFORM_SHARE) * proba + UNIFORM_SHARE / m

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        k, train = self.config.context, self.data_.train
        starts = self.rng_.integers(len(train) - k, size=count)
        out = np.stack([train[s:s + k] for s in starts])  # (count, k) real contexts, not returned
        for _ in range(length):
            p = self._next_probs(out[:, -k:])
            u = self.rng_.random((count, 1))
            out = np.hstack([out, (u > p.cumsum(axis=1)).sum(axis=1, keepdims=True)])
        return np.minimum(out[:, k:], len(self.data_.symbols) - 1)

    def sample_stream(self, length: int) -> np.ndarray:
        return self.sample_streams(1, length)[0]

    def _stream_log_likelihood(self, x: np.ndarray) -> float:
        """Per symbol, after the first k (which have no context of k symbols): log P(s_t | s_t-k..t-1)."""
        k = self.config.context
        rows = self.encoding_.encode(x)
        p = self._next_probs(rows[:, :k])
        return float(np.log(p[np.arange(len(rows)), rows[:, k]]).mean())

    def n_params(self) -> int:
        """Split thresholds, plus per leaf its weight and its features' densities (ARF) or class shares."""
        if self.forest_ is not None:
            return int(sum(e.tree_.node_count // 2 + (e.tree_.node_count + 1) // 2 * (len(self.data_.symbols) - 1)
                           for e in self.forest_.estimators_))
        dens = self.arf_.densities()
        per_leaf = 1 + 2 * (dens.mean.shape[1] - len(dens.freqs)) + sum(f.shape[1] - 1 for f in dens.freqs.values())
        splits = sum(e.tree_.node_count // 2 for e in self.arf_.forest_.estimators_)
        return int(len(dens.weight) * per_leaf + splits)


ENTRANT = ForestEntrant
