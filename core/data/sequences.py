"""Sequences with hidden states: the HMM lab's data, each with its truth.

Every generated sequence comes from an HMM whose parameters we know, sampled
by hmmlearn itself, so the page can put the learned matrices next to the true
ones and the decoded path next to the true states:

- the dishonest casino (Durbin et al. 1998): a fair die and a loaded one;
- weather -> umbrella (Russell & Norvig): rain is hidden, the umbrella is seen;
- a regime-switching Gaussian series: calm, rally and turbulent days.

An upload is one CSV column of numbers or symbols (and optionally a `state`
column with the true states); for the casino, a `roll` column of faces 1..6;
or a plain text, read as a sequence of characters.
It is read as untrusted text (core.data.upload) and checked before a model
sees it; each refusal is a DataError that says what to fix.
"""
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.data.upload import (MAX_OBSERVATIONS, MIN_ROWS, check_numbers, decode_text, first_non_number, keep_rows,
                              mostly_numbers, not_a_number, read_table, shown)
from core.errors import DataError
from core import i18n

MAX_SYMBOLS = 50  # more distinct symbols than this: not a categorical sequence to learn live
MAX_TRUE_STATES = 20


@dataclass
class TrueHMM:
    """The parameters a sequence was generated with (categorical or 1-D Gaussian emissions)."""

    startprob: np.ndarray  # (K,)
    transmat: np.ndarray  # (K, K), row i: P(next state | state i)
    emissionprob: np.ndarray | None = None  # (K, M) categorical: P(symbol | state)
    means: np.ndarray | None = None  # (K,) Gaussian emission means
    sds: np.ndarray | None = None  # (K,) Gaussian emission standard deviations

    @property
    def kind(self) -> str:
        return "categorical" if self.emissionprob is not None else "gaussian"

    @property
    def n_states(self) -> int:
        return len(self.startprob)

    def hmmlearn_model(self, implementation: str = "scaling"):
        """An hmmlearn model holding exactly these parameters (to sample from, or decode with)."""
        from hmmlearn import hmm

        if self.kind == "categorical":
            model = hmm.CategoricalHMM(self.n_states, n_features=self.emissionprob.shape[1],
                                       implementation=implementation, init_params="")
            model.emissionprob_ = self.emissionprob
        else:
            model = hmm.GaussianHMM(self.n_states, covariance_type="diag", implementation=implementation,
                                    init_params="")
            model.n_features = 1
            model.means_ = self.means[:, None]
            model.covars_ = (self.sds**2)[:, None]
        model.startprob_, model.transmat_ = self.startprob, self.transmat
        return model


@dataclass
class Sequence:
    """One observed sequence, how to read it, and (when known) its hidden truth.

    `codes` index `symbols` (categorical emissions use them); `values` are the
    observations as numbers (Gaussian emissions use them). A die roll has both,
    a word only codes, a daily return only values.
    """

    name: str
    codes: np.ndarray | None  # (T,) int64 in 0..M-1, or None for real-valued data
    symbols: tuple[str, ...]  # the alphabet codes index; () for real-valued data
    values: np.ndarray | None  # (T,) float64, or None when the symbols are not numbers
    obs_label: str = "observation"  # y-axis title: what one observation is, with its unit
    states: np.ndarray | None = None  # (T,) true hidden states, when known
    truth: TrueHMM | None = None
    state_names: tuple[str, ...] = ()  # in English; `state_name(k, lang)` says them in the reader's language
    obs_key: str = ""  # `hmm.obs.<key>` words obs_label in each language; "" for an upload's own column name
    notes: tuple = ()  # Words: what was done to an upload (the first observations kept), for the page

    def __len__(self) -> int:
        return len(self.codes if self.codes is not None else self.values)

    @property
    def observations(self) -> np.ndarray:
        """What to plot: the values where they are numbers, else the symbol codes."""
        return self.values if self.values is not None else self.codes

    @property
    def symbol_values(self) -> np.ndarray | None:
        """The number each symbol stands for (die faces 1..6), or None."""
        try:
            return np.array([float(s) for s in self.symbols]) if self.symbols else None
        except ValueError:
            return None

    def state_name(self, k: int, lang: str = "en") -> str:
        """True state k by name ("loaded"), or "state k" where the data names none."""
        if k < len(self.state_names):
            return i18n.text(lang, f"hmm.state.{self.state_names[k]}", self.state_names[k])
        return i18n.text(lang, "hmm.state.number", k=k)

    def axis_title(self, lang: str = "en") -> str:
        """What one observation is, as a chart's axis title (an upload's column name stays as it is)."""
        return i18n.text(lang, f"hmm.obs.{self.obs_key}") if self.obs_key else self.obs_label


def _sample(truth: TrueHMM, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    x, states = truth.hmmlearn_model().sample(n, random_state=seed)
    return x[:, 0], states.astype(np.int64)


# -- the dishonest casino -----------------------------------------------------
CASINO_TRUTH = TrueHMM(
    startprob=np.array([2 / 3, 1 / 3]),  # the chain's stationary distribution: the casino has been open a while
    transmat=np.array([[0.95, 0.05], [0.10, 0.90]]),  # P(fair -> loaded) = 0.05, P(loaded -> fair) = 0.1
    emissionprob=np.array([[1 / 6] * 6, [0.1] * 5 + [0.5]]),  # the loaded die shows 6 half the time
)
FACES = tuple(str(f) for f in range(1, 7))


def casino(n: int = 10_000, seed: int = 0) -> Sequence:
    """Rolls of a casino that swaps a fair die for a loaded one now and then."""
    codes, states = _sample(CASINO_TRUTH, n, seed)
    return Sequence("casino", codes.astype(np.int64), FACES, codes + 1.0, "die face (1-6)", states,
                    CASINO_TRUTH, ("fair", "loaded"), obs_key="die_face")


# -- weather -> umbrella --------------------------------------------------------
WEATHER_TRUTH = TrueHMM(
    startprob=np.array([0.5, 0.5]),
    transmat=np.array([[0.7, 0.3], [0.3, 0.7]]),  # rain tends to follow rain (Russell & Norvig)
    emissionprob=np.array([[0.1, 0.9], [0.8, 0.2]]),  # P(umbrella | rain) = 0.9, P(umbrella | sun) = 0.2
)


def weather(n: int = 5_000, seed: int = 0) -> Sequence:
    """Whether the director carries an umbrella; the weather outside is hidden."""
    codes, states = _sample(WEATHER_TRUTH, n, seed)
    return Sequence("weather", codes.astype(np.int64), ("0", "1"), codes.astype(float),
                    "umbrella (1 = carried)", states, WEATHER_TRUTH, ("rain", "sun"), obs_key="umbrella")


# -- a regime-switching Gaussian series ---------------------------------------------
REGIMES_TRUTH = TrueHMM(
    startprob=np.array([1.0, 0.0, 0.0]),
    transmat=np.array([[0.97, 0.02, 0.01], [0.04, 0.95, 0.01], [0.03, 0.02, 0.95]]),
    means=np.array([0.0, 1.5, -1.0]),
    sds=np.array([0.5, 0.7, 2.0]),
)


def regimes(n: int = 2_000, seed: int = 0) -> Sequence:
    """Daily returns that switch between calm, rally and turbulent regimes."""
    values, states = _sample(REGIMES_TRUTH, n, seed)
    return Sequence("regimes", None, (), values.astype(float), "daily return (%)", states, REGIMES_TRUTH,
                    ("calm", "rally", "turbulent"), obs_key="daily_return")


GENERATORS = {"casino": casino, "weather": weather, "regimes": regimes}


# -- uploads ----------------------------------------------------------------------
def load_sequence_csv(raw: bytes) -> Sequence:
    """A CSV with one column of observations and, optionally, a `state` column of true states.

    A `roll` column is read as the casino's die (faces 1..6, all six kept as
    symbols even if some never show). Past MAX_OBSERVATIONS rows, the first
    ones are kept (a sequence's order is its meaning) and a note says so.
    """
    frame, notes = read_table(raw, MIN_ROWS)
    states = _states_column(frame) if "state" in frame.columns else None
    columns = [c for c in frame.columns if c != "state"]
    if not columns:
        raise DataError("hmm.only_state_column")
    if "roll" in columns:
        column = "roll"
    elif len(columns) == 1:
        column = columns[0]
    else:
        raise DataError("hmm.many_columns", columns=shown(", ".join(map(str, columns)), 80))
    col = frame[column]
    if len(col) < MIN_ROWS:
        raise DataError("hmm.too_short", n=len(col), min=MIN_ROWS)
    missing = np.flatnonzero(col.isna().to_numpy())
    if len(missing):
        raise DataError("hmm.missing", row=int(missing[0]) + 2, column=shown(column))
    if col.nunique() == 1:
        raise DataError("hmm.constant", column=shown(column), value=shown(col.iloc[0]))
    kept, capped = keep_rows(len(col), MAX_OBSERVATIONS, first=True)
    seq = _casino_rolls(col) if column == "roll" else _observations(col, str(column))
    seq = _first(seq, len(kept))
    seq.states = None if states is None else states[kept]
    seq.notes = tuple(notes + capped)
    return seq


OTHER = "·"  # the symbol that stands for every character beyond the most frequent ones


def load_text_sequence(raw: bytes, least: int = MIN_ROWS) -> Sequence:
    """A plain UTF-8 text (Chinese too) as a sequence of characters, one symbol each.

    Letters are lower-cased and runs of white space become one space. The
    MAX_SYMBOLS - 1 most frequent characters keep their own symbol; the rest
    share one ('·'), so a long text still makes a small alphabet to learn live.
    `least` is the caller's minimum of characters; past MAX_OBSERVATIONS, the
    first ones are kept and a note says so.
    """
    text = " ".join(decode_text(raw, "text file", least).lower().split())
    if len(text) < least:
        raise DataError("hmm.text_too_short", n=len(text), min=least)
    kept, notes = keep_rows(len(text), MAX_OBSERVATIONS, first=True)
    text = text[: len(kept)]
    chars, counts = np.unique(np.array(list(text)), return_counts=True)
    if len(chars) == 1:
        raise DataError("hmm.text_constant", char=shown(chars[0]))
    kept = set(chars[np.argsort(-counts, kind="stable")[: MAX_SYMBOLS - 1]])
    symbols = tuple(sorted(kept)) + ((OTHER,) if len(chars) > len(kept) else ())
    index = {c: i for i, c in enumerate(symbols)}
    codes = np.array([index.get(c, len(symbols) - 1) for c in text], dtype=np.int64)
    return Sequence("text", codes, symbols, None, "character", obs_key="character", notes=tuple(notes))


def _first(seq: Sequence, n: int) -> Sequence:
    """The sequence's first n observations (its alphabet kept whole)."""
    seq.codes = None if seq.codes is None else seq.codes[:n]
    seq.values = None if seq.values is None else seq.values[:n]
    return seq


def _casino_rolls(col: pd.Series) -> Sequence:
    numbers = pd.to_numeric(col, errors="coerce")
    bad = ~numbers.isin(range(1, 7))
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError("hmm.bad_face", row=row + 2, value=shown(col.iloc[row]))
    faces = numbers.to_numpy(dtype=np.int64)
    return Sequence("upload", faces - 1, FACES, faces.astype(float), "die face (1-6)", obs_key="die_face")


def _observations(col: pd.Series, column: str) -> Sequence:
    """Numbers (categorical too when there are few distinct ones) or symbols (categorical only).

    A column of numbers with a few cells that are not (a word, a typographic
    minus, a formula) is refused by the first such cell, not as too many symbols.
    """
    numbers = pd.to_numeric(col, errors="coerce")
    if numbers.notna().all():
        values = numbers.to_numpy(dtype=np.float64)
        check_numbers(values[:, None], [column])
        distinct = np.unique(values)
        if len(distinct) > MAX_SYMBOLS:  # real-valued: Gaussian emissions only
            return Sequence("upload", None, (), values, column)
        codes = np.searchsorted(distinct, values).astype(np.int64)
        return Sequence("upload", codes, tuple(f"{v:g}" for v in distinct), values, column)
    text = col.astype(str).str.strip()
    symbols = tuple(sorted(text.unique()))
    if len(symbols) > MAX_SYMBOLS:
        if mostly_numbers(col):
            row, value = first_non_number(col)
            raise not_a_number(column, row + 2, value)
        raise DataError("hmm.too_many_symbols", column=shown(column), count=len(symbols), most=MAX_SYMBOLS)
    codes = np.searchsorted(np.array(symbols), text.to_numpy()).astype(np.int64)
    return Sequence("upload", codes, symbols, None, column)


def _states_column(frame: pd.DataFrame) -> np.ndarray:
    col = pd.to_numeric(frame["state"], errors="coerce")
    values = col.to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values) | (values < 0) | (values != np.round(values)) | (values >= MAX_TRUE_STATES)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise DataError("hmm.bad_state", most=MAX_TRUE_STATES, row=row + 2, value=shown(frame["state"].iloc[row]))
    return values.astype(np.int64)
