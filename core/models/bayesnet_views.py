"""Looking at a learned Bayesian network: graphs compared, tables, inference, a snapshot.

Kept apart from the learning in bayesnet.py, which imports this module (never
the other way). What no library here offers is
written by hand, briefly: the structural Hamming distance between two
equivalence classes (pgmpy's SHD takes DAGs only), the colouring of edges,
a layered layout, and the log-likelihood of held-out rows. Everything else
(CPDAGs, SHD between DAGs, inference, sampling) is pgmpy's.
"""
import itertools
from collections import Counter

import numpy as np

from core.i18n import text
from core.models.bayesnet_search import named
from core.protocol import Snapshot

EDGE_CLASSES = ("correct", "reversed", "missing", "extra")

# A question each network's page starts with: (query variable, evidence).
DEFAULT_QUERIES = {
    "alarm": ("HYPOVOLEMIA", {"CVP": "HIGH", "BP": "LOW"}),
    "asia": ("lung", {"xray": "yes", "dysp": "yes"}),
    "cancer": ("Cancer", {"Xray": "positive"}),
    "earthquake": ("Burglary", {"JohnCalls": "True", "MaryCalls": "True"}),
}


# -- comparing graphs -------------------------------------------------------
def pair_marks(directed, undirected=()) -> dict[frozenset, object]:
    """What joins each pair of nodes: the arrow (u, v), or 'undirected'."""
    marks: dict[frozenset, object] = {frozenset(e): tuple(e) for e in directed}
    marks.update({frozenset(e): "undirected" for e in undirected})
    return marks


def pair_shd(directed_a, directed_b, undirected_a=(), undirected_b=()) -> int:
    """Structural Hamming distance: node pairs joined differently (missing, extra, or oriented otherwise).

    Between two DAGs this is the usual SHD (a reversed arrow counts once);
    between two CPDAGs it ignores the directions the data cannot decide,
    because those edges are undirected in both.
    """
    a, b = pair_marks(directed_a, undirected_a), pair_marks(directed_b, undirected_b)
    return sum(a.get(p) != b.get(p) for p in set(a) | set(b))


def shd(true_edges, learned_edges) -> int:
    """SHD between two DAGs on the same nodes, by pgmpy's metric."""
    from pgmpy.base import DAG
    from pgmpy.metrics import SHD

    nodes = sorted({n for e in list(true_edges) + list(learned_edges) for n in e})
    true, learned = DAG(), DAG()
    for g, edges in ((true, true_edges), (learned, learned_edges)):
        g.add_nodes_from(nodes)
        g.add_edges_from(edges)
    return int(SHD()._evaluate(true, learned))


def cpdag(directed, undirected=(), nodes=()) -> tuple[list, list]:
    """The equivalence class (CPDAG) of a DAG, or of a PDAG's DAG extension, by pgmpy."""
    from pgmpy.base import DAG, PDAG

    if undirected:
        graph = PDAG(directed_ebunch=list(directed), undirected_ebunch=list(undirected))
        graph.add_nodes_from(nodes)
        result = graph.to_cpdag()
    else:
        graph = DAG()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(directed)
        result = graph.to_pdag()
    return sorted(result.directed_edges), sorted(tuple(sorted(e)) for e in result.undirected_edges)


def cpdag_shd(true_edges, directed, undirected, nodes) -> int:
    """SHD between the true and the learned equivalence classes."""
    true_cp, learned_cp = cpdag(true_edges, (), nodes), cpdag(directed, undirected, nodes)
    return pair_shd(true_cp[0], learned_cp[0], true_cp[1], learned_cp[1])


def classify_edges(true_directed, directed, true_undirected=(), undirected=()) -> dict[str, list]:
    """Each edge of either graph as correct / reversed (or oriented otherwise) / missing / extra."""
    t, l = pair_marks(true_directed, true_undirected), pair_marks(directed, undirected)
    out = {k: [] for k in EDGE_CLASSES}
    for pair in sorted(set(t) | set(l), key=sorted):
        if pair not in l:
            out["missing"].append(_edge(pair, t[pair]))
        elif pair not in t:
            out["extra"].append(_edge(pair, l[pair]))
        else:
            out["correct" if t[pair] == l[pair] else "reversed"].append(_edge(pair, l[pair]))
    return out


def _edge(pair: frozenset, mark) -> tuple:
    """(u, v, directed?) for drawing."""
    return (*mark, True) if mark != "undirected" else (*sorted(pair), False)


def layered_layout(edges, nodes) -> dict[str, tuple[float, float]]:
    """Nodes in rows by depth in the (true) DAG, each row spread across the width, ordered by its parents.

    A node sits one row below its deepest parent; a root is then pulled down to
    just above its highest child, so its arrows are no longer than they must be.
    """
    parents = {n: [u for u, v in edges if v == n] for n in nodes}
    children = {n: [v for u, v in edges if u == n] for n in nodes}
    depth: dict[str, int] = {}

    def depth_of(n, seen=()):
        if n not in depth:
            depth[n] = 1 + max((depth_of(p, seen + (n,)) for p in parents[n] if p not in seen), default=-1)
        return depth[n]

    for n in sorted(nodes):
        depth_of(n)
    for n in nodes:
        if children[n] and not parents[n]:
            depth[n] = min(depth[c] for c in children[n]) - 1
    pos: dict[str, tuple[float, float]] = {}
    width = max(Counter(depth.values()).values(), default=1)
    for level in range(min(depth.values(), default=0), max(depth.values(), default=-1) + 1):
        row = sorted((n for n in nodes if depth[n] == level),
                     key=lambda n: (np.mean([pos[p][0] for p in parents[n] if p in pos] or [width / 2]), n))
        for i, n in enumerate(row):
            pos[n] = ((i + 0.5) * width / len(row), -float(level))
    return pos


# -- parameters, likelihood, inference --------------------------------------
def cpd_table(network, node: str, lang: str = "en") -> dict:
    """P(node | parents) as a (states x parent configurations) matrix with labels (worded in `lang`)."""
    cpd = network.get_cpds(node)
    parents = list(cpd.variables[1:])
    values = np.asarray(cpd.get_values(), dtype=np.float64)
    configs = list(itertools.product(*[cpd.state_names[p] for p in parents]))
    labels = [", ".join(f"{p}={s}" for p, s in zip(parents, c)) for c in configs] or [text(lang, "plot.bayesnet.no_parents_column")]
    return {"node": node, "parents": parents, "states": [str(s) for s in cpd.state_names[node]],
            "values": values, "columns": labels}


def row_log_likelihoods(network, data, codes: np.ndarray, floor: float = 1e-12) -> np.ndarray:
    """log P(row) for each row of codes, in nats: the sum over nodes of log P(x_i | parents).

    A probability of exactly zero (maximum likelihood never saw that case) is
    floored at `floor`, so one unseen case costs about 28 nats, not infinity.
    """
    col = {c: j for j, c in enumerate(data.columns)}
    total = np.zeros(len(codes))
    for node in data.columns:
        cpd = network.get_cpds(node)
        index = []
        for var in cpd.variables:  # map the data's state order onto the CPD's
            order = [list(map(str, cpd.state_names[var])).index(s) for s in data.states[col[var]]]
            index.append(np.asarray(order)[codes[:, col[var]]])
        total += np.log(np.maximum(np.asarray(cpd.values)[tuple(index)], floor))
    return total


def posterior(network, query: str, evidence: dict[str, str], states: list[str]) -> np.ndarray:
    """P(query | evidence) by pgmpy's variable elimination, in the order of `states`."""
    from pgmpy.inference import VariableElimination

    factor = VariableElimination(network).query([query], evidence=evidence or None, show_progress=False)
    names = [str(s) for s in factor.state_names[query]]
    return np.array([float(factor.values[names.index(s)]) for s in states])


# -- the snapshot ------------------------------------------------------------
def current_edges(lab) -> tuple[list, list]:
    """The learned graph as it stands: final, or the hill climber's current one."""
    if lab.directed_ is not None:
        return list(lab.directed_), list(lab.undirected_)
    return named(lab.climbs_[-1].dag.edges(), lab.data_.columns), []


def truth(data) -> dict | None:
    """The true graph, its equivalence class and its held-out log-likelihood per row (None for an upload)."""
    if data.truth is None:
        return None
    edges = sorted(data.truth.edges())
    out = {"edges": edges, "cpdag": cpdag(edges, (), data.columns)}
    if data.heldout.size:
        out["heldout_loglik"] = float(row_log_likelihoods(data.truth, data, data.heldout).mean())
    return out


def snapshot(lab) -> Snapshot:
    """Everything the page draws for the network as it is now."""
    data = lab.data_
    directed, undirected = current_edges(lab)
    learned_cp = cpdag(directed, undirected, data.columns)
    metrics: dict = {"edges": [list(e) for e in directed + undirected], "arrows": len(directed) + len(undirected)}
    views = {"directed": directed, "undirected": undirected, "cpdag": learned_cp,
             "scores": [list(s) for s in lab.scores_], "best_climb": lab.best_climb_,
             "curve": list(lab.curve_), "network": lab.network_, "true": None}
    if lab.scores_:
        best = lab.best_climb_ if lab.best_climb_ is not None else len(lab.scores_) - 1
        metrics["score"] = float(lab.scores_[best][-1])
    true = lab.truth_
    if true is not None:
        metrics["shd"] = shd(true["edges"], lab.dag_like(directed, undirected))
        metrics["cpdag_shd"] = pair_shd(true["cpdag"][0], learned_cp[0], true["cpdag"][1], learned_cp[1])
        views["true"] = true
        if "heldout_loglik" in true:
            metrics["true_heldout_loglik"] = true["heldout_loglik"]
    samples = np.zeros((0, len(data.columns)), dtype=np.int16)
    if lab.network_ is not None:
        if data.heldout.size:
            metrics["heldout_loglik"] = float(row_log_likelihoods(lab.network_, data, data.heldout).mean())
        samples = lab.sample(lab.config.sample_rows)
        query = default_query(data)
        if query is not None:
            q, evidence = query
            states = data.states[data.columns.index(q)]
            probs = posterior(lab.network_, q, evidence, states)
            metrics["query"] = f"P({q} | {', '.join(f'{k}={v}' for k, v in evidence.items())})"
            metrics["posterior"] = {s: round(float(p), 6) for s, p in zip(states, probs)}
    if lab.curve_:
        metrics["curve"] = [dict(c) for c in lab.curve_]
    return Snapshot(lab.step_, samples, metrics, views)


def default_query(data) -> tuple[str, dict] | None:
    """The network's starting question, if it has one and its names are all in this table."""
    query = DEFAULT_QUERIES.get(data.name)
    if query is None or data.truth is None:
        return None
    q, evidence = query
    ok = q in data.columns and all(k in data.columns and v in data.states[data.columns.index(k)]
                                   for k, v in evidence.items())
    return query if ok else None
