"""ui/live_chart.py in headless Chromium: `streamlit run tests/live_chart_demo.py`, whose fragment adds
five points to two series ten times a second.

The page samples its chart every 100 ms (in the page, so the test's own latency does not thin the
samples) and the tests read the samples: the chart must hold drawn data in every one, grow about ten
times a second, and keep its data through a full rerun, a page switch and back, and a Reset.
Skips where Chromium is absent, except in CI, where a missing browser is a failure.
"""
import time

import pytest

from tests.browser import chromium, exceptions, require_chromium, screenshot, serve_app

pytestmark = pytest.mark.browser

require_chromium()

CHART = ".live-chart"
# One sample of the chart: is a graph div on the page, what it holds, has plotly drawn its lines.
SAMPLE = """() => {
  const gd = document.querySelector('.live-chart');
  const line = gd && gd.querySelector('.scatterlayer .trace path.js-line');
  return {t: performance.now(), present: !!gd, same: !!gd && gd === window.__liveChartFirst,
          points: gd && gd.data ? gd.data.map((trace) => trace.x.length) : [],
          drawn: !!line && (line.getAttribute('d') || '').length > 20,
          epoch: gd ? Number(gd.dataset.epoch) : null, updates: gd ? Number(gd.dataset.updates) : 0};
}"""
START_SAMPLING = """(sample) => {
  window.__liveChartFirst = document.querySelector('.live-chart');
  window.__samples = [];
  clearInterval(window.__sampler);
  const take = eval(sample);
  window.__sampler = setInterval(() => window.__samples.push(take()), 100);
}"""


@pytest.fixture(scope="module")
def demo():
    """The demo on a free loopback port and one Chromium page on it."""
    with serve_app(script="tests/live_chart_demo.py") as (base, _), chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(base)
        page.wait_for_selector(f"{CHART}[data-epoch]", state="attached", timeout=30_000)
        yield base, page
        page.close()


def sample_while(page, seconds: float, action=None) -> list[dict]:
    """Samples every 100 ms for `seconds`, doing `action(page)` after the first 0.5 s."""
    page.evaluate(START_SAMPLING, SAMPLE)
    if action is not None:
        time.sleep(0.5)
        action(page)
    time.sleep(seconds)
    return page.evaluate("() => { clearInterval(window.__sampler); return window.__samples; }")


def assert_never_blank(samples: list[dict]) -> None:
    blank = [s for s in samples if not (s["present"] and s["drawn"] and s["points"] and min(s["points"]) > 0)]
    assert not blank, f"{len(blank)} of {len(samples)} samples without a drawn chart, first: {blank[0]}"


def test_the_chart_streams_about_ten_updates_a_second_without_a_blank_frame(demo):
    _, page = demo
    samples = sample_while(page, 5.0)
    assert len(samples) >= 40  # the sampler itself kept up
    assert_never_blank(samples)
    assert all(s["same"] for s in samples), "the graph div was replaced"
    first, last = samples[0], samples[-1]
    seconds = (last["t"] - first["t"]) / 1000
    rate = (last["updates"] - first["updates"]) / seconds
    print(f"\nlive chart: {rate:.1f} updates/s in the browser, {last['points']} points")
    assert rate >= 8, f"only {rate:.1f} updates/s reached the chart"
    assert last["points"][0] > first["points"][0] and last["points"][1] > first["points"][1]
    assert len({s["epoch"] for s in samples}) == 1, "a full redraw while nothing changed"
    screenshot(page, "live-chart-streaming")
    assert exceptions(page) == []


def test_a_full_rerun_keeps_the_same_chart_growing(demo):
    _, page = demo
    samples = sample_while(page, 2.0, lambda p: p.get_by_role("button", name="Rerun everything", exact=True).click())
    assert_never_blank(samples)
    assert all(s["same"] for s in samples), "the rerun replaced the graph div"
    assert len({s["epoch"] for s in samples}) == 1, "the rerun redrew the chart in full"
    assert all(b["points"][0] >= a["points"][0] for a, b in zip(samples, samples[1:])), "points were lost"
    assert samples[-1]["points"][0] > samples[0]["points"][0]
    assert exceptions(page) == []


def test_a_page_switch_and_back_redraws_all_the_data(demo):
    base, page = demo
    before = page.evaluate(SAMPLE)["points"]
    page.get_by_role("link", name="Other").click()
    page.get_by_role("heading", name="Another page").wait_for(timeout=10_000)
    assert page.locator(CHART).count() == 0
    page.get_by_role("link", name="Chart").click()
    page.wait_for_function("(n) => { const gd = document.querySelector('.live-chart');"
                           " return gd && gd.data && gd.data[0].x.length >= n; }", arg=before[0], timeout=10_000)
    samples = sample_while(page, 1.5)
    assert_never_blank(samples)
    assert samples[-1]["points"][0] > before[0]
    assert exceptions(page) == []


def test_reset_draws_the_new_run_in_place(demo):
    _, page = demo
    before = page.evaluate(SAMPLE)
    samples = sample_while(page, 2.0, lambda p: p.get_by_role("button", name="Reset", exact=True).click())
    assert_never_blank(samples)
    assert all(s["same"] for s in samples), "Reset replaced the graph div"
    after = samples[-1]
    assert after["epoch"] > before["epoch"]
    assert after["points"][0] < before["points"][0], "the old run's points are still there"
    assert exceptions(page) == []
