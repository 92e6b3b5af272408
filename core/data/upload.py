"""Validated loading of a user's upload: bytes -> text -> table, for every lab and the CLI's --data.

Everything a user sends is treated as untrusted text: it is decoded as UTF-8,
its line endings normalised, parsed as CSV by Python's own reader (which names
the record a fault is in) and only then by pandas, and checked before a model
sees it. Nothing is ever unpickled. Each refusal is a `DataError` whose
message names the row, column or value that is wrong and what to do, kept
under `error.upload.*` in assets/i18n/<lang>/upload.toml so it reads in the
user's language. A value from the file is echoed through `shown()`: short,
with its line breaks visible.

An upload is also bounded by what training can do in a lesson: past
`MAX_ROWS` rows (a table) or `MAX_OBSERVATIONS` (a sequence) the loaders keep
a seeded subset (`keep_rows`) and say so in a note, so no file makes a step
take much more than a second nor holds a classroom server's training slot.
"""
import csv
import functools
import io
from typing import Any

import numpy as np
import pandas as pd

from core.config import link_text
from core.data import Dataset
from core.errors import DataError
from core.i18n import Words

MAX_BYTES = 5 * 1024 * 1024
MIN_ROWS = 10
MAX_ROWS = 5_000  # rows of a table trained on live: a forest step on 5,000 rows takes about a second here
MAX_OBSERVATIONS = 20_000  # of a sequence (a column or a text): the first ones are kept
MAX_COLUMNS = 100
MAX_FIELD = 1_000  # characters in one cell: past that it is not a number or a category
MAX_ABS = 1e6
MIN_SPREAD = 1e-6  # a column whose values span less than this is rescaled by the user, not by float32
KINDS = {"file": "file", "CSV file": "csv", "text file": "text"}  # `what` -> its messages' key
SEPARATORS = (";", "\t", "|")  # read when the header has none of the commas a CSV should


def shown(value: Any, limit: int = 40) -> str:
    """A value from the file as a message quotes it: `link_text` (short, no backtick, nothing
    invisible), with line breaks and tabs written out so the reader sees where they were."""
    return link_text(str(value).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"), limit)


def decode_text(raw: bytes, what: str = "file", least: int = MIN_ROWS) -> str:
    """The bytes as text, line endings as \\n; `what` names the file, `least` the minimum, in the message."""
    kind = f"upload.{KINDS.get(what, 'file')}"
    if len(raw) > MAX_BYTES:
        raise DataError(f"{kind}.too_big", size=len(raw) / 1e6, limit=MAX_BYTES / 1e6)
    if b"\x00" in raw:
        raise DataError(f"{kind}.binary")
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark first, as Excel writes it, is not data
    except UnicodeDecodeError:
        raise DataError(f"{kind}.not_utf8") from None
    if not text.strip():
        raise DataError(f"{kind}.empty", least=least)
    return text.replace("\r\n", "\n").replace("\r", "\n")  # old Mac files end lines with CR alone


def _separator(text: str) -> str:
    """',' unless the header has no comma and one of SEPARATORS (a European or tab-separated export)."""
    header = next((line for line in text.split("\n") if line.strip()), "")
    if "," in header:
        return ","
    counts = {sep: header.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def records(text: str, sep: str = ",") -> list[list[str]]:
    """The non-empty records of a CSV text; a record that cannot be read is named in words.

    A blank line is no record; a line of separators (',,') is one, of empty cells.
    """
    def wanted(row: list[str]) -> bool:
        return bool(row) and (len(row) > 1 or bool(row[0].strip()))

    try:  # the fast path: the whole file in one comprehension over the C reader
        return [row for row in csv.reader(io.StringIO(text), delimiter=sep, strict=True) if wanted(row)]
    except csv.Error:
        pass
    rows = []  # a broken record: read again, one record at a time, to say which
    try:
        for row in csv.reader(io.StringIO(text), delimiter=sep, strict=True):
            if wanted(row):
                rows.append(row)
    except csv.Error as err:
        row = len(rows) + 1
        if "field larger" in str(err):
            raise DataError("upload.long_field", row=row, limit=f"{MAX_FIELD:,}") from None
        if "end of data" in str(err):
            raise DataError("upload.open_quote", row=row) from None
        raise DataError("upload.bad_record", row=row, reason=shown(err, 80)) from None
    return rows


def check_records(rows: list[list[str]], least: int, longest_line: int) -> None:
    """Header names, row lengths and cell sizes, each refusal naming its row (the header is row 1).

    The row-by-row loops run only when a quick look (the set of row lengths, the
    longest line) says that something is wrong, so a big good file costs little.
    """
    if len(rows) < 2:
        raise DataError("upload.no_rows", least=least)
    header, width = [h.strip() for h in rows[0]], len(rows[0])
    if width > MAX_COLUMNS:
        raise DataError("upload.many_columns", columns=f"{width:,}", most=MAX_COLUMNS)
    for number, name in enumerate(header, start=1):
        if not name:
            raise DataError("upload.unnamed", number=number)
        if header.index(name) != number - 1:
            raise DataError("upload.duplicate", name=shown(name))
    if set(map(len, rows)) != {width}:
        for number, row in enumerate(rows[1:], start=2):
            if len(row) != width:
                key = "upload.row_length_one" if len(row) == 1 else "upload.row_length"
                raise DataError(key, row=number, found=len(row), width=width)
    if longest_line > MAX_FIELD:
        for number, row in enumerate(rows, start=1):
            for name, cell in zip(header, row):
                if len(cell) > MAX_FIELD:
                    raise DataError("upload.long_cell", row=number, column=shown(name),
                                    length=f"{len(cell):,}", limit=f"{MAX_FIELD:,}")


def read_table(raw: bytes, least: int = MIN_ROWS) -> tuple[pd.DataFrame, list[Words]]:
    """The CSV as a frame (rows in file order, header names stripped) and notes on how it was read.

    `least` is the loader's own minimum of rows, said when there are none. A page
    reads its upload again on every rerun (each slider move), so the last few
    parses are kept: the same bytes cost a copy, not a second parse.
    """
    frame, notes = _parsed(raw, least)
    return frame.copy(), list(notes)


@functools.lru_cache(maxsize=2)
def _parsed(raw: bytes, least: int) -> tuple[pd.DataFrame, tuple[Words, ...]]:
    text = decode_text(raw, "CSV file", least)
    sep, notes = _separator(text), []
    rows = records(text, sep)
    check_records(rows, least, max(map(len, text.split("\n"))))
    if sep != ",":
        notes.append(Words("upload.note.separator", {"sep": "tab" if sep == "\t" else sep}))
    decimal = "," if sep == ";" and "," in text else "."  # 1,5;2,25: a European export
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, decimal=decimal, index_col=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as err:
        raise DataError("upload.unreadable", reason=shown(str(err).splitlines()[0], 80)) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame, tuple(notes)


def keep_rows(n: int, limit: int, seed: int = 0, first: bool = False) -> tuple[np.ndarray, list[Words]]:
    """The rows to train on: all of them, or `limit` of them (a seeded random subset in file order, or
    the first ones for a sequence, whose order is its meaning) and a note that says so."""
    if n <= limit:
        return np.arange(n), []
    if first:
        return np.arange(limit), [Words("upload.note.first", {"kept": f"{limit:,}", "total": f"{n:,}"})]
    kept = np.sort(np.random.default_rng(seed).choice(n, size=limit, replace=False))
    return kept, [Words("upload.note.subset", {"kept": f"{limit:,}", "total": f"{n:,}", "seed": seed})]


def first_non_number(column: pd.Series) -> tuple[int, Any] | None:
    """(position, value) of the first cell that is not a number, or None when all are (gaps aside)."""
    numbers = pd.to_numeric(column, errors="coerce")
    bad = np.flatnonzero((numbers.isna() & column.notna()).to_numpy())
    return (int(bad[0]), column.iloc[bad[0]]) if len(bad) else None


def mostly_numbers(column: pd.Series, share: float = 0.9) -> bool:
    """True when at least `share` of the filled cells are numbers: a few bad cells in a numeric column."""
    filled = column.dropna()
    return len(filled) > 0 and pd.to_numeric(filled, errors="coerce").notna().mean() >= share


def not_a_number(column: str, row: int, value: Any) -> DataError:
    """The refusal of one cell that should be a number, with a hint for the usual culprits."""
    text = str(value)
    hint = ("minus" if "\u2212" in text else "formula" if text.startswith("=")
            else "comma" if text.replace(",", "", 1).lstrip("-").isdigit() else "plain")
    return DataError(f"upload.not_numeric.{hint}", column=shown(column), row=row, value=shown(text))


def check_numbers(x: np.ndarray, columns: list[str], rows: np.ndarray | None = None) -> None:
    """Finite, within ±MAX_ABS, and varying by at least MIN_SPREAD in every column; `rows` are the
    file's row numbers of x's rows (the header is row 1)."""
    rows = np.arange(2, len(x) + 2) if rows is None else rows
    if not np.isfinite(x).all():
        row, col = np.argwhere(~np.isfinite(x))[0]
        raise DataError("upload.not_finite", row=int(rows[row]), column=shown(columns[col]))
    if (np.abs(x) > MAX_ABS).any():
        row, col = np.argwhere(np.abs(x) > MAX_ABS)[0]
        raise DataError("upload.too_large", row=int(rows[row]), column=shown(columns[col]),
                        value=f"{x[row, col]:,.10g}", limit=f"{MAX_ABS:,.0f}")
    for j, spread in enumerate(np.ptp(x, axis=0)):
        least = MIN_SPREAD * max(1.0, float(np.abs(x[:, j]).max()))  # what float32 still tells apart
        if spread == 0:
            raise DataError("upload.constant", column=shown(columns[j]), value=f"{x[0, j]:.6g}")
        if spread < least:
            raise DataError("upload.tiny_spread", column=shown(columns[j]), spread=f"{spread:.3g}",
                            least=f"{least:.3g}")


def numeric_matrix(frame: pd.DataFrame) -> np.ndarray:
    """The table as floats, refusing text, gaps, huge, tiny and constant columns, by row and value."""
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col]):
            bad = first_non_number(frame[col])
            if bad:
                raise not_a_number(col, int(frame.index[bad[0]]) + 2, bad[1])
    x = frame.to_numpy(dtype=np.float64)
    check_numbers(x, list(frame.columns), frame.index.to_numpy() + 2)  # the index: file row - 2
    return x


def load_points_csv(raw: bytes, name: str = "upload", seed: int = 0) -> Dataset:
    """Two numeric columns (x, y), at least MIN_ROWS rows, at most MAX_ROWS kept; extra columns are refused."""
    frame, notes = read_table(raw, MIN_ROWS)
    if frame.shape[1] < 2:
        raise DataError("upload.one_column", columns=frame.shape[1])
    if frame.shape[1] > 2:
        raise DataError("upload.too_many_columns", columns=frame.shape[1])
    if len(frame) < MIN_ROWS:
        raise DataError("upload.too_few_rows", rows=len(frame), least=MIN_ROWS)
    x = numeric_matrix(frame)
    kept, capped = keep_rows(len(x), MAX_ROWS, seed)
    return Dataset(name, x[kept].astype(np.float32), notes=tuple(notes + capped))
