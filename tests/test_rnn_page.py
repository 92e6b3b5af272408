"""The RNN page through Streamlit's AppTest, the way a teacher drives it (tiny budgets)."""
from streamlit.testing.v1 import AppTest

from tests.apptools import open_lab
from tests.apptools import train_to_the_end as train_lab


def open_rnn(**query) -> AppTest:
    return open_lab("rnn", **query)


def train_to_the_end(at: AppTest):
    return train_lab(at, "rnn")


def test_vanishing_gradients_preset_trains_three_cells_end_to_end():
    at = open_rnn(preset="vanishing-gradients", steps="20", seq_len="10", snapshot_every="10")
    assert at.sidebar.selectbox[0].value == "vanishing-gradients"
    assert any("Why LSTMs exist" in i.value for i in at.info)
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    assert job.view().state == "done" and not at.error
    labels = {m.label for m in at.metric}
    assert {"vanilla RNN accuracy", "LSTM accuracy", "GRU accuracy"} <= labels
    assert "LSTM gradient ratio first/last" in labels


def test_reber_samples_redraw_at_a_new_temperature_without_retraining():
    at = open_rnn(preset="reber-lstm", steps="20", snapshot_every="10", hidden_size="16")
    job = train_to_the_end(at)
    assert not at.exception, at.exception
    before = at.session_state["rnn.samples"]
    at.sidebar.number_input(key="rnn.w.temperature").set_value(0.3)
    at.run()
    assert not at.exception, at.exception
    after = at.session_state["rnn.samples"]
    assert at.session_state["rnn.job"] is job and job.model.step_ == 20  # the same model, not retrained
    assert after[0][2] == 0.3 and before[0][2] == 1.0
    assert any(m.label == "Valid among 1,000 generated" for m in at.metric)
    assert not any("Settings changed" in c.value for c in at.caption)


def test_upload_without_a_file_and_a_too_short_text_are_explained():
    at = open_rnn(dataset="upload")
    assert not at.exception
    assert any("upload a plain UTF-8 text" in e.value for e in at.error)
