"""pgmpy's bundled Bayesian networks, read offline, and forward-sampled to a table.

The networks ship inside pgmpy as BIF files (`pgmpy/utils/example_models/
*.bif.gz`). pgmpy's `load_model` fetches them from a model hub instead (it fails
without the internet) and `get_example_model` is deprecated, so they are read
here with pgmpy's own BIF reader, from the installed package, with no network.

Forward sampling is pgmpy's `simulate` with a seed. Its columns come back in an
order that follows Python's string hashing, so they are sorted before use: the
same seed gives the same table whatever PYTHONHASHSEED is.
"""
import functools
import gzip
import importlib.util
from pathlib import Path

import numpy as np

from core.data.tabular import DiscreteData
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
    table is read-only, and the same arguments always give the same rows.
    """
    network = _read(name)
    frame = network.simulate(n + heldout, seed=seed, show_progress=False)
    states = states_of(network)
    columns = sorted(frame.columns)
    data = DiscreteData(name, columns, [states[c] for c in columns], np.empty((0, len(columns)), np.int16),
                        np.empty((0, len(columns)), np.int16), truth=network)
    codes = data.codes_of(frame)
    data.codes, data.heldout = codes[:n], codes[n:]
    return data
