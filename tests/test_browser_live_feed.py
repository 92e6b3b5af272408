"""The GAN lab's fed curves in real Chromium against `streamlit run app.py`: after Train the losses chart
fetches its points from the job's feed (ui/live_feed.py) and grows several times a second, never blank;
after Stop it stops asking. Skips where Chromium is absent, except in CI, where that is a failure.

The rate asserted here is a floor for a busy CI machine; tests/benchmarks/bench_live.py measures it.
"""
import time

import pytest

from tests.browser import chromium, exceptions, require_chromium, screenshot, serve_app, wait_idle

pytestmark = pytest.mark.browser

require_chromium()

SAMPLE = """() => {
  const gd = document.querySelector('.live-chart');
  const line = gd && gd.querySelector('.scatterlayer .trace path.js-line');
  return {t: performance.now(), updates: gd ? Number(gd.dataset.updates) : 0,
          points: gd && gd.data ? gd.data.map((trace) => (trace.x || []).length) : [],
          drawn: !!line && (line.getAttribute('d') || '').length > 20};
}"""


def test_the_gan_curves_come_from_the_feed_several_times_a_second_and_stop_with_the_job():
    with chromium() as browser, serve_app() as (base, _):
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        asked = []
        page.on("request", lambda r: asked.append(time.perf_counter()) if "/_genlab/feed/" in r.url else None)
        page.goto(f"{base}/gan?preset=ring8-collapse&steps=100000")
        wait_idle(page)
        page.get_by_role("button", name="Train", exact=True).click()
        page.wait_for_function("() => { const gd = document.querySelector('.live-chart');"
                               " return gd && gd.data && gd.data.length && gd.data[0].x.length > 0; }",
                               timeout=30_000, polling=50)
        page.evaluate("(s) => { const f = eval(s); window.__s = []; window.__i = setInterval(() => window.__s.push(f()), 100); }",
                      SAMPLE)
        time.sleep(4)
        samples = page.evaluate("() => { clearInterval(window.__i); return window.__s; }")
        assert asked, "the chart never asked the feed"
        assert all(s["drawn"] and s["points"] and min(s["points"]) > 0 for s in samples), "a blank frame"
        seconds = (samples[-1]["t"] - samples[0]["t"]) / 1000
        rate = (samples[-1]["updates"] - samples[0]["updates"]) / seconds
        assert rate >= 2, f"{rate:.1f} updates a second"
        assert samples[-1]["points"][0] > samples[0]["points"][0], "the curve did not grow"
        screenshot(page, "page-gan-fed")
        page.get_by_role("button", name="Stop", exact=True).click()
        page.get_by_text("Stopped at step").first.wait_for(timeout=30_000)
        time.sleep(1.0)  # the last poll sees the job ended
        before = len(asked)
        time.sleep(1.5)
        assert len(asked) == before, "the chart kept asking after the job stopped"
        assert exceptions(page) == []
