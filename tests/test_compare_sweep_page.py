"""Data quality on the Compare page through AppTest: the contamination Train all uses, its link, and the
Robustness tab's sweep (tiny budgets in the link), in English and 中文."""
import numpy as np

from core.compare.tasks import load_task
from tests.apptools import open_lab
from tests.english_left import english_left

TINY = {"gan.steps": "20", "gan.width": "32", "hmm.steps": "3", "hmm.n_states": "4", "forest.steps": "1",
        "forest.n_trees": "5", "rnn.steps": "10", "rnn.hidden": "16"}


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def params(at) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def run_sweep(at, label: str = "Run the sweep"):
    button(at, label).click().run()
    sweep = at.session_state["compare.sweep.run"]
    sweep.wait(120)
    at.run()
    return sweep


def test_the_preset_contaminates_train_all_and_says_so():
    at = open_lab("compare", preset="arena-outliers", **TINY)
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="compare.dirt.w.kind").value == "outliers"
    assert at.sidebar.number_input(key="compare.dirt.w.level").value == 0.2
    assert [t.label for t in at.tabs] == ["Arena", "Robustness", "Theory"]
    assert params(at) == {"preset": "arena-outliers", **TINY}  # the preset's contamination is not repeated
    button(at, "Train all").click().run()
    run = at.session_state["compare.run"]
    for job in run["jobs"].values():
        job.wait(90)
    at.run()
    assert not at.exception, at.exception
    clean = load_task("points")
    moved = (run["task"].train != clean.train).any(axis=1)
    assert moved.mean() == 0.2 and np.array_equal(run["task"].heldout, clean.heldout)
    assert any(c.value.startswith("Training data: 20% of the training rows replaced") for c in at.caption)


def test_the_link_carries_the_contamination_and_refuses_nonsense():
    at = open_lab("compare", preset="arena-points", **{"dirt.kind": "missing", "dirt.level": "0.3",
                                                       "dirt.impute": "fill", "sweep.kind": "rows"})
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="compare.dirt.w.impute").value == "fill"
    assert any("filled with its column's mean" in c.value for c in at.sidebar.caption)
    assert params(at) == {"preset": "arena-points", "dirt.kind": "missing", "dirt.level": "0.3",
                          "dirt.impute": "fill", "sweep.kind": "rows"}  # round trip, exactly
    at.sidebar.selectbox(key="compare.dirt.w.kind").set_value("noise").run()
    assert params(at)["dirt.kind"] == "noise" and params(at)["dirt.level"] == "0.1"  # a level that shows something

    at = open_lab("compare", preset="arena-tabular", **{"dirt.kind": "noise", "dirt.level": "lots"})
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "categories have none" in warnings and "dirt.level" in warnings
    assert at.sidebar.selectbox(key="compare.dirt.w.kind").value == "none"
    assert "noise" not in at.sidebar.selectbox(key="compare.dirt.w.kind").options


def test_the_sweep_runs_from_the_page_and_draws_every_family_against_the_level():
    at = open_lab("compare", preset="arena-outliers", **TINY, **{"sweep.levels": "0.4"})
    assert not at.exception, at.exception
    assert any("2 levels × 5 families" in c.value for c in at.caption)
    sweep = run_sweep(at)
    assert not at.exception, at.exception
    assert sweep.view().state == "done" and len(sweep.result.rows) == 10
    assert {(r["level"], r["family"]) for r in sweep.result.rows if r["metrics"]} == {
        (level, f) for level in (0.0, 0.4) for f in ("hmm", "bayesnet", "forest", "rnn", "gan")}
    assert np.array_equal(sweep.task.heldout, load_task("points").heldout)  # the clean held-out set judged both
    charts = at.get("plotly_chart")
    assert len(charts) == 2  # every family against the level, and the samples at 0 and 40 %
    assert any(c.value == "Swept 2 levels: 10 trainings." for c in at.caption)
    assert any("dirtiest level, 40%" in c.value for c in at.caption)


def test_a_bad_list_of_levels_is_explained_and_nothing_runs():
    at = open_lab("compare", preset="arena-outliers", **{"sweep.levels": "0,lots"})
    assert not at.exception, at.exception
    assert any("numbers separated by commas" in e.value for e in at.error)
    button(at, "Run the sweep").click().run()
    assert not at.exception, at.exception
    assert "compare.sweep.run" not in at.session_state and at.error


def test_the_robustness_tab_in_chinese_before_and_after_a_sweep():
    at = open_lab("compare", lang="zh", preset="arena-few-rows", **TINY, **{"sweep.levels": "0.1"})
    assert not at.exception, at.exception
    assert english_left(at, "compare") == []
    sweep = run_sweep(at, "运行扫描")
    assert not at.exception, at.exception
    assert sweep.view().state == "done" and sweep.result.train_rows == {1.0: 5000, 0.1: 500}
    assert english_left(at, "compare") == []
