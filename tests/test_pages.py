"""Every page through Streamlit's AppTest, the way a user drives it."""
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "streamlit_app.py")
PAGES = ["app_pages/home.py", "app_pages/hmm.py", "app_pages/bayesnet.py", "app_pages/forest.py", "app_pages/rnn.py",
         "app_pages/gan.py", "app_pages/compare.py"]


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page(page)
    return at.run()


def finish(at: AppTest, page: str = "gan", timeout: float = 60) -> None:
    """Wait for the page's job to end (or stop it), then rerun the page."""
    job = at.session_state[f"{page}.job"] if f"{page}.job" in at.session_state else None
    if job is not None:
        job.wait(timeout)
        job.stop()
        job.wait(5)
    at.run()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception(page):
    at = open_page(page)
    assert not at.exception, at.exception
    assert at.title


def test_home_shows_the_device_and_the_family_tree():
    at = open_page("app_pages/home.py")
    text = " ".join(m.value for m in at.markdown)
    assert "Models train on" in text and "torch" in text
    for family in ["Hidden Markov model", "Bayesian network", "Random forest", "GAN"]:
        assert family in text


def test_gan_preset_trains_end_to_end():
    at = open_page("app_pages/gan.py", preset="ring8-fixed")
    assert at.sidebar.selectbox[0].value == "ring8-fixed"
    at.sidebar.number_input(key="gan.w.steps").set_value(30)
    at.run()
    button(at, "Train").click().run()
    finish(at)
    assert not at.exception, at.exception
    job = at.session_state["gan.job"]
    assert job.view().state == "done" and job.model.step_ == 30
    labels = [m.label for m in at.metric]
    assert "Modes captured" in labels and "High-quality samples" in labels
    assert not at.error


def test_stop_keeps_the_model_and_train_continues_it():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", steps="100000")
    button(at, "Train").click().run()
    job = at.session_state["gan.job"]
    deadline = time.time() + 30
    while job.model.step_ < 20 and time.time() < deadline:
        time.sleep(0.05)
    at.run()
    button(at, "Stop").click().run()
    assert job.view().state == "stopped"
    kept = job.model.step_
    assert kept >= 20
    at.sidebar.selectbox(key="gan.w.loss")  # moving a slider would not lose the model either
    at.run()
    assert at.session_state["gan.job"] is job
    button(at, "Continue training").click().run()
    again = at.session_state["gan.job"]
    assert again.model is job.model
    again.stop()
    again.wait(10)
    assert again.model.step_ >= kept


def test_the_url_carries_the_settings_both_ways():
    at = open_page("app_pages/gan.py", preset="ring8-fixed", lr_g="0.00031", spectral_norm="true")
    assert at.sidebar.number_input(key="gan.w.lr_g").value == 0.00031
    assert at.sidebar.toggle(key="gan.w.spectral_norm").value is True
    at.sidebar.slider(key="gan.w.pack").set_value(2)
    at.run()
    params = at.query_params
    assert params["preset"] == ["ring8-fixed"] or params["preset"] == "ring8-fixed"
    flat = {k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}
    assert flat["lr_g"] == "0.00031" and flat["spectral_norm"] == "true" and flat["pack"] == "2"


def test_bad_link_values_are_explained_not_crashed():
    at = open_page("app_pages/gan.py", preset="nope", lr_g="fast")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "nope" in warnings and "lr_g" in warnings


def test_impossible_settings_give_a_message_not_a_traceback():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", dataset="spiral", conditional="true")
    button(at, "Train").click().run()
    assert not at.exception
    assert any("needs labels" in e.value for e in at.error)
    assert "gan.job" not in at.session_state


def test_upload_without_a_file_and_with_a_bad_file_explain_themselves():
    at = open_page("app_pages/gan.py", dataset="upload")
    assert not at.exception
    assert any("upload" in e.value.lower() for e in at.error)


def test_switching_pages_and_back_keeps_model_history_and_settings():
    at = open_page("app_pages/gan.py", preset="ring8-fixed", steps="40", lr_g="0.00031")
    button(at, "Train").click().run()
    finish(at)
    job = at.session_state["gan.job"]
    at.switch_page("app_pages/home.py").run()
    at.switch_page("app_pages/gan.py").run()
    assert not at.exception
    assert at.session_state["gan.job"] is job and job.model.step_ == 40
    assert at.sidebar.number_input(key="gan.w.lr_g").value == 0.00031
    assert any(m.label == "Modes captured" for m in at.metric)


def test_a_diverging_run_stops_with_a_message_and_keeps_its_last_snapshot():
    at = open_page("app_pages/gan.py", loss="least-squares", lr_g="1.0", lr_d="1.0", beta1="0.9", steps="300")
    button(at, "Train").click().run()
    finish(at)
    assert not at.exception
    assert at.session_state["gan.job"].view().state == "diverged"
    assert any("diverged" in e.value and "learning rate" in e.value for e in at.error)
    assert any(m.label == "Modes captured" for m in at.metric)  # the last good snapshot is still drawn


def test_asking_for_cuda_without_a_gpu_is_explained():
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    at = open_page("app_pages/gan.py", device="cuda")
    button(at, "Train").click().run()
    assert not at.exception
    assert any("no CUDA GPU" in e.value for e in at.error)


def extreme_settings() -> list[tuple[str, str, str]]:
    """Every setting of every built lab at the ends of its range (and every choice), as URL text."""
    from core.config import config_fields, format_value, info_of
    from core.families import FAMILIES

    cases = []
    for name, family in FAMILIES.items():
        for f in config_fields(family.config_class()):
            info = info_of(f)
            if info.choices:
                values = list(info.choices)
            elif isinstance(f.default, bool):
                values = ["true", "false"]
            else:
                kind = type(f.default)
                values = [format_value(kind(info.min)), format_value(kind(info.max))]
            cases += [(name, f.name, v) for v in values]
    return cases


@pytest.mark.parametrize("page, key, value", extreme_settings())
def test_every_setting_at_its_extremes_renders_the_page(page, key, value):
    at = open_page(f"app_pages/{page}.py", **{key: value})
    assert not at.exception, (page, key, value, at.exception)
    assert not at.warning, (page, key, value)


def test_settings_changed_from_the_preset_are_named_under_its_note():
    at = open_page("app_pages/gan.py", preset="ring8-fixed", lr_g="0.00031")
    assert any("Changed from the preset: G learning rate = 0.00031" in c.value for c in at.caption)
    at = open_page("app_pages/gan.py", preset="ring8-fixed")
    assert not any("Changed from the preset" in c.value for c in at.caption)
