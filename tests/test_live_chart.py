"""ui/live_chart.py without a browser: the fallback AppTest sees, and the tail protocol in pure Python.

What the browser does with the payloads is tests/test_browser_live_chart.py's job.
"""
import base64
import json

import numpy as np
import plotly.graph_objects as go
import pytest
from streamlit.testing.v1 import AppTest

from ui import live_chart as lc


def two_series(n: int, offset: float = 0.0):
    x = np.arange(n)
    return [(x, np.sin(x / 10) + offset), (x, np.cos(x / 10) + offset)]


def decoded(values) -> np.ndarray:
    """A plotly JSON array: a list, or numpy's bytes in base64 (plotly 6+)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
    return np.asarray(values)


def figure() -> go.Figure:
    fig = go.Figure()
    fig.add_scatter(x=[], y=[], mode="lines", name="D loss")
    fig.add_scatter(x=[], y=[], mode="lines", name="G loss")
    return fig.update_layout(title="Losses", height=300)


def confirmed(sent: lc.Sent) -> lc.Sent:
    """As after the browser reported that it drew `sent`'s full draw."""
    return lc.acknowledge(sent, {"mount": "m1", "epoch": sent.epoch, "end": list(sent.full["end"]), "n": 1})


def seen(sent: lc.Sent) -> dict:
    """The report `sent` last acted on: it stays in the component's state, run after run."""
    mount, n = sent.handled
    return {"mount": mount, "epoch": sent.epoch, "end": [0, 0], "n": n}


def drawn(n: int, version=0) -> lc.Sent:
    """A full draw of n points that the browser confirmed."""
    return confirmed(lc.full_draw(figure(), two_series(n), version, None, None))


# --- the fallback: AppTest has no browser, so the page gets a plain plotly chart --------------------

def fallback_script():
    import numpy as np
    import plotly.graph_objects as go

    from ui.live_chart import live_chart

    x = np.arange(5)

    def build():
        fig = go.Figure()
        fig.add_scatter(x=x, y=x ** 2, name="square")
        return fig

    live_chart("squares", build, [(x, x ** 2)], version="en", height=300)


def test_apptest_gets_a_plotly_chart_with_builds_data():
    at = AppTest.from_function(fallback_script).run()
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    spec = json.loads(charts[0].proto.spec)
    assert decoded(spec["data"][0]["y"]).tolist() == [0, 1, 4, 9, 16] and spec["data"][0]["name"] == "square"
    assert spec["layout"]["height"] == 300
    assert not at.get("bidi_component")
    assert "live_chart:squares" not in at.session_state  # nothing to track without a browser


def test_without_a_script_run_there_is_no_browser():
    assert lc._browser_assets() is None


def browser_script():
    """live_chart as in a served app (browser assets found): a series that grows five points a run."""
    import numpy as np
    import plotly.graph_objects as go
    import streamlit as st

    from ui import live_chart as lc

    def build():
        st.session_state.builds = st.session_state.get("builds", 0) + 1
        return go.Figure(go.Scatter(x=[], y=[], name="loss"))

    def broken(**_):
        raise st.errors.StreamlitAPIException("no component here")

    real_assets, real_component = lc._browser_assets, lc._component
    lc._browser_assets = lambda: {"plotly": "/app/static/live_chart/plotly.js", "module": "/app/static/live_chart/m.js"}
    if st.session_state.get("broken"):
        lc._component = broken
    try:
        st.session_state.n = st.session_state.get("n", 0) + 5
        x = np.arange(st.session_state.n)
        lc.live_chart("c", build, [(x, x * 0.5)], version=st.session_state.get("version", 0))
    finally:
        lc._browser_assets, lc._component = real_assets, real_component


def payload(at: AppTest) -> dict:
    """The data the browser's chart was given on the last run."""
    (chart,) = at.get("bidi_component")
    return json.loads(chart.proto.json)


def test_with_a_browser_build_runs_once_and_tails_follow_the_browsers_report():
    at = AppTest.from_function(browser_script).run()
    assert not at.exception and not at.get("plotly_chart")
    first = payload(at)
    assert first["kind"] == "full" and first["end"] == [5] and first["module"].endswith("/m.js")
    assert json.loads(first["figure"])["data"][0]["name"] == "loss"
    again = payload(at.run())  # no report yet: the same figure again, with the points since
    assert again["kind"] == "full" and again["figure"] == first["figure"] and again["tail"]["x"] == [[5, 6, 7, 8, 9]]
    at.session_state["live-chart-c"] = {"sync": {"mount": "m1", "epoch": first["epoch"], "end": [10], "n": 1}}
    tail = payload(at.run())
    assert tail == {**tail, "kind": "tail", "start": [10], "end": [15], "x": [[10, 11, 12, 13, 14]]}
    after = payload(at.run())  # the report is handled once; tails repeat the last few sends
    assert after["kind"] == "tail" and after["start"][0] <= 15 and after["end"] == [20]
    assert at.session_state["builds"] == 1
    at.session_state["version"] = "zh"
    assert payload(at.run())["kind"] == "full" and at.session_state["builds"] == 2


def test_a_failing_component_falls_back_to_a_plotly_chart():
    at = AppTest.from_function(browser_script)
    at.session_state["broken"] = True
    at.run()
    assert not at.exception and len(at.get("plotly_chart")) == 1


# --- full draws --------------------------------------------------------------------------------------

def test_a_full_draw_carries_builds_layout_and_the_series_thinned():
    sent = lc.full_draw(figure(), two_series(10_000), "en", None, 420)
    spec = json.loads(sent.payload["figure"])
    assert spec["layout"]["title"]["text"] == "Losses" and spec["layout"]["height"] == 420
    assert [t["name"] for t in spec["data"]] == ["D loss", "G loss"]
    xs = spec["data"][0]["x"]
    assert len(xs) <= lc.FULL_POINTS and xs[0] == 0 and xs[-1] == 9_999
    assert sent.payload["end"] == [10_000, 10_000] and sent.held == (len(xs), len(xs))
    assert sent.payload["height"] == 420 and sent.epoch == 1 and not sent.confirmed


def test_a_short_series_is_sent_whole_and_nan_as_null():
    x = np.arange(4)
    y = np.array([1.0, np.nan, np.inf, 2.0])
    sent = lc.full_draw(figure(), [(x, y), (x, y)], 0, None, None)
    assert json.loads(sent.payload["figure"])["data"][0]["y"] == [1.0, None, None, 2.0]
    grown = [(np.arange(6), np.append(y, [np.nan, 3.0]))] * 2
    tail = lc.tail(grown, confirmed(sent), (4, 4)).payload
    assert tail["y"][0] == [None, 3.0]
    json.dumps(tail, allow_nan=False)  # what Streamlit's JSON must carry


def test_thin_keeps_the_ends_and_at_most_the_budget():
    assert list(lc.thin(5)) == [0, 1, 2, 3, 4]
    idx = lc.thin(100_001, 2000)
    assert idx[0] == 0 and idx[-1] == 100_000 and len(idx) <= 2000 and np.all(np.diff(idx) > 0)


# --- what plan() sends -------------------------------------------------------------------------------

def test_the_first_call_is_a_full_draw():
    assert lc.plan(None, two_series(3), 0, None).kind == "full"


def test_a_growing_series_sends_only_the_new_points():
    sent = drawn(100)
    series = two_series(107)
    step = lc.plan(sent, series, 0, seen(sent))
    assert step.kind == "tail" and step.start == (100, 100)
    after = lc.tail(series, sent, step.start)
    assert after.payload["start"] == [100, 100] and after.payload["end"] == [107, 107]
    assert after.payload["x"][0] == list(range(100, 107))
    assert after.payload["y"][1] == pytest.approx(np.cos(np.arange(100, 107) / 10).tolist())
    assert after.held == (107, 107)


def test_tails_repeat_the_last_few_sends_so_a_skipped_render_leaves_no_gap():
    sent = drawn(100)
    for n in range(101, 101 + lc.OVERLAP + 2):
        sent = lc.tail(two_series(n), sent, lc.plan(sent, two_series(n), 0, seen(sent)).start)
    step = lc.plan(sent, two_series(n + 1), 0, seen(sent))
    assert step.kind == "tail" and step.start == (n - lc.OVERLAP + 1,) * 2  # the end of OVERLAP sends ago
    assert sent.held == (n, n)  # repeated points are not counted twice


def test_an_unchanged_series_resends_the_same_payload():
    sent = lc.tail(two_series(105), drawn(100), (100, 100))
    assert lc.plan(sent, two_series(105), 0, seen(sent)).kind == "same"


@pytest.mark.parametrize("series, version, why", [
    (two_series(50), 0, "a series shrank"),
    (two_series(100, offset=1.0), 0, "a series was replaced"),
    (two_series(120), ("zh", 1), "new version"),
])
def test_a_shrunk_replaced_or_reworded_chart_is_drawn_in_full(series, version, why):
    sent = drawn(100)
    step = lc.plan(sent, series, version, seen(sent))
    assert (step.kind, step.why) == ("full", why)


def test_a_run_restarted_to_a_longer_series_is_drawn_in_full():
    """Reset then fast training: the new run is already longer, but its first point differs."""
    x = np.arange(200) + 1000
    sent = drawn(100)
    assert lc.plan(sent, [(x, x * 1.0), (x, x * 1.0)], 0, seen(sent)).kind == "full"


def test_a_figure_built_before_its_traces_existed_is_built_again():
    empty = go.Figure().update_layout(title="Losses")  # core.plots.line_chart with no history yet
    sent = confirmed(lc.full_draw(empty, two_series(0), 0, None, None))
    assert lc.plan(sent, two_series(5), 0, seen(sent)).why == "the figure lacked a series"


def test_too_many_held_points_are_thinned_by_a_full_draw():
    sent = drawn(1000)
    assert lc.plan(sent, two_series(lc.MAX_HELD), 0, seen(sent)).kind == "tail"
    assert lc.plan(sent, two_series(lc.MAX_HELD + 1), 0, seen(sent)).why == "thin the held points"


# --- until the browser confirms a full draw, it is sent again without build() -------------------------

def test_an_unconfirmed_full_draw_goes_again_with_the_points_since():
    sent = lc.full_draw(figure(), two_series(100), 0, None, None)
    step = lc.plan(sent, two_series(110), 0, None)
    assert step.kind == "again"
    again = lc.resend(two_series(110), sent)
    assert again.payload["figure"] == sent.payload["figure"] and again.payload["epoch"] == sent.epoch
    assert again.payload["tail"]["start"] == [100, 100] and again.payload["tail"]["end"] == [110, 110]


def test_the_browsers_report_confirms_and_tails_resume_from_what_it_holds():
    sent = lc.full_draw(figure(), two_series(100), 0, None, None)
    sent = lc.resend(two_series(110), sent)
    report = {"mount": "m1", "epoch": sent.epoch, "end": [105, 105], "n": 1}
    step = lc.plan(sent, two_series(115), 0, report)
    assert (step.kind, step.start) == ("tail", (105, 105))
    after = lc.acknowledge(lc.tail(two_series(115), sent, step.start), report)
    assert after.confirmed and after.mount == "m1"
    assert lc.plan(after, two_series(120), 0, report).kind == "tail"  # a report is acted on once


def test_a_report_of_an_older_draw_waits_for_the_full_draw_on_its_way():
    sent = lc.full_draw(figure(), two_series(100), 1, drawn(90), None)  # epoch 2, unconfirmed
    report = {"mount": "m1", "epoch": 1, "end": [90, 90], "n": 7}
    assert lc.plan(sent, two_series(105), 1, report).kind == "again"


def test_a_remounted_chart_that_holds_nothing_gets_a_full_draw():
    report = {"mount": "m2", "epoch": None, "end": None, "n": 1}
    assert lc.plan(drawn(100), two_series(105), 0, report).why == "the browser holds another draw"


def test_a_chart_whose_component_state_vanished_is_drawn_in_full():
    """Streamlit drops a component's state when the page is left: back on it, the chart is empty."""
    sent = drawn(100)
    assert lc.plan(sent, two_series(105), 0, seen(sent)).kind == "tail"
    assert lc.plan(sent, two_series(105), 0, None).why == lc.GONE
    unseen = lc.full_draw(figure(), two_series(100), 0, None, None)  # no browser chart has reported yet
    assert lc.plan(unseen, two_series(105), 0, None).kind == "again"


@pytest.mark.parametrize("state", [
    None, "x", {}, {"sync": "x"}, {"sync": {"mount": 1, "epoch": 1, "end": [1], "n": 1}},
    {"sync": {"mount": "m", "epoch": "1", "end": [1], "n": 1}},
    {"sync": {"mount": "m", "epoch": 1, "end": ["1"], "n": 1}},
    {"sync": {"mount": "m", "epoch": 1, "end": [1]}},
])
def test_a_malformed_report_is_ignored(state):
    assert lc.parse_report(state) is None


def test_a_well_formed_report_is_read():
    state = {"sync": {"mount": "m", "epoch": None, "end": None, "n": 3, "extra": 1}}
    assert lc.parse_report(state) == {"mount": "m", "epoch": None, "end": None, "n": 3}
