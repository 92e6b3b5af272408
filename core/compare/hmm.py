"""The HMM entrant: hmmlearn, used directly.

- On a stream of symbols it is what it was made for: a CategoricalHMM, trained
  by Baum-Welch.
- On independent points (2-D, or 64 pixels) it is a GaussianHMM whose every
  transition row equals the start probabilities pi: the chain forgets where
  it was at each step, so it is exactly a Gaussian mixture with weights pi,
  and the rows of a data set may be read as one sequence. hmmlearn's
  Baum-Welch then computes the mixture's responsibilities and updates the
  means and variances; the one line it cannot do (tie the transition rows to
  pi) is done here: pi <- the mean responsibility, the mixture's M-step for
  its weights. hmmlearn's own sampler and scorer then draw and score i.i.d.
  points.
- A table's row is several different variables at once, not a sequence in
  time from one alphabet: the HMM does not play (no "tabular" in `PLAYS`).
"""
import warnings
from dataclasses import dataclass

import numpy as np

from core.compare.base import Entrant, EntrantConfig
from core.compare.encoding import Floats, Pixels, Stream
from core.config import param, seed_param
from core.errors import TrainingDiverged
from core.protocol import Progress

CHUNK = 5  # EM iterations between reports
STREAM_PIECE = 1000  # a long stream is fitted as pieces of this length (hmmlearn's `lengths`)


class HMMEntrant(Entrant):
    """hmmlearn's HMM: a CategoricalHMM on a stream, a GaussianHMM that forgets (a mixture) on points.

    Fitted: `model_`, and `learned_`, the letters of hmmlearn's parameters that
    training learns (what `n_params` counts).
    """

    family, library = "hmm", "hmmlearn"
    curve = "log-likelihood per sample"  # the series the page draws live

    @dataclass
    class Config(EntrantConfig):
        steps: int = param(60, "EM iterations", min=1, max=1000)
        n_states: int = param(10, "Hidden states (mixture components for points)", min=1, max=40)
        seed: int = seed_param()

    PLAYS = {"points": lambda cfg: Floats(), "digits": lambda cfg: Pixels(dequantise_seed=cfg.seed),
             "sequences": lambda cfg: Stream()}

    def _start_rows(self, encoding) -> None:
        """A Gaussian mixture: a GaussianHMM whose chain forgets (weights pi, tied below)."""
        from hmmlearn import hmm

        cfg = self.config
        self.model_ = hmm.GaussianHMM(cfg.n_states, covariance_type="diag", n_iter=1, random_state=cfg.seed,
                                      params="mc", init_params="mc")
        self.model_.startprob_ = np.full(cfg.n_states, 1 / cfg.n_states)
        self._iid()
        self.X_, self.lengths_ = encoding.train_, None
        self.learned_ = "smc"  # a mixture's weights are its 's'
        self.converged_ = False

    def _start_stream(self, encoding) -> None:
        """A CategoricalHMM on the stream, fitted as pieces of STREAM_PIECE symbols."""
        from hmmlearn import hmm

        cfg = self.config
        self.model_ = hmm.CategoricalHMM(cfg.n_states, n_features=encoding.n_symbols_, n_iter=CHUNK,
                                         random_state=cfg.seed, tol=1e-4)
        self.X_, self.lengths_ = encoding.train_.reshape(-1, 1), _pieces(len(encoding.train_))
        self.learned_ = "ste"
        self.converged_ = False

    def _train(self, steps: int):
        end = self.step_ + steps
        mixture = self.lengths_ is None
        while self.step_ < end and not self.converged_:
            self.model_.n_iter = 1 if mixture else min(CHUNK, end - self.step_)
            before = self.model_.monitor_.history[-1] if self.step_ else -np.inf
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # "model is not converging" when a chunk ends early: expected
                    self.model_.fit(self.X_, self.lengths_)
                    if mixture:  # the weights' M-step, then the chain forgets again
                        self.model_.startprob_ = self.model_.predict_proba(self.X_).mean(axis=0)
                        self._iid()
            except (ValueError, np.linalg.LinAlgError):
                raise TrainingDiverged(self.step_, "compare.em_broke_down") from None
            self.model_.init_params = ""  # later chunks continue from these parameters
            monitor = self.model_.monitor_
            self.step_ += monitor.iter
            ll = monitor.history[-1]
            self.converged_ = monitor.converged and monitor.iter < self.model_.n_iter or (
                mixture and ll - before < self.model_.tol)
            yield Progress(self.step_, end, {"log-likelihood per sample": float(ll) / len(self.X_)})

    def _iid(self):
        """The mixture as an HMM that forgets: every transition row equals the start probabilities."""
        self.model_.transmat_ = np.tile(self.model_.startprob_, (self.model_.n_components, 1))
        return self.model_

    def _sample(self, n: int) -> np.ndarray:
        x, _ = self.model_.sample(n, random_state=self.config.seed + 1)
        return x

    def sample_stream(self, length: int) -> np.ndarray:
        x, _ = self.model_.sample(length, random_state=self.config.seed + 1)
        return x[:, 0].astype(np.int64)

    def _rows_log_likelihood(self, x: np.ndarray) -> float:
        return self.model_.score(x) / len(x)  # the chain forgets: the same as scoring each point alone

    def _stream_log_likelihood(self, x: np.ndarray) -> float:
        return self.model_.score(x.reshape(-1, 1), _pieces(len(x))) / len(x)

    def n_params(self) -> int:
        per = self.model_._get_n_fit_scalars_per_param()
        return int(sum(per[p] for p in self.learned_))


def _pieces(n: int) -> np.ndarray:
    lengths = [STREAM_PIECE] * (n // STREAM_PIECE)
    return np.array(lengths + ([n % STREAM_PIECE] if n % STREAM_PIECE else []), dtype=int)


ENTRANT = HMMEntrant
