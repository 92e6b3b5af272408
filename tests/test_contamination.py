"""Dirty training data on purpose (core/data/contamination.py): the held-out set untouched, the share applied
exactly as asked, the same for a seed, a higher level a superset of a lower one, and nonsense refused in words."""
import numpy as np
import pytest

from core.compare.tasks import load_task
from core.data import contamination as dirt
from core.data.contamination import Contamination, contaminate
from core.errors import ConfigError, DataError


@pytest.fixture(scope="module")
def tasks():
    return {name: load_task(name) for name in ("points", "digits", "tabular", "sequences")}


CASES = [(task, kind) for task in ("points", "digits", "tabular", "sequences") for kind in dirt.kinds_for(task)[1:]]


def level_of(kind: str) -> float:
    return {"rows": 0.3, "noise": 0.2}.get(kind, 0.25)


@pytest.mark.parametrize("task_name, kind", CASES)
def test_the_held_out_data_is_untouched_and_a_seed_repeats(tasks, task_name, kind):
    task = tasks[task_name]
    heldout = task.heldout.copy()
    c = Contamination(kind, level_of(kind), "fill", seed=3)
    dirty = contaminate(task, c)
    assert dirty.heldout is task.heldout and np.array_equal(task.heldout, heldout)
    assert dirty.train.dtype == task.train.dtype and dirty.train.shape[1:] == task.train.shape[1:]
    assert not np.array_equal(dirty.train[:len(task.train)], task.train) or len(dirty.train) != len(task.train)
    assert np.array_equal(contaminate(task, c).train, dirty.train)  # the same seed, the same dirt
    other = contaminate(task, Contamination(kind, c.level, "fill", seed=4)).train
    assert not np.array_equal(other, dirty.train) or (task_name, kind) == ("sequences", "rows")  # a stream's start
    assert dirty.notes[-1].key.startswith("quality.note") and str(dirty.notes[-1]).endswith(".")
    assert contaminate(task, Contamination(kind, dirt.clean_level(kind))) is task  # the clean level does nothing


def test_symbol_noise_replaces_exactly_the_share_each_by_another_state(tasks):
    table = tasks["tabular"]
    dirty = contaminate(table, Contamination("symbols", 0.1))
    changed = dirty.train != table.train
    assert changed.sum() == round(0.1 * table.train.size)  # asia: every column has two states
    assert (dirty.train < np.array(table.cardinalities)).all() and (dirty.train >= 0).all()
    stream = tasks["sequences"]
    dirty = contaminate(stream, Contamination("symbols", 0.3))
    assert (dirty.train != stream.train).sum() == round(0.3 * len(stream.train))
    assert dirty.train.max() < len(stream.symbols)


def test_outliers_replace_exactly_the_share_of_rows_with_points_around_the_ring(tasks):
    ring = tasks["points"]
    dirty = contaminate(ring, Contamination("outliers", 0.2))
    moved = (dirty.train != ring.train).any(axis=1)
    assert moved.sum() == 0.2 * len(ring.train)
    junk = dirty.train[moved]
    lo, hi = ring.train.min(axis=0), ring.train.max(axis=0)
    pad = dirt.OUTLIER_PAD * (hi - lo)
    assert (junk >= lo - pad).all() and (junk <= hi + pad).all() and (np.abs(junk) > 1.1).any()  # off the ring too
    stream = tasks["sequences"]
    dirty = contaminate(stream, Contamination("outliers", 0.5))
    assert len(dirty.train) == len(stream.train)
    windows = (dirty.train[:len(stream.train) // 12 * 12] != stream.train[:len(stream.train) // 12 * 12])
    assert windows.reshape(-1, 12).any(axis=1).mean() <= 0.5  # whole windows at most


def test_a_higher_level_spoils_a_superset_of_a_lower_one(tasks):
    ring = tasks["points"]
    low = (contaminate(ring, Contamination("outliers", 0.1)).train != ring.train).any(axis=1)
    high = (contaminate(ring, Contamination("outliers", 0.4)).train != ring.train).any(axis=1)
    assert (high | low == high).all() and high.sum() == 4 * low.sum()
    small = contaminate(ring, Contamination("noise", 0.01)).train - ring.train
    large = contaminate(ring, Contamination("noise", 0.05)).train - ring.train
    assert np.allclose(large, 5 * small)  # one draw of noise, scaled
    assert abs(large.std() - 0.05) < 0.005  # the level is the standard deviation, in data units


def test_missing_cells_drop_incomplete_rows_or_fill_them(tasks):
    ring = tasks["points"]
    blank = dirt.blank_cells(ring.train.shape, 0.2)
    assert blank.sum() == 0.2 * ring.train.size
    dropped = contaminate(ring, Contamination("missing", 0.2, "drop"))
    assert len(dropped.train) == (~blank.any(axis=1)).sum() and not np.isnan(dropped.train).any()
    filled = contaminate(ring, Contamination("missing", 0.2, "fill"))
    assert len(filled.train) == len(ring.train)
    assert np.allclose(filled.train[blank[:, 0], 0], ring.train[~blank[:, 0], 0].mean())
    table = tasks["tabular"]
    filled = contaminate(table, Contamination("missing", 0.3, "fill"))
    assert filled.train.dtype == table.train.dtype and set(np.unique(filled.train)) <= {0, 1}
    with pytest.raises(DataError, match="fill the blanks instead"):  # 64 pixels: hardly a digit survives a 20 % blanking
        contaminate(tasks["digits"], Contamination("missing", 0.2, "drop"))


def test_fewer_rows_keep_the_fraction_asked_and_a_stream_its_beginning(tasks):
    table = tasks["tabular"]
    kept = contaminate(table, Contamination("rows", 0.02)).train
    assert len(kept) == 100
    assert {tuple(r) for r in kept} <= {tuple(r) for r in table.train}
    stream = tasks["sequences"]
    assert np.array_equal(contaminate(stream, Contamination("rows", 0.25)).train, stream.train[:5000])
    with pytest.raises(DataError, match="at least 20"):
        contaminate(table, Contamination("rows", 0.001))


def test_noise_on_digits_stays_on_the_ink_levels(tasks):
    digits = tasks["digits"]
    noisy = contaminate(digits, Contamination("noise", 0.3)).train
    assert noisy.min() >= -1 and noisy.max() <= 1 and np.allclose((noisy + 1) * 8, np.round((noisy + 1) * 8))


@pytest.mark.parametrize("kind, task_name", [("symbols", "points"), ("symbols", "digits"), ("noise", "tabular"),
                                             ("noise", "sequences"), ("missing", "sequences")])
def test_nonsense_is_refused_in_a_sentence(tasks, kind, task_name):
    why = dirt.why_not(kind, task_name)
    assert why and why.endswith(".") and dirt.why_not(kind, task_name, "zh") != why
    with pytest.raises(ConfigError) as err:
        contaminate(tasks[task_name], Contamination(kind, 0.1))
    assert str(err.value) == why


@pytest.mark.parametrize("kind, level, words", [("outliers", 1.5, "from 0 to 1"), ("rows", 0.0, "above 0"),
                                                ("noise", -1.0, "0 or more")])
def test_a_level_out_of_range_is_refused_in_words(tasks, kind, level, words):
    with pytest.raises(ConfigError, match=words):
        contaminate(tasks["points"], Contamination(kind, level))
