"""A Bayesian network learned live with pgmpy: structure, then parameters.

A Bayesian network says P(x) = prod_i P(x_i | parents(x_i)) for a directed
acyclic graph (DAG). Learning it from a table has two halves:

- structure: which arrows. Hill climbing starts from no arrows and, step by
  step, adds, removes or flips the one arrow that raises a score (BIC, K2 or
  BDeu) most, until no change helps: a local optimum. PC instead tests
  conditional independences and returns an equivalence class (a CPDAG), in
  which some arrows stay undirected because the data cannot orient them.
- parameters: one table P(x_i | parents) per node, by counting (maximum
  likelihood) or with Dirichlet pseudo-counts (Bayesian, an equivalent sample
  size).

pgmpy does the numerics: its scores, its hill-climbing moves, PC, the
parameter estimators, sampling and inference. The search, one hill-climbing
step at a time, is core.models.bayesnet_search; the snapshot,
core.models.bayesnet_views; the XMLBIF file, core.models.bayesnet_weights.

pgmpy takes seconds to import, so it is imported inside the functions that use
it: importing this module (and opening any other page) stays fast.
"""
import dataclasses
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from core.config import param, seed_param
from core.data import networks, tabular
from core.data.networks import NETWORKS
from core.data.tabular import DiscreteData
from core.errors import ConfigError, GenLabError
from core.models import bayesnet_views as views, bayesnet_weights
from core.models.base import Lab
from core.models.bayesnet_search import (HillClimb, integer_frame, learn_structure, named, pc_edges, pc_start,
                                         score_function, starts)
from core.protocol import Progress, Snapshot

DATASETS = NETWORKS + ("upload",)
METHODS = ("hill-climb", "hybrid", "pc")
CLIMBS = ("hill-climb", "hybrid")  # the methods that hill-climb
SCORES = ("bic", "k2", "bdeu")
ESTIMATORS = ("mle", "bayes")
CURVE_SIZES = (100, 300, 1000, 3000, 10_000, 30_000, 100_000)


@dataclass
class BNConfig:
    dataset: str = param("asia", "Network (data)", choices=DATASETS,
                         help="a network that ships with pgmpy, forward-sampled; or your own CSV of categories")
    n_rows: int = param(10_000, "Rows sampled", min=100, max=100_000, step=1000,
                        help="rows drawn from the true network to learn from", when=("dataset", NETWORKS))
    missing: float = param(0.0, "Missing cells in the training rows (share)", min=0.0, max=0.5, step=0.05,
                           help="this share of the training cells blanked, then every row with a blank dropped "
                                "(pgmpy's learners take complete rows); the held-out rows stay complete",
                           when=("dataset", NETWORKS))
    known_structure: bool = param(False, "Known structure (learn parameters only)",
                                  help="skip structure learning: use the true graph, learn its tables",
                                  when=("dataset", NETWORKS))
    method: str = param("hill-climb", "Structure learning", choices=METHODS,
                        help="hill-climb: greedy search on a score from no arrows; hybrid: a second climb "
                             "starts from PC's graph and the better score wins; pc: independence tests")
    score: str = param("bic", "Score (hill climbing)", choices=SCORES,
                       help="BIC: log-likelihood minus (log N / 2) x free parameters; K2 and BDeu: Bayesian scores",
                       when=("method", CLIMBS))
    max_indegree: int = param(0, "Maximum parents per node (hill climbing)", min=0, max=8, help="0 = no limit",
                              when=("method", CLIMBS))
    max_iter: int = param(300, "Hill-climbing steps (cap)", min=1, max=5000, step=50,
                          help="each step adds, removes or flips one arrow; the search stops earlier when no "
                               "step improves the score", when=("method", CLIMBS))
    estimator: str = param("mle", "Parameters", choices=ESTIMATORS,
                           help="mle: relative counts; bayes: counts plus a Dirichlet (BDeu) prior")
    ess: float = param(5.0, "Equivalent sample size", min=0.1, max=1000.0,
                       help="the weight of the prior, in imagined rows (Bayesian parameters and the BDeu score)")
    curve_up_to: int = param(0, "Learning curve: SHD up to this many rows", choices=(0,) + CURVE_SIZES,
                             help="learn the structure again from 100, 300, 1,000 ... rows; 0 = off",
                             when=("dataset", NETWORKS))
    curve_seeds: int = param(1, "Learning curve: samples per size", min=1, max=10,
                             help="each size is learned from this many independent samples (seeds seed, seed+1, "
                                  "...); the chart shows each one and their median", when=("curve_up_to", CURVE_SIZES))
    seed: int = seed_param()
    significance: float = param(0.01, "PC: significance level", min=1e-5, max=0.2, log=True, advanced=True,
                                help="an independence test with a p-value above this removes the edge",
                                when=("method", ("pc", "hybrid")))
    tabu_length: int = param(100, "Tabu list length", min=0, max=1000, advanced=True,
                             help="the last moves that may not be undone (pgmpy's default: 100)",
                             when=("method", CLIMBS))
    drop_missing: bool = param(False, "Drop rows with missing values (upload)", advanced=True,
                               when=("dataset", ("upload",)))
    bins: int = param(0, "Bins for numeric columns (upload)", min=0, max=10, advanced=True,
                      help="cut numeric columns with many values into this many equal-count bins; 0 = refuse them",
                      when=("dataset", ("upload",)))
    sample_rows: int = param(2000, "Rows sampled from the learned network", min=100, max=20_000, advanced=True)
    snapshot_every: int = param(5, "Snapshot every (hill-climbing steps)", min=1, max=1000, advanced=True,
                                when=("method", CLIMBS))

    @property
    def steps(self) -> int:
        """A job's budget: the search's steps, one for the parameters, one per learning-curve point."""
        return starts(self) * self.max_iter + 1 + len(curve_points(self))

    @property
    def device(self) -> str:
        return "cpu"  # pgmpy runs on the CPU


def curve_points(config: BNConfig) -> list[tuple[int, int]]:
    """(rows, seed) of each learning-curve point: every size up to `curve_up_to`, `curve_seeds` samples each."""
    sizes = [n for n in CURVE_SIZES if n <= config.curve_up_to]
    return [(n, config.seed + k) for n in sizes for k in range(config.curve_seeds)]


class BayesNet(Lab):
    """A Bayesian network with the GenLab protocol: `fit` yields an event per hill-climbing step.

    Attributes
    ----------
    climbs_ : list of HillClimb
        The hill climbs so far: one from no arrows, and (hybrid) one from PC's graph.
    scores_ : list of list of float
        Per climb: its score at the start and after each step.
    best_climb_ : int or None
        The climb whose graph was kept.
    directed_ : list of (str, str) or None
        The learned arrows, once the structure is known; `undirected_`: PC's edges it could not orient.
    network_ : pgmpy DiscreteBayesianNetwork or None
        The learned network, once its tables are learned.
    curve_ : list of dict
        Learning-curve points: rows, seed, SHD and CPDAG SHD.
    truth_ : dict or None
        The true graph, its equivalence class and held-out score (None for an upload).
    step_, data_, device_ : see `Lab`.
    """

    Config = BNConfig
    FAMILY = "bayesnet"
    STEPS_FIELD = "max_iter"  # the CLI's --steps: hill-climbing steps
    WEIGHTS_FORMAT, WEIGHTS_SUFFIX = "genlab-bayesnet-1", "xmlbif"
    device_ = "cpu"  # pgmpy runs on the CPU

    # -- setup -------------------------------------------------------------
    def check(self, data: DiscreteData) -> None:
        cfg = self.config
        if cfg.known_structure and data.truth is None:
            raise ConfigError("bayesnet.known_structure_upload")
        if cfg.curve_up_to and data.truth is None:
            raise ConfigError("bayesnet.curve_upload")
        if cfg.method == "pc" and len(data) < 50:
            raise ConfigError("bayesnet.pc_rows", rows=len(data))

    def _initialise(self, data: DiscreteData) -> None:
        self.step_ = 0
        self.climbs_: list[HillClimb] = []
        self.best_climb_: int | None = None  # the climb whose graph was kept
        self.directed_: list[tuple[str, str]] | None = None  # the learned graph, once the structure is known
        self.undirected_: list[tuple[str, str]] = []  # PC: edges it could not orient
        self.scores_: list[list[float]] = []  # per climb: the score at its start and after each step
        self.network_ = None  # the learned pgmpy network, once its parameters are learned
        self.curve_: list[dict] = []
        self.truth_ = views.truth(data)  # the true graph, its class and its held-out score: computed once

    # -- the protocol ------------------------------------------------------
    def _train(self, steps: int) -> Iterator[Progress]:
        """Run `steps` more steps: search steps, then parameters, then the curve.

        Hill climbing: one event per step (its score), a snapshot every
        `snapshot_every` steps. PC and a known structure: one event for the
        whole structure. Then one event for the parameters (with the full
        snapshot), then one per learning-curve point.
        """
        end = self.step_ + steps
        while self.step_ < end:
            event = self._next_event()
            if event is None:
                return
            yield event

    def _next_event(self) -> Progress | None:
        if self.directed_ is None:
            return self._structure_event()
        if self.network_ is None:
            self.network_ = self._learn_parameters()
            return self._event({}, self.snapshot())
        done = {(c["rows"], c["seed"]) for c in self.curve_}
        left = [p for p in curve_points(self.config) if p not in done]
        if left:
            self.curve_.append(self._curve_point(*left[0]))
            return self._event({"curve SHD": self.curve_[-1]["shd"]}, self.snapshot())
        return None

    def _structure_event(self) -> Progress:
        cfg, data = self.config, self.data_
        if cfg.known_structure:
            self.directed_ = sorted(data.truth.edges())
            return self._event({}, None)
        if cfg.method == "pc":
            self.directed_, self.undirected_ = pc_edges(cfg, integer_frame(data), data.columns)
            return self._event({}, None)
        climb = self._climb()
        first = len(self.scores_[-1]) == 1  # no step of this climb reported yet
        moved = climb.step() if len(self.scores_[-1]) <= cfg.max_iter else False
        if moved:
            self.scores_[-1].append(climb.score)
        climb.done = not moved
        if not moved and len(self.climbs_) == starts(cfg):  # every climb has ended: the best score wins
            best = max(self.climbs_, key=lambda c: c.score)
            self.directed_ = named(best.dag.edges(), data.columns)
            self.best_climb_ = self.climbs_.index(best)
        snap = self.snapshot() if not moved or (len(self.scores_[-1]) - 1) % cfg.snapshot_every == 0 else None
        losses = {"score": climb.score, "climb": len(self.climbs_), "arrows": climb.dag.number_of_edges()}
        if first:  # the page draws a new climb's line from its start, before its first snapshot
            losses["climb start"] = self.scores_[-1][0]
        return self._event(losses, snap)

    def _climb(self) -> HillClimb:
        """The climb under way, or the next: from no arrows, then (hybrid) from PC's graph."""
        if self.climbs_ and not self.climbs_[-1].done:
            return self.climbs_[-1]
        if not self.climbs_:
            self.frame_ = integer_frame(self.data_)
            self.scorer_ = score_function(self.config, self.frame_)
        start = pc_start(self.config, self.frame_) if self.climbs_ else []
        climb = HillClimb(self.config, self.frame_, start, self.scorer_)
        self.climbs_.append(climb)
        self.scores_.append([climb.score])
        return climb

    def _event(self, losses: dict, snap: Snapshot | None) -> Progress:
        self.step_ += 1
        if snap is not None:
            snap.step = self.step_
        return self._progress(self.step_ + self._remaining(), losses, snap)

    def _remaining(self) -> int:
        """An upper bound on the steps left (hill climbing usually stops well before its cap)."""
        cfg = self.config
        left = len(curve_points(cfg)) - len(self.curve_) + (self.network_ is None)
        if self.directed_ is None:
            done = sum(len(s) - 1 for s in self.scores_)
            left += 1 if cfg.known_structure or cfg.method == "pc" else starts(cfg) * cfg.max_iter - done
        return max(left, 0)

    # -- parameters, samples, likelihood ------------------------------------
    def _learn_parameters(self, dag: list[tuple[str, str]] | None = None):
        """pgmpy's maximum-likelihood or Bayesian (BDeu prior) estimator on the learned DAG (or on `dag`)."""
        from pgmpy.models import DiscreteBayesianNetwork
        from pgmpy.parameter_estimator import DiscreteBayesianEstimator, DiscreteMLE

        data, cfg = self.data_, self.config
        dag = self.dag_edges() if dag is None else dag
        network = DiscreteBayesianNetwork(dag)
        network.add_nodes_from(data.columns)
        names = dict(zip(data.columns, data.states))
        estimator = (DiscreteMLE(state_names=names) if cfg.estimator == "mle" else
                     DiscreteBayesianEstimator(state_names=names, prior_type="BDeu",
                                               equivalent_sample_size=cfg.ess))
        return network.fit(data.frame(), estimator=estimator)

    def dag_edges(self) -> list[tuple[str, str]]:
        """The learned DAG's arrows; for PC, one DAG of its equivalence class (pgmpy orients the rest)."""
        if not self.undirected_:
            return list(self.directed_)
        from pgmpy.base import PDAG

        pdag = PDAG(directed_ebunch=self.directed_, undirected_ebunch=self.undirected_)
        pdag.add_nodes_from(self.data_.columns)
        try:
            return sorted(pdag.to_dag().edges())
        except Exception:  # pgmpy cannot extend every PDAG that noisy tests give
            raise GenLabError("bayesnet.pc_no_dag") from None

    def _curve_point(self, rows: int, seed: int) -> dict:
        data = networks.forward_sample(self.data_.name, rows, seed)  # at 10,000 rows and seed 0: the asia preset's data
        directed, undirected = learn_structure(dataclasses.replace(self.config, seed=seed), data)
        truth = self.truth_["edges"]
        return {"rows": rows, "seed": seed, "shd": views.shd(truth, self.dag_like(directed, undirected)),
                "cpdag_shd": views.cpdag_shd(truth, directed, undirected, data.columns)}

    @staticmethod
    def dag_like(directed, undirected) -> list[tuple[str, str]]:
        """For SHD against a DAG, an undirected edge counts as a guess in name order."""
        return sorted(directed) + sorted(tuple(sorted(e)) for e in undirected)

    def _shown(self):
        if self.network_ is None:
            raise ConfigError("bayesnet.no_parameters")
        return self.network_

    def sample(self, n: int, seed: int | None = None) -> np.ndarray:
        """(n, D) integer codes of rows forward-sampled from the learned network (columns sorted by name)."""
        frame = self._shown().simulate(n, seed=self.config.seed + 1 if seed is None else seed, show_progress=False)
        return self.data_.codes_of(frame)

    def samples_text(self, samples: np.ndarray) -> str:
        """The samples as CSV with the column names and the state names."""
        return self.data_.text(np.asarray(samples).astype(np.int64))

    def log_likelihood(self, x: np.ndarray) -> float:
        """log P(x) under the learned network, summed over the rows (nats); x as `sample` returns it."""
        return float(views.row_log_likelihoods(self._shown(), self.data_, np.asarray(x)).sum())

    def snapshot(self, final: bool = False) -> Snapshot:
        """What the page draws for the network as it is now."""
        return views.snapshot(self)

    # -- weights: the network as XMLBIF, by pgmpy's writer and reader ---------
    def save_weights(self) -> bytes:
        return bayesnet_weights.save(self)

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["BayesNet", DiscreteData]:
        return bayesnet_weights.restore(cls, raw, load_data)


LAB = BayesNet  # what core.families builds for this family


MIN_COMPLETE_ROWS = 20  # rows left to learn from once the incomplete ones are dropped


def load_data(config: BNConfig, upload: bytes | None = None) -> DiscreteData:
    """The table the config names: forward-sampled from a pgmpy network, or an upload, validated."""
    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("bayesnet.no_upload")
        return tabular.load_discrete_csv(upload, config.drop_missing, config.bins, config.seed)
    data = networks.forward_sample(config.dataset, config.n_rows, config.seed)
    return _with_missing(data, config.missing, config.seed) if config.missing else data


def _with_missing(data: DiscreteData, share: float, seed: int) -> DiscreteData:
    """`share` of the training cells blanked and the incomplete rows dropped (core.data.contamination)."""
    from dataclasses import replace

    from core.data.contamination import blank_cells, impute
    from core.errors import DataError
    from core.i18n import Words

    codes = impute(data.codes, blank_cells(data.codes.shape, share, seed), "drop", categorical=True)
    if len(codes) < MIN_COMPLETE_ROWS:
        raise DataError("quality.too_few.tabular", kept=len(codes), need=MIN_COMPLETE_ROWS,
                        hint=Words("quality.hint.lower"))
    note = Words("quality.note.missing", {"level": share, "kept": f"{len(codes):,}", "total": f"{len(data.codes):,}",
                                          "how": Words("quality.impute.drop")})
    return replace(data, codes=codes, notes=tuple(data.notes) + (note,))

