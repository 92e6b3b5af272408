"""pgmpy's bundled Bayesian networks, read offline, and forward-sampled to a table.

The networks ship inside pgmpy as BIF files (`pgmpy/utils/example_models/
*.bif.gz`). pgmpy's `load_model` fetches them from a model hub instead (it fails
without the internet) and `get_example_model` is deprecated, so they are read
here with pgmpy's own BIF reader, from the installed package, with no network.

Forward sampling is pgmpy's `simulate` with a seed. Its columns come back in an
order that follows Python's string hashing, so they are sorted before use: the
same seed gives the same table whatever PYTHONHASHSEED is.

The table and the network's tables pass through plain lists (`sample_parts`,
`from_parts`), so that a child process can do the slow part (pgmpy's BIF
grammar, its sampler's first call: about 3 s of Python) while the server draws
its pages: core.data.network_prefetch. The true network is rebuilt from its
tables either way, so both ways give the same network.
"""
import functools
import gzip
import importlib.util
from pathlib import Path

import numpy as np

from core.data.tabular import DiscreteData, codes_of
from core.errors import DataError

NETWORKS = ("asia", "cancer", "earthquake", "survey", "sachs", "child", "insurance", "alarm")
HELDOUT_ROWS = 2000  # sampled beside the training rows, to score the learned network on


def bif_path(name: str) -> Path:
    """Where the installed pgmpy keeps the network's BIF file (found without importing pgmpy)."""
    spec = importlib.util.find_spec("pgmpy")
    if spec is None or spec.origin is None:
        raise DataError("bayesnet.no_pgmpy")
    return Path(spec.origin).parent / "utils" / "example_models" / f"{name}.bif.gz"


@functools.lru_cache(maxsize=len(NETWORKS))
def _read(name: str):
    from pgmpy.readwrite import BIFReader

    if name not in NETWORKS:
        raise DataError("bayesnet.unknown_network", name=name, networks=", ".join(NETWORKS))
    path = bif_path(name)
    if not path.exists():
        raise DataError("bayesnet.network_file_missing", name=name, path=str(path))
    with gzip.open(path, "rt") as f:
        return BIFReader(string=f.read()).get_model()


def load_network(name: str):
    """The true network (a pgmpy DiscreteBayesianNetwork): a copy, so nothing shared is ever changed."""
    return _read(name).copy()


def states_of(network) -> dict[str, list[str]]:
    """Each variable's states in the order the BIF file gives them (LOW, NORMAL, HIGH)."""
    return {v: [str(s) for s in network.get_cpds(v).state_names[v]] for v in network.nodes()}


@functools.lru_cache(maxsize=8)
def forward_sample(name: str, n: int, seed: int, heldout: int = HELDOUT_ROWS) -> DiscreteData:
    """n rows to learn from and `heldout` more, sampled from the named network by pgmpy.

    Cached (a page redraws often, and sampling 100,000 rows takes seconds): the
    table is read-only, and the same arguments always give the same rows. When a
    child process was started for these arguments (core.data.network_prefetch:
    the Bayesian-network page's default, at server start), its rows are taken.
    """
    from core.data import network_prefetch

    parts = network_prefetch.take(name, n, seed, heldout)
    if parts is None:
        parts = sample_parts(name, n, seed, heldout)
    return from_parts(name, parts, n)


def sample_parts(name: str, n: int, seed: int, heldout: int = HELDOUT_ROWS) -> dict:
    """The network's tables and n + heldout sampled rows, as plain lists (what a child process hands back)."""
    network = _read(name)
    frame = network.simulate(n + heldout, seed=seed, show_progress=False)
    states = states_of(network)
    columns = sorted(frame.columns)
    ordered = [states[c] for c in columns]
    cpds = [{"variable": cpd.variable, "card": int(cpd.variable_card), "values": cpd.get_values().tolist(),
             "evidence": list(cpd.variables[1:]), "evidence_card": [int(k) for k in cpd.cardinality[1:]],
             "states": {v: [str(s) for s in cpd.state_names[v]] for v in cpd.variables}}
            for cpd in (network.get_cpds(v) for v in sorted(network.nodes()))]
    return {"columns": columns, "states": ordered, "codes": codes_of(frame, columns, ordered).tolist(), "cpds": cpds}


def from_parts(name: str, parts: dict, n: int) -> DiscreteData:
    """The table, its first n rows to learn from, and the true network rebuilt from its tables."""
    from pgmpy.factors.discrete import TabularCPD
    from pgmpy.models import DiscreteBayesianNetwork

    cpds = [TabularCPD(c["variable"], c["card"], c["values"], evidence=c["evidence"] or None,
                       evidence_card=c["evidence_card"] or None, state_names=c["states"]) for c in parts["cpds"]]
    truth = DiscreteBayesianNetwork([(e, c.variable) for c in cpds for e in c.variables[1:]])
    truth.add_nodes_from(c.variable for c in cpds)
    truth.add_cpds(*cpds)
    codes = np.asarray(parts["codes"], dtype=np.int16).reshape(-1, len(parts["columns"]))
    return DiscreteData(name, list(parts["columns"]), [list(s) for s in parts["states"]], codes[:n], codes[n:],
                        truth=truth)


def main(argv: list[str]) -> None:
    """The child process of core.data.network_prefetch: NAME N SEED HELDOUT FILE -> the parts as JSON in FILE."""
    import json
    import os

    os.nice(10)  # behind the server's own work: the pages and the first Train come first
    name, n, seed, heldout = argv[0], *map(int, argv[1:4])
    Path(argv[4]).write_text(json.dumps(sample_parts(name, n, seed, heldout), separators=(",", ":")))


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
