"""A hidden Markov model trained live: hmmlearn's Baum-Welch, a few iterations at a time.

An HMM explains a sequence x_1..x_T by hidden states z_1..z_T that follow a
Markov chain (start probabilities pi, transition matrix A) and emit one
observation each (a categorical distribution, a Gaussian, or a mixture of
Gaussians per state). Baum-Welch (EM) raises the likelihood P(x | pi, A, B) a
little with every iteration and stops when one iteration gains less than `tol`
nats, or when it runs out of iterations: that is not the same thing, and this
lab says which one happened. EM finds a local optimum, so it is run from
several random starts and the best is kept.

hmmlearn does all the numerics (fitting, Viterbi decoding, forward-backward,
sampling). This module only drives it: `fit` calls hmmlearn's own `fit` in
chunks of iterations (an `EMMonitor` tells it when to pause, and the next call
continues from the same parameters), so the page sees the log-likelihood of
every iteration while EM runs, and Stop keeps everything learned so far.
"""
import contextlib
import math
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
from hmmlearn import hmm
from hmmlearn.base import ConvergenceMonitor
from threadpoolctl import threadpool_limits

from core.config import param, seed_param
from core.data import sequences
from core.data.sequences import Sequence
from core.errors import ConfigError, TrainingDiverged
from core.models import hmm_views, hmm_weights
from core.models.base import Lab
from core.protocol import Progress, Snapshot

DATASETS = ("casino", "weather", "regimes", "upload", "upload-text")
EMISSIONS = ("categorical", "gaussian", "gmm")
COVARIANCES = ("diag", "spherical", "full", "tied")
CHUNK_SECONDS = 0.1  # hand control back this often, so Stop and the live chart never wait long


@dataclass
class HMMConfig:
    dataset: str = param("casino", "Data", choices=DATASETS)
    symbol_noise: float = param(0.0, "Symbol noise (share replaced)", min=0.0, max=0.9, step=0.05,
                                help="this share of the observed symbols each replaced by another at random; the "
                                     "hidden states, and the truth they are scored against, stay as they were")
    emission: str = param("categorical", "Emissions", choices=EMISSIONS,
                          help="categorical: a probability per symbol; gaussian: a bell curve per state; "
                               "gmm: a mixture of bell curves per state")
    n_states: int = param(2, "Hidden states", min=1, max=10)
    n_iter: int = param(1000, "EM iterations (cap per restart)", min=1, max=10_000, step=50)
    tol: float = param(0.01, "Tolerance (nats)", min=1e-6, max=100.0, log=True,
                       help="EM has converged when one iteration raises the log-likelihood by less than this")
    restarts: int = param(5, "Random restarts", min=1, max=20,
                          help="EM from this many random starts; the one with the highest likelihood is kept")
    length: int = param(10_000, "Sequence length", min=20, max=100_000, step=1000,
                        help="observations generated (not used for an upload)")
    select_up_to: int = param(0, "BIC/AIC: try 1 to this many states", min=0, max=8, help="0 = off")
    seed: int = seed_param()
    n_mix: int = param(2, "Mixture components per state (gmm)", min=1, max=5, advanced=True, when=("emission", ["gmm"]))
    covariance_type: str = param("diag", "Covariance type", choices=COVARIANCES, advanced=True,
                                 when=("emission", ["gaussian", "gmm"]),
                                 help="for one-dimensional data only 'tied' differs: one variance for all states")
    implementation: str = param("scaling", "Forward-backward arithmetic", choices=("scaling", "log"), advanced=True,
                                help="Rabiner's scaled probabilities (faster) or log probabilities")
    sample_length: int = param(300, "Sampled sequence length", min=10, max=5000, advanced=True)
    snapshot_every: int = param(100, "Snapshot every (EM iterations)", min=1, max=10_000, advanced=True)

    @property
    def steps(self) -> int:
        """A job's budget: every EM iteration of every restart, a step per model in the sweep, one to pick the best."""
        return self.restarts * self.n_iter + self.select_up_to + 1

    @property
    def device(self) -> str:
        return "cpu"  # hmmlearn runs on the CPU; there is nothing to choose


class EMMonitor(ConvergenceMonitor):
    """hmmlearn's convergence monitor, made to pause EM and to tell convergence from the cap.

    hmmlearn's `converged` is also True when EM runs out of iterations, so a run
    stopped at its cap looks converged. Here `reached_tol` and `hit_cap` are kept
    apart. hmmlearn's fit asks `converged` after every iteration; answering True
    at `pause_at` (or after `deadline`) hands control back, and because `_reset`
    keeps the curve, the next call to fit continues the same EM run.
    """

    def __init__(self, tol: float, cap: int):
        super().__init__(tol, cap, verbose=False)
        self.pause_at, self.deadline = 0, math.inf

    def _reset(self):
        pass  # one EM run spans many calls to hmmlearn's fit: keep the history

    @property
    def reached_tol(self) -> bool:
        return len(self.history) >= 2 and self.history[-1] - self.history[-2] < self.tol

    @property
    def hit_cap(self) -> bool:
        return self.iter >= self.n_iter and not self.reached_tol

    @property
    def done(self) -> bool:
        return self.reached_tol or self.iter >= self.n_iter

    @property
    def converged(self) -> bool:
        return self.done or self.iter >= self.pause_at or time.perf_counter() >= self.deadline


@dataclass
class Restart:
    """One EM run from one random start."""

    index: int
    model: hmm.BaseHMM
    monitor: EMMonitor
    final_ll: float = -math.inf  # log P(x | learned parameters) once the run is done

    @property
    def done(self) -> bool:
        return self.monitor.done


def free_parameters(config: HMMConfig, n_states: int, n_symbols: int) -> int:
    """Free scalars of an HMM on a one-dimensional sequence (what BIC counts)."""
    k = n_states
    chain = (k - 1) + k * (k - 1)
    if config.emission == "categorical":
        return chain + k * (n_symbols - 1)
    variances = 1 if config.covariance_type == "tied" else k
    if config.emission == "gaussian":
        return chain + k + variances
    m = config.n_mix
    return chain + k * (m - 1) + k * m + variances * (1 if config.covariance_type == "tied" else m)


def one_thread():
    """scikit-learn's k-means (hmmlearn's Gaussian start) on one thread: many threads only fight on a
    shared server, and on 2 cores they made it 20 times slower."""
    return threadpool_limits(1)


def _continue(X, lengths=None) -> None:
    """Stands in for hmmlearn's `_init` once EM runs: the parameters are already set."""


def model_input(config: HMMConfig, data: Sequence) -> np.ndarray:
    """(T, 1): symbol codes for categorical emissions, numbers for Gaussian ones."""
    if config.emission == "categorical":
        return data.codes.reshape(-1, 1)
    return data.values.reshape(-1, 1).astype(np.float64)


class HMM(Lab):
    """An HMM with the GenLab protocol: `fit` yields an event per EM iteration.

    Attributes
    ----------
    X_ : ndarray (T, 1)
        The sequence as hmmlearn reads it (symbol codes, or numbers).
    runs_ : list of Restart
        Each EM run from one random start, in order: its hmmlearn model and its monitor.
    best_ : Restart or None
        The finished run with the highest log-likelihood.
    picked_ : bool
        The best run has been picked (the job's last step).
    selection_ : dict
        Number of states -> (BIC, AIC), from the sweep.
    oracle_ : dict or None
        Viterbi decoding with the true parameters, when the data has them.
    step_, data_, device_ : see `Lab`.
    """

    Config = HMMConfig
    FAMILY = "hmm"
    STEPS_FIELD = "n_iter"  # the CLI's --steps: EM iterations per restart
    WEIGHTS_FORMAT, WEIGHTS_SUFFIX = "genlab-hmm-1", "json"
    device_ = "cpu"  # hmmlearn runs on the CPU

    # -- setup -------------------------------------------------------------
    def check(self, data: Sequence) -> None:
        """Refuse settings this sequence cannot support, in words, before any training."""
        cfg, n = self.config, len(data)
        if cfg.emission == "categorical" and data.codes is None:
            raise ConfigError("hmm.needs_symbols", name=data.name)
        if cfg.emission != "categorical" and data.values is None:
            raise ConfigError(f"hmm.needs_numbers.{cfg.emission}", column=data.obs_label, symbol=data.symbols[0])
        if cfg.emission != "categorical" and data.codes is not None:
            raise ConfigError("hmm.few_values", name=data.name, count=len(data.symbols))
        if n < cfg.n_states:
            raise ConfigError("hmm.fewer_than_states", n=n, states=cfg.n_states)
        n_symbols = len(data.symbols)
        needed = free_parameters(cfg, cfg.n_states, n_symbols)
        if needed >= n:
            most = max((k for k in range(1, cfg.n_states) if free_parameters(cfg, k, n_symbols) < n), default=0)
            raise ConfigError(f"hmm.too_many_parameters.{cfg.emission}", states=cfg.n_states, needed=needed, n=n,
                              most=most)

    def _initialise(self, data: Sequence) -> None:
        self.X_ = model_input(self.config, data)
        self.runs_: list[Restart] = []
        self.selection_: dict[int, tuple[float, float]] = {}  # states -> (BIC, AIC)
        self.best_: Restart | None = None
        self.picked_ = False  # the best restart has been picked (the last step)
        self.step_ = 0
        self.oracle_ = hmm_views.oracle(self.config, data)  # decoding with the true parameters: computed once

    def _new_model(self, n_states: int, seed: int) -> hmm.BaseHMM:
        cfg = self.config
        common = dict(n_components=n_states, n_iter=cfg.n_iter, tol=cfg.tol, random_state=seed,
                      implementation=cfg.implementation)
        if cfg.emission == "categorical":
            return hmm.CategoricalHMM(n_features=len(self.data_.symbols), **common)
        if cfg.emission == "gaussian":
            return hmm.GaussianHMM(covariance_type=cfg.covariance_type, **common)
        return hmm.GMMHMM(n_mix=cfg.n_mix, covariance_type=cfg.covariance_type, **common)

    def _seed(self, *parts: int) -> int:
        return int(np.random.SeedSequence([self.config.seed, *parts]).generate_state(1)[0])

    def start_restart(self) -> Restart:
        """One more EM run, from the next random start."""
        index = len(self.runs_)
        model = self._new_model(self.config.n_states, self._seed(index))
        model.monitor_ = EMMonitor(self.config.tol, self.config.n_iter)
        run = Restart(index, model, model.monitor_)
        self.runs_.append(run)
        return run

    # -- one chunk of EM ---------------------------------------------------
    def _em_chunk(self, run: Restart, iterations: int) -> list[float]:
        """Up to `iterations` Baum-Welch iterations (fewer if EM converges or time is up).

        The first call lets hmmlearn draw the random start; later calls continue
        from the parameters as they are. Returns the log-likelihood reported at
        each iteration (of the parameters before that iteration's M-step).
        """
        mon = run.monitor
        first = mon.iter
        mon.pause_at = first + iterations
        mon.deadline = time.perf_counter() + CHUNK_SECONDS
        starting = first == 0 and self.config.emission != "categorical"  # hmmlearn starts these by k-means
        with one_thread() if starting else contextlib.nullcontext():
            run.model.fit(self.X_)
        if first == 0:  # later chunks continue from these parameters, untouched:
            run.model.init_params = ""
            run.model._init = _continue  # GMMHMM's _init re-runs k-means even with init_params=""
        curve = list(mon.history)[first:]
        if run.done:
            run.final_ll = run.model.score(self.X_)
            if self.best_ is None or run.final_ll > self.best_.final_ll:
                self.best_ = run
        return curve

    def _current(self) -> Restart | None:
        """The restart EM is working on, starting the next one when the last is done."""
        unfinished = next((r for r in self.runs_ if not r.done), None)
        if unfinished is not None:
            return unfinished
        if len(self.runs_) < self.config.restarts:
            return self.start_restart()
        return None

    def _remaining(self) -> int:
        """An upper bound on the steps left (restarts that converge early end sooner)."""
        cfg = self.config
        left = sum(r.monitor.n_iter - r.monitor.iter for r in self.runs_ if not r.done)
        left += (cfg.restarts - len(self.runs_)) * cfg.n_iter
        return left + len(self._sweep_left()) + (0 if self.picked_ else 1)

    def _sweep_left(self) -> list[int]:
        return [k for k in range(1, self.config.select_up_to + 1) if k not in self.selection_]

    # -- the protocol ------------------------------------------------------
    def _train(self, steps: int) -> Iterator[Progress]:
        """Run `steps` more steps: EM iterations, restart after restart.

        One Progress per EM iteration (its log-likelihood), a Snapshot every
        `snapshot_every` iterations and when a restart ends, then the BIC/AIC
        sweep (one step per number of states), then a last Snapshot of the best
        restart. Called again after everything ended, it gives the best restart
        more iterations if it stopped at its cap.
        """
        cfg = self.config
        end = self.step_ + steps
        if self.picked_ and self.best_.monitor.hit_cap:
            self.best_.monitor.n_iter += cfg.n_iter  # Continue: more EM for the best run, stopped at its cap
            self.best_.model.n_iter = self.best_.monitor.n_iter
            self.picked_ = False
        while self.step_ < end:
            run = self._current()
            if run is not None:
                yield from self._em_events(run, end)
            elif self._sweep_left():
                yield self._sweep_one(self._sweep_left()[0])
            elif not self.picked_:
                self.picked_, self.step_ = True, self.step_ + 1
                yield self._progress(self.step_, {}, hmm_views.snapshot(self, self.best_))
            else:
                break

    def _em_events(self, run: Restart, end: int) -> Iterator[Progress]:
        every = self.config.snapshot_every
        first = run.monitor.iter
        curve = self._em_chunk(run, min(end - self.step_, every - first % every))
        if not np.isfinite(curve).all():
            self._abandon(run)
        total = self.step_ + len(curve) + self._remaining()
        for i, ll in enumerate(curve):
            self.step_ += 1
            last = i == len(curve) - 1
            snap = hmm_views.snapshot(self, run) if last and (run.done or run.monitor.iter % every == 0) else None
            yield self._progress(total, {"log-likelihood": ll, "restart": run.index + 1, "iteration": first + i + 1},
                                 snap)

    def _abandon(self, run: Restart) -> None:
        """A log-likelihood became NaN or infinite: end this restart, keep the others, and say so."""
        run.monitor.n_iter = run.monitor.iter  # done: later fits move on to the next restart
        run.final_ll = -math.inf
        raise TrainingDiverged(self.step_, "hmm.broke_down", restart=run.index + 1)


    def _sweep_one(self, n_states: int) -> Progress:
        """Fit hmmlearn for one number of states (best of `restarts` starts) and score it by BIC and AIC."""
        cfg = self.config
        bic = aic = math.nan
        if free_parameters(cfg, n_states, len(self.data_.symbols)) < len(self.X_):
            best, best_ll = None, -math.inf
            if self.best_ is not None and n_states == cfg.n_states:  # the main run's restarts count too
                best, best_ll = self.best_.model, self.best_.final_ll
            with one_thread():
                for r in range(cfg.restarts):
                    model = self._new_model(n_states, self._seed(1000 + n_states, r)).fit(self.X_)
                    ll = model.score(self.X_)
                    if ll > best_ll:
                        best, best_ll = model, ll
            bic, aic = best.bic(self.X_), best.aic(self.X_)
        self.selection_[n_states] = (bic, aic)
        self.step_ += 1
        shown = self.best_ or (self.runs_[-1] if self.runs_ else None)
        snap = hmm_views.snapshot(self, shown) if shown is not None else None
        return self._progress(self.step_ + self._remaining(), {}, snap)

    def shown_run(self) -> Restart:
        """The run the page shows and samples from: the best finished one, else the latest."""
        self.check_fitted()
        run = self.best_ or (self.runs_[-1] if self.runs_ else None)
        if run is None:
            raise ConfigError("hmm.not_trained")
        return run

    def sample_with_states(self, n: int, seed: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """n observations (as the data shows them) and their hidden states, from the best model."""
        x, states = self.shown_run().model.sample(n, random_state=self._seed(2**20) if seed is None else seed)
        if self.config.emission == "categorical":
            values = self.data_.symbol_values
            x = values[x[:, 0].astype(int)] if values is not None else x[:, 0]
        else:
            x = x[:, 0]
        return np.asarray(x, dtype=np.float64).reshape(-1, 1), states

    def sample(self, n: int) -> np.ndarray:
        """(n, 1) observations sampled from the best model (die faces for the casino)."""
        return self.sample_with_states(n)[0]

    def save_weights(self) -> bytes:
        """The best restart's parameters (start, transitions, emissions) and the settings, as JSON."""
        return hmm_weights.save(self)

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["HMM", Sequence]:
        return hmm_weights.restore(cls, raw, load_data)

    def snapshot(self, final: bool = False) -> Snapshot:
        """The shown run now: learned against true parameters, decoding, posteriors, samples."""
        return hmm_views.snapshot(self, self.shown_run())

    def log_likelihood(self, x: np.ndarray) -> float:
        """log P(x | learned parameters) in nats, by the forward algorithm (x as `sample` returns it)."""
        x = np.asarray(x).reshape(-1)
        if self.config.emission == "categorical":
            values = self.data_.symbol_values
            codes = np.searchsorted(values, x) if values is not None else x.astype(int)
            if values is not None and not np.array_equal(values[np.clip(codes, 0, len(values) - 1)], x):
                raise ConfigError("hmm.unseen_symbols")
            x = codes
        return float(self.shown_run().model.score(np.asarray(x).reshape(-1, 1)))


LAB = HMM  # what core.families builds for this family


def load_data(config: HMMConfig, upload: bytes | None = None) -> Sequence:
    """The sequence the config names, with `symbol_noise` of its observations replaced (core.data.contamination)."""
    seq = _clean_data(config, upload)
    if not config.symbol_noise:
        return seq
    if seq.codes is None:
        raise ConfigError("quality.hmm_values")
    from dataclasses import replace

    from core.data.contamination import replace_symbols
    from core.i18n import Words

    codes = replace_symbols(seq.codes, [len(seq.symbols)], config.symbol_noise, config.seed)
    values = seq.values
    if values is not None:  # the numbers the symbols stand for (a die's faces) follow the symbols
        lut = np.zeros(len(seq.symbols))
        lut[seq.codes] = values
        values = lut[codes]
    note = Words("quality.note.symbols", {"level": config.symbol_noise})
    return replace(seq, codes=codes, values=values, notes=tuple(seq.notes) + (note,))


def _clean_data(config: HMMConfig, upload: bytes | None = None) -> Sequence:
    """The sequence the config names; 'upload' goes through the validated CSV reader."""
    if config.dataset.startswith("upload"):
        if upload is None:
            raise ConfigError(f"hmm.no_upload.{config.dataset.replace('-', '_')}")
        if config.dataset == "upload-text":
            return sequences.load_text_sequence(upload)
        return sequences.load_sequence_csv(upload)
    return sequences.GENERATORS[config.dataset](n=config.length, seed=config.seed)
