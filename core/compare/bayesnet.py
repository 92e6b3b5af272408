"""The Bayesian network entrant: pgmpy, used directly, on a table of integer codes.

pgmpy learns a discrete network, so every task becomes a table first:

- points: each coordinate cut into bins (core.compare.encoding), the network
  x -> y; a sample draws a bin from the network and a value uniformly inside
  it, so the model is a proper density and its likelihood compares;
- digits: the 64 pixels cut into 2 bins (ink or not), and a Chow-Liu tree
  (pgmpy's TreeSearch): the best tree of pairwise dependencies;
- sequences: a Markov chain of order k as a network: the symbols at t-k..t-1
  are the parents of the symbol at t, learned from every window of the stream;
- tabular: the structure by pgmpy's hill climbing with the BIC score.

Parameters are always pgmpy's Bayesian estimate (BDeu prior), so a case never
seen in training is rare, not impossible. pgmpy takes seconds to import, so it
is imported inside the methods. Its learners run in one call with no
callback, so this entrant reports a single step; the BN lab shows hill
climbing move by move.
"""
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from core.compare.base import Entrant, EntrantConfig
from core.compare.encoding import Binned, BinnedPixels, Codes, Windows
from core.config import param, seed_param
from core.protocol import Progress


class BNEntrant(Entrant):
    """pgmpy's discrete network, learned in one call on every task made a table of codes.

    Fitted: the table `codes_` (columns `names_`, with `cards_` states each)
    and `network_`, its structure and CPDs.
    """

    family, library = "bayesnet", "pgmpy"

    @dataclass
    class Config(EntrantConfig):
        ONLY_FOR = {"bins": ("points",), "order": ("sequences",), "max_moves": ("tabular",)}  # settings a task uses
        steps: ClassVar[int] = 1  # pgmpy learns in one call: not a setting

        bins: int = param(24, "Bins per coordinate (points)", min=2, max=100)
        order: int = param(2, "Markov order (sequences)", min=1, max=4)
        max_moves: int = param(100, "Hill-climbing moves at most (tables)", min=1, max=1000)
        ess: float = param(1.0, "BDeu equivalent sample size", min=0.01, max=100.0)
        seed: int = seed_param()

    PLAYS = {"points": lambda cfg: Binned(cfg.bins), "digits": lambda cfg: BinnedPixels(levels=2),
             "sequences": lambda cfg: Windows(cfg.order), "tabular": lambda cfg: Codes()}

    def _start_rows(self, encoding) -> None:
        """A table of codes, one node per column (a window of a stream: its k + 1 symbols)."""
        self.codes_, self.cards_ = encoding.train_, encoding.cardinalities_
        self.names_ = [f"v{j}" for j in range(len(self.cards_))]

    _start_stream = _start_rows  # the order-k chain is a network on the stream's windows

    def _edges(self, frame) -> list[tuple[str, str]]:
        names = self.names_
        if self.encoding_.stream:  # the symbols at t-k..t-1 are the parents of the symbol at t
            return [(parent, names[-1]) for parent in names[:-1]]
        if isinstance(self.encoding_, Binned) and len(names) == 2:
            return [(names[0], names[1])]
        # The searches run on the columns' integer positions: pgmpy breaks ties between equally good moves in
        # the order of a set of node pairs, which for string names changes with PYTHONHASHSEED.
        positions = frame.set_axis(range(len(names)), axis=1)
        if isinstance(self.encoding_, Binned):
            from pgmpy.estimators import TreeSearch

            found = TreeSearch(positions, n_jobs=1).estimate(show_progress=False).edges()
        else:
            from pgmpy.causal_discovery import HillClimbSearch

            search = HillClimbSearch(scoring_method="bic-d", max_iter=self.config.max_moves, show_progress=False,
                                     return_type="dag")
            found = search.fit(positions).causal_graph_.edges()
        return [(names[a], names[b]) for a, b in found]

    def _train(self, steps: int):
        import pandas as pd
        from pgmpy.models import DiscreteBayesianNetwork
        from pgmpy.parameter_estimator import DiscreteBayesianEstimator

        frame = pd.DataFrame(np.asarray(self.codes_, dtype=np.int64), columns=self.names_)
        network = DiscreteBayesianNetwork(self._edges(frame))
        network.add_nodes_from(self.names_)
        states = {n: list(range(k)) for n, k in zip(self.names_, self.cards_)}
        estimator = DiscreteBayesianEstimator(state_names=states, prior_type="BDeu",
                                              equivalent_sample_size=self.config.ess)
        self.network_ = network.fit(frame, estimator=estimator)
        self.step_ += 1
        yield Progress(self.step_, self.step_, {"log-likelihood per sample": self.log_likelihood(self.data_.train)})

    def _tables(self) -> list[tuple[np.ndarray, list[int]]]:
        """Per node: its CPD as an array indexed (node, parents...) and the columns those index."""
        col = {n: j for j, n in enumerate(self.names_)}
        out = []
        for node in self.names_:
            cpd = self.network_.get_cpds(node)
            assert all(list(cpd.state_names[v]) == list(range(len(cpd.state_names[v]))) for v in cpd.variables)
            out.append((np.asarray(cpd.values), [col[v] for v in cpd.variables]))
        return out

    def _log_p(self, codes: np.ndarray) -> np.ndarray:
        """log P(row) in nats: the sum over nodes of log P(node | parents), read from pgmpy's CPDs."""
        codes = np.asarray(codes, dtype=np.int64)
        return sum(np.log(values[tuple(codes[:, j] for j in cols)]) for values, cols in self._tables())

    def _sample(self, n: int) -> np.ndarray:
        frame = self.network_.simulate(n, seed=self.config.seed + 1, show_progress=False)
        return frame[self.names_].to_numpy(dtype=np.int64)

    def sample_streams(self, count: int, length: int) -> np.ndarray:
        """The chain run forward, `count` streams at once: the first k symbols from the network
        (pgmpy's forward sampling), then each next symbol from P(s_t | s_t-k..t-1) read off its CPD."""
        k, rng = self.config.order, np.random.default_rng(self.config.seed + 1)
        values, cols = self._tables()[-1]  # the last node: the symbol at t, given its k parents
        table = np.moveaxis(values, 0, -1)  # (parents in `cols[1:]` order..., symbol)
        first = self.network_.simulate(count, seed=self.config.seed + 1, show_progress=False)
        out = first[self.names_].to_numpy(dtype=np.int64)[:, :k]
        for _ in range(length - k):
            p = table[tuple(out[:, out.shape[1] - k + c] for c in cols[1:])]  # (count, symbols)
            nxt = (rng.random((count, 1)) > p.cumsum(axis=1)).sum(axis=1, keepdims=True)
            out = np.hstack([out, np.minimum(nxt, p.shape[1] - 1)])
        return out[:, :length]

    def sample_stream(self, length: int) -> np.ndarray:
        return self.sample_streams(1, length)[0]

    def _stream_log_likelihood(self, x: np.ndarray) -> float:
        """The first k symbols by the roots, then one conditional per step."""
        k = self.config.order
        rows = self.encoding_.encode(x)
        values, cols = self._tables()[-1]
        steps = np.log(values[tuple(rows[:, j] for j in cols)]).sum()
        start = sum(np.log(self._tables()[j][0][x[j]]) for j in range(k))
        return float((steps + start) / len(x))

    def n_params(self) -> int:
        """Free parameters of the CPDs: (states - 1) per combination of the parents' states."""
        return int(sum((values.shape[0] - 1) * int(np.prod(values.shape[1:])) for values, _ in self._tables()))


ENTRANT = BNEntrant
