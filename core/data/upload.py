"""Validated loading of a user's CSV of 2-D points (page upload and CLI --data).

Everything a user sends is treated as untrusted text: it is decoded as UTF-8,
parsed as CSV, and checked before a model sees it. Nothing is ever unpickled.
Each refusal is a `DataError` whose message says what to fix, kept under
`error.upload.*` in assets/i18n/<lang>/upload.toml so it reads in the user's language.
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
KINDS = {"file": "file", "CSV file": "csv", "text file": "text"}  # `what` -> its messages' key


def decode_text(raw: bytes, what: str = "file") -> str:
    """The bytes as text; `what` ("file", "CSV file", "text file") names the file in the message."""
    kind = f"upload.{KINDS.get(what, 'file')}"
    if not raw or not raw.strip():
        raise DataError(f"{kind}.empty", min_rows=MIN_ROWS)
    if len(raw) > MAX_BYTES:
        raise DataError(f"{kind}.too_big", size=len(raw) / 1e6, limit=MAX_BYTES / 1e6)
    if b"\x00" in raw:
        raise DataError(f"{kind}.binary")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError(f"{kind}.not_utf8") from None


def read_table(raw: bytes) -> pd.DataFrame:
    text = decode_text(raw, "CSV file")
    check_row_lengths(text)
    try:
        frame = pd.read_csv(io.StringIO(text), index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise DataError("upload.unreadable", reason=str(err).splitlines()[0]) from None
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise DataError("upload.no_rows", min_rows=MIN_ROWS)
    return frame


def check_row_lengths(text: str) -> None:
    """pandas would silently turn an extra field into an index; say which row is off instead."""
    rows = [r for r in csv.reader(io.StringIO(text)) if r]
    width = len(rows[0])
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != width:
            raise DataError("upload.row_length", row=number, found=len(row), width=width)


def numeric_matrix(frame: pd.DataFrame) -> np.ndarray:
    """The table as floats, refusing text, gaps, huge and constant columns."""
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]):
            bad = frame[col][pd.to_numeric(frame[col], errors="coerce").isna()].iloc[0]
            raise DataError("upload.not_numeric", column=col, value=bad)
    x = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(x).all():
        row, col = np.argwhere(~np.isfinite(x))[0]
        raise DataError("upload.not_finite", row=row + 2, column=frame.columns[col])
    if np.abs(x).max() > MAX_ABS:
        raise DataError("upload.too_large", value=float(np.abs(x).max()), limit=MAX_ABS)
    constant = [c for c, s in zip(frame.columns, x.std(axis=0)) if s == 0]
    if constant:
        raise DataError("upload.constant", column=constant[0])
    return x


def load_points_csv(raw: bytes, name: str = "upload") -> Dataset:
    """Two numeric columns (x, y), at least 10 rows; extra columns are refused."""
    frame = read_table(raw)
    if frame.shape[1] < 2:
        raise DataError("upload.one_column", columns=frame.shape[1])
    if frame.shape[1] > 2:
        raise DataError("upload.too_many_columns", columns=frame.shape[1])
    if len(frame) < MIN_ROWS:
        raise DataError("upload.too_few_rows", rows=len(frame), min_rows=MIN_ROWS)
    x = numeric_matrix(frame)
    return Dataset(name, x.astype(np.float32))
