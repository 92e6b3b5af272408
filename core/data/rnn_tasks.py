"""The RNN lab's tasks, all made in code: every one has a truth to check the model against.

- text: a character model of the docstrings of a fixed list of Python's own
  standard-library modules (on every Python install, so nothing is
  downloaded), or of an uploaded UTF-8 text (Chinese too);
- reber: the embedded Reber grammar (Hochreiter & Schmidhuber 1997), whose
  second symbol must come back as the last but one: a test of long memory;
- sine / regimes: a noisy sine wave, and a wave that switches frequency;
- recall: remember the first of T symbols and say it at the end, through T - 1
  distracting ones (a one-symbol copy task): the loss sits at the last step,
  so its gradient must travel back through every step to reach the answer.
"""
import ast
import functools
import importlib.util
from dataclasses import dataclass

import numpy as np

from core.data.upload import decode_text
from core.errors import DataError

VAL_SHARE = 0.1
MAX_VOCAB = 500  # distinct characters a live character model handles here
MIN_CHARS = 100


@dataclass
class SeqTask:
    """A task's training and validation data, and what one element means.

    kind 'chars': `train`/`val` are streams of symbol codes (next-symbol
    prediction); 'series': streams of float values (next-value prediction);
    'recall': `train`/`val` are (N, T) code matrices and `train_y`/`val_y` the
    symbol to recall for each row. `starts` (chars only) are where a training
    window may begin: every position for a text, each string's B for Reber
    (`val_starts` the same in `val`).
    """

    name: str
    kind: str
    train: np.ndarray
    val: np.ndarray
    symbols: tuple[str, ...] = ()
    starts: np.ndarray | None = None
    val_starts: np.ndarray | None = None
    train_y: np.ndarray | None = None
    val_y: np.ndarray | None = None
    n_answers: int = 0  # recall: how many symbols can be the answer
    unit: str = "character"
    notes: tuple = ()  # what was done to the data (core.data.contamination), said on the page

    @property
    def n_symbols(self) -> int:
        return len(self.symbols)

    def decode(self, codes) -> str:
        return "".join(self.symbols[int(c)] for c in codes)


# -- text ----------------------------------------------------------------------------
CORPUS_MODULES = ("argparse", "collections", "contextlib", "dataclasses", "difflib", "functools", "heapq",
                  "inspect", "json", "logging", "pathlib", "random", "statistics", "textwrap", "threading", "typing")


@functools.lru_cache(maxsize=1)
def stdlib_corpus() -> str:
    """Every docstring of CORPUS_MODULES, read from their source with `ast` (nothing is imported).

    About 200 KB of English prose on a Python 3.11 install; the same on every
    machine with the same Python, and cached for the life of the process.
    """
    parts = []
    for name in CORPUS_MODULES:
        origin = importlib.util.find_spec(name).origin
        with open(origin, encoding="utf-8") as f:
            tree = ast.parse(f.read())
        kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
        parts += [doc for node in ast.walk(tree) if isinstance(node, kinds) and (doc := ast.get_docstring(node))]
    return "\n\n".join(parts)


def text_task(text: str, name: str = "text") -> SeqTask:
    """A text as symbol codes, one symbol per distinct character; the last tenth for validation."""
    symbols = tuple(sorted(set(text)))
    index = {c: i for i, c in enumerate(symbols)}
    codes = np.fromiter((index[c] for c in text), dtype=np.int64, count=len(text))
    cut = int(len(codes) * (1 - VAL_SHARE))
    return SeqTask(name, "chars", codes[:cut], codes[cut:], symbols)


def uploaded_text(raw: bytes) -> SeqTask:
    """A user's UTF-8 text (Chinese too), checked before any model sees it."""
    text = decode_text(raw, "text file", MIN_CHARS)  # size limit and UTF-8 check, as for every upload
    text = "\n".join(" ".join(line.split()) for line in text.splitlines())  # tabs, \r and runs of spaces: one space
    if len(text) < MIN_CHARS:
        raise DataError("rnn.too_short", chars=len(text), min_chars=MIN_CHARS)
    distinct = len(set(text))
    if distinct < 2:
        raise DataError("rnn.one_character")
    if distinct > MAX_VOCAB:
        raise DataError("rnn.too_many_characters", distinct=f"{distinct:,}", max_vocab=MAX_VOCAB)
    return text_task(text, "upload")


# -- the embedded Reber grammar -------------------------------------------------------------
REBER_SYMBOLS = ("B", "E", "P", "S", "T", "V", "X")
# The inner Reber grammar as a finite automaton: state -> [(symbol, next state)]; state 5 ends with E.
REBER_GRAPH = {0: [("T", 1), ("P", 2)], 1: [("S", 1), ("X", 3)], 2: [("T", 2), ("V", 4)],
               3: [("X", 2), ("S", 5)], 4: [("P", 3), ("V", 5)]}


def reber_string(rng: np.random.Generator) -> str:
    """One string of the inner grammar: B, a walk through the automaton (each branch 50/50), E."""
    out, state = ["B"], 0
    while state != 5:
        symbol, state = REBER_GRAPH[state][rng.integers(2)]
        out.append(symbol)
    return "".join(out) + "E"


def embedded_reber_string(rng: np.random.Generator) -> str:
    """B, then T or P, an inner Reber string, the same T or P again, E."""
    branch = "TP"[rng.integers(2)]
    return f"B{branch}{reber_string(rng)}{branch}E"


def is_inner_reber(s: str) -> bool:
    if len(s) < 2 or s[0] != "B" or s[-1] != "E":
        return False
    state = 0
    for symbol in s[1:-1]:
        moves = dict(REBER_GRAPH.get(state, []))
        if symbol not in moves:
            return False
        state = moves[symbol]
    return state == 5


def is_embedded_reber(s: str) -> bool:
    """True when `s` is a string of the embedded Reber grammar (the second symbol matches the last but one)."""
    return len(s) >= 4 and s[0] == "B" and s[-1] == "E" and s[1] in "TP" and s[-2] == s[1] \
        and is_inner_reber(s[2:-2])


def reber_strings(n: int, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    return [embedded_reber_string(rng) for _ in range(n)]


def reber_task(n_train: int = 5000, seed: int = 0) -> SeqTask:
    """Embedded Reber strings one after another; windows start at a string's B."""
    index = {c: i for i, c in enumerate(REBER_SYMBOLS)}

    def stream(strings):
        return np.array([index[c] for c in "".join(strings)], dtype=np.int64)

    def outer_starts(codes):  # an outer B starts the stream or follows an E; an inner B follows T or P
        b = np.flatnonzero(codes == index["B"])
        return b[np.r_[True, codes[b[1:] - 1] == index["E"]]]

    train, val = stream(reber_strings(n_train, seed)), stream(reber_strings(n_train // 10, seed + 1))
    return SeqTask("reber", "chars", train, val, REBER_SYMBOLS, starts=outer_starts(train),
                   val_starts=outer_starts(val))


# -- series ---------------------------------------------------------------------------
def sine_series(n: int = 4000, period: float = 25.0, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)).astype(np.float32)


def regime_series(n: int = 4000, periods=(12.0, 40.0), stay: float = 0.99, noise: float = 0.05,
                  seed: int = 0) -> np.ndarray:
    """A wave that switches between a fast and a slow frequency (a two-state Markov chain), phase kept."""
    rng = np.random.default_rng(seed)
    regime, phase, out = 0, 0.0, np.empty(n, dtype=np.float32)
    for i in range(n):
        if rng.random() > stay:
            regime = 1 - regime
        phase += 2 * np.pi / periods[regime]
        out[i] = np.sin(phase)
    return (out + noise * rng.standard_normal(n)).astype(np.float32)


def series_task(values: np.ndarray, name: str) -> SeqTask:
    cut = int(len(values) * (1 - VAL_SHARE * 2))  # a longer validation stretch: the continuation is drawn on it
    return SeqTask(name, "series", values[:cut], values[cut:], unit="time step")


# -- recall: a one-symbol copy task ---------------------------------------------------------
RECALL_SIGNALS = ("A", "B", "C", "D")
RECALL_NOISE = ("w", "x", "y", "z")


def recall_batch(n: int, length: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n sequences of `length` symbols: a signal (A-D) first, noise (w-z) after; the answer is the signal."""
    rng = np.random.default_rng(seed)
    y = rng.integers(len(RECALL_SIGNALS), size=n)
    x = len(RECALL_SIGNALS) + rng.integers(len(RECALL_NOISE), size=(n, length))
    x[:, 0] = y
    return x.astype(np.int64), y.astype(np.int64)


def recall_task(length: int, n_train: int = 20_000, seed: int = 0) -> SeqTask:
    x, y = recall_batch(n_train, length, seed)
    vx, vy = recall_batch(1000, length, seed + 1)
    return SeqTask("recall", "recall", x, vx, RECALL_SIGNALS + RECALL_NOISE, train_y=y, val_y=vy,
                   n_answers=len(RECALL_SIGNALS), unit="time step")
