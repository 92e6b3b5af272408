"""The HMM page through Streamlit's AppTest, the way a teacher drives it (tiny budgets)."""
from streamlit.testing.v1 import AppTest

from tests.apptools import open_lab
from tests.apptools import train_to_the_end as train_lab


def open_hmm(**query) -> AppTest:
    return open_lab("hmm", **query)


def train_to_the_end(at: AppTest):
    return train_lab(at, "hmm")


TINY = {"length": "600", "restarts": "2", "n_iter": "60"}


def flat(params) -> dict:
    return {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}


def test_casino_preset_trains_end_to_end():
    at = open_hmm(preset="casino", **TINY)
    assert at.sidebar.selectbox[0].value == "casino"
    assert any("dishonest casino" in i.value for i in at.info)
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    assert job.view().state == "done" and not at.error
    labels = {m.label for m in at.metric}
    assert {"Viterbi accuracy", "Viterbi with the true parameters", "Transition error", "Emission error"} <= labels
    assert any("EM converged" in s.value or "EM stopped" in s.value for s in list(at.success) + list(at.warning))
    assert len(job.view().snapshots[-1].views["restarts"]) == 2


def test_model_selection_preset_draws_bic_and_aic():
    at = open_hmm(preset="model-selection", length="400", restarts="1", n_iter="40", select_up_to="3")
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    sel = job.view().snapshots[-1].views["selection"]
    assert sel["states"] == [1, 2, 3]
    assert job.view().snapshots[-1].metrics["bic_states"] in (1, 2, 3)


def test_the_url_carries_the_settings_both_ways():
    at = open_hmm(preset="regimes", tol="0.00031", restarts="3", covariance_type="tied")
    assert at.sidebar.number_input(key="hmm.w.tol").value == 0.00031
    assert at.sidebar.slider(key="hmm.w.restarts").value == 3
    assert at.sidebar.selectbox(key="hmm.w.covariance_type").value == "tied"
    at.sidebar.slider(key="hmm.w.n_states").set_value(4)
    at.run()
    params = flat(at.query_params)
    assert params["preset"] == "regimes" and params["tol"] == "0.00031" and params["restarts"] == "3"
    assert params["covariance_type"] == "tied" and params["n_states"] == "4"
    assert not at.exception


def test_impossible_settings_and_missing_upload_are_explained():
    at = open_hmm(preset="regimes", emission="categorical", **TINY)
    next(b for b in at.button if b.label == "Train").click().run()
    assert not at.exception
    assert any("need symbols" in e.value for e in at.error)
    assert "hmm.job" not in at.session_state
    at = open_hmm(dataset="upload")
    assert not at.exception
    assert any("upload" in e.value.lower() for e in at.error)


def test_bad_link_values_are_explained_not_crashed():
    at = open_hmm(preset="nope", n_states="many")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "nope" in warnings and "n_states" in warnings
