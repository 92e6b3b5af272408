"""Classroom features in the page: teacher mode, hidden controls, the overlay of earlier runs."""
from tests.test_pages import button, finish, open_page


def widget_keys(at) -> set[str]:
    return {w.key for w in list(at.sidebar.number_input) + list(at.sidebar.slider) + list(at.sidebar.selectbox)
            + list(at.sidebar.toggle) if w.key}


def test_teacher_link_locks_the_preset_and_hides_advanced_settings():
    normal = open_page("app_pages/gan.py", preset="ring8-collapse")
    at = open_page("app_pages/gan.py", preset="ring8-collapse", teacher="1", steps="40")
    assert not at.exception, at.exception
    picker = at.sidebar.selectbox(key="gan.w.preset")
    assert picker.disabled and picker.value == "ring8-collapse"
    assert not at.sidebar.expander and normal.sidebar.expander  # "Advanced" is gone
    assert widget_keys(at) < widget_keys(normal)
    assert at.query_params["teacher"] == "1" and at.query_params["steps"] == "40"
    button(at, "Train").click().run()
    finish(at)
    job = at.session_state["gan.job"]
    assert job.view().state == "done" and job.model.config.steps == 40
    assert job.model.config.lr_g == normal.session_state["gan.config"].lr_g  # hidden settings keep the preset's


def test_hide_flag_hides_named_settings_and_teacher_0_leaves():
    at = open_page("app_pages/hmm.py", preset="casino", hide="n_states,length")
    keys = widget_keys(at)
    assert "hmm.w.n_states" not in keys and "hmm.w.length" not in keys and "hmm.w.seed" in keys
    assert at.session_state["hmm.config"].n_states == 2
    at = open_page("app_pages/gan.py", teacher="0")
    assert not at.sidebar.selectbox(key="gan.w.preset").disabled


def test_earlier_runs_overlay_and_clear():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", steps="30")
    button(at, "Train").click().run()
    finish(at)
    at.sidebar.number_input(key="gan.w.seed").set_value(7)
    at.run()
    button(at, "Train").click().run()
    finish(at)
    runs = at.session_state["gan.runs"]
    assert [r["changed"] for r in runs] == [["steps"]]
    assert at.selectbox(key="gan.runs.key").value in runs[0]["history"]
    assert any("against earlier runs" in c.proto.spec and "run 1: " in c.proto.spec and "= 30" in c.proto.spec
               for c in at.get("plotly_chart"))
    at.button(key="gan.runs.clear").click().run()
    assert "gan.runs" not in at.session_state


def test_run_report_names_settings_device_time_and_metrics():
    from core.report import run_report

    at = open_page("app_pages/gan.py", preset="ring8-collapse", steps="30")
    button(at, "Train").click().run()
    finish(at)
    job = at.session_state["gan.job"]
    text = run_report("GAN", "ring8-collapse", job.model.config, job.view(), "cpu", "python -m core gan")
    assert "(`lr_g`) | 0.0" in text
    assert "Steps: 30 of 30" in text and "Device: cpu" in text and "| modes |" in text
    assert any(b.proto.label == "Download the run report (Markdown)" for b in at.get("download_button"))


def test_settings_show_only_where_they_apply_and_keep_their_values():
    at = open_page("app_pages/gan.py", preset="ring8-collapse", gp_weight="3.5")
    assert "gan.w.gp_weight" not in widget_keys(at) and "gan.w.weight_clip" not in widget_keys(at)
    assert at.session_state["gan.config"].gp_weight == 3.5  # hidden, not lost
    at.sidebar.selectbox(key="gan.w.loss").set_value("wgan-gp").run()
    assert "gan.w.gp_weight" in widget_keys(at) and "gan.w.weight_clip" not in widget_keys(at)
    assert at.sidebar.number_input(key="gan.w.gp_weight").value == 3.5
    forest = open_page("app_pages/forest.py", preset="c2st-demo")
    assert "forest.w.shift" in widget_keys(forest) and "forest.w.arf_trees" not in widget_keys(forest)
