"""The random forest page through Streamlit's AppTest: each role's preset trains end to end (small budgets)."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptools import open_lab
from tests.apptools import train_to_the_end as train_lab


def open_forest(**query) -> AppTest:
    return open_lab("forest", **query)


def train_to_the_end(at: AppTest):
    return train_lab(at, "forest")


@pytest.mark.parametrize("preset, query, labels", [
    ("moons-classifier", {"steps": "20", "n_samples": "400"}, {"Trees", "Out-of-bag error", "Test accuracy"}),
    ("ring8-arf", {"n_samples": "800", "arf_trees": "10"}, {"Rounds", "Modes captured", "Held-out log-likelihood"}),
    ("c2st-demo", {"n_samples": "400"}, set()),
])
def test_each_role_trains_from_its_preset(preset, query, labels):
    at = open_forest(preset=preset, **query)
    assert at.sidebar.selectbox[0].value == preset
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    assert job.view().state == "done" and not at.error, [e.value for e in at.error]
    assert labels <= {m.label for m in at.metric}
    assert len(at.get("plotly_chart")) >= 2


def test_the_judge_draws_its_band():
    at = open_forest(preset="c2st-demo", n_samples="400")
    job = train_to_the_end(at)
    m = job.view().snapshots[-1].metrics
    assert any("Band of 'cannot tell'" in c.value and f"{m['c2st_low']:.3f}" in c.value for c in at.caption)


def test_missing_upload_and_a_bad_link_are_explained():
    at = open_forest(dataset="upload")
    assert not at.exception
    assert any("upload" in e.value.lower() for e in at.error)
    at = open_forest(preset="ring8-arf", steps="0")
    assert not at.exception and any("steps" in w.value for w in at.warning)


def test_the_url_carries_the_settings_both_ways():
    at = open_forest(preset="ring8-arf", delta="0.05", max_features="all")
    assert at.sidebar.number_input(key="forest.w.delta").value == 0.05
    assert at.sidebar.selectbox(key="forest.w.max_features").value == "all"
    at.sidebar.selectbox(key="forest.w.role").set_value("judge")
    at.run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params["preset"] == "ring8-arf" and params["delta"] == "0.05" and params["role"] == "judge"
    assert not at.exception
