"""Tables for the random forest lab: labelled 2-D toys, a mixed table, uploads.

A forest splits one column at a time, so any table will do: numbers, or
categories stored as integer codes (with their names kept beside, so samples
can be written back as words). A `Table` is a `Dataset` that also knows its
column names and which columns are categorical.

- 2-D classification toys: moons, circles, XOR, and the ring of 8 Gaussians
  labelled by mode (core.data.points, the GAN lab's ring).
- `customers`: a small mixed table made in code (age, income, region, plan,
  churn), with categorical columns that depend on the numbers.
- an uploaded CSV: a label column for the classifier; numeric and text
  (categorical) columns for the adversarial forest. Read as untrusted text by
  core.data.upload and checked before a model sees it.
"""
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.datasets import make_circles, make_moons

from core.data import Dataset
from core.data import digits as digits_data
from core.data import points
from core.data.upload import (MAX_ROWS, MIN_ROWS, first_non_number, keep_rows, mostly_numbers, not_a_number,
                              numeric_matrix, read_table, shown)
from core.errors import DataError

MAX_CATEGORIES = 30  # a text column with more distinct values is an id or free text, not a category
MAX_CLASSES = 20  # more classes than this: probably a number to predict, not a class
LABEL_COLUMN = "label"


@dataclass
class Table(Dataset):
    """Rows of features (categoricals as codes 0..K-1), optional class labels, column names."""

    columns: list[str] = field(default_factory=list)
    categories: dict[int, list[str]] = field(default_factory=dict)  # column index -> names of its codes
    class_names: list[str] = field(default_factory=list)

    def is_categorical(self, j: int) -> bool:
        return j in self.categories


def _points(name: str, x: np.ndarray, y: np.ndarray, class_names=None, **extra) -> Table:
    k = int(y.max()) + 1
    return Table(name, x.astype(np.float64), labels=y.astype(np.int64), n_classes=k, columns=["x", "y"],
                 class_names=class_names or [str(c) for c in range(k)], **extra)


def moons(n: int, noise: float, seed: int) -> Table:
    x, y = make_moons(n_samples=n, noise=noise, random_state=seed)
    return _points("moons", x, y, ["upper moon", "lower moon"])


def circles(n: int, noise: float, seed: int) -> Table:
    x, y = make_circles(n_samples=n, noise=noise, factor=0.5, random_state=seed)
    return _points("circles", x, y, ["outer ring", "inner ring"])


def xor(n: int, noise: float, seed: int) -> Table:
    """Uniform on [-1, 1]^2, class 1 where x and y have the same sign; `noise` flips that share of labels."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2))
    y = (np.sign(x[:, 0]) == np.sign(x[:, 1])).astype(int)
    flip = rng.random(n) < noise / 2
    return _points("xor", x, np.where(flip, 1 - y, y), ["opposite signs", "same signs"])


def ring8(n: int, noise: float, seed: int) -> Table:
    """The GAN lab's ring of 8 Gaussians (sigma 0.01), labelled by mode; `noise` is not used."""
    ring = points.ring_of_gaussians(n=n, seed=seed)
    return _points("ring8", ring.x, ring.labels, [f"mode {k}" for k in range(8)], means=ring.means,
                   sigma=ring.sigma)


def customers(n: int, noise: float, seed: int) -> Table:
    """A mixed table made in code: who cancels a phone plan?

    age (years) and income (thousand EUR a year, rising with age) are numbers;
    region and plan are categories, and the plan depends on income. Churn is
    likelier for young customers on the basic plan; `noise` flips that share of labels.
    """
    rng = np.random.default_rng(seed)
    age = rng.uniform(18, 80, n).round()
    income = np.exp(rng.normal(3.2 + 0.012 * age, 0.35)).round(1)
    region = rng.choice(4, size=n, p=[0.4, 0.3, 0.2, 0.1])
    richer = np.clip((income - 30) / 60, 0, 1)
    plan = np.where(rng.random(n) < richer, 2, np.where(rng.random(n) < 0.5, 1, 0))
    p_churn = 1 / (1 + np.exp(-(2.0 - 0.06 * age + 1.5 * (plan == 0) - 0.5 * (region == 3))))
    churn = (rng.random(n) < p_churn).astype(int)
    churn = np.where(rng.random(n) < noise / 2, 1 - churn, churn)
    x = np.column_stack([age, income, region, plan]).astype(np.float64)
    return Table("customers", x, kind="table", labels=churn, n_classes=2,
                 columns=["age (years)", "income (kEUR/yr)", "region", "plan"],
                 categories={2: ["north", "south", "east", "west"], 3: ["basic", "plus", "premium"]},
                 class_names=["stays", "churns"])


def digits(n: int, noise: float, seed: int) -> Table:
    """scikit-learn's 8x8 digits (all 1,797; `n` and `noise` are not used), pixels in [-1, 1]."""
    d = digits_data.digits()
    return Table("digits", d.x.astype(np.float64), kind="images", labels=d.labels, n_classes=10,
                 columns=[f"p{i}" for i in range(64)], class_names=[str(k) for k in range(10)])


GENERATORS = {"moons": moons, "circles": circles, "xor": xor, "ring8": ring8, "customers": customers,
              "digits": digits}


# --- uploads ----------------------------------------------------------------------------------


def _check_rows(frame: pd.DataFrame) -> None:
    if len(frame) < MIN_ROWS:
        raise DataError("forest.few_rows", rows=len(frame), least=MIN_ROWS)


def _label_column(frame: pd.DataFrame) -> str:
    """The column named 'label' (any case), else the last one."""
    named = [c for c in frame.columns if str(c).strip().lower() == LABEL_COLUMN]
    return named[0] if named else frame.columns[-1]


def _capped(frame: pd.DataFrame, notes: list, seed: int) -> tuple[pd.DataFrame, tuple]:
    """At most MAX_ROWS rows, a seeded subset, so that a step trains in about a second; and the notes."""
    kept, capped = keep_rows(len(frame), MAX_ROWS, seed)
    return frame.iloc[kept], tuple(notes + capped)


def load_labelled_csv(raw: bytes, seed: int = 0) -> Table:
    """Numeric feature columns and a label column ('label', else the last), for the classifier."""
    frame, notes = read_table(raw, MIN_ROWS)
    _check_rows(frame)
    if frame.shape[1] < 2:
        raise DataError("forest.one_column")
    label = _label_column(frame)
    y_text = frame[label]
    if y_text.isna().any():
        row = int(np.flatnonzero(y_text.isna().to_numpy())[0])
        raise DataError("forest.no_label", row=row + 2, column=shown(label))
    classes, y = np.unique(y_text.astype(str).to_numpy(), return_inverse=True)
    if len(classes) < 2:
        raise DataError("forest.one_class", label=shown(classes[0]), column=shown(label))
    if len(classes) > MAX_CLASSES:
        raise DataError("forest.many_classes", column=shown(label), count=len(classes), most=MAX_CLASSES)
    features = frame.drop(columns=[label])
    x = numeric_matrix(features)
    kept, capped = keep_rows(len(x), MAX_ROWS, seed)
    return Table("upload", x[kept], kind="points" if x.shape[1] == 2 else "table", labels=y[kept].astype(np.int64),
                 n_classes=len(classes), columns=[str(c) for c in features.columns],
                 class_names=[str(c) for c in classes], notes=tuple(notes + capped))


def load_mixed_csv(raw: bytes, seed: int = 0) -> Table:
    """Numeric and text (categorical) columns, for the adversarial forest; no label needed."""
    frame, notes = read_table(raw, MIN_ROWS)
    _check_rows(frame)
    frame, notes = _capped(frame, notes, seed)
    columns, categories = [], {}
    for j, col in enumerate(frame.columns):
        values = frame[col]
        if values.isna().any():
            row = int(np.flatnonzero(values.isna().to_numpy())[0])
            raise DataError("forest.empty_cell", row=int(frame.index[row]) + 2, column=shown(col))
        if pd.api.types.is_numeric_dtype(values):
            columns.append(numeric_matrix(frame[[col]])[:, 0])
            continue
        names, codes = np.unique(values.astype(str).to_numpy(), return_inverse=True)
        if len(names) > MAX_CATEGORIES:
            if mostly_numbers(values):
                pos, value = first_non_number(values)
                raise not_a_number(col, int(frame.index[pos]) + 2, value)
            raise DataError("forest.many_texts", column=shown(col), count=len(names), most=MAX_CATEGORIES)
        if len(names) < 2:
            raise DataError("forest.constant", column=shown(col))
        categories[j] = [str(n) for n in names]
        columns.append(codes.astype(np.float64))
    x = np.column_stack(columns)
    kind = "points" if x.shape[1] == 2 and not categories else "table"
    return Table("upload", x, kind=kind, columns=[str(c) for c in frame.columns], categories=categories,
                 notes=notes)
