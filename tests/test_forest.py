"""The forest lab under the protocol: classifier, generator and judge; uploads; the CLI presets."""
import json

import numpy as np
import pytest

from core.__main__ import main
from core.data import tables
from core.errors import ConfigError, DataError
from core.models.forest import Forest, ForestConfig, judge_sets, load_data
from core.protocol import NoLikelihood, Progress


def train(config, steps=None, model=None, data=None):
    data = data if data is not None else load_data(config)
    model = model or Forest(config)
    return model, data, list(model.fit(data, steps))


# -- classifier -------------------------------------------------------------------------------


def test_classifier_adds_trees_and_reports_the_oob_error_per_batch():
    config = ForestConfig(n_samples=600, steps=30, trees_per_step=5, snapshot_every=10)
    model, _, events = train(config)
    assert all(isinstance(e, Progress) for e in events)
    assert [e.step for e in events] == [5, 10, 15, 20, 25, 30]
    assert all(0 <= e.losses["oob_error"] <= 1 and 0 <= e.losses["test_error"] <= 1 for e in events)
    assert [e.step for e in events if e.snapshot] == [10, 20, 30]
    last = events[-1].snapshot
    assert len(model.forest_.estimators_) == 30 and last.metrics["trees"] == 30
    assert last.metrics["test_accuracy"] > 0.85  # moons with noise 0.2
    assert last.views["surface"]["p"].shape == (60, 60)
    assert "sweep" in last.views and len(last.views["sweep"]["depth_test"]) == 8
    assert last.views["permutation"].shape == (2,)


def test_stop_and_continue_keep_the_trees():
    config = ForestConfig(n_samples=300, steps=20, trees_per_step=5)
    model, data, first = train(config, steps=10)
    assert first[-1].step == 10 and len(model.forest_.estimators_) == 10
    grown = list(model.fit(data))
    assert grown[0].step == 15 and grown[-1].step == 30 and len(model.forest_.estimators_) == 30


def test_the_classifier_has_no_samples_and_no_likelihood():
    model, _, _ = train(ForestConfig(n_samples=200, steps=5))
    with pytest.raises(ConfigError, match="generator"):
        model.sample(10)
    with pytest.raises(NoLikelihood, match="P\\(class"):
        model.log_likelihood(np.zeros((3, 2)))


def test_a_multi_class_surface_names_the_class_of_each_cell():
    _, _, events = train(ForestConfig(dataset="ring8", n_samples=800, steps=10))
    surface = events[-1].snapshot.views["surface"]
    assert set(np.unique(surface["cls"])) <= set(range(8)) and surface["conf"].max() <= 1


def test_classifier_refuses_data_without_labels():
    data = tables.load_mixed_csv(b"a,b\n" + b"\n".join(f"{i},{i % 3}".encode() for i in range(20)))
    with pytest.raises(ConfigError, match="label"):
        Forest(ForestConfig()).check(data)


# -- generator --------------------------------------------------------------------------------


def test_generator_yields_a_round_per_step_and_scores_the_ring():
    config = ForestConfig(role="generator", dataset="ring8", n_samples=1000, min_samples_leaf=5, arf_trees=20)
    model, _, events = train(config)
    acc = [e.losses["oob_accuracy"] for e in events]
    assert [e.step for e in events] == list(range(1, len(events) + 1))
    assert acc[0] > 0.7 and min(acc) < acc[0]
    m = events[-1].snapshot.metrics
    assert {"modes", "hq", "rkl", "rounds", "oob_accuracy", "heldout_loglik", "c2st"} <= set(m)
    assert m["modes"] == 8 and np.isfinite(m["heldout_loglik"])
    assert events[-1].snapshot.samples.shape == (2500, 2)
    assert np.isfinite(model.log_likelihood(model.x_test_))
    assert 0 <= m["c2st_p"] <= 1


def test_forde_and_the_true_mixture_are_compared_on_the_same_held_out_rows():
    """Rows outside the training range get FORDE density 0 (log -inf): left out of both means, not of one."""
    from core.models.forest_views import mixture_log_density

    config = ForestConfig(role="generator", dataset="ring8", n_samples=600, min_samples_leaf=5, arf_trees=10)
    model, data, events = train(config)
    m = events[-1].snapshot.metrics
    inside = np.isfinite(model.arf_.log_density(model.x_test_))
    assert m["heldout_outside"] == pytest.approx(np.mean(~inside))
    assert m["heldout_loglik"] == pytest.approx(float(np.mean(model.arf_.log_density(model.x_test_)[inside])))
    assert m["true_heldout_loglik"] == pytest.approx(mixture_log_density(model.x_test_[inside], data.means,
                                                                         data.sigma))
    if not inside.all():  # Compare's figure averages every row: -inf, said as such
        assert model.log_likelihood(model.x_test_) == -np.inf


def test_generator_continues_where_it_stopped():
    config = ForestConfig(role="generator", dataset="ring8", n_samples=600, min_samples_leaf=5, arf_trees=10)
    model, data, first = train(config, steps=1)
    assert [e.step for e in first] == [1] and len(model.arf_.accuracies_) == 1
    rest = list(model.fit(data))
    assert rest[0].step == 2 and len(model.arf_.accuracies_) == 1 + len(rest) and model.arf_.done


def test_generator_on_the_mixed_table_writes_category_names():
    config = ForestConfig(role="generator", dataset="customers", n_samples=400, min_samples_leaf=5, arf_trees=10)
    model, _, events = train(config)
    text = model.samples_text(events[-1].snapshot.samples[:5])
    lines = text.splitlines()
    assert lines[0] == "age (years),income (kEUR/yr),region,plan" and len(lines) == 6
    assert all(line.split(",")[2] in ("north", "south", "east", "west") for line in lines[1:])


# -- judge ------------------------------------------------------------------------------------


def test_judge_cannot_tell_halves_and_tells_a_shift():
    config = ForestConfig(role="judge", dataset="moons", n_samples=600, shift=2.0)
    model, _, events = train(config)
    assert [e.step for e in events] == [1, 2]
    m = events[-1].snapshot.metrics
    assert m["c2st_low"] - 0.03 <= m["c2st_same"] <= m["c2st_high"] + 0.03
    assert m["c2st_shifted"] >= 0.9
    assert m["c2st_shifted_p"] < 1e-6 and m["c2st_same_p"] > 0.01  # the binomial p-values beside them
    with pytest.raises(NoLikelihood):
        model.log_likelihood(np.zeros((2, 2)))
    assert np.allclose(model.sample(5), model.judge_["shifted"][:5])


def test_the_judge_shifts_numbers_but_not_categories():
    data = tables.customers(200, 0.1, seed=0)
    sets = judge_sets(data, 1.0, seed=0)
    assert np.array_equal(sets["shifted"][:, 2:], sets["more_real"][:, 2:])
    assert (sets["shifted"][:, :2] > sets["more_real"][:, :2]).all()


# -- uploads ----------------------------------------------------------------------------------


def csv(header: str, rows: list[str]) -> bytes:
    return (header + "\n" + "\n".join(rows)).encode()


GOOD = [f"{i % 7},{(i * 3) % 5},{'a' if i % 2 else 'b'}" for i in range(30)]


@pytest.mark.parametrize("raw, message", [
    (csv("x,y,label", [f"{i},oops,{i % 2}" for i in range(30)]), "holds .oops., which is not a number"),
    (csv("x,y,label", [f"{i},,{'a' if i % 2 else 'b'}" for i in range(30)]), "NaN"),
    (csv("x,y,label", [f"{i},{i * 2},a" for i in range(30)]), "same label"),
    (csv("x,y,label", ["1,2,a"]), "at least 10 rows"),
    (csv("label", [str(i % 2) for i in range(30)]), "one column"),
], ids=["text", "nan", "one-class", "one-row", "no-features"])
def test_bad_classifier_uploads_are_explained(raw, message):
    with pytest.raises(DataError, match=message):
        tables.load_labelled_csv(raw)


def test_a_good_upload_trains_the_classifier_with_the_label_column():
    data = tables.load_labelled_csv(csv("label,x,y", [f"{r.split(',')[2]},{r.split(',')[0]},{r.split(',')[1]}"
                                                      for r in GOOD]))
    assert data.columns == ["x", "y"] and data.class_names == ["a", "b"] and data.kind == "points"
    config = ForestConfig(dataset="upload", steps=10)
    _, _, events = train(config, data=data)
    assert events[-1].snapshot.metrics["trees"] == 10


def test_mixed_upload_reads_text_columns_as_categories():
    data = tables.load_mixed_csv(csv("x,y,colour", GOOD))
    assert data.categories == {2: ["a", "b"]} and data.kind == "table"
    with pytest.raises(DataError, match="empty or NaN"):
        tables.load_mixed_csv(csv("x,colour", [f"{i}," for i in range(20)]))
    with pytest.raises(DataError, match="different texts"):
        tables.load_mixed_csv(csv("x,id", [f"{i},id{i}" for i in range(40)]))


def test_missing_upload_and_impossible_settings_are_explained():
    with pytest.raises(ConfigError, match="no file"):
        load_data(ForestConfig(dataset="upload"))
    data = load_data(ForestConfig(n_samples=50))
    with pytest.raises(ConfigError, match="Minimum points per leaf"):
        Forest(ForestConfig(role="generator", n_samples=50, min_samples_leaf=100)).check(data)


# -- the CLI ----------------------------------------------------------------------------------


def test_cli_ring8_arf_reports_the_issue_metrics_and_writes_2500_samples(tmp_path, capsys):
    out = tmp_path / "samples.csv"
    assert main(["forest", "--preset", "ring8-arf", "--json", "--samples", str(out), "--set", "arf_trees=15"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"modes", "hq", "rkl", "rounds", "oob_accuracy", "heldout_loglik"} <= set(result["metrics"])
    lines = out.read_text().splitlines()
    assert lines[0] == "x,y" and len(lines) == 2501


def test_cli_c2st_demo_reports_both_scores(capsys):
    assert main(["forest", "--preset", "c2st-demo", "--json", "--set", "n_samples=600"]) == 0
    m = json.loads(capsys.readouterr().out)["metrics"]
    assert {"c2st_same", "c2st_shifted"} <= set(m) and m["c2st_shifted"] > 0.9
