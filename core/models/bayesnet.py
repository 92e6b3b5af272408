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
parameter estimators, sampling and inference. pgmpy's hill climbing has no
callback, so `HillClimb` runs pgmpy's own step (its `_legal_operations_dag`
generator of scored moves, the same loop body as its `fit`) one step at a
time, keeping the tabu list and the score cache: the page sees the score of
every step, Stop keeps the graph found so far, and the result is the graph
pgmpy's `fit` finds (a test checks that).

pgmpy breaks ties between equally good moves in the order of a Python set of
variable pairs, which for string names changes with PYTHONHASHSEED. The search
therefore runs on the variables' integer positions (the columns are sorted by
name), whose set order never changes: the same seed and data give the same
graph in every process.

pgmpy takes seconds to import, so it is imported inside the functions that use
it: importing this module (and opening any other page) stays fast.
"""
import dataclasses
import math
from collections import deque
from dataclasses import dataclass
from typing import ClassVar, Iterator

import numpy as np

from core.config import param
from core.data.networks import NETWORKS
from core.data.tabular import DiscreteData
from core.errors import ConfigError, DataError, GenLabError
from core.protocol import Progress, Snapshot

DATASETS = NETWORKS + ("upload",)
METHODS = ("hill-climb", "hybrid", "pc")
CLIMBS = ("hill-climb", "hybrid")  # the methods that hill-climb
SCORES = ("bic", "k2", "bdeu")
ESTIMATORS = ("mle", "bayes")
CURVE_SIZES = (100, 300, 1000, 3000, 10_000, 30_000, 100_000)
PGMPY_SCORE = {"bic": "bic-d", "k2": "k2", "bdeu": "bdeu"}
EPSILON = 1e-4  # pgmpy's default: a move must gain at least this much score


@dataclass
class BNConfig:
    STEPS_FIELD: ClassVar[str] = "max_iter"  # the CLI's --steps: hill-climbing steps
    dataset: str = param("asia", "Network (data)", choices=DATASETS,
                         help="a network that ships with pgmpy, forward-sampled; or your own CSV of categories")
    n_rows: int = param(10_000, "Rows sampled", min=100, max=100_000, step=1000,
                        help="rows drawn from the true network to learn from", when=("dataset", NETWORKS))
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
    seed: int = param(0, "Seed", min=0, max=2**31 - 1)
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


def starts(config: BNConfig) -> int:
    """Hill climbs to run: one from no arrows; the hybrid adds one from PC's graph."""
    return 2 if config.method == "hybrid" else 1


def curve_points(config: BNConfig) -> list[tuple[int, int]]:
    """(rows, seed) of each learning-curve point: every size up to `curve_up_to`, `curve_seeds` samples each."""
    sizes = [n for n in CURVE_SIZES if n <= config.curve_up_to]
    return [(n, config.seed + k) for n in sizes for k in range(config.curve_seeds)]


def integer_frame(data: DiscreteData):
    """The table with variables named 0..D-1 (sorted names) and integer states: hash-order free."""
    import pandas as pd

    return pd.DataFrame(data.codes.astype(np.int64), columns=range(len(data.columns)))


def score_function(config: BNConfig, frame):
    """pgmpy's structure score for this config, built as pgmpy's hill climbing builds it."""
    from pgmpy.structure_score import BDeu, get_scoring_method

    if config.score == "bdeu":
        return BDeu(frame, equivalent_sample_size=config.ess)
    return get_scoring_method(PGMPY_SCORE[config.score], frame)


class HillClimb:
    """pgmpy's hill climbing, one step per call: the body of `HillClimbSearch._fit`'s loop.

    The moves and their score changes come from pgmpy's own generator; this
    keeps the current graph, the tabu list and the score between steps.
    """

    def __init__(self, config: BNConfig, frame, start: list | tuple = (), scorer=None):
        from pgmpy.base import DAG
        from pgmpy.causal_discovery import ExpertKnowledge, HillClimbSearch

        self.search = HillClimbSearch(tabu_length=config.tabu_length, show_progress=False)
        self.search.variables_ = list(frame.columns)
        self.scorer = scorer or score_function(config, frame)  # shared between climbs: one score cache
        self.knowledge = ExpertKnowledge()
        self.max_indegree = config.max_indegree or math.inf
        self.dag = DAG()
        self.dag.add_nodes_from(self.search.variables_)
        self.dag.add_edges_from(start)
        self.tabu: deque = deque(maxlen=config.tabu_length)
        self.score = sum(self.scorer.local_score(v, tuple(self.dag.get_parents(v))) for v in self.search.variables_)
        self.done = False

    def step(self) -> bool:
        """Make the best legal move; False (and done) when none gains at least EPSILON."""
        best, delta = max(self.search._legal_operations_dag(
            model=self.dag, scoring_method=self.scorer, tabu_list=self.tabu, max_indegree=self.max_indegree,
            forbidden_edges=self.knowledge.forbidden_edges, required_edges=self.knowledge.required_edges),
            key=lambda t: t[1], default=(None, None))
        if best is None or delta < EPSILON:
            self.done = True
            return False
        kind, (x, y) = best
        if kind == "+":
            self.dag.add_edge(x, y)
            self.tabu.append(("-", (x, y)))
        elif kind == "-":
            self.dag.remove_edge(x, y)
            self.tabu.append(("+", (x, y)))
        else:
            self.dag.remove_edge(x, y)
            self.dag.add_edge(y, x)
            self.tabu.append(best)
        self.score += delta
        return True


def learn_structure(config: BNConfig, data: DiscreteData) -> tuple[list, list]:
    """(directed, undirected) edges by one direct pgmpy call: the learning curve's learner."""
    frame = integer_frame(data)
    if config.method == "pc":
        return pc_edges(config, frame, data.columns)
    from pgmpy.causal_discovery import HillClimbSearch

    from pgmpy.base import DAG

    scorer, best = score_function(config, frame), None
    for start in [[], pc_start(config, frame)][:starts(config)]:
        dag = DAG()
        dag.add_nodes_from(frame.columns)
        dag.add_edges_from(start)
        search = HillClimbSearch(scoring_method=scorer, start_dag=dag, tabu_length=config.tabu_length,
                                 max_indegree=config.max_indegree or None, max_iter=config.max_iter,
                                 show_progress=False, return_type="dag")
        found = search.fit(frame).causal_graph_
        if best is None or scorer.score(found) > scorer.score(best):
            best = found
    return named(best.edges(), data.columns), []


def run_pc(config: BNConfig, frame):
    """pgmpy's PC (the order-independent 'stable' variant, in this process): a PDAG."""
    from pgmpy.causal_discovery import PC

    return PC(variant="stable", ci_test="chi_square", significance_level=config.significance, n_jobs=1,
              show_progress=False).fit(frame).causal_graph_


def pc_edges(config: BNConfig, frame, columns: list[str]) -> tuple[list, list]:
    """PC's directed and undirected edges, named."""
    pdag = run_pc(config, frame)
    return named(pdag.directed_edges, columns), named(pdag.undirected_edges, columns)


def pc_start(config: BNConfig, frame) -> list[tuple[int, int]]:
    """A DAG in PC's equivalence class (pgmpy orients the undirected edges), as a second start."""
    from pgmpy.base import PDAG

    pdag = run_pc(config, frame)
    graph = PDAG(directed_ebunch=list(pdag.directed_edges), undirected_ebunch=list(pdag.undirected_edges))
    graph.add_nodes_from(frame.columns)
    try:
        return sorted(graph.to_dag().edges())
    except Exception:  # noisy tests can give a PDAG with no DAG in it: then the second climb starts empty
        return []


def named(edges, columns: list[str]) -> list[tuple[str, str]]:
    return sorted((columns[a], columns[b]) for a, b in edges)


class BayesNet:
    """A Bayesian network with the GenLab protocol: `fit` yields an event per hill-climbing step."""

    def __init__(self, config: BNConfig | None = None):
        self.config = config or BNConfig()
        self.step_ = 0
        self.device_ = "cpu"
        self.data_ = None

    # -- setup -------------------------------------------------------------
    def check(self, data: DiscreteData) -> None:
        cfg = self.config
        if cfg.known_structure and data.truth is None:
            raise ConfigError("bayesnet.known_structure_upload")
        if cfg.curve_up_to and data.truth is None:
            raise ConfigError("bayesnet.curve_upload")
        if cfg.method == "pc" and len(data) < 50:
            raise ConfigError("bayesnet.pc_rows", rows=len(data))

    def _init(self, data: DiscreteData) -> None:
        from core.models import bayesnet_views as views

        self.check(data)
        self.data_ = data
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
    def fit(self, data: DiscreteData, steps: int | None = None) -> Iterator[Progress]:
        """Run `steps` more steps (config.steps if None): search steps, then parameters, then the curve.

        Hill climbing: one event per step (its score), a snapshot every
        `snapshot_every` steps. PC and a known structure: one event for the
        whole structure. Then one event for the parameters (with the full
        snapshot), then one per learning-curve point.
        """
        if self.data_ is not data:
            self._init(data)
        end = self.step_ + (steps or self.config.steps)
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
            return self._event({}, self._snapshot())
        done = {(c["rows"], c["seed"]) for c in self.curve_}
        left = [p for p in curve_points(self.config) if p not in done]
        if left:
            self.curve_.append(self._curve_point(*left[0]))
            return self._event({"curve SHD": self.curve_[-1]["shd"]}, self._snapshot())
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
        moved = climb.step() if len(self.scores_[-1]) <= cfg.max_iter else False
        if moved:
            self.scores_[-1].append(climb.score)
        climb.done = not moved
        if not moved and len(self.climbs_) == starts(cfg):  # every climb has ended: the best score wins
            best = max(self.climbs_, key=lambda c: c.score)
            self.directed_ = named(best.dag.edges(), data.columns)
            self.best_climb_ = self.climbs_.index(best)
        snap = self._snapshot() if not moved or (len(self.scores_[-1]) - 1) % cfg.snapshot_every == 0 else None
        return self._event({"score": climb.score, "climb": len(self.climbs_),
                            "arrows": climb.dag.number_of_edges()}, snap)

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
        scalars = {k: float(v) for k, v in (snap.metrics if snap else {}).items() if isinstance(v, (int, float))}
        return Progress(self.step_, max(self.step_ + self._remaining(), self.step_), losses, scalars, snap)

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
        from core.data.networks import forward_sample
        from core.models import bayesnet_views as views

        data = forward_sample(self.data_.name, rows, seed)  # at 10,000 rows and seed 0: the asia preset's data
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
        from core.models import bayesnet_views as views

        return float(views.row_log_likelihoods(self._shown(), self.data_, np.asarray(x)).sum())

    def _snapshot(self) -> Snapshot:
        from core.models import bayesnet_views as views

        return views.snapshot(self)

    def snapshot(self) -> Snapshot:
        """What the page draws for the network as it is now (a restored model's first view)."""
        return self._snapshot()

    # -- weights: the network as XMLBIF, by pgmpy's writer and reader ---------
    WEIGHTS_FORMAT, WEIGHTS_SUFFIX = "genlab-bayesnet-1", "xmlbif"

    def save_weights(self) -> bytes:
        return save_weights(self)

    @classmethod
    def from_weights(cls, raw: bytes, load_data) -> tuple["BayesNet", DiscreteData]:
        return from_weights(raw, load_data)


MAX_WEIGHTS_BYTES = 5 * 1024 * 1024


def xmlbif_writer(network):
    """pgmpy's XMLBIF writer that keeps state names as they are.

    pgmpy's writer turns every character of a state name that is not a letter,
    digit or underscore into '_' ('[0.1, 2.3]' becomes '_0_1__2_3_'), so an
    upload's binned or spelled-out states would come back under other names.
    XML escapes any text, and pgmpy's reader reads it back exactly.
    """
    from pgmpy.readwrite import XMLBIFWriter

    class ExactStates(XMLBIFWriter):
        def _make_valid_state_name(self, state_name):
            return str(state_name)

    return ExactStates(network)


def save_weights(lab: BayesNet) -> bytes:
    """The learned network as XMLBIF (pgmpy's writer), with GenLab's settings and search in a PROPERTY.

    XMLBIF holds the graph and every table P(x_i | parents), with each float
    written exactly; any tool that reads XMLBIF opens it. GenLab adds one
    network-level `<PROPERTY>genlab = {json}</PROPERTY>` (XMLBIF allows a
    PROPERTY there; pgmpy's reader skips it): the settings that rebuild the
    data, the step, the learned (and PC's undirected) edges, the score per
    hill-climbing step and the learning curve. A run stopped during the search
    is saved as it stands: its graph so far with tables learned on it, and the
    climbs (graph, tabu list, score) so that Continue resumes the search.
    """
    import json
    import xml.etree.ElementTree as etree

    from core.config import to_query
    from core.models import bayesnet_views as views

    if lab.data_ is None:
        raise ConfigError("bayesnet.no_parameters")
    network = lab.network_
    if network is None:
        network = lab._learn_parameters(views.current_edges(lab)[0] if lab.directed_ is None else None)
    state = {"format": BayesNet.WEIGHTS_FORMAT, "settings": to_query(lab.config), "step": lab.step_,
             "directed": lab.directed_, "undirected": lab.undirected_, "scores": lab.scores_,
             "best_climb": lab.best_climb_, "curve": lab.curve_, "parameters_learned": lab.network_ is not None}
    if lab.directed_ is None:  # stopped during the search: the climbs, to go on where they were
        state["climbs"] = [{"edges": sorted(c.dag.edges()), "tabu": list(c.tabu), "score": c.score, "done": c.done}
                           for c in lab.climbs_]
    writer = xmlbif_writer(network)
    writer.network.find("NAME").text = f"genlab-{lab.data_.name}"
    prop = etree.Element("PROPERTY")
    prop.text = "genlab = " + json.dumps(state)
    writer.network.insert(1, prop)  # right after the network's NAME
    return str(writer).encode("utf-8")


def from_weights(raw: bytes, load_data) -> tuple[BayesNet, DiscreteData]:
    """A learned network back from save_weights' XMLBIF (pgmpy's reader; nothing is unpickled).

    `load_data(config)` gives the table the settings name: the same rows,
    since sampling is seeded (an upload must be the one it was learned from).
    The file is untrusted text: no DTD or entity is accepted, the tables must
    be probability distributions (pgmpy's check), and the variables and their
    states must be those of the data.
    """
    import json
    import xml.etree.ElementTree as etree

    from core.config import with_overrides
    from core.models import bayesnet_views as views

    try:
        if len(raw) > MAX_WEIGHTS_BYTES or b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
            raise ValueError("refused")
        text = raw.decode("utf-8")
        root = etree.fromstring(raw)
        props = [p.text or "" for p in root.find("NETWORK").findall("PROPERTY")]
    except (UnicodeDecodeError, ValueError, AttributeError, etree.ParseError):
        raise DataError("bayesnet.weights_not_xmlbif") from None
    found = [p.split("=", 1)[1] for p in props if p.split("=", 1)[0].strip() == "genlab"]
    try:
        state = json.loads(found[0])
        assert isinstance(state, dict) and state.get("format") == BayesNet.WEIGHTS_FORMAT
    except (IndexError, ValueError, AssertionError):
        raise DataError("bayesnet.weights_not_genlab") from None
    try:
        lab = BayesNet(with_overrides(BNConfig(), state["settings"]))
    except (GenLabError, KeyError, TypeError, AttributeError):  # settings this version cannot read
        raise DataError("bayesnet.weights_damaged") from None
    data = load_data(lab.config)
    lab._init(data)
    try:
        from pgmpy.readwrite import XMLBIFReader

        network = XMLBIFReader(string=text).get_model()
        network.check_model()  # each table a probability distribution over its states
        fits = sorted(network.nodes()) == data.columns and all(
            [str(s) for s in network.get_cpds(c).state_names[c]] == states
            for c, states in zip(data.columns, data.states))
        if fits:
            _restore_search(lab, state, network)
            views.snapshot(lab)  # everything the page draws works on what was read, or the file is refused here
    except GenLabError:
        raise
    except Exception:  # anything pgmpy or the fields trip over: a damaged file, never a traceback
        raise DataError("bayesnet.weights_damaged") from None
    if not fits:
        raise DataError("bayesnet.weights_other_data", name=data.name)
    return lab, data


def _restore_search(lab: BayesNet, state: dict, network) -> None:
    """Put the saved search back: the learned graph, or (stopped during the search) each climb as it was."""
    def edges(saved) -> list[tuple] | None:
        return None if saved is None else [tuple(e) for e in saved]

    lab.directed_, lab.undirected_ = edges(state["directed"]), edges(state["undirected"]) or []
    lab.scores_ = [[float(v) for v in climb] for climb in state["scores"]]
    lab.best_climb_ = None if state["best_climb"] is None else int(state["best_climb"])
    lab.curve_ = [{k: int(c[k]) for k in ("rows", "seed", "shd", "cpdag_shd")} for c in state["curve"]]
    lab.step_ = int(state["step"])
    lab.network_ = network if state["parameters_learned"] else None
    if lab.network_ is not None and not _same_graph(network, lab.directed_, lab.undirected_):
        raise ValueError("the tables' parents are not the saved graph")
    if lab.directed_ is None:
        lab.frame_ = integer_frame(lab.data_)
        lab.scorer_ = score_function(lab.config, lab.frame_)
        for saved in state["climbs"]:
            climb = HillClimb(lab.config, lab.frame_, edges(saved["edges"]), lab.scorer_)
            climb.tabu.extend((kind, tuple(pair)) for kind, pair in saved["tabu"])
            climb.score, climb.done = float(saved["score"]), bool(saved["done"])
            lab.climbs_.append(climb)
        if not 0 < len(lab.climbs_) == len(lab.scores_):
            raise ValueError("the saved search has no climb to go on with")


def _same_graph(network, directed, undirected) -> bool:
    """The network's arrows are the saved graph: its arrows as they are, PC's undirected edges either way."""
    arrows = set(network.edges())
    return (directed is not None and set(directed) <= arrows and len(arrows) == len(directed) + len(undirected)
            and all((u, v) in arrows or (v, u) in arrows for u, v in undirected))


def load_data(config: BNConfig, upload: bytes | None = None) -> DiscreteData:
    """The table the config names: forward-sampled from a pgmpy network, or an upload, validated."""
    from core.data import networks, tabular

    if config.dataset == "upload":
        if upload is None:
            raise ConfigError("bayesnet.no_upload")
        return tabular.load_discrete_csv(upload, config.drop_missing, config.bins, config.seed)
    return networks.forward_sample(config.dataset, config.n_rows, config.seed)

