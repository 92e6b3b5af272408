"""Structure learning for the Bayesian network lab: pgmpy's hill climbing one step at a time, and PC.

pgmpy's hill climbing has no callback, so `HillClimb` runs pgmpy's own step
(its `_legal_operations_dag` generator of scored moves, the same loop body as
its `fit`) one step at a time, keeping the tabu list and the score cache: the
page sees the score of every step, Stop keeps the graph found so far, and the
result is the graph pgmpy's `fit` finds (a test checks that).

pgmpy breaks ties between equally good moves in the order of a Python set of
variable pairs, which for string names changes with PYTHONHASHSEED. The search
therefore runs on the variables' integer positions (the columns are sorted by
name), whose set order never changes: the same seed and data give the same
graph in every process.

pgmpy takes seconds to import, so it is imported inside the functions that use
it. core.models.bayesnet drives this module; this module never imports it.
"""
import math
from collections import deque

import numpy as np

from core.data.tabular import DiscreteData

PGMPY_SCORE = {"bic": "bic-d", "k2": "k2", "bdeu": "bdeu"}
EPSILON = 1e-4  # pgmpy's default: a move must gain at least this much score


def starts(config) -> int:
    """Hill climbs to run: one from no arrows; the hybrid adds one from PC's graph."""
    return 2 if config.method == "hybrid" else 1



def integer_frame(data: DiscreteData):
    """The table with variables named 0..D-1 (sorted names) and integer states: hash-order free."""
    import pandas as pd

    return pd.DataFrame(data.codes.astype(np.int64), columns=range(len(data.columns)))


def score_function(config, frame):
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

    def __init__(self, config, frame, start: list | tuple = (), scorer=None):
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


def learn_structure(config, data: DiscreteData) -> tuple[list, list]:
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


def run_pc(config, frame):
    """pgmpy's PC (the order-independent 'stable' variant, in this process): a PDAG."""
    from pgmpy.causal_discovery import PC

    return PC(variant="stable", ci_test="chi_square", significance_level=config.significance, n_jobs=1,
              show_progress=False).fit(frame).causal_graph_


def pc_edges(config, frame, columns: list[str]) -> tuple[list, list]:
    """PC's directed and undirected edges, named."""
    pdag = run_pc(config, frame)
    return named(pdag.directed_edges, columns), named(pdag.undirected_edges, columns)


def pc_start(config, frame) -> list[tuple[int, int]]:
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
