"""Discrete tables: the Bayesian network lab's data, sampled from a network or uploaded.

A table is kept as integer codes plus the state names of each column, so it
round-trips exactly (codes -> names -> codes) and never depends on the order
in which Python happens to hash strings. Columns are sorted by name; the states
of an uploaded column are sorted too (numerically when they are numbers).

An upload is untrusted text (core.data.upload decodes and parses it). Each
refusal is a DataError that says what to fix, and where the lab can fix it
itself it says which setting does: `drop_missing` drops rows with gaps,
`bins` cuts numeric columns with many values into k equal-count bins.
"""
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.data.upload import MAX_ROWS, first_non_number, keep_rows, mostly_numbers, not_a_number, read_table, shown
from core.errors import DataError
from core.i18n import Words

MIN_ROWS = 20
MAX_COLUMNS = 20  # a hill-climbing step scores every pair: with 20 columns of 5,000 rows, about a second
MAX_STATES = 30  # more categories than this in one column: not a table to learn a network from live
HELDOUT_SHARE = 0.2  # of an upload's rows, kept back to score the learned network


@dataclass
class DiscreteData:
    """Rows of categorical values as codes: `codes[i, j]` indexes `states[j]`."""

    name: str
    columns: list[str]  # sorted
    states: list[list[str]]  # per column, the state names
    codes: np.ndarray  # (N, D) int16: the rows to learn from
    heldout: np.ndarray  # (M, D) int16: rows kept back to score the learned network
    truth: Any = None  # the true pgmpy network, when the data was sampled from one
    notes: tuple[Words, ...] = ()  # what was done to the upload (rows dropped, columns binned), in words

    @property
    def note(self) -> str:
        """The notes in English ('; '-separated; empty when nothing was done)."""
        return "; ".join(map(str, self.notes))

    def __len__(self) -> int:
        return len(self.codes)

    def frame(self, codes: np.ndarray | None = None) -> pd.DataFrame:
        """The rows as pgmpy reads them: a column per variable, categorical with named states."""
        codes = self.codes if codes is None else codes
        return pd.DataFrame({c: pd.Categorical.from_codes(codes[:, j], categories=s)
                             for j, (c, s) in enumerate(zip(self.columns, self.states))})

    def codes_of(self, frame: pd.DataFrame) -> np.ndarray:
        """(N, D) codes of a frame of state names (pgmpy's samples), columns in this table's order."""
        return codes_of(frame, self.columns, self.states)

    def text(self, codes: np.ndarray) -> str:
        """CSV with the column names and state names (what a student downloads)."""
        frame = pd.DataFrame({c: np.asarray(s, dtype=object)[codes[:, j]]
                              for j, (c, s) in enumerate(zip(self.columns, self.states))})
        return frame.to_csv(index=False)


def codes_of(frame: pd.DataFrame, columns: list[str], states: list[list[str]]) -> np.ndarray:
    """(N, D) codes of a frame of state names, one column per name in `columns`, coded by its `states`."""
    out = np.empty((len(frame), len(columns)), dtype=np.int16)
    for j, (c, s) in enumerate(zip(columns, states)):
        out[:, j] = pd.Categorical(frame[c].astype(str), categories=s).codes
    return out


def split_heldout(codes: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A seeded shuffle, then 80 % to learn from and 20 % held out."""
    order = np.random.default_rng(seed).permutation(len(codes))
    cut = len(codes) - max(1, int(round(HELDOUT_SHARE * len(codes))))
    return codes[order[:cut]], codes[order[cut:]]


def check_names(columns: list[str]) -> None:
    """pgmpy writes variable names into XMLBIF: '<' or '>' in one would break the weights file."""
    for name in columns:
        if "<" in name or ">" in name:
            raise DataError("bayesnet.upload_angle", name=shown(name))


def _sorted_states(column: pd.Series) -> list:
    values = column.unique().tolist()
    try:
        return sorted(values, key=float)
    except (TypeError, ValueError):
        return sorted(values, key=str)


def _state_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _discretise(column: pd.Series, bins: int) -> pd.Series:
    """k equal-count bins, named by their ranges ('[0.1, 2.3]')."""
    cut = pd.qcut(column, bins, duplicates="drop")
    names = {iv: f"[{iv.left:.3g}, {iv.right:.3g}]" for iv in cut.cat.categories}
    return cut.map(names).astype(str)


def load_discrete_csv(raw: bytes, drop_missing: bool = False, bins: int = 0, seed: int = 0,
                      name: str = "upload", fixes: bool = True, least: int = MIN_ROWS) -> DiscreteData:
    """A CSV of categorical columns, validated; gaps and numeric columns fixed only when asked to.

    `fixes` says whether the caller offers the two settings that fix an upload
    (the lab does; Compare does not), so a refusal names only what the reader
    can change. Past MAX_ROWS rows, a seeded random subset is kept and said.
    """
    frame, notes = read_table(raw, least)
    check_names(list(frame.columns))
    if frame.shape[1] < 2:
        raise DataError("bayesnet.upload_single_column")
    if frame.shape[1] > MAX_COLUMNS:
        raise DataError("bayesnet.upload_too_many_columns", count=frame.shape[1], max=MAX_COLUMNS)
    how = "" if fixes else "_here"
    gaps = frame.isna().any(axis=1)
    if gaps.any():
        if not drop_missing:
            col = frame.columns[frame.isna().any(axis=0)][0]
            raise DataError(f"bayesnet.upload_missing{how}", count=int(gaps.sum()), column=shown(col),
                            row=int(np.argmax(gaps.to_numpy())) + 2)
        frame = frame[~gaps]  # the index stays the file's row number - 2
        notes.append(Words("bayesnet.note.dropped", {"count": int(gaps.sum())}))
    if len(frame) < least:
        raise DataError("bayesnet.upload_too_few_rows", rows=len(frame), min=least)
    kept, capped = keep_rows(len(frame), MAX_ROWS, seed)
    frame = frame.iloc[kept]
    columns, states, codes = [], [], []
    for col in sorted(frame.columns):
        series = frame[col]
        count = series.nunique()
        if count > MAX_STATES and pd.api.types.is_numeric_dtype(series):
            if bins < 2:
                raise DataError(f"bayesnet.upload_continuous{how}", column=shown(col), count=count)
            series = _discretise(series, bins)
            notes.append(Words("bayesnet.note.binned", {"column": col, "bins": series.nunique()}))
        elif count > MAX_STATES:
            if mostly_numbers(series):
                pos, value = first_non_number(series)
                raise not_a_number(col, int(series.index[pos]) + 2, value)
            raise DataError("bayesnet.upload_too_many_states", column=shown(col), count=count, max=MAX_STATES)
        if series.nunique() < 2:
            raise DataError("bayesnet.upload_constant", column=shown(col))
        names = _sorted_states(series)
        columns.append(col)
        states.append([_state_text(v) for v in names])
        codes.append(pd.Categorical(series, categories=names).codes)
    train, heldout = split_heldout(np.stack(codes, axis=1).astype(np.int16), seed)
    return DiscreteData(name, columns, states, train, heldout, notes=tuple(notes + capped))
