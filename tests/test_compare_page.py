"""The Compare page through Streamlit's AppTest, as a teacher drives it (tiny budgets in the link)."""
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
TINY = {"gan.steps": "20", "gan.width": "32", "hmm.steps": "3", "hmm.n_states": "4", "forest.steps": "1",
        "forest.n_trees": "5", "rnn.steps": "10", "rnn.hidden": "16"}


def open_compare(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("app_pages/compare.py")
    return at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_train_all_fills_the_scoreboard_and_the_samples_grid():
    at = open_compare(preset="arena-points", **TINY)
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key="compare.w.preset").value == "arena-points"
    assert at.sidebar.number_input(key="compare.gan.w.steps").value == 20  # the link's tiny budget
    button(at, "Train all").click().run()
    run = at.session_state["compare.run"]
    assert set(run["jobs"]) == {"hmm", "bayesnet", "forest", "rnn", "gan"}
    for job in run["jobs"].values():
        job.wait(90)
    at.run()
    assert not at.exception, at.exception
    assert not at.error
    table = at.dataframe[0].value.set_index("yardstick")
    assert list(table.columns) == ["HMM", "Bayesian network", "Random forest", "RNN", "GAN"]
    assert table.loc["held-out log-likelihood (nats per point)", "GAN"] == "implicit model: no likelihood"
    assert float(table.loc["held-out log-likelihood (nats per point)", "HMM"]) == float(
        table.loc["held-out log-likelihood (nats per point)", "HMM"])  # a number, not a sentence
    labels = [b.label for b in at.get("download_button")]
    assert "Download the scoreboard (CSV)" in labels and "Download the scoreboard (Markdown)" in labels
    assert len(at.get("plotly_chart")) >= 2  # the C2ST bars and the samples grid
    # The network fits its counts in one pass: its column says why it has no curve, not nothing.
    assert "Fitted in one pass: no curve to draw. Its scores are in the scoreboard." in [c.value for c in at.caption]


def test_a_task_where_a_family_sits_out_says_why_and_the_link_keeps_the_settings():
    at = open_compare(preset="arena-tabular", lang="zh", **{"rnn.steps": "123"})
    assert not at.exception, at.exception
    assert any("没有时间上的先后" in c.value for c in at.sidebar.caption)  # the reason, in the page's language
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    assert params == {"preset": "arena-tabular", "lang": "zh", "rnn.steps": "123"}


def test_a_missing_upload_and_a_bad_link_are_explained():
    at = open_compare(preset="arena-points", **{"gan.steps": "lots"})
    assert any("gan.steps" in w.value for w in at.warning)
    at.sidebar.selectbox(key="compare.w.dataset").set_value("upload").run()
    assert not at.exception, at.exception
    assert any("no file" in e.value for e in at.error)
    assert button(at, "Train all").disabled and "compare.run" not in at.session_state


def test_stop_all_keeps_the_models_and_scores_them_on_request():
    at = open_compare(preset="arena-points", **{"gan.steps": "50000", "rnn.steps": "50000", "hmm.steps": "3",
                                                "forest.steps": "1", "forest.n_trees": "5"})
    button(at, "Train all").click().run()
    run = at.session_state["compare.run"]
    gan = run["jobs"]["gan"]
    deadline = time.monotonic() + 90  # the GAN queues behind the others (wait_for_progress returns at once then)
    while gan.view().step == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    button(at, "Stop all").click().run()
    assert not at.exception, at.exception
    assert gan.view().state == "stopped" and gan.model.step_ > 0
    assert run["jobs"]["rnn"].view().state == "stopped"
    button(at, "Score the 2 model(s) stopped early").click().run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index("yardstick")
    assert table.loc["held-out log-likelihood (nats per point)", "GAN"] == "implicit model: no likelihood"
    assert float(table.loc["MMD^2", "RNN"]) == float(table.loc["MMD^2", "RNN"])
