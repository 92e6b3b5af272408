"""Dirty data on purpose: "poor data makes poor models", shown on the training data only.

A `Contamination` spoils the part of a data set a model learns from and leaves
the part it is judged on alone, so a score measures what the model learned,
not what it was fed. What `level` means depends on the kind:

- symbols:  a share (0..1) of the symbols (a stream) or cells (a table)
            replaced, each by a different symbol drawn uniformly;
- noise:    the standard deviation of Gaussian noise added to every value,
            in data units (digits: the pixels' [-1, 1] scale, then rounded
            back to the 17 ink levels a digit has);
- outliers: a share (0..1) of the rows replaced by junk from a broad
            distribution: points uniform over the data's box widened by half
            its span on each side; images of random ink; table rows of
            uniformly drawn states; in a stream, windows of random symbols;
- missing:  a share (0..1) of the cells blanked, then handled by `impute`:
            "drop" keeps only the complete rows (no family here fits a row with
            a hole in it, so every family gets the same rows), "fill" puts each
            column's mean (numbers) or most common state (categories) of the
            cells that are there in each blank;
- rows:     the fraction (0..1] of the training rows kept, drawn at random
            (a stream keeps its beginning, so it stays one stream).

The cells chosen come from one permutation per seed, and the junk and noise
from one draw, so a higher level spoils a superset of what a lower one did:
a sweep over levels changes one thing only. Combinations that make no sense
(feature noise on symbols, symbol noise on real numbers, missing cells in one
stream) are refused by `why_not` in a sentence.

The functions on arrays serve every lab (core.data users), `contaminate` the
Compare arena's tasks (anything with `task`, `train` and, for symbols,
`cardinalities` or `symbols`).
"""
import dataclasses
from dataclasses import dataclass

import numpy as np

from core.config import param, seed_param
from core.errors import ConfigError, DataError
from core.i18n import Words, table, text

KINDS = ("none", "symbols", "noise", "outliers", "missing", "rows")
SHARES = ("symbols", "outliers", "missing")  # kinds whose level is a share of cells or rows in [0, 1]
IMPUTE = ("drop", "fill")
SHAPES = ("points", "digits", "tabular", "sequences")  # what the data is: the arena's tasks, the labs' data
APPLIES = {  # kind -> the shapes where it makes sense (why_not says why the others are refused)
    "none": SHAPES,
    "symbols": ("tabular", "sequences"),
    "noise": ("points", "digits"),
    "outliers": SHAPES,
    "missing": ("points", "digits", "tabular"),
    "rows": SHAPES,
}
MIN_ROWS = 20  # rows a model is still given to learn from (a stream: MIN_SYMBOLS symbols)
MIN_SYMBOLS = 400
OUTLIER_PAD = 0.5  # junk points: uniform over the data's box widened by half its span on each side
INK_LEVELS = 17  # a digit's pixel takes one of 17 values on [-1, 1]


@dataclass
class Contamination:
    """What is done to the training data; `none` (the default) leaves it as it is."""

    kind: str = param("none", "Contamination of the training data", choices=KINDS)
    level: float = param(0.0, "Level", min=0.0, max=10.0)  # see the module's docstring, per kind
    impute: str = param("drop", "Missing cells", choices=IMPUTE, when=("kind", ("missing",)))
    seed: int = seed_param()

    @property
    def clean(self) -> bool:
        """True when nothing is done: no kind, or the kind's clean level (0; all rows kept)."""
        return self.kind == "none" or self.level == clean_level(self.kind)

    def check(self, shape: str) -> None:
        """A ConfigError in words for a kind that makes no sense on `shape`, or a level out of its range."""
        why = why_not(self.kind, shape)
        if why:
            raise ConfigError("quality.not_here", why=Words(why_key(self.kind, shape)))
        check_level(self.kind, self.level)


def clean_level(kind: str) -> float:
    """The level at which a kind changes nothing: 1 for rows (all kept), else 0."""
    return 1.0 if kind == "rows" else 0.0


def check_level(kind: str, level: float) -> None:
    """Shares and fractions lie in [0, 1] (a fraction of rows kept above 0); noise is not negative."""
    if kind == "rows" and not 0 < level <= 1:
        raise ConfigError("quality.bad_fraction", level=level)
    if kind in SHARES and not 0 <= level <= 1:
        raise ConfigError("quality.bad_share", kind=Words(f"quality.kind.{kind}"), level=level)
    if kind == "noise" and not level >= 0:
        raise ConfigError("quality.bad_noise", level=level)


def why_key(kind: str, shape: str) -> str:
    return f"quality.why_not.{kind}.{shape}"


def why_not(kind: str, shape: str, lang: str = "en") -> str | None:
    """Why `kind` makes no sense on data of `shape` (points, digits, tabular, sequences), or None."""
    if kind not in KINDS:
        raise ConfigError("quality.unknown_kind", kind=kind, kinds=", ".join(KINDS))
    return None if shape in APPLIES[kind] else text(lang, why_key(kind, shape))


def kinds_for(shape: str) -> tuple[str, ...]:
    """The kinds that make sense on `shape`, `none` first."""
    return tuple(k for k in KINDS if shape in APPLIES[k])


def _rng(seed: int, kind: str) -> np.random.Generator:
    return np.random.default_rng([seed, KINDS.index(kind)])


def _first(share: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """round(share * n) of range(n): the start of one permutation, so a larger share takes a superset."""
    return rng.permutation(n)[:int(round(share * n))]


# -- on arrays: every lab's data ------------------------------------------------------------------
def replace_symbols(codes: np.ndarray, cards: list[int], share: float, seed: int = 0) -> np.ndarray:
    """A copy with `share` of the cells (of columns with 2+ states) each replaced by a different state.

    `codes` is a stream (T,) with `cards = [m]`, or a table (N, D) with one entry per column.
    """
    codes = np.asarray(codes)
    flat = codes.reshape(len(codes), -1).copy()
    card = np.broadcast_to(np.asarray(cards, dtype=np.int64), flat.shape)
    pool = np.flatnonzero(card.ravel() >= 2)  # a column of one state has nothing to be replaced by
    rng = _rng(seed, "symbols")
    shift = rng.integers(1, np.iinfo(np.int64).max, size=flat.size)  # one draw for every cell: levels nest
    chosen = pool[_first(share, len(pool), rng)]
    values, k = flat.ravel(), card.ravel()
    values[chosen] = (values[chosen] + 1 + shift[chosen] % (k[chosen] - 1)) % k[chosen]
    return values.reshape(codes.shape)


def add_noise(x: np.ndarray, std: float, seed: int = 0) -> np.ndarray:
    """x plus Gaussian noise of standard deviation `std` (data units) on every value."""
    z = _rng(seed, "noise").standard_normal(np.shape(x))
    return np.asarray(x, dtype=np.float64) + std * z


def broad_points(x: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n points uniform over the box of `x` widened by OUTLIER_PAD of its span on each side."""
    lo, hi = x.min(axis=0), x.max(axis=0)
    pad = OUTLIER_PAD * np.maximum(hi - lo, 1e-9)
    return rng.uniform(lo - pad, hi + pad, size=(n, x.shape[1]))


def replace_rows(x: np.ndarray, share: float, junk: np.ndarray, seed: int = 0) -> np.ndarray:
    """A copy with `share` of the rows replaced by the same rows of `junk` (drawn for every row, so levels nest)."""
    out = np.array(x, copy=True)
    chosen = _first(share, len(out), _rng(seed, "outliers"))
    out[chosen] = junk[chosen]
    return out


def with_outliers(x: np.ndarray, share: float, seed: int = 0, ink: bool = False) -> np.ndarray:
    """`share` of the rows of real-valued `x` replaced by junk: broad points, or images of random ink (`ink`).
    The GAN lab's contamination: the same junk, from the same seed, as the arena's."""
    check_level("outliers", share)
    x = np.asarray(x)
    return replace_rows(x, share, junk_rows("digits" if ink else "points", x, seed).astype(x.dtype), seed)


def junk_rows(shape: str, rows: np.ndarray, seed: int, cards: list[int] = ()) -> np.ndarray:
    """One junk row for every row, from a broad distribution of that kind of row: points uniform over the
    widened box, images of random ink, table rows of uniform states (`cards`), windows of random symbols
    (`cards` = [number of symbols])."""
    rng = np.random.default_rng([seed, KINDS.index("outliers"), 1])
    if shape == "points":
        return broad_points(rows, len(rows), rng)
    if shape == "digits":
        return rng.integers(INK_LEVELS, size=rows.shape) / 8 - 1
    if shape == "tabular":
        return np.stack([rng.integers(k, size=len(rows)) for k in cards], axis=1)
    return rng.integers(cards[0], size=rows.shape)


def blank_cells(shape: tuple[int, ...], share: float, seed: int = 0) -> np.ndarray:
    """A mask of `shape`, True on round(share * cells) cells: the ones blanked."""
    mask = np.zeros(int(np.prod(shape)), dtype=bool)
    mask[_first(share, mask.size, _rng(seed, "missing"))] = True
    return mask.reshape(shape)


def impute(x: np.ndarray, blank: np.ndarray, how: str, categorical: bool) -> np.ndarray:
    """The rows without a blank ("drop"), or every blank filled with its column's mean or commonest state ("fill")."""
    if how == "drop":
        return np.asarray(x)[~blank.any(axis=1)]
    out = np.array(x, copy=True)
    for j in range(out.shape[1]):
        seen = out[~blank[:, j], j]
        if not len(seen):
            raise DataError("quality.column_blank", column=j)
        out[blank[:, j], j] = np.bincount(seen).argmax() if categorical else seen.mean()
    return out


def keep_rows(x: np.ndarray, fraction: float, seed: int = 0, stream: bool = False) -> np.ndarray:
    """round(fraction * N) rows drawn at random, in their order; a stream keeps its beginning."""
    n = max(1, int(round(fraction * len(x))))
    if stream:
        return np.asarray(x)[:n]
    return np.asarray(x)[np.sort(_first(n / len(x), len(x), _rng(seed, "rows")))]


# -- on a task: the Compare arena ---------------------------------------------------------------
def contaminate(task, c: Contamination):
    """A copy of `task` whose training part is spoiled as `c` says; its held-out part is the same array.

    The copy's `notes` end with a sentence saying what was done (for the page
    and the CLI); too few rows left is a DataError in words.
    """
    c.check(task.task)
    if c.clean:
        return task
    x, shape = task.train, task.task
    if c.kind == "symbols":
        cards = list(task.cardinalities) if shape == "tabular" else [len(task.symbols)]
        train = replace_symbols(x, cards, c.level, c.seed)
    elif c.kind == "noise":
        train = add_noise(x, c.level, c.seed)
        if shape == "digits":
            train = _ink(train)
    elif c.kind == "outliers":
        rows = _as_rows(task)
        cards = list(task.cardinalities) if shape == "tabular" else [len(getattr(task, "symbols", ()))]
        spoiled = replace_rows(rows, c.level, junk_rows(shape, rows, c.seed, cards), c.seed)
        train = np.concatenate([spoiled.ravel(), x[spoiled.size:]]) if shape == "sequences" else spoiled
    elif c.kind == "missing":
        blank = blank_cells(x.shape, c.level, c.seed)
        train = impute(x, blank, c.impute, categorical=shape == "tabular")
    else:
        train = keep_rows(x, c.level, c.seed, stream=shape == "sequences")
    _enough(train, shape, "fill" if c.kind == "missing" and c.impute == "drop" else "lower")
    key = f"quality.note_for.{shape}.{c.kind}"  # a stream's windows, a table's cells, where worded apart
    note = Words(key if key in table("en") else f"quality.note.{c.kind}", {
        "level": c.level, "kept": f"{len(train):,}", "total": f"{len(x):,}", "window": getattr(task, "window", 0),
        "how": Words(f"quality.impute.{c.impute}")})
    return dataclasses.replace(task, train=np.asarray(train).astype(x.dtype), notes=tuple(task.notes) + (note,))


def _as_rows(task) -> np.ndarray:
    """The training data as rows: a stream cut into the task's windows (the tail that is no window is left)."""
    if task.task == "sequences":
        n = len(task.train) // task.window
        return np.asarray(task.train[:n * task.window]).reshape(n, task.window)
    return np.asarray(task.train)


def _ink(x: np.ndarray) -> np.ndarray:
    """Pixels back on the 17 ink levels of [-1, 1]."""
    return np.clip(np.round((x + 1) * 8), 0, INK_LEVELS - 1) / 8 - 1


def _enough(train: np.ndarray, shape: str, hint: str) -> None:
    """Too few rows left to learn from is said, with what to do (`hint`: lower the level, or fill the blanks)."""
    need = MIN_SYMBOLS if shape == "sequences" else MIN_ROWS
    if len(train) < need:
        raise DataError(f"quality.too_few.{shape}", kept=len(train), need=need, hint=Words(f"quality.hint.{hint}"))
