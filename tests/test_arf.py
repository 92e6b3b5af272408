"""The adversarial random forest: rounds lower the accuracy, FORGE stays in range, FORDE is a density."""
import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier

from core.data import tables
from core.models.arf import AdversarialForest, leaf_boxes


def run_to_the_end(x, **settings) -> AdversarialForest:
    arf = AdversarialForest(**{"n_trees": 20, "random_state": 0, **settings}).start(x)
    while not arf.done:
        arf.round()
    return arf


@pytest.fixture(scope="module")
def ring():
    data = tables.ring8(1500, 0.0, seed=0)
    return data, run_to_the_end(data.x)


def test_rounds_lower_the_accuracy_and_stop_by_the_rule(ring):
    _, arf = ring
    acc = arf.accuracies_
    assert acc[0] > 0.7  # product of marginals: the ring's dependence gives it away
    assert min(acc) < acc[0] - 0.2 and min(acc) <= 0.55
    assert arf.done and arf.stop_reason_
    assert len(acc) <= arf.max_rounds


def test_the_rule_stops_at_max_rounds_and_on_a_rise():
    x = tables.ring8(600, 0.0, seed=1).x
    capped = run_to_the_end(x, max_rounds=1)
    assert len(capped.accuracies_) == 1 and "maximum" in capped.stop_reason_
    arf = AdversarialForest(n_trees=10, random_state=0).start(x)
    arf.accuracies_ = [0.0]  # pretend an earlier round was perfect: any real accuracy is a rise
    first = arf.forest_ = object()
    arf.round()
    assert arf.done and "rose" in arf.stop_reason_ and arf.forest_ is first  # the previous forest is kept


def test_samples_stay_inside_the_data_range_and_cover_the_ring(ring):
    from core.metrics import mode_report

    data, arf = ring
    samples = arf.sample(2500, np.random.default_rng(0))
    span = data.x.max(axis=0) - data.x.min(axis=0)
    slack = 0.0101 * span  # BOUNDS_SLACK: the outer leaf edges, 1 % of the range
    assert (samples >= data.x.min(axis=0) - slack).all() and (samples <= data.x.max(axis=0) + slack).all()
    report = mode_report(samples, data.means, data.sigma)
    assert report.modes_captured == 8 and report.hq_share > 0.7


def test_density_is_higher_on_held_out_ring_points_than_off_the_ring(ring):
    _, arf = ring
    held_out = tables.ring8(300, 0.0, seed=5).x
    off_ring = np.random.default_rng(0).uniform(-0.5, 0.5, size=(300, 2))
    on, off = arf.log_density(held_out), arf.log_density(off_ring)
    assert np.isfinite(on).all() and np.isfinite(off).all()  # both inside the data's bounding box
    assert on.mean() > off.mean() + 3


def test_density_integrates_to_one_on_a_grid():
    """FORDE is a density: on a fine grid over its support it sums to about 1."""
    x = np.random.default_rng(0).normal(size=(400, 2))
    arf = run_to_the_end(x, n_trees=5)
    lo, hi = arf.lo_, arf.hi_
    xs, ys = np.linspace(lo[0], hi[0], 200), np.linspace(lo[1], hi[1], 200)
    grid = np.column_stack([np.tile(xs, 200), np.repeat(ys, 200)])
    cell = (xs[1] - xs[0]) * (ys[1] - ys[0])
    assert np.exp(arf.log_density(grid)).sum() * cell == pytest.approx(1.0, abs=0.05)


def test_categorical_columns_keep_their_codes_and_shares():
    data = tables.customers(1500, 0.1, seed=0)
    arf = run_to_the_end(data.x, categorical=list(data.categories))
    samples = arf.sample(3000, np.random.default_rng(1))
    for j, names in data.categories.items():
        codes = samples[:, j]
        assert np.array_equal(codes, codes.round()) and codes.min() >= 0 and codes.max() < len(names)
        real = np.bincount(data.x[:, j].astype(int), minlength=len(names)) / len(data.x)
        fake = np.bincount(codes.astype(int), minlength=len(names)) / len(codes)
        assert np.abs(real - fake).max() < 0.05
    assert np.isfinite(arf.log_density(data.x[:200])).all()


def test_digits_constant_pixels_stay_constant():
    data = tables.digits(0, 0.0, 0)
    arf = run_to_the_end(data.x[:600], n_trees=10, max_rounds=2, min_samples_leaf=5)
    samples = arf.sample(50, np.random.default_rng(0))
    assert samples.shape == (50, 64) and np.isfinite(samples).all()
    blank = data.x[:600].std(axis=0) == 0
    assert (samples[:, blank] == data.x[0, blank]).all()


def test_leaf_boxes_contain_their_training_points():
    x = np.random.default_rng(0).uniform(size=(200, 2))
    y = (x[:, 0] > x[:, 1]).astype(int)
    tree = DecisionTreeClassifier(random_state=0).fit(x, y)
    boxes = leaf_boxes(tree, np.zeros(2), np.ones(2))
    leaves = tree.apply(x)
    for i, leaf in enumerate(leaves):
        lo, hi = boxes[leaf]
        assert (x[i] >= lo).all() and (x[i] <= hi).all()
