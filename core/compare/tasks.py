"""The arena's four tasks: the same data for every family, split into training and held-out rows.

Every family trains on `train` and is judged on `heldout`, which it never saw.
A task knows what its rows are (`kind`), so each family's adapter can encode
them its own way, and what the task's own yardstick needs (the ring's means,
the symbols of a sequence, the states of each column):

- points: 2-D floats (the ring of 8, two moons, or an uploaded CSV);
- digits: 8x8 images as 64 floats in [-1, 1];
- sequences: one stream of symbol codes; a "sample" is a window of
  `window` consecutive symbols (the dishonest casino, Reber strings, a text);
- tabular: rows of category codes, one column per variable (asia, or a CSV).
"""
from dataclasses import dataclass, field

import numpy as np

from core.compare.encoding import dequantise
from core.data import points, rnn_tasks, sequences
from core.data.digits import digits
from core.data.networks import forward_sample
from core.data.tabular import load_discrete_csv
from core.data.upload import load_points_csv
from core.errors import ConfigError, DataError
from core.i18n import text

TASKS = ("points", "sequences", "tabular", "digits")
DATASETS = {
    "points": ("ring8", "moons", "upload"),
    "sequences": ("casino", "reber", "upload"),
    "tabular": ("asia", "upload"),
    "digits": ("digits",),
}
UPLOAD_HELP = {task: text("en", f"compare.upload_help.{task}") for task in ("points", "sequences", "tabular")}
POINTS_TRAIN, POINTS_HELDOUT = 5000, 1000
STREAM_TRAIN, STREAM_HELDOUT = 20_000, 4000
WINDOW = 12  # symbols per sequence "sample": what C2ST and MMD compare
HELDOUT_WINDOWS = 10  # at least: C2ST cross-validates on 5 folds, so a scored text needs more than 5
TEXT_WINDOWS = 40  # an uploaded text's minimum, in windows: 30 to train on, 10 held out
TABLE_ROWS = 50  # an uploaded table's minimum: a fifth (10 rows) is held out and scored
ASIA_TRAIN, ASIA_HELDOUT = 5000, 1000
DIGITS_HELDOUT = 360  # of the 1,797 digits (20 %)


@dataclass
class TaskData:
    """One task's data as every family sees it."""

    task: str  # one of TASKS
    name: str  # the data set: ring8, moons, upload, casino, reber, asia, digits
    train: np.ndarray  # points/digits: (N, D) float; tabular: (N, D) int; sequences: (T,) int stream
    heldout: np.ndarray  # the same shape, never trained on
    means: np.ndarray | None = None  # ring: the mode means (mode coverage)
    sigma: float | None = None
    symbols: tuple[str, ...] = ()  # sequences: the alphabet codes index
    columns: list[str] = field(default_factory=list)  # tabular: column names
    cardinalities: list[int] = field(default_factory=list)  # tabular: states per column
    states: list[list[str]] = field(default_factory=list)  # tabular: state names per column
    window: int = WINDOW
    notes: tuple = ()  # Words: what was done to an upload (a subset kept), for the page

    @property
    def discrete(self) -> bool:
        return self.task in ("sequences", "tabular")

    def heldout_samples(self) -> np.ndarray:
        """The held-out data as samples: rows, or windows of the stream (n, window)."""
        if self.task == "sequences":
            return windows(self.heldout, self.window)
        return self.heldout

    def describe(self, lang: str = "en") -> str:
        """'ring8: 5,000 points to train on, 1,000 held out', in `lang` (the data set's name as the page words it)."""
        return text(lang, f"compare.describe.{self.task}", name=dataset_name(self.name, lang),
                    n=f"{len(self.train):,}", heldout=f"{len(self.heldout):,}")


def dataset_name(name: str, lang: str = "en") -> str:
    """A data set as the page names it: the name itself (the URL's and the CLI's) unless `lang` words it."""
    return text(lang, f"choice.compare.dataset.{name}", name)


def windows(stream: np.ndarray, window: int) -> np.ndarray:
    """A stream cut into consecutive, non-overlapping windows: (len // window, window)."""
    n = len(stream) // window
    return np.asarray(stream[: n * window]).reshape(n, window)


def load_task(task: str, dataset: str | None = None, upload: bytes | None = None, seed: int = 0) -> TaskData:
    """The named task's data; an upload goes through the project's validated loaders."""
    if task not in TASKS:
        raise ConfigError("compare.unknown_task", task=task, tasks=", ".join(TASKS))
    dataset = dataset or DATASETS[task][0]
    if dataset not in DATASETS[task]:
        raise ConfigError("compare.unknown_dataset", task=task, dataset=dataset, datasets=", ".join(DATASETS[task]))
    if dataset == "upload" and upload is None:
        raise DataError(f"compare.no_upload.{task}")
    return {"points": _points, "sequences": _sequences, "tabular": _tabular, "digits": _digits}[task](
        dataset, upload, seed)


def _split(x: np.ndarray, heldout: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    order = np.random.default_rng(seed).permutation(len(x))
    return x[order[heldout:]], x[order[:heldout]]


def _points(dataset: str, upload: bytes | None, seed: int) -> TaskData:
    if dataset == "upload":
        data = load_points_csv(upload, seed=seed)
        x = data.x.astype(np.float64)
        train, heldout = _split(x, max(5, len(x) // 5), seed)
        return TaskData("points", "upload", train, heldout, notes=data.notes)
    n = POINTS_TRAIN + POINTS_HELDOUT
    if dataset == "ring8":
        data = points.ring_of_gaussians(n=n, seed=seed)
    else:
        data = points.two_moons(n=n, seed=seed)
    x = data.x.astype(np.float64)
    return TaskData("points", dataset, x[:POINTS_TRAIN], x[POINTS_TRAIN:], means=data.means, sigma=data.sigma)


def _sequences(dataset: str, upload: bytes | None, seed: int) -> TaskData:
    if dataset == "reber":  # training and held-out strings drawn apart, so both hold whole strings
        index = {c: i for i, c in enumerate(rnn_tasks.REBER_SYMBOLS)}

        def stream(n, s):
            return np.array([index[c] for c in "".join(rnn_tasks.reber_strings(n, s))], dtype=np.int64)

        return TaskData("sequences", "reber", stream(STREAM_TRAIN // 10, seed), stream(STREAM_HELDOUT // 10, seed + 1),
                        symbols=rnn_tasks.REBER_SYMBOLS)
    if dataset == "casino":
        seq = sequences.casino(n=STREAM_TRAIN + STREAM_HELDOUT, seed=seed)
    else:
        need = TEXT_WINDOWS * WINDOW
        try:
            seq = sequences.load_text_sequence(upload, least=need)
        except DataError as err:
            if err.words.key != "error.hmm.text_too_short":
                raise
            raise DataError("compare.text_too_short", n=err.words.fields["n"], need=need,
                            heldout=HELDOUT_WINDOWS * WINDOW, window=WINDOW) from None
    codes = seq.codes.astype(np.int64)
    cut = len(codes) - max(len(codes) // 6, HELDOUT_WINDOWS * WINDOW)
    return TaskData("sequences", dataset, codes[:cut], codes[cut:], symbols=tuple(seq.symbols), notes=seq.notes)


def _tabular(dataset: str, upload: bytes | None, seed: int) -> TaskData:
    if dataset == "asia":
        table = forward_sample("asia", ASIA_TRAIN, seed, heldout=ASIA_HELDOUT)
    else:
        table = load_discrete_csv(upload, seed=seed, fixes=False, least=TABLE_ROWS)
    cards = [len(s) for s in table.states]
    return TaskData("tabular", dataset, table.codes.astype(np.int64), table.heldout.astype(np.int64),
                    columns=list(table.columns), cardinalities=cards, states=[list(s) for s in table.states],
                    notes=table.notes)


def _digits(dataset: str, upload: bytes | None, seed: int) -> TaskData:
    x = digits().x.astype(np.float64)
    train, heldout = _split(x, DIGITS_HELDOUT, seed)
    return TaskData("digits", "digits", train, heldout)


def likelihood_data(task: TaskData) -> np.ndarray:
    """What held-out log-likelihoods are computed on: the held-out data, digits dequantised."""
    if task.task == "digits":
            return dequantise(task.heldout, seed=12345)
    return task.heldout
