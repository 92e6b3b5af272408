"""Validated loading of a user's CSV of 2-D points (page upload and CLI --data).

Everything a user sends is treated as untrusted text: it is decoded as UTF-8,
parsed as CSV, and checked before a model sees it. Nothing is ever unpickled.
Each refusal is a `DataError` whose message says what to fix.
"""
import csv
import io

import numpy as np
import pandas as pd

from core.data import Dataset
from core.errors import DataError

MAX_BYTES = 5 * 1024 * 1024
MIN_ROWS = 10
MAX_ABS = 1e6


def decode_text(raw: bytes, what: str = "file") -> str:
    if not raw or not raw.strip():
        raise DataError(f"The {what} is empty: upload a CSV with a header and at least {MIN_ROWS} rows.")
    if len(raw) > MAX_BYTES:
        raise DataError(f"The {what} is {len(raw) / 1e6:.1f} MB; the limit is {MAX_BYTES / 1e6:.0f} MB.")
    if b"\x00" in raw:
        raise DataError(f"The {what} looks binary, not text: upload a CSV (comma-separated text).")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"The {what} is not UTF-8 text: save it as UTF-8 CSV and upload it again.") from None


def read_table(raw: bytes) -> pd.DataFrame:
    text = decode_text(raw, "CSV file")
    check_row_lengths(text)
    try:
        frame = pd.read_csv(io.StringIO(text), index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise DataError(f"This is not a readable CSV ({str(err).splitlines()[0]}).") from None
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError(f"The CSV has no data rows: it needs a header and at least {MIN_ROWS} rows.")
    return frame


def check_row_lengths(text: str) -> None:
    """pandas would silently turn an extra field into an index; say which row is off instead."""
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise DataError(f"Row {number} has {len(row)} fields but the header has {width}: fix that row.")


def numeric_matrix(frame: pd.DataFrame) -> np.ndarray:
    """The table as floats, refusing text, gaps, huge and constant columns."""
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            bad = frame[col][pd.to_numeric(frame[col], errors="coerce").isna()].iloc[0]
            raise DataError(f"Column '{col}' is not numeric (it holds '{bad}'): every value must be a number.")
    x = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(x).all():
        row, col = np.argwhere(~np.isfinite(x))[0]
        raise DataError(f"Row {row + 2}, column '{frame.columns[col]}' is empty, NaN or infinite: fill or remove it.")
    if np.abs(x).max() > MAX_ABS:
        raise DataError(f"Values reach {np.abs(x).max():.3g}; keep them within ±{MAX_ABS:.0e} (rescale the data).")
    constant = [c for c, s in zip(frame.columns, x.std(axis=0)) if s == 0]
    if constant:
        raise DataError(f"Column '{constant[0]}' has the same value in every row: it carries no information.")
    return x


def load_points_csv(raw: bytes, name: str = "upload") -> Dataset:
    """Two numeric columns (x, y), at least 10 rows; extra columns are refused."""
    frame = read_table(raw)
    if frame.shape[1] < 2:
        raise DataError(f"The CSV has {frame.shape[1]} column; 2-D points need 2 numeric columns (x, y).")
    if frame.shape[1] > 2:
        raise DataError(f"The CSV has {frame.shape[1]} columns; 2-D points need exactly 2 (x, y).")
    if len(frame) < MIN_ROWS:
        raise DataError(f"The CSV has {len(frame)} row(s); at least {MIN_ROWS} points are needed to learn from.")
    x = numeric_matrix(frame)
    return Dataset(name, x.astype(np.float32))
